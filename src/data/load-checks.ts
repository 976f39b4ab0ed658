/**
 * The small tables validation joins to its rows: each check's reason (the checks table) and the
 * rows a reader flagged but kept (line → check). Both are data inserted as Arrow, so no text
 * from a file is spliced into SQL. Shared by the general loader and the cost-file path.
 */
import { Int32, Table, Utf8, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Connector } from '../db/connector.ts';
import type { CheckSpec } from '../sql/load-validate.ts';
import type { RawSource } from './source.ts';
import type { RejectCode } from './types.ts';
import { paramsJson } from './reject-reasons.ts';

/** The checks table `(k, col, code, reason, params)`: what each check number means. */
export async function insertChecks(conn: Connector, table: string, checks: readonly CheckSpec<RejectCode>[]): Promise<void> {
  const t = new Table({
    k: makeVector({ type: new Int32(), data: Int32Array.from(checks, (c) => c.k) }),
    col: vectorFromArray(checks.map((c) => c.column), new Utf8()),
    code: vectorFromArray(checks.map((c) => c.code), new Utf8()),
    reason: vectorFromArray(checks.map((c) => c.reason), new Utf8()),
    params: vectorFromArray(checks.map((c) => paramsJson(c.params)), new Utf8()),
  });
  await conn.insertArrowIPC(table, tableToIPC(t, 'stream'));
}

/**
 * The rows the reader flagged but kept (`rowRejects`), as a table `(line, k)`, with one new
 * check per distinct reason and parameters pushed onto `checks`. False (no table) when none.
 */
export async function insertRowRejects(
  conn: Connector,
  table: string,
  rows: NonNullable<RawSource['rowRejects']>,
  checks: CheckSpec<RejectCode>[],
): Promise<boolean> {
  if (rows.length === 0) return false;
  const kByReason = new Map<string, number>();
  const keyOf = (r: (typeof rows)[number]) => `${r.reason} ${paramsJson(r.params)}`;
  for (const r of rows) {
    const key = keyOf(r);
    if (kByReason.has(key)) continue;
    const k = checks.reduce((m, c) => Math.max(m, c.k), 0) + 1;
    checks.push({ k, column: null, code: r.code, reason: r.reason, params: r.params });
    kByReason.set(key, k);
  }
  const t = new Table({
    line: makeVector({ type: new Int32(), data: Int32Array.from(rows, (r) => r.line) }),
    k: makeVector({ type: new Int32(), data: Int32Array.from(rows, (r) => kByReason.get(keyOf(r))!) }),
  });
  await conn.insertArrowIPC(table, tableToIPC(t, 'stream'));
  return true;
}
