/**
 * Hotspots tab on the demo city: hot cells over the centres, the segment filter
 * and the resolution change the layer, tooltip and cell details, the other views draw.
 * The shown result is read as data from `window.__bpHotspots`; the map is checked by pixels.
 *
 *     npx vite build && E2E_PORT=4393 node --import tsx --test test/e2e/hotspots.e2e.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { latLngToCell } from 'h3-js';
import type { Page } from 'playwright-core';
import { demoApp, mapPixelsAround, mapToPage } from './harness.ts';

interface Snapshot {
  spec: string;
  resolution: number;
  statistic: string;
  measure: string;
  cells: string[];
  classes: string[];
  values: number[];
  z: number[];
  display: string;
}

const SHOTS = 'test-results';
const LUJIAZUI: [number, number] = [121.5, 31.24];
const CENTRES: Record<string, [number, number]> = {
  人民广场: [121.475, 31.232],
  静安寺: [121.446, 31.224],
  徐家汇: [121.437, 31.195],
};

const snapshot = (page: Page) => page.evaluate(() => (window as unknown as { __bpHotspots?: Snapshot | null }).__bpHotspots ?? null);

interface Want {
  resolution?: number;
  measure?: string;
  /** Text the spec must (not) contain, e.g. a segment value. */
  includes?: string;
  excludes?: string;
}

/** Wait until the shown result matches `want` and the panel is idle (no eval: the app's CSP forbids it). */
async function waitForResult(page: Page, want: Want, timeout = 90_000): Promise<Snapshot> {
  await page.waitForFunction(
    (w: Want) => {
      const s = (window as unknown as { __bpHotspots?: Snapshot | null }).__bpHotspots;
      const busy = document.querySelector('[data-testid="hotspots-status"]')?.getAttribute('data-busy') === 'true';
      if (!s || busy) return false;
      if (w.resolution !== undefined && s.resolution !== w.resolution) return false;
      if (w.measure !== undefined && s.measure !== w.measure) return false;
      if (w.includes !== undefined && !s.spec.includes(w.includes)) return false;
      if (w.excludes !== undefined && s.spec.includes(w.excludes)) return false;
      return true;
    },
    want,
    { timeout },
  );
  return (await snapshot(page))!;
}

function classAt(s: Snapshot, [lon, lat]: [number, number]): string {
  const i = s.cells.indexOf(latLngToCell(lat, lon, s.resolution));
  assert.ok(i >= 0, `no study cell at ${lon},${lat} (res ${s.resolution})`);
  return s.classes[i];
}

/** Mean RGB of the map canvas in a ±2 px box around a coordinate. */
async function pixelAt(page: Page, lonLat: [number, number]): Promise<[number, number, number]> {
  const data = await mapPixelsAround(page, lonLat, 2);
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i += 4) for (let k = 0; k < 3; k++) sum[k] += data[i + k];
  return sum.map((v) => v / (data.length / 4)) as [number, number, number];
}

async function zoomTo(page: Page, lonLat: [number, number], zoom: number): Promise<void> {
  await page.evaluate(({ ll, z }) => {
    const m = (window as unknown as { __bpMap: { jumpTo(o: object): void } }).__bpMap;
    m.jumpTo({ center: ll, zoom: z });
  }, { ll: lonLat, z: zoom });
  await page.waitForFunction(() => {
    const m = (window as unknown as { __bpMap: { loaded(): boolean; areTilesLoaded(): boolean } }).__bpMap;
    return m.loaded() && m.areTilesLoaded();
  }, null, { timeout: 20_000 });
  await page.waitForTimeout(400);
}

describe('Hotspots on the demo city', () => {
  const { session: s } = demoApp({
    async ready({ page }) {
      mkdirSync(SHOTS, { recursive: true });
      // Generous: on a loaded machine the click's hash update (the permalink) can keep Playwright waiting.
      await page.getByTestId('tab-hotspots').click({ timeout: 60_000 });
    },
  });

  it('shows Gi* hot cells over the centres at resolution 8', async () => {
    const snap = await waitForResult(s.page, { resolution: 8, measure: 'count' });
    assert.equal(snap.statistic, 'gi');
    assert.ok(snap.cells.length > 5000, `${snap.cells.length} study cells`);
    assert.match(classAt(snap, LUJIAZUI), /^hot(99|95)$/, '陆家嘴');
    const hot = Object.entries(CENTRES).filter(([, ll]) => /^hot/.test(classAt(snap, ll)));
    assert.ok(hot.length >= 2, `hot centres: ${hot.map(([n]) => n).join(', ')}`);
    // most cells are not significant (counts are skewed: no cell is significantly cold)
    assert.ok(snap.classes.filter((c) => c === 'ns').length > snap.cells.length / 2);
    const legend = await s.page.getByTestId('legend').innerText({ timeout: 10_000 });
    assert.match(legend, /Gi\*/);
    assert.match(legend, /H3 resolution 8/);
    assert.match(legend, /normal p/);
  });

  it('draws the hot cell over 陆家嘴 in dark red', async () => {
    await zoomTo(s.page, LUJIAZUI, 12.5);
    await s.page.screenshot({ path: `${SHOTS}/hotspots-res8.png`, timeout: 30_000 });
    const [r, g, b] = await pixelAt(s.page, LUJIAZUI);
    assert.ok(r > 140 && r > g + 60 && r > b + 60, `pixel at 陆家嘴 is rgb(${r}, ${g}, ${b}), not red`);
  });

  it('shows value, z and p on hover and the cell with its area on click', async () => {
    const pt = await mapToPage(s.page, LUJIAZUI);
    await s.page.mouse.move(pt.x, pt.y);
    await s.page.mouse.move(pt.x + 1, pt.y + 1);
    const tip = s.page.getByTestId('tooltip');
    await tip.waitFor({ timeout: 10_000 });
    const text = await tip.innerText();
    assert.match(text, /Customers: [0-9,]+/);
    assert.match(text, /z = [0-9.]+ · p [=<] /);
    assert.match(text, /Hot spot, 9[59] % confidence/);
    await s.page.mouse.click(pt.x + 1, pt.y + 1);
    await s.page.getByTestId('hotspots-cell').waitFor({ timeout: 20_000 });
    assert.equal(await s.page.getByTestId('hotspots-cell-h3').innerText(), latLngToCell(LUJIAZUI[1] + 0.0001, LUJIAZUI[0] + 0.0001, 8));
    assert.equal(await s.page.getByTestId('hotspots-cell-area').innerText(), 'Pudong');
    assert.match(await s.page.getByTestId('hotspots-cell-class').innerText(), /^Hot spot/);
  });

  it('changes the layer when the segment filter changes', async () => {
    const before = (await snapshot(s.page))!;
    const pxBefore = await pixelAt(s.page, LUJIAZUI);
    await s.page.getByTestId('hotspots-segment').selectOption('young', { timeout: 10_000 });
    const after = await waitForResult(s.page, { resolution: 8, includes: '"young"' });
    assert.equal(after.cells.length, before.cells.length);
    const total = (x: Snapshot) => x.values.reduce((a, b) => a + b, 0);
    assert.ok(total(after) < total(before) * 0.6, `young customers ${total(after)} of ${total(before)}`);
    const changed = after.classes.filter((c, i) => c !== before.classes[i]).length;
    assert.ok(changed > 100, `only ${changed} cells changed class`);
    // young customers concentrate at 五角场 and 张江
    const young = [[121.514, 31.3], [121.59, 31.205]].filter((ll) => /^hot/.test(classAt(after, ll as [number, number])));
    assert.ok(young.length >= 1, 'neither 五角场 nor 张江 is hot for young customers');
    await zoomTo(s.page, [121.52, 31.25], 11);
    await s.page.screenshot({ path: `${SHOTS}/hotspots-young.png`, timeout: 30_000 });
    assert.ok(pxBefore.length === 3);
  });

  it('changes the layer when the resolution changes', async () => {
    const before = (await snapshot(s.page))!;
    await s.page.getByTestId('hotspots-res-9').click({ timeout: 10_000 });
    const after = await waitForResult(s.page, { resolution: 9 }, 120_000);
    assert.ok(after.cells.length > before.cells.length * 5, `${after.cells.length} res-9 cells vs ${before.cells.length}`);
    assert.ok(after.cells.every((c) => c.length === 15));
    assert.match(await s.page.getByTestId('legend').innerText({ timeout: 10_000 }), /H3 resolution 9/);
    await s.page.screenshot({ path: `${SHOTS}/hotspots-res9-young.png`, timeout: 30_000 });
    // back to every customer at resolution 9: 陆家嘴 is still hot
    await s.page.getByTestId('hotspots-segment').selectOption('', { timeout: 10_000 });
    const all9 = await waitForResult(s.page, { resolution: 9, excludes: '"young"' });
    assert.match(classAt(all9, LUJIAZUI), /^hot/);
  });

  it('runs permutations with progress in the status bar, and cancels them', async () => {
    const before = (await snapshot(s.page))!;
    await s.page.getByTestId('hotspots-permutations').selectOption('999', { timeout: 10_000 });
    const cancel = s.page.getByTestId('cancel');
    await cancel.waitFor({ timeout: 30_000 });
    assert.match(await s.page.getByTestId('status').innerText(), /Running permutations/);
    await s.page.waitForFunction(() => Number((document.querySelector('[data-testid="status"] progress') as HTMLProgressElement | null)?.value) > 0, null, { timeout: 30_000 });
    await cancel.click({ timeout: 10_000 });
    await s.page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.includes('Cancelled'), null, { timeout: 30_000 });
    // the map keeps the last complete result
    assert.equal((await snapshot(s.page))!.spec, before.spec);
    await s.page.getByTestId('hotspots-permutations').selectOption('0', { timeout: 10_000 });
  });

  it('draws the stability, demand × risk and area type views', async () => {
    await zoomTo(s.page, [121.47, 31.23], 9.5);
    await s.page.getByTestId('hotspots-display-stability').click({ timeout: 60_000 });
    await s.page.getByTestId('hotspots-stability').waitFor({ timeout: 180_000 });
    assert.match(await s.page.getByTestId('legend').innerText({ timeout: 10_000 }), /stability/i);
    await s.page.screenshot({ path: `${SHOTS}/hotspots-stability.png`, timeout: 30_000 });

    await s.page.getByTestId('hotspots-display-quadrants').click({ timeout: 10_000 });
    await s.page.getByTestId('hotspots-quadrants').waitFor({ timeout: 30_000 });
    const rows = await s.page.getByTestId('hotspots-quadrants').locator('tbody tr').count();
    assert.ok(rows >= 3, `${rows} areas in the quadrant table`);
    await s.page.screenshot({ path: `${SHOTS}/hotspots-quadrants.png`, timeout: 30_000 });

    await s.page.getByTestId('hotspots-display-typology').click({ timeout: 10_000 });
    await s.page.getByTestId('hotspots-silhouette').waitFor({ timeout: 60_000 });
    assert.match(await s.page.getByTestId('hotspots-silhouette').innerText(), /silhouette -?[0-9.]+ for k = 4/);
    assert.equal(await s.page.locator('[data-testid^="hotspots-type-"]:not([data-testid$="-advice"])').count(), 4);
    await s.page.screenshot({ path: `${SHOTS}/hotspots-typology.png`, timeout: 30_000 });
  });

  it('splits demand × risk under a stated rule, with counts, and explains an empty quadrant', async () => {
    const shown = await waitForResult(s.page, {});
    await s.page.getByTestId('hotspots-display-quadrants').click({ timeout: 10_000 });
    await s.page.getByTestId('hotspots-quadrants').waitFor({ timeout: 30_000 });
    const counts = async () => {
      const spans = s.page.getByTestId('hotspots-quad-counts').locator('[data-quadrant]');
      const out: Record<string, number> = {};
      for (const t of await spans.allInnerTexts()) out[t.split(':')[0].trim()] = Number(t.split(':')[1].replace(/[^0-9]/g, ''));
      return out;
    };
    // Gi* significance × tier (default): the centre's hot spots are opportunities, Baoshan's and
    // Yangpu's (tiers 3–4) caution; every study cell is in one quadrant.
    assert.match(await s.page.getByTestId('hotspots-quad-rule-text').innerText(), /Gi\* hot spot at 95 % or more .* High risk: risk tier 3–4\./);
    const sig = await counts();
    assert.ok(sig.Opportunity > 0 && sig.Caution > 0, JSON.stringify(sig));
    assert.equal(Object.values(sig).reduce((a, b) => a + b, 0), shown.cells.length);
    assert.equal(await s.page.getByTestId('hotspots-quad-empty').count(), 0);

    // Medians: relative to the city, all four quadrants filled; the thresholds are stated.
    await s.page.getByTestId('hotspots-quad-rule-median').check();
    await s.page.waitForFunction(() => /above the median of the cells with demand \([0-9.,]+\)/.test(document.querySelector('[data-testid="hotspots-quad-rule-text"]')?.textContent ?? ''), null, { timeout: 10_000 });
    const med = await counts();
    assert.ok(Object.values(med).every((n) => n > 0), JSON.stringify(med));
    assert.equal(Object.values(med).reduce((a, b) => a + b, 0), shown.cells.length);
    await s.page.screenshot({ path: `${SHOTS}/hotspots-quadrants-median.png`, timeout: 30_000 });
    await s.page.getByTestId('hotspots-quad-rule-significance').check();

    // Tiers cut at 95/97/99 on the Risk tab: no area is high risk, so caution and watch are
    // empty — and the panel says why, naming the riskiest district.
    await s.page.getByTestId('tab-risk').click();
    await s.page.getByTestId('risk-tiers').fill('95, 97, 99');
    await s.page.getByTestId('risk-tiers').dispatchEvent('change');
    await s.page.getByTestId('tab-hotspots').click();
    const empty = s.page.getByTestId('hotspots-quad-empty');
    await empty.waitFor({ timeout: 30_000 });
    const why = await empty.innerText();
    assert.match(why, /Caution is empty: no area is high risk — the riskiest, (Jinshan|Chongming), has index 9[0-9] \(tier 1\)/);
    assert.match(why, /High risk, no hot demand is empty/);
    assert.equal((await counts()).Caution, 0);
    await s.page.screenshot({ path: `${SHOTS}/hotspots-quadrants-empty.png`, timeout: 30_000 });
    await s.page.getByTestId('tab-risk').click();
    await s.page.getByTestId('risk-tiers').fill('25, 50, 75');
    await s.page.getByTestId('risk-tiers').dispatchEvent('change');
    await s.page.getByTestId('tab-hotspots').click();
    await s.page.getByTestId('hotspots-quadrants').waitFor({ timeout: 30_000 });
  });

  it('advises each area type from its profile: the high-risk type is held back, not given a branch', async () => {
    await s.page.getByTestId('hotspots-display-typology').click({ timeout: 10_000 });
    await s.page.getByTestId('hotspots-silhouette').waitFor({ timeout: 60_000 });
    const cards = s.page.locator('[data-testid^="hotspots-type-"][data-testid$="-advice"]');
    await s.page.waitForFunction(() => document.querySelectorAll('[data-testid^="hotspots-type-"][data-testid$="-advice"]').length === 4, null, { timeout: 30_000 });
    const advice = await cards.allInnerTexts();
    const formats = advice.map((a) => a.replace(/^Suggested: /, '').replace(/\s*\(.*$/s, ''));
    assert.ok(new Set(formats).size >= 3, `formats: ${formats.join(' | ')}`);
    // The type holding Baoshan, Jinshan and Chongming (tiers 4) is held back, with the figure.
    const types = await s.page.locator('[data-testid^="hotspots-type-"]:not([data-testid$="-advice"])').allInnerTexts();
    const risky = types.findIndex((t) => /Baoshan/.test(t) && /Jinshan/.test(t));
    assert.ok(risky >= 0, 'no type holds Baoshan and Jinshan');
    assert.match(advice[risky], /no new outlet while risk is high.*\(\d+ % of its areas in high risk tiers\)/s);
    // The central type (Huangpu, Jing'an) gets a full-service branch for its density and affluence.
    const centre = types.findIndex((t) => /Huangpu/.test(t));
    assert.match(advice[centre], /full-service branch \(.*Population density \+[0-9.]+ σ/);
    await s.page.screenshot({ path: `${SHOTS}/hotspots-typology-advice.png`, timeout: 30_000 });
  });

  it('shows the quadrant rule and the advice in Chinese', async () => {
    await s.page.getByTestId('lang-switch').click();
    await s.page.waitForFunction(() => /建议：/.test(document.querySelector('[data-testid="hotspots-typology"]')?.textContent ?? ''), null, { timeout: 10_000 });
    assert.match(await s.page.getByTestId('hotspots-typology').innerText(), /风险偏高时不新设网点/);
    await s.page.screenshot({ path: `${SHOTS}/hotspots-typology-zh.png`, timeout: 30_000 });
    await s.page.getByTestId('hotspots-display-quadrants').click({ timeout: 10_000 });
    await s.page.getByTestId('hotspots-quadrants').waitFor({ timeout: 30_000 });
    assert.match(await s.page.getByTestId('hotspots-quad-rule-text').innerText(), /需求热点：Gi\* 置信度 95% 及以上的热点/);
    await s.page.screenshot({ path: `${SHOTS}/hotspots-quadrants-zh.png`, timeout: 30_000 });
    await s.page.getByTestId('lang-switch').click();
    await s.page.waitForFunction(() => document.querySelector('[data-testid="tab-hotspots"]')?.textContent === 'Hotspots', null, { timeout: 5_000 });
  });

  it('draws its layers again after a round trip through another tab', async () => {
    await s.page.getByTestId('hotspots-display-classes').click({ timeout: 10_000 });
    const shown = (await snapshot(s.page))!;
    await s.page.getByTestId('tab-data').click({ timeout: 10_000 });
    await s.page.getByTestId('tab-hotspots').click({ timeout: 10_000 });
    await s.page.getByTestId('hotspots-panel').waitFor({ timeout: 10_000 });
    assert.equal((await snapshot(s.page))!.spec, shown.spec, 'the result outlives the panel');
    assert.match(await s.page.getByTestId('legend').innerText({ timeout: 10_000 }), /Gi\*/);
    await zoomTo(s.page, LUJIAZUI, 12.5);
    const [r, g, b] = await pixelAt(s.page, LUJIAZUI);
    assert.ok(r > 140 && r > g + 60 && r > b + 60, `pixel at 陆家嘴 is rgb(${r}, ${g}, ${b}) after the round trip, not red`);
  });

  it('raised no page errors and made no request outside its origin', () => {
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.external, []);
  });
});
