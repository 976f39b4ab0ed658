/**
 * Candidate sites (DESIGN.md "Coverage and site selection"): the candidates file when
 * given, otherwise every study-cell centre farther than R/2 from our existing sites of the
 * chosen type — closer ones would mostly re-cover what an existing site already covers.
 * Cell centres come in as arrays (the H3 grid is built elsewhere).
 */
import { cellToBoundary, cellToLatLng, cellToParent, getHexagonEdgeLengthAvg, getResolution, gridDisk, isValidCell, latLngToCell } from 'h3-js';
import { EARTH_RADIUS_M } from './haversine.ts';
import { blockOrder, GridIndex, Hits, type Points } from './spatial-index.ts';

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

/**
 * Which study cell each point lies in, exactly as latLngToCell(point, studyResolution)
 * decides (DESIGN.md › Grid), from the points' finer cells: where a fine cell's parent and
 * all its neighbours are study cells the point is inside whatever its exact cell (a point's
 * cell is its fine cell's parent or a neighbour of it), so only points near the edge of the
 * study area need their own latLngToCell. Returns the study-cell index (−1 outside); inside
 * the study area's interior it is the fine cell's parent's (the exact cell may be a neighbour: display only).
 */
export function studyCellOfPoints(points: Points, fine: PointCells, study: readonly string[], studyResolution: number): Int32Array {
  const index = new Map(study.map((h, i) => [h, i]));
  const parents = parentCells(fine.cells, studyResolution);
  // Per fine cell: the study index of its parent when the point's cell is surely that one
  // (fine = study resolution) or surely a study cell whose index the parent gives (interior), else −1.
  const exact = fine.cells.length > 0 && fine.cells.every((c) => cellResolution(c) === studyResolution);
  const studyOf = new Int32Array(parents.length).fill(-1);
  const known = new Map<string, number>();
  parents.forEach((p, k) => {
    let s = known.get(p);
    if (s === undefined) {
      const at = index.get(p);
      s = at !== undefined && (exact || gridDisk(p, 1).every((c) => index.has(c))) ? at : -1;
      known.set(p, s);
    }
    studyOf[k] = s;
  });
  const out = new Int32Array(points.lon.length);
  for (let i = 0; i < out.length; i++) {
    const s = studyOf[fine.cellOf[i]];
    if (s >= 0) out[i] = s;
    else if (exact) out[i] = -1;
    else out[i] = index.get(latLngToCell(points.lat[i], points.lon[i], studyResolution)) ?? -1;
  }
  return out;
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
 * exactly as h3-js latLngToCell (~1 µs a point) decides.
 *
 * `spatial` (default true) visits the points square by square (blockOrder, squares about a
 * cell edge wide) and skips most latLngToCell calls: a point inside a recently found cell's
 * polygon, shrunk by a safety margin, is in that cell. The polygon is the cell's boundary
 * (cellToBoundary) in a local metric plane at its centre, tested edge by edge (inside every
 * edge's half-plane; for a convex cell that is the cell, otherwise a part of it); the margin
 * (1 m + 4·L²/R·(1 + tan|φ|), L the centre–vertex distance) exceeds the plane's error for a
 * geodesic edge by orders of magnitude. Above 80° latitude every point is looked up. The
 * result is the same as looking every point up.
 */
export function pointCells(points: Points & { weight?: ArrayLike<number> }, resolution: number, spatial = true): PointCells {
  const n = points.lon.length;
  const order = spatial ? blockOrder(points, getHexagonEdgeLengthAvg(resolution, 'm')).point : null;
  const index = new Map<string, number>();
  const found: string[] = [];
  const cellOf = new Int32Array(n);
  const polys = new CellPolygons();
  // Recently found cells (indices into `found`), most recent first.
  const RING = 8;
  const ring = new Int32Array(RING).fill(-1);
  let ringNext = 0;
  for (let q = 0; q < n; q++) {
    const i = order ? order[q] : q;
    const x = points.lon[i], y = points.lat[i];
    let k = -1;
    if (spatial && Math.abs(y) < 80) {
      for (let t = 1; t <= RING; t++) {
        const r = ring[(ringNext - t + RING) % RING];
        if (r >= 0 && polys.contains(r, x, y)) { k = r; break; }
      }
    }
    if (k < 0) {
      const c = latLngToCell(y, x, resolution);
      const known = index.get(c);
      if (known === undefined) { k = found.length; index.set(c, k); found.push(c); } else k = known;
      if (spatial && Math.abs(y) < 80) {
        if (!polys.has(k)) polys.add(k, c);
        ring[ringNext] = k;
        ringNext = (ringNext + 1) % RING;
      }
    }
    cellOf[i] = k;
  }
  // Renumber in input order: cell k is the k-th distinct cell met reading the points in order.
  const rank = new Int32Array(found.length).fill(-1);
  const cells: string[] = [];
  const weight = new Float64Array(found.length);
  for (let i = 0; i < n; i++) {
    let k = rank[cellOf[i]];
    if (k < 0) { k = rank[cellOf[i]] = cells.length; cells.push(found[cellOf[i]]); }
    cellOf[i] = k;
    weight[k] += points.weight ? points.weight[i] : 1;
  }
  return { cells, cellOf, weight };
}

const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

/**
 * Shrunk cell polygons as half-planes in the local plane at each cell's centre (x east, y
 * north, metres): inside when nx·x + ny·y ≥ c for every edge. Cells are added in index order
 * (a cell found above 80° is never added nor asked about).
 */
class CellPolygons {
  private lon: number[] = [];
  private lat: number[] = [];
  private cos: number[] = [];
  /** Edges of cell k: start[k] .. end[k] (undefined: not added). */
  private start: number[] = [];
  private end: number[] = [];
  private nx: number[] = [];
  private ny: number[] = [];
  private c: number[] = [];

  has(k: number): boolean {
    return this.start[k] !== undefined;
  }

  add(k: number, h: string): void {
    const [cy, cx] = cellToLatLng(h);
    const cos = Math.cos(cy * (Math.PI / 180));
    const b = cellToBoundary(h);
    const m = b.length;
    const vx = new Float64Array(m), vy = new Float64Array(m);
    let area = 0, L = 0;
    for (let e = 0; e < m; e++) {
      let d = b[e][1] - cx;
      if (d > 180) d -= 360; else if (d < -180) d += 360;
      vx[e] = d * cos * M_PER_DEG;
      vy[e] = (b[e][0] - cy) * M_PER_DEG;
      L = Math.max(L, Math.hypot(vx[e], vy[e]));
    }
    for (let e = 0; e < m; e++) { const f = (e + 1) % m; area += vx[e] * vy[f] - vx[f] * vy[e]; }
    const margin = 1 + ((4 * L * L) / EARTH_RADIUS_M) * (1 + Math.abs(Math.tan(cy * (Math.PI / 180))));
    const sign = area > 0 ? 1 : -1; // inward normal of a counter-clockwise edge is its left side
    this.start[k] = this.nx.length;
    for (let e = 0; e < m; e++) {
      const f = (e + 1) % m;
      const len = Math.hypot(vx[f] - vx[e], vy[f] - vy[e]);
      if (!(len > 0)) continue;
      const nx = (sign * -(vy[f] - vy[e])) / len, ny = (sign * (vx[f] - vx[e])) / len;
      this.nx.push(nx); this.ny.push(ny); this.c.push(nx * vx[e] + ny * vy[e] + margin);
    }
    this.end[k] = this.nx.length;
    this.lon[k] = cx; this.lat[k] = cy; this.cos[k] = cos;
  }

  contains(k: number, lon: number, lat: number): boolean {
    let dl = lon - this.lon[k];
    if (dl > 180) dl -= 360; else if (dl < -180) dl += 360;
    const x = dl * this.cos[k] * M_PER_DEG, y = (lat - this.lat[k]) * M_PER_DEG;
    const e0 = this.start[k], e1 = this.end[k];
    for (let e = e0; e < e1; e++) if (this.nx[e] * x + this.ny[e] * y < this.c[e]) return false;
    return e1 > e0;
  }
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
  const seen = new Set<string>();
  const parents = parentCells(fine.cells, resolution);
  const h3: string[] = [];
  for (let k = 0; k < parents.length; k++) {
    if (!(fine.weight[k] > 0) || seen.has(parents[k])) continue;
    seen.add(parents[k]);
    h3.push(parents[k]);
  }
  const lon = new Float64Array(h3.length), lat = new Float64Array(h3.length);
  h3.forEach((c, q) => { const [y, x] = cellToLatLng(c); lon[q] = x; lat[q] = y; });
  const near = maskWithin({ lon, lat }, existing, radiusM / 2);
  const keep: number[] = [];
  for (let q = 0; q < h3.length; q++) if (!near[q]) keep.push(q);
  return { h3: keep.map((q) => h3[q]), lon: Float64Array.from(keep, (q) => lon[q]), lat: Float64Array.from(keep, (q) => lat[q]) };
}
