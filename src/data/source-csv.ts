/**
 * CSV → raw table through DuckDB's `read_csv` with `store_rejects` (never `ignore_errors`: a
 * row DuckDB cannot parse must be reported, not skipped). The header and the delimiter are
 * read in JS so the column list is explicit (no sniffing differences between engines or
 * files), and rows are matched to physical lines with the record scan (see csv-scan.ts).
 *
 * Two routes to DuckDB: a Blob (the browser's File) that is plain UTF-8 with one kind of line
 * ending is scanned in chunks and read by DuckDB where it is (`Connector.registerBlob`), so a
 * city's 700 MB customer file is never held whole in JS nor copied into the wasm heap; anything
 * else (bytes, GBK, UTF-16, mixed line endings) is decoded and normalised in memory first, up to
 * NORMALIZE_MAX_BYTES. Both routes share the scan, the header search and the reject matching.
 */
import type { Connector } from '../db/connector.ts';
import { quoteIdent } from '../sql/ident.ts';
import { detectDelimiter, normalizeLineEndings, recordAt, recordBytes, recordOnLine, splitRecord } from './csv-scan.ts';
import { CsvStreamScanner, scanCsvStream, type StreamScan } from './csv-stream-scan.ts';
import { toUtf8, EncodingError, Utf8Check } from './decode.ts';
import { FileProblemError } from './errors.ts';
import { loadWarning, type LoadWarning } from './load-warnings.ts';
import { HEADER_SEARCH_ROWS, findHeaderRow, isTotalsRow } from './header-row.ts';
import { assertColumnLimit, dedupeHeaders, headerRenameWarnings, insertLines, scratch, type CheckedRead, type ColumnTyping, type RawSource, type SourceNames } from './source.ts';
import type { InputKind, RejectCode, RejectRow } from './types.ts';
import { rejectReason, type ReasonCode, type RejectReason } from './reject-reasons.ts';

const utf8 = new TextDecoder();

/** DuckDB delimiter literals for the delimiters detectDelimiter may return. */
const DELIM_SQL: Record<string, string> = { ',': "','", ';': "';'", '\t': "'\\t'", '|': "'|'" };
/**
 * Largest CSV, in bytes, that may be decoded or normalised in memory (GBK, UTF-16, mixed or lone-CR
 * line endings): that route holds the text about three times (file, converted text, DuckDB's copy).
 * Plain UTF-8 files with one kind of line ending of any size are read in place instead.
 */
export const NORMALIZE_MAX_BYTES = 512 * 1024 * 1024;

/** Bytes read per step of the in-place scan (progress and cancellation between steps); tests lower it. */
export const CSV_SCAN = { chunkBytes: 8 * 1024 * 1024 };

/** Bytes at the head of a file searched for the header row (doubled while too few records fit). */
const HEAD_BYTES = 1024 * 1024;
const HEAD_MAX_BYTES = 64 * 1024 * 1024;

export interface CsvReadHooks {
  /** Fraction (0..1) of the file scanned so far. */
  onScan?: (fraction: number) => void;
  /** Throws when the load was cancelled (checked between chunks). */
  checkAbort?: () => void;
  /** Override of the scan's chunk size (tests). */
  chunkBytes?: number;
  /** Override of NORMALIZE_MAX_BYTES (tests). */
  normalizeMaxBytes?: number;
  /** The raw table is a TEMP scratch table (source.ts tempScratch); cost files never. */
  tempRaw?: boolean;
  /** Read straight into the check table when it can be planned from the headers (source.ts). */
  checked?: CheckedRead;
}

/**
 * The CSV's text, wherever it is: bytes in memory (decoded to UTF-8, LF line endings, no BOM) or
 * a Blob read in place (UTF-8, one kind of line ending, BOM left in; offsets are file offsets).
 */
interface CsvText {
  size: number;
  /** Offset of the first byte after a BOM. */
  base: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

function bytesText(bytes: Uint8Array): CsvText {
  return { size: bytes.length, base: 0, read: async (a, b) => bytes.subarray(a, b) };
}

function blobText(blob: Blob, base: number): CsvText {
  return { size: blob.size, base, read: async (a, b) => new Uint8Array(await blob.slice(a, b).arrayBuffer()) };
}

/** Why a Blob cannot be read in place; null when it can (decided on its head, then its scan). */
function needsConversion(head: Uint8Array): string | null {
  const utf16 = head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
  if (utf16) return 'UTF-16 text';
  let zeros = 0;
  for (let i = 0; i < Math.min(head.length, 4096); i++) if (head[i] === 0) zeros++;
  return zeros > 0 ? 'UTF-16 text' : null;
}

export async function readCsvSource(
  conn: Connector,
  kind: InputKind,
  fileName: string,
  input: Uint8Array | Blob,
  names: SourceNames,
  typing: ColumnTyping,
  hooks: CsvReadHooks = {},
): Promise<RawSource> {
  if (input instanceof Uint8Array) return readCsvBytes(conn, kind, fileName, input, names, typing, hooks);
  // A Blob (the browser's File): read in place when it is plain UTF-8 with one kind of line
  // ending, so its text is never held whole in this worker nor copied into DuckDB's heap.
  const head = new Uint8Array(await input.slice(0, Math.min(input.size, HEAD_BYTES)).arrayBuffer());
  let why = needsConversion(head);
  if (!why) {
    const res = await readCsvInPlace(conn, kind, fileName, input, head, names, typing, hooks);
    if (typeof res !== 'string') return res;
    why = res;
  }
  const max = hooks.normalizeMaxBytes ?? NORMALIZE_MAX_BYTES;
  if (input.size > max) {
    const mb = (n: number) => {
      const m = n / (1024 * 1024);
      return m < 10 ? m.toFixed(1) : Math.round(m).toLocaleString('en-US');
    };
    throw new FileProblemError(
      `is ${mb(input.size)} MB of ${why}, which must be converted before loading; files over ${mb(max)} MB are read only as UTF-8 with one kind of line ending: save it as "CSV UTF-8" and load it again, or use the command line (npm run cli -- aggregate)`,
    );
  }
  return readCsvBytes(conn, kind, fileName, new Uint8Array(await input.arrayBuffer()), names, typing, hooks);
}

/** The in-memory route: decode and normalise, then read. */
async function readCsvBytes(
  conn: Connector, kind: InputKind, fileName: string, input: Uint8Array, names: SourceNames, typing: ColumnTyping, hooks: CsvReadHooks,
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
  let header: HeaderInfo | null = null;
  // Never null once the whole text is searched.
  for (let n = HEAD_BYTES; !header; n *= 4) header = findHeader(kind, fileName, bytes.subarray(0, n), 0, delimiter, n >= bytes.length);
  const scan = scanCsvStream(bytes, { delimiter: delimiter.charCodeAt(0), headerFields: header.fields.length, fromRecord: header.h + 1 });
  hooks.onScan?.(1);
  return readScanned(conn, kind, fileName, bytesText(bytes), (name) => conn.registerFile(name, bytes), names, typing, {
    delimiter, newLine: '\\n', header, scan, warnings, encoding: decoded.encoding, hooks,
  });
}

/**
 * The in-place route: scan the Blob chunk by chunk (UTF-8 checked as it goes), then let DuckDB
 * read it where it is. Returns why it cannot (text to convert) instead of a source.
 */
async function readCsvInPlace(
  conn: Connector, kind: InputKind, fileName: string, blob: Blob, head: Uint8Array, names: SourceNames, typing: ColumnTyping, hooks: CsvReadHooks,
): Promise<RawSource | string> {
  const base = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  // A head cut inside a multi-byte character is fine here: only whole records are decoded.
  if (isBlank(head.subarray(base)) && blob.size <= head.length) throw new FileProblemError('is empty: expected a header line and data rows');
  const delimiter = detectDelimiter(firstDelimitedLine(head.subarray(base)));
  let header: HeaderInfo | null = null;
  for (let h = head; ; ) {
    header = findHeader(kind, fileName, h, base, delimiter, h.length >= blob.size);
    if (header || h.length >= Math.min(blob.size, HEAD_MAX_BYTES)) break;
    h = new Uint8Array(await blob.slice(0, Math.min(blob.size, h.length * 4, HEAD_MAX_BYTES)).arrayBuffer());
  }
  if (!header) throw new FileProblemError('has no complete line in its first 64 MB: it does not look like a CSV file');
  // DuckDB reads the file while it is scanned here (the scan and read_csv each took minutes at
  // 12M rows, one after the other). The read assumes what the head shows — its line ending, no
  // digit separators — and is done again in the rare file where the scan says otherwise.
  const guessCrlf = firstLineEndsCrlf(head.subarray(base));
  const started = startRead(conn, kind, names, (name) => conn.registerBlob(name, blob), typing, delimiter, guessCrlf ? '\\r\\n' : '\\n', header, false, hooks) ?? undefined;
  let scan: StreamScan;
  try {
    const scanner = new CsvStreamScanner({
      delimiter: delimiter.charCodeAt(0), base, headerFields: header.fields.length, fromRecord: header.h + 1, large: blob.size >= 2 ** 32,
    });
    const strict = new Utf8Check();
    const step = hooks.chunkBytes ?? CSV_SCAN.chunkBytes;
    for (let at = base; at < blob.size; at += step) {
      hooks.checkAbort?.();
      const chunk = new Uint8Array(await blob.slice(at, Math.min(blob.size, at + step)).arrayBuffer());
      // GBK, or a UTF-8 file with a line in another encoding: decoded in memory
      if (!strict.push(chunk)) return await abandon(conn, started, 'text that is not UTF-8');
      scanner.push(chunk);
      hooks.onScan?.(Math.min(1, (at + step) / blob.size));
    }
    if (!strict.end()) return await abandon(conn, started, 'text that is not UTF-8');
    scan = scanner.end();
  } catch (e) {
    await abandon(conn, started, '');
    throw e;
  }
  const { lf, crlf, cr } = scan.endings;
  if (cr > 0 || (lf > 0 && crlf > 0)) return abandon(conn, started, 'text with mixed line endings');
  return readScanned(conn, kind, fileName, blobText(blob, base), (name) => conn.registerBlob(name, blob), names, typing, {
    delimiter, newLine: crlf > 0 ? '\\r\\n' : '\\n', header, scan, warnings: [], encoding: 'utf-8', started, hooks,
  });
}

/** Whether the first line break of `bytes` is CRLF (DuckDB's `new_line` guess for the early read). */
function firstLineEndsCrlf(bytes: Uint8Array): boolean {
  const nl = bytes.indexOf(0x0a);
  return nl > 0 && bytes[nl - 1] === 0x0d;
}

/** An early read (startRead): what it assumed, and its column types once done (or its error). */
interface StartedRead {
  names: SourceNames;
  /** The check table it may have made (CsvReadHooks.checked). */
  checked?: string;
  newLine: string;
  digitsAsText: boolean;
  done: Promise<ReadDone | { error: unknown }>;
  cancel: () => void;
}

/** What a read made: the column types read, and whether the rows went into the check table. */
interface ReadDone {
  types: ('VARCHAR' | 'DOUBLE')[];
  checked: boolean;
}

/**
 * Start DuckDB's read of the registered text into the raw table (readRaw) without waiting for
 * it. A failure is kept for later: the scan decides whether the read was of use at all.
 */
function startRead(
  conn: Connector, kind: InputKind, names: SourceNames, register: (name: string) => Promise<void>, typing: ColumnTyping,
  delimiter: string, newLine: string, header: HeaderInfo, digitsAsText: boolean, hooks: CsvReadHooks,
): StartedRead | null {
  let types: ('VARCHAR' | 'DOUBLE')[];
  const headers = dedupeHeaders(header.fields);
  try {
    types = typing(headers).types;
  } catch {
    // Headers the mapping cannot use (or text that is not UTF-8 yet): said after the scan.
    return null;
  }
  if (digitsAsText) types.forEach((t, i) => (types[i] = t === 'DOUBLE' ? 'VARCHAR' : t));
  let cancelled = false;
  const done = readRaw(conn, kind, names, register, types, delimiter, newLine, header, hooks, () => cancelled).then(
    (checked) => ({ types, checked }),
    (error: unknown) => ({ error }),
  );
  return { names, checked: hooks.checked?.table, newLine, digitsAsText, done, cancel: () => (cancelled = true) };
}

/** Stop an early read that is of no use (interrupting it), wait for it, and drop what it made. */
async function abandon(conn: Connector, started: StartedRead | undefined, why: string): Promise<string> {
  if (!started) return why;
  started.cancel();
  await conn.interrupt().catch(() => undefined);
  await started.done;
  await dropRead(conn, started.names, started.checked);
  return why;
}

/** Drop the raw (or check) and reject tables a read made. */
function dropRead(conn: Connector, names: SourceNames, checked?: string): Promise<void> {
  const check = checked === undefined ? '' : `; DROP TABLE IF EXISTS ${quoteIdent(checked)}`;
  return conn.exec(`DROP TABLE IF EXISTS ${quoteIdent(names.raw)}; DROP TABLE IF EXISTS ${quoteIdent(names.rejects)}; DROP TABLE IF EXISTS ${quoteIdent(names.rejectScans)}${check}`);
}

/**
 * Register the text under `names.file` and read it with read_csv into the raw table — or, when
 * `hooks.checked` can plan the check from the headers, straight into the check table, its lines
 * numbered from the line after the header (readScanned corrects them when the scan says
 * otherwise). Columns of `types` read_csv could not read as numbers are read again as text
 * (`types` is updated). Returns whether the rows went into the check table.
 */
async function readRaw(
  conn: Connector, kind: InputKind, names: SourceNames, register: (name: string) => Promise<void>, types: ('VARCHAR' | 'DOUBLE')[],
  delimiter: string, newLine: string, header: HeaderInfo, hooks: CsvReadHooks, cancelled: () => boolean = () => false,
): Promise<boolean> {
  await register(names.file);
  let checked = false;
  try {
    if (cancelled()) return checked;
    const read = async () => {
      const columns = types.map((t, i) => `'c${i}': '${t}'`).join(', ');
      // skip: blank and title lines before the header, which DuckDB would otherwise take as the header.
      const csv = `read_csv('${names.file}',
        delim = ${DELIM_SQL[delimiter]}, quote = '"', escape = '"', new_line = '${newLine}', header = true, skip = ${header.line - 1},
        auto_detect = false, columns = {${columns}}, store_rejects = true,
        rejects_table = '${names.rejects}', rejects_scan = '${names.rejectScans}')`;
      const check = hooks.checked?.select(dedupeHeaders(header.fields), types, csv, header.line + 1) ?? null;
      checked = check !== null;
      const create = check !== null ? `CREATE TABLE ${quoteIdent(hooks.checked!.table)} AS ${check}` : `CREATE TABLE ${quoteIdent(names.raw)} AS SELECT * FROM ${csv}`;
      // A scratch table (source.ts scratch), but for cost files: their raw table may become the
      // final one (load-costs.ts), which must be in the database file.
      await conn.exec(scratch(create, hooks.tempRaw === true && kind !== 'costs'));
    };
    await read();
    if (cancelled()) return checked;
    // Numbers as exports write them (`311,033.07`, `3.5%`, `--`) fail read_csv's DOUBLE: read
    // those columns again as text, for the validation SQL to parse. Clean files read once.
    const failed = await conn.query<{ col: string }>(
      `SELECT DISTINCT column_name AS col FROM ${quoteIdent(names.rejects)} WHERE error_type::VARCHAR = 'CAST' AND column_name IS NOT NULL`,
    );
    const retype = failed.map((f) => (/^c\d+$/.test(f.col) ? Number(f.col.slice(1)) : -1)).filter((i) => types[i] === 'DOUBLE');
    if (retype.length && !cancelled()) {
      for (const i of retype) types[i] = 'VARCHAR';
      await dropRead(conn, names, hooks.checked?.table);
      await read();
    }
  } finally {
    await conn.dropFile(names.file);
  }
  return checked;
}

interface HeaderInfo {
  /** Record index of the header. */
  h: number;
  /** Its fields (as in the file). */
  fields: string[];
  /** Physical line of the header. */
  line: number;
  warnings: LoadWarning[];
}

/**
 * The header row among the first records of `head` (the file's first bytes; records are scanned
 * from `base`). Null when `head` is not the whole file and holds too few complete records.
 */
function findHeader(kind: InputKind, fileName: string, head: Uint8Array, base: number, delimiter: string, whole: boolean): HeaderInfo | null {
  const scan = scanCsvStream(head.subarray(base), { delimiter: delimiter.charCodeAt(0), base });
  // The last record may be cut off where the head ends.
  const complete = whole ? scan.count : scan.count - 1;
  const n = Math.min(complete, HEADER_SEARCH_ROWS);
  if (!whole && n < Math.min(HEADER_SEARCH_ROWS, 2)) return null;
  if (n === 0) throw new FileProblemError('is empty: expected a header line and data rows');
  const firstRecords = Array.from({ length: n }, (_, i) => splitRecord(utf8.decode(recordBytes(head, scan, i)), delimiter));
  const h = findHeaderRow(firstRecords, kind);
  assertColumnLimit(firstRecords[h].length);
  const warnings = headerRenameWarnings(fileName, firstRecords[h]);
  if (h > 0) warnings.push(loadWarning('headerLine', { file: fileName, line: scan.lines[h] }));
  return { h, fields: firstRecords[h], line: scan.lines[h], warnings };
}

/**
 * The texts of records `recs` (any order), in few reads: each without its line ending, and the
 * file offset where that text ends (line endings and blank lines follow up to the next record).
 */
async function readRecords(text: CsvText, scan: StreamScan, recs: readonly number[]): Promise<Map<number, { text: string; end: number }>> {
  const out = new Map<number, { text: string; end: number }>();
  const sorted = [...new Set(recs)].sort((a, b) => a - b);
  const end = (i: number) => (i + 1 < scan.count ? scan.starts[i + 1] : scan.size);
  for (let k = 0; k < sorted.length; ) {
    // One read per run of records within 4 MB of each other.
    let last = k;
    while (last + 1 < sorted.length && end(sorted[last + 1]) - scan.starts[sorted[k]] <= 4 * 1024 * 1024) last++;
    const from = scan.starts[sorted[k]];
    const window = await text.read(from, end(sorted[last]));
    for (let j = k; j <= last; j++) {
      const i = sorted[j];
      let e = end(i) - from;
      const s = scan.starts[i] - from;
      while (e > s && (window[e - 1] === 0x0a || window[e - 1] === 0x0d)) e--;
      out.set(i, { text: utf8.decode(window.subarray(s, e)), end: from + e });
    }
    k = last + 1;
  }
  return out;
}

/** Both routes from here: DuckDB reads the registered text; rows are matched to lines. */
async function readScanned(
  conn: Connector,
  kind: InputKind,
  fileName: string,
  text: CsvText,
  register: (name: string) => Promise<void>,
  names: SourceNames,
  typing: ColumnTyping,
  /** newLine: read_csv's `new_line` as SQL text (`\\n` or `\\r\\n`). */
  r: {
    delimiter: string; newLine: string; header: HeaderInfo; scan: StreamScan; warnings: LoadWarning[]; encoding: RawSource['encoding'];
    /** The read started before the scan ended (in-place route), when there is one. */
    started?: StartedRead;
    hooks: CsvReadHooks;
  },
): Promise<RawSource> {
  const { delimiter, header, scan } = r;
  // The early read is waited for before anything here may fail, so none is left running.
  const early = r.started ? await r.started.done : null;
  const h = header.h;
  const warnings = [...r.warnings];
  if (delimiter !== ',') warnings.push(loadWarning('delimiter', { file: fileName, delimiter }));
  const headers = dedupeHeaders(header.fields);
  warnings.push(...header.warnings);
  if (scan.count < h + 2) throw new FileProblemError('has a header line but no data rows');
  const { types, labels, coordinates } = typing(headers);

  // read_csv takes `1_21.5` for 121.5 (digit separators): where a digit-underscore-digit occurs
  // at all, numbers are read as text and parsed strictly by the validation SQL instead.
  if (scan.digitUnderscore) types.forEach((t, i) => (types[i] = t === 'DOUBLE' ? 'VARCHAR' : t));
  // The early read (in-place route) is used when it assumed what the scan found.
  let checked: boolean;
  if (early && r.started!.newLine === r.newLine && r.started!.digitsAsText === scan.digitUnderscore) {
    // The same read again would fail the same way (or the load was cancelled while it ran).
    if ('error' in early) throw early.error;
    early.types.forEach((t, i) => (types[i] = t));
    checked = early.checked;
  } else {
    if (r.started) await dropRead(conn, names, r.started.checked);
    checked = await readRaw(conn, kind, names, register, types, delimiter, r.newLine, header, r.hooks);
  }
  const table = checked ? r.hooks.checked!.table : names.raw;

  // One reject per row: a structural error (wrong field count, quoting) before any value that
  // is not a number — a ragged row's fields cannot be trusted — then the first by position.
  const dbRejects = await conn.query<{ pos: number; et: string; col: string | null }>(
    `SELECT line_byte_position::DOUBLE AS pos,
       arg_min(error_type::VARCHAR, (error_type::VARCHAR = 'CAST', byte_position)) AS et,
       arg_min(column_name, (error_type::VARCHAR = 'CAST', byte_position)) AS col
     FROM ${quoteIdent(names.rejects)} GROUP BY 1 ORDER BY 1`,
  );
  // DuckDB may report a row's start at the line ending before it (and blank lines after that):
  // a position at or past the end of a record's text belongs to the next record.
  const firstGuess = dbRejects.map((x) => recordAt(scan, x.pos));
  const guessed = await readRecords(text, scan, firstGuess.filter((rec) => rec >= 0));
  const dbRecs = dbRejects.map((x, i) => {
    const rec = firstGuess[i];
    const t = guessed.get(rec);
    return rec >= 0 && t && x.pos >= t.end ? rec + 1 : rec;
  });
  const texts = await readRecords(text, scan, [...dbRecs.filter((rec) => rec > h && rec < scan.count), ...scan.suspects.map((x) => x.record)]);
  const rejected = new Set<number>();
  const readerRejects: RejectRow[] = [];
  dbRejects.forEach((x, idx) => {
    const rec = dbRecs[idx];
    if (rec <= h || rec >= scan.count || rejected.has(rec)) return;
    rejected.add(rec);
    const raw = texts.get(rec)?.text ?? '';
    const fields = splitRecord(raw, delimiter);
    if (isTotalsRow(fields)) {
      readerRejects.push({ kind, file: fileName, line: scan.lines[rec], column: null, ...rejectReason('totals'), code: 'totals_row', raw });
      return;
    }
    // A wrong field count wins over any other error (DuckDB may report a bad number first on a
    // row that also has one extra, empty trailing field, which it would otherwise accept).
    if (x.et === 'CAST' && fields.length === headers.length && x.col !== null && /^c\d+$/.test(x.col)) {
      // A numeric contract column that DuckDB could not read as a number.
      const i = Number(x.col.slice(1));
      const blank = (fields[i] ?? '').trim() === '';
      const [code, reason]: [RejectCode, ReasonCode] = blank ? (coordinates[i] ? ['coord_empty', 'empty'] : ['not_a_number', 'onlySpaces']) : ['not_a_number', 'notNumber'];
      readerRejects.push({ kind, file: fileName, line: scan.lines[rec], column: labels[i], ...rejectReason(reason, { column: labels[i] }), code, raw });
      return;
    }
    const countError = x.et === 'CAST' || x.et === 'TOO MANY COLUMNS' || x.et === 'MISSING COLUMNS';
    const described = describeReaderError(countError && fields.length !== headers.length ? 'TOO MANY COLUMNS' : x.et, fields.length, headers.length);
    readerRejects.push({ kind, file: fileName, line: scan.lines[rec], column: null, ...described, raw });
  });
  await conn.exec(`DROP TABLE IF EXISTS ${quoteIdent(names.rejects)}; DROP TABLE IF EXISTS ${quoteIdent(names.rejectScans)}`);

  // DuckDB tolerates one extra empty field at the end of a row (`a,b,` or `a,b,""`): the scan
  // listed the rows ending in a delimiter or quote whose field count is not the header's.
  const rowRejects: NonNullable<RawSource['rowRejects']> = [];
  for (const s of scan.suspects) {
    if (!rejected.has(s.record)) rowRejects.push({ line: scan.lines[s.record], ...describeReaderError('TOO MANY COLUMNS', s.fields, headers.length) });
  }
  // Lines of the kept rows: consecutive lines need no array (the common case at scale).
  const keptCount = scan.count - 1 - h - rejected.size;
  const first = h + 1;
  const contiguous = rejected.size === 0 && keptCount > 0 && scan.lines[scan.count - 1] - scan.lines[first] === keptCount - 1;
  let lines: RawSource['lines'];
  if (contiguous) lines = { first: scan.lines[first], count: keptCount };
  else {
    const arr = new Int32Array(keptCount);
    for (let rec = first, j = 0; rec < scan.count; rec++) if (!rejected.has(rec)) arr[j++] = scan.lines[rec];
    lines = arr;
  }
  const [{ n }] = await conn.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${quoteIdent(table)}`);
  if (n !== keptCount) {
    throw new FileProblemError(
      `rows could not be matched to line numbers (DuckDB read ${n} rows, ${keptCount} were expected); the file may be malformed`,
    );
  }
  // The check table numbered its rows from the line after the header: right unless blank or
  // rejected lines, or records over several lines, came between.
  if (checked && (lines instanceof Int32Array || lines.first !== header.line + 1)) await renumberLines(conn, table, names.raw, lines, r.hooks.tempRaw === true);
  const rawTexts = async (want: readonly number[]): Promise<(string | null)[]> => {
    const recs = want.map((line) => recordOnLine(scan, line));
    const got = await readRecords(text, scan, recs.filter((x) => x >= 0));
    return recs.map((x) => (x < 0 ? null : (got.get(x)?.text ?? null)));
  };
  return {
    format: 'csv', headers, typed: types.map((t) => t === 'DOUBLE'), lines, rowsRead: scan.count - 1 - h,
    readerRejects, rowRejects, rawText: () => null, rawTexts, warnings, encoding: r.encoding, ...(checked ? { checked } : {}),
  };
}

/**
 * Give the check table's rows their lines (`lines`, in row order): the table again with its
 * `__bp_line` replaced, joined to the lines by position. `linesTable` names the lines table
 * meanwhile (the raw table's name, unused when the rows went into the check table).
 */
async function renumberLines(conn: Connector, table: string, linesTable: string, lines: RawSource['lines'], temp: boolean): Promise<void> {
  await insertLines(conn, linesTable, lines, temp);
  const renumbered = `${table}_lines`;
  await conn.exec(scratch(`CREATE TABLE ${quoteIdent(renumbered)} AS SELECT c.* REPLACE (l.__bp_line AS __bp_line) FROM ${quoteIdent(table)} c POSITIONAL JOIN ${quoteIdent(linesTable)} l;
    DROP TABLE ${quoteIdent(table)}; DROP TABLE ${quoteIdent(linesTable)}; ALTER TABLE ${quoteIdent(renumbered)} RENAME TO ${quoteIdent(table)}`, temp));
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

function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

function describeReaderError(errorType: string, fields: number, headerFields: number): { code: RejectCode } & RejectReason {
  switch (errorType) {
    case 'TOO MANY COLUMNS':
    case 'MISSING COLUMNS':
      return { code: 'ragged_row', ...rejectReason('ragged', { fields, header: headerFields }) };
    case 'UNQUOTED VALUE':
      return { code: 'bad_quoting', ...rejectReason('badQuoting') };
    case 'LINE SIZE OVER MAXIMUM':
      return { code: 'line_too_long', ...rejectReason('tooLong', { size: '2 MB' }) };
    default:
      // DuckDB's error type (a fixed word like "cast"), not its message.
      return { code: 'unreadable_row', ...rejectReason('unreadable', { error: errorType.toLowerCase() }) };
  }
}
