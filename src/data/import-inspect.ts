/**
 * Look inside a dropped file before loading it: format, encoding, delimiter, column names (as the
 * loader will see them: same scanner, same de-duplication), a sample value per column, sheets of
 * a workbook, and a row count or estimate. Runs in the import inspector worker (exceljs and
 * parquet-wasm are heavy) and in Node tests. Never throws for a bad file: the problem is returned
 * and the loader, which has the last word, reports it with file and line on Load.
 */
import { tableFromIPC } from 'apache-arrow';
import { detectDelimiter, recordBytes, scanCsvRecords, splitRecord } from './csv-scan.ts';
import { EncodingError, toUtf8 } from './decode.ts';
import { dedupeHeaders } from './source.ts';
import { cellText } from './source-xlsx.ts';
import { FEATURE_ID } from './geojson.ts';
import { sniffFormat, stripGz, type SourceFormat } from './import-detect.ts';
import { HEADER_SEARCH_ROWS, findHeaderRow } from './header-row.ts';
import { guessMapping } from './column-guess.ts';

/**
 * The header row before the kind is known: the earliest row any tabular kind would take as its
 * header (the loader then finds it again for the chosen kind).
 */
function headerIndex(rows: readonly (readonly string[])[]): number {
  if (rows.length === 0) return 0;
  const kinds = ['customers', 'sites', 'indicators', 'candidates'] as const;
  const found = kinds.map((k) => ({ i: findHeaderRow(rows, k), k }));
  // A row naming two of a kind's columns beats a fallback (a title merged across the columns
  // is "mostly text" too).
  const named = found.filter(({ i, k }) => Object.keys(guessMapping(rows[i].map((v) => v.trim()), k)).length >= 2);
  return Math.min(...(named.length ? named : found).map((f) => f.i));
}

export interface SheetInfo {
  name: string;
  headers: string[];
  /** First data row's values, by header index. */
  sample: string[];
  rows: number;
}

export type InspectProblem = 'empty' | 'encoding' | 'xls' | 'json' | 'notFeatureCollection' | 'xlsx' | 'parquet' | 'gzip' | 'failed';

export interface Inspection {
  /** Null when the bytes could not be identified at all (empty file). */
  format: SourceFormat | null;
  /** Name without `.gz` (the loader inflates gzip itself). */
  name: string;
  gzip: boolean;
  encoding?: 'utf-8' | 'gbk' | 'utf-16le' | 'utf-16be';
  /** CSV delimiter when it is not a comma. */
  delimiter?: string;
  headers: string[];
  sample: string[];
  /** Exact row (or feature) count, or an estimate when only the head of a CSV was read. */
  rows: number | null;
  rowsEstimated: boolean;
  /** Excel: every sheet, in workbook order. */
  sheets?: SheetInfo[];
  /** GeoJSON: features carry an `id` member (usable as area_id). */
  hasFeatureIds?: boolean;
  problem?: InspectProblem;
  /** The underlying error text (English, technical), for a tooltip. */
  detail?: string;
}

/** How much of a CSV is read to find the header and estimate the row count. */
const CSV_HEAD_BYTES = 256 * 1024;

export async function inspectFile(file: Blob, fileName: string): Promise<Inspection> {
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  let sniffed = sniffFormat(fileName, head);
  let name = fileName;
  let blob = file;
  let gzip = false;
  if (sniffed === 'gzip') {
    gzip = true;
    name = stripGz(fileName);
    try {
      blob = await new Response(file.stream().pipeThrough(new DecompressionStream('gzip'))).blob();
    } catch (e) {
      return fail(null, name, gzip, 'gzip', e);
    }
    sniffed = sniffFormat(name, new Uint8Array(await blob.slice(0, 8).arrayBuffer()));
  }
  const base = { name, gzip };
  switch (sniffed) {
    case 'gzip':
    case 'empty':
      return { ...base, format: sniffed === 'empty' ? 'csv' : null, headers: [], sample: [], rows: 0, rowsEstimated: false, problem: 'empty' };
    case 'xls':
      return { ...base, format: null, headers: [], sample: [], rows: null, rowsEstimated: false, problem: 'xls' };
    case 'csv':
      return inspectCsv(blob, base);
    case 'xlsx':
      return inspectXlsx(blob, base);
    case 'parquet':
      return inspectParquet(blob, base);
    case 'geojson':
      return inspectGeoJson(blob, base);
  }
}

function fail(format: SourceFormat | null, name: string, gzip: boolean, problem: InspectProblem, e?: unknown): Inspection {
  return {
    format, name, gzip, headers: [], sample: [], rows: null, rowsEstimated: false, problem,
    ...(e !== undefined ? { detail: e instanceof Error ? e.message : String(e) } : {}),
  };
}

async function inspectCsv(blob: Blob, base: { name: string; gzip: boolean }): Promise<Inspection> {
  const whole = blob.size <= CSV_HEAD_BYTES;
  let bytes = new Uint8Array(await blob.slice(0, CSV_HEAD_BYTES).arrayBuffer());
  if (!whole) {
    // Cut after the last line end so no multi-byte character is split (that would look like
    // neither UTF-8 nor GBK).
    const nl = bytes.lastIndexOf(0x0a);
    if (nl > 0) bytes = bytes.subarray(0, nl + 1);
  }
  let decoded;
  try {
    decoded = toUtf8(bytes);
  } catch (e) {
    if (e instanceof EncodingError) return fail('csv', base.name, base.gzip, 'encoding', e);
    throw e;
  }
  const text = decoded.bytes;
  const scanProbe = scanCsvRecords(text, 0x2c);
  if (scanProbe.count === 0) return { ...fail('csv', base.name, base.gzip, 'empty'), encoding: decoded.encoding, rows: 0 };
  const delimiter = detectDelimiter(new TextDecoder().decode(recordBytes(text, scanProbe, 0)).replace(/\r$/, ''));
  const scan = delimiter === ',' ? scanProbe : scanCsvRecords(text, delimiter.charCodeAt(0));
  const utf8 = new TextDecoder();
  const record = (i: number) => splitRecord(utf8.decode(recordBytes(text, scan, i)).replace(/\r$/, ''), delimiter);
  // The header under a title or blank lines, found as the loader finds it (header-row.ts).
  const head: string[][] = [];
  for (let i = 0; i < Math.min(scan.count, HEADER_SEARCH_ROWS); i++) head.push(record(i));
  const h = headerIndex(head);
  const headers = dedupeHeaders(record(h));
  const sample = scan.count > h + 1 ? record(h + 1) : [];
  let rows = scan.count - 1 - h;
  if (!whole && scan.count > h + 1) {
    // Estimate from the head's share of the file (records of a file vary little in length).
    rows = Math.round(((scan.count - 1 - h) * blob.size) / bytes.length);
  }
  return {
    ...base, format: 'csv', encoding: decoded.encoding, ...(delimiter !== ',' ? { delimiter } : {}),
    headers, sample, rows, rowsEstimated: !whole,
  };
}

async function inspectXlsx(blob: Blob, base: { name: string; gzip: boolean }): Promise<Inspection> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(await blob.arrayBuffer());
  } catch (e) {
    return fail('xlsx', base.name, base.gzip, 'xlsx', e);
  }
  const sheets: SheetInfo[] = wb.worksheets.map((ws) => {
    // Same reading as the loader (source-xlsx.ts): non-empty rows, trailing empty cells dropped.
    // The first rows are kept to find the header under a title (header-row.ts); the rest counted.
    const head: string[][] = [];
    let count = 0;
    ws.eachRow({ includeEmpty: false }, (row) => {
      const cells = row.values as unknown[];
      const values: string[] = [];
      for (let c = 1; c < cells.length; c++) values.push(cellText(cells[c]));
      while (values.length && values[values.length - 1] === '') values.pop();
      if (!values.length) return;
      if (head.length <= HEADER_SEARCH_ROWS) head.push(values);
      count++;
    });
    if (count === 0) return { name: ws.name, headers: [], sample: [], rows: 0 };
    const h = headerIndex(head.slice(0, HEADER_SEARCH_ROWS));
    return { name: ws.name, headers: dedupeHeaders(head[h]), sample: head[h + 1] ?? [], rows: count - 1 - h };
  });
  const first = sheets[0];
  return {
    ...base, format: 'xlsx', headers: first?.headers ?? [], sample: first?.sample ?? [], rows: first?.rows ?? 0, rowsEstimated: false, sheets,
    ...(sheets.length === 0 || (first.headers.length === 0 && sheets.length === 1) ? { problem: 'empty' as const } : {}),
  };
}

interface ParquetModule {
  ParquetFile: {
    fromFile(b: Blob): Promise<{
      metadata(): { fileMetadata(): { numRows(): number } };
      read(o: { limit: number }): Promise<{ intoIPCStream(): Uint8Array }>;
      free(): void;
    }>;
  };
  default?: unknown;
}

let parquetModule: Promise<ParquetModule> | null = null;

/** parquet-wasm once; the browser ESM build needs its `init()` (fetches the .wasm, same origin). */
function loadParquet(): Promise<ParquetModule> {
  parquetModule ??= import('parquet-wasm').then(async (mod) => {
    const m = mod as unknown as ParquetModule;
    if (typeof m.default === 'function') await (m.default as () => Promise<unknown>)();
    return m;
  });
  return parquetModule;
}

async function inspectParquet(blob: Blob, base: { name: string; gzip: boolean }): Promise<Inspection> {
  const pq = await loadParquet();
  try {
    // Reads the footer and one row only: a big file is not decoded here.
    const f = await pq.ParquetFile.fromFile(blob);
    const rows = f.metadata().fileMetadata().numRows();
    const table = tableFromIPC((await f.read({ limit: 1 })).intoIPCStream());
    f.free();
    const fields = table.schema.fields;
    const sample = fields.map((_, j) => {
      const v = table.numRows ? table.getChildAt(j)?.get(0) : null;
      return v === null || v === undefined ? '' : String(v);
    });
    return { ...base, format: 'parquet', headers: dedupeHeaders(fields.map((x) => x.name)), sample, rows, rowsEstimated: false };
  } catch (e) {
    return fail('parquet', base.name, base.gzip, 'parquet', e);
  }
}

async function inspectGeoJson(blob: Blob, base: { name: string; gzip: boolean }): Promise<Inspection> {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(toUtf8(new Uint8Array(await blob.arrayBuffer())).bytes));
  } catch (e) {
    return fail('geojson', base.name, base.gzip, e instanceof EncodingError ? 'encoding' : 'json', e);
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    return fail('geojson', base.name, base.gzip, 'notFeatureCollection');
  }
  const features = fc.features as Array<{ id?: unknown; properties?: Record<string, unknown> | null } | null>;
  const keys = new Set<string>();
  for (const f of features) if (f?.properties && typeof f.properties === 'object') for (const k of Object.keys(f.properties)) keys.add(k);
  const headers = [...keys];
  const props = features.find((f) => f?.properties)?.properties ?? {};
  const sample = headers.map((h) => (props[h] === null || props[h] === undefined ? '' : typeof props[h] === 'object' ? JSON.stringify(props[h]) : String(props[h])));
  return {
    ...base, format: 'geojson', headers, sample, rows: features.length, rowsEstimated: false,
    hasFeatureIds: features.some((f) => f?.id !== undefined),
  };
}

/** The mapping value that means "the features' own id member" (see validateAreas). */
export { FEATURE_ID };
