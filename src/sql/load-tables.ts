/**
 * Table names and DDL of the loading layer, and the commit that swaps staging tables in.
 * Every table a load builds lives under a `__bp_` staging name until the final transaction, so a
 * failed or cancelled load leaves the previous tables untouched.
 */
import { quoteIdent } from './ident.ts';

export const REJECTS_TABLE = 'rejects';
export const STAGING_PREFIX = '__bp_';
export const STAGED_REJECTS = '__bp_stg_rejects';

/**
 * `rejects`: one row per unusable row (DESIGN.md); `reason` is a reason code and `params` its
 * parameters as a JSON object (src/data/reject-reasons.ts), said in the UI's language when shown;
 * `kind` and `code` added for filtering.
 */
export const REJECTS_COLUMNS_DDL =
  'file VARCHAR, line INTEGER, "column" VARCHAR, reason VARCHAR, params VARCHAR, raw VARCHAR, kind VARCHAR, code VARCHAR';

/** The rejects columns in table order, for INSERT … SELECT between rejects tables. */
export const REJECTS_COLUMNS = 'file, line, "column", reason, params, raw, kind, code';

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

/** The tables a load may keep for undo (the input kinds; sql/ does not import data/). */
export const PREVIOUS_KINDS = ['areas', 'indicators', 'customers', 'sites', 'candidates'] as const;

/** Where a load keeps a table it replaced, for one undo (`prev_customers`, `prev_rejects`). */
export function previousName(table: string): string {
  return `prev_${table}`;
}

export interface CommitOptions {
  /** Kinds whose staged rows are added to the live table (their keys were checked already). */
  append?: readonly string[];
  /** Live tables before this commit (kinds and `rejects`). */
  existing?: readonly string[];
  /** Keep each replaced table (and the rejects) under `previousName` instead of dropping it. */
  keepPrevious?: boolean;
  /** Tables computed from the replaced rows (customers' cells): dropped, and one staged instead. */
  derived?: { drop: readonly string[]; install?: { staged: string; table: string } };
}

/**
 * One transaction: replace each loaded kind's table by its final staging table (or, for an
 * appended kind, by the live rows followed by the staged ones), and replace the rejects of the
 * loaded kinds. Earlier `prev_` tables are dropped; with `keepPrevious` the tables replaced now
 * take their place. `kinds` come from our fixed enum, never from data.
 */
export function buildCommitSql(
  swaps: readonly { kind: string; staged: string }[],
  rejectKinds: readonly string[],
  opts: CommitOptions = {},
): string {
  const existing = new Set(opts.existing ?? []);
  const append = new Set(opts.append ?? []);
  const stmts = ['BEGIN TRANSACTION', createRejectsSql(REJECTS_TABLE)];
  for (const t of [...PREVIOUS_KINDS, REJECTS_TABLE]) stmts.push(`DROP TABLE IF EXISTS ${quoteIdent(previousName(t))}`);
  if (opts.keepPrevious) stmts.push(`CREATE TABLE ${quoteIdent(previousName(REJECTS_TABLE))} AS SELECT * FROM ${quoteIdent(REJECTS_TABLE)}`);
  for (const { kind, staged } of swaps) {
    let from = staged;
    if (append.has(kind) && existing.has(kind)) {
      from = `${STAGING_PREFIX}app_${kind}`;
      // Indicators: period_index is the position among all periods now loaded (canonical
      // periods of one granularity sort as text: 2024Q1 < 2024Q2, 2024-01 < 2024-09).
      const rows = `SELECT * FROM ${quoteIdent(kind)} UNION ALL BY NAME SELECT * FROM ${quoteIdent(staged)}`;
      stmts.push(
        kind === 'indicators'
          ? `CREATE TABLE ${quoteIdent(from)} AS SELECT * REPLACE ((dense_rank() OVER (ORDER BY period) - 1)::INTEGER AS period_index) FROM (${rows}) ORDER BY period_index, area_id`
          : `CREATE TABLE ${quoteIdent(from)} AS ${rows}`,
      );
      stmts.push(`DROP TABLE ${quoteIdent(staged)}`);
    }
    if (opts.keepPrevious && existing.has(kind)) stmts.push(`ALTER TABLE ${quoteIdent(kind)} RENAME TO ${quoteIdent(previousName(kind))}`);
    else stmts.push(`DROP TABLE IF EXISTS ${quoteIdent(kind)}`);
    stmts.push(`ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(kind)}`);
  }
  if (rejectKinds.length) {
    const list = rejectKinds.map((k) => `'${k}'`).join(', ');
    stmts.push(`DELETE FROM ${quoteIdent(REJECTS_TABLE)} WHERE kind IN (${list})`);
  }
  stmts.push(`INSERT INTO ${quoteIdent(REJECTS_TABLE)} SELECT ${REJECTS_COLUMNS} FROM ${quoteIdent(STAGED_REJECTS)}`);
  for (const t of opts.derived?.drop ?? []) stmts.push(`DROP TABLE IF EXISTS ${quoteIdent(t)}`);
  const install = opts.derived?.install;
  if (install) stmts.push(`DROP TABLE IF EXISTS ${quoteIdent(install.table)}`, `ALTER TABLE ${quoteIdent(install.staged)} RENAME TO ${quoteIdent(install.table)}`);
  stmts.push('COMMIT');
  return stmts.join(';\n') + ';';
}
