/**
 * The network and the candidates file as the sites engine takes them, read from the loaded
 * tables: the same decode for the app (DB worker) and the CLI (native DuckDB).
 */
import { decodeColumns } from '../../data/arrow-io.ts';
import { tableColumns, type QueryPort } from '../../data/table-columns.ts';
import { tableExistsSql } from '../../sql/columns.ts';
import {
  candidateCostsSql, candidatesSql, customerExtentSql, customerPointsSql, demandPointsSql, existingCostsSql, mergeGridCountsSql, mergedCustomerPointsSql, networkCostsSql, networkSql, type GridScale,
} from '../../sql/sites.ts';
import { EARTH_RADIUS_M } from '../../core/haversine.ts';
import { buildCostTable, type CostTable } from '../../core/cost-matrix.ts';
import type { SqlParam } from '../../sql/ident.ts';
import type { ExactPoints, NetworkSites, PointSet } from './sites-model.ts';

/** A port that can also return Arrow IPC (big results: 1M customers). */
export interface ArrowQueryPort extends QueryPort {
  queryArrow(sql: string, params?: SqlParam[]): Promise<Uint8Array>;
}

/** Whether `table` is loaded (e.g. demand_points, costs). */
export async function exists(db: QueryPort, table: string): Promise<boolean> {
  const q = tableExistsSql(table);
  return (await db.query(q.sql, q.params)).length > 0;
}

/** An empty network (no sites file: no existing network, DESIGN.md `--sites` optional). */
export const NO_NETWORK: NetworkSites = { id: [], name: [], lon: new Float64Array(0), lat: new Float64Array(0), type: [], owner: [], attractiveness: new Float64Array(0) };

/**
 * Customers as exact demand points, weight 1 or `weightColumn`'s value. Missing or negative
 * values of the column weigh 0 and are counted in `zeroed`.
 */
export async function readCustomerPoints(db: ArrowQueryPort, weightColumn?: string): Promise<ExactPoints & { zeroed: number }> {
  const cols = decodeColumns(await db.queryArrow(customerPointsSql(weightColumn)));
  const weight = cols.weight as Float64Array;
  let zeroed = 0;
  for (let i = 0; i < weight.length; i++) if (!(weight[i] >= 0) || !Number.isFinite(weight[i])) { weight[i] = 0; zeroed++; }
  return { lon: cols.lon as Float64Array, lat: cols.lat as Float64Array, weight, zeroed };
}

/**
 * The most customer points the browser's Sites engine takes one by one. Each point carries its
 * lists of the candidates within reach: 1M customers (ATM radius, 71k candidates) took 25 s and
 * 1.2 GB more of the renderer's memory, so a 12M-customer book would not fit at all.
 */
export const MAX_CUSTOMER_POINTS = 250_000;

/** Grid sizes (metres) tried, finest first, when customers must be merged. */
const MERGE_CELLS_M = [2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000];

/** Squares of `cellM` metres per degree of longitude and of latitude at latitude `lat0` (local equirectangular grid). */
function gridScale(cellM: number, lat0: number): GridScale {
  const mPerDegLat = (Math.PI / 180) * EARTH_RADIUS_M;
  return [(mPerDegLat * Math.cos((lat0 * Math.PI) / 180)) / cellM, mPerDegLat / cellM];
}

/**
 * Customers as demand points (weight 1), at most about `maxPoints` of them: every customer at
 * its exact location when there are that few; otherwise the customers of each square of the
 * finest grid (2 m, 5 m, 10 m … 2 km) that has few enough occupied squares become one point at
 * their mean location, weighing their number. `merged` says so, for the run's warning.
 */
export async function readCustomerDemand(db: ArrowQueryPort, maxPoints = MAX_CUSTOMER_POINTS): Promise<ExactPoints & { zeroed: number }> {
  const [extent] = (await db.query(customerExtentSql())) as { customers: number; lat0: number | null }[];
  const customers = Number(extent?.customers ?? 0);
  if (customers <= maxPoints) return readCustomerPoints(db);
  const lat0 = Number(extent.lat0 ?? 0);
  const grids = mergeGridCountsSql(MERGE_CELLS_M.map((m) => gridScale(m, lat0)));
  const [counts] = (await db.query(grids.sql, grids.params)) as Record<string, number>[];
  const occupied = MERGE_CELLS_M.map((_, i) => Number(counts?.[`c${i}`] ?? Infinity));
  const at = occupied.findIndex((n) => n <= maxPoints);
  const cellM = MERGE_CELLS_M[at < 0 ? MERGE_CELLS_M.length - 1 : at];
  const { sql, params } = mergedCustomerPointsSql(gridScale(cellM, lat0));
  const cols = decodeColumns(await db.queryArrow(sql, params));
  return { lon: cols.lon as Float64Array, lat: cols.lat as Float64Array, weight: cols.weight as Float64Array, zeroed: 0, merged: { customers, cellM } };
}

/** The demand-points file (point_id, lon, lat, weight) in file order; null when none was loaded. */
export async function readDemandPoints(db: QueryPort): Promise<ExactPoints | null> {
  if (!(await exists(db, 'demand_points'))) return null;
  const rows = (await db.query(demandPointsSql())) as { point_id: string; lon: number; lat: number; weight: number }[];
  return {
    id: rows.map((r) => String(r.point_id)),
    lon: Float64Array.from(rows, (r) => Number(r.lon)),
    lat: Float64Array.from(rows, (r) => Number(r.lat)),
    weight: Float64Array.from(rows, (r) => Number(r.weight)),
  };
}

/** Every site of the sites table (ours and competitors'), attractiveness defaulted to 1. */
export async function readNetwork(db: QueryPort): Promise<NetworkSites> {
  if (!(await exists(db, 'sites'))) return NO_NETWORK;
  const withName = (await tableColumns(db, 'sites')).some((c) => c.name === 'name');
  const rows = (await db.query(networkSql('sites', withName))) as { site_id: string; name: string | null; lon: number; lat: number; type: string; owner: string; attractiveness: number }[];
  return {
    id: rows.map((r) => String(r.site_id)),
    name: rows.map((r) => (r.name == null ? '' : String(r.name))),
    lon: Float64Array.from(rows, (r) => Number(r.lon)),
    lat: Float64Array.from(rows, (r) => Number(r.lat)),
    type: rows.map((r) => String(r.type)),
    owner: rows.map((r) => String(r.owner)),
    attractiveness: Float64Array.from(rows, (r) => Number(r.attractiveness)),
  };
}

/** The candidates file's points in file order; null when none was loaded or it is empty. */
export async function readCandidates(db: QueryPort): Promise<PointSet | null> {
  if (!(await exists(db, 'candidates'))) return null;
  const withName = (await tableColumns(db, 'candidates')).some((c) => c.name === 'name');
  const rows = (await db.query(candidatesSql('candidates', withName))) as { site_id: string; lon: number; lat: number; name?: string | null }[];
  if (rows.length === 0) return null;
  return {
    id: rows.map((r) => String(r.site_id)), lon: Float64Array.from(rows, (r) => Number(r.lon)), lat: Float64Array.from(rows, (r) => Number(r.lat)),
    ...(withName ? { name: rows.map((r) => (r.name == null ? '' : String(r.name))) } : {}),
  };
}

/**
 * The cost file as a table over the demand (read order) and the candidates file: resolved to
 * indices and filtered in DuckDB, so an 8M-row file reaches JS as three numeric columns.
 * `withNetwork`: also each pair to a network site of the type (Huff needs every site apart).
 */
export async function readCosts(db: ArrowQueryPort, demand: 'customers' | 'demand_points', numDemand: number, numCandidates: number, siteType: string, hasSites: boolean, withNetwork = false): Promise<CostTable & { pairs: number }> {
  const c = decodeColumns(await db.queryArrow(candidateCostsSql(demand)));
  const ex = hasSites ? existingCostsSql(demand, siteType) : null;
  const e = ex ? decodeColumns(await db.queryArrow(ex.sql, ex.params)) : { i: new Float64Array(0), cost: new Float64Array(0) };
  const nq = withNetwork && hasSites ? networkCostsSql(demand, siteType) : null;
  const n = nq ? decodeColumns(await db.queryArrow(nq.sql, nq.params)) : null;
  const table = buildCostTable(
    numDemand, numCandidates,
    { demand: Int32Array.from(c.i as Float64Array), site: Int32Array.from(c.j as Float64Array), cost: c.cost as Float64Array },
    { demand: Int32Array.from(e.i as Float64Array), cost: e.cost as Float64Array },
    withNetwork ? { demand: Int32Array.from((n?.i ?? []) as Float64Array), site: Int32Array.from((n?.j ?? []) as Float64Array), cost: Float64Array.from((n?.cost ?? []) as Float64Array) } : undefined,
  );
  return { ...table, pairs: (c.i as Float64Array).length };
}
