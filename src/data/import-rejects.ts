/**
 * The rejects report as data: counts by reason over the files of a load, and the downloadable
 * CSV `file,line,column,reason,raw` (the CLI's `--rejects` columns). Pure.
 */
import type { FileReport, RejectCode, RejectRow } from './types.ts';

export const REJECTS_CSV_COLUMNS = ['file', 'line', 'column', 'reason', 'raw'] as const;

/** Rejected rows per reason code over all files, most frequent first. */
export function countsByCode(files: readonly FileReport[]): Array<{ code: RejectCode; n: number }> {
  const total = new Map<RejectCode, number>();
  for (const f of files) {
    for (const [code, n] of Object.entries(f.rejectsByCode) as Array<[RejectCode, number]>) total.set(code, (total.get(code) ?? 0) + n);
  }
  return [...total].map(([code, n]) => ({ code, n })).sort((a, b) => b.n - a.n || a.code.localeCompare(b.code));
}

/** One CSV field, RFC 4180: quoted when it holds a comma, quote, CR or LF. */
function field(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The rejects as CSV. `raw` is the row's text unaltered (DESIGN.md), so a hostile row is written
 * as the user's own file had it, quoted, never "fixed". A UTF-8 BOM leads so spreadsheet programs
 * read Chinese text as UTF-8 (a browser download is opened by people, mostly in Excel).
 */
export function rejectsCsv(rows: readonly RejectRow[], opts: { bom?: boolean } = {}): string {
  const lines = [REJECTS_CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push([field(r.file), field(r.line), field(r.column), field(r.reason), field(r.raw)].join(','));
  return (opts.bom === false ? '' : '\uFEFF') + lines.join('\n') + '\n';
}

/** `customers_rejects.csv`-style download name from the files of the load. */
export function rejectsFileName(files: readonly { file: string }[]): string {
  const stem = files.length === 1 ? files[0].file.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '') : 'dataset';
  return `${stem || 'dataset'}_rejects.csv`;
}
