/**
 * The cost file (`--costs`: demand_id, site_id, cost) from native DuckDB into the sites
 * engine's CostTable, streamed: DuckDB resolves the ids to indices (the demand's read order,
 * the candidates file's order — a dictionary encoding done by joins, never as JS strings) into
 * a temporary table of (i INTEGER, j INTEGER, cost DOUBLE), counts the pairs per demand point,
 * and hands the pairs over chunk by chunk; each chunk's columns are copied straight into their
 * place in the compressed rows. JS holds only the result (4 + 8 bytes a pair) and DuckDB's
 * chunk in flight, whatever the file's size; DuckDB itself spills to disk beyond its memory
 * limit. Same table as pipeline/sites/sites-inputs.ts readCosts (the app's path, one Arrow
 * result), rows sorted by candidate index.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { sortCostRows, type CostTable } from '../core/cost-matrix.ts';
import { candidateCostsSql, existingCostsSql, networkCostsSql } from '../sql/sites.ts';
import { quoteIdent } from '../sql/ident.ts';
import type { SqlParam } from '../sql/ident.ts';

interface ItemsVector {
  items?: { length: number; subarray(a: number, b: number): Int32Array | Float64Array };
}

/**
 * Runs `sql` (fixed-width, non-null columns only) and calls `onChunk` with each chunk's
 * columns as typed arrays (views into DuckDB's vectors: copy what you keep) and its row count.
 */
export async function forEachChunk(
  conn: DuckDBConnection, sql: string, params: readonly SqlParam[],
  onChunk: (columns: (Int32Array | Float64Array)[], rows: number) => void,
): Promise<void> {
  const result = await conn.stream(sql, params.length ? (params as DuckDBValue[]) : undefined);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    const cols: (Int32Array | Float64Array)[] = [];
    for (let c = 0; c < chunk.columnCount; c++) {
      const v = chunk.getColumnVector(c) as unknown as ItemsVector;
      if (!v.items) throw new Error('internal: streamed cost column is not a fixed-width vector');
      cols.push(v.items.subarray(0, n));
    }
    onChunk(cols, n);
  }
}

const PAIRS = '__bp_cost_pairs';

/**
 * Pairs (i, j, cost) of `select` (DOUBLE columns i, j, cost) as compressed rows over
 * `numDemand` points: counted per point in DuckDB, then streamed into place. `numSites`
 * bounds j (checked); rows come out sorted by j.
 */
async function streamRows(conn: DuckDBConnection, select: string, params: readonly SqlParam[], numDemand: number, numSites: number, what: string): Promise<{ offsets: Int32Array; site: Int32Array; cost: Float64Array }> {
  const t = quoteIdent(PAIRS);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${t} AS SELECT CAST(i AS INTEGER) AS i, CAST(j AS INTEGER) AS j, CAST(cost AS DOUBLE) AS cost FROM (${select})`,
    params.length ? (params as DuckDBValue[]) : undefined,
  );
  try {
    const offsets = new Int32Array(numDemand + 1);
    await forEachChunk(conn, `SELECT i, CAST(count(*) AS INTEGER) AS n FROM ${t} GROUP BY i`, [], ([i, n], rows) => {
      for (let r = 0; r < rows; r++) {
        const d = i[r];
        if (!(d >= 0 && d < numDemand)) throw new RangeError(`cost pair names demand ${d}, out of range`);
        offsets[d + 1] = n[r];
      }
    });
    for (let d = 0; d < numDemand; d++) offsets[d + 1] += offsets[d];
    const total = offsets[numDemand];
    const site = new Int32Array(total), cost = new Float64Array(total);
    const fill = offsets.slice(0, numDemand);
    let seen = 0;
    await forEachChunk(conn, `SELECT i, j, cost FROM ${t}`, [], ([i, j, c], rows) => {
      seen += rows;
      if (seen > total) throw new Error('internal: the cost pairs changed while they were read');
      for (let r = 0; r < rows; r++) {
        const s = j[r], x = c[r];
        if (!(s >= 0 && s < numSites)) throw new RangeError(`cost pair names ${what} ${s}, out of range`);
        if (!(x >= 0)) throw new RangeError(`cost pair has cost ${x}; costs must be ≥ 0`);
        const q = fill[i[r]]++;
        site[q] = s;
        cost[q] = x;
      }
    });
    if (seen !== total) throw new Error('internal: the cost pairs changed while they were read');
    sortCostRows(offsets, site, cost);
    return { offsets, site, cost };
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${t}`);
  }
}

/**
 * The loaded `costs` table over the demand (read order) and the candidates file, streamed
 * (see the module comment): pairs to candidates, each point's lowest cost to one of our
 * existing sites of `siteType`, and with `withNetwork` the pairs to every network site of the
 * type (Huff).
 */
export async function streamCostTable(
  conn: DuckDBConnection, demand: 'customers' | 'demand_points', numDemand: number, numCandidates: number,
  siteType: string, hasSites: boolean, withNetwork = false,
): Promise<CostTable & { pairs: number }> {
  const rows = await streamRows(conn, candidateCostsSql(demand), [], numDemand, numCandidates, 'candidate');
  const existingCost = new Float64Array(numDemand).fill(Infinity);
  if (hasSites) {
    const ex = existingCostsSql(demand, siteType);
    await forEachChunk(conn, `SELECT CAST(i AS INTEGER) AS i, CAST(cost AS DOUBLE) AS cost FROM (${ex.sql})`, ex.params, ([i, c], n) => {
      for (let r = 0; r < n; r++) {
        const d = i[r];
        if (d >= 0 && d < numDemand && c[r] < existingCost[d]) existingCost[d] = c[r];
      }
    });
  }
  const table: CostTable & { pairs: number } = { numDemand, numCandidates, ...rows, existingCost, pairs: rows.site.length };
  if (withNetwork) {
    const nq = hasSites ? networkCostsSql(demand, siteType) : null;
    table.network = nq
      ? await streamRows(conn, nq.sql, nq.params, numDemand, Infinity, 'site')
      : { offsets: new Int32Array(numDemand + 1), site: new Int32Array(0), cost: new Float64Array(0) };
  }
  return table;
}
