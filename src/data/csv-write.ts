/**
 * The one CSV encoder for everything we export: the Share tab's aggregate downloads, the rejects
 * report (browser download and the CLI's `--rejects`) and the CLI's `--out` tables.
 *
 * - RFC 4180 quoting: a field holding a comma, quote, CR or LF is quoted, quotes doubled.
 * - LF line endings, a header line (guarded and quoted like any text), `.` decimals; UTF-8.
 * - A UTF-8 BOM leads unless `bom: false`: browser downloads are opened by people, mostly in
 *   Excel, which reads Chinese names as the local code page without it; the CLI writes none
 *   (its files feed scripts, where a BOM would stick to the first column's name).
 * - Formula guard (OWASP "CSV Injection"): text that a spreadsheet would evaluate as a formula,
 *   i.e. starting with = + - @, tab or CR, gets a leading apostrophe, because names, ids and
 *   rejected rows come from users' files. Only text is guarded: a number is written as a
 *   number (-1.5 stays -1.5; the string "-1.5" becomes '-1.5). In the rejects report this
 *   applies to `raw` too: the row's text is written unaltered except for that apostrophe.
 * - null/undefined and non-finite numbers are empty; bigint in full; booleans true/false;
 *   a Date as its ISO text; other objects as JSON.
 */
export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 quoting of one field's text, nothing else: quoted when it holds a comma, quote, CR or LF. */
export function quoteCsvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One exported cell: numbers as numbers, text formula-guarded and quoted. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s: string;
  if (typeof v === 'string') s = v;
  else if (v instanceof Date) s = v.toISOString();
  else if (typeof v === 'object') s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  else s = String(v);
  return quoteCsvField(FORMULA_START.test(s) ? "'" + s : s);
}

/** A table as CSV text: the header, then one line per row with `columns` picked in order. */
export function toCsv<R extends object>(columns: ReadonlyArray<keyof R & string>, rows: readonly R[], opts: { bom?: boolean } = {}): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(','));
  return (opts.bom === false ? '' : '\uFEFF') + lines.join('\n') + '\n';
}
