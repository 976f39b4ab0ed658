/**
 * Closure mode moves the map to the branch being closed: ticking one of our branches in the
 * rationalisation list centres it at a zoom where its surroundings (the access distance) fill
 * the view, instead of leaving the city-wide view.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoApp, screenshotsIn } from './harness.ts';
import { HuffModel } from '../../src/core/huff.ts';
import { demoBranches, demoCustomersInStudy } from './demo-data.ts';

const shot = screenshotsIn(process.env.E2E_SHOTS ?? join('test-results', 'sites-closure'));

describe('closure view', () => {
  const { session: s } = demoApp();

  it('zooms to the branch ticked for closure', async () => {
    const page = s.page;
    await page.getByTestId('tab-sites').click();
    await page.getByTestId('sites-mode-closure').click();
    await page.waitForSelector('[data-testid="sites-rationalise"] input[type="checkbox"]', { timeout: 120_000 });
    const box = page.locator('[data-testid="sites-rationalise"] input[type="checkbox"]').first();
    const testId = (await box.getAttribute('data-testid')) ?? '';
    const id = testId.replace('sites-close-', '');
    const site = await page.evaluate((id) => {
      const st = (window as unknown as { __bpApp: { dataset: { sites: { id: string[]; lon: Float64Array; lat: Float64Array } } } }).__bpApp.dataset.sites;
      const i = st.id.indexOf(id);
      return { lon: st.lon[i], lat: st.lat[i] };
    }, id);
    const before = await page.evaluate(() => (window as unknown as { __bpMap: { getZoom(): number } }).__bpMap.getZoom());
    await box.check();
    // The move is animated (0.6 s; longer on a loaded machine): wait for it to land near the site.
    await page.waitForFunction((site) => {
      const m = (window as unknown as { __bpMap: { getZoom(): number; getCenter(): { lng: number; lat: number }; isMoving(): boolean } }).__bpMap;
      const c = m.getCenter();
      return !m.isMoving() && m.getZoom() >= 11 && Math.abs(c.lng - site.lon) < 0.01 && Math.abs(c.lat - site.lat) < 0.01;
    }, site, { timeout: 30_000 }).catch(() => undefined);
    const view = await page.evaluate(() => {
      const m = (window as unknown as { __bpMap: { getZoom(): number; getCenter(): { lng: number; lat: number } } }).__bpMap;
      return { zoom: m.getZoom(), center: m.getCenter() };
    });
    const dM = Math.hypot((view.center.lng - site.lon) * 111_320 * Math.cos((site.lat * Math.PI) / 180), (view.center.lat - site.lat) * 111_320);
    assert.ok(view.zoom > before + 2, `zoomed in from ${before.toFixed(1)} to ${view.zoom.toFixed(1)}`);
    assert.ok(view.zoom >= 11, `district-level zoom (${view.zoom.toFixed(1)})`);
    assert.ok(dM < 300, `centred on the closed branch (${dM.toFixed(0)} m off)`);
    await page.waitForSelector('[data-testid="sites-closure-result"]', { timeout: 60_000 });
    await shot(page, 'closure-zoomed.png');
    // Judged at every customer where they live, and the numbers are the core Huff model's on
    // those points, recomputed here from the demo files.
    const cl = await page.evaluate(() => (window as unknown as { __bpSites: { closure: { mapAt: string; mapCustomers: number; closedIds: string[]; ownCapturedBefore: number; ownCapturedAfter: number; closedSitesCaptured: number; huff: { alpha: number; beta: number; cutoffM: number; minDistanceM: number } } } }).__bpSites.closure);
    assert.equal(cl.mapAt, 'points');
    assert.equal(await page.getByTestId('sites-closure-at').getAttribute('data-at'), 'points');
    const customers = demoCustomersInStudy();
    const demand = { ...customers, weight: customers.lon.map(() => 1) };
    const sites = demoBranches();
    assert.equal(cl.mapCustomers, demand.lon.length, 'every customer in the study area is a demand point');
    const model = new HuffModel(demand, sites, cl.huff);
    const closed = new Uint8Array(sites.id.length);
    for (const c of cl.closedIds) closed[sites.id.indexOf(c)] = 1;
    const hBefore = model.evaluate(), hAfter = model.evaluate(closed);
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
    assert.ok(rel(cl.ownCapturedBefore, hBefore.ownCapturedDemand) < 1e-9, `captured before ${cl.ownCapturedBefore} vs ${hBefore.ownCapturedDemand}`);
    assert.ok(rel(cl.ownCapturedAfter, hAfter.ownCapturedDemand) < 1e-9, `captured after ${cl.ownCapturedAfter} vs ${hAfter.ownCapturedDemand}`);
    const closedCaptured = sites.id.reduce((t, _, j) => t + (closed[j] ? hBefore.siteCaptured[j] : 0), 0);
    assert.ok(rel(cl.closedSitesCaptured, closedCaptured) < 1e-9);
    console.log(`closure of ${cl.closedIds.join(',')} at ${demand.lon.length} customer points: our captured ${hBefore.ownCapturedDemand.toFixed(1)} → ${hAfter.ownCapturedDemand.toFixed(1)} (core = app)`);
  });

  it('shows where the closed branch\'s customers go, in the panel and on the map', async () => {
    const page = s.page;
    const flows = page.getByTestId('sites-flows');
    await flows.waitFor({ timeout: 60_000 });
    const num = (x: string | null) => Number((x ?? '').replace(/[^\d.]/g, ''));
    const released = num(await page.getByTestId('sites-flows-released').textContent());
    const rows = await page.$$eval('[data-testid="sites-flow"]', (trs) => trs.map((tr) => ({ id: tr.getAttribute('data-id')!, own: tr.getAttribute('data-own') === 'true', demand: Number(tr.getAttribute('data-demand')), text: tr.textContent ?? '' })));
    const cells = async (id: string) => (await page.getByTestId(id).count()) ? (await page.getByTestId(id).locator('td').nth(1).textContent()) : '0';
    const rest = num(await cells('sites-flow-rest'));
    const unreached = num(await cells('sites-flow-unreached'));
    assert.ok(released > 0, `the closed branch captured ${released}`);
    assert.ok(rows.length > 0, 'some remaining site picks its customers up');
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i].demand <= rows[i - 1].demand, 'recipients, most first');
    // What it captured = what others pick up + what is lost (each shown rounded to a whole number).
    const shown = rows.reduce((t, r) => t + r.demand, 0);
    assert.ok(Math.abs(shown + rest + unreached - released) <= 2, `${shown} + ${rest} + ${unreached} ≈ ${released}`);
    // The panel's leakage and recapture figures are these flows summed by owner.
    const leak = num(await page.getByTestId('sites-leakage').textContent());
    const own = rows.filter((r) => r.own).reduce((t, r) => t + r.demand, 0);
    const comp = rows.filter((r) => !r.own).reduce((t, r) => t + r.demand, 0);
    assert.ok(comp <= leak + 1 && leak - comp <= rest + 1, `competitors ${comp} within leakage ${leak} (+ the summed rest ${rest})`);
    assert.ok(own > 0 || rows.every((r) => !r.own));
    // On the map: the catchment cells and a line to each recipient the panel names (≥ 1 % of it).
    const map = await page.evaluate(() => {
      const layers = (window as unknown as { __bpMap: { __deck: { props: { layers: { id: string; props: { data: unknown } }[] } } } }).__bpMap.__deck.props.layers;
      const byId = (id: string) => layers.find((l) => l.id === id);
      const cat = byId('sites-catchment'), fl = byId('sites-flows');
      return { catchment: cat ? (cat.props.data as { length: number }).length : -1, flows: fl ? (fl.props.data as { demand: number }[]).map((d) => d.demand) : null };
    });
    assert.ok(map.catchment > 0, `catchment points on the map: ${map.catchment}`);
    assert.ok(map.flows && map.flows.length >= 1 && map.flows.length <= rows.length, `flow lines on the map: ${map.flows?.length}`);
    const total = rows.reduce((t, r) => t + r.demand, 0) + rest;
    for (const r of rows.filter((r) => r.demand >= 0.01 * total)) assert.ok(map.flows!.some((d) => Math.abs(d - r.demand) < 1e-6), `a line to ${r.id}`);
    await shot(page, 'closure-flows.png');
    console.log(`closure flows: released ${released}; ${rows.map((r) => `${r.id} ${r.demand.toFixed(1)}`).join(', ')}; rest ${rest}; unreached ${unreached}; ${map.catchment} catchment points, ${map.flows!.length} lines`);
    // The same in Chinese.
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="sites-flows"] h3')?.textContent === '其客户的去向', null, { timeout: 10_000 });
    assert.match((await page.getByTestId('sites-flow-unreached').textContent()) ?? '', /流失：[\d,]+ 米内无任何网点/);
    assert.match((await flows.locator('[data-testid="sites-flow"]').first().textContent()) ?? '', /本行|竞争对手/);
    await shot(page, 'closure-flows-zh.png');
    await page.getByTestId('lang-switch').click();
  });

  it('contacted no outside address', () => {
    assert.deepEqual(s.external, []);
  });
});
