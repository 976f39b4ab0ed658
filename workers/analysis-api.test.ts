/**
 * The analysis worker's pipelines wired as in the browser: a DbApi on duckdb-wasm served on
 * one end of a real MessageChannel (comlink), the AnalysisApi connected to the other. What
 * crosses the channel — customer coordinates, the assigned cells, the per-cell totals — must
 * give the same results as the workflow called directly on the same database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import type { Polygon } from 'geojson';
import { DbApi } from '../src/pipeline/dataset/db-api.ts';
import { createNodeWasmConnector } from '../src/db/node-wasm.ts';
import { HotspotWorkflow } from '../src/pipeline/hotspots/hotspot-workflow.ts';
import { silentTaskId } from '../src/pipeline/hotspots/hotspot-pipeline.ts';
import type { Progress } from '../src/pipeline/tasks.ts';
import { mulberry32 } from '../src/core/rng.ts';
import { AnalysisApi } from './analysis-api.ts';

const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const AREAS = [box(121.42, 31.21, 121.47, 31.25), box(121.47, 31.21, 121.52, 31.25)];

const N = 4000;
const rng = mulberry32(11);
const rows = Array.from({ length: N }, (_, i) => {
  const centre = rng() < 0.5;
  const [lon, lat] = centre ? [121.44 + rng() * 0.01, 31.23 + rng() * 0.01] : [121.41 + rng() * 0.12, 31.2 + rng() * 0.06];
  return { id: `c${i}`, lon, lat, segment: rng() < 0.3 ? 'young' : 'other', balance: Math.round(rng() * 1e6) / 100 };
});

describe('AnalysisApi across a MessageChannel to the DB worker', () => {
  let db: DbApi;
  let channel: MessageChannel;
  let api: AnalysisApi;
  let direct: HotspotWorkflow;

  beforeAll(async () => {
    db = new DbApi(() => createNodeWasmConnector(), async () => new Uint8Array());
    const values = rows.map((r) => `('${r.id}', ${r.lon}, ${r.lat}, '${r.segment}', ${r.balance})`).join(',');
    await db.query(`CREATE TABLE customers AS SELECT * FROM (VALUES ${values}) t(customer_id, lon, lat, segment, balance)`);
    await db.query(`CREATE TABLE sites AS SELECT * FROM (VALUES
      ('B1', 121.445, 31.235, 'branch', 'own', 1.0), ('B2', 121.50, 31.22, 'branch', 'own', 1.0), ('X1', 121.46, 31.24, 'branch', 'Rival', 2.0)
    ) t(site_id, lon, lat, type, owner, attractiveness)`);
    channel = new MessageChannel();
    Comlink.expose(db, channel.port1);
    api = new AnalysisApi();
    api.connectDb(channel.port2);
    api.hotspotsOpen('k', AREAS);
    direct = new HotspotWorkflow(db);
    direct.open('d', AREAS);
  }, 60_000);

  afterAll(async () => {
    channel?.port1.close();
    channel?.port2.close();
    direct?.dispose();
    await (await db?.init())?.close();
  });

  const request = { resolution: 8, rings: 1, statistic: 'gi' as const, measure: 'count' as const, fdr: true, permutations: 0, seed: 1 };

  it('assigns over the channel, with progress, and gives the direct path\'s totals and Gi*', async () => {
    const steps: Progress[] = [];
    const info = await api.hotspotsAssign('k', 8, silentTaskId(), (p) => steps.push(p));
    expect(info.rows).toBe(N);
    expect(info.join).toBe('positional');
    expect(steps.at(-1)).toEqual({ step: 'hotspots.step.assign', fraction: 1 });
    expect(api.hotspotsIsAssigned('k', 8)).toBe(true);

    const pipe = direct.dataset('d');
    await pipe.ensureAssigned(8);
    for (const agg of [{ value: { kind: 'count' as const } }, { value: { kind: 'sum' as const, column: 'balance' }, filter: { segments: ['young'] } }]) {
      const req = { ...request, measure: agg.value.kind };
      const viaChannel = await api.hotspotsCompute('k', req, agg, silentTaskId());
      const want = await pipe.compute(req, agg);
      expect(viaChannel.values).toEqual(want.values);
      expect(viaChannel.customers).toEqual(want.customers);
      expect(viaChannel.z).toEqual(want.z);
      expect(viaChannel.pFdr).toEqual(want.pFdr);
      expect(viaChannel.customersOutside).toBe(want.customersOutside);
      expect([...viaChannel.values].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
  });

  it('sums the customer profile per area over the channel', async () => {
    const via = await api.hotspotsAreaProfile('k', 8, ['balance'], ['young']);
    const want = await direct.dataset('d').areaProfile(8, ['balance'], ['young']);
    expect(via).toEqual(want);
  });

  it('fills the sites engine\'s customers from the pipeline\'s totals, in the worker', async () => {
    expect(await api.sitesOpen('k', null)).toEqual({ candidatesFile: false, demandPoints: false, costs: false });
    expect(api.sitesHasCustomerCells('k', 8)).toBe(false);
    const got = await api.sitesEnsureCustomers('k', 8, silentTaskId());
    const { cells, counts } = await direct.customerCounts('d', 8);
    let inGrid = 0;
    const study = new Set(direct.grid(8).h3.map((h) => BigInt('0x' + h)));
    cells.forEach((c, i) => (inGrid += study.has(c) ? counts[i] : 0));
    expect(got).toEqual({ customers: inGrid, outsideCustomers: N - inGrid });
    expect(api.sitesHasCustomerCells('k', 8)).toBe(true);
    const run = await api.sitesRun({ resolution: 8, siteType: 'branch', demand: { measure: 'customers' }, objective: 'coverage', solver: 'greedy', k: 2, replicates: 0 }, silentTaskId());
    // decided at every customer's own location (read from DuckDB here), not at cell centres
    expect(run.demand.at).toBe('points');
    expect(run.demand.count).toBe(inGrid);
    expect(run.demand.totalCustomers).toBe(inGrid);
    expect(run.demand.outsidePoints).toBe(N - inGrid);
    expect(run.outcome.rows.length).toBeGreaterThan(0);
  });

  it('ends calls for a dataset that is no longer open as cancelled', async () => {
    const other = new AnalysisApi();
    other.hotspotsOpen('old', AREAS);
    other.hotspotsOpen('new', AREAS);
    await expect(other.hotspotsAssign('old', 8, silentTaskId())).rejects.toThrow(/Cancelled/);
  });
});
