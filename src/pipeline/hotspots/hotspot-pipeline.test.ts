/**
 * The whole hotspot pipeline as the analysis worker runs it — HotspotWorkflow over DbApi on
 * duckdb-wasm, called directly — against the core functions on the same data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { DbApi } from '../dataset/db-api.ts';
import { HotspotWorkflow } from './hotspot-workflow.ts';
import { createNodeWasmConnector } from '../../db/node-wasm.ts';
import { assignCells, buildStudyGrid, gridNeighbours, locateCells } from '../../core/grid.ts';
import { aggregateByCell, customerMask } from '../../core/demand.ts';
import { giStar } from '../../core/getis-ord.ts';
import { mulberry32 } from '../../core/rng.ts';
import type { HotspotPipeline } from './hotspot-pipeline.ts';

const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const AREAS = [box(121.42, 31.21, 121.47, 31.25), box(121.47, 31.21, 121.52, 31.25)];
const SEGMENTS = ['young', 'family', 'senior'];

const N = 3000;
const rng = mulberry32(5);
const rows = Array.from({ length: N }, (_, i) => {
  const young = rng() < 0.4;
  const [lon, lat] = young && rng() < 0.7 ? [121.43 + rng() * 0.01, 31.22 + rng() * 0.01] : [121.42 + rng() * 0.1, 31.21 + rng() * 0.04];
  return { id: `c${i}`, lon, lat, segment: young ? 'young' : SEGMENTS[1 + Math.floor(rng() * 2)], balance: Math.round(rng() * 1e6) / 100 };
});

describe('HotspotWorkflow on duckdb-wasm', () => {
  let db: DbApi;
  let workflow: HotspotWorkflow;
  let pipe: HotspotPipeline;
  const grid = buildStudyGrid(AREAS.map((geometry) => ({ geometry })), 8);
  const nb = gridNeighbours(grid, 1);
  const index = locateCells(grid, assignCells(rows.map((r) => r.lon), rows.map((r) => r.lat), 8)).index;

  beforeAll(async () => {
    db = new DbApi(() => createNodeWasmConnector(), async () => new Uint8Array());
    // inserted in reverse so the table's row order differs from the array order
    const values = [...rows].reverse().map((r) => `('${r.id}', ${r.lon}, ${r.lat}, '${r.segment}', ${r.balance})`).join(',');
    await db.query(`CREATE TABLE customers AS SELECT * FROM (VALUES ${values}) t(customer_id, lon, lat, segment, balance)`);
    workflow = new HotspotWorkflow(db);
    pipe = workflow.open('k', AREAS);
  }, 60_000);
  afterAll(async () => {
    workflow?.dispose();
    await (await db?.init())?.close();
  });

  const request = { resolution: 8, rings: 1, statistic: 'gi' as const, measure: 'count' as const, fdr: false, permutations: 0, seed: 1 };

  it('assigns once per resolution, even for concurrent callers', async () => {
    expect(await pipe.customersAvailable()).toBe(true);
    const [a, b] = await Promise.all([pipe.ensureAssigned(8), pipe.ensureAssigned(8)]);
    expect(a).toBe(b);
    expect(a.rows).toBe(N);
    expect(a.join).toBe('positional');
    expect(pipe.isAssigned(8)).toBe(true);
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM derived_h3_r8');
    expect(n).toBe(N);
  });

  it('uses the cells DuckDB holds for these customers instead of assigning them again', async () => {
    await pipe.ensureAssigned(8);
    const again = new HotspotWorkflow(db);
    const info = await again.open('k-again', AREAS).ensureAssigned(8);
    expect(info).toMatchObject({ kept: true, rows: N, join: 'positional', assignMs: 0, invalid: 0 });
    expect(info.outside).toBe([...index].filter((i) => i < 0).length);
    const r = await again.dataset('k-again').compute(request, { value: { kind: 'count' } });
    expect(r.values).toEqual(aggregateByCell(index, grid.h3.length).values);
    again.dispose();
  });

  it('assigns again when the stored cells are not those of these customers', async () => {
    await pipe.ensureAssigned(8);
    // Another dataset's cells (same rows, the first customer's cell differs): found by the sample.
    await db.query('CREATE TABLE derived_h3_r9 AS SELECT rid, CASE WHEN rid = 0 THEN 0::UBIGINT ELSE cell END AS cell FROM derived_h3_r8');
    await db.query('CREATE OR REPLACE TABLE derived_h3_r8 AS SELECT * FROM derived_h3_r9');
    const again = new HotspotWorkflow(db);
    const info = await again.open('k-stale', AREAS).ensureAssigned(8);
    expect(info.kept).toBe(false);
    const r = await again.dataset('k-stale').compute(request, { value: { kind: 'count' } });
    expect(r.values).toEqual(aggregateByCell(index, grid.h3.length).values);
    // A table that is not row-aligned with the customers is not used either.
    await db.query('CREATE OR REPLACE TABLE derived_h3_r8 AS SELECT rid, cell FROM derived_h3_r8 ORDER BY rid DESC');
    const third = new HotspotWorkflow(db);
    expect((await third.open('k-rev', AREAS).ensureAssigned(8)).kept).toBe(false);
    again.dispose();
    third.dispose();
    await db.query('DROP TABLE derived_h3_r9');
  });

  it('gives the core\'s counts and Gi* for every study cell', async () => {
    const r = await pipe.compute(request, { value: { kind: 'count' } });
    const counts = aggregateByCell(index, grid.h3.length);
    expect(r.values).toEqual(counts.values);
    expect(r.customersOutside).toBe(counts.outside);
    expect(r.z).toEqual(giStar(counts.values, nb).z);
  });

  it('applies filters and sums in DuckDB', async () => {
    const r = await pipe.compute({ ...request, measure: 'sum' }, { value: { kind: 'sum', column: 'balance' }, filter: { segments: ['young'] } });
    const mask = customerMask(N, { segment: { values: rows.map((c) => c.segment), allowed: ['young'] } });
    const ref = aggregateByCell(index, grid.h3.length, { mask, value: rows.map((c) => c.balance) });
    for (let i = 0; i < grid.h3.length; i++) expect(r.values[i]).toBeCloseTo(ref.values[i], 6);
  });

  it('returns every cell as 0 and ns, with a reason, when the filter matches nobody', async () => {
    const r = await pipe.compute(request, { value: { kind: 'count' }, filter: { segments: ['nobody'] } });
    expect(r.values.length).toBe(grid.h3.length);
    expect([...r.values].every((v) => v === 0)).toBe(true);
    expect(r.notes.map((n) => n.code)).toContain('zero_variance');
  });

  it('sums the customer profile per area', async () => {
    const [customers, sum, n, young] = await pipe.areaProfile(8, ['balance'], ['young']);
    const located = rows.filter((_, i) => index[i] >= 0);
    const area = (r: (typeof rows)[number]) => grid.areaIndex[index[rows.indexOf(r)]];
    for (let a = 0; a < AREAS.length; a++) {
      const inA = located.filter((r) => area(r) === a);
      expect(customers[a]).toBe(inA.length);
      expect(n[a]).toBe(inA.length);
      expect(sum[a]).toBeCloseTo(inA.reduce((s, r) => s + r.balance, 0), 4);
      expect(young[a]).toBe(inA.filter((r) => r.segment === 'young').length);
    }
  });

  it('knows when there are no customer coordinates', async () => {
    await db.query('CREATE TABLE other AS SELECT 1 AS id');
    const other = new HotspotWorkflow(db, { tables: { customersTable: 'other' } });
    expect(await other.open('k2', AREAS).customersAvailable()).toBe(false);
    other.dispose();
  });

  it('ends calls for a dataset that is no longer open as cancelled', async () => {
    const w = new HotspotWorkflow(db);
    const first = w.open('a', AREAS);
    expect(w.open('a', AREAS)).toBe(first);
    w.open('b', AREAS);
    expect(() => w.dataset('a')).toThrow(/Cancelled/);
    await expect(first.ensureAssigned(8)).rejects.toThrow(/Cancelled/);
    w.dispose();
  });
});
