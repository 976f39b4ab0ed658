/**
 * The Sites tab on the demo city in headless Chromium: a recommendation with its ranked list
 * and map layers, a live what-if drag of a recommended site (numbers move while dragging;
 * the pointer → numbers latency is measured in the page), dropping a new site, saving
 * scenarios A/B, and closure mode where closing a branch moves the access check and trips
 * its flag when the limit sits between the before and after shares.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoApp, mapPixelsNear, mapToPage, screenshotsIn } from './harness.ts';

const shot = screenshotsIn(process.env.E2E_SHOTS ?? join('test-results', 'sites'));

interface Row { id: string; marginalDemand: number; coveragePct: number; huffCaptured: number; cannibalised: number; robustnessPct: number; moved: boolean; origin: string; nearestCompetitorM: number }
interface Snap {
  busy: boolean;
  error: string | null;
  run: { runId: number; objective: string; siteType: string; radiusM: number; demandPoints: number; candidates: number; timings: Record<string, number> } | null;
  scenario: {
    version: number;
    added: { id: string; lon: number; lat: number }[];
    own: { id: string; lon: number; lat: number }[];
    rows: Row[];
    totals: { coveragePct: number; ownSharePct: number; existingCoveredDemand: number; totalDemand: number; coveredDemand: number };
  } | null;
  live: { coveragePct: number; ownSharePct: number; siteCaptured: number; computeMs: number } | null;
  dragStats: { n: number; meanMs: number; medianMs: number; maxMs: number; lastMs: number; meanComputeMs: number };
  closure: { closedIds: string[]; access: { population: { beforePct: number; afterPct: number; breached: boolean } | null; customers: { beforePct: number; afterPct: number; breached: boolean } | null } } | null;
}

const snap = (page: Page) => page.evaluate(() => (window as unknown as { __bpSites: unknown }).__bpSites) as Promise<Snap>;

describe('sites workflow on the demo city', () => {
  let page: Page;
  const { session: s, another } = demoApp({
    viewport: { width: 1400, height: 900 },
    async ready(session) {
      page = session.page;
      await page.getByTestId('tab-sites').click();
      await page.waitForSelector('[data-testid="sites-run"]', { timeout: 10_000 });
    },
  });

  it('recommends five branches in rank order with the ranked list and the map layers', async () => {
    const t0 = Date.now();
    await page.getByTestId('sites-run').click();
    await page.waitForSelector('[data-testid="sites-row-5"]', { timeout: 120_000 });
    const wallMs = Date.now() - t0;
    const v = await snap(page);
    assert.equal(v.error, null);
    assert.ok(v.run && v.scenario);
    assert.equal(v.run.objective, 'coverage');
    assert.equal(v.scenario.rows.length, 5);
    // DESIGN.md order: marginal gains never increase, cumulative coverage grows with each rank
    const rows = v.scenario.rows;
    for (let r = 1; r < rows.length; r++) {
      assert.ok(rows[r].marginalDemand <= rows[r - 1].marginalDemand + 1e-9, `rank ${r + 1} gains more than rank ${r}`);
      assert.ok(rows[r].coveragePct > rows[r - 1].coveragePct);
    }
    const t = v.scenario.totals;
    assert.ok(t.coveragePct > (100 * t.existingCoveredDemand) / t.totalDemand, 'new sites add coverage');
    for (const r of rows) {
      assert.ok(r.huffCaptured > 0 && r.robustnessPct >= 0 && r.robustnessPct <= 100 && r.nearestCompetitorM > 0);
    }
    // the list shows the same numbers
    const shown = await page.getByTestId('sites-row-1-coverage').textContent();
    assert.match(shown ?? '', new RegExp(rows[0].coveragePct.toFixed(2).replace('.', '\\.')));
    // the map draws the demand at the customers' own locations, rings, the numbered markers and their names
    const ids = await page.evaluate(() => (window as unknown as { __bpMap: { __deck: { props: { layers: { id: string }[] } } } }).__bpMap.__deck.props.layers.map((l) => l.id));
    for (const id of ['sites-points', 'sites-rings-own', 'sites-rings-new', 'sites-new-disc', 'sites-new-label', 'sites-new-names', 'sites']) assert.ok(ids.includes(id), `layer ${id} missing (${ids.join(', ')})`);
    await page.waitForTimeout(800);
    await shot(page, '01-recommendation.png');
    console.log(`recommendation: ${wallMs} ms wall (first run includes placing 200k customers on the grid); worker timings ${JSON.stringify(v.run.timings)}`);
  });

  it('drags a recommended site: coverage and Huff share move while dragging, the list after the drop', async () => {
    // a round trip through another tab first: the map listeners and layers must come back
    await page.getByTestId('tab-risk').click();
    await page.waitForTimeout(500);
    await page.getByTestId('tab-sites').click();
    await page.waitForSelector('[data-testid="sites-row-5"]', { timeout: 10_000 });
    await page.waitForTimeout(500);
    const v0 = await snap(page);
    const site = v0.scenario!.added[0];
    const start = await mapToPage(page, [site.lon, site.lat]);
    const before = v0.scenario!.totals;
    await page.mouse.move(start.x, start.y);
    // frame intervals while dragging (software WebGL in headless Chromium)
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __frameStop: boolean };
      w.__frames = [];
      w.__frameStop = false;
      let last = performance.now();
      const tick = (t: number) => {
        w.__frames.push(t - last);
        last = t;
        if (!w.__frameStop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.mouse.down();
    const seen = new Set<string>();
    const steps = 24;
    for (let k = 1; k <= steps; k++) {
      // along a line to the south-west, ~6 px per step
      await page.mouse.move(start.x - 6 * k, start.y + 4 * k);
      await page.waitForTimeout(40);
      const live = (await snap(page)).live;
      if (live) seen.add(`${live.coveragePct.toFixed(4)}|${live.ownSharePct.toFixed(4)}`);
    }
    const frames = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __frameStop: boolean };
      w.__frameStop = true;
      return w.__frames.slice(1);
    });
    const mid = await snap(page);
    assert.ok(mid.live, 'live numbers while dragging');
    assert.ok(await page.getByTestId('sites-live').isVisible());
    await shot(page, '02-dragging.png');
    await page.mouse.up();
    await page.waitForFunction((v) => {
      const x = (window as unknown as { __bpSites: Snap }).__bpSites;
      return x.scenario && x.scenario.version > v && x.dragStats.n > 0 && !(x as unknown as { dragging: unknown }).dragging;
    }, v0.scenario!.version, { timeout: 10_000 });
    const v1 = await snap(page);
    assert.ok(seen.size >= 3, `numbers changed while dragging (${seen.size} distinct states)`);
    const row = v1.scenario!.rows[0];
    assert.equal(row.moved, true);
    assert.notEqual(v1.scenario!.totals.coveragePct, before.coveragePct);
    assert.notEqual(v1.scenario!.added[0].lon, site.lon);
    assert.ok(await page.getByTestId('sites-row-1').textContent().then((x) => /moved/.test(x ?? '')));
    const st = v1.dragStats;
    const sorted = [...frames].sort((a, b) => a - b);
    console.log(`frames while dragging: ${frames.length}, median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms; ${JSON.stringify(st)}`);
    // The budget is the update itself (≤ 50 ms per move): measured in the worker.
    // Pointer → numbers also waits for the UI thread, which a frame of the map keeps busy for
    // 100–800 ms under headless Chromium's software WebGL on a shared machine: the numbers
    // come before the map follows (sites-run.svelte.ts moveDrag). Median measured under load
    // (load average 10–13 on 2 cores): 830–934 ms when every move redrew the map first,
    // 5–16 ms since. A stalled frame moves the mean and the maximum, not the median.
    assert.ok(st.meanComputeMs < 50, `worker update ${st.meanComputeMs.toFixed(2)} ms (budget 50 ms)`);
    assert.ok(st.medianMs < 250, `pointer → numbers ${st.medianMs.toFixed(1)} ms median (bound 250 ms)`);
    assert.ok(st.meanMs < 1000, `pointer → numbers ${st.meanMs.toFixed(1)} ms on average`);
    const setupMs = (v1 as unknown as { dragSetupMs: number }).dragSetupMs;
    console.log(`drag: set-up ${setupMs.toFixed(0)} ms in the worker, then ${st.n} updates, pointer → numbers median ${st.medianMs.toFixed(1)} ms, mean ${st.meanMs.toFixed(1)} ms, max ${st.maxMs.toFixed(1)} ms; worker compute mean ${st.meanComputeMs.toFixed(2)} ms`);
    await page.waitForTimeout(500);
    await shot(page, '03-after-drag.png');
  });

  it('drops a new site on the map and compares scenarios A and B', async () => {
    await page.getByTestId('sites-save-A').click();
    const v0 = await snap(page);
    const n0 = v0.scenario!.added.length;
    await page.getByTestId('sites-drop-tool').click();
    // an uncovered spot: a little east of the last new site
    const last = v0.scenario!.added[n0 - 1];
    const p = await mapToPage(page, [last.lon + 0.03, last.lat - 0.02]);
    await page.mouse.click(p.x, p.y);
    await page.waitForFunction((n) => (window as unknown as { __bpSites: Snap }).__bpSites.scenario!.added.length === n + 1, n0, { timeout: 10_000 });
    const v1 = await snap(page);
    assert.equal(v1.scenario!.rows[n0].origin, 'dropped');
    assert.ok(v1.scenario!.totals.coveredDemand >= v0.scenario!.totals.coveredDemand);
    await page.getByTestId('sites-save-B').click();
    const table = await page.getByTestId('sites-compare-table').textContent();
    assert.match(table ?? '', /New sites/);
    await page.getByTestId('sites-compare').scrollIntoViewIfNeeded();
    await shot(page, '04-compare.png');
  });

  it('re-runs without an excluded site and outside an exclusion zone drawn on the map', async () => {
    const v0 = await snap(page);
    const excludedId = v0.scenario!.added[1].id;
    const zoneAt = v0.scenario!.added[2];
    await page.getByTestId('sites-row-2-exclude').click();
    await page.getByTestId('sites-params-toggle').click();
    await page.getByLabel('Exclusion zone radius in metres').fill('1200');
    await page.getByTestId('sites-zone-tool').click();
    const p = await mapToPage(page, [zoneAt.lon, zoneAt.lat]);
    await page.mouse.click(p.x, p.y);
    await page.waitForSelector('[data-testid="sites-zones"] li', { timeout: 5_000 });
    assert.match((await page.getByTestId('sites-constraints').textContent()) ?? '', new RegExp(excludedId));
    await page.getByTestId('sites-run').click();
    await page.waitForFunction((id) => ((window as unknown as { __bpSites: Snap }).__bpSites.run?.runId ?? 0) > id, v0.run!.runId, { timeout: 120_000 });
    const v1 = await snap(page);
    const ids = v1.scenario!.rows.map((r) => r.id);
    assert.ok(!ids.includes(excludedId), `${excludedId} was excluded`);
    for (const a of v1.scenario!.added) {
      const d = await page.evaluate(([a, b]) => {
        const R = 6371008.8, r = Math.PI / 180;
        const h = Math.sin(((b.lat - a.lat) * r) / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(((b.lon - a.lon) * r) / 2) ** 2;
        return 2 * R * Math.asin(Math.sqrt(h));
      }, [a, zoneAt] as const);
      assert.ok(d > 1200, `${a.id} is ${d.toFixed(0)} m from the zone centre`);
    }
    await page.waitForTimeout(500);
    await shot(page, '05-zone-rerun.png');
  });

  it('closes a branch: leakage, distance change and the access check respond', async () => {
    await page.getByTestId('sites-mode-closure').click();
    await page.waitForSelector('[data-testid="sites-rationalise"] tbody tr', { timeout: 60_000 });
    // The branch with the most demand no other branch of ours covers: closing it strands people.
    const id = await page.$$eval('[data-testid="sites-rationalise"] tbody tr', (trs) => {
      const rows = trs.map((tr) => ({
        id: tr.querySelector('input')!.getAttribute('data-testid')!.replace('sites-close-', ''),
        unique: Number(tr.querySelectorAll('td')[2].textContent!.replace(/[^\d.]/g, '')),
      }));
      return rows.sort((a, b) => b.unique - a.unique)[0].id;
    });
    await page.getByTestId(`sites-close-${id}`).check();
    await page.waitForFunction((id) => {
      const c = (window as unknown as { __bpSites: Snap }).__bpSites.closure;
      return !!c && c.closedIds.includes(id);
    }, id, { timeout: 30_000 });
    const c = (await snap(page)).closure!;
    const access = c.access.customers ?? c.access.population;
    assert.ok(access, 'an access check is shown');
    assert.ok(access.afterPct >= access.beforePct, 'closing a site never brings people closer');
    const leak = Number((await page.getByTestId('sites-leakage').textContent())?.replace(/[^\d.]/g, ''));
    assert.ok(leak > 0, 'demand leaks to competitors');
    await shot(page, '06-closure.png');

    // Put the limit between before and after: the check flags this closure as the breach.
    const what = c.access.customers ? 'customers' : 'population';
    assert.ok(access.afterPct > access.beforePct, `closing ${id} pushes people beyond the access distance`);
    const limit = (access.beforePct + access.afterPct) / 2;
    await page.getByTestId('sites-access-limit').fill(limit.toFixed(3));
    await page.waitForFunction((w) => document.querySelector(`[data-testid="sites-access-${w}"]`)?.getAttribute('data-breached') === 'true', what, { timeout: 10_000 });
    assert.match((await page.getByTestId(`sites-access-${what}`).textContent()) ?? '', /BREACHED/);
    await shot(page, '07-access-breached.png');
    // Re-opening the branch clears it.
    await page.getByTestId(`sites-close-${id}`).uncheck();
    await page.waitForFunction(() => (window as unknown as { __bpSites: Snap }).__bpSites.closure === null, null, { timeout: 10_000 });
  });

  it('solves exactly with HiGHS in the solver worker and reports the gap', async () => {
    await page.getByTestId('sites-mode-recommend').click();
    await page.getByTestId('sites-params-toggle').click();
    await page.getByTestId('sites-solver').selectOption('exact');
    await page.getByTestId('sites-time').fill('20');
    const before = (await snap(page)).run!.runId;
    await page.getByTestId('sites-run').click();
    await page.waitForFunction((id) => ((window as unknown as { __bpSites: Snap }).__bpSites.run?.runId ?? 0) > id, before, { timeout: 120_000 });
    const text = (await page.getByTestId('sites-exact').textContent()) ?? '';
    assert.match(text, /Exact: (optimal|stopped at the time limit), gap/);
    const v = await snap(page);
    assert.equal(v.scenario!.rows.length, 5);
    console.log(`exact: ${text.trim()}`);
  });

  it('cancels a long run (p-median) at once and stays usable', async () => {
    await page.getByTestId('sites-params-toggle').click();
    await page.getByTestId('sites-solver').selectOption('greedy');
    await page.getByTestId('sites-objective').selectOption('pmedian');
    const before = (await snap(page)).run!.runId;
    await page.getByTestId('sites-run').click();
    await page.waitForSelector('[data-testid="cancel"]', { timeout: 10_000 });
    await page.waitForTimeout(800);
    const t0 = Date.now();
    await page.getByTestId('cancel').click();
    await page.waitForFunction(() => !(window as unknown as { __bpSites: Snap }).__bpSites.busy, null, { timeout: 10_000 });
    const cancelMs = Date.now() - t0;
    assert.match((await page.getByTestId('status').textContent()) ?? '', /Cancelled/);
    assert.equal((await snap(page)).run!.runId, before, 'the cancelled run left the last result in place');
    // the next run works
    await page.getByTestId('sites-objective').selectOption('coverage');
    await page.getByTestId('sites-run').click();
    await page.waitForFunction((id) => ((window as unknown as { __bpSites: Snap }).__bpSites.run?.runId ?? 0) > id, before, { timeout: 60_000 });
    console.log(`cancel: ${cancelMs} ms from the click to idle`);
  });

  it('reopens from a permalink: the parameters come back and the recommendation runs again', async () => {
    const slice = { siteType: 'atm', k: 3, objective: 'coverage', solver: 'greedy', measure: 'customers', replicates: 0, zones: [{ lon: 121.47, lat: 31.23, radiusM: 600 }], ran: true };
    const hash = new URLSearchParams({ bp: '1', tab: 'sites', 's.sites': JSON.stringify(slice) }).toString();
    await another({ path: `/#${hash}`, viewport: { width: 1400, height: 900 } }, async (other) => {
      await other.page.waitForFunction(() => (window as unknown as { __bpSites?: Snap }).__bpSites?.scenario?.rows.length === 3, null, { timeout: 120_000 });
      const v = await other.page.evaluate(() => (window as unknown as { __bpSites: Snap }).__bpSites);
      assert.equal(v.run!.siteType, 'atm');
      assert.equal(v.run!.radiusM, 500);
      await other.page.getByTestId('sites-params-toggle').click();
      assert.match((await other.page.getByTestId('sites-zones').textContent()) ?? '', /600 m/);
      assert.equal(await other.page.getByTestId('sites-k').inputValue(), '3');
      assert.deepEqual(other.errors, []);
    });
  });

  it('changes β under the Huff model (advanced), re-runs, and the Huff share in the ranked list moves', async () => {
    const v0 = await snap(page);
    const shown0 = (await page.getByTestId('sites-row-1-huff').textContent()) ?? '';
    if (!(await page.getByTestId('sites-k').isVisible())) await page.getByTestId('sites-params-toggle').click();
    await page.getByTestId('sites-huff-toggle').click();
    assert.equal(await page.getByTestId('sites-huff-beta').inputValue(), '2');
    // out of range: said next to the input, and Run waits
    await page.getByTestId('sites-huff-beta').fill('9');
    await page.getByTestId('sites-huff-beta-error').waitFor({ timeout: 5_000 });
    assert.ok(await page.getByTestId('sites-run').isDisabled());
    await page.getByTestId('sites-huff-beta').fill('1');
    assert.ok(await page.getByTestId('sites-huff-changed').isVisible(), 'an edit after a run is flagged');
    await page.getByTestId('sites-run').click();
    await page.waitForFunction((id) => ((window as unknown as { __bpSites: Snap }).__bpSites.run?.runId ?? 0) > id, v0.run!.runId, { timeout: 120_000 });
    const v1 = await snap(page);
    // coverage picks the same sites whatever β is: only the Huff numbers may differ
    assert.deepEqual(v1.scenario!.rows.map((r) => r.id), v0.scenario!.rows.map((r) => r.id));
    const h0 = v0.scenario!.rows[0].huffCaptured, h1 = v1.scenario!.rows[0].huffCaptured;
    assert.ok(Math.abs(h1 - h0) > 1e-6 * h0, `Huff capture of ${v1.scenario!.rows[0].id}: ${h0} at β 2, ${h1} at β 1`);
    const shown1 = (await page.getByTestId('sites-row-1-huff').textContent()) ?? '';
    assert.notEqual(shown1, shown0);
    console.log(`β 2 → 1: rank 1 ${v1.scenario!.rows[0].id} "${shown0.trim()}" → "${shown1.trim()}"`);
    await shot(page, '08-huff-beta.png');
    await page.getByTestId('sites-params-toggle').click();
    await page.getByTestId('sites-huff-toggle').click();
    await page.getByTestId('sites-huff-reset').click();
  });

  it('still shows the site symbols on a map pitched to 60°', async () => {
    const v = await snap(page);
    const site = v.scenario!.added[0];
    await page.evaluate(([lon, lat]) => (window as unknown as { __bpMap: { jumpTo(o: object): void } }).__bpMap.jumpTo({ center: [lon, lat], zoom: 13, pitch: 60, bearing: 20 }), [site.lon, site.lat] as [number, number]);
    await page.waitForFunction(() => {
      const m = (window as unknown as { __bpMap: { loaded(): boolean; areTilesLoaded(): boolean; getPitch(): number } }).__bpMap;
      return m.loaded() && m.areTilesLoaded() && Math.abs(m.getPitch() - 60) < 0.5;
    }, null, { timeout: 20_000 });
    await page.waitForTimeout(800);
    // pixels of the rank-1 marker's colour within 12 px of where the site projects
    const color = await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid="sites-row-1"] .rank')!).backgroundColor);
    const rgb = color.match(/\d+/g)!.map(Number);
    const n = await mapPixelsNear(page, [site.lon, site.lat], rgb, 12);
    await shot(page, '09-pitched.png');
    console.log(`pitched 60°: ${n} pixels of the rank-1 marker colour rgb(${rgb.join(',')}) around ${site.id}`);
    // a 22 px disc facing the camera is ~300 px² at dpr 1; lying flat at 60° it would be half that, and clipped by cells less
    assert.ok(n >= 100, `rank-1 marker visible on the pitched map (${n} pixels)`);
    await page.evaluate(() => (window as unknown as { __bpMap: { jumpTo(o: object): void } }).__bpMap.jumpTo({ pitch: 0, bearing: 0 }));
  });

  it('stays offline and error-free', () => {
    assert.deepEqual(s.external, []);
    assert.deepEqual(s.errors, []);
  });
});
