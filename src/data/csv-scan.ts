/**
 * Quote-aware scan of a CSV's records, in JS, to give every row its *physical* line number
 * (DESIGN.md: the header is line 1; a quoted field may span lines).
 *
 * Why: DuckDB's `read_csv` numbers rows by record, not by physical line, and reports a rejected
 * row by its byte offset (`line_byte_position`). This scan records where each record starts
 * (byte offset) and on which line, so rejected rows are located by byte offset and kept rows
 * get their lines by position. The state machine follows DuckDB's parser (verified on both
 * engines, see csv-scan.test.ts): a quote opens a quoted field only at the start
 * of a field; `""` inside quotes is a literal quote; CRLF, LF and lone CR all end a record;
 * empty lines are not records (DuckDB skips them), whitespace-only lines are.
 */

export interface CsvScan {
  /** Byte offset where each record starts; record 0 is the header (Float64 past 4 GiB). */
  starts: Uint32Array | Float64Array;
  /** Physical line (1-based) on which each record starts. */
  lines: Uint32Array;
  /** Number of records, header included. */
  count: number;
  /** Byte length of the scanned text, so the last record's end is known. */
  size: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Scan `bytes` (UTF-8, no BOM) and return record starts and lines. */
export function scanCsvRecords(bytes: Uint8Array, delimiter: number): CsvScan {
  if (bytes.indexOf(QUOTE) === -1 && !hasLoneCR(bytes)) return scanPlain(bytes);
  return scanQuoted(bytes, delimiter);
}

/** No quotes and only LF/CRLF endings: records are lines; use indexOf (memchr speed). */
function scanPlain(bytes: Uint8Array): CsvScan {
  const out = new Growable();
  let pos = 0;
  let line = 1;
  const n = bytes.length;
  while (pos < n) {
    const nl = bytes.indexOf(LF, pos);
    const end = nl === -1 ? n : nl;
    const isBlank = end === pos || (end === pos + 1 && bytes[pos] === CR);
    if (!isBlank) out.push(pos, line);
    if (nl === -1) break;
    pos = nl + 1;
    line++;
  }
  return out.done(n);
}

function hasLoneCR(bytes: Uint8Array): boolean {
  let i = bytes.indexOf(CR);
  while (i !== -1) {
    if (bytes[i + 1] !== LF) return true;
    i = bytes.indexOf(CR, i + 1);
  }
  return false;
}

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/** The quoting state after byte `b` inside a record (not a record end). */
function nextFieldState(state: number, b: number, delimiter: number): number {
  switch (state) {
    case FIELD_START:
      return b === QUOTE ? QUOTED : b === delimiter ? FIELD_START : UNQUOTED;
    case UNQUOTED:
      return b === delimiter ? FIELD_START : UNQUOTED;
    case QUOTED:
      return b === QUOTE ? QUOTE_IN_QUOTED : QUOTED;
    default:
      // QUOTE_IN_QUOTED: `""` is an escaped quote; a delimiter closes the field; anything else is
      // malformed (DuckDB rejects the row) and the rest of the field reads as unquoted.
      return b === QUOTE ? QUOTED : b === delimiter ? FIELD_START : UNQUOTED;
  }
}

function scanQuoted(bytes: Uint8Array, delimiter: number): CsvScan {
  const out = new Growable();
  const n = bytes.length;
  let state = FIELD_START;
  let line = 1;
  let recStart = 0;
  let recLine = 1;
  let recEmpty = true;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === LF || b === CR) {
      // CRLF is one line ending.
      if (b === CR && bytes[i + 1] === LF) i++;
      if (state === QUOTED) {
        line++;
        continue;
      }
      if (!recEmpty) out.push(recStart, recLine);
      line++;
      state = FIELD_START;
      recStart = i + 1;
      recLine = line;
      recEmpty = true;
      continue;
    }
    recEmpty = false;
    state = nextFieldState(state, b, delimiter);
  }
  if (!recEmpty) out.push(recStart, recLine);
  return out.done(n);
}

class Growable {
  starts = new Uint32Array(1024);
  lines = new Uint32Array(1024);
  count = 0;
  push(start: number, line: number): void {
    if (this.count === this.starts.length) {
      const s = new Uint32Array(this.count * 2);
      s.set(this.starts);
      this.starts = s;
      const l = new Uint32Array(this.count * 2);
      l.set(this.lines);
      this.lines = l;
    }
    this.starts[this.count] = start;
    this.lines[this.count] = line;
    this.count++;
  }
  done(size: number): CsvScan {
    return { starts: this.starts.subarray(0, this.count), lines: this.lines.subarray(0, this.count), count: this.count, size };
  }
}

/** Index of the record that contains byte offset `pos` (−1 before the first record). */
export function recordAt(scan: CsvScan, pos: number): number {
  let lo = 0;
  let hi = scan.count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (scan.starts[mid] <= pos) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Index of the record that starts on physical line `line` (−1 if none does). */
export function recordOnLine(scan: CsvScan, line: number): number {
  let lo = 0;
  let hi = scan.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const l = scan.lines[mid];
    if (l === line) return mid;
    if (l < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The bytes of record `i` without its line ending (and without blank lines after it). */
export function recordBytes(bytes: Uint8Array, scan: CsvScan, i: number): Uint8Array {
  let end = i + 1 < scan.count ? scan.starts[i + 1] : scan.size;
  while (end > scan.starts[i] && (bytes[end - 1] === LF || bytes[end - 1] === CR)) end--;
  return bytes.subarray(scan.starts[i], end);
}

/**
 * Split one record's text into fields (for the header, and for rendering): unquotes quoted
 * fields and turns `""` into `"`.
 */
export function splitRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let inQuotes = false;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
        } else inQuotes = false;
      } else cur += ch;
    } else if (ch === delimiter) {
      fields.push(cur);
      cur = '';
      atFieldStart = true;
      continue;
    } else if (ch === '"' && atFieldStart) inQuotes = true;
    else cur += ch;
    atFieldStart = false;
  }
  fields.push(cur);
  return fields;
}

const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'];

/**
 * The delimiter of a header line: the candidate (`,` `;` tab `|`) that occurs most often outside
 * quotes; a comma on ties or when none occurs (a one-column file).
 */
export function detectDelimiter(headerText: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of CANDIDATE_DELIMITERS) {
    const count = splitRecord(headerText, d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Every record-ending CRLF or lone CR (outside quotes) as LF; `bytes` itself when it has no CR.
 *
 * Why: DuckDB's reader picks one line ending per file and refuses a mix ("The CSV Parser state
 * machine reached an invalid state") or reads a quoted CRLF in the header as the file's ending
 * (0 rows). Spreadsheets (Excel, LibreOffice, WPS) end a row at CRLF, LF or a lone CR, and so
 * does this loader in the CLI and the browser alike: a row split by a lone CR becomes two
 * records, each rejected for its field count. Line numbers do not change (the scan counts a
 * lone CR as a line, as before). Quoted CR/CRLF stay: they are part of a value.
 */
export function normalizeLineEndings(bytes: Uint8Array, delimiter: number): Uint8Array {
  if (bytes.indexOf(CR) === -1) return bytes;
  const out = new Uint8Array(bytes.length);
  let o = 0;
  let state = FIELD_START;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if ((b === CR || b === LF) && state !== QUOTED) {
      if (b === CR && bytes[i + 1] === LF) i++;
      out[o++] = LF;
      state = FIELD_START;
      continue;
    }
    out[o++] = b;
    state = nextFieldState(state, b, delimiter);
  }
  return out.subarray(0, o);
}
