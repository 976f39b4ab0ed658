/**
 * Candidate sites (DESIGN.md "Coverage and site selection"): the candidates file when
 * given, otherwise every study-cell centre farther than R/2 from our existing sites of the
 * chosen type — closer ones would mostly re-cover what an existing site already covers.
 * Cell centres come in as arrays (the H3 grid is built elsewhere).
 */
import { cellToLatLng, cellToParent, getHexagonEdgeLengthAvg, getResolution, isValidCell, latLngToCell } from 'h3-js';
import { locatePoints } from './h3-locate.ts';
import { GridIndex, Hits, type Points } from './spatial-index.ts';

export interface GeneratedCandidates {
  lon: Float64Array;
  lat: Float64Array;
  /** Index of the study cell each candidate is the centre of. */
  cellIndex: Int32Array;
}

/** Study-cell centres with haversine distance > radiusM / 2 to every existing site (all of them when there are none). */
export function generateCandidates(cellCentres: Points, existing: Points, radiusM: number): GeneratedCandidates {
  if (!(radiusM >= 0)) throw new RangeError(`radiusM must be ≥ 0 metres, got ${radiusM}`);
  const near = maskWithin(cellCentres, existing, radiusM / 2);
  const keep: number[] = [];
  for (let i = 0; i < near.length; i++) if (!near[i]) keep.push(i);
  return {
    lon: Float64Array.from(keep, (i) => cellCentres.lon[i]),
    lat: Float64Array.from(keep, (i) => cellCentres.lat[i]),
    cellIndex: Int32Array.from(keep),
  };
}

/**
 * 1 for each point within distanceM (haversine, ≤; one distance or one per site) of any of
 * `sites`, else 0. E.g. keep new sites away from existing ones with
 * allowed = 1 − maskWithin(candidates, existing, d).
 */
export function maskWithin(points: Points, sites: Points, distanceM: number | ArrayLike<number>): Uint8Array {
  const mask = new Uint8Array(points.lon.length);
  if (sites.lon.length === 0 || points.lon.length === 0) return mask;
  const perSite = typeof distanceM === 'number' ? null : distanceM;
  let typical = perSite ? 0 : (distanceM as number);
  if (perSite) for (let s = 0; s < perSite.length; s++) typical = Math.max(typical, perSite[s]);
  const index = new GridIndex(points, Math.max(typical, 50));
  const hits = new Hits();
  for (let s = 0; s < sites.lon.length; s++) {
    const n = index.within(sites.lon[s], sites.lat[s], perSite ? perSite[s] : (distanceM as number), hits);
    for (let h = 0; h < n; h++) mask[hits.index[h]] = 1;
  }
  return mask;
}

/**
 * Candidate mask from circular exclusion zones (centre + radius in metres): 1 = allowed.
 * Polygon zones drawn on the map are tested by the caller (point-in-polygon) and combined
 * with this mask by AND.
 */
export function allowedOutsideCircles(candidates: Points, zones: { lon: ArrayLike<number>; lat: ArrayLike<number>; radiusM: ArrayLike<number> }): Uint8Array {
  const inside = maskWithin(candidates, zones, zones.radiusM);
  return inside.map((x) => 1 - x);
}

/**
 * The H3 resolution of candidates generated where demand is, for coverage radius R: the
 * coarsest whose mean hexagon edge is at most R / 2, so a candidate is never more than
 * ~R/2 from any position in its cell. bench/sites-candidates.bench.ts measures the plan at
 * this resolution against the next finer one on the demo city (ATM, R = 500 m: covered
 * demand within 0.3 %). R = 500 m → 9, R = 1500 m → 8. Capped at 7..12.
 */
export function candidateResolution(radiusM: number): number {
  for (let r = 7; r < 12; r++) if (getHexagonEdgeLengthAvg(r, 'm') <= radiusM / 2) return r;
  return 12;
}

export interface PointCells {
  /** Distinct H3 cells (at `resolution`) holding at least one point, first-seen order. */
  cells: string[];
  /** Cell of each point: index into `cells`. */
  cellOf: Int32Array;
  /** Summed weight of the points in each cell. */
  weight: Float64Array;
}

/**
 * Each point's H3 cell at `resolution`, cells in the order the points first reach them,
 * exactly as h3-js latLngToCell decides (core/h3-locate.ts: one h3-js call per distinct
 * cell, not per point).
 */
export function pointCells(points: Points & { weight?: ArrayLike<number> }, resolution: number): PointCells {
  return withWeights(locatePoints(points, [resolution])[0], points.weight);
}

/** A located resolution with the summed weight of its points per cell (1 each without weights). */
export function withWeights(located: { cells: string[]; cellOf: Int32Array }, weight?: ArrayLike<number>): PointCells {
  const { cells, cellOf } = located;
  const w = new Float64Array(cells.length);
  for (let i = 0; i < cellOf.length; i++) w[cellOf[i]] += weight ? weight[i] : 1;
  return { cells, cellOf, weight: w };
}

/** Resolution of an H3 cell, −1 when the text is not one. */
export function h3ResolutionOf(h: string): number {
  return isValidCell(h) ? getResolution(h) : -1;
}

/** The H3 cell holding (lon, lat) at `resolution`. */
export function cellAt(lon: number, lat: number, resolution: number): string {
  return latLngToCell(lat, lon, resolution);
}

/** The parent of each cell at a coarser resolution (the cell itself when not coarser). */
export function parentCells(cells: readonly string[], resolution: number): string[] {
  return cells.map((c) => (resolution < cellResolution(c) ? cellToParent(c, resolution) : c));
}

/**
 * getResolution without the call into h3-js for a cell in its usual 15-digit form: the bits
 * below the mode (the leading 8 of a cell) are the resolution, the second hex digit.
 */
function cellResolution(c: string): number {
  return c.length === 15 && c.charCodeAt(0) === 56 /* 8 */ ? parseInt(c[1], 16) : getResolution(c);
}

/**
 * Candidates where demand is (DESIGN.md): the centres of the H3 cells at `resolution`
 * holding demand of weight > 0, farther than radiusM / 2 from every existing site.
 * `fine` are the points' cells at a resolution ≥ `resolution` (pointCells).
 */
export function candidatesWhereDemand(fine: PointCells, resolution: number, existing: Points, radiusM: number): { h3: string[]; lon: Float64Array; lat: Float64Array } {
  // Cells at `resolution` holding weight, in first-seen order (the fine cells themselves, distinct, when no coarser).
  const h3: string[] = [];
  if (fine.cells.every((c) => cellResolution(c) <= resolution)) {
    for (let k = 0; k < fine.cells.length; k++) if (fine.weight[k] > 0) h3.push(fine.cells[k]);
  } else {
    const seen = new Set<string>();
    const parents = parentCells(fine.cells, resolution);
    for (let k = 0; k < parents.length; k++) {
      if (!(fine.weight[k] > 0) || seen.has(parents[k])) continue;
      seen.add(parents[k]);
      h3.push(parents[k]);
    }
  }
  const lon = new Float64Array(h3.length), lat = new Float64Array(h3.length);
  for (let q = 0; q < h3.length; q++) { const [y, x] = cellToLatLng(h3[q]); lon[q] = x; lat[q] = y; }
  const near = maskWithin({ lon, lat }, existing, radiusM / 2);
  let kept = 0;
  for (let q = 0; q < h3.length; q++) if (!near[q]) kept++;
  if (kept === h3.length) return { h3, lon, lat };
  const out = { h3: new Array<string>(kept), lon: new Float64Array(kept), lat: new Float64Array(kept) };
  for (let q = 0, r = 0; q < h3.length; q++) {
    if (near[q]) continue;
    out.h3[r] = h3[q]; out.lon[r] = lon[q]; out.lat[r] = lat[q];
    r++;
  }
  return out;
}
