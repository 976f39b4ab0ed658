/**
 * The Risk tab on the demo city in headless Chromium: the index map and ranking, a weight
 * slider that changes the map's colours (read from the deck.gl layer and from canvas
 * pixels) and the ranking, the slider → frame latency, alerts for the districts whose
 * trends the demo data makes worse, the area profile with its Monte Carlo rank band, the
 * change map, and the config file round trip (save, load, errors).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoApp, mapToPage, screenshotsIn } from './harness.ts';

type Rgb = [number, number, number];
const JINSHAN = '310116', BAOSHAN = '310113', CHONGMING = '310151', YANGPU = '310110';

/**
 * Fill colour per area_id as the choropleth layer on the map holds it: the packed layer's
 * colour per area (`fills`, by area index; no value → the no-data grey), or, for areas that
 * came without a pack, the GeoJSON layer's accessor.
 */
async function layerColors(page: Page): Promise<Record<string, Rgb>> {
  return page.evaluate(() => {
    type Area = { properties: { area_id: string } };
    type L = { id: string; props: { areas?: { features: Area[] }; fills?: Array<number[] | undefined>; data?: { features: Area[] }; getFillColor?: (f: unknown) => number[] } };
    const map = (window as unknown as { __bpMap: { __deck: { props: { layers: L[] } } } }).__bpMap;
    const layer = map.__deck.props.layers.find((l) => l.id === 'choropleth');
    if (!layer) throw new Error('no choropleth layer on the map');
    const out: Record<string, [number, number, number]> = {};
    const { areas, fills, data, getFillColor } = layer.props;
    if (areas && fills) {
      areas.features.forEach((f, i) => {
        const c = fills[i] ?? [200, 200, 200];
        out[f.properties.area_id] = [c[0], c[1], c[2]];
      });
    } else {
      for (const f of data!.features) {
        const c = getFillColor!(f);
        out[f.properties.area_id] = [c[0], c[1], c[2]];
      }
    }
    return out;
  });
}

/**
 * The colour the canvas shows most often inside a district: sample a grid of points inside
 * its polygon (labels and site symbols cover only a few of them).
 */
async function canvasColor(page: Page, areaId: string): Promise<Rgb> {
  return page.evaluate((id) => {
    type M = {
      querySourceFeatures(s: string): Array<{ properties: { area_id: string }; geometry: { type: string; coordinates: number[][][] | number[][][][] } }>;
      project(ll: [number, number]): { x: number; y: number };
      getCanvas(): HTMLCanvasElement;
    };
    const map = (window as unknown as { __bpMap: M }).__bpMap;
    const f = map.querySourceFeatures('areas').find((x) => String(x.properties.area_id) === id);
    if (!f) throw new Error(`area ${id} not in the map source`);
    const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
    const ring = polys.reduce((a, b) => (b[0].length > a[0].length ? b : a))[0];
    const inside = (x: number, y: number) => {
      let c = false;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
      }
      return c;
    };
    const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const src = map.getCanvas();
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const g = c.getContext('2d')!;
    g.drawImage(src, 0, 0);
    const ratio = src.width / src.clientWidth;
    const counts = new Map<string, number>();
    for (let a = 0.5; a < 20; a++) {
      for (let b = 0.5; b < 20; b++) {
        const lon = x0 + ((x1 - x0) * a) / 20, lat = y0 + ((y1 - y0) * b) / 20;
        if (!inside(lon, lat)) continue;
        const p = map.project([lon, lat]);
        const d = g.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
        const k = `${d[0]},${d[1]},${d[2]}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    const best = [...counts].sort((p, q) => q[1] - p[1])[0][0];
    return best.split(',').map(Number) as [number, number, number];
  }, areaId);
}

async function ranking(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="risk-ranking"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-area-id') ?? ''));
}

/** Set a range input as a user dragging it would (an `input` event per change). */
async function setSlider(page: Page, testid: string, value: number): Promise<void> {
  await page.getByTestId(testid).evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/**
 * Slider → map latency, measured in the page: from the input event to (a) the deck.gl layer
 * carrying the new colours and (b) the next map frame drawn with it.
 */
async function sliderLatency(page: Page, testid: string, value: number): Promise<{ layerMs: number; frameMs: number }> {
  return page.evaluate(
    ({ testid, value }) =>
      new Promise<{ layerMs: number; frameMs: number }>((resolve, reject) => {
        type L = { id: string };
        const map = (window as unknown as { __bpMap: { __deck: { props: { layers: L[] } }; once(e: string, f: () => void): void } }).__bpMap;
        const before = map.__deck.props.layers.find((l) => l.id === 'choropleth');
        const input = document.querySelector(`[data-testid="${testid}"]`) as HTMLInputElement;
        const t0 = performance.now();
        input.value = String(value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const deadline = t0 + 5000;
        const poll = () => {
          const now = map.__deck.props.layers.find((l) => l.id === 'choropleth');
          if (now && now !== before) {
            const layerMs = performance.now() - t0;
            map.once('render', () => resolve({ layerMs, frameMs: performance.now() - t0 }));
            return;
          }
          if (performance.now() > deadline) return reject(new Error('the map layer did not update within 5 s'));
          queueMicrotask(() => setTimeout(poll, 0));
        };
        queueMicrotask(poll);
      }),
    { testid, value },
  );
}

const shot = screenshotsIn(process.env.E2E_SHOTS ?? join('test-results', 'risk'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('risk workflow on the demo city', () => {
  const { session: s, another } = demoApp({
    async ready({ page }) {
      await page.getByTestId('tab-risk').click();
      await page.waitForSelector('[data-testid="risk-ranking"] tbody tr', { timeout: 30_000 });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="risk-ranking"] tbody tr').length === 16, null, { timeout: 10_000 });
      await page.waitForTimeout(500);
    },
  });

  it('maps the risk index in YlOrRd and ranks the deteriorating districts first', async () => {
    const order = await ranking(s.page);
    assert.equal(order.length, 16);
    assert.deepEqual(new Set(order.slice(0, 3)), new Set([JINSHAN, BAOSHAN, CHONGMING]));
    const colors = await layerColors(s.page);
    // Classes follow the tiers (25/50/75), each tier halved: Jinshan (> 87.5) has tier 4's own
    // colour, Xuhui (< 12.5) the lighter half of tier 1.
    assert.deepEqual(colors[JINSHAN], [227, 26, 28]);
    assert.deepEqual(colors['310104'], [255, 255, 213]);
    const legend = await s.page.getByTestId('legend').innerText();
    assert.match(legend, /Risk index \(0–100\)/);
    assert.match(legend, /12\.5 – 25 · tier 1/);
    assert.match(legend, /75 – 87\.5(?! ·)/);
    assert.match(legend, /87\.5 – 100 · tier 4/);
    await shot(s.page, 'risk-index.png');
  });

  it('moving a weight slider changes the map colours and the ranking', async () => {
    const order0 = await ranking(s.page);
    const colors0 = await layerColors(s.page);
    const pixel0 = await canvasColor(s.page, '310113'); // Baoshan
    // Unemployment rate (the first indicator) from 3 to 0.
    await setSlider(s.page, 'risk-weight-0', 0);
    await s.page.waitForFunction((o) => {
      const rows = [...document.querySelectorAll('[data-testid="risk-ranking"] tbody tr')].map((tr) => tr.getAttribute('data-area-id'));
      return rows.join() !== o;
    }, order0.join(), { timeout: 5_000 });
    const order1 = await ranking(s.page);
    assert.notDeepEqual(order1, order0);
    assert.equal(order1[0], JINSHAN);
    const colors1 = await layerColors(s.page);
    const changed = Object.keys(colors1).filter((id) => colors1[id].join() !== colors0[id].join());
    assert.ok(changed.includes('310115') && changed.includes('310113'), `changed: ${changed.join(', ')}`);
    // …and the pixels on the canvas follow (Baoshan, in the upper half of tier 4, drops a class).
    // Poll: on a loaded machine the next frame can take a while after the layer changed.
    let pixel1 = pixel0;
    for (let k = 0; k < 20 && pixel1.join() === pixel0.join(); k++) {
      await s.page.waitForTimeout(250);
      pixel1 = await canvasColor(s.page, '310113');
    }
    assert.notDeepEqual(pixel1, pixel0, `Baoshan looks the same on the canvas: ${pixel0} (layer ${colors0['310113']} → ${colors1['310113']})`);
    await shot(s.page, 'risk-slider.png');
    await setSlider(s.page, 'risk-weight-0', 3);
    await s.page.waitForFunction((o) => [...document.querySelectorAll('[data-testid="risk-ranking"] tbody tr')].map((tr) => tr.getAttribute('data-area-id')).join() === o, order0.join(), { timeout: 5_000 });
  });

  it('redraws the map within 50 ms of a slider move', async () => {
    const layer: number[] = [];
    const frame: number[] = [];
    for (let k = 0; k < 12; k++) {
      const r = await sliderLatency(s.page, 'risk-weight-2', k % 2 ? 2 : 6);
      layer.push(r.layerMs);
      frame.push(r.frameMs);
    }
    console.log(`# slider → layer: median ${median(layer).toFixed(1)} ms, max ${Math.max(...layer).toFixed(1)} ms; slider → drawn frame: median ${median(frame).toFixed(1)} ms, max ${Math.max(...frame).toFixed(1)} ms (16 areas, SwiftShader)`);
    assert.ok(median(frame) <= 50, `median slider → frame ${median(frame).toFixed(1)} ms`);
    await setSlider(s.page, 'risk-weight-2', 2);
  });

  it('raises alerts for the districts whose trends were made to deteriorate', async () => {
    const alerts = s.page.getByTestId('risk-alerts');
    const critical = alerts.locator(`li.critical[data-area-id="${YANGPU}"]`);
    assert.ok((await critical.count()) >= 1, 'no critical alert for Yangpu');
    assert.match(await critical.first().innerText(), /Risk index jumped \+[0-9.]+ points/);
    const ids = await alerts.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-area-id')));
    for (const id of [BAOSHAN, JINSHAN, CHONGMING]) assert.ok(ids.includes(id), `no alert for ${id}`);
    // One jump is one alert, at its highest severity: never both levels of the index-jump rule.
    const more = s.page.getByRole('button', { name: /^Show \d+ more$/ });
    if (await more.count()) await more.first().click();
    const jumps = await alerts.locator('li[data-rule^="index_jump"]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-area-id')));
    assert.ok(jumps.includes(YANGPU), 'no index jump alert for Yangpu');
    assert.deepEqual(jumps.filter((id, i) => jumps.indexOf(id) !== i), [], 'an area has two index jump alerts in one period');
    assert.match(await alerts.locator(`li[data-area-id="${JINSHAN}"]`).first().innerText(), /Non-performing loan ratio worsened by \+[0-9.]+%/);
  });

  it('opens the area profile from the map: drivers, small multiples, Monte Carlo rank band, alerts', async () => {
    const pt = await mapToPage(s.page, [121.62, 31.6]); // Chongming island, away from its label and sites
    // Hover first, as a user does: the tooltip says deck.gl has picked the district.
    await s.page.mouse.move(pt.x, pt.y);
    await s.page.waitForFunction(() => /Chongming/.test(document.querySelector('[data-testid="tooltip"]')?.textContent ?? ''), null, { timeout: 5_000 });
    await s.page.mouse.click(pt.x, pt.y);
    const profile = s.page.getByTestId('risk-profile');
    await profile.waitFor({ timeout: 10_000 }).catch(async (e) => {
      await shot(s.page, 'risk-profile-missing.png');
      throw e;
    });
    assert.equal(await s.page.getByTestId('risk-profile-name').innerText(), 'Chongming');
    assert.match(await s.page.getByTestId('risk-profile-rank').innerText(), /^[1-3] \/ 16$/);
    assert.equal(await s.page.getByTestId('risk-contributions').locator('tbody tr').count(), 3);
    assert.equal(await s.page.getByTestId('risk-multiples').locator('figure').count(), 4); // index + 3 indicators
    assert.ok((await s.page.getByTestId('risk-profile-alerts').locator('li').count()) >= 1);

    // Switch to Yangpu from the ranking and run the Monte Carlo in the analysis worker.
    await s.page.locator(`[data-testid="risk-ranking"] tr[data-area-id="${YANGPU}"] button`).click();
    await s.page.waitForFunction(() => document.querySelector('[data-testid="risk-profile-name"]')?.textContent === 'Yangpu', null, { timeout: 5_000 });
    await s.page.getByTestId('risk-mc-run').click();
    const band = s.page.getByTestId('risk-rank-band');
    await band.waitFor({ timeout: 30_000 });
    assert.match(await band.innerText(), /Rank 4 with your weights; median [0-9.]+, 5–95 % band \d+–\d+ of 16/);
    assert.equal(await s.page.locator('[data-testid="risk-ranking"] thead th').count(), 6); // the band column appears
    await shot(s.page, 'risk-profile.png');
  });

  it('maps the change between two periods in diverging colours', async () => {
    await s.page.getByTestId('risk-compare-from').selectOption('2025Q2');
    await s.page.getByTestId('risk-mode-change').click();
    await s.page.waitForFunction(() => /Change in risk index/.test(document.querySelector('[data-testid="legend"]')?.textContent ?? ''), null, { timeout: 5_000 });
    const colors = await layerColors(s.page);
    assert.deepEqual(colors[YANGPU], [178, 24, 43]); // the 2025Q3–Q4 shock: the darkest red
    const legend = await s.page.getByTestId('legend').innerText();
    assert.match(legend, /2025Q2 → 2025Q4/);
    await s.page.waitForTimeout(300);
    await shot(s.page, 'risk-change.png');
    await s.page.getByTestId('risk-mode-tier').click();
    await s.page.waitForFunction(() => /Risk tier/.test(document.querySelector('[data-testid="legend"]')?.textContent ?? ''), null, { timeout: 5_000 });
    await s.page.getByTestId('risk-mode-index').click();
  });

  it('edits the credit-policy table in place, validates it, exports it as CSV and saves it in the config', async () => {
    await s.page.locator('[data-testid="risk-policy-section"] summary').click();
    const table = s.page.getByTestId('risk-policy-table');
    assert.equal(await table.locator('tbody tr').count(), 4);
    // Defaults for tiers 25/50/75: 80/70/60/50 % LTV, LPR +0/+20/+50/+100 bp, 500…100 万元.
    assert.equal(await s.page.getByTestId('risk-policy-1-max_ltv_pct').inputValue(), '80');
    assert.equal(await s.page.getByTestId('risk-policy-4-spread_bp').inputValue(), '100');
    assert.equal(await s.page.getByTestId('risk-policy-1-exposure_cap_cny').inputValue(), '500');
    assert.equal(await s.page.getByTestId('risk-policy-4-approval_level').inputValue(), 'head_office');

    // An empty cell is an error: marked, listed, and the config is saved without the policy.
    await s.page.getByTestId('risk-policy-2-spread_bp').fill('');
    await s.page.getByTestId('risk-policy-errors').waitFor({ timeout: 5_000 });
    assert.match(await s.page.getByTestId('risk-policy-errors').innerText(), /Tier 2, Spread over LPR \(bp\): required/);
    assert.equal(await s.page.getByTestId('risk-policy-2-spread_bp').getAttribute('aria-invalid'), 'true');
    await s.page.getByTestId('risk-config-no-policy').waitFor({ timeout: 5_000 });
    await s.page.getByTestId('risk-policy-2-spread_bp').fill('25');
    // A riskier tier with a higher LTV than the tier below: a warning, saved anyway.
    await s.page.getByTestId('risk-policy-4-max_ltv_pct').fill('65');
    await s.page.getByTestId('risk-policy-4-exposure_cap_cny').fill('80');
    await s.page.getByTestId('risk-policy-4-notes').fill('新增贷款须总行特批, "A" only');
    await s.page.getByTestId('risk-policy-warnings').waitFor({ timeout: 5_000 });
    assert.match(await s.page.getByTestId('risk-policy-warnings').innerText(), /Tier 4 allows a higher max LTV than tier 3/);
    assert.equal(await s.page.getByTestId('risk-policy-errors').count(), 0);
    await shot(s.page, 'risk-policy.png');

    const [csvDownload] = await Promise.all([s.page.waitForEvent('download', { timeout: 10_000 }), s.page.getByTestId('risk-policy-csv').click()]);
    assert.equal(csvDownload.suggestedFilename(), 'risk-credit-policy.csv');
    const csv = readFileSync((await csvDownload.path())!, 'utf8').split('\n');
    assert.equal(csv[0], '\uFEFFtier,index_from,index_to,areas,max_ltv_pct,spread_bp,approval_level,approval_level_label,exposure_cap_cny,review_months,notes');
    assert.match(csv[2], /^2,25,50,\d+,70,25,branch,Branch,3000000,12,$/);
    assert.match(csv[4], /^4,75,100,\d+,65,100,head_office,Head office,800000,3,"新增贷款须总行特批, ""A"" only"$/);

    const [download] = await Promise.all([s.page.waitForEvent('download', { timeout: 10_000 }), s.page.getByTestId('risk-config-save').click()]);
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    assert.equal(saved.period, '2025Q4');
    assert.equal(saved.normalization, 'minmax');
    assert.deepEqual(saved.indicators.map((x: { column: string }) => x.column), ['unemployment_rate', 'd:house_price_index:4', 'npl_rate']);
    assert.deepEqual(saved.tiers, [25, 50, 75]);
    assert.deepEqual(saved.policy.find((r: { tier: number }) => r.tier === 4), {
      tier: 4, max_ltv_pct: 65, spread_bp: 100, approval_level: 'head_office', exposure_cap_cny: 800000, review_months: 3, notes: '新增贷款须总行特批, "A" only',
    });
    assert.equal(saved.policy.find((r: { tier: number }) => r.tier === 2).spread_bp, 25);

    // Reset, then load the saved file: the edited table comes back.
    await s.page.getByTestId('risk-policy-defaults').click();
    assert.equal(await s.page.getByTestId('risk-policy-4-max_ltv_pct').inputValue(), '50');
    await s.page.getByTestId('risk-config-input').setInputFiles({ name: 'saved.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(saved)) });
    await s.page.getByTestId('risk-config-loaded').waitFor({ timeout: 5_000 });
    assert.equal(await s.page.getByTestId('risk-policy-4-max_ltv_pct').inputValue(), '65');
    assert.equal(await s.page.getByTestId('risk-policy-4-exposure_cap_cny').inputValue(), '80');
    assert.equal(await s.page.getByTestId('risk-policy-4-notes').inputValue(), '新增贷款须总行特批, "A" only');
    assert.equal(await s.page.getByTestId('risk-policy-2-spread_bp').inputValue(), '25');
  });

  it('loads a config variant and shows a bad config’s problems', async () => {
    const [download] = await Promise.all([s.page.waitForEvent('download', { timeout: 10_000 }), s.page.getByTestId('risk-config-save').click()]);
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    // Load a variant: only unemployment counts, rank normalisation.
    const variant = { ...saved, normalization: 'rank', indicators: [{ column: 'unemployment_rate', weight: 10, direction: 'up' }, { column: 'npl_rate', weight: 0, direction: 'up' }] };
    await s.page.getByTestId('risk-config-input').setInputFiles({ name: 'variant.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(variant)) });
    await s.page.getByTestId('risk-config-loaded').waitFor({ timeout: 5_000 });
    assert.equal(await s.page.getByTestId('risk-normalization').inputValue(), 'rank');
    assert.equal(await s.page.getByTestId('risk-weight-0').inputValue(), '10');
    assert.equal((await ranking(s.page))[0], CHONGMING); // highest unemployment
    assert.equal(await s.page.getByTestId('risk-policy-4-max_ltv_pct').inputValue(), '65');

    const bad = { indicators: [{ column: 'unemployment_rat', weight: -1 }], tiers: [50, 25], policy: [{ ...saved.policy[0], max_ltv_pct: 120 }] };
    await s.page.getByTestId('risk-config-input').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    const errors = s.page.getByTestId('risk-config-errors');
    await errors.waitFor({ timeout: 5_000 });
    const text = await errors.innerText();
    assert.match(text, /unknown indicator column “unemployment_rat”.*Did you mean “unemployment_rate”/s);
    assert.match(text, /must increase strictly/);
    assert.match(text, /Tier 1, Max LTV \(%\): 120 is outside 0…100/);
    assert.equal(await s.page.getByTestId('risk-normalization').inputValue(), 'rank'); // nothing applied
    await s.page.getByTestId('risk-preset-design').click();
  });

  it('explains the ranking’s Δ column: index points since the comparison period, not rank', async () => {
    const from = await s.page.getByTestId('risk-compare-from').inputValue();
    const help = (await s.page.getByTestId('risk-ranking-delta').getAttribute('title')) ?? '';
    assert.match(help, /minus risk index in (\S+) .*index points/);
    assert.ok(help.includes(`in ${from} (`), `Δ help names the comparison period ${from}: ${help}`);
    assert.equal(await s.page.getByTestId('risk-ranking-delta-note').innerText(), help);
  });

  it('speaks Chinese when switched', async () => {
    await s.page.getByTestId('lang-switch').click();
    await s.page.waitForFunction(() => /风险指数跳升/.test(document.querySelector('[data-testid="risk-alerts"]')?.textContent ?? ''), null, { timeout: 5_000 });
    assert.match(await s.page.getByTestId('risk-ranking-delta-note').innerText(), /^Δ = \S+ 的风险指数减去 \S+（“对比期”）的风险指数，单位为指数点/);
    assert.match(await s.page.getByTestId('legend').innerText(), /风险指数（0–100）/);
    assert.match(await s.page.getByTestId('legend').innerText(), /87\.5 – 100 · 等级 4/);
    const policy = await s.page.getByTestId('risk-policy-table').innerText();
    assert.match(policy, /最高抵押率（%）/);
    assert.match(policy, /单户敞口上限（万元）/);
    assert.equal(await s.page.getByTestId('risk-policy-4-approval_level').locator('option:checked').innerText(), '总行审批');
    await s.page.getByTestId('risk-policy-table').scrollIntoViewIfNeeded();
    await shot(s.page, 'risk-zh.png');
    await s.page.getByTestId('lang-switch').click();
    await s.page.waitForFunction(() => document.querySelector('[data-testid="tab-risk"]')?.textContent === 'Risk', null, { timeout: 5_000 });
  });

  it('reopens the same risk view from the permalink', async () => {
    await s.page.getByTestId('risk-normalization').selectOption('zscore');
    await s.page.getByTestId('risk-mode-tier').click();
    // The address bar follows the view (debounced): wait until it carries both changes.
    await s.page.waitForFunction(() => /s\.risk=.*zscore.*"mode":"tier"/.test(decodeURIComponent(location.hash)), null, { timeout: 10_000 });
    const url = new URL(s.page.url());
    // The link opens on the Risk tab: its ranking, not the Data tab's counts, says it is loaded.
    await another({ path: '/' + url.hash, waitForDemo: false }, async (s2) => {
      await s2.page.waitForSelector('[data-testid="risk-ranking"] tbody tr', { timeout: 90_000 });
      await s2.page.waitForFunction(() => /Risk tier/.test(document.querySelector('[data-testid="legend"]')?.textContent ?? ''), null, { timeout: 10_000 });
      assert.equal(await s2.page.getByTestId('risk-normalization').inputValue(), 'zscore');
      assert.deepEqual(await ranking(s2.page), await ranking(s.page));
      assert.deepEqual(s2.errors, []);
    });
    await s.page.getByTestId('risk-normalization').selectOption('minmax');
    await s.page.getByTestId('risk-mode-index').click();
  });

  it('raised no page errors and made no request outside its origin', () => {
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.external, []);
  });
});
