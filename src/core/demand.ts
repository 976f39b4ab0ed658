/**
 * Demand measures per study cell (DESIGN.md § Demand hotspots and § Coverage):
 * customer count, sum of a numeric column, customer filters as a boolean mask, population
 * potential, penetration and under-served demand.
 *
 * Customers arrive as parallel columns (typed arrays) and as their study-cell index from
 * `locateCells` (−1 = outside the study area). Aggregation in DuckDB (GROUP BY cell) gives
 * the same numbers; these plain reducers serve the worker's interactive filters and tests.
 */
import { haversineM, EARTH_RADIUS_M } from './haversine.ts';
import { locateCells, type StudyGrid } from './grid.ts';

export interface CellAggregate {
  /** Value per study cell: count or sum over the customers that pass the mask; 0 where none. */
  values: Float64Array;
  /** Customers that passed the mask and fell in a study cell. */
  used: number;
  /** Customers that passed the mask but lie outside the study area (their cell index is −1). */
  outside: number;
  /** Customers excluded by the mask. */
  filteredOut: number;
  /** Customers that passed the mask and are in the study area but whose summed value is missing (NaN); left out of the sum. */
  missingValue: number;
}

/**
 * Counts (no `value`) or sums `value` per study cell over the customers whose `mask` entry
 * is non-zero (all customers without a mask). Cells without customers get 0, as DESIGN.md
 * requires for Gi*.
 */
export function aggregateByCell(
  cellIndex: Int32Array,
  cellCount: number,
  options?: { value?: ArrayLike<number>; mask?: Uint8Array },
): CellAggregate {
  const value = options?.value;
  const mask = options?.mask;
  const n = cellIndex.length;
  if (value && value.length !== n) throw new RangeError(`value column has ${value.length} rows, cell index ${n}`);
  if (mask && mask.length !== n) throw new RangeError(`mask has ${mask.length} rows, cell index ${n}`);
  const values = new Float64Array(cellCount);
  let used = 0;
  let outside = 0;
  let filteredOut = 0;
  let missingValue = 0;
  for (let r = 0; r < n; r++) {
    if (mask && mask[r] === 0) {
      filteredOut++;
      continue;
    }
    const c = cellIndex[r];
    if (c < 0) {
      outside++;
      continue;
    }
    if (value) {
      const v = value[r];
      if (Number.isNaN(v)) {
        missingValue++;
        continue;
      }
      values[c] += v;
    } else values[c] += 1;
    used++;
  }
  return { values, used, outside, filteredOut, missingValue };
}

/**
 * Scatters per-cell totals computed elsewhere (a DuckDB `GROUP BY cell` returning UBIGINT
 * cells and counts or sums) onto the study grid. Cells without a row get 0; rows whose cell
 * is not a study cell are reported: how many cells, and the sum of their totals (= the
 * customers outside the study area, when the totals are counts).
 */
export function totalsByStudyCell(
  grid: StudyGrid,
  cells: BigUint64Array,
  totals: ArrayLike<number>,
): { values: Float64Array; outsideCells: number; outsideTotal: number } {
  if (totals.length !== cells.length) throw new RangeError(`${cells.length} cells but ${totals.length} totals`);
  const { index } = locateCells(grid, cells);
  const values = new Float64Array(grid.cells.length);
  let outsideCells = 0;
  let outsideTotal = 0;
  for (let r = 0; r < index.length; r++) {
    const c = index[r];
    if (c >= 0) values[c] += totals[r];
    else {
      outsideCells++;
      outsideTotal += totals[r];
    }
  }
  return { values, outsideCells, outsideTotal };
}

/** An age band, ages in whole years: minYears ≤ age < maxYears (either bound optional). */
export interface AgeBand {
  label: string;
  minYears?: number;
  maxYears?: number;
}

/**
 * Default age bands for segment filters (young → digital products, ageing → branch service).
 * A product choice, not a standard: callers may pass their own.
 */
export const DEFAULT_AGE_BANDS: readonly AgeBand[] = [
  { label: '18-29', minYears: 18, maxYears: 30 },
  { label: '30-44', minYears: 30, maxYears: 45 },
  { label: '45-59', minYears: 45, maxYears: 60 },
  { label: '60+', minYears: 60 },
];

/** Customer filters; every given filter must hold (AND). A row with a missing filtered field fails that filter. */
export interface CustomerFilter {
  /** Keep customers whose segment is one of these (exact text). */
  segment?: { values: ArrayLike<string | null | undefined>; allowed: readonly string[] };
  /** Keep customers whose age is in any of these bands. */
  age?: { values: ArrayLike<number>; bands: readonly AgeBand[] };
  /** Keep customers whose digital_active equals this (0 or 1). */
  digitalActive?: { values: ArrayLike<number>; equals: 0 | 1 };
}

/** 1 where a customer passes every filter, 0 elsewhere. With no filter every entry is 1. */
export function customerMask(rowCount: number, filter?: CustomerFilter): Uint8Array {
  const mask = new Uint8Array(rowCount).fill(1);
  const seg = filter?.segment;
  if (seg) {
    checkLength(seg.values.length, rowCount, 'segment');
    const allowed = new Set(seg.allowed);
    for (let r = 0; r < rowCount; r++) {
      const s = seg.values[r];
      if (s == null || !allowed.has(s)) mask[r] = 0;
    }
  }
  const age = filter?.age;
  if (age) {
    checkLength(age.values.length, rowCount, 'age');
    for (let r = 0; r < rowCount; r++) {
      if (mask[r] === 0) continue;
      const a = age.values[r];
      let ok = false;
      for (const b of age.bands) {
        if (a >= (b.minYears ?? -Infinity) && a < (b.maxYears ?? Infinity)) {
          ok = true;
          break;
        }
      }
      if (!ok) mask[r] = 0; // NaN fails every comparison
    }
  }
  const dig = filter?.digitalActive;
  if (dig) {
    checkLength(dig.values.length, rowCount, 'digital_active');
    for (let r = 0; r < rowCount; r++) if (dig.values[r] !== dig.equals) mask[r] = 0;
  }
  return mask;
}

function checkLength(got: number, want: number, name: string): void {
  if (got !== want) throw new RangeError(`${name} column has ${got} rows, expected ${want}`);
}

/**
 * Population potential per study cell: each area's population spread evenly over its study
 * cells (population / number of the area's cells). NaN where the area's population is
 * missing (NaN); an area without study cells contributes nothing (its population is lost
 * at this resolution — callers should warn, see `StudyGrid.areaCellCount`).
 */
export function populationPotential(
  cellAreaIndex: Int32Array,
  areaPopulation: ArrayLike<number>,
): Float64Array {
  const cellsPerArea = new Int32Array(areaPopulation.length);
  for (let i = 0; i < cellAreaIndex.length; i++) cellsPerArea[cellAreaIndex[i]]++;
  const out = new Float64Array(cellAreaIndex.length);
  for (let i = 0; i < cellAreaIndex.length; i++) {
    const a = cellAreaIndex[i];
    out[i] = areaPopulation[a] / cellsPerArea[a];
  }
  return out;
}

/** Customers per person of potential, per cell; NaN where the potential is 0 or missing. */
export function penetration(customers: ArrayLike<number>, potential: ArrayLike<number>): Float64Array {
  const out = new Float64Array(customers.length);
  for (let i = 0; i < customers.length; i++) {
    const p = potential[i];
    out[i] = p > 0 ? customers[i] / p : NaN;
  }
  return out;
}

/**
 * Haversine distance in metres from each point to the nearest site; Infinity when there is
 * no site. Exact: sites are sorted by latitude and the search stops once the latitude gap
 * alone (R·|Δφ|, a lower bound of the great-circle distance) exceeds the best distance.
 */
export function nearestSiteDistanceM(
  pointLon: ArrayLike<number>,
  pointLat: ArrayLike<number>,
  siteLon: ArrayLike<number>,
  siteLat: ArrayLike<number>,
): Float64Array {
  const n = pointLon.length;
  const m = siteLon.length;
  const out = new Float64Array(n).fill(Infinity);
  if (m === 0) return out;
  const order = Array.from({ length: m }, (_, j) => j).sort((a, b) => siteLat[a] - siteLat[b]);
  const sLat = Float64Array.from(order, (j) => siteLat[j]);
  const sLon = Float64Array.from(order, (j) => siteLon[j]);
  const mPerDegLat = (EARTH_RADIUS_M * Math.PI) / 180;
  for (let i = 0; i < n; i++) {
    const x = pointLon[i];
    const y = pointLat[i];
    // first site with lat ≥ y
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sLat[mid] < y) lo = mid + 1;
      else hi = mid;
    }
    let best = Infinity;
    for (let up = lo, down = lo - 1; up < m || down >= 0; ) {
      const gapUp = up < m ? (sLat[up] - y) * mPerDegLat : Infinity;
      const gapDown = down >= 0 ? (y - sLat[down]) * mPerDegLat : Infinity;
      if (Math.min(gapUp, gapDown) > best) break;
      if (gapUp <= gapDown) {
        best = Math.min(best, haversineM(x, y, sLon[up], sLat[up]));
        up++;
      } else {
        best = Math.min(best, haversineM(x, y, sLon[down], sLat[down]));
        down--;
      }
    }
    out[i] = best;
  }
  return out;
}

export interface UnderServed {
  /** Distance from each cell centre to our nearest site, metres (Infinity without sites). */
  nearestSiteM: Float64Array;
  /** The cell's demand where nearestSiteM > radiusM, else 0. */
  underServed: Float64Array;
  /** Σ underServed and Σ demand (NaN demand left out of both). */
  underServedTotal: number;
  demandTotal: number;
}

/**
 * Under-served demand: demand at cells whose centre is farther than `radiusM` from our
 * nearest site (a cell exactly at radiusM is served, as coverage uses distance ≤ R).
 */
export function underServedDemand(
  cellLon: ArrayLike<number>,
  cellLat: ArrayLike<number>,
  demand: ArrayLike<number>,
  siteLon: ArrayLike<number>,
  siteLat: ArrayLike<number>,
  radiusM: number,
): UnderServed {
  if (!(radiusM >= 0)) throw new RangeError(`radiusM must be a distance ≥ 0 in metres, got ${radiusM}`);
  const nearestSiteM = nearestSiteDistanceM(cellLon, cellLat, siteLon, siteLat);
  const underServed = new Float64Array(demand.length);
  let underServedTotal = 0;
  let demandTotal = 0;
  for (let i = 0; i < demand.length; i++) {
    const d = demand[i];
    if (Number.isNaN(d)) {
      underServed[i] = NaN;
      continue;
    }
    demandTotal += d;
    if (nearestSiteM[i] > radiusM) {
      underServed[i] = d;
      underServedTotal += d;
    }
  }
  return { nearestSiteM, underServed, underServedTotal, demandTotal };
}
