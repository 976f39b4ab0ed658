/**
 * Every failure of an engine the loader uses (DuckDB, parquet-wasm, exceljs, the JSON parser)
 * becomes one sentence that names what to do, keyed for the UI's dictionary
 * (`import.engine.<key>` in src/i18n/import.ts); the engine's own text is kept as `detail`, shown
 * only behind "details" (UI) or in the --report JSON (CLI). One table of known patterns, first
 * match wins; anything unknown is `internal`.
 */

export type EngineErrorKey =
  | 'outOfMemory'
  | 'csvUnreadable'
  | 'parquetUnreadable'
  | 'xlsxUnreadable'
  | 'jsonUnreadable'
  | 'tooLarge'
  | 'internal';

export interface EngineFailure {
  key: EngineErrorKey;
  /** English sentence without the file name (the caller puts the file first). */
  message: string;
  /** The engine's text, for "details" only. */
  detail: string;
}

/** English sentences; the UI shows the dictionary's `import.engine.<key>` instead. */
export const ENGINE_MESSAGES: Record<EngineErrorKey, string> = {
  outOfMemory:
    'needs more memory than the database could get; load a smaller file (fewer rows or columns, or split it), close other tabs or programs, and try again',
  csvUnreadable:
    'could not be read as CSV; open it in a spreadsheet, save it as "CSV UTF-8 (comma delimited)" and load it again',
  parquetUnreadable: 'is not a readable Parquet file; export it again (or save it as CSV) and load it again',
  xlsxUnreadable: 'is not a readable Excel (.xlsx) workbook; open it in Excel, save it again as .xlsx (or as CSV) and load it again',
  jsonUnreadable: 'is not valid JSON; export the areas again as GeoJSON and load them again',
  tooLarge: 'is too large to load at once; split it into smaller files or keep only the rows and columns you need',
  internal: 'could not be loaded because of an unexpected problem; the previous data is unchanged. Try again; if it fails again, report it with the details',
};

/** Engine text → key. Order matters: memory first (it can surface inside any reader). */
const PATTERNS: readonly [RegExp, EngineErrorKey][] = [
  [/out of memory|memory allocation failed|could not allocate|failed to allocate|cannot allocate|allocation failure|Array buffer allocation failed|RangeError: Array buffer|memory access out of bounds|WebAssembly\.Memory/i, 'outOfMemory'],
  [/Invalid string length|Maximum call stack|too large|exceeds the maximum|Invalid typed array length/i, 'tooLarge'],
  [/CSV Parser|CSV Error|sniff|read_csv|csv_reader|Error when converting column|Could not convert string|line_size|maximum_line_size/i, 'csvUnreadable'],
  [/parquet|thrift|\bPAR1\b|Parquet magic|ParquetError|ArrowError|IPC/i, 'parquetUnreadable'],
  [/zip|central directory|xlsx|workbook|worksheet|sheet|exceljs|Corrupted|sax|XML/i, 'xlsxUnreadable'],
  [/JSON|Unexpected token|Unexpected end of/i, 'jsonUnreadable'],
];

export function describeEngineError(e: unknown): EngineFailure {
  const detail = errorText(e);
  const key = PATTERNS.find(([re]) => re.test(detail))?.[1] ?? 'internal';
  return { key, message: ENGINE_MESSAGES[key], detail };
}

/** The text of anything thrown (message, or the value itself), never longer than 2,000 chars. */
export function errorText(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : typeof e === 'string' ? e : safeJson(e);
  return text.length > 2000 ? text.slice(0, 2000) + '…' : text;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Whether a message is engine text that must not reach a user as it is (tests and the fuzz
 * suite assert no message matches). DuckDB's error classes, stack frames, JS runtime errors.
 */
export const RAW_ENGINE_TEXT =
  /(Parser|Binder|Catalog|Conversion|Invalid Input|Internal|Out of Range|Constraint|Not implemented|Serialization|IO|Dependency|Transaction|Permission|Syntax) Error|TypeError|ReferenceError|RangeError|state machine|Possible fixes|\n\s+at |BigInt|\bLINE \d+:|code: \d+/;
