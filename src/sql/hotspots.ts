/**
 * SQL of the demand hotspots (DESIGN.md § Demand hotspots): customer coordinates
 * for the H3 assignment, and per-cell totals of the customers that pass the filters.
 *
 * H3 cells are computed in JS (h3-js: DuckDB's h3 extension cannot be downloaded offline)
 * and stored in a derived table `derived_h3_r<res>(rid BIGINT, cell UBIGINT)`, one row per
 * customer, `rid` being the customer's `rowid`, in the order DuckDB returned the customers.
 * The totals join it back with a POSITIONAL JOIN when `alignmentSql` has confirmed, once per
 * derived table, that row k of both tables is the same customer (it is whenever DuckDB keeps
 * insertion order, its default); otherwise with a hash join on `rowid`. On 1M customers in
 * duckdb-wasm the positional join is several times faster (measured in
 * bench/hotspots-pipeline.bench.ts), and the check makes it safe.
 *
 * Pure text building: identifiers quoted, every value bound as a parameter ($1, $2, …). The
 * same text runs on duckdb-wasm and native DuckDB. Every measure is cast to DOUBLE, so no
 * HUGEINT (sum of BIGINT) reaches JS.
 */
import { quoteIdent as q, type SqlParam } from './ident.ts';

/** What is totalled per cell: the number of customers, or the sum of a numeric column. */
export type HotspotValue = { kind: 'count' } | { kind: 'sum'; column: string };

/**
 * Customer filters; every given filter must hold (AND). A customer whose filtered field is
 * missing fails that filter. An empty `segments` list matches nobody (the "filter matched
 * nothing" case: every cell is 0, S = 0).
 */
export interface HotspotFilter {
  /** Keep customers whose segment (as text) is one of these. */
  segments?: readonly string[];
  /** Keep customers with minYears ≤ age < maxYears (either bound optional). */
  age?: { minYears?: number; maxYears?: number };
  /** Keep customers whose digital_active equals this. */
  digitalActive?: 0 | 1;
  /** `--filter COL=VALUE`: the column, read as text, equals the value. */
  equals?: readonly { column: string; value: string }[];
}

export interface HotspotSqlTables {
  /** Default "customers". */
  customersTable?: string;
  /** Column names of the segment, age and digital flag; defaults "segment", "age", "digital_active". */
  segmentColumn?: string;
  ageColumn?: string;
  digitalColumn?: string;
}

/**
 * The resolution whose cells a customers load computes while the coordinates pass through JS
 * anyway (data/points.ts), staged as `derived_h3_r8` and committed with the customers: the
 * hotspot map's first resolution (the tab opens at 8) then needs no assignment. Other
 * resolutions are assigned when first asked for.
 */
export const LOAD_CELLS_RESOLUTION = 8;

/** The derived tables of every resolution (a commit that replaces the customers drops them). */
export const CELLS_TABLES_SQL = `SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' AND regexp_matches(table_name, '^derived_h3_r[0-9]+$')`;

/** The derived table holding each customer's cell at `resolution`. */
export function cellsTableName(resolution: number): string {
  if (!Number.isInteger(resolution) || resolution < 0 || resolution > 15) throw new RangeError(`H3 resolution must be 0..15, got ${resolution}`);
  return `derived_h3_r${resolution}`;
}

/**
 * Customers' row ids and coordinates (DOUBLE; NULL when not a number), for the assignment.
 * Result columns: rid BIGINT, lon DOUBLE, lat DOUBLE.
 */
export function customerCoordsSql(opts: Pick<HotspotSqlTables, 'customersTable'> = {}): string {
  return `SELECT rowid AS rid, TRY_CAST(${q('lon')} AS DOUBLE) AS lon, TRY_CAST(${q('lat')} AS DOUBLE) AS lat FROM ${q(opts.customersTable ?? 'customers')}`;
}

/** The WHERE clause of `filter` over table alias `c`, pushing its values onto `params`. */
export function filterClause(filter: HotspotFilter | undefined, params: SqlParam[], tables: HotspotSqlTables = {}): string {
  const parts: string[] = [];
  const bind = (v: SqlParam) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter?.segments) {
    const col = `CAST(c.${q(tables.segmentColumn ?? 'segment')} AS VARCHAR)`;
    parts.push(filter.segments.length === 0 ? 'false' : `${col} IN (${filter.segments.map((s) => bind(s)).join(', ')})`);
  }
  if (filter?.age && (filter.age.minYears !== undefined || filter.age.maxYears !== undefined)) {
    const col = `TRY_CAST(c.${q(tables.ageColumn ?? 'age')} AS DOUBLE)`;
    if (filter.age.minYears !== undefined) parts.push(`${col} >= ${bind(filter.age.minYears)}`);
    if (filter.age.maxYears !== undefined) parts.push(`${col} < ${bind(filter.age.maxYears)}`);
  }
  if (filter?.digitalActive !== undefined) {
    parts.push(`TRY_CAST(c.${q(tables.digitalColumn ?? 'digital_active')} AS DOUBLE) = ${bind(filter.digitalActive)}`);
  }
  for (const e of filter?.equals ?? []) parts.push(`CAST(c.${q(e.column)} AS VARCHAR) = ${bind(e.value)}`);
  return parts.length ? parts.join(' AND ') : 'true';
}

/**
 * Per-cell totals over the customers that pass `filter`. Only cells with at least one such
 * customer appear (the caller scatters them onto the study grid, zeros elsewhere).
 * Result columns: cell UBIGINT, customers DOUBLE (count), value DOUBLE (count, or the sum of
 * the column with missing values left out, 0 when all are missing), missing DOUBLE (customers
 * whose summed value is missing; 0 for counts).
 */
/** How the derived cell table is matched to the customers (see the module comment). */
export type CellJoin = 'positional' | 'rowid';

function joinClause(resolution: number, tables: HotspotSqlTables, join: CellJoin): string {
  const c = `${q(tables.customersTable ?? 'customers')} AS c`;
  const d = `${q(cellsTableName(resolution))} AS d`;
  return join === 'positional' ? `${c} POSITIONAL JOIN ${d}` : `${c} JOIN ${d} ON d.rid = c.rowid`;
}

/**
 * Whether row k of the derived table is row k of the customers: result columns rows DOUBLE,
 * misaligned DOUBLE (0 = a POSITIONAL JOIN is exact). Unequal lengths count as misaligned.
 */
export function alignmentSql(resolution: number, tables: Pick<HotspotSqlTables, 'customersTable'> = {}): string {
  return `SELECT CAST(count(*) AS DOUBLE) AS rows, CAST(count(*) FILTER (WHERE d.rid IS DISTINCT FROM c.rowid) AS DOUBLE) AS misaligned
FROM ${joinClause(resolution, tables, 'positional')}`;
}

export function cellTotalsSql(
  resolution: number,
  value: HotspotValue,
  filter?: HotspotFilter,
  tables: HotspotSqlTables = {},
  join: CellJoin = 'rowid',
): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  const where = filterClause(filter, params, tables);
  const num = value.kind === 'sum' ? `TRY_CAST(c.${q(value.column)} AS DOUBLE)` : null;
  const valueExpr = num ? `CAST(coalesce(sum(${num}), 0) AS DOUBLE)` : 'CAST(count(*) AS DOUBLE)';
  const missingExpr = num ? `CAST(count(*) FILTER (WHERE ${num} IS NULL) AS DOUBLE)` : 'CAST(0 AS DOUBLE)';
  const sql = `SELECT d.cell AS cell, CAST(count(*) AS DOUBLE) AS customers, ${valueExpr} AS value, ${missingExpr} AS missing
FROM ${joinClause(resolution, tables, join)}
WHERE ${where}
GROUP BY d.cell`;
  return { sql, params };
}

/** The distinct values of a column as text with their counts, most frequent first (filter menus). */
export function distinctValuesSql(column: string, opts: Pick<HotspotSqlTables, 'customersTable'> & { limit?: number } = {}): { sql: string; params: SqlParam[] } {
  const col = `CAST(${q(column)} AS VARCHAR)`;
  return {
    sql: `SELECT ${col} AS value, CAST(count(*) AS DOUBLE) AS n FROM ${q(opts.customersTable ?? 'customers')}
WHERE ${q(column)} IS NOT NULL GROUP BY 1 ORDER BY n DESC, value LIMIT $1`,
    params: [opts.limit ?? 100],
  };
}

/**
 * Per-cell profile of the customers (all of them, no filter) for the typology: counts,
 * sums of numeric columns and, per segment value, the number of customers in it.
 * Result columns: cell, customers, then `sum_<i>` for each numeric column and `seg_<i>` for
 * each segment value (DOUBLE, positional names so user column names never become identifiers
 * of the result).
 */
export function cellProfileSql(
  resolution: number,
  numericColumns: readonly string[],
  segmentValues: readonly string[],
  tables: HotspotSqlTables = {},
  join: CellJoin = 'rowid',
): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  const sums = numericColumns.map((c, i) => `CAST(sum(TRY_CAST(c.${q(c)} AS DOUBLE)) AS DOUBLE) AS sum_${i}, CAST(count(TRY_CAST(c.${q(c)} AS DOUBLE)) AS DOUBLE) AS n_${i}`);
  const segs = segmentValues.map((v, i) => {
    params.push(v);
    return `CAST(count(*) FILTER (WHERE CAST(c.${q(tables.segmentColumn ?? 'segment')} AS VARCHAR) = $${params.length}) AS DOUBLE) AS seg_${i}`;
  });
  const cols = ['d.cell AS cell', 'CAST(count(*) AS DOUBLE) AS customers', ...sums, ...segs].join(',\n  ');
  return {
    sql: `SELECT ${cols}
FROM ${joinClause(resolution, tables, join)}
GROUP BY d.cell`,
    params,
  };
}
