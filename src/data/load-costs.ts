/**
 * A travel-cost file (`demand_id, site_id, cost`; DESIGN.md › Coverage: "large sparse files
 * streamed; an 8M-row cost file must load") from the reader's raw table to its final staging
 * table, with the general loader's checks and rejects (file, line, column, reason code) but
 * fewer passes over the rows. The general path (load-tabular.ts validateRows) materialises a
 * lines table, a check table, then scans it twice for duplicates and copies it into the final
 * table: four passes over 8M rows. Here the checks are a view over the raw table and:
 * 1. one aggregate pass counts failed rows, usable rows and distinct hashes of the usable
 *    (demand_id, site_id) keys — as many as usable rows means no duplicate (the exact duplicate
 *    search of the general path runs only when they differ, i.e. rarely);
 * 2. rejects are read from the view only when there are any;
 * 3. the final table: when the raw table already holds the contract columns in order, trimmed,
 *    with the cost read as a number (the usual cost file), the raw table becomes the final one
 *    (rejected rows deleted, columns renamed: no copy); otherwise one copy of the kept rows.
 * Line numbers come from the raw row's position (rowid + the first line) when the rows are
 * consecutive lines, else from the reader's lines table joined by position.
 */
import type { Connector } from '../db/connector.ts';
import { quoteIdent } from '../sql/ident.ts';
import {
  buildCheckSelect, buildDroppedRowsSql, buildDuplicatesSql, buildInsertRejectsSql, buildKeepTableSql, buildRejectedRowsSql,
  type CheckSpec, type PlannedColumn,
} from '../sql/load-validate.ts';
import { STAGED_REJECTS, dropTableSql, dropViewSql, stagingName } from '../sql/load-tables.ts';
import { insertChecks, insertRowRejects } from './load-checks.ts';
import { loadWarning, type LoadWarning } from './load-warnings.ts';
import { insertLines, type RawSource } from './source.ts';
import type { RejectCode } from './types.ts';

const KIND = 'costs';
const KEYS = ['demand_id', 'site_id'];
const CONTRACT_ORDER = ['demand_id', 'site_id', 'cost'];

export interface CostRowsInput {
  conn: Connector;
  fileName: string;
  /** The reader's raw table (`c0, c1, …`); it may become `fin`. */
  raw: string;
  /** The final staging table to create. */
  fin: string;
  source: RawSource;
  /** Contract columns (with `typed`), then the extras. */
  columns: readonly PlannedColumn[];
  totalsSources: readonly number[];
  /** Appending: the live costs table, whose pairs may not be loaded again. */
  appendTo: string | null;
  checkAbort: () => void;
  progress: (within: number) => void;
}

interface Counts {
  bad: number;
  ok: number;
  keys: number;
  /** Usable rows whose raw id text differs from the checked one (untrimmed); -1 when not asked. */
  changed: number;
  [soft: `u${number}`]: number;
}

export async function finishCostRows(input: CostRowsInput): Promise<{ warnings: LoadWarning[] }> {
  const { conn, source, columns, checkAbort } = input;
  const t = {
    lines: stagingName(KIND, 'lines'),
    rowrej: stagingName(KIND, 'rowrej'),
    view: stagingName(KIND, 'chkv'),
    checks: stagingName(KIND, 'checks'),
    dups: stagingName(KIND, 'dups'),
    dropped: stagingName(KIND, 'dropped'),
  };
  const warnings: LoadWarning[] = [];
  const first = firstLine(source.lines);
  if (first === null) await insertLines(conn, t.lines, source.lines);
  // The raw table is the final one as it stands when it holds exactly the contract columns in
  // order and the cost was read as a number; the ids are checked to be trimmed below.
  const sameShape =
    source.headers.length === CONTRACT_ORDER.length && columns.length === CONTRACT_ORDER.length &&
    columns.every((c, i) => c.out === CONTRACT_ORDER[i] && c.src === i) && columns[2].typed === true;
  const check = buildCheckSelect({
    raw: input.raw, lines: first === null ? t.lines : { first }, out: '', columns, totalsSources: input.totalsSources,
    ...(sameShape ? { passRaw: [0, 1] } : {}),
  });
  const checks: CheckSpec<RejectCode>[] = [...check.checks];
  const dupK = checks.length + 1;
  checks.push({ k: dupK, column: KEYS.join(','), code: 'duplicate_id', reason: 'duplicateLine', params: { column: KEYS.join(' + ') } });
  // Appending: a pair already loaded is a reject like a duplicate within the file.
  const appendK = input.appendTo ? dupK + 1 : null;
  if (appendK !== null) checks.push({ k: appendK, column: KEYS.join(','), code: 'duplicate_id', reason: 'alreadyLoaded', params: { column: KEYS.join(' + ') } });
  // Rows the reader flagged but kept (a trailing extra field): their reason wins.
  const flagged = await insertRowRejects(conn, t.rowrej, source.rowRejects ?? [], checks);
  let select = check.select;
  // A join does not keep the rows' order: the copy below sorts them back by line.
  const joined = flagged || appendK !== null;
  if (joined) {
    const loaded = appendK === null ? 'NULL'
      : `CASE WHEN EXISTS (SELECT 1 FROM ${quoteIdent(input.appendTo ?? '')} l WHERE ${KEYS.map((k) => `l.${quoteIdent(k)} = c.${quoteIdent(k)}`).join(' AND ')}) THEN ${appendK} END`;
    select = `SELECT c.* REPLACE ((coalesce(${flagged ? 'm.k, ' : ''}c.__bp_k, ${loaded}))::INTEGER AS __bp_k)
FROM (${check.select}) c${flagged ? ` LEFT JOIN ${quoteIdent(t.rowrej)} m ON m.line = c.__bp_line` : ''}`;
  }
  await conn.exec(`CREATE VIEW ${quoteIdent(t.view)} AS ${select}`);
  checkAbort();

  const v = quoteIdent(t.view);
  const keyHash = `hash(${KEYS.map(quoteIdent).join(', ')})`;
  const [counts] = await conn.query<Counts>(
    `SELECT count(*) FILTER (WHERE __bp_k IS NOT NULL)::DOUBLE AS bad, count(*) FILTER (WHERE __bp_k IS NULL)::DOUBLE AS ok,
       count(DISTINCT ${keyHash}) FILTER (WHERE __bp_k IS NULL)::DOUBLE AS keys,
       ${sameShape ? `count(*) FILTER (WHERE __bp_k IS NULL AND (__bp_r0 <> demand_id OR __bp_r1 <> site_id))::DOUBLE` : '-1::DOUBLE'} AS changed
       ${check.soft.map((c, i) => `, count(*) FILTER (WHERE __bp_k IS NULL AND ${quoteIdent(c.column)})::DOUBLE AS u${i}`).join('')}
     FROM ${v}`,
  );
  check.soft.forEach((c, i) => {
    const n = Number(counts[`u${i}`]);
    if (n > 0) warnings.push(loadWarning('unreadNumbers', { file: input.fileName, column: c.label, n }));
  });
  input.progress(0.55);
  checkAbort();

  // Hashes repeat: find the repeated pairs exactly (a hash collision alone finds none).
  let dups: string | null = null;
  if (counts.keys < counts.ok) {
    await conn.exec(buildDuplicatesSql(t.view, t.dups, KEYS));
    const [{ n }] = await conn.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${quoteIdent(t.dups)}`);
    if (n > 0) dups = t.dups;
    else await conn.exec(dropTableSql(t.dups));
  }
  if (counts.bad > 0 || dups !== null) {
    await insertChecks(conn, t.checks, checks);
    await conn.query(buildInsertRejectsSql(STAGED_REJECTS, buildRejectedRowsSql(t.view, dups, KEYS, dupK), t.checks), [KIND, input.fileName]);
    await conn.exec(dropTableSql(t.checks));
  }
  input.progress(0.65);
  checkAbort();

  if (sameShape && counts.changed === 0) {
    // The raw table as the final one: drop the rejected rows, name the columns.
    const drop = counts.bad > 0 || dups !== null;
    if (drop) await conn.exec(buildDroppedRowsSql(t.view, dups, t.dropped, KEYS));
    await conn.exec(dropViewSql(t.view));
    const raw = quoteIdent(input.raw);
    if (drop) await conn.exec(`DELETE FROM ${raw} WHERE rowid IN (SELECT __bp_row FROM ${quoteIdent(t.dropped)}); ${dropTableSql(t.dropped)}`);
    await conn.exec(
      [...CONTRACT_ORDER.map((c, i) => `ALTER TABLE ${raw} RENAME COLUMN c${i} TO ${quoteIdent(c)}`), `ALTER TABLE ${raw} RENAME TO ${quoteIdent(input.fin)}`].join('; '),
    );
  } else {
    await conn.exec(buildKeepTableSql(t.view, dups, input.fin, KEYS, columns.map((c) => c.out), joined));
    await conn.exec(`${dropViewSql(t.view)}; ${dropTableSql(input.raw)}`);
  }
  await conn.exec(`${dropTableSql(t.dups)}; ${dropTableSql(t.rowrej)}; ${dropTableSql(t.lines)}`);
  return { warnings };
}

/** The first row's line when the raw rows are consecutive lines, else null. */
function firstLine(lines: RawSource['lines']): number | null {
  if (!(lines instanceof Int32Array)) return lines.count > 0 ? lines.first : null;
  if (lines.length === 0) return null;
  for (let i = 1; i < lines.length; i++) if (lines[i] !== lines[i - 1] + 1) return null;
  return lines[0];
}
