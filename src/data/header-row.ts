/**
 * Which row of a CSV or Excel sheet is the header. Exports from Excel and core-banking reports
 * often put a title ("2025年三季度 上海分行网点清单", merged across the columns), a date or blank
 * rows above it. The header is the first row that looks like one: text only, and naming at least
 * two of the kind's columns as `guessMapping` knows them; failing that, the first row that is
 * mostly filled with text; failing that, the first row (whose problems are then reported as
 * today). Pure: no IO.
 */
import { TOTALS_PATTERN } from '../sql/load-validate.ts';
import { guessMapping } from './column-guess.ts';
import type { InputKind } from './types.ts';

/** Rows looked at; a header below this many rows of preamble is not a header. */
export const HEADER_SEARCH_ROWS = 20;

const NUMBER = /^[+-]?(\d+([.,]\d+)*|\.\d+)(e[+-]?\d+)?%?$/i;

/** Index in `rows` (the file's first non-blank rows, as fields) of the header row. */
export function findHeaderRow(rows: readonly (readonly string[])[], kind: InputKind): number {
  const head = rows.slice(0, HEADER_SEARCH_ROWS).map((r) => r.map((v) => v.trim()));
  const isText = (r: readonly string[]) => r.every((v) => v === '' || !NUMBER.test(v));
  const filled = (r: readonly string[]) => r.filter((v) => v !== '').length;
  for (let i = 0; i < head.length; i++) {
    const r = head[i];
    if (filled(r) >= 2 && isText(r) && Object.keys(guessMapping(r, kind)).length >= 2) return i;
  }
  const width = Math.max(0, ...head.map(filled));
  for (let i = 0; i < head.length; i++) {
    const r = head[i];
    if (filled(r) >= Math.max(2, Math.ceil(width / 2)) && isText(r)) return i;
  }
  return 0;
}

/**
 * A totals row: its first or second cell is 合计, 总计, 小计 or Total (alone or followed by a
 * colon or more text), the rows Excel reports add at the end. Same rule as the SQL check
 * for rows the reader itself rejected.
 */
export function isTotalsRow(fields: readonly string[]): boolean {
  return fields.slice(0, 2).some((f) => TOTALS.test(f.trim()));
}

const TOTALS = new RegExp(TOTALS_PATTERN, 'i');
