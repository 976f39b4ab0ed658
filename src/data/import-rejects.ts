/**
 * The rejects report as data: counts by reason over the files of a load, and the downloadable
 * CSV `file,line,column,reason,raw` (the CLI's `--rejects` columns). Pure.
 */
import type { FileReport, RejectCode, RejectRow } from './types.ts';
import { toCsv } from './csv-write.ts';

export const REJECTS_CSV_COLUMNS = ['file', 'line', 'column', 'reason', 'raw'] as const;

/** Rejected rows per reason code over all files, most frequent first. */
export function countsByCode(files: readonly FileReport[]): Array<{ code: RejectCode; n: number }> {
  const total = new Map<RejectCode, number>();
  for (const f of files) {
    for (const [code, n] of Object.entries(f.rejectsByCode) as Array<[RejectCode, number]>) total.set(code, (total.get(code) ?? 0) + n);
  }
  return [...total].map(([code, n]) => ({ code, n })).sort((a, b) => b.n - a.n || a.code.localeCompare(b.code));
}

/**
 * The rejects as CSV, written by the one export encoder (csv-write.ts): quoted, formula-guarded,
 * LF. `reason` is the reason said by `say` (the UI's language, or the CLI's `--lang`). `raw` is
 * the row's text as the user's own file had it, never "fixed", except that text a spreadsheet
 * would run as a formula gets the encoder's neutralising apostrophe. A UTF-8 BOM leads unless
 * `bom: false` (the browser download has it for Excel; the CLI's --rejects not).
 */
export function rejectsCsv(rows: readonly RejectRow[], say: (r: RejectRow) => string, opts: { bom?: boolean } = {}): string {
  return toCsv(REJECTS_CSV_COLUMNS, rows.map((r) => ({ file: r.file, line: r.line, column: r.column, reason: say(r), raw: r.raw })), opts);
}

/** `customers_rejects.csv`-style download name from the files of the load. */
export function rejectsFileName(files: readonly { file: string }[]): string {
  const stem = files.length === 1 ? files[0].file.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '') : 'dataset';
  return `${stem || 'dataset'}_rejects.csv`;
}
