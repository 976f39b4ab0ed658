/**
 * Questions about the loaded tables themselves: which exist, which columns they have, which
 * of those are numbers. One text for each, so every reader (loader, pipelines, CLI) sees the
 * same answer on both engines.
 */
import type { SqlParam } from './ident.ts';

/** Column names and DuckDB types of a main-schema table, in table order. Result: name, type. */
export function tableColumnsSql(table: string): { sql: string; params: SqlParam[] } {
  return {
    sql: `SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1 ORDER BY column_index`,
    params: [table],
  };
}

/** Whether a table exists in the main schema: one row when it does. */
export function tableExistsSql(table: string): { sql: string; params: SqlParam[] } {
  return { sql: `SELECT 1 AS present FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1`, params: [table] };
}

/** DuckDB types whose values are numbers: signed and unsigned integers, floats, decimals. */
export function isNumericType(type: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL(\(\d+, ?\d+\))?)$/i.test(type.trim());
}
