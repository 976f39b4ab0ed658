/**
 * Bucket-grid index over lon/lat points for "everything within R metres" and "nearest"
 * queries, with exact great-circle (haversine) distances.
 *
 * Why a lat/lon grid rather than a projected one: the query window is derived on the
 * sphere (latitude band ± R/Earth radius, longitude half-width asin(sin r / cos φ), the
 * exact longitude extent of a spherical cap), so no projection error can drop a point
 * near the edge of the circle, whatever the latitude. Cell size only affects speed.
 * The final verdict `distance ≤ R` is the same haversineM the rest of src/core uses, so
 * a brute-force check agrees with the index to the last bit.
 */
import { EARTH_RADIUS_M, haversineM } from './haversine.ts';

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;

/** Points as parallel arrays of WGS84 degrees. */
export interface Points {
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
}

/** Reusable, growable result buffer for radius queries (avoids an allocation per query). */
export class Hits {
  count = 0;
  index: Int32Array;
  distanceM: Float64Array;
  constructor(capacity = 64) {
    this.index = new Int32Array(capacity);
    this.distanceM = new Float64Array(capacity);
  }
  push(i: number, d: number): void {
    if (this.count === this.index.length) {
      const index = new Int32Array(this.index.length * 2);
      index.set(this.index);
      const distanceM = new Float64Array(this.index.length * 2);
      distanceM.set(this.distanceM);
      this.index = index;
      this.distanceM = distanceM;
    }
    this.index[this.count] = i;
    this.distanceM[this.count++] = d;
  }
}

export class GridIndex {
  readonly size: number;
  /** Cell size in metres along a meridian. */
  readonly cellM: number;
  private readonly minLon: number;
  private readonly minLat: number;
  private readonly cellLonDeg: number;
  private readonly cellLatDeg: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cellStart: Int32Array;
  // Points re-ordered by cell, so a query reads memory sequentially.
  private readonly sId: Int32Array;
  private readonly sLon: Float64Array;
  private readonly sLat: Float64Array;
  private readonly sLatR: Float64Array;
  private readonly sCos: Float64Array;
  /** Identity positions for withinByPosition, made on first use. */
  private positions: Int32Array | null = null;

  /**
   * @param points indexed points (WGS84 degrees)
   * @param cellM cell size in metres; defaults to 1000. Use about the typical query radius.
   */
  constructor(points: Points, cellM?: number) {
    const n = points.lon.length;
    if (points.lat.length !== n) throw new RangeError(`lon has ${n} values but lat has ${points.lat.length}`);
    this.size = n;
    const { minLon, maxLon, minLat, maxLat, refCos } = extentOf(points);
    let size = cellM ?? 1000;
    if (!(size > 0)) throw new RangeError(`cellM must be > 0 metres, got ${cellM}`);
    // Cap the number of cells so a huge extent with a small cell cannot exhaust memory.
    const maxCells = Math.max(4 * n, 1 << 16);
    let nx = 1, ny = 1, cellLatDeg = 1, cellLonDeg = 1;
    for (;;) {
      cellLatDeg = (size / EARTH_RADIUS_M) * DEG;
      cellLonDeg = cellLatDeg / refCos;
      nx = Math.floor((maxLon - minLon) / cellLonDeg) + 1;
      ny = Math.floor((maxLat - minLat) / cellLatDeg) + 1;
      if (nx * ny <= maxCells) break;
      size *= 2;
    }
    this.cellM = size;
    this.minLon = minLon;
    this.minLat = minLat;
    this.cellLonDeg = cellLonDeg;
    this.cellLatDeg = cellLatDeg;
    this.nx = nx;
    this.ny = ny;

    const cellOf = new Int32Array(n);
    const cellStart = new Int32Array(nx * ny + 1);
    for (let i = 0; i < n; i++) {
      const cx = Math.min(nx - 1, Math.floor((points.lon[i] - minLon) / cellLonDeg));
      const cy = Math.min(ny - 1, Math.floor((points.lat[i] - minLat) / cellLatDeg));
      const c = cy * nx + cx;
      cellOf[i] = c;
      cellStart[c + 1]++;
    }
    for (let c = 0; c < nx * ny; c++) cellStart[c + 1] += cellStart[c];
    const fill = cellStart.slice(0, nx * ny);
    this.sId = new Int32Array(n);
    this.sLon = new Float64Array(n);
    this.sLat = new Float64Array(n);
    this.sLatR = new Float64Array(n);
    this.sCos = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = fill[cellOf[i]]++;
      this.sId[p] = i;
      this.sLon[p] = points.lon[i];
      this.sLat[p] = points.lat[i];
      this.sLatR[p] = points.lat[i] * RAD;
      this.sCos[p] = Math.cos(points.lat[i] * RAD);
    }
    this.cellStart = cellStart;
  }

  /**
   * Collects every indexed point with haversine distance ≤ radiusM from (lon, lat) into
   * `out` (cleared first), in no particular order. Returns the number of hits.
   */
  within(lon: number, lat: number, radiusM: number, out: Hits): number {
    return this.query(lon, lat, radiusM, out, true, this.sId);
  }

  /**
   * within(), with each hit given as the point's position in `order` instead of its index:
   * the hits come in the same sequence, and arrays laid out in `order` are read in runs
   * (the points of a grid row are adjacent there), not scattered.
   */
  withinByPosition(lon: number, lat: number, radiusM: number, out: Hits): number {
    this.positions ??= Int32Array.from({ length: this.size }, (_, p) => p);
    return this.query(lon, lat, radiusM, out, true, this.positions);
  }

  /** The indexed points in the index's storage order (grid cell by cell): order[p] is a point index. */
  get order(): Int32Array {
    return this.sId;
  }

  /**
   * Every indexed point in the grid cells that the circle of radiusM around (lon, lat)
   * touches, unfiltered (distanceM NaN): a superset of within()'s answer for callers that
   * test distances their own cheaper way.
   */
  near(lon: number, lat: number, radiusM: number, out: Hits): number {
    return this.query(lon, lat, radiusM, out, false, this.sId);
  }

  private query(lon: number, lat: number, radiusM: number, out: Hits, exact: boolean, ids: Int32Array): number {
    out.count = 0;
    if (this.size === 0 || !(radiusM >= 0)) return 0;
    const r = radiusM / EARTH_RADIUS_M;
    if (r >= Math.PI) {
      for (let p = 0; p < this.size; p++) {
        out.push(ids[p], haversineM(lon, lat, this.sLon[p], this.sLat[p]));
      }
      return out.count;
    }
    // A hair of slack on the window: the exact test below decides.
    const dLatDeg = r * DEG * (1 + 1e-9) + 1e-12;
    const latR = lat * RAD;
    const cosLat = Math.cos(latR);
    let full = Math.abs(lat) + dLatDeg >= 90;
    let dLonDeg = 360;
    if (!full) {
      const s = Math.sin(r) / cosLat;
      if (s >= 1) full = true;
      else dLonDeg = Math.asin(s) * DEG * (1 + 1e-9) + 1e-12;
    }
    let cy0 = Math.floor((lat - dLatDeg - this.minLat) / this.cellLatDeg);
    let cy1 = Math.floor((lat + dLatDeg - this.minLat) / this.cellLatDeg);
    if (cy1 < 0 || cy0 >= this.ny) return 0;
    cy0 = Math.max(0, cy0);
    cy1 = Math.min(this.ny - 1, cy1);
    const sThr = Math.sin(r / 2) ** 2;
    const sLo = sThr * (1 - 1e-9);
    const sHi = sThr * (1 + 1e-9) + 1e-18;
    if (full) {
      this.scan(0, this.nx - 1, cy0, cy1, lon, lat, latR, cosLat, radiusM, sLo, sHi, out, exact, ids);
      return out.count;
    }
    const a = lon - dLonDeg, b = lon + dLonDeg;
    this.scanLon(a, b, cy0, cy1, lon, lat, latR, cosLat, radiusM, sLo, sHi, out, exact, ids);
    // Windows that cross the antimeridian continue on the other side.
    if (a < -180) this.scanLon(a + 360, 180, cy0, cy1, lon, lat, latR, cosLat, radiusM, sLo, sHi, out, exact, ids);
    if (b > 180) this.scanLon(-180, b - 360, cy0, cy1, lon, lat, latR, cosLat, radiusM, sLo, sHi, out, exact, ids);
    return out.count;
  }

  /**
   * The indexed point nearest to (lon, lat), searched out to maxDistanceM (default: the
   * whole globe). `skip` (optional) masks points out, e.g. closed sites. Returns index −1
   * and distance Infinity when nothing qualifies.
   */
  nearest(lon: number, lat: number, maxDistanceM = Infinity, skip?: ArrayLike<number>, hits = new Hits()): { index: number; distanceM: number } {
    const globe = Math.PI * EARTH_RADIUS_M;
    let radius = Math.min(this.cellM, maxDistanceM);
    for (;;) {
      this.within(lon, lat, Math.min(radius, globe), hits);
      let best = -1, bestD = Infinity;
      for (let h = 0; h < hits.count; h++) {
        const i = hits.index[h];
        if (skip && skip[i]) continue;
        const d = hits.distanceM[h];
        if (d < bestD || (d === bestD && i < best)) {
          bestD = d;
          best = i;
        }
      }
      // Everything within `radius` was examined, so the best hit is the global nearest.
      if (best >= 0) return { index: best, distanceM: bestD };
      if (radius >= maxDistanceM || radius >= globe) return { index: -1, distanceM: Infinity };
      radius = Math.min(radius * 2, maxDistanceM);
    }
  }

  private scanLon(a: number, b: number, cy0: number, cy1: number, lon: number, lat: number, latR: number, cosLat: number, radiusM: number, sLo: number, sHi: number, out: Hits, exact: boolean, ids: Int32Array): void {
    let cx0 = Math.floor((a - this.minLon) / this.cellLonDeg);
    let cx1 = Math.floor((b - this.minLon) / this.cellLonDeg);
    if (cx1 < 0 || cx0 >= this.nx) return;
    cx0 = Math.max(0, cx0);
    cx1 = Math.min(this.nx - 1, cx1);
    this.scan(cx0, cx1, cy0, cy1, lon, lat, latR, cosLat, radiusM, sLo, sHi, out, exact, ids);
  }

  private scan(cx0: number, cx1: number, cy0: number, cy1: number, lon: number, lat: number, latR: number, cosLat: number, radiusM: number, sLo: number, sHi: number, out: Hits, exact: boolean, ids: Int32Array): void {
    const { sLon, sLat, sLatR, sCos, cellStart, nx } = this;
    const twoR = 2 * EARTH_RADIUS_M;
    for (let cy = cy0; cy <= cy1; cy++) {
      // Cells of one row are contiguous in the sorted arrays.
      const p0 = cellStart[cy * nx + cx0];
      const p1 = cellStart[cy * nx + cx1 + 1];
      if (!exact) {
        for (let p = p0; p < p1; p++) out.push(ids[p], NaN);
        continue;
      }
      for (let p = p0; p < p1; p++) {
        const sa = Math.sin((sLatR[p] - latR) / 2);
        const sb = Math.sin((sLon[p] - lon) * RAD / 2);
        const s = sa * sa + cosLat * sCos[p] * sb * sb;
        if (s > sHi) continue;
        if (s < sLo) {
          out.push(ids[p], twoR * Math.asin(Math.min(1, Math.sqrt(s))));
        } else {
          const d = haversineM(lon, lat, sLon[p], sLat[p]);
          if (d <= radiusM) out.push(ids[p], d);
        }
      }
    }
  }
}

/** Bounding box of the points (0 when there are none) and the cosine of their mean |latitude| (≥ 0.01). */
function extentOf(points: Points): { minLon: number; maxLon: number; minLat: number; maxLat: number; refCos: number } {
  const n = points.lon.length;
  let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity, sumAbsLat = 0;
  for (let i = 0; i < n; i++) {
    const x = points.lon[i], y = points.lat[i];
    if (x < minLon) minLon = x;
    if (x > maxLon) maxLon = x;
    if (y < minLat) minLat = y;
    if (y > maxLat) maxLat = y;
    sumAbsLat += Math.abs(y);
  }
  if (n === 0) minLon = maxLon = minLat = maxLat = 0;
  return { minLon, maxLon, minLat, maxLat, refCos: Math.max(Math.cos(Math.min(89, n ? sumAbsLat / n : 0) * RAD), 0.01) };
}

/**
 * Points bucketed into lat/lon squares about `sizeM` wide (counting sort), rows of squares
 * in order: `point[start[b] .. start[b + 1])` are the points of square b. The number of
 * squares is capped near the number of points (the squares grow when the extent is huge).
 */
export function blockOrder(points: Points, sizeM: number): { start: Int32Array; point: Int32Array; blocks: number } {
  const n = points.lon.length;
  const { minLon, maxLon, minLat, maxLat, refCos } = extentOf(points);
  let size = sizeM, nx = 1, ny = 1, latDeg = 1, lonDeg = 1;
  for (;;) {
    latDeg = size / EARTH_RADIUS_M * DEG;
    lonDeg = latDeg / refCos;
    nx = Math.floor((maxLon - minLon) / lonDeg) + 1;
    ny = Math.floor((maxLat - minLat) / latDeg) + 1;
    if (nx * ny <= Math.max(2 * n, 1024)) break;
    size *= 2;
  }
  const blocks = nx * ny;
  const cellOf = new Int32Array(n);
  const start = new Int32Array(blocks + 1);
  for (let i = 0; i < n; i++) {
    const cx = Math.min(nx - 1, Math.floor((points.lon[i] - minLon) / lonDeg));
    const cy = Math.min(ny - 1, Math.floor((points.lat[i] - minLat) / latDeg));
    const c = cy * nx + cx;
    cellOf[i] = c;
    start[c + 1]++;
  }
  for (let c = 0; c < blocks; c++) start[c + 1] += start[c];
  const fill = start.slice(0, blocks);
  const point = new Int32Array(n);
  for (let i = 0; i < n; i++) point[fill[cellOf[i]]++] = i;
  return { start, point, blocks };
}
