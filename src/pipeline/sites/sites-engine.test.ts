/**
 * SitesEngine as the analysis worker runs it, on the CLI fixture (test/fixtures/sites) with the
 * hotspot engine's study grid: a run, the scenario edits (drag, drop, remove, reset), closure
 * and rationalisation; and the worker runner's cancel, which terminates the solver worker.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Geometry } from 'geojson';
import { assignCells } from '../../core/grid.ts';
import { HotspotEngine } from '../hotspots/hotspot-engine.ts';
import { SitesEngine, type CustomerCountsFn, type RunRequest } from './sites-engine.ts';
import { localRunner, workerRunner, type SolveWorkerMessage } from './sites-runner.ts';
import type { NetworkSites } from './sites-model.ts';
import type { PipelineSource, SitesRunRequest } from './sites-pipeline.ts';

const FIX = join(resolve(import.meta.dirname, '../../..'), 'test/fixtures/sites');
const csv = (name: string) => {
  const [head, ...lines] = readFileSync(join(FIX, name), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
};

/** Customers per cell, as DuckDB would total them over the assignment. */
function customerTotals(): { cells: BigUint64Array; counts: Float64Array } {
  const cust = csv('customers.csv');
  const cells = assignCells(cust.map((r) => +r.lon), cust.map((r) => +r.lat), 8);
  const totals = new Map<bigint, number>();
  for (const cell of cells) totals.set(cell, (totals.get(cell) ?? 0) + 1);
  return { cells: BigUint64Array.from(totals.keys()), counts: Float64Array.from(totals.values()) };
}

function engine(customerCounts?: CustomerCountsFn): SitesEngine {
  const fc = JSON.parse(readFileSync(join(FIX, 'areas.geojson'), 'utf8')) as GeoJSON.FeatureCollection;
  const grids = new HotspotEngine();
  grids.setAreas('k', fc.features.map((f) => f.geometry as Geometry));
  const e = new SitesEngine({ gridOf: (r) => grids.grid(r), runner: localRunner, customerCounts });
  const s = csv('sites.csv');
  const network: NetworkSites = {
    id: s.map((r) => r.site_id), lon: Float64Array.from(s, (r) => +r.lon), lat: Float64Array.from(s, (r) => +r.lat),
    type: s.map((r) => r.type), owner: s.map((r) => r.owner), attractiveness: Float64Array.from(s, (r) => +r.attractiveness),
  };
  const c = csv('candidates.csv');
  e.setInputs('k', {
    network,
    candidatesFile: { id: c.map((r) => r.site_id), lon: Float64Array.from(c, (r) => +r.lon), lat: Float64Array.from(c, (r) => +r.lat) },
    areaPopulation: Float64Array.from([1200]),
  });
  if (customerCounts) return e;
  const { cells, counts } = customerTotals();
  expect(e.setCustomerTotals('k', 8, cells, counts)).toEqual({ customers: 25, outsideCustomers: 1 });
  return e;
}

const REQ: RunRequest = { resolution: 8, siteType: 'branch', demand: { measure: 'customers' }, objective: 'coverage', solver: 'greedy', k: 2, replicates: 10 };
const signal = () => new AbortController().signal;

describe('SitesEngine', () => {
  it('runs a recommendation and evaluates it as the ranked list shows it', async () => {
    const e = engine();
    const v = await e.run(REQ, signal(), () => {});
    expect(v.outcome.rows.map((r) => [r.id, r.marginal, r.cumulative])).toEqual([['K_BC', 12, 22], ['K_D', 3, 25]]);
    expect(v.demand.count).toBe(4);
    expect(v.own.id).toEqual(['OB1']);
    expect(v.scenario.eval.rows.map((r) => r.marginalDemand)).toEqual([12, 3]);
    expect(v.scenario.added.map((a) => a.robustnessPct)).toEqual(Array.from(v.robustnessPct));
    expect(v.robustnessPct[0]).toBe(100);
  });

  it('drags, drops, removes and resets; each edit re-evaluates the scenario', async () => {
    const e = engine();
    const v = await e.run(REQ, signal(), () => {});
    const start = e.dragStart({ kind: 'added', index: 1 });
    expect(start.update.coveredDemand).toBe(25);
    // K_D moved 3 km north-west no longer covers D
    const away = e.dragMove(121.52, 31.16);
    expect(away.coveredDemand).toBe(22);
    const s1 = e.dragEnd(121.52, 31.16);
    expect(s1.version).toBeGreaterThan(v.scenario.version);
    expect(s1.added[1]).toMatchObject({ id: 'K_D-moved', candidate: -1 });
    expect(Number.isNaN(s1.added[1].robustnessPct)).toBe(true);
    expect(s1.eval.totals.coveredDemand).toBe(22);
    const s2 = e.dropSite(121.547032, 31.141186);
    expect(s2.added.map((a) => a.id)).toEqual(['K_BC', 'K_D-moved', 'new-1']);
    expect(s2.eval.rows[2]).toMatchObject({ origin: 'dropped', marginalDemand: 3 });
    const s3 = e.removeAdded(0);
    expect(s3.eval.totals.coveredDemand).toBe(13);
    // our own branch can be dragged too
    e.dragStart({ kind: 'own', index: 0 });
    e.dragEnd(121.46, 31.2);
    const s4 = e.resetScenario();
    expect(s4.added.map((a) => a.id)).toEqual(['K_BC', 'K_D']);
    expect(s4.ownLon[0]).toBeCloseTo(121.45587, 9);
    expect(s4.eval.totals.coveredDemand).toBe(25);
  });

  it('carries the run’s Huff parameters into the ranked list, the live drag and closure', async () => {
    const at = async (huff?: RunRequest['huff']) => {
      const e = engine();
      const v = await e.run({ ...REQ, replicates: 0, huff }, signal(), () => {});
      e.dragStart({ kind: 'added', index: 0 });
      const live = e.dragMove(121.466, 31.206); // still within reach of the competitor at C
      const done = e.dragEnd(121.466, 31.206);
      return { e, row: v.scenario.eval.rows[0], live, done };
    };
    const def = await at();
    const b1 = await at({ alpha: 1, beta: 1, cutoffM: 5000, minDistanceM: 100 });
    expect(b1.row.id).toBe(def.row.id);
    expect(b1.row.huffCaptured).not.toBeCloseTo(def.row.huffCaptured, 3);
    expect(b1.live.ownCaptured).not.toBeCloseTo(def.live.ownCaptured, 3);
    // the live numbers are the full evaluation's with the same parameters
    expect(b1.live.ownCaptured).toBeCloseTo(b1.done.eval.totals.ownCaptured, 9);
    expect(def.live.ownCaptured).toBeCloseTo(def.done.eval.totals.ownCaptured, 9);
    const base = { resolution: 8, siteType: 'branch' as const, measure: 'customers' as const, close: ['OB1'] };
    expect((await def.e.closure(base)).huff).toEqual({ alpha: 1, beta: 2, cutoffM: 5000, minDistanceM: 100 });
    expect((await def.e.closure({ ...base, huff: { alpha: 0.5, beta: 3, cutoffM: 2000, minDistanceM: 50 } })).huff).toEqual({ alpha: 0.5, beta: 3, cutoffM: 2000, minDistanceM: 50 });
  });

  it('closes a site: leakage, distance change and the access check (customers per cell when there are no points)', async () => {
    const e = engine();
    const base = { resolution: 8, siteType: 'branch' as const, measure: 'customers' as const, accessDistanceM: 1600, maxSharePct: 70 };
    const c = await e.closure({ ...base, close: ['OB1'] });
    // A (10 customers) loses its only own branch within reach; nobody else reaches A
    expect(c.ownCapturedBefore).toBeCloseTo(10, 9);
    expect(c.ownCapturedAfter).toBe(0);
    expect(c.becomesUnreached).toBeCloseTo(10, 9);
    expect(c.access.customers).toMatchObject({ beforePct: 60, afterPct: 100, breached: true, overLimit: true });
    // population potential is spread over every cell: nearly all beyond 1.6 km before and after
    expect(c.access.population!.afterPct).toBeGreaterThanOrEqual(c.access.population!.beforePct);
    expect(c.map.status.filter((s) => s === 2).length).toBeGreaterThan(0);
    expect(c.warnings.map((w) => w.code)).toEqual(['no_own_site_left']);
    // where its customers go: nobody picks A up, all 10 are left unreached, and newly beyond 1.6 km
    expect(c.flows.released).toBeCloseTo(10, 9);
    expect(c.flows.recipients).toEqual([]);
    expect(c.flows.unreached).toBeCloseTo(10, 9);
    expect(c.flows.newlyBeyondDemand).toBeGreaterThan(0);
    expect(c.map.catchment.reduce((t, x) => t + x, 0)).toBeCloseTo(10, 9);
    await expect(e.closure({ ...base, close: ['XB1'] })).rejects.toThrow(/not one of our branch sites/);
    const rat = await e.rationalise(base);
    expect(rat.map((r) => [r.id, r.coveredDemand, r.uniqueDemand])).toEqual([['OB1', 10, 10]]);
  });

  it('takes customers per cell from its source once per dataset and resolution', async () => {
    const asked: string[] = [];
    const e = engine(async (key, resolution) => {
      asked.push(`${key}@${resolution}`);
      return customerTotals();
    });
    expect(e.hasCustomerCells('k', 8)).toBe(false);
    expect(await e.ensureCustomers('k', 8)).toEqual({ customers: 25, outsideCustomers: 1 });
    expect(await e.ensureCustomers('k', 8)).toEqual({ customers: 25, outsideCustomers: 1 });
    expect(asked).toEqual(['k@8']);
    const v = await e.run(REQ, signal(), () => {});
    expect(v.outcome.rows.map((r) => r.id)).toEqual(['K_BC', 'K_D']);
  });

  it('forgets everything for another dataset', async () => {
    const e = engine();
    await e.run(REQ, signal(), () => {});
    expect(e.hasCustomerCells('k', 8)).toBe(true);
    e.setInputs('other', { network: { id: [], lon: new Float64Array(), lat: new Float64Array(), type: [], owner: [], attractiveness: new Float64Array() }, candidatesFile: null, areaPopulation: null });
    expect(e.hasCustomerCells('other', 8)).toBe(false);
    expect(() => e.resetScenario()).toThrow(/no recommendation/);
    await expect(e.run(REQ, signal(), () => {})).rejects.toThrow(/customers/);
  });
});

describe('workerRunner', () => {
  class FakeWorker {
    onmessage: ((e: MessageEvent) => void) | null = null;
    onerror: ((e: ErrorEvent) => void) | null = null;
    posted: unknown[] = [];
    terminated = false;
    postMessage(m: unknown) { this.posted.push(m); }
    terminate() { this.terminated = true; }
    reply(m: SolveWorkerMessage) { this.onmessage?.({ data: m } as MessageEvent); }
  }
  const src = {} as PipelineSource;
  const req = {} as SitesRunRequest;

  it('terminates the solver worker on cancel and rejects with AbortError', async () => {
    const spawned: FakeWorker[] = [];
    const run = workerRunner(() => { const w = new FakeWorker(); spawned.push(w); return w; });
    const ac = new AbortController();
    const progress: number[] = [];
    const p = run(src, req, ac.signal, (x) => progress.push(x.done));
    spawned[0].reply({ type: 'progress', progress: { stage: 'greedy', done: 2, total: 5 } });
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(spawned[0].terminated).toBe(true);
    expect(progress).toEqual([2]);
  });

  it('keeps an idle worker for the next run, and rebuilds input errors', async () => {
    const spawned: FakeWorker[] = [];
    const run = workerRunner(() => { const w = new FakeWorker(); spawned.push(w); return w; });
    const p1 = run(src, req, signal(), () => {});
    spawned[0].reply({ type: 'done', output: { ok: 1 } as never });
    await expect(p1).resolves.toEqual({ ok: 1 });
    const p2 = run(src, req, signal(), () => {});
    expect(spawned).toHaveLength(1);
    spawned[0].reply({ type: 'error', name: 'SitesInputError', message: 'no pop', code: 'no_population' });
    await expect(p2).rejects.toMatchObject({ name: 'SitesInputError', code: 'no_population' });
  });
});
