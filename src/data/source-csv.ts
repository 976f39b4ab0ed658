/**
 * CSV → raw table through DuckDB's `read_csv` with `store_rejects` (never `ignore_errors`: a
 * row DuckDB cannot parse must be reported, not skipped). The header and the delimiter are
 * read in JS so the column list is explicit (no sniffing differences between engines or
 * files), and rows are matched to physical lines with the record scan (see csv-scan.ts).
 */
import type { Connector } from '../db/connector.ts';
import { quoteIdent } from '../sql/ident.ts';
import { detectDelimiter, normalizeLineEndings, recordAt, recordBytes, recordOnLine, scanCsvRecords, splitRecord } from './csv-scan.ts';
import { toUtf8, EncodingError } from './decode.ts';
import { FileProblemError } from './errors.ts';
import { loadWarning, type LoadWarning } from './load-warnings.ts';
import { HEADER_SEARCH_ROWS, findHeaderRow, isTotalsRow } from './header-row.ts';
import { TOTALS_REASON } from '../sql/load-validate.ts';
import { assertColumnLimit, dedupeHeaders, headerRenameWarnings, type ColumnTyping, type RawSource, type SourceNames } from './source.ts';
import type { InputKind, RejectCode, RejectRow } from './types.ts';

const utf8 = new TextDecoder();

/** DuckDB delimiter literals for the delimiters detectDelimiter may return. */
const DELIM_SQL: Record<string, string> = { ',': "','", ';': "';'", '\t': "'\\t'", '|': "'|'" };
export async function readCsvSource(
  conn: Connector,
  kind: InputKind,
  fileName: string,
  input: Uint8Array,
  names: SourceNames,
  typing: ColumnTyping,
): Promise<RawSource> {
  let decoded;
  try {
    decoded = toUtf8(input);
  } catch (e) {
    if (e instanceof EncodingError) throw new FileProblemError(e.message, e.line);
    throw e;
  }
  const warnings: LoadWarning[] = [];
  if (decoded.encoding === 'utf-16le' || decoded.encoding === 'utf-16be') {
    warnings.push(loadWarning('utf16', { file: fileName, encoding: decoded.encoding.toUpperCase() }));
  }
  if (decoded.encoding === 'gbk') {
    warnings.push(loadWarning('gbk', { file: fileName }));
  }
  if (isBlank(decoded.bytes)) throw new FileProblemError('is empty: expected a header line and data rows');

  // Quotes and delimiters are ASCII, so detect on the first lines before the full scan.
  const delimiter = detectDelimiter(firstDelimitedLine(decoded.bytes));
  const bytes = normalizeLineEndings(decoded.bytes, delimiter.charCodeAt(0));
  if (delimiter !== ',') warnings.push(loadWarning('delimiter', { file: fileName, delimiter }));
  const scan = scanCsvRecords(bytes, delimiter.charCodeAt(0));
  // Title or note rows may sit above the header (Excel exports): records before it are not data.
  const firstRecords = Array.from({ length: Math.min(scan.count, HEADER_SEARCH_ROWS) }, (_, i) =>
    splitRecord(utf8.decode(recordBytes(bytes, scan, i)), delimiter),
  );
  const h = findHeaderRow(firstRecords, kind);
  assertColumnLimit(firstRecords[h].length);
  const headers = dedupeHeaders(firstRecords[h]);
  warnings.push(...headerRenameWarnings(fileName, firstRecords[h]));
  if (h > 0) warnings.push(loadWarning('headerLine', { file: fileName, line: scan.lines[h] }));
  if (scan.count < h + 2) throw new FileProblemError('has a header line but no data rows');
  const { types, labels, coordinates } = typing(headers);

  // read_csv takes `1_21.5` for 121.5 (digit separators): where a digit-underscore-digit occurs
  // at all, numbers are read as text and parsed strictly by the validation SQL instead.
  if (hasDigitUnderscore(bytes)) types.forEach((t, i) => (types[i] = t === 'DOUBLE' ? 'VARCHAR' : t));
  await conn.registerFile(names.file, bytes);
  try {
    const read = async () => {
      const columns = headers.map((_, i) => `'c${i}': '${types[i]}'`).join(', ');
      // skip: blank and title lines before the header, which DuckDB would otherwise take as the header.
      await conn.exec(`CREATE TABLE ${quoteIdent(names.raw)} AS SELECT * FROM read_csv('${names.file}',
        delim = ${DELIM_SQL[delimiter]}, quote = '"', escape = '"', new_line = '\\n', header = true, skip = ${scan.lines[h] - 1},
        auto_detect = false, columns = {${columns}}, store_rejects = true,
        rejects_table = '${names.rejects}', rejects_scan = '${names.rejectScans}')`);
    };
    await read();
    // Numbers as exports write them (`311,033.07`, `3.5%`, `--`) fail read_csv's DOUBLE: read
    // those columns again as text, for the validation SQL to parse. Clean files read once.
    const failed = await conn.query<{ col: string }>(
      `SELECT DISTINCT column_name AS col FROM ${quoteIdent(names.rejects)} WHERE error_type::VARCHAR = 'CAST' AND column_name IS NOT NULL`,
    );
    const retype = failed.map((f) => (/^c\d+$/.test(f.col) ? Number(f.col.slice(1)) : -1)).filter((i) => types[i] === 'DOUBLE');
    if (retype.length) {
      for (const i of retype) types[i] = 'VARCHAR';
      await conn.exec(`DROP TABLE ${quoteIdent(names.raw)}; DROP TABLE IF EXISTS ${quoteIdent(names.rejects)}; DROP TABLE IF EXISTS ${quoteIdent(names.rejectScans)}`);
      await read();
    }
  } finally {
    await conn.dropFile(names.file);
  }

  const rawText = (line: number): string | null => {
    const i = recordOnLine(scan, line);
    return i < 0 ? null : utf8.decode(recordBytes(bytes, scan, i));
  };
  // One reject per row: a structural error (wrong field count, quoting) before any value that
  // is not a number — a ragged row's fields cannot be trusted — then the first by position.
  const dbRejects = await conn.query<{ pos: number; et: string; col: string | null }>(
    `SELECT line_byte_position::DOUBLE AS pos,
       arg_min(error_type::VARCHAR, (error_type::VARCHAR = 'CAST', byte_position)) AS et,
       arg_min(column_name, (error_type::VARCHAR = 'CAST', byte_position)) AS col
     FROM ${quoteIdent(names.rejects)} GROUP BY 1 ORDER BY 1`,
  );
  const rejected = new Set<number>();
  const readerRejects: RejectRow[] = [];
  for (const r of dbRejects) {
    const rec = recordAt(scan, skipLineEnd(bytes, r.pos));
    if (rec <= h || rejected.has(rec)) continue;
    rejected.add(rec);
    const raw = utf8.decode(recordBytes(bytes, scan, rec));
    const fields = splitRecord(raw, delimiter);
    if (isTotalsRow(fields)) {
      readerRejects.push({ kind, file: fileName, line: scan.lines[rec], column: null, reason: TOTALS_REASON, code: 'totals_row', raw });
      continue;
    }
    // A wrong field count wins over any other error (DuckDB may report a bad number first on a
    // row that also has one extra, empty trailing field, which it would otherwise accept).
    if (r.et === 'CAST' && fields.length === headers.length && r.col !== null && /^c\d+$/.test(r.col)) {
      // A numeric contract column that DuckDB could not read as a number.
      const i = Number(r.col.slice(1));
      const blank = (fields[i] ?? '').trim() === '';
      const [code, reason]: [RejectCode, string] = blank
        ? coordinates[i]
          ? ['coord_empty', `${labels[i]} is empty`]
          : ['not_a_number', `${labels[i]} holds only spaces; leave it empty or give a number`]
        : ['not_a_number', `${labels[i]} is not a number`];
      readerRejects.push({ kind, file: fileName, line: scan.lines[rec], column: labels[i], reason, code, raw });
      continue;
    }
    const countError = r.et === 'CAST' || r.et === 'TOO MANY COLUMNS' || r.et === 'MISSING COLUMNS';
    const { code, reason } = describeReaderError(countError && fields.length !== headers.length ? 'TOO MANY COLUMNS' : r.et, fields.length, headers.length);
    readerRejects.push({ kind, file: fileName, line: scan.lines[rec], column: null, reason, code, raw });
  }
  await conn.exec(`DROP TABLE IF EXISTS ${quoteIdent(names.rejects)}; DROP TABLE IF EXISTS ${quoteIdent(names.rejectScans)}`);

  const lines = new Int32Array(scan.count - 1 - h - rejected.size);
  const rowRejects: { line: number; code: RejectCode; reason: string }[] = [];
  const delimByte = delimiter.charCodeAt(0);
  for (let rec = h + 1, j = 0; rec < scan.count; rec++) {
    if (rejected.has(rec)) continue;
    lines[j++] = scan.lines[rec];
    // DuckDB tolerates one extra empty field at the end of a row (`a,b,` or `a,b,""`); count the
    // fields of rows ending in a delimiter or quote, the only ones where that can happen.
    const raw = recordBytes(bytes, scan, rec);
    const last = raw[raw.length - 1];
    if (last === delimByte || last === 0x22) {
      const fields = splitRecord(utf8.decode(raw), delimiter).length;
      if (fields !== headers.length) rowRejects.push({ line: scan.lines[rec], ...describeReaderError('TOO MANY COLUMNS', fields, headers.length) });
    }
  }
  const [{ n }] = await conn.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${quoteIdent(names.raw)}`);
  if (n !== lines.length) {
    throw new FileProblemError(
      `rows could not be matched to line numbers (DuckDB read ${n} rows, ${lines.length} were expected); the file may be malformed`,
    );
  }
  return {
    format: 'csv', headers, typed: types.map((t) => t === 'DOUBLE'), lines, rowsRead: scan.count - 1 - h,
    readerRejects, rowRejects, rawText, warnings, encoding: decoded.encoding,
  };
}

/** The first of the first lines that holds a delimiter candidate (a title line may hold none). */
function firstDelimitedLine(bytes: Uint8Array): string {
  let first: string | null = null;
  for (let pos = 0, n = 0; pos < bytes.length && n < HEADER_SEARCH_ROWS; n++) {
    const nl = bytes.indexOf(0x0a, pos);
    const line = utf8.decode(bytes.subarray(pos, nl === -1 ? bytes.length : nl)).replace(/\r$/, '');
    first ??= line;
    if (/[,;\t|]/.test(line)) return line;
    if (nl === -1) break;
    pos = nl + 1;
  }
  return first ?? '';
}

const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;

function hasDigitUnderscore(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0x5f); i !== -1; i = bytes.indexOf(0x5f, i + 1)) {
    if (isDigit(bytes[i - 1]) && isDigit(bytes[i + 1])) return true;
  }
  return false;
}

function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

/** DuckDB may report a row's start at the line ending before it; step over that. */
function skipLineEnd(bytes: Uint8Array, pos: number): number {
  while (pos < bytes.length && (bytes[pos] === 0x0a || bytes[pos] === 0x0d)) pos++;
  return pos;
}

function describeReaderError(errorType: string, fields: number, headerFields: number): { code: RejectCode; reason: string } {
  switch (errorType) {
    case 'TOO MANY COLUMNS':
    case 'MISSING COLUMNS':
      return { code: 'ragged_row', reason: `row has ${fields} field${fields === 1 ? '' : 's'}, the header has ${headerFields}` };
    case 'UNQUOTED VALUE':
      return { code: 'bad_quoting', reason: 'a quoted field is not closed properly (a closing quote must be followed by the delimiter or the line end)' };
    case 'LINE SIZE OVER MAXIMUM':
      return { code: 'line_too_long', reason: 'row is longer than the maximum line size (2 MB)' };
    default:
      return { code: 'unreadable_row', reason: `row could not be read (${errorType.toLowerCase()})` };
  }
}
