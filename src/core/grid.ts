/**
 * H3 study grid (DESIGN.md § Grid): the study cells of a set of areas at one resolution,
 * fast conversion between h3-js strings and UBIGINT-compatible `bigint`s, assignment of
 * points to cells, lookup of a cell's study-cell index, cell centres and neighbour lists.
 *
 * Cells are stored as UBIGINT (`BigInt('0x' + h3)`) because building JS strings for 1M
 * customers is slow (DESIGN.md, engineering facts). No BigInt is allocated on a hot path:
 * BigUint64Arrays are read and written as pairs of uint32 halves (lo, hi) through a
 * Uint32Array view — which assumes a little-endian platform, as every browser platform
 * is; the module refuses to load elsewhere rather than mis-read cells. Study cells are
 * found through an open-addressing hash table on the halves (≈ 3× faster than a Map).
 * While a grid is built, a cell of known resolution is a plain `number` key: its low 52
 * bits (base cell + 15 digits) fit a double exactly, the high 12 bits (mode, resolution)
 * being the same for all cells of the grid.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { cellArea, cellToLatLng, getHexagonAreaAvg, gridDisk, latLngToCell, polygonToCells } from 'h3-js';
import { polygonAreaM2 } from './polygon-area.ts';
import { locatePoints } from './h3-locate.ts';

/** An area of the study: only its geometry matters here; `areaIndex` refers to the array order. */
export interface GridArea {
  geometry: Polygon | MultiPolygon;
}

/** The study cells of one resolution, in ascending cell order. */
export interface StudyGrid {
  resolution: number;
  /** Cells as UBIGINT values, ascending. */
  cells: BigUint64Array;
  /** The same cells as h3-js strings. */
  h3: string[];
  /** For each cell, the index (in the input array) of the area that owns it: the first area, in file order, whose polygon produced it. */
  areaIndex: Int32Array;
  /** For each area, its number of study cells (0 when the area is smaller than a cell). */
  areaCellCount: Int32Array;
  /** Hash table from a cell to its position in `cells`; use {@link locateCells} / {@link studyCellIndexOf}. */
  lookup: CellLookup;
}

/** Open-addressing (linear probing) hash table of cells: slot s holds cell (keyLo[s], keyHi[s]) → index[s], −1 = empty. */
export interface CellLookup {
  mask: number;
  keyLo: Uint32Array;
  keyHi: Uint32Array;
  index: Int32Array;
}

/** Compressed sparse rows: the neighbours of cell i are `indices[offsets[i] .. offsets[i + 1])`. */
export interface Neighbours {
  offsets: Int32Array;
  indices: Int32Array;
}

const TWO32 = 4294967296;
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('grid.ts reads BigUint64Array cells as little-endian uint32 pairs; this platform is big-endian');
}
// Bits 52..63 of a cell index: reserved bit, mode 1 (cell), reserved bits 0, resolution.
const cellHeader = (resolution: number): number => (1 << 7) | resolution;

function assertResolution(resolution: number): void {
  if (!Number.isInteger(resolution) || resolution < 0 || resolution > 15) {
    throw new RangeError(`H3 resolution must be an integer from 0 to 15, got ${resolution}`);
  }
}

/**
 * Study cells one grid may have, checked from the areas' size before H3 enumerates a cell.
 * Measured with the CLI's `hotspots` on square areas at resolution 8 (a shared 2-core machine
 * at load 15, so slow in absolute terms): 42,000 cells added 6 s to the 9 s baseline, 91,000
 * 13 s, 193,000 20 s; a 10° × 10° area (1.7M cells) stalled 25 s in the browser (issue 15).
 * 250,000 covers a 180,000 km² province at resolution 8 (Shanghai's 6,300 km² is 8,600).
 */
export const MAX_STUDY_CELLS = 250_000;

/** A study grid that cannot be built: too many cells (with the finest resolution that fits) or a polygon H3 could not fill. */
export class StudyGridError extends Error {
  override readonly name = 'StudyGridError';
  constructor(
    readonly code: 'tooManyCells' | 'polygonFailed',
    readonly params: Record<string, number>,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Study cells `areas` would have at `resolution`: each polygon's area over the area of the H3
 * cell at its bounding box's centre (H3 cells vary ±30 % over the globe, so the global mean would
 * miss by that much; overlaps between areas are counted twice).
 */
export function estimateStudyCells(areas: readonly GridArea[], resolution: number): number {
  let cells = 0;
  areas.forEach((a, i) => {
    for (const rings of polygonParts(a.geometry, i)) {
      if (rings.length === 0 || rings[0].length === 0) continue;
      let w = Infinity, e = -Infinity, s = Infinity, n = -Infinity;
      for (const [x, y] of rings[0]) {
        if (x < w) w = x;
        if (x > e) e = x;
        if (y < s) s = y;
        if (y > n) n = y;
      }
      const local = Number.isFinite(w) ? cellArea(latLngToCell((s + n) / 2, (w + e) / 2, resolution), 'm2') : getHexagonAreaAvg(resolution, 'm2');
      cells += polygonAreaM2(rings) / local;
    }
  });
  return Math.round(cells);
}

/** h3-js string → UBIGINT-compatible bigint. */
export function h3ToBigint(cell: string): bigint {
  return BigInt('0x' + cell);
}

/** UBIGINT bigint → h3-js string (lower-case hex, as h3-js writes it). */
export function bigintToH3(cell: bigint): string {
  return cell.toString(16);
}

function hexDigit(c: number): number {
  // '0'..'9' = 48..57, 'a'..'f' = 97..102, 'A'..'F' = 65..70
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

// Halves of the last string parsed by parseHalves (module scratch, so parsing allocates nothing).
let parsedLo = 0;
let parsedHi = 0;
function parseHalves(s: string): void {
  const n = s.length;
  const split = n > 8 ? n - 8 : 0;
  let hi = 0;
  let lo = 0;
  for (let k = 0; k < split; k++) hi = hi * 16 + hexDigit(s.charCodeAt(k));
  for (let k = split; k < n; k++) lo = lo * 16 + hexDigit(s.charCodeAt(k));
  parsedLo = lo;
  parsedHi = hi;
}

/** Writes the hex string `s` (≤ 16 digits) as two uint32 halves into u32[2i], u32[2i+1]. */
function writeHex(u32: Uint32Array, i: number, s: string): void {
  parseHalves(s);
  u32[2 * i] = parsedLo;
  u32[2 * i + 1] = parsedHi;
}

function u32View(a: BigUint64Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** h3-js strings → BigUint64Array (about 80 ns per cell, no BigInt allocated). */
export function h3ToUbigintArray(cells: readonly string[]): BigUint64Array {
  const out = new BigUint64Array(cells.length);
  const u32 = u32View(out);
  for (let i = 0; i < cells.length; i++) writeHex(u32, i, cells[i]);
  return out;
}

/** BigUint64Array → h3-js strings. */
export function ubigintToH3Array(cells: BigUint64Array): string[] {
  const out: string[] = new Array(cells.length);
  const u32 = u32View(cells);
  for (let i = 0; i < cells.length; i++) {
    const lo = u32[2 * i];
    const hi = u32[2 * i + 1];
    out[i] = hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0');
  }
  return out;
}

function slotOf(mask: number, lo: number, hi: number): number {
  // murmur3's 32-bit finaliser over both halves: the low bits of `lo` are constant
  // (unused digits are all 7s), so they must not pick the slot on their own
  let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & mask;
}

function buildLookup(cells: BigUint64Array): CellLookup {
  const n = cells.length;
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const keyLo = new Uint32Array(size);
  const keyHi = new Uint32Array(size);
  const index = new Int32Array(size).fill(-1);
  const u32 = u32View(cells);
  for (let i = 0; i < n; i++) {
    const lo = u32[2 * i];
    const hi = u32[2 * i + 1];
    let s = slotOf(mask, lo, hi);
    while (index[s] !== -1) s = (s + 1) & mask;
    keyLo[s] = lo;
    keyHi[s] = hi;
    index[s] = i;
  }
  return { mask, keyLo, keyHi, index };
}

/** Index of cell (lo, hi) in the table's grid, −1 when absent. */
function findCell(t: CellLookup, lo: number, hi: number): number {
  const { mask, keyLo, keyHi, index } = t;
  let s = slotOf(mask, lo, hi);
  for (;;) {
    const j = index[s];
    if (j === -1 || (keyLo[s] === lo && keyHi[s] === hi)) return j;
    s = (s + 1) & mask;
  }
}

/** The 52-bit key of an h3 string, or NaN when the string is not a cell of `resolution`. */
function keyOfH3(s: string, header: number): number {
  const n = s.length;
  if (n !== 15) return NaN; // every cell index has its top bits 0000 1xxx: 15 hex digits
  let hi = 0;
  let lo = 0;
  for (let k = 0; k < 7; k++) hi = hi * 16 + hexDigit(s.charCodeAt(k));
  for (let k = 7; k < 15; k++) lo = lo * 16 + hexDigit(s.charCodeAt(k));
  if (hi >>> 20 !== header) return NaN;
  return (hi & 0xfffff) * TWO32 + lo;
}

/**
 * Assigns points to H3 cells: `latLngToCell(lat, lon, resolution)` as UBIGINT.
 * A point with a non-finite coordinate gets 0 (H3_NULL), which no study grid contains.
 * `start`/`end` (default the whole array) let a caller split the work across workers;
 * only `out[start..end)` is written.
 */
export function assignCells(
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  resolution: number,
  out?: BigUint64Array,
  start?: number,
  end?: number,
): BigUint64Array {
  assertResolution(resolution);
  if (lon.length !== lat.length) throw new RangeError(`lon and lat differ in length (${lon.length} vs ${lat.length})`);
  const result = out ?? new BigUint64Array(lon.length);
  const from = start ?? 0;
  const to = end ?? lon.length;
  const u32 = u32View(result);
  // The finite points of the range go to the lattice locator (h3-js once per distinct cell).
  let finite = 0;
  for (let i = from; i < to; i++) if (Number.isFinite(lon[i]) && Number.isFinite(lat[i])) finite++;
  const at = new Int32Array(finite);
  const x = new Float64Array(finite), y = new Float64Array(finite);
  for (let i = from, k = 0; i < to; i++) {
    if (Number.isFinite(lon[i]) && Number.isFinite(lat[i])) { at[k] = i; x[k] = lon[i]; y[k++] = lat[i]; }
    else u32[2 * i] = u32[2 * i + 1] = 0;
  }
  const [{ cells, cellOf }] = locatePoints({ lon: x, lat: y }, [resolution]);
  const halves = u32View(h3ToUbigintArray(cells));
  for (let k = 0; k < finite; k++) {
    const i = at[k], c = cellOf[k];
    u32[2 * i] = halves[2 * c];
    u32[2 * i + 1] = halves[2 * c + 1];
  }
  return result;
}

function polygonParts(geometry: Polygon | MultiPolygon, areaIndex: number): number[][][][] {
  if (geometry?.type === 'Polygon') return [geometry.coordinates];
  if (geometry?.type === 'MultiPolygon') return geometry.coordinates;
  throw new TypeError(
    `area ${areaIndex + 1}: geometry must be a Polygon or MultiPolygon, got ${geometry === null ? 'null' : (geometry as { type?: string })?.type}`,
  );
}

/**
 * The study grid of `areas` at `resolution` (default 8): the union over areas of
 * `polygonToCells` (a cell belongs to a polygon when its centre is inside; holes are
 * respected; a MultiPolygon is handled part by part). A cell produced by two areas belongs
 * to the first one in array (file) order.
 */
export function buildStudyGrid(areas: readonly GridArea[], resolution?: number): StudyGrid {
  const res = resolution ?? 8;
  assertResolution(res);
  const header = cellHeader(res);
  const estimated = estimateStudyCells(areas, res);
  if (estimated > MAX_STUDY_CELLS) {
    let coarser = res - 1;
    while (coarser > 0 && estimateStudyCells(areas, coarser) > MAX_STUDY_CELLS) coarser--;
    throw new StudyGridError(
      'tooManyCells',
      { estimated, max: MAX_STUDY_CELLS, resolution: res, coarser: Math.max(0, coarser) },
      `the areas would have about ${estimated.toLocaleString('en-US')} study cells at H3 resolution ${res}, more than the ${MAX_STUDY_CELLS.toLocaleString('en-US')} allowed; use resolution ${Math.max(0, coarser)} or coarser, or smaller areas`,
    );
  }
  const owner = new Map<number, number>();
  for (let a = 0; a < areas.length; a++) {
    for (const rings of polygonParts(areas[a].geometry, a)) {
      if (rings.length === 0 || rings[0].length === 0) continue;
      let cells: string[];
      try {
        cells = polygonToCells(rings, res, true);
      } catch {
        // h3-js's "operation failed (code: 1)" / "Memory allocation failed (code: 13)": say which area, not H3's text
        throw new StudyGridError('polygonFailed', { area: a + 1, resolution: res }, `H3 could not fill area ${a + 1} (in file order) at resolution ${res}: its polygon is not valid; repair it and load the areas again`);
      }
      for (const cell of cells) {
        const key = keyOfH3(cell, header);
        if (!owner.has(key)) owner.set(key, a);
      }
    }
  }
  return gridFromOwners(owner, res, areas.length);
}

function gridFromOwners(owner: Map<number, number>, res: number, areaCount: number): StudyGrid {
  const header = cellHeader(res);
  const keys = Float64Array.from(owner.keys()).sort();
  const n = keys.length;
  const cells = new BigUint64Array(n);
  const areaIndex = new Int32Array(n);
  const areaCellCount = new Int32Array(areaCount);
  const hiHeader = header * 0x100000;
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    const a = owner.get(key)!;
    areaIndex[i] = a;
    if (a >= 0 && a < areaCount) areaCellCount[a]++;
    const hi = hiHeader + Math.floor(key / TWO32);
    const lo = key % TWO32;
    cells[i] = (BigInt(hi) << 32n) | BigInt(lo);
  }
  return { resolution: res, cells, h3: ubigintToH3Array(cells), areaIndex, areaCellCount, lookup: buildLookup(cells) };
}

/**
 * A study grid from an explicit list of cells (a saved grid, a test fixture). `areaIndex`
 * (default all 0) gives each cell's area; duplicates keep their first area. Every cell must
 * be a cell of `resolution`.
 */
export function studyGridFromCells(
  cells: BigUint64Array | readonly string[],
  resolution: number,
  areaIndex?: ArrayLike<number>,
): StudyGrid {
  assertResolution(resolution);
  const header = cellHeader(resolution);
  const h3 = cells instanceof BigUint64Array ? ubigintToH3Array(cells) : cells;
  const owner = new Map<number, number>();
  let areaCount = 0;
  for (let i = 0; i < h3.length; i++) {
    const key = keyOfH3(h3[i], header);
    if (Number.isNaN(key)) throw new RangeError(`${h3[i]} is not an H3 cell of resolution ${resolution}`);
    const a = areaIndex?.[i] ?? 0;
    areaCount = Math.max(areaCount, a + 1);
    if (!owner.has(key)) owner.set(key, a);
  }
  return gridFromOwners(owner, resolution, areaCount);
}

/** Study-cell index of one h3 string (any resolution), or −1 when it is not a study cell. */
export function studyCellIndexOf(grid: StudyGrid, cell: string | bigint): number {
  parseHalves(typeof cell === 'bigint' ? cell.toString(16) : cell);
  return findCell(grid.lookup, parsedLo, parsedHi);
}

/** Where each cell falls in the study grid. */
export interface LocatedCells {
  /** Study-cell index of each input cell, −1 when outside the study area. */
  index: Int32Array;
  /** Number of cells (points) outside the study area, H3_NULL (invalid points) included. */
  outside: number;
}

/**
 * Maps cells (e.g. the customers' cells from {@link assignCells} or a DuckDB GROUP BY) to
 * study-cell indices. A cell of another resolution is outside.
 */
export function locateCells(grid: StudyGrid, cells: BigUint64Array): LocatedCells {
  const n = cells.length;
  const index = new Int32Array(n);
  const lookup = grid.lookup;
  const u32 = u32View(cells);
  let outside = 0;
  for (let i = 0; i < n; i++) {
    const j = findCell(lookup, u32[2 * i], u32[2 * i + 1]);
    index[i] = j;
    if (j < 0) outside++;
  }
  return { index, outside };
}

/** Cell centres in degrees (WGS84), for distances and map labels. */
export function cellCentres(grid: StudyGrid): { lon: Float64Array; lat: Float64Array } {
  const n = grid.h3.length;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [y, x] = cellToLatLng(grid.h3[i]);
    lon[i] = x;
    lat[i] = y;
  }
  return { lon, lat };
}

/**
 * Neighbour lists N_i = study cells j with grid distance ≤ `rings` (default 1) from i, i
 * itself included, each row ascending. Built with `gridDisk`, which equals
 * `gridDistance ≤ rings` everywhere except next to the 12 pentagons (none of them is on
 * land), where gridDisk is the one H3 defines.
 */
export function gridNeighbours(grid: StudyGrid, rings?: number): Neighbours {
  const k = rings ?? 1;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`rings must be a whole number ≥ 0, got ${k}`);
  const n = grid.h3.length;
  const offsets = new Int32Array(n + 1);
  let indices = new Int32Array(Math.max(16, n * (1 + 3 * k * (k + 1))));
  let m = 0;
  const row: number[] = [];
  for (let i = 0; i < n; i++) {
    row.length = 0;
    for (const c of gridDisk(grid.h3[i], k)) {
      parseHalves(c);
      const j = findCell(grid.lookup, parsedLo, parsedHi);
      if (j >= 0) row.push(j);
    }
    row.sort((a, b) => a - b);
    if (m + row.length > indices.length) {
      const bigger = new Int32Array(indices.length * 2);
      bigger.set(indices);
      indices = bigger;
    }
    for (const j of row) indices[m++] = j;
    offsets[i + 1] = m;
  }
  return { offsets, indices: indices.slice(0, m) };
}

/** Neighbour lists without self (for Local Moran's I, whose weights exclude i). */
export function withoutSelf(nb: Neighbours): Neighbours {
  const n = nb.offsets.length - 1;
  const offsets = new Int32Array(n + 1);
  const indices = new Int32Array(nb.indices.length);
  let m = 0;
  for (let i = 0; i < n; i++) {
    for (let t = nb.offsets[i]; t < nb.offsets[i + 1]; t++) {
      const j = nb.indices[t];
      if (j !== i) indices[m++] = j;
    }
    offsets[i + 1] = m;
  }
  return { offsets, indices: indices.slice(0, m) };
}

/** Neighbour lists from plain arrays (tests, fixtures, other grids). */
export function neighboursFromLists(lists: readonly (readonly number[])[]): Neighbours {
  const offsets = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) offsets[i + 1] = offsets[i] + lists[i].length;
  const indices = new Int32Array(offsets[lists.length]);
  for (let i = 0; i < lists.length; i++) indices.set(lists[i], offsets[i]);
  return { offsets, indices };
}
