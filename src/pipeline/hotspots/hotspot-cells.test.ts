/**
 * The app's demand-cells route (import kind "Demand cells" → HotspotWorkflow on `demand_cells`),
 * run as the browser runs it (DbApi on duckdb-wasm): a demand-cell file written by the CLI's
 * `aggregate` from demo-city customers gives exactly the hotspots the app computes from those
 * customers' rows — counts, a filtered sum, two resolutions — from Parquet (hex h3) and from a
 * warehouse-shaped CSV (integer h3, only the needed columns). Also: the loader's checks on a
 * damaged cell table, and siting counts at a resolution the table lacks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Geometry } from 'geojson';
import { DuckDBInstance } from '@duckdb/node-api';
import { cellToParent, getResolution } from 'h3-js';
import { DbApi, type LoadOutcome } from '../dataset/db-api.ts';
import { createNodeWasmConnector } from '../../db/node-wasm.ts';
import { HotspotWorkflow } from './hotspot-workflow.ts';
import { CellsResolutionError, nearestHeld, type HotspotPipeline } from './hotspot-pipeline.ts';
import { cellsAtResolution } from './hotspot-cells.ts';
import { bigintToH3, h3ToBigint } from '../../core/grid.ts';
import type { LoadInput } from '../../data/types.ts';
import { parseParams, type ReasonCode } from '../../data/reject-reasons.ts';
import { englishReason } from '../../../test/fixtures/reason-text.ts';
import { ROOT, QUEUED_TIMEOUT_MS, runCli, useTempDir } from '../../cli/cli-test-helpers.ts';

const tempDir = useTempDir('hotspot-cells-');
const N = 20_000;
const TIMEOUT = 2 * QUEUED_TIMEOUT_MS;
const AREAS = join(ROOT, 'public/demo/areas.geojson');
let dir: string;

const file = (kind: LoadInput['kind'], path: string): LoadInput => ({ kind, fileName: path.split('/').pop()!, bytes: new Uint8Array(readFileSync(path)) });

async function open(inputs: LoadInput[], key: string): Promise<{ api: DbApi; wf: HotspotWorkflow; pipe: HotspotPipeline; outcome: LoadOutcome }> {
  const api = new DbApi(() => createNodeWasmConnector(), async () => new Uint8Array());
  const outcome = await api.loadFiles(inputs, {}, 1);
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => `${p.file}: ${p.message}`).join('\n'));
  const areas = JSON.parse(readFileSync(AREAS, 'utf8')) as { features: { geometry: Geometry }[] };
  const wf = new HotspotWorkflow(api);
  return { api, wf, pipe: wf.open(key, areas.features.map((f) => f.geometry)), outcome };
}

const request = (resolution: number, measure: 'count' | 'sum' = 'count') => ({ resolution, rings: 1, statistic: 'gi' as const, measure, fdr: true, permutations: 0, seed: 1 });

describe('demand cells in the app: hotspots equal those of the raw customers (demo city)', () => {
  let raw: Awaited<ReturnType<typeof open>>;
  let cells: Awaited<ReturnType<typeof open>>;
  let warehouse: Awaited<ReturnType<typeof open>>;

  beforeAll(async () => {
    dir = tempDir();
    const customers = join(dir, 'customers.csv');
    const gen = spawnSync(process.execPath, ['--import', 'tsx', 'demo/generate.ts', '--customers', String(N), '--out', customers], { cwd: ROOT });
    expect(gen.status, String(gen.stderr)).toBe(0);
    const pq = join(dir, 'cells.parquet');
    const r = await runCli(['aggregate', '--areas', AREAS, '--customers', customers, '--resolution', '8,9', '--by', 'segment', '--out', pq]);
    expect(r.code, r.stderr).toBe(0);
    // A warehouse's table: integer h3, CSV, the group column and one summed column only, rows shuffled.
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const csv = join(dir, 'warehouse_cells.csv');
    await db.run(`COPY (SELECT CAST(('0x' || h3) AS UBIGINT) AS h3, resolution, segment, count, sum_balance, n_balance FROM read_parquet('${pq}') ORDER BY hash(h3, segment))
      TO '${csv}' (FORMAT csv, HEADER true)`);
    db.closeSync();
    raw = await open([file('areas', AREAS), file('customers', customers)], 'raw');
    cells = await open([file('areas', AREAS), file('demand_cells', pq)], 'cells');
    warehouse = await open([file('areas', AREAS), file('demand_cells', csv)], 'wh');
  }, TIMEOUT);
  afterAll(async () => {
    for (const x of [raw, cells, warehouse]) {
      x?.wf.dispose();
      await (await x?.api.init())?.close();
    }
  });

  it('loads the cell table as the demand_cells kind, every row kept', async () => {
    expect(cells.outcome.ok && cells.outcome.summary.counts).toMatchObject({ customers: 0, demand_cells: expect.any(Number) });
    const [{ n, res }] = await cells.api.query<{ n: number; res: string }>(
      `SELECT CAST(sum(count) AS INTEGER) AS n, string_agg(DISTINCT CAST(resolution AS VARCHAR), ',' ORDER BY CAST(resolution AS VARCHAR)) AS res FROM demand_cells`,
    );
    expect(n).toBe(2 * N);
    expect(res).toBe('8,9');
    expect(await cells.pipe.demandSource()).toEqual({ kind: 'cells', resolutions: [8, 9] });
    expect(await raw.pipe.demandSource()).toEqual({ kind: 'customers' });
    const cols = await cells.pipe.customerColumns();
    expect(cols.filter((c) => c.numeric).map((c) => c.name)).toEqual(['age', 'balance', 'loan_balance', 'default_flag', 'digital_active']);
    expect(cols.filter((c) => !c.numeric).map((c) => c.name)).toEqual(['segment']);
    expect(await cells.pipe.distinctValues('segment', 10)).toEqual(await raw.pipe.distinctValues('segment', 10));
  }, TIMEOUT);

  for (const resolution of [8, 9]) {
    it(`counts at resolution ${resolution}: same values, z, p and classes`, async () => {
      await raw.pipe.ensureAssigned(resolution);
      const info = await cells.pipe.ensureAssigned(resolution);
      expect(info.rows).toBe(N);
      const a = await raw.pipe.compute(request(resolution), { value: { kind: 'count' } });
      for (const other of [cells, warehouse]) {
        const b = await other.pipe.compute(request(resolution), { value: { kind: 'count' } });
        expect(b.values).toEqual(a.values);
        expect(b.z).toEqual(a.z);
        expect(b.p).toEqual(a.p);
        expect(b.classCode).toEqual(a.classCode);
        expect(b.customersOutside).toBe(a.customersOutside);
      }
    }, TIMEOUT);
  }

  it('a segment-filtered balance sum: same values (to rounding of the summation order) and classes', async () => {
    const agg = { value: { kind: 'sum' as const, column: 'balance' }, filter: { segments: ['young'] } };
    const a = await raw.pipe.compute(request(9, 'sum'), agg);
    expect(a.values.some((v) => v > 0)).toBe(true);
    for (const other of [cells, warehouse]) {
      const b = await other.pipe.compute(request(9, 'sum'), agg);
      for (let i = 0; i < a.values.length; i++) expect(Math.abs(b.values[i] - a.values[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a.values[i])));
      for (let i = 0; i < a.z.length; i++) if (Number.isFinite(a.z[i])) expect(b.z[i]).toBeCloseTo(a.z[i], 9);
      expect(b.classCode).toEqual(a.classCode);
    }
  }, TIMEOUT);

  it('the area profile (typology) sums equal the raw customers\'', async () => {
    await raw.pipe.ensureAssigned(8);
    const a = await raw.pipe.areaProfile(8, ['balance'], ['young']);
    const b = await cells.pipe.areaProfile(8, ['balance'], ['young']);
    expect(b[0]).toEqual(a[0]);
    expect(b[3]).toEqual(a[3]);
    for (let i = 0; i < a[1].length; i++) expect(b[1][i]).toBeCloseTo(a[1][i], 2);
  }, TIMEOUT);

  it('refuses a resolution the file does not hold, naming the ones it does', async () => {
    await expect(cells.pipe.ensureAssigned(7)).rejects.toThrow(CellsResolutionError);
    await expect(cells.pipe.ensureAssigned(7)).rejects.toThrow(/resolution 8, 9, not 7/);
  }, TIMEOUT);

  it('siting counts at another resolution: finer rolled up (nearly the assignment), coarser at centre children', async () => {
    expect(nearestHeld([8, 9], 7)).toBe(8);
    expect(nearestHeld([8, 9], 10)).toBe(9);
    await raw.pipe.ensureAssigned(7);
    const exact = await raw.pipe.customerCounts(7);
    const rolled = await cells.pipe.customerCounts(7);
    const asMap = (c: { cells: BigUint64Array; counts: Float64Array }) => new Map([...c.cells].map((x, i) => [x, c.counts[i]]));
    // H3 children do not tile their parent: a few customers near edges land in a neighbour.
    const a = asMap(exact);
    const b = asMap(rolled);
    const total = (m: Map<bigint, number>) => [...m.values()].reduce((s, x) => s + x, 0);
    expect(total(b)).toBe(total(a));
    const moved = [...new Set([...a.keys(), ...b.keys()])].reduce((s, k) => s + Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0)), 0) / 2;
    expect(moved).toBeGreaterThan(0);
    expect(moved / N).toBeLessThan(0.05);
    const fine = await cells.pipe.customerCounts(10);
    expect(fine.counts.reduce((s, x) => s + x, 0)).toBe(N);
    expect(new Set([...fine.cells].map((c) => getResolution(bigintToH3(c))))).toEqual(new Set([10]));
    const c9 = [...fine.cells].map((c) => cellToParent(bigintToH3(c), 9));
    expect(new Set(c9).size).toBe(fine.cells.length); // one centre child per res-9 cell
  }, TIMEOUT);
});

describe('cellsAtResolution', () => {
  it('rolls children up to their parent and puts a parent at its centre child', () => {
    // two children of 8831aa5a4dfffff (h3-js cellToChildren)
    const parent = '8831aa5a4dfffff';
    const kids = ['8931aa5a4c3ffff', '8931aa5a4c7ffff'].map((k) => (cellToParent(k, 8) === parent ? k : null));
    expect(kids.every(Boolean)).toBe(true);
    const up = cellsAtResolution(BigUint64Array.from(kids.map((k) => h3ToBigint(k!))), Float64Array.of(3, 4), 8);
    expect([...up.cells].map(bigintToH3)).toEqual([parent]);
    expect([...up.counts]).toEqual([7]);
    const down = cellsAtResolution(BigUint64Array.of(h3ToBigint(parent)), Float64Array.of(5), 9);
    expect(cellToParent(bigintToH3(down.cells[0]), 8)).toBe(parent);
    expect([...down.counts]).toEqual([5]);
  });
});

describe('loading a damaged demand-cell table', () => {
  let api: DbApi;
  beforeAll(() => {
    api = new DbApi(() => createNodeWasmConnector(), async () => new Uint8Array());
  });
  afterAll(async () => (await api.init()).close());

  it('rejects each bad row naming line, column and reason, and keeps the good ones', async () => {
    const csv = [
      'h3,resolution,segment,count,sum_balance,n_balance',
      '8831aa5a4dfffff,8,young,3,30.5,3', // good
      '8931aa5a4c3ffff,9,young,2,10,2', // good, integer-free hex at 9
      'zz31aa5a4dfffff,8,young,1,1,1', // not hex
      '8931aa5a4c3ffff,8,young,1,1,1', // a res-9 cell on a res-8 row
      '8831aa5a4dfffff,16,young,1,1,1', // resolution out of range
      '8831aa5a4dfffff,8,family,-1,1,1', // negative count
      '8831aa5a4dfffff,8,family,2.5,1,1', // fractional count
      '8831aa5a4dfffff,8,young,4,1,1', // repeats (cell, resolution, segment) of line 2
      `${h3ToBigint('8831aa5a4dfffff')},8,senior,6,60,6`, // integer h3: good
    ].join('\n');
    const o = await api.loadFiles([{ kind: 'demand_cells', fileName: 'cells.csv', bytes: new TextEncoder().encode(csv) }], {}, 1);
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.summary.counts.demand_cells).toBe(3);
    const rows = await api.query<{ line: number; column: string; reason: string; params: string }>(`SELECT line, "column", reason, params FROM rejects ORDER BY line`);
    const rejects = rows.map((r) => ({ ...r, reason: englishReason({ reason: r.reason as ReasonCode, params: parseParams(r.params) }) }));
    expect(rejects.map((r) => [r.line, r.column])).toEqual([[4, 'h3'], [5, 'h3'], [6, 'resolution'], [7, 'count'], [8, 'count'], [9, 'h3,resolution,segment']]);
    expect(rejects[0].reason).toMatch(/not an H3 cell index/);
    expect(rejects[1].reason).toMatch(/resolution/);
    expect(rejects[5].reason).toMatch(/duplicate.*first on line 2/);
    const kept = await api.query<{ h3: bigint; segment: string }>(`SELECT h3, segment FROM demand_cells ORDER BY segment, h3`);
    expect(kept.map((r) => [bigintToH3(BigInt(r.h3)), r.segment])).toEqual([['8831aa5a4dfffff', 'senior'], ['8831aa5a4dfffff', 'young'], ['8931aa5a4c3ffff', 'young']]);
  }, TIMEOUT);
});
