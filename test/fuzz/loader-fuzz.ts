/**
 * Property-based fuzzing of the loader (issue 15): generated customers files (CSV in UTF-8 or
 * UTF-16, and the same rows as .xlsx and Parquet) and areas files (GeoJSON), loaded on a real
 * DuckDB, against the loader's promises:
 * - it never throws anything but LoadError (file problems), and no message holds engine text;
 * - rows read = rows kept + rows rejected, and every reject has a line, a code and a reason;
 * - every row generated bad (a number with digit underscores, hex, 1e999, Infinity, NaN, an
 *   empty/out-of-range/(0, 0) coordinate, a wrong field count, a duplicate id) is rejected on
 *   its line, and no good row is;
 * - the kept rows equal a clean load of the good rows alone (same columns, same values);
 * - no staging table or view is left once a load ended (kept, refused or failed);
 * - no case runs past HANG_MS (60 s): `withinHangLimit` interrupts the engine and fails it.
 * Shared by the `npm test` suite (src/data/loader-fuzz.test.ts, few cases) and the long run
 * (bench/loader-fuzz.ts, ≥ 10,000 cases).
 */
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { tableToIPC, Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import type { Connector } from '../../src/db/connector.ts';
import { LoadError } from '../../src/data/errors.ts';
import { RAW_ENGINE_TEXT } from '../../src/data/engine-errors.ts';
import { loadInputs, readRejects } from '../../src/data/load-inputs.ts';
import { polygonFlaw } from '../../src/data/area-repair.ts';
import { polygonToCells } from 'h3-js';
import type { LoadReport, RejectRow } from '../../src/data/types.ts';
import { REASON_CODES } from '../../src/data/reject-reasons.ts';
import { chineseReason, englishReason, hasEnglishPhrase } from '../fixtures/reason-text.ts';
import { HEADER_CLASSES } from '../fixtures/hostile-headers.ts';
import { warningText } from '../../src/data/load-warnings.ts';
import { LIST_STAGING_SQL } from '../../src/sql/load-tables.ts';

export type BadKind =
  | 'underscore' | 'hex' | 'huge' | 'infinity' | 'nan' | 'empty' | 'range' | 'zero' | 'text' | 'extraField' | 'missingField' | 'duplicate';

export interface GenRow {
  /** Index into the row list; the id is derived from it unless `duplicate`. */
  bad: BadKind | null;
  lon: number;
  lat: number;
  /** One value per extra column (by the column's type). */
  extras: number[];
  /** How the good number is written: plain, padded with spaces, with a + sign. */
  style: 0 | 1 | 2;
  ending: '\n' | '\r\n' | '\r';
}

export interface GenFile {
  extraHeaders: string[];
  extraTypes: ('text' | 'int')[];
  rows: GenRow[];
  delimiter: ',' | ';' | '\t';
  bom: boolean;
  quoteAll: boolean;
  /** How the CSV is encoded (UTF-16 always with its BOM, as Excel's "Unicode text" writes it). */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
}

const BAD_KINDS: BadKind[] = ['underscore', 'hex', 'huge', 'infinity', 'nan', 'empty', 'range', 'zero', 'text', 'extraField', 'missingField', 'duplicate'];

const hostile = Object.values(HEADER_CLASSES).map((h) => h.slice(0, 40));

export const genFile: fc.Arbitrary<GenFile> = fc
  .record({
    extraHeaders: fc.array(fc.oneof(fc.constantFrom(...hostile), fc.string({ unit: 'grapheme', maxLength: 12 })), { maxLength: 4 }),
    extraTypes: fc.array(fc.constantFrom<'text' | 'int'>('text', 'int'), { minLength: 4, maxLength: 4 }),
    rows: fc.array(
      fc.record({
        bad: fc.option(fc.constantFrom(...BAD_KINDS), { freq: 3 }),
        lon: fc.double({ min: 73.5, max: 134.5, noNaN: true }),
        lat: fc.double({ min: 18.2, max: 53.5, noNaN: true }),
        extras: fc.array(fc.nat({ max: 99999 }), { minLength: 4, maxLength: 4 }),
        style: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
        ending: fc.constantFrom<'\n' | '\r\n' | '\r'>('\n', '\r\n', '\r'),
      }),
      { minLength: 1, maxLength: 30 },
    ),
    delimiter: fc.constantFrom<',' | ';' | '\t'>(',', ',', ';', '\t'),
    bom: fc.boolean(),
    quoteAll: fc.boolean(),
    encoding: fc.constantFrom<GenFile['encoding']>('utf-8', 'utf-8', 'utf-8', 'utf-8', 'utf-16le', 'utf-16be'),
  })
  .map((f) => ({
    ...f,
    // A duplicate needs an earlier good row to repeat; the first row cannot be one.
    rows: f.rows.map((r, i) => (r.bad === 'duplicate' && !f.rows.slice(0, i).some((x) => x.bad === null) ? { ...r, bad: null } : r)),
  }));

/** Column names the file's extras get prefixed with, so no header is guessed as a contract column. */
const extraHeader = (f: GenFile, j: number) => `x${j}${f.extraHeaders[j]}`;

function num(v: number, style: number): string {
  const s = v.toFixed(5);
  return style === 1 ? ` ${s} ` : style === 2 ? `+${s}` : s;
}

/** The cells of row `i` (id, lon, lat, extras…) as written, before quoting. */
export function rowCells(f: GenFile, i: number): string[] {
  const r = f.rows[i];
  let id = `C${i}`;
  if (r.bad === 'duplicate') {
    const first = f.rows.findIndex((x) => x.bad === null);
    id = `C${first}`;
  }
  let lon = num(r.lon, r.style);
  let lat = num(r.lat, r.style);
  switch (r.bad) {
    case 'underscore': lon = `${Math.floor(r.lon / 100)}_${(r.lon % 100).toFixed(1)}`; break;
    case 'hex': lat = '0x1F'; break;
    case 'huge': lon = '1e999'; break;
    case 'infinity': lat = r.style === 0 ? 'Infinity' : '-inf'; break;
    case 'nan': lon = 'NaN'; break;
    case 'empty': lat = r.style === 1 ? '  ' : ''; break;
    case 'range': lon = '181.5'; break;
    case 'zero': lon = '0'; lat = '0.0'; break;
    case 'text': lat = 'north'; break;
    default: break;
  }
  const extras = f.extraHeaders.map((_, j) => (f.extraTypes[j] === 'text' ? `t${r.extras[j]}` : String(r.extras[j])));
  const cells = [id, lon, lat, ...extras];
  if (r.bad === 'extraField') cells.push('zz');
  if (r.bad === 'missingField') cells.pop();
  return cells;
}

function quote(cell: string, f: GenFile): string {
  const needs = f.quoteAll || /["\r\n,;\t|]/.test(cell) || cell !== cell.trim();
  return needs ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export function header(f: GenFile): string[] {
  return ['customer_id', 'lon', 'lat', ...f.extraHeaders.map((_, j) => extraHeader(f, j))];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The file as CSV bytes; `only` keeps those rows (the clean file: good rows, LF, comma). */
export function toCsv(f: GenFile, only?: (i: number) => boolean): Uint8Array {
  const clean = only !== undefined;
  const d = clean ? ',' : f.delimiter;
  const q = (c: string) => quote(c, clean ? { ...f, quoteAll: false } : f);
  let text = header(f).map(q).join(d) + '\n';
  f.rows.forEach((r, i) => {
    if (only && !only(i)) return;
    text += rowCells(f, i).map(q).join(d) + (clean ? '\n' : r.ending);
  });
  if (!clean && f.encoding !== 'utf-8') {
    // Well-formed first, as TextEncoder makes the UTF-8 file: a lone surrogate (a hostile header)
    // becomes U+FFFD in both, where raw it would make the UTF-16 file invalid (refused whole).
    const le = new Uint8Array(Buffer.from('\ufeff' + text.replace(LONE_SURROGATE, '\ufffd'), 'utf16le'));
    if (f.encoding === 'utf-16be') for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
    return le;
  }
  const bytes = new TextEncoder().encode(text);
  if (!f.bom || clean) return bytes;
  const out = new Uint8Array(bytes.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(bytes, 3);
  return out;
}

/** Same rows as an .xlsx workbook (row 1 = header, so line = row number as in the CSV). */
export async function toXlsx(f: GenFile): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('data');
  ws.addRow(header(f));
  f.rows.forEach((_, i) => ws.addRow(rowCells(f, i)));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Same rows as Parquet (text columns; rows with a wrong field count cannot exist there). */
export function toParquet(f: GenFile): Uint8Array {
  const h = header(f);
  const rows = f.rows.map((_, i) => rowCells(f, i));
  const cols: Record<string, Vector<Utf8>> = {};
  h.forEach((name, j) => {
    cols[name] = vectorFromArray(rows.map((r) => r[j] ?? null), new Utf8());
  });
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(new Table(cols), 'stream')));
}

/**
 * Line (1-based, header = 1) of generated row i: rows hold no line breaks, but a quoted header
 * cell may (CRLF, LF or CR: one line each), pushing every row down in a CSV.
 */
export function lineOf(f: GenFile, i: number, format: 'csv' | 'xlsx' | 'parquet'): number {
  if (format !== 'csv') return i + 2;
  const breaks = header(f).join('').match(/\r\n|\r|\n/g)?.length ?? 0;
  return i + 2 + breaks;
}

/** The longest a case may take (the "no hang over 60 s"). */
export const HANG_MS = 60_000;

/** `work`, or a rejection ("hang: …") after `ms`, when the engine is interrupted. */
export async function withinHangLimit<T>(conn: Connector, work: Promise<T>, ms = HANG_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void conn.interrupt().catch(() => undefined);
      reject(new Error(`hang: the case ran past ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** No staging table or view of the loader is left once a load ended. */
export async function assertNoStaging(conn: Connector): Promise<void> {
  const left = await conn.query<{ name: string }>(LIST_STAGING_SQL);
  if (left.length) throw new Error(`staging left behind: ${left.map((r) => r.name).join(', ')}`);
}

export interface FuzzOutcome {
  ok: boolean;
  /** Problem text when the whole file was refused (a LoadError). */
  problems: string[];
}

/** Whether row i is expected to be rejected in `format` (Parquet/xlsx have no field counts). */
export function expectedBad(f: GenFile, i: number, format: 'csv' | 'xlsx' | 'parquet'): boolean {
  const bad = f.rows[i].bad;
  if (bad === null) return false;
  // An absent last cell is an empty value there: a problem only when it is lat.
  if (format !== 'csv' && bad === 'missingField') return f.extraHeaders.length === 0;
  if (format === 'parquet' && bad === 'extraField') return false; // no column to hold it
  return true;
}

/**
 * Load `bytes` as customers and check every property above; throws (an assertion error with
 * the reason) when one fails. Returns what happened, for the counters of the long run.
 */
export async function checkLoad(conn: Connector, f: GenFile, bytes: Uint8Array, format: 'csv' | 'xlsx' | 'parquet'): Promise<FuzzOutcome> {
  const fileName = `fuzz.${format}`;
  let report: LoadReport;
  try {
    report = await loadInputs(conn, [{ kind: 'customers', fileName, bytes }]);
  } catch (e) {
    if (!(e instanceof LoadError)) throw new Error(`loader threw ${(e as Error)?.name}: ${(e as Error)?.message}`, { cause: e });
    await assertNoStaging(conn);
    for (const p of e.problems) {
      if (RAW_ENGINE_TEXT.test(p.message)) throw new Error(`raw engine text in a problem: ${p.message}`);
      if (p.file !== fileName) throw new Error(`problem does not name the file: ${JSON.stringify(p)}`);
    }
    // Refusing the file is right only when no row is usable.
    const good = f.rows.filter((_, i) => !expectedBad(f, i, format)).length;
    if (good > 0) throw new Error(`file refused with ${good} good rows: ${e.problems.map((p) => p.message).join('; ')}`);
    return { ok: false, problems: e.problems.map((p) => p.message) };
  }
  await assertNoStaging(conn);
  const file = report.files[0];
  if (file.rowsRead !== file.rowsKept + file.rowsRejected) throw new Error(`read ${file.rowsRead} ≠ kept ${file.rowsKept} + rejected ${file.rowsRejected}`);
  if (file.rowsRead !== f.rows.length) throw new Error(`read ${file.rowsRead} rows, generated ${f.rows.length}`);
  const rejects = (await readRejects(conn)).filter((r) => r.kind === 'customers');
  const rejectedLines = new Set<number>();
  for (const r of rejects) {
    if (r.line === null || !REASON_CODES.includes(r.reason) || !r.code) throw new Error(`reject without line/code/reason: ${JSON.stringify(r)}`);
    checkReasonText(r);
    rejectedLines.add(r.line);
  }
  for (const w of report.warnings.map(warningText)) if (RAW_ENGINE_TEXT.test(w)) throw new Error(`raw engine text in a warning: ${w}`);
  f.rows.forEach((r, i) => {
    const line = lineOf(f, i, format);
    const bad = expectedBad(f, i, format);
    if (bad && !rejectedLines.has(line)) throw new Error(`bad row (${r.bad}) on line ${line} was kept`);
    if (!bad && rejectedLines.has(line)) throw new Error(`good row on line ${line} was rejected: ${englishReason(rejects.find((x) => x.line === line)!)}`);
  });
  return { ok: true, problems: [] };
}

/** The live customers table, every value as text, in id order (for comparing two loads). */
export async function customersSnapshot(conn: Connector): Promise<string> {
  const rows = await conn.query<Record<string, unknown>>('SELECT * FROM customers ORDER BY customer_id');
  return JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** CSV only: kept rows equal a clean load of the good rows (same columns, same values). */
export async function checkAgainstClean(conn: Connector, f: GenFile): Promise<void> {
  const noisy = await customersSnapshot(conn);
  const good = (i: number) => !expectedBad(f, i, 'csv');
  await loadInputs(conn, [{ kind: 'customers', fileName: 'fuzz.csv', bytes: toCsv(f, good) }]);
  const clean = await customersSnapshot(conn);
  if (noisy !== clean) throw new Error(`kept rows differ from a clean load:\n${noisy.slice(0, 400)}\n${clean.slice(0, 400)}`);
}

export interface AreasCase {
  features: unknown[];
}

/**
 * GeoJSON areas with valid and broken features: unclosed, NaN, too few points, holes outside,
 * bigger than or crossing their shell, whole-world, across the antimeridian, wider than 180°,
 * bow-ties, spikes, repeated positions, clockwise, collinear, and random rings (`scribble`: 3–40
 * random positions in random order, mostly self-intersecting, with random holes).
 */
export const genAreas: fc.Arbitrary<AreasCase> = fc
  .array(
    fc.record({
      kind: fc.constantFrom(
        'ok', 'ok', 'unclosed', 'nan', 'short', 'holeOutside', 'world', 'noId', 'string', 'selfIntersect',
        'holeBigger', 'holeCrossing', 'antimeridian', 'wide', 'spike', 'dupes', 'clockwise', 'collinear', 'scribble', 'scribble',
      ),
      x: fc.double({ min: 100, max: 130, noNaN: true }),
      y: fc.double({ min: 20, max: 40, noNaN: true }),
      s: fc.double({ min: 0.001, max: 0.05, noNaN: true }),
      pts: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 3, maxLength: 40 }),
      holes: fc.array(fc.array(fc.tuple(fc.double({ min: -0.2, max: 1.2, noNaN: true }), fc.double({ min: -0.2, max: 1.2, noNaN: true })), { minLength: 3, maxLength: 8 }), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((fs) => ({
    features: fs.map((g, i) => {
      const { x, y, s } = g;
      let ring: unknown[] = [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
      const rings: unknown[][] = [ring];
      const box = (x0: number, y0: number, w: number) => [[x0, y0], [x0 + w, y0], [x0 + w, y0 + w], [x0, y0 + w], [x0, y0]];
      const scaled = (pts: [number, number][]) => [...pts.map(([u, v]) => [x + u * s, y + v * s]), [x + pts[0][0] * s, y + pts[0][1] * s]];
      switch (g.kind) {
        case 'unclosed': ring.pop(); break;
        case 'nan': ring[1] = [Number.NaN, y]; break;
        case 'short': ring = ring.slice(0, 2); rings[0] = ring; break;
        case 'holeOutside': rings.push([[x + 1, y + 1], [x + 1 + s * 3, y + 1], [x + 1 + s * 3, y + 1 + s * 3], [x + 1, y + 1]]); break;
        case 'world': rings[0] = [[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]; break;
        case 'selfIntersect': rings[0] = [[x, y], [x + s, y + s], [x + s, y], [x, y + s], [x, y]]; break;
        case 'holeBigger': rings.push(box(x - s, y - s, 3 * s).reverse()); break;
        case 'holeCrossing': rings.push(box(x + s / 2, y + s / 2, s).reverse()); break;
        case 'antimeridian': rings[0] = [[179.5, y], [-179.5, y], [-179.5, y + s], [179.5, y + s], [179.5, y]]; break;
        case 'wide': rings[0] = [[-100, y], [0, y], [100, y], [100, y + s], [0, y + s], [-100, y + s], [-100, y]]; break;
        case 'spike': rings[0] = [[x, y], [x + s, y], [x + s, y + s], [x + 2 * s, y + s], [x + s, y + s], [x, y + s], [x, y]]; break;
        case 'dupes': rings[0] = [[x, y], [x, y], [x + s, y], [x + s, y + s], [x + s, y + s], [x, y + s], [x, y]]; break;
        case 'clockwise': rings[0] = [...(ring as number[][])].reverse(); break;
        case 'collinear': rings[0] = [[x, y], [x + s, y], [x + 2 * s, y], [x, y]]; break;
        case 'scribble': rings[0] = scaled(g.pts); for (const h of g.holes) rings.push(scaled(h)); break;
        case 'string': return 'not a feature';
      }
      return { type: 'Feature', properties: g.kind === 'noId' ? {} : { area_id: `A${i}` }, geometry: { type: 'Polygon', coordinates: rings } };
    }),
  }));

/** Every kept area is valid (closed rings, no crossings, holes inside) and H3 fills it without an error. */
function checkKeptGeometry(report: LoadReport): void {
  for (const f of report.areas?.features ?? []) {
    const parts = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const rings of parts) {
      for (const r of rings) {
        const a = r[0], b = r[r.length - 1];
        if (r.length < 4 || a[0] !== b[0] || a[1] !== b[1]) throw new Error(`kept area ${f.properties.area_id} has an open or short ring`);
      }
      // OGC validity: rings may touch at points (the union's output does, e.g. demo district 7)
      const flaw = polygonFlaw(rings, { ringsMayTouch: true });
      if (flaw) throw new Error(`kept area ${f.properties.area_id} is not valid: ${JSON.stringify(flaw)}`);
      polygonToCells(rings, 5, true); // throws "code: 1" / "code: 13" on what the campaign found
    }
  }
}

/** A reject's reason is a known code, said without engine text in English and without an English phrase in zh-CN. */
function checkReasonText(r: RejectRow): void {
  if (!REASON_CODES.includes(r.reason)) throw new Error(`unknown reason code: ${JSON.stringify(r)}`);
  const en = englishReason(r);
  if (RAW_ENGINE_TEXT.test(en)) throw new Error(`raw engine text in a reason: ${en}`);
  const zh = chineseReason(r);
  if (hasEnglishPhrase(zh, r.params)) throw new Error(`English in a zh-CN reason: ${zh}`);
}

/** Areas: never a throw other than LoadError, features read = kept + rejected, no engine text. */
export async function checkAreas(conn: Connector, a: AreasCase): Promise<FuzzOutcome> {
  const text = JSON.stringify({ type: 'FeatureCollection', features: a.features });
  try {
    const report = await loadInputs(conn, [{ kind: 'areas', fileName: 'fuzz.geojson', bytes: new TextEncoder().encode(text) }]);
    await assertNoStaging(conn);
    const file = report.files[0];
    if (file.rowsRead !== a.features.length) throw new Error(`read ${file.rowsRead} features, generated ${a.features.length}`);
    if (file.rowsRead !== file.rowsKept + file.rowsRejected) throw new Error(`read ≠ kept + rejected`);
    checkKeptGeometry(report);
    for (const r of (await readRejects(conn)).filter((x) => x.kind === 'areas')) checkReasonText(r);
    return { ok: true, problems: [] };
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
    await assertNoStaging(conn);
    for (const p of e.problems) if (RAW_ENGINE_TEXT.test(p.message)) throw new Error(`raw engine text in a problem: ${p.message}`);
    return { ok: false, problems: e.problems.map((p) => p.message) };
  }
}
