/**
 * Sites decided where the demand is (issue 12), in headless Chromium:
 *
 * 1. a coverage run on the demo city decides at the 200k customers' own locations, and the
 *    covered demand the list shows equals a recount made here, in Node, from the demo files
 *    (core/point-coverage.ts recountCoverage: a latitude sweep, no index, no atoms);
 * 2. the link made after that run reopens the same result — sites, names, numbers, zoom —
 *    without running the recommendation again;
 * 3. a compound list as planners get it (小区名称, 经度, 纬度, 户数) and a road-network tool's
 *    OD cost table (起点, 终点, 路网距离(米)) are imported as "demand points" and "travel
 *    costs"; an exact p-median on them picks the pair a brute force over every pair picks,
 *    with the same total cost, and the list names each site.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addFiles, demoApp, replaceWhereAsked, screenshotsIn, upload } from './harness.ts';
import { recountCoverage } from '../../src/core/point-coverage.ts';
import { haversineM } from '../../src/core/haversine.ts';
import { demoBranches, demoCustomersInStudy } from './demo-data.ts';

const shot = screenshotsIn(process.env.E2E_SHOTS ?? join('test-results', 'sites-points'));

interface Row { id: string; lon: number; lat: number; marginalDemand: number; coveredDemand: number; coveragePct: number; totalCost: number; meanCost: number; names?: { en: string; 'zh-CN': string } }
interface Snap {
  busy: boolean;
  error: string | null;
  run: { runId: number; objective: string; solver: string; siteType: string; radiusM: number; demandPoints: number; demandAt: string; demandSource: string; costs: { pairs: number } | null } | null;
  scenario: { rows: Row[]; totals: { totalDemand: number; existingCoveredDemand: number; coveredDemand: number; coveragePct: number } } | null;
  restored: { sites: (Row & { names: { en: string; 'zh-CN': string } })[]; coveredDemand: number; objective: string } | null;
}
const snap = (page: Page) => page.evaluate(() => (window as unknown as { __bpSites: unknown }).__bpSites) as Promise<Snap>;

/** The demo's customers where the app counts them: in a study cell (H3 resolution 8) of the demo areas. */
function demoDemand() {
  const { lon, lat } = demoCustomersInStudy();
  const br = demoBranches();
  const own = br.owner.flatMap((o, j) => (o === 'own' ? [j] : []));
  return {
    demand: { lon: Float64Array.from(lon), lat: Float64Array.from(lat), weight: new Float64Array(lon.length).fill(1) },
    own: { lon: own.map((j) => br.lon[j]), lat: own.map((j) => br.lat[j]) },
  };
}

/** 36 compounds around People's Square with households, 6 candidate sites, and road distances (≈ 1.3 × straight, to 4 km). */
function plannerFiles() {
  let seed = 11;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const names = ['静安', '长宁', '徐家汇', '打浦桥', '新天地', '外滩', '南京西路', '人民广场', '老西门', '董家渡', '十六铺', '淮海中路'];
  const compounds = Array.from({ length: 36 }, (_, i) => ({
    name: `${names[i % names.length]}${['花园', '新村', '公寓'][Math.floor(i / names.length)]}`,
    lon: 121.445 + 0.06 * rnd(), lat: 31.205 + 0.05 * rnd(), households: 200 + Math.floor(1300 * rnd()),
  }));
  const candidates = Array.from({ length: 6 }, (_, j) => ({ id: `K${j + 1}`, lon: 121.45 + 0.05 * rnd(), lat: 31.21 + 0.04 * rnd() }));
  const costs: { from: string; to: string; m: number }[] = [];
  for (const c of compounds) {
    for (const k of candidates) {
      const d = haversineM(c.lon, c.lat, k.lon, k.lat);
      if (d <= 4000) costs.push({ from: c.name, to: k.id, m: Math.round(1.3 * d + 40) });
    }
  }
  return {
    compounds, candidates, costs,
    files: [
      upload('小区户数.csv', '小区名称,经度,纬度,户数\n' + compounds.map((c) => `${c.name},${c.lon.toFixed(6)},${c.lat.toFixed(6)},${c.households}`).join('\n') + '\n'),
      upload('candidates.csv', 'site_id,lon,lat\n' + candidates.map((k) => `${k.id},${k.lon.toFixed(6)},${k.lat.toFixed(6)}`).join('\n') + '\n'),
      upload('路网通行成本.csv', '起点,终点,路网距离(米)\n' + costs.map((c) => `${c.from},${c.to},${c.m}`).join('\n') + '\n'),
    ],
  };
}

async function openParams(page: Page) {
  if (!(await page.getByTestId('sites-k').isVisible())) await page.getByTestId('sites-params-toggle').click({ timeout: 10_000 });
}

async function runAndWait(page: Page, before: number) {
  await page.getByTestId('sites-run').click({ timeout: 10_000 });
  await page.waitForFunction((id) => {
    const s = (window as unknown as { __bpSites: Snap }).__bpSites;
    return (s.run?.runId ?? 0) > id || (!s.busy && s.error !== null);
  }, before, { timeout: 180_000 });
  const v = await snap(page);
  assert.equal(v.error, null);
  return v;
}

describe('sites at exact demand points', () => {
  let page: Page;
  const { another } = demoApp({
    viewport: { width: 1400, height: 900 },
    async ready(session) {
      page = session.page;
      await page.getByTestId('tab-sites').click();
      await page.waitForSelector('[data-testid="sites-run"]', { timeout: 10_000 });
    },
  });
  let hash = '';
  let shared: Row[] = [];

  it('covers the demo city at every customer’s location; the covered count equals a recount', async () => {
    const v = await runAndWait(page, 0);
    assert.equal(v.run!.demandAt, 'points');
    const { demand, own } = demoDemand();
    assert.equal(v.run!.demandPoints, demand.lon.length, 'the app counts the customers in the study area');
    const rows = v.scenario!.rows;
    const rc = recountCoverage(demand, own, { lon: rows.map((r) => r.lon), lat: rows.map((r) => r.lat) }, v.run!.radiusM);
    assert.equal(v.scenario!.totals.existingCoveredDemand, rc.existingCoveredDemand);
    rows.forEach((r, q) => {
      assert.equal(r.marginalDemand, rc.marginal[q], `rank ${q + 1} marginal`);
      assert.equal(r.coveredDemand, rc.covered[q], `rank ${q + 1} covered`);
    });
    assert.equal(v.scenario!.totals.coveredDemand, rc.covered[rows.length - 1]);
    // what the list shows, as the reader reads it
    for (let q = 0; q < rows.length; q++) {
      const shown = (await page.getByTestId(`sites-row-${q + 1}-marginal`).textContent())!.replace(/[,\s]/g, '');
      assert.equal(Number(shown), rc.marginal[q]);
      assert.match((await page.getByTestId(`sites-row-${q + 1}-name`).textContent())!, /· .+ (N|NE|E|SE|S|SW|W|NW) [\d.]+ k?m$/);
    }
    assert.match((await page.getByTestId('sites-demand-at').textContent())!, /exact locations/);
    const ids = await page.evaluate(() => (window as unknown as { __bpMap: { __deck: { props: { layers: { id: string }[] } } } }).__bpMap.__deck.props.layers.map((l) => l.id));
    for (const id of ['sites-points', 'sites-new-disc', 'sites-new-names']) assert.ok(ids.includes(id), `layer ${id} (${ids.join(', ')})`);
    await page.waitForTimeout(800);
    await shot(page, '01-points-coverage.png');
    shared = rows;
    console.log(`demo coverage at ${demand.lon.length} points: covered ${rc.covered[rows.length - 1]} (existing ${rc.existingCoveredDemand}); recount = list`);
  });

  it('a link made after the run reopens that result — sites, names, numbers, zoom — without running again', async () => {
    await page.evaluate(() => (window as unknown as { __bpMap: { jumpTo(o: object): void } }).__bpMap.jumpTo({ center: [121.48, 31.22], zoom: 12.25 }));
    await page.waitForFunction(() => location.hash.includes('z=12.25') && decodeURIComponent(location.hash).includes('"rp":'), null, { timeout: 15_000 });
    hash = await page.evaluate(() => location.hash);
    await another({ path: '/' + hash, viewport: { width: 1400, height: 900 } }, async (o) => {
      await o.page.waitForFunction(() => (window as unknown as { __bpSites?: Snap }).__bpSites?.restored?.sites.length, null, { timeout: 60_000 });
      await o.page.getByTestId('sites-row-1-name').waitFor({ timeout: 10_000 });
      const v = await snap(o.page);
      assert.equal(v.run, null, 'nothing was run again');
      assert.equal(v.busy, false);
      assert.deepEqual(v.restored!.sites.map((r) => [r.id, r.names.en, r.marginalDemand, r.coveredDemand]), shared.map((r) => [r.id, r.names!.en, r.marginalDemand, r.coveredDemand]));
      for (let q = 0; q < shared.length; q++) assert.equal(await o.page.getByTestId(`sites-row-${q + 1}-name`).textContent(), shared[q].names!.en);
      assert.ok(await o.page.getByTestId('sites-restored').isVisible());
      const zoom = await o.page.evaluate(() => (window as unknown as { __bpMap: { getZoom(): number } }).__bpMap.getZoom());
      assert.ok(Math.abs(zoom - 12.25) < 0.01, `zoom ${zoom}`);
      await o.page.waitForTimeout(600);
      await shot(o.page, '02-restored-link.png');
      assert.deepEqual(o.errors, []);
    });
  });

  it('imports demand points and a road-network cost table, runs an exact p-median, and names its sites', async () => {
    const p = plannerFiles();
    await page.getByTestId('tab-data').click();
    await addFiles(page, p.files);
    const card = (name: string) => page.locator(`[data-testid="import-file"][data-file="${name}"]`);
    assert.equal(await card('小区户数.csv').getByTestId('import-kind').inputValue(), 'demand_points');
    assert.equal(await card('路网通行成本.csv').getByTestId('import-kind').inputValue(), 'costs');
    assert.equal(await card('candidates.csv').getByTestId('import-kind').inputValue(), 'candidates');
    assert.match(await card('小区户数.csv').getByTestId('import-kind').locator('option:checked').innerText(), /Demand points/);
    for (const f of ['小区户数.csv', 'candidates.csv']) {
      const ask = card(f).getByTestId('import-crs-ask');
      if (await ask.count()) await card(f).getByTestId('import-crs-ask-wgs84').click();
    }
    await replaceWhereAsked(page);
    await page.screenshot({ path: join(process.env.E2E_SHOTS ?? join('test-results', 'sites-points'), '03-import.png'), fullPage: true });
    await page.getByTestId('import-load').click({ timeout: 10_000 });
    await page.getByTestId('import-report').waitFor({ timeout: 120_000 });
    assert.equal(await page.getByTestId('import-report').getAttribute('data-ok'), 'true');

    await page.getByTestId('tab-sites').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="sites-demand"] option[value="demand_points"]'), null, { timeout: 30_000 });
    await openParams(page);
    await page.getByTestId('sites-demand').selectOption('demand_points');
    await page.getByTestId('sites-costs').check();
    await page.getByTestId('sites-objective').selectOption('pmedian');
    await page.getByTestId('sites-k').fill('2');
    await page.getByTestId('sites-solver').selectOption('exact');
    await page.getByTestId('sites-replicates').fill('0').catch(async () => {
      await page.getByTestId('sites-more').click();
      await page.getByTestId('sites-replicates').fill('0');
    });
    const before = (await snap(page)).run?.runId ?? 0;
    const v = await runAndWait(page, before);
    assert.equal(v.run!.objective, 'pmedian');
    assert.equal(v.run!.demandSource, 'demand_points');
    assert.equal(v.run!.demandPoints, p.compounds.length);
    assert.equal(v.run!.costs!.pairs, p.costs.length);

    // Brute force over every pair of candidates with the file's costs (missing pairs and our
    // branches — absent from the file — unreachable at 10 × the largest cost, as the app states).
    const cap = 10 * Math.max(...p.costs.map((c) => c.m));
    const cost = new Map(p.costs.map((c) => [`${c.from}|${c.to}`, c.m]));
    let best = { pair: '', total: Infinity };
    for (let a = 0; a < p.candidates.length; a++) {
      for (let b = a + 1; b < p.candidates.length; b++) {
        let total = 0;
        for (const c of p.compounds) total += c.households * Math.min(cost.get(`${c.name}|${p.candidates[a].id}`) ?? cap, cost.get(`${c.name}|${p.candidates[b].id}`) ?? cap);
        if (total < best.total) best = { pair: [p.candidates[a].id, p.candidates[b].id].join(','), total };
      }
    }
    const rows = v.scenario!.rows;
    assert.equal(rows.map((r) => r.id).sort().join(','), best.pair);
    assert.ok(Math.abs(rows[1].totalCost - best.total) < 1e-6 * best.total, `total cost ${rows[1].totalCost} vs brute force ${best.total}`);
    const households = p.compounds.reduce((s, c) => s + c.households, 0);
    assert.ok(Math.abs(rows[1].meanCost - best.total / households) < 1e-6);
    // named in the list (area · our nearest branch, bearing, distance), costs said on screen
    for (let q = 0; q < 2; q++) {
      const name = (await page.getByTestId(`sites-row-${q + 1}-name`).textContent())!;
      assert.equal(name, rows[q].names!.en);
      assert.match(name, /^.+ · .+ (N|NE|E|SE|S|SW|W|NW) [\d.]+ k?m$/);
      assert.match((await page.getByTestId(`sites-row-${q + 1}-cost`).textContent())!, /mean distance/);
    }
    assert.match((await page.getByTestId('sites-costs-on').textContent())!, new RegExp(`${p.costs.length} pairs`));
    assert.match((await page.getByTestId('sites-exact').textContent())!, /optimal/);
    await page.waitForTimeout(800);
    await shot(page, '04-pmedian-costs.png');
    // The what-if with costs: no free drag (said on screen, and why), a swap to another candidate instead.
    assert.match((await page.getByTestId('sites-costs-nodrag').textContent())!, /dragged point has no travel costs/);
    const other = p.candidates.map((k) => k.id).find((id) => !rows.some((r) => r.id === id))!;
    const options = await page.getByTestId('sites-row-2-swap').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.ok(options.includes(other) && !options.includes(rows[0].id), `row 2 offers the free candidates (${options.join(',')})`);
    await page.getByTestId('sites-row-2-swap').selectOption(other);
    await page.waitForFunction((id) => (window as unknown as { __bpSites: Snap }).__bpSites.scenario?.rows[1]?.id === id, other, { timeout: 30_000 });
    const sw = (await snap(page)).scenario!.rows;
    let swapped = 0;
    for (const c of p.compounds) swapped += c.households * Math.min(cost.get(`${c.name}|${rows[0].id}`) ?? cap, cost.get(`${c.name}|${other}`) ?? cap);
    assert.ok(Math.abs(sw[1].totalCost - swapped) < 1e-6 * swapped, `after the swap to ${other}: ${sw[1].totalCost} vs recount ${swapped}`);
    assert.ok(swapped >= best.total, 'the exact optimum stays the best pair');
    assert.equal(await page.getByTestId('sites-row-2-swap').inputValue(), other);
    await page.waitForTimeout(600);
    await shot(page, '04b-swap-costs.png');
    console.log(`swap with costs: ${rows[1].id} → ${other}, total cost ${best.total} → ${swapped} (= recount)`);
    // the same names in Chinese
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="sites-row-1-name"]')?.textContent === n, rows[0].names!['zh-CN'], { timeout: 5_000 });
    assert.match(rows[0].names!['zh-CN'], / (北|东北|东|东南|南|西南|西|西北) [\d.]+ k?m$/);
    assert.match((await page.getByTestId('sites-costs-on').textContent())!, /通行成本/);
    assert.match((await page.getByTestId('sites-costs-nodrag').textContent())!, /没有通行成本/);
    await shot(page, '05-pmedian-costs-zh.png');
    await page.getByTestId('lang-switch').click();
    console.log(`p-median on ${p.compounds.length} compounds, ${p.costs.length} cost pairs: ${best.pair}, total ${best.total}; names: ${rows.map((r) => r.names!.en).join(' | ')}`);
  });
});
