/**
 * Drawing WGS84 data over a GCJ-02 basemap (AMap, Tencent): the data is shifted into GCJ-02
 * for display only. Every number, export and stored coordinate stays WGS84; a position read
 * off the shifted map (a click, a drag) is converted back before it reaches the data.
 *
 * The GCJ-02 offset (gcoord's implementation of the published obfuscation) varies slowly:
 * over Shanghai it moves 60–90 m from one side to the other. deck.gl layers are shifted with
 * their `modelMatrix`, an affine map fitted to the offset over the visible area (refitted
 * after every move): over a street view (~2.5 km) the fit is off by under a metre, over a
 * district (~10 km) by ~3 m, over the whole city (~130 km) by ~30 m — at each of those
 * zooms a fraction of a pixel. GeoJSON the map itself draws (district outlines, labels) is
 * converted exactly, vertex by vertex.
 */
import gcoord from 'gcoord';
import type { BasemapCrs } from './basemap-presets.ts';

export type LonLat = [number, number];

export function wgsToGcj(lon: number, lat: number): LonLat {
  return gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02) as LonLat;
}

export function gcjToWgs(lon: number, lat: number): LonLat {
  return gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84) as LonLat;
}

/** Where a WGS84 point is drawn on a basemap of `crs`. */
export function toDisplay(crs: BasemapCrs, lon: number, lat: number): LonLat {
  return crs === 'gcj02' ? wgsToGcj(lon, lat) : [lon, lat];
}

/** The WGS84 point under a position read off a basemap of `crs`. */
export function fromDisplay(crs: BasemapCrs, lon: number, lat: number): LonLat {
  return crs === 'gcj02' ? gcjToWgs(lon, lat) : [lon, lat];
}

/** A copy of the collection with every coordinate shifted for display (the input is not touched). */
export function geojsonToDisplay<T extends GeoJSON.GeoJSON>(crs: BasemapCrs, g: T): T {
  if (crs === 'wgs84') return g;
  return gcoord.transform(structuredClone(g) as never, gcoord.WGS84, gcoord.GCJ02) as unknown as T;
}

export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * A deck.gl `modelMatrix` (4×4, column-major) that maps WGS84 longitude/latitude to GCJ-02
 * over `b`: the least-squares affine fit of gcoord's offset on a 9 × 9 grid of the box.
 * Outside China GCJ-02 is the identity, and so is the fit. Returns `maxErrorM`, the largest
 * residual on the grid in metres, so callers (and tests) know what the fit costs.
 */
export function gcjAffine(b: Bounds): { matrix: number[]; maxErrorM: number } {
  const N = 9;
  const x0 = (b.west + b.east) / 2, y0 = (b.south + b.north) / 2;
  const pts: { u: number; v: number; dx: number; dy: number }[] = [];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const lon = b.west + ((b.east - b.west) * i) / (N - 1);
      const lat = b.south + ((b.north - b.south) * j) / (N - 1);
      const [gx, gy] = wgsToGcj(lon, lat);
      pts.push({ u: lon - x0, v: lat - y0, dx: gx - lon, dy: gy - lat });
    }
  }
  // Normal equations of d = c + p·u + q·v, for dx and dy (3 × 3, solved by Cramer's rule).
  let s1 = 0, su = 0, sv = 0, suu = 0, svv = 0, suv = 0;
  const r = { dx: [0, 0, 0], dy: [0, 0, 0] };
  for (const p of pts) {
    s1++; su += p.u; sv += p.v; suu += p.u * p.u; svv += p.v * p.v; suv += p.u * p.v;
    for (const k of ['dx', 'dy'] as const) {
      r[k][0] += p[k]; r[k][1] += p[k] * p.u; r[k][2] += p[k] * p.v;
    }
  }
  const A = [[s1, su, sv], [su, suu, suv], [sv, suv, svv]];
  const det3 = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const D = det3(A);
  const solve = (rhs: number[]): [number, number, number] => {
    // A degenerate box (a point, a line) fits the offset at its centre only.
    if (!(Math.abs(D) > 1e-30)) return [rhs[0] / s1, 0, 0];
    const col = (c: number) => A.map((row, i) => row.map((x, j) => (j === c ? rhs[i] : x)));
    return [det3(col(0)) / D, det3(col(1)) / D, det3(col(2)) / D];
  };
  const [cx, px, qx] = solve(r.dx);
  const [cy, py, qy] = solve(r.dy);
  let maxErrorM = 0;
  const mPerDegLat = 111_320;
  const mPerDegLon = mPerDegLat * Math.cos((y0 * Math.PI) / 180);
  for (const p of pts) {
    const ex = (p.dx - (cx + px * p.u + qx * p.v)) * mPerDegLon;
    const ey = (p.dy - (cy + py * p.u + qy * p.v)) * mPerDegLat;
    maxErrorM = Math.max(maxErrorM, Math.hypot(ex, ey));
  }
  // x' = x + cx + px (x − x0) + qx (y − y0), and the same for y.
  const a = 1 + px, bxy = qx, tx = cx - px * x0 - qx * y0;
  const d = py, e = 1 + qy, ty = cy - py * x0 - qy * y0;
  return { matrix: [a, d, 0, 0, bxy, e, 0, 0, 0, 0, 1, 0, tx, ty, 0, 1], maxErrorM };
}

/** Apply a modelMatrix from gcjAffine to a point (for tests and for placing DOM overlays). */
export function applyAffine(m: readonly number[], lon: number, lat: number): LonLat {
  return [m[0] * lon + m[4] * lat + m[12], m[1] * lon + m[5] * lat + m[13]];
}
