/**
 * Excel (.xlsx) → raw table, through exceljs (banks live in Excel). The header is the first row
 * that looks like one (see header-row.ts); "line" is the Excel row number, so a user finds a rejected row where Excel shows
 * it. Cells are read as the text a user sees (formula results, rich text, dates as ISO dates)
 * and typed by the same validation SQL as CSV.
 */
import { Table, Utf8, vectorFromArray, tableToIPC, type Vector } from 'apache-arrow';
import type { Connector } from '../db/connector.ts';
import { FileProblemError } from './errors.ts';
import { loadWarning } from './load-warnings.ts';
import { HEADER_SEARCH_ROWS, findHeaderRow, isTotalsRow } from './header-row.ts';
import { assertColumnLimit, dedupeHeaders, headerRenameWarnings, toCsvLine, type RawSource, type SourceNames } from './source.ts';
import type { InputKind, RejectRow } from './types.ts';
import { rejectReason } from './reject-reasons.ts';

type CellValue = unknown;

export async function readXlsxSource(
  conn: Connector,
  kind: InputKind,
  fileName: string,
  bytes: Uint8Array,
  sheetName: string | undefined,
  names: SourceNames,
): Promise<RawSource> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs wants an ArrayBuffer of exactly the file.
    await wb.xlsx.load(bytes.slice().buffer as ArrayBuffer);
  } catch (e) {
    throw FileProblemError.fromEngine(new Error(`xlsx: ${(e as Error)?.message ?? String(e)}`));
  }
  const ws = sheetName === undefined ? wb.worksheets[0] : wb.getWorksheet(sheetName);
  if (!ws) {
    const sheets = wb.worksheets.map((w) => w.name).join(', ');
    throw new FileProblemError(
      sheetName === undefined ? 'has no worksheets' : `has no sheet named "${sheetName}" (sheets: ${sheets})`,
    );
  }
  const rows: { line: number; values: string[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells = row.values as CellValue[]; // 1-based, sparse
    const values: string[] = [];
    for (let c = 1; c < cells.length; c++) values.push(cellText(cells[c]));
    while (values.length && values[values.length - 1] === '') values.pop();
    if (values.length) rows.push({ line: rowNumber, values });
  });
  if (rows.length === 0) throw new FileProblemError(`is empty: sheet "${ws.name}" has no header row and no data`);
  // A title (often merged across the columns) or notes may sit above the header.
  const h = findHeaderRow(rows.slice(0, HEADER_SEARCH_ROWS).map((r) => r.values), kind);
  const warnings = h > 0 ? [loadWarning('headerRow', { file: fileName, line: rows[h].line })] : [];
  if (rows.length === h + 1) throw new FileProblemError(`has a header row but no data rows (sheet "${ws.name}")`);
  assertColumnLimit(rows[h].values.length);
  const headers = dedupeHeaders(rows[h].values);
  warnings.push(...headerRenameWarnings(fileName, rows[h].values));
  const width = headers.length;
  const readerRejects: RejectRow[] = [];
  const kept: { line: number; values: string[] }[] = [];
  const rawByLine = new Map<number, string[]>();
  for (const r of rows.slice(h + 1)) {
    rawByLine.set(r.line, r.values);
    if (isTotalsRow(r.values) && r.values.length > width) {
      readerRejects.push({ kind, file: fileName, line: r.line, column: null, code: 'totals_row', ...rejectReason('totals'), raw: toCsvLine(r.values) });
    } else if (r.values.length > width) {
      readerRejects.push({
        kind, file: fileName, line: r.line, column: null, code: 'extra_values',
        ...rejectReason('extraValues', { fields: r.values.length, header: width }),
        raw: toCsvLine(r.values),
      });
    } else kept.push(r);
  }
  const columns: Record<string, Vector> = {};
  headers.forEach((_, i) => {
    columns[`c${i}`] = vectorFromArray(kept.map((r) => r.values[i] ?? null), new Utf8());
  });
  await conn.insertArrowIPC(names.raw, tableToIPC(new Table(columns), 'stream'));
  return {
    format: 'xlsx',
    headers,
    lines: Int32Array.from(kept, (r) => r.line),
    rowsRead: rows.length - 1 - h,
    readerRejects,
    rawText: (line) => {
      const v = rawByLine.get(line);
      return v ? toCsvLine(v) : null;
    },
    warnings,
  };
}

/** What Excel shows in the cell, as text ('' for empty). */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  // Booleans as 0/1 so a TRUE/FALSE flag column validates as default_flag / digital_active.
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('result' in o) return cellText(o.result); // formula
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('text' in o) return cellText(o.text); // hyperlink
    if ('error' in o) return String(o.error); // #N/A, #DIV/0! …: not a number, rejected as such
  }
  return String(v);
}
