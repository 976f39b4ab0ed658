/**
 * Table names and DDL of the loading layer, and the commit that swaps staging tables in.
 * Every table a load builds lives under a `__bp_` staging name until the final transaction, so a
 * failed or cancelled load leaves the previous tables untouched.
 */
import { quoteIdent } from './ident.ts';

export const REJECTS_TABLE = 'rejects';
export const STAGING_PREFIX = '__bp_';
export const STAGED_REJECTS = '__bp_stg_rejects';

/** `rejects`: one row per unusable row (DESIGN.md); `kind` and `code` added for filtering. */
export const REJECTS_COLUMNS_DDL =
  'file VARCHAR, line INTEGER, "column" VARCHAR, reason VARCHAR, raw VARCHAR, kind VARCHAR, code VARCHAR';

export function stagingName(kind: string, step: string): string {
  return `${STAGING_PREFIX}${step}_${kind}`;
}

export function createRejectsSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (${REJECTS_COLUMNS_DDL})`;
}

/**
 * All staging tables and views left by an earlier, interrupted load (cleaned before and after a
 * load), views first since they read tables.
 */
export const LIST_STAGING_SQL = `SELECT view_name AS name, 'VIEW' AS type FROM duckdb_views() WHERE starts_with(view_name, '${STAGING_PREFIX}')
UNION ALL SELECT table_name, 'TABLE' FROM duckdb_tables() WHERE starts_with(table_name, '${STAGING_PREFIX}') ORDER BY type DESC`;

export function dropTableSql(table: string): string {
  return `DROP TABLE IF EXISTS ${quoteIdent(table)}`;
}

export function dropViewSql(view: string): string {
  return `DROP VIEW IF EXISTS ${quoteIdent(view)}`;
}

/**
 * One transaction: replace each loaded kind's table by its final staging table, and replace the
 * rejects of the loaded kinds. `kinds` come from our fixed enum, never from data.
 */
export function buildCommitSql(swaps: readonly { kind: string; staged: string }[], rejectKinds: readonly string[]): string {
  const stmts = ['BEGIN TRANSACTION', createRejectsSql(REJECTS_TABLE)];
  for (const { kind, staged } of swaps) {
    stmts.push(`DROP TABLE IF EXISTS ${quoteIdent(kind)}`);
    stmts.push(`ALTER TABLE ${quoteIdent(staged)} RENAME TO ${quoteIdent(kind)}`);
  }
  if (rejectKinds.length) {
    const list = rejectKinds.map((k) => `'${k}'`).join(', ');
    stmts.push(`DELETE FROM ${quoteIdent(REJECTS_TABLE)} WHERE kind IN (${list})`);
  }
  stmts.push(`INSERT INTO ${quoteIdent(REJECTS_TABLE)} SELECT file, line, "column", reason, raw, kind, code FROM ${quoteIdent(STAGED_REJECTS)}`);
  stmts.push('COMMIT');
  return stmts.join(';\n') + ';';
}
