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

/**
 * The rows to aggregate: lon, lat, each summed column as DOUBLE (NaN when empty or not a number),
 * each group column's code (0 when empty), over the customers that pass `filter`.
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
    ...groups.map((_, g) => `coalesce(d${g}.code, 0)`),
  ];
  const joins = groups.map((col, g) => `LEFT JOIN ${q(groupDictTable(g))} AS d${g} ON d${g}.v = CAST(c.${q(col)} AS VARCHAR)`);
  return {
    sql: `SELECT ${cols.map((c, i) => `${c} AS x${i}`).join(', ')} FROM ${q(customers)} AS c ${joins.join(' ')}
WHERE c.${q('lon')} IS NOT NULL AND c.${q('lat')} IS NOT NULL AND ${where}`,
    params,
  };
}
