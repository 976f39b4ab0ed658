/**
 * SQL of the demand-cell aggregation (src/pipeline/cells): the dictionary of a group column and
 * the customers' rows as the batch stream reads them (non-null DOUBLE coordinates and sums,
 * NaN for an empty value; non-null INTEGER group codes, 0 for an empty value).
 * Identifiers are quoted; filter values are bound parameters (filterClause).
 */
import { quoteIdent as q, type SqlParam } from './ident.ts';
import { filterClause, type HotspotFilter } from './hotspots.ts';

/** Dictionary table name of group column `g` (a staging name, dropped by the caller). */
export const groupDictTable = (g: number): string => `__bp_dict_${g}`;

/** Create the dictionary of group column `column`: its distinct values as text, codes 1.. in text order. */
export function groupDictSql(customers: string, column: string, g: number): string {
  return `CREATE OR REPLACE TEMP TABLE ${q(groupDictTable(g))} AS
SELECT v, CAST(row_number() OVER (ORDER BY v) AS INTEGER) AS code
FROM (SELECT DISTINCT CAST(${q(column)} AS VARCHAR) AS v FROM ${q(customers)} WHERE ${q(column)} IS NOT NULL)`;
}

/** Enum type of group column `g`: its dictionary's values in code order (a staging name). */
export const groupEnumType = (g: number): string => `__bp_dict_enum_${g}`;

/**
 * Create group column `g`'s enum from its dictionary table (after groupDictSql). A value's code
 * is its enum position + 1, found by a cast, not a join: a join may hand the streamed rows back
 * in another order, and the per-cell sums are added in row order (same rows, same digits).
 */
export function groupEnumSql(g: number): string {
  return `DROP TYPE IF EXISTS ${q(groupEnumType(g))}; CREATE TYPE ${q(groupEnumType(g))} AS ENUM (SELECT v FROM ${q(groupDictTable(g))} ORDER BY code)`;
}

/** Group code of `expr` (a column of the customers) in column `g`'s dictionary: 1.., 0 when empty or unknown. */
export function groupCodeSql(expr: string, g: number): string {
  return `coalesce(CAST(enum_code(TRY_CAST(CAST(${expr} AS VARCHAR) AS ${q(groupEnumType(g))})) AS INTEGER) + 1, 0)`;
}

/**
 * The rows to aggregate: lon, lat, each summed column as DOUBLE (NaN when empty or not a number),
 * each group column's code (0 when empty; groupEnumSql first), over the customers that pass
 * `filter`, in the table's row order.
 */
export function pointBatchSql(
  customers: string,
  sums: readonly string[],
  groups: readonly string[],
  filter?: HotspotFilter,
): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  const where = filterClause(filter, params);
  const cols = [
    `CAST(c.${q('lon')} AS DOUBLE)`,
    `CAST(c.${q('lat')} AS DOUBLE)`,
    ...sums.map((s) => `coalesce(TRY_CAST(c.${q(s)} AS DOUBLE), CAST('NaN' AS DOUBLE))`),
    ...groups.map((col, g) => groupCodeSql(`c.${q(col)}`, g)),
  ];
  return {
    sql: `SELECT ${cols.map((c, i) => `${c} AS x${i}`).join(', ')} FROM ${q(customers)} AS c
WHERE c.${q('lon')} IS NOT NULL AND c.${q('lat')} IS NOT NULL AND ${where}`,
    params,
  };
}

// ----- the app's `demand_cells` table (the loaded demand-cell file) --------------------------
// Columns as the loader leaves them: h3 UBIGINT, resolution INTEGER, count DOUBLE, the group
// columns as text, sum_<col>/n_<col> DOUBLE. Filters name group columns (segment, …) as they
// name customer columns, so `filterClause` applies to a cell row as to a customer: a row is one
// group combination of one cell.

/** Default name of the loaded demand-cell table. */
export const DEMAND_CELLS_TABLE = 'demand_cells';

/** The resolutions present, ascending. Result column: resolution INTEGER. */
export function cellsResolutionsSql(table = DEMAND_CELLS_TABLE): string {
  return `SELECT DISTINCT resolution FROM ${q(table)} WHERE resolution IS NOT NULL ORDER BY resolution`;
}

/**
 * Per-cell totals from the demand-cell table at `resolution`, over the rows that pass `filter`:
 * the same columns as `cellTotalsSql` on raw customers (cell, customers, value, missing), and
 * the same numbers — customers = Σ count, value = Σ count or Σ sum_<col>, missing =
 * Σ (count − n_<col>), the customers without a value.
 */
export function cellsTotalsSql(
  resolution: number,
  value: { kind: 'count' } | { kind: 'sum'; column: string },
  filter?: HotspotFilter,
  table = DEMAND_CELLS_TABLE,
): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [resolution];
  const where = filterClause(filter, params);
  const s = value.kind === 'sum' ? q(`sum_${value.column}`) : null;
  const n = value.kind === 'sum' ? q(`n_${value.column}`) : null;
  const valueExpr = s ? `CAST(coalesce(sum(c.${s}), 0) AS DOUBLE)` : 'CAST(coalesce(sum(c.count), 0) AS DOUBLE)';
  const missingExpr = n ? `CAST(coalesce(sum(c.count - coalesce(c.${n}, 0)), 0) AS DOUBLE)` : 'CAST(0 AS DOUBLE)';
  return {
    sql: `SELECT c.h3 AS cell, CAST(sum(c.count) AS DOUBLE) AS customers, ${valueExpr} AS value, ${missingExpr} AS missing
FROM ${q(table)} AS c WHERE c.resolution = $1 AND ${where} GROUP BY c.h3`,
    params,
  };
}

/**
 * Per-cell profile (all rows, no filter) at `resolution`, with `cellProfileSql`'s columns: cell,
 * customers, sum_<i>/n_<i> per numeric column, seg_<i> per value of the segment column.
 */
export function cellsProfileSql(
  resolution: number,
  numericColumns: readonly string[],
  segmentValues: readonly string[],
  segmentColumn = 'segment',
  table = DEMAND_CELLS_TABLE,
): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [resolution];
  const sums = numericColumns.map((c, i) => `CAST(sum(c.${q(`sum_${c}`)}) AS DOUBLE) AS sum_${i}, CAST(coalesce(sum(c.${q(`n_${c}`)}), 0) AS DOUBLE) AS n_${i}`);
  const segs = segmentValues.map((v, i) => {
    params.push(v);
    return `CAST(coalesce(sum(c.count) FILTER (WHERE CAST(c.${q(segmentColumn)} AS VARCHAR) = $${params.length}), 0) AS DOUBLE) AS seg_${i}`;
  });
  const cols = ['c.h3 AS cell', 'CAST(sum(c.count) AS DOUBLE) AS customers', ...sums, ...segs].join(',\n  ');
  return { sql: `SELECT ${cols}\nFROM ${q(table)} AS c WHERE c.resolution = $1 GROUP BY c.h3`, params };
}

/**
 * Values of a group column with their customers (Σ count at one resolution, so each customer
 * counts once), most first: the demand-cell form of `distinctValuesSql`.
 */
export function cellsDistinctValuesSql(column: string, limit = 100, table = DEMAND_CELLS_TABLE): { sql: string; params: SqlParam[] } {
  const col = `CAST(${q(column)} AS VARCHAR)`;
  return {
    sql: `SELECT ${col} AS value, CAST(sum(count) AS DOUBLE) AS n FROM ${q(table)}
WHERE ${q(column)} IS NOT NULL AND resolution = (SELECT min(resolution) FROM ${q(table)}) GROUP BY 1 ORDER BY n DESC, value LIMIT $1`,
    params: [limit],
  };
}
