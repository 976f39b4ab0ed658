/**
 * What every tabular reader (CSV, Excel, Parquet) hands to validation: a raw DuckDB table with
 * columns `c0, c1, …` (one per source column, source names kept in JS), the physical line of
 * each raw row, and the rows the reader itself could not use.
 */
import { type Connector } from '../db/connector.ts';
import { MAX_COLUMN_NAME, columnNames, quoteIdent, type RenameReason } from '../sql/ident.ts';
import type { RejectCode, RejectRow } from './types.ts';
import type { RejectReason } from './reject-reasons.ts';
import { FileProblemError } from './errors.ts';
import { loadWarning, type LoadWarning, type WarningCode } from './load-warnings.ts';
import { quoteCsvField } from './csv-write.ts';
import { Int32, Table, makeData, Field, Schema, RecordBatch, Struct, tableToIPC } from 'apache-arrow';

export interface RawSource {
  format: 'csv' | 'xlsx' | 'parquet';
  /** Source column names (deduplicated); raw column `c<i>` holds `headers[i]`. */
  headers: string[];
  /** Raw columns already read as DOUBLE (by index); the others hold text or source types. */
  typed?: boolean[];
  /**
   * Raw columns holding numbers of the source's own type (Parquet read from disk): validated
   * exactly as their text would be (NaN and ±inf are not numbers), without printing them.
   */
  numeric?: boolean[];
  /**
   * Line of each raw-table row, in table order (see RejectRow.line for what "line" means); or,
   * when rows are consecutive lines, the first line and the row count (no array per row).
   */
  lines: Int32Array | { first: number; count: number };
  /** Data rows in the file: raw rows + reader rejects. */
  rowsRead: number;
  readerRejects: RejectRow[];
  /**
   * Rows the reader kept in the raw table but that must be rejected (DuckDB accepts a row with
   * one extra, empty trailing field; DESIGN.md rejects any row with too many fields).
   */
  rowRejects?: ({ line: number; code: RejectCode } & RejectReason)[];
  /** The row's text for the rejects report (null when the line is unknown). */
  rawText: (line: number) => string | null;
  /** Instead of `rawText`, when the text must be read back from the file (many lines at once). */
  rawTexts?: (lines: readonly number[]) => Promise<(string | null)[]>;
  warnings: LoadWarning[];
  encoding?: 'utf-8' | 'gbk' | 'utf-16le' | 'utf-16be';
  /**
   * The rows went straight into the check table (CheckedRead): there is no raw table, and the
   * check table's `__bp_line` already holds `lines`.
   */
  checked?: boolean;
}

/**
 * Read the rows straight into the check table instead of a raw table (CSV only): one pass over
 * the rows instead of two, and no raw table written (at 12M rows the raw table and the check
 * table were each a full pass, the raw one written into the database file).
 */
export interface CheckedRead {
  /** The check table to create (a scratch table, like the raw one). */
  table: string;
  /**
   * The check query reading the raw columns `c0, c1, …` from the relation `from`, numbering its
   * rows from line `first`, for the source's headers and the column types read; null when the
   * check cannot be planned before the rows are read (extra columns are profiled first).
   */
  select: (headers: readonly string[], types: readonly ('VARCHAR' | 'DOUBLE')[], from: string, first: number) => string | null;
}

/**
 * How to read each source column, decided from the headers before reading (CSV only): DOUBLE for
 * numeric contract columns, VARCHAR otherwise; labels name columns in reject messages. May throw
 * FileProblemError (missing required column) so a bad file is refused before it is read.
 */
export type ColumnTyping = (headers: readonly string[]) => {
  types: ('VARCHAR' | 'DOUBLE')[];
  labels: string[];
  /** Columns where an empty value is a coordinate problem (not a NULL). */
  coordinates: boolean[];
};

/** Names of the DB objects one input's reader may create (all staging names). */
export interface SourceNames {
  raw: string;
  file: string;
  rejects: string;
  rejectScans: string;
}

/**
 * Largest input, in bytes, whose scratch tables are TEMP (`scratch`). Measured in Chromium: up
 * to 3M customers (173 MB) TEMP scratch cut the load by a fifth; at 12M (703 MB) the TEMP raw
 * table and the check table together outgrew DuckDB-wasm's 1.5 GiB memory limit and the load
 * failed, so bigger files write their scratch tables into the database file, which can evict them.
 */
export const SCRATCH = { tempMaxBytes: 256 * 1024 * 1024 };

/** Whether an input of `size` bytes (null: unknown, e.g. a Parquet path) gets TEMP scratch tables. */
export function tempScratch(size: number | null): boolean {
  return size !== null && size <= SCRATCH.tempMaxBytes;
}

/**
 * A scratch table or view of one load (`CREATE TABLE|VIEW … AS …` → `CREATE TEMP …` when `temp`):
 * it lives in DuckDB's temporary catalog, in memory, instead of being written, compressed, into
 * the database file. Only the final tables of a load need the database file.
 */
export function scratch(sql: string, temp: boolean): string {
  if (!/^CREATE (TABLE|VIEW) /.test(sql)) throw new Error('scratch: expected CREATE TABLE or CREATE VIEW');
  return temp ? sql.replace(/^CREATE (TABLE|VIEW) /, 'CREATE TEMP $1 ') : sql;
}

/** The first line when `lines` are consecutive (one record per line, nothing rejected), else null. */
export function firstOfConsecutive(lines: Int32Array | { first: number; count: number }): number | null {
  if (!(lines instanceof Int32Array)) return Math.floor(lines.first);
  if (lines.length === 0) return null;
  for (let i = 1; i < lines.length; i++) if (lines[i] !== lines[i - 1] + 1) return null;
  return lines[0];
}

/** Insert a one-column `(__bp_line INTEGER)` table, row order = `lines` order (`temp`: a scratch table). */
export async function insertLines(conn: Connector, table: string, lines: Int32Array | { first: number; count: number }, temp = false): Promise<void> {
  const create = temp ? 'CREATE TEMP TABLE' : 'CREATE TABLE';
  if (!(lines instanceof Int32Array)) {
    const first = Math.floor(lines.first);
    const count = Math.max(0, Math.floor(lines.count));
    return conn.exec(`${create} ${quoteIdent(table)} AS SELECT (range + ${first})::INTEGER AS __bp_line FROM range(${count})`);
  }
  if (lines.length === 0) return conn.exec(`${create} ${quoteIdent(table)} (__bp_line INTEGER)`);
  // The common case — one record per line, nothing rejected by the reader — needs no data sent.
  const first = firstOfConsecutive(lines);
  if (first !== null) {
    return conn.exec(`${create} ${quoteIdent(table)} AS SELECT (range + ${first})::INTEGER AS __bp_line FROM range(${lines.length})`);
  }
  const field = new Field('__bp_line', new Int32(), false);
  const data = makeData({ type: new Int32(), length: lines.length, nullCount: 0, data: lines });
  const struct = makeData({ type: new Struct([field]), length: lines.length, nullCount: 0, children: [data] });
  const table_ = new Table([new RecordBatch(new Schema([field]), struct)]);
  await conn.insertArrowIPC(table, tableToIPC(table_, 'stream'));
}

/**
 * Most columns one file may have. Real exports have tens. Validation builds one SQL expression
 * per column (several per check), and DuckDB's cost for that grows faster than the column count:
 * measured on this 2-core machine under load, 50 columns 4 s, 100 columns 19 s, 200 columns
 * 118 s for the check step alone (a 1,000-column file ran minutes and took 2.7 GB). 250 keeps a
 * wide indicator table loadable while a 5,000- or 20,000-column file is refused at the header, in
 * milliseconds. Raising it needs a validation that does not grow per column (long format).
 */
export const MAX_COLUMNS = 250;

/** Refuse a file whose header has more than MAX_COLUMNS cells (see there). */
export function assertColumnLimit(count: number): void {
  if (count > MAX_COLUMNS) {
    throw new FileProblemError(
      `has ${count.toLocaleString('en-US')} columns, more than the ${MAX_COLUMNS.toLocaleString('en-US')} a file may have; keep only the columns you need (e.g. save a copy with fewer columns) and load it again`,
    );
  }
}

/**
 * Column names as they will be used downstream (`columnNames` in src/sql/ident.ts: trimmed,
 * cleaned of control and bidi characters, cut to 128 characters, empty ones named `column_<n>`,
 * reserved names such as `rowid` and case-insensitive duplicates suffixed `_2`, `_3`).
 */
export function dedupeHeaders(raw: readonly string[]): string[] {
  return columnNames(raw).names;
}

const RENAME_WHY: Partial<Record<RenameReason, WarningCode>> = { cleaned: 'columnCleaned', too_long: 'columnCut', reserved: 'columnReserved' };

/**
 * Warnings for header cells loaded under another name for a reason the user cannot guess
 * (cleaned, cut, reserved); duplicates and empty cells keep their long-standing silent rename.
 */
export function headerRenameWarnings(fileName: string, raw: readonly string[]): LoadWarning[] {
  return columnNames(raw).renamed.flatMap((r) => {
    const code = RENAME_WHY[r.why];
    return code ? [loadWarning(code, { file: fileName, index: r.index + 1, name: r.to, ...(code === 'columnCut' ? { max: MAX_COLUMN_NAME } : {}) })] : [];
  });
}

/**
 * An Excel/Parquet row's text as one CSV line: the `raw` of its reject, as a CSV file would have
 * had it. Quoting only: this is the row's text, not an export, so no formula guard here (the
 * rejects export adds it to the whole field).
 */
export function toCsvLine(values: readonly (string | null)[]): string {
  return values.map((v) => quoteCsvField(v ?? '')).join(',');
}
