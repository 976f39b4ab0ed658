/**
 * Demand hotspots, the app's pipeline end to end on duckdb-wasm under Node (target: "1M
 * customers assigned and aggregated at resolution 8 ≤ 1.5 s in the worker"): customers'
 * coordinates out of DuckDB, H3 assignment on two threads (HotspotEngine + one helper
 * worker, as in the browser), the derived cell table back into DuckDB, the per-cell GROUP BY
 * and Gi*. Then what a filter change costs (re-aggregate + Gi*). The same entry the analysis
 * worker and the CLI run (HotspotWorkflow), here over the duckdb-wasm Connector directly
 * instead of the channel to the DB worker.
 *
 * Customers: the demo city's 200,000, five times with a ±150 m jitter (1M, realistic
 * clustering over the 16 districts, ~13k res-8 study cells). Prints
 * `name<TAB>value<TAB>unit<TAB>target`; medians of 3 runs.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { makeVector, Table, tableToIPC, vectorFromArray, Utf8 } from 'apache-arrow';
import type { Geometry } from 'geojson';
import { spawnNodeAssignWorker } from '../src/cli/hotspot-assign-node.ts';
import { createNodeWasmConnector } from '../src/db/node-wasm.ts';
import { HotspotWorkflow } from '../src/pipeline/hotspots/hotspot-workflow.ts';
import { connectorDbPort, queryColumns } from '../src/pipeline/hotspots/hotspot-db-port.ts';
import { alignmentSql, cellTotalsSql, cellsTableName, customerCoordsSql, type CellJoin } from '../src/sql/hotspots.ts';
import { assignCells } from '../src/core/grid.ts';
import { mulberry32 } from '../src/core/rng.ts';
import { line } from './report.ts';

const N = 1_000_000;
const RUNS = 3;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- 1M customers from the demo's 200k ----
const text = gunzipSync(readFileSync(new URL('../public/demo/customers.csv.gz', import.meta.url))).toString('utf8');
const demo = text.trim().split('\n').slice(1).map((l) => l.split(','));
const rng = mulberry32(8);
const lon = new Float64Array(N);
const lat = new Float64Array(N);
const age = new Int32Array(N);
const balance = new Float64Array(N);
const digital = new Int32Array(N);
const segment: string[] = new Array(N);
const JITTER_DEG = 0.0015;
for (let i = 0; i < N; i++) {
  const r = demo[i % demo.length];
  lon[i] = Number(r[1]) + (i < demo.length ? 0 : (rng() - 0.5) * 2 * JITTER_DEG);
  lat[i] = Number(r[2]) + (i < demo.length ? 0 : (rng() - 0.5) * 2 * JITTER_DEG);
  segment[i] = r[3];
  age[i] = Number(r[4]);
  balance[i] = Number(r[5]);
  digital[i] = Number(r[8]);
}
const ipc = tableToIPC(new Table({
  lon: makeVector(lon), lat: makeVector(lat), segment: vectorFromArray(segment, new Utf8()), age: makeVector(age),
  balance: makeVector(balance), digital_active: makeVector(digital),
}), 'stream');

const conn = await createNodeWasmConnector();
await conn.insertArrowIPC('customers', ipc);
const db = connectorDbPort(conn);
const areas = JSON.parse(readFileSync(new URL('../public/demo/areas.geojson', import.meta.url), 'utf8')) as GeoJSON.FeatureCollection;
const geometries = areas.features.map((f) => f.geometry as Geometry);
const workflow = new HotspotWorkflow(db, { spawnAssignWorker: spawnNodeAssignWorker, assignHelpers: 1 });
const engine = workflow.engine;
workflow.open('bench', geometries).grid(8); // the study grid is built once per resolution, before any customer work

const req = { resolution: 8, rings: 1, statistic: 'gi' as const, measure: 'count' as const, fdr: false, permutations: 0, seed: 1 };

// warm-up: worker start (tsx in the helper), wasm JIT, Gi* neighbours of res 8
{
  const warm = workflow.open('warm', geometries);
  await warm.ensureAssigned(8);
  await warm.compute(req, { value: { kind: 'count' } });
}

const total: number[] = [];
const assign: number[] = [];
const aggregate: number[] = [];
const filter: number[] = [];
let cells = 0;
let outside = 0;
for (let k = 0; k < RUNS; k++) {
  gc();
  // A new dataset name: coordinates, assignment and derived table from scratch. Opening it
  // also rebuilds the study grid and neighbours (built once per dataset in the app, before
  // any customer work): a Gi* without customers builds them outside the timing.
  const pipe = workflow.open(`run${k}`, geometries);
  await pipe.compute(req, null);
  const t0 = performance.now();
  const a = await pipe.ensureAssigned(8);
  const t1 = performance.now();
  const r = await pipe.compute(req, { value: { kind: 'count' } });
  const t2 = performance.now();
  total.push(t2 - t0);
  assign.push(a.assignMs);
  aggregate.push(t2 - t1);
  cells = r.values.length;
  outside = a.outside;
  const t3 = performance.now();
  await pipe.compute(req, { value: { kind: 'count' }, filter: { segments: ['young'], age: { minYears: 18, maxYears: 30 }, digitalActive: 1 } });
  filter.push(performance.now() - t3);
}
// the same steps one by one, for the breakdown
const steps: Record<string, number[]> = { coords: [], assign: [], derived: [], totals: [], rowid: [], gi: [] };
for (let k = 0; k < RUNS; k++) {
  const pipe = workflow.open(`steps${k}`, geometries);
  await pipe.compute(req, null); // grid and neighbours, as above
  gc();
  let t = performance.now();
  engine.setCustomers(`steps${k}`, await db.queryArrow(customerCoordsSql()));
  steps.coords.push(performance.now() - t);
  t = performance.now();
  const a = await engine.assign(8);
  steps.assign.push(performance.now() - t);
  t = performance.now();
  await db.putDerived(cellsTableName(8), a.ipc);
  const [check] = (await db.query(alignmentSql(8))) as { misaligned: number }[];
  const join: CellJoin = check.misaligned === 0 ? 'positional' : 'rowid';
  steps.derived.push(performance.now() - t);
  for (const j of ['positional', 'rowid'] as CellJoin[]) {
    t = performance.now();
    const q = cellTotalsSql(8, { kind: 'count' }, undefined, {}, j);
    await queryColumns(db, q.sql, q.params);
    (j === 'positional' ? steps.totals : steps.rowid).push(performance.now() - t);
  }
  if (join !== 'positional') throw new Error('the derived table is not aligned with the customers');
  const totals = await pipe.totals(8, { kind: 'count' });
  t = performance.now();
  await engine.compute({ ...req, totals });
  steps.gi.push(performance.now() - t);
}
gc();
const t = performance.now();
assignCells(lon, lat, 8);
const oneThread = performance.now() - t;

line('hotspots.pipeline_1m_res8_ms', median(total), 'ms', '≤ 1500 (coords out of DuckDB + assign + derived table + GROUP BY + Gi*)');
line('hotspots.assign_1m_res8_two_threads_ms', median(assign), 'ms', `one thread: ${oneThread.toFixed(0)} ms`);
line('hotspots.aggregate_gi_1m_res8_ms', median(aggregate), 'ms', `${cells} study cells, ${outside} customers outside`);
line('hotspots.step_coords_out_of_duckdb_ms', median(steps.coords), 'ms', 'SELECT rid, lon, lat → Arrow IPC → typed arrays');
line('hotspots.step_assign_ms', median(steps.assign), 'ms', 'two threads');
line('hotspots.step_derived_table_ms', median(steps.derived), 'ms', 'rid BIGINT, cell UBIGINT via Arrow IPC, alignment check');
line('hotspots.step_group_by_ms', median(steps.totals), 'ms', `POSITIONAL JOIN, GROUP BY cell (JOIN on rowid: ${median(steps.rowid).toFixed(0)} ms)`);
line('hotspots.step_gi_ms', median(steps.gi), 'ms', 'scatter onto the grid + Gi*');
line('hotspots.filter_change_1m_res8_ms', median(filter), 'ms', 'young, 18-29, digital: re-aggregate + Gi*');

workflow.dispose();
await conn.close();
