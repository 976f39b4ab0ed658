/**
 * Huff in the Sites tab at every customer's own location (issue 12): a Huff run on the demo
 * city (200k customers) reports our share, and each new site's captured demand, equal to the
 * core Huff model run here in Node on the same points and sites — nothing pooled into cells.
 * The run shows its stages (the Huff bounds, the model build) while it works. With the
 * default 20 bootstrap replicates, each site's robustness shows in the list.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoApp, screenshotsIn } from './harness.ts';
import { HuffModel } from '../../src/core/huff.ts';
import { demoBranches, demoCustomersInStudy } from './demo-data.ts';

const shot = screenshotsIn(process.env.E2E_SHOTS ?? join('test-results', 'sites-huff'));

interface Row { id: string; lon: number; lat: number; huffCaptured: number; robustnessPct: number }
interface Snap {
  busy: boolean;
  error: string | null;
  run: { runId: number; objective: string; demandAt: string; demandPoints: number; timings: { prepareMs: number; solveMs: number; evaluateMs: number } } | null;
  scenario: { rows: Row[]; totals: { ownSharePct: number; ownCaptured: number; owners: { owner: string; sharePct: number }[] } } | null;
}
const snap = (page: Page) => page.evaluate(() => (window as unknown as { __bpSites: unknown }).__bpSites) as Promise<Snap>;

describe('Huff at exact points', () => {
  let page: Page;
  demoApp({
    viewport: { width: 1400, height: 900 },
    async ready(session) {
      page = session.page;
      await page.getByTestId('tab-sites').click();
      await page.waitForSelector('[data-testid="sites-run"]', { timeout: 10_000 });
    },
  });

  it('reports the core Huff model\'s shares at the 200k customers\' own locations', async () => {
    if (!(await page.getByTestId('sites-k').isVisible())) await page.getByTestId('sites-params-toggle').click({ timeout: 10_000 });
    await page.getByTestId('sites-objective').selectOption('huff');
    await page.getByTestId('sites-k').fill('3');
    if (!(await page.getByTestId('sites-replicates').isVisible())) await page.getByTestId('sites-more').click();
    await page.getByTestId('sites-replicates').fill('0');
    await page.getByTestId('sites-run').click();
    const stages = new Set<string>();
    const t0 = Date.now();
    for (;;) {
      const v = await snap(page);
      if (v.run || (!v.busy && v.error)) break;
      const text = await page.getByTestId('status').textContent().catch(() => null);
      if (text) stages.add(text.trim());
      if (Date.now() - t0 > 600_000) throw new Error('the Huff run did not finish in 10 minutes');
      await page.waitForTimeout(250);
    }
    const v = await snap(page);
    assert.equal(v.error, null);
    assert.equal(v.run!.objective, 'huff');
    assert.equal(v.run!.demandAt, 'points');
    const customers = demoCustomersInStudy();
    const demand = { ...customers, weight: customers.lon.map(() => 1) };
    const sites = demoBranches();
    assert.equal(v.run!.demandPoints, demand.lon.length);
    const rows = v.scenario!.rows;
    assert.equal(rows.length, 3);
    const all = {
      lon: [...sites.lon, ...rows.map((r) => r.lon)], lat: [...sites.lat, ...rows.map((r) => r.lat)],
      owner: [...sites.owner, ...rows.map(() => 'own')], attractiveness: [...sites.attractiveness, ...rows.map(() => 1)],
    };
    const core = new HuffModel(demand, all).evaluate();
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-9, Math.abs(b));
    assert.ok(rel(v.scenario!.totals.ownSharePct, core.owners[0].sharePct) < 1e-9, `our share ${v.scenario!.totals.ownSharePct} vs core ${core.owners[0].sharePct}`);
    for (const o of v.scenario!.totals.owners) {
      const c = core.owners.find((x) => x.owner === o.owner)!;
      assert.ok(rel(o.sharePct, c.sharePct) < 1e-9, `${o.owner}: ${o.sharePct} vs ${c.sharePct}`);
    }
    rows.forEach((r, q) => assert.ok(rel(r.huffCaptured, core.siteCaptured[sites.lon.length + q]) < 1e-9, `${r.id} captures ${r.huffCaptured} vs ${core.siteCaptured[sites.lon.length + q]}`));
    const shown = (await page.getByTestId('sites-row-1-huff').textContent()) ?? '';
    assert.match(shown, /\d/);
    await page.waitForTimeout(800);
    await shot(page, '01-huff-points.png');
    console.log(`Huff at ${demand.lon.length} points: our share ${core.owners[0].sharePct.toFixed(3)} % (app = core); run ${((Date.now() - t0) / 1000).toFixed(1)} s in the browser (prepare ${v.run!.timings.prepareMs.toFixed(0)} ms, solve ${v.run!.timings.solveMs.toFixed(0)} ms, evaluate ${v.run!.timings.evaluateMs.toFixed(0)} ms); stages seen: ${[...stages].join(' | ')}`);
  });

  it('bootstraps a Huff recommendation with the default 20 replicates and shows each site\'s robustness', async () => {
    const before = (await snap(page)).run!.runId;
    if (!(await page.getByTestId('sites-k').isVisible())) await page.getByTestId('sites-params-toggle').click({ timeout: 10_000 });
    await page.getByTestId('sites-k').fill('5');
    if (!(await page.getByTestId('sites-replicates').isVisible())) await page.getByTestId('sites-more').click();
    await page.getByTestId('sites-replicates').fill('20');
    await page.getByTestId('sites-run').click();
    const t0 = Date.now();
    for (;;) {
      const v = await snap(page);
      if ((v.run && v.run.runId !== before && !v.busy) || (!v.busy && v.error)) break;
      if (Date.now() - t0 > 600_000) throw new Error('the Huff bootstrap did not finish in 10 minutes');
      await page.waitForTimeout(250);
    }
    const v = await snap(page);
    assert.equal(v.error, null);
    const rows = v.scenario!.rows;
    assert.equal(rows.length, 5);
    // 20 replicates: every robustness is a whole number of twentieths (5 % steps), in [0, 100].
    for (const r of rows) assert.ok(r.robustnessPct >= 0 && r.robustnessPct <= 100 && Math.abs(r.robustnessPct / 5 - Math.round(r.robustnessPct / 5)) < 1e-9, `${r.id}: ${r.robustnessPct}`);
    assert.match((await page.getByTestId('sites-row-1-robust').textContent()) ?? '', /\d+\s*%/);
    await page.waitForTimeout(800);
    await shot(page, '02-huff-bootstrap.png');
    console.log(`Huff k = 5 with 20 bootstrap replicates on the demo: ${((Date.now() - t0) / 1000).toFixed(1)} s in the browser; robustness ${rows.map((r) => r.robustnessPct).join(' / ')} %`);
  });
});
