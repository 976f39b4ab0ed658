/**
 * h3-js latLngToCell for many points at once: the same cells, several times faster.
 *
 * H3 locates a point by projecting it gnomonically onto the nearest icosahedron face and
 * taking the nearest centre of a hexagonal lattice in that face's plane (the lattice scaled
 * by √7 per resolution, turned by the aperture-7 angle at the odd, Class III resolutions);
 * only then does it name that lattice hexagon (face and ijk → the 64-bit index). Through
 * h3-js each call costs 1–2 µs, mostly the naming and the wrapper around it; the projection
 * and the rounding are a few flops. So here the projection and rounding are done in plain
 * arithmetic and the hexagon (face, lattice point) keys a cache of names: h3-js is asked once
 * per distinct hexagon, for the first point that lands in it.
 *
 * Nothing of H3's internal tables is copied: the face centres come from the twelve
 * resolution-0 pentagons (the icosahedron's vertices, as h3-js places them), and each face's
 * lattice (unit and orientation) from the centres h3-js gives the cells around that face's
 * centre at resolutions 1 and 2, fitted by least squares (resolutions further apart differ by
 * √7 per step). Floating point can differ from H3's own computation in the last bits, so a
 * point within 1e-6 lattice units² of a hexagon boundary (squared-distance difference to the
 * two nearest lattice points) or about equally near two face centres is asked of h3-js
 * itself: the answer is always latLngToCell's. core/h3-locate.test.ts checks that on points
 * worldwide, on cell edges and vertices, around pentagons, the poles and the antimeridian.
 */
import { cellToLatLng, getPentagons, gridDisk, latLngToCell } from 'h3-js';

const RAD = Math.PI / 180;
const SQRT3_2 = Math.sqrt(3) / 2;
/** Squared-distance margin (lattice units²) below which a point is looked up by h3-js. */
const LATTICE_MARGIN = 1e-6;
/** Margin between the two largest cosines to face centres below which h3-js decides. */
const FACE_MARGIN = 1e-12;
/** Lattice coordinates at resolution ≤ 15 stay within ±2^23 (a face spans ~5e6 units there). */
const HALF = 2 ** 23;

interface Geometry {
  /** Per face: centre c, tangent basis e1, e2 (unit vectors, 9 numbers). */
  face: Float64Array;
  /** Per resolution 0..15: per face the 2 × 2 map from gnomonic (x, y) to lattice-plane coordinates. */
  lattice: Float64Array[];
  /**
   * Per face its triangle in the gnomonic plane as three half-planes n·(x, y) ≤ d with |n| = 1
   * (9 numbers: nx, ny, d per edge): the points whose nearest face centre is this face's.
   */
  edges: Float64Array;
}

let geometry: Geometry | null | undefined;

function unitOf(latDeg: number, lonDeg: number): [number, number, number] {
  const la = latDeg * RAD, lo = lonDeg * RAD, c = Math.cos(la);
  return [c * Math.cos(lo), c * Math.sin(lo), Math.sin(la)];
}

/** The faces and lattices, derived once from h3-js; null when a self-check fails (then every point goes to h3-js). */
function getGeometry(): Geometry | null {
  if (geometry !== undefined) return geometry;
  try {
    geometry = deriveGeometry();
  } catch {
    geometry = null;
  }
  return geometry;
}

function deriveGeometry(): Geometry {
  const v = getPentagons(0).map((h) => { const [y, x] = cellToLatLng(h); return unitOf(y, x); });
  if (v.length !== 12) throw new Error('expected 12 pentagons');
  const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const norm = (a: number[]) => { const l = Math.hypot(a[0], a[1], a[2]); return [a[0] / l, a[1] / l, a[2] / l]; };
  const faces: number[][] = [];
  const corners: number[][][] = [];
  // Adjacent vertices of an icosahedron are 63.4° apart (cos 0.447), the others ≥ 116.6° (cos ≤ −0.447).
  for (let a = 0; a < 12; a++) for (let b = a + 1; b < 12; b++) for (let c = b + 1; c < 12; c++) {
    if (dot(v[a], v[b]) > 0 && dot(v[a], v[c]) > 0 && dot(v[b], v[c]) > 0) {
      const cen = norm([v[a][0] + v[b][0] + v[c][0], v[a][1] + v[b][1] + v[c][1], v[a][2] + v[b][2] + v[c][2]]);
      const t = dot(v[a], cen);
      const e1 = norm([v[a][0] - t * cen[0], v[a][1] - t * cen[1], v[a][2] - t * cen[2]]);
      const e2 = [cen[1] * e1[2] - cen[2] * e1[1], cen[2] * e1[0] - cen[0] * e1[2], cen[0] * e1[1] - cen[1] * e1[0]];
      faces.push([...cen, ...e1, ...e2]);
      corners.push([v[a], v[b], v[c]]);
    }
  }
  if (faces.length !== 20) throw new Error('expected 20 faces');
  // Each face's triangle in its gnomonic plane (great circles project to straight lines).
  const edges = new Float64Array(20 * 9);
  for (let f = 0; f < 20; f++) {
    const F = faces[f];
    const g = corners[f].map((p) => { const d = dot(p, F); return [(p[0] * F[3] + p[1] * F[4] + p[2] * F[5]) / d, (p[0] * F[6] + p[1] * F[7] + p[2] * F[8]) / d]; });
    for (let e = 0; e < 3; e++) {
      const [x0, y0] = g[e], [x1, y1] = g[(e + 1) % 3], [x2, y2] = g[(e + 2) % 3];
      let nx = y1 - y0, ny = x0 - x1;
      const l = Math.hypot(nx, ny);
      nx /= l; ny /= l;
      let d = nx * x0 + ny * y0;
      // Orient the normal away from the opposite corner (the face centre, at 0, is inside).
      if (nx * x2 + ny * y2 > d) { nx = -nx; ny = -ny; d = -d; }
      if (!(d > 0)) throw new Error('face centre outside its triangle');
      edges.set([nx, ny, d], 9 * f + 3 * e);
    }
  }
  const face = Float64Array.from(faces.flat());
  // Fit each face's lattice at resolution 1 (Class III) and 2 (Class II).
  const fitted: Float64Array[] = [];
  for (const r0 of [1, 2]) {
    const m = new Float64Array(80);
    for (let f = 0; f < 20; f++) {
      const F = faces[f];
      const gnomonic = (h: string): [number, number] => {
        const [y, x] = cellToLatLng(h);
        const p = unitOf(y, x);
        const d = dot(p, F);
        return [(p[0] * F[3] + p[1] * F[4] + p[2] * F[5]) / d, (p[0] * F[6] + p[1] * F[7] + p[2] * F[8]) / d];
      };
      const lat = Math.asin(F[2]) / RAD, lon = Math.atan2(F[1], F[0]) / RAD;
      const centre = latLngToCell(lat, lon, r0);
      const g0 = gnomonic(centre);
      if (Math.hypot(g0[0], g0[1]) > 1e-12) throw new Error('face centre is not a cell centre');
      const disk = gridDisk(centre, 2).filter((h) => h !== centre).map(gnomonic);
      // A first guess from the nearest neighbour (one lattice unit along an axis), then least squares.
      let n0 = disk[0];
      for (const g of disk) if (Math.hypot(g[0], g[1]) < Math.hypot(n0[0], n0[1])) n0 = g;
      const s = 1 / (n0[0] * n0[0] + n0[1] * n0[1]);
      const guess = [n0[0] * s, n0[1] * s, -n0[1] * s, n0[0] * s];
      let sxx = 0, sxy = 0, syy = 0, tux = 0, tuy = 0, tvx = 0, tvy = 0;
      const targets = disk.map((g) => {
        const u = guess[0] * g[0] + guess[1] * g[1], w = guess[2] * g[0] + guess[3] * g[1];
        const b = Math.round(w / SQRT3_2), a = Math.round(u - b / 2);
        return [a + b / 2, b * SQRT3_2];
      });
      disk.forEach((g, q) => {
        const [tu, tv] = targets[q];
        sxx += g[0] * g[0]; sxy += g[0] * g[1]; syy += g[1] * g[1];
        tux += tu * g[0]; tuy += tu * g[1]; tvx += tv * g[0]; tvy += tv * g[1];
      });
      const det = sxx * syy - sxy * sxy;
      const M = [(tux * syy - tuy * sxy) / det, (tuy * sxx - tux * sxy) / det, (tvx * syy - tvy * sxy) / det, (tvy * sxx - tvx * sxy) / det];
      disk.forEach((g, q) => {
        const e = Math.hypot(M[0] * g[0] + M[1] * g[1] - targets[q][0], M[2] * g[0] + M[3] * g[1] - targets[q][1]);
        if (!(e < 1e-9)) throw new Error(`lattice fit residual ${e}`);
      });
      m.set(M, 4 * f);
    }
    fitted.push(m);
  }
  const lattice: Float64Array[] = [];
  for (let r = 0; r <= 15; r++) {
    const r0 = r % 2 === 1 ? 1 : 2;
    const scale = Math.sqrt(7) ** (r - r0);
    lattice.push(fitted[r0 - 1].map((x) => x * scale));
  }
  return { face, lattice, edges };
}

/** Each point's cell at one resolution: distinct cells in first-seen order and each point's index into them. */
export interface LocatedPoints {
  resolution: number;
  cells: string[];
  cellOf: Int32Array;
  /** Points whose cell h3-js was asked for (cache misses and points near a boundary). */
  lookups: number;
}

/**
 * The H3 cell of every point at each of `resolutions` (0..15), exactly as h3-js
 * latLngToCell(lat, lon, res) decides; non-finite coordinates throw as it does.
 */
export function locatePoints(points: { lon: ArrayLike<number>; lat: ArrayLike<number> }, resolutions: readonly number[]): LocatedPoints[] {
  const n = points.lon.length;
  for (const r of resolutions) if (!(Number.isInteger(r) && r >= 0 && r <= 15)) throw new RangeError(`H3 resolution must be an integer 0..15, got ${r}`);
  const geo = getGeometry();
  // Each point's face (−1: ask h3-js) and gnomonic coordinates on it, once for all resolutions.
  const faceOf = new Int8Array(n).fill(-1);
  const gx = new Float64Array(n), gy = new Float64Array(n);
  if (geo) project(points, geo.face, faceOf, gx, gy);
  return resolutions.map((r) => locateAt(points, r, geo, faceOf, gx, gy));
}

function project(points: { lon: ArrayLike<number>; lat: ArrayLike<number> }, face: Float64Array, faceOf: Int8Array, gx: Float64Array, gy: Float64Array): void {
  const n = points.lon.length;
  for (let i = 0; i < n; i++) {
    const lon = points.lon[i], lat = points.lat[i];
    if (!(Math.abs(lat) <= 90 && Math.abs(lon) < Infinity)) continue;
    const la = lat * RAD, lo = lon * RAD, c = Math.cos(la);
    const px = c * Math.cos(lo), py = c * Math.sin(lo), pz = Math.sin(la);
    let best = -2, second = -2, f = -1;
    for (let q = 0; q < 20; q++) {
      const o = 9 * q;
      const d = px * face[o] + py * face[o + 1] + pz * face[o + 2];
      if (d > best) { second = best; best = d; f = q; } else if (d > second) second = d;
    }
    if (best - second < FACE_MARGIN) continue;
    const o = 9 * f;
    faceOf[i] = f;
    gx[i] = (px * face[o + 3] + py * face[o + 4] + pz * face[o + 5]) / best;
    gy[i] = (px * face[o + 6] + py * face[o + 7] + pz * face[o + 8]) / best;
  }
}

function locateAt(points: { lon: ArrayLike<number>; lat: ArrayLike<number> }, resolution: number, geo: Geometry | null, faceOf: Int8Array, gx: Float64Array, gy: Float64Array): LocatedPoints {
  const n = points.lon.length;
  const cells: string[] = [];
  const cellOf = new Int32Array(n);
  let lookups = 0;
  if (!geo) {
    const byCell = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      lookups++;
      const h = latLngToCell(points.lat[i], points.lon[i], resolution);
      let k = byCell.get(h);
      if (k === undefined) { k = cells.length; byCell.set(h, k); cells.push(h); }
      cellOf[i] = k;
    }
    return { resolution, cells, cellOf, lookups };
  }
  const M = geo.lattice[resolution];
  const keys = new HexTable();
  // A lattice hexagon wholly inside its face's triangle is one cell that no other hexagon
  // (of this face or another) names, so its name needs no lookup by text: the hexagon key
  // finds it. Names are kept by text only for hexagons that reach a face edge (the same
  // cell seen from two faces) and for the points decided by h3-js near a boundary.
  const byName = new Map<string, number>();
  const newCell = (h: string): number => { cells.push(h); return cells.length - 1; };
  /** The cell of a point h3-js names near a boundary: by its text, else by its centre's hexagon. */
  const nearBoundary = (i: number): number => {
    lookups++;
    const h = latLngToCell(points.lat[i], points.lon[i], resolution);
    let k = byName.get(h);
    if (k !== undefined) return k;
    const [y, x] = cellToLatLng(h);
    const key = hexagonOf(geo, M, x, y);
    if (key && !key.edge) {
      k = keys.get(key.hi, key.lo);
      if (k < 0) { k = newCell(h); keys.set(key.hi, key.lo, k); }
    } else {
      // A cell on a face edge is in byName when seen before, unless its centre lies (within
      // rounding) on the edge itself: then search the list (never seen in practice).
      k = key ? -1 : cells.indexOf(h);
      if (k < 0) k = newCell(h);
    }
    byName.set(h, k);
    return k;
  };
  for (let i = 0; i < n; i++) {
    const f = faceOf[i];
    if (f < 0) { cellOf[i] = nearBoundary(i); continue; }
    const m = 4 * f, x = gx[i], y = gy[i];
    const u = M[m] * x + M[m + 1] * y, v = M[m + 2] * x + M[m + 3] * y;
    // The nearest lattice point a·(1, 0) + b·(½, √3/2) is a corner of the rhombus holding (u, v).
    const bf = v / SQRT3_2;
    const a0 = Math.floor(u - bf / 2), b0 = Math.floor(bf);
    let d1 = Infinity, d2 = Infinity, ka = 0, kb = 0;
    for (let c = 0; c < 4; c++) {
      const a = a0 + (c & 1), b = b0 + (c >> 1);
      const du = u - (a + b / 2), dv = v - b * SQRT3_2;
      const d = du * du + dv * dv;
      if (d < d1) { d2 = d1; d1 = d; ka = a; kb = b; } else if (d < d2) d2 = d;
    }
    if (!(d2 - d1 >= LATTICE_MARGIN)) { cellOf[i] = nearBoundary(i); continue; }
    const hi = (f << 24) | (ka + HALF), lo = kb + HALF;
    let k = keys.get(hi, lo);
    if (k < 0) {
      lookups++;
      const h = latLngToCell(points.lat[i], points.lon[i], resolution);
      if (touchesEdge(geo, M, f, ka, kb)) {
        k = byName.get(h) ?? -1;
        if (k < 0) { k = newCell(h); byName.set(h, k); }
      } else {
        // A point near its boundary that reached it first registered this hexagon already
        // (nearBoundary, by the cell's centre), so the cell is new.
        k = newCell(h);
      }
      keys.set(hi, lo, k);
    }
    cellOf[i] = k;
  }
  return { resolution, cells, cellOf, lookups };
}

/**
 * Whether the lattice hexagon (a, b) of face f may reach beyond the face's triangle: its centre
 * is nearer an edge than twice the hexagon's circumradius (a generous margin: only the
 * hexagons well inside are treated as one face's own).
 */
function touchesEdge(geo: Geometry, M: Float64Array, f: number, a: number, b: number): boolean {
  const m = 4 * f;
  const u = a + b / 2, v = b * SQRT3_2;
  // Gnomonic centre: M⁻¹ (u, v); M is a similarity, |det M| its scale².
  const det = M[m] * M[m + 3] - M[m + 1] * M[m + 2];
  const x = (M[m + 3] * u - M[m + 1] * v) / det, y = (M[m] * v - M[m + 2] * u) / det;
  const margin = 2 / Math.sqrt(3 * Math.abs(det));
  const E = geo.edges, o = 9 * f;
  for (let e = 0; e < 3; e++) {
    const q = o + 3 * e;
    if (E[q] * x + E[q + 1] * y > E[q + 2] - margin) return true;
  }
  return false;
}

/** The lattice hexagon holding (lon, lat) at a resolution (M), or null when it is ambiguous (face or lattice boundary). */
function hexagonOf(geo: Geometry, M: Float64Array, lon: number, lat: number): { hi: number; lo: number; edge: boolean } | null {
  const faceOf = new Int8Array(1).fill(-1), gx = new Float64Array(1), gy = new Float64Array(1);
  project({ lon: [lon], lat: [lat] }, geo.face, faceOf, gx, gy);
  const f = faceOf[0];
  if (f < 0) return null;
  const m = 4 * f;
  const u = M[m] * gx[0] + M[m + 1] * gy[0], v = M[m + 2] * gx[0] + M[m + 3] * gy[0];
  const kb = Math.round(v / SQRT3_2), ka = Math.round(u - kb / 2);
  const du = u - (ka + kb / 2), dv = v - kb * SQRT3_2;
  // A centre lies on its lattice point up to rounding; anything else is not a centre of this lattice.
  if (!(du * du + dv * dv < 0.01)) return null;
  return { hi: (f << 24) | (ka + HALF), lo: kb + HALF, edge: touchesEdge(geo, M, f, ka, kb) };
}

/** Open-addressing table from a lattice hexagon (face and a, b packed in two int32) to a cell index. */
class HexTable {
  private hi = new Int32Array(1 << 12);
  private lo = new Int32Array(1 << 12);
  /** Cell index + 1; 0 = empty slot. */
  private val = new Int32Array(1 << 12);
  private size = 0;

  get(hi: number, lo: number): number {
    const mask = this.val.length - 1;
    let s = hashOf(hi, lo) & mask;
    for (;;) {
      const v = this.val[s];
      if (v === 0) return -1;
      if (this.hi[s] === hi && this.lo[s] === lo) return v - 1;
      s = (s + 1) & mask;
    }
  }

  /** Adds a key that get() did not find. */
  set(hi: number, lo: number, k: number): void {
    if (2 * (this.size + 1) > this.val.length) this.grow();
    const mask = this.val.length - 1;
    let s = hashOf(hi, lo) & mask;
    while (this.val[s] !== 0) s = (s + 1) & mask;
    this.hi[s] = hi; this.lo[s] = lo; this.val[s] = k + 1;
    this.size++;
  }

  private grow(): void {
    const { hi, lo, val } = this;
    const size = val.length * 2;
    this.hi = new Int32Array(size); this.lo = new Int32Array(size); this.val = new Int32Array(size);
    const mask = size - 1;
    for (let t = 0; t < val.length; t++) {
      if (val[t] === 0) continue;
      let s = hashOf(hi[t], lo[t]) & mask;
      while (this.val[s] !== 0) s = (s + 1) & mask;
      this.hi[s] = hi[t]; this.lo[s] = lo[t]; this.val[s] = val[t];
    }
  }
}

function hashOf(hi: number, lo: number): number {
  const h = Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}
