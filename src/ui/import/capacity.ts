/**
 * Will this browser hold the files about to be loaded? Asked before a load reads a single byte,
 * so a file that cannot fit is refused up front, in the user's language, with what to do
 * instead (the CLI's `aggregate`), and the dataset already loaded is never touched.
 *
 * The estimate counts what the tab's renderer holds at its peak while loading, calibrated on
 * this machine (bench/scale-browser.bench.ts, headless Chromium, OPFS database): a 12M-customer
 * CSV of 703 MB loaded with the renderer at 3.2–3.8 GB; 1M (59 MB) at about 1.0 GB.
 * - the app itself with the demo city and the map: about 400 MB;
 * - the file's text three times: read by the page and handed to the DB worker, copied there
 *   for DuckDB, and held in DuckDB's wasm heap as the registered file. A plain UTF-8 CSV is now
 *   read in place instead (source-csv.ts: never held whole), so for those this term is the room
 *   DuckDB's buffer manager and the coordinates round trip take; kept, not yet recalibrated, as
 *   the measured ceiling that refuses 20M rows up front;
 * - per row, the working columns the analyses keep (coordinates, H3 cells, area index) in the
 *   analysis worker, about 48 bytes;
 * - when DuckDB runs in memory (no OPFS), its tables too (about 120 bytes a row); with an OPFS
 *   database they are evicted to disk under DuckDB's memory limit instead.
 * Compressed inputs are counted at their expanded size (gzip about 5×, Parquet about 3×,
 * .xlsx about 6×). The budget is 4 GiB, the most this machine's renderer was seen to hold
 * while still working (12M rows loaded; 20M rows, about 1.2 GB of CSV, is refused up front).
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
  let need = APP_BYTES;
  for (const f of files) {
    const text = f.bytes * expansion(f.fileName);
    const rows = f.rows && f.rows > 0 ? f.rows : text / TEXT_BYTES_PER_ROW;
    need += 3 * text + rows * (WORKING_BYTES_PER_ROW + (storage === 'memory' ? TABLE_BYTES_PER_ROW : 0));
  }
  return Math.round(need);
}

/** A refusal when `files` will not fit under `capBytes`, else null. */
export function checkCapacity(files: readonly CapacityFile[], capBytes: number, storage: 'opfs' | 'memory'): Refusal | null {
  if (files.length === 0) return null;
  const largest = [...files].sort((a, b) => b.bytes - a.bytes)[0];
  const need = estimateNeed(files, storage);
  if (need <= capBytes && largest.bytes < MAX_FILE_BYTES) return null;
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
