/**
 * Will this browser hold the files about to be loaded? Asked before a load reads a single byte,
 * so a file that cannot fit is refused up front, in the user's language, with what to do
 * instead (the CLI's `aggregate`), and the dataset already loaded is never touched.
 *
 * The estimate counts what the tab's renderer holds at its peak while loading and analysing
 * (load, then the hotspot map), per route the loader takes (data/load-inputs.ts blobData):
 * - the app itself with the demo city and the map: about 400 MB (APP_BYTES);
 * - what any load grows the tab by: about 350 MB (DuckDB's buffers and wasm heap, the hotspot
 *   run);
 * - **in place** — a CSV dropped as a file (a Blob, read by DuckDB where it is; source-csv.ts):
 *   the text is never held whole, so the file's size does not count; 240 bytes a row (DuckDB's
 *   pages of the table, coordinates and cells in the analysis worker, the 1M-line point
 *   slices). Calibrated on this machine (bench/scale-browser.bench.ts, headless Chromium, OPFS
 *   database, one run each under load): renderer peak 966 MB at 1M customers and 1,430 MB at
 *   3M (990 and 1,470 MB estimated; an earlier 1M run peaked at 1,101 MB). Past 3M this route
 *   is not measured yet: DuckDB's 2 GiB limit should bend the curve down (12M is estimated at
 *   3.5 GB and let through; 20M at 5.4 GB and refused). A file that passes and still does not
 *   fit ends in the same sentence from the engine (import.tooBig.engine), nothing lost;
 * - **in memory** — gzip, Excel, Parquet (and GeoJSON): the expanded file three times (read by
 *   the page and handed to the DB worker, copied there, held in DuckDB's heap) plus 48 bytes a
 *   row of working columns (1M: 974–1,122 MB measured, 975 MB estimated; 12M: 3.2–3.8 GB
 *   measured, 3.4 GB estimated); such a file must also fit one ArrayBuffer (under 2 GiB). A CSV that
 *   needs converting (GBK, UTF-16, mixed line endings) is converted in memory too, but the
 *   loader refuses those over 512 MB itself, so it is counted as in place here;
 * - when DuckDB runs in memory (no OPFS), its tables too (about 120 bytes a row); with an OPFS
 *   database they are evicted to disk under DuckDB's memory limit instead.
 * Compressed inputs are counted at their expanded size (gzip about 5×, Parquet about 3×,
 * .xlsx about 6×). The budget is 4 GiB, the most this machine's renderer was seen to hold
 * while still working (12M rows loaded by the in-memory route at 3.2–3.8 GB).
 * Tests and support set a lower cap with the `bp.memoryCapMB` localStorage key or a
 * `?memoryCapMB=` URL parameter.
 */
import type { InputKind } from '../../data/types.ts';

export interface CapacityFile {
  fileName: string;
  kind: InputKind;
  /** Size on disk in bytes. */
  bytes: number;
  /** Rows when the inspection counted or estimated them. */
  rows?: number | null;
}

/** How the loader reads a file: where it is (a dropped CSV), or whole into memory. */
export type LoadRoute = 'in-place' | 'in-memory';

/** The route a file takes, from its name and kind (load-inputs.ts decides from its first bytes). */
export function loadRoute(f: Pick<CapacityFile, 'fileName' | 'kind'>): LoadRoute {
  if (f.kind === 'areas') return 'in-memory';
  return /\.(gz|xlsx|xls|parquet|pq|json|geojson)$/i.test(f.fileName) ? 'in-memory' : 'in-place';
}

export interface Refusal {
  /** The file that makes the load too big (the largest). */
  file: string;
  needBytes: number;
  capBytes: number;
  /** 'estimate': refused before loading; 'engine': DuckDB ran out of memory while loading. */
  reason: 'estimate' | 'engine';
}

export const DEFAULT_CAP_BYTES = 4 * 1024 ** 3;
/** A single ArrayBuffer this large cannot be read and copied into a 4 GiB wasm heap. */
export const MAX_FILE_BYTES = 2 * 1024 ** 3;
/** Bytes of CSV text per customer row in the exports we see (≈ 30: id, lon, lat, a few fields). */
const TEXT_BYTES_PER_ROW = 30;
/** The page, map and demo city before any file. */
const APP_BYTES = 400e6;
/** What any load grows the tab by (DuckDB's buffers and wasm heap, the hotspot run). */
const LOAD_FIXED_BYTES = 350e6;
/** In place: what each row adds (DuckDB's pages of the table under its limit, the workers' columns). */
const IN_PLACE_BYTES_PER_ROW = 240;
/** In memory: working columns per row (the file's copies are counted from its size). */
const WORKING_BYTES_PER_ROW = 48;
const TABLE_BYTES_PER_ROW = 120;

function expansion(name: string): number {
  const n = name.toLowerCase();
  if (n.endsWith('.gz')) return 5;
  if (n.endsWith('.parquet') || n.endsWith('.pq')) return 3;
  if (n.endsWith('.xlsx')) return 6;
  return 1;
}

/** Estimated peak bytes the tab needs to load and use `files`. */
export function estimateNeed(files: readonly CapacityFile[], storage: 'opfs' | 'memory'): number {
  let need = APP_BYTES + LOAD_FIXED_BYTES;
  for (const f of files) {
    const text = f.bytes * expansion(f.fileName);
    const rows = f.rows && f.rows > 0 ? f.rows : text / TEXT_BYTES_PER_ROW;
    const tables = storage === 'memory' ? rows * TABLE_BYTES_PER_ROW : 0;
    if (loadRoute(f) === 'in-place') {
      need += rows * IN_PLACE_BYTES_PER_ROW + tables;
    } else {
      need += 3 * text + rows * WORKING_BYTES_PER_ROW + tables;
    }
  }
  return Math.round(need);
}

/** A refusal when `files` will not fit under `capBytes`, else null. */
export function checkCapacity(files: readonly CapacityFile[], capBytes: number, storage: 'opfs' | 'memory'): Refusal | null {
  if (files.length === 0) return null;
  const largest = [...files].sort((a, b) => b.bytes - a.bytes)[0];
  const need = estimateNeed(files, storage);
  // One ArrayBuffer holds an in-memory file; a file read in place has no such limit.
  const tooLongBuffer = files.some((f) => loadRoute(f) === 'in-memory' && f.bytes >= MAX_FILE_BYTES);
  if (need <= capBytes && !tooLongBuffer) return null;
  return { file: largest.fileName, needBytes: need, capBytes, reason: 'estimate' };
}

/**
 * The cap in bytes: `?memoryCapMB=` in the address, else the `bp.memoryCapMB` localStorage key,
 * else the default. Values that are not positive numbers are ignored.
 */
export function memoryCapBytes(search = typeof location !== 'undefined' ? location.search : '', stored: string | null = readStored()): number {
  const fromUrl = new URLSearchParams(search).get('memoryCapMB');
  for (const v of [fromUrl, stored]) {
    const mb = v === null ? NaN : Number(v);
    if (Number.isFinite(mb) && mb > 0) return Math.round(mb * 1024 * 1024);
  }
  return DEFAULT_CAP_BYTES;
}

function readStored(): string | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage.getItem('bp.memoryCapMB') : null;
  } catch {
    return null;
  }
}

/** DuckDB's and the browser's ways of saying the heap is full (never shown as such). */
export function isOutOfMemory(e: unknown): boolean {
  const msg = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return /Out of Memory|could not allocate|Memory allocation failed|Array buffer allocation failed|RangeError: .*memory/i.test(msg);
}
