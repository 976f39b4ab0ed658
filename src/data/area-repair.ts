/**
 * Validity and repair of one area's geometry (issue 15), after geojson.ts has checked that
 * every position is a finite lon/lat pair. What is safely repairable is repaired and said
 * (a {@link Repair} per kind); what is not is refused with the reason:
 *
 * - consecutive duplicate positions: removed;
 * - a ring not closed: closed by repeating its first position;
 * - a hole with fewer than 3 distinct positions: dropped (an outer ring like that: refused);
 * - winding against RFC 7946 (outer rings counter-clockwise, holes clockwise): rewound;
 * - more than {@link MAX_VERTICES_PER_AREA} positions: simplified by Douglas–Peucker
 *   (simplify-js) with the smallest tolerance that fits, stated in metres;
 * - rings that cross themselves or each other, holes outside their outer ring or inside
 *   another hole: made valid by a polygon union (polyclip-ts, the approach of PostGIS's
 *   `ST_MakeValid(…, 'method=structure')`: the outer ring's inside minus the holes'); a
 *   result with nothing left ("the hole is bigger than its outer ring") is refused;
 * - a ring spanning more than 180° of longitude or jumping across ±180°: refused, because H3
 *   reads such a ring as crossing the antimeridian and a whole-world polygon exhausts its
 *   memory ("split it at ±180° into a MultiPolygon").
 *
 * Pure: no IO. Self-intersections are found by a plane sweep over segments sorted by their
 * west end, with exact orientation tests (robust-predicates).
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { union, type Geom } from 'polyclip-ts';
import { orient2d } from 'robust-predicates';
import simplify from 'simplify-js';
import { polygonAreaM2, ringAreaM2 } from '../core/polygon-area.ts';
import { rejectReason, type FlawCode, type ReasonParams, type RejectReason } from './reject-reasons.ts';

/**
 * Positions one area may have before it is simplified. A county boundary from a national
 * dataset has 1,000–20,000; the UI draws every position of every area, and a 1,000,000-vertex
 * ring froze the page 40 s (issue 15). 50,000 keeps a detailed coastline within ~10 m.
 */
export const MAX_VERTICES_PER_AREA = 50_000;
/**
 * Positions an areas file may have after simplification. Chosen from measurements (see
 * area-limits in the README): a whole-country file at county level (~2,900 areas) has
 * ~1M positions when not simplified.
 */
export const MAX_VERTICES_PER_FILE = 1_000_000;
/** Positions above which a self-intersecting polygon is not repaired here (the union's cost and stack depth grow fast). */
export const MAX_REPAIR_VERTICES = 20_000;
/** Segment pairs the self-intersection sweep tests before it stops and says it could not finish. */
const SWEEP_BUDGET = 50_000_000;

export type RepairCode = 'duplicates' | 'closed' | 'holeDropped' | 'rewound' | 'simplified' | 'madeValid';

export interface Repair {
  code: RepairCode;
  /** English, after "features[i] (area_id X): " — for the CLI and the rejects/warnings. */
  text: string;
  params: Record<string, string | number>;
}

export type AreaRepairOutcome =
  | { ok: true; geometry: Polygon | MultiPolygon; repairs: Repair[]; vertices: number }
  /** Why it is refused: a reason code and its parameters (`polygon` for a MultiPolygon's part). */
  | { ok: false; problem: RejectReason };

const M_PER_DEG = 111_320;

/** Repairs a Polygon/MultiPolygon whose positions are finite lon/lat pairs (see the module doc). */
export function repairAreaGeometry(geometry: Polygon | MultiPolygon): AreaRepairOutcome {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const multi = geometry.type === 'MultiPolygon';
  const repairs = new Map<RepairCode, Repair>();
  const note = (r: Repair) => {
    const had = repairs.get(r.code);
    if (!had) repairs.set(r.code, r);
    else if (typeof had.params.count === 'number' && typeof r.params.count === 'number') {
      had.params.count += r.params.count;
      had.text = r.text.replace(String(r.params.count), String(had.params.count));
    }
  };
  const out: Position[][][] = [];
  for (let p = 0; p < parts.length; p++) {
    const where = multi ? `polygon ${p}, ` : '';
    const cleaned = cleanPolygon(parts[p], where, multi ? { polygon: p } : {}, note);
    if (!Array.isArray(cleaned)) return { ok: false, problem: cleaned };
    out.push(cleaned);
  }
  let vertices = countVertices(out);
  if (vertices > MAX_VERTICES_PER_AREA) {
    const simplified = simplifyParts(out, MAX_VERTICES_PER_AREA);
    if (!simplified) {
      return { ok: false, problem: rejectReason('tooManyPositions', { n: fmt(vertices), max: fmt(MAX_VERTICES_PER_AREA) }) };
    }
    note({
      code: 'simplified',
      text: `${fmt(vertices)} positions simplified to ${fmt(simplified.vertices)} (Douglas–Peucker, tolerance ${fmt(simplified.toleranceM)} m), above the limit of ${fmt(MAX_VERTICES_PER_AREA)} per area`,
      params: { before: vertices, after: simplified.vertices, toleranceM: simplified.toleranceM, max: MAX_VERTICES_PER_AREA },
    });
    out.splice(0, out.length, ...simplified.parts);
    vertices = simplified.vertices;
  }
  const valid: Position[][][] = [];
  for (let p = 0; p < out.length; p++) {
    const where = multi ? `polygon ${p}, ` : '';
    const at: ReasonParams = multi ? { polygon: p } : {};
    const flaw = polygonFlaw(out[p]);
    if (flaw === null) {
      // valid by exact predicates yet of no real extent (positions a few ulps apart, fuzz case
      // 1034 of seed 20261208): H3 cannot fill it ("code: 1")
      if (Math.abs(ringAreaM2(out[p][0])) < MIN_MADE_AREA_M2) return { ok: false, problem: rejectReason('noArea', at) };
      valid.push(orient(out[p], note));
      continue;
    }
    if (flaw.kind === 'unchecked') {
      return { ok: false, problem: rejectReason('tooTangled', { ...at, n: fmt(countVertices([out[p]])) }) };
    }
    const n = countVertices([out[p]]);
    const flawAt = { ...at, ...flaw.params, flaw: flaw.code };
    if (n > MAX_REPAIR_VERTICES) {
      return { ok: false, problem: rejectReason('flawTooBig', { ...flawAt, n: fmt(n), max: fmt(MAX_REPAIR_VERTICES) }) };
    }
    let made: Position[][][];
    try {
      made = tidyUnion(union(out[p] as Geom) as Position[][][]);
    } catch {
      return { ok: false, problem: rejectReason('flawUnrepaired', flawAt) };
    }
    // The union computes in floating point: on positions a few ulps apart (fuzz case 8269) it
    // can return a ring that still crosses itself. Such a result is never kept.
    // Its rings may touch one another at a point (OGC allows it: a hole meeting the outer ring
    // at a vertex, as in demo districts 7 and 11); a crossing or an overlap is refused.
    if (made.some((poly) => polygonFlaw(poly, { ringsMayTouch: true }) !== null)) {
      return { ok: false, problem: rejectReason('flawUnrepaired', flawAt) };
    }
    if (made.length === 0) {
      return { ok: false, problem: rejectReason(flaw.kind === 'hole' ? 'holesLeaveNothing' : 'ringsCancel', flawAt) };
    }
    const beforeKm2 = polygonAreaM2(out[p]) / 1e6;
    const afterKm2 = made.reduce((s, poly) => s + polygonAreaM2(poly), 0) / 1e6;
    note({
      code: 'madeValid',
      text: `${where}${flaw.text}: made valid by a polygon union (${made.length} polygon${made.length === 1 ? '' : 's'}, ${km2(beforeKm2)} → ${km2(afterKm2)} km²)`,
      params: { flaw: `${where}${flaw.text}`, polygons: made.length, beforeKm2: km2(beforeKm2), afterKm2: km2(afterKm2) },
    });
    // polyclip-ts writes outer rings counter-clockwise and holes clockwise already
    valid.push(...made);
  }
  vertices = countVertices(valid);
  const geom: Polygon | MultiPolygon = valid.length === 1 && !multi ? { type: 'Polygon', coordinates: valid[0] } : { type: 'MultiPolygon', coordinates: valid };
  return { ok: true, geometry: geom, repairs: [...repairs.values()], vertices };
}

/** Polygons smaller than this (valid or made valid) are slivers of floating-point noise, not areas. */
const MIN_MADE_AREA_M2 = 1;

/**
 * The union's output without what floating point leaves behind: consecutive repeated
 * positions removed, holes of fewer than 3 distinct positions dropped, and polygons whose
 * outer ring collapsed or encloses less than {@link MIN_MADE_AREA_M2} dropped. A clean output
 * (polyclip-ts' usual) comes back unchanged.
 */
function tidyUnion(made: Position[][][]): Position[][][] {
  const kept: Position[][][] = [];
  for (const poly of made) {
    const rings: Position[][] = [];
    for (let r = 0; r < poly.length; r++) {
      const ring: Position[] = [];
      for (const q of poly[r]) {
        const last = ring[ring.length - 1];
        if (!last || last[0] !== q[0] || last[1] !== q[1]) ring.push(q);
      }
      if (ring.length < 4) {
        if (r === 0) break;
        continue;
      }
      rings.push(ring);
    }
    if (rings.length === 0 || Math.abs(ringAreaM2(rings[0])) < MIN_MADE_AREA_M2) continue;
    kept.push(rings);
  }
  return kept;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function km2(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

function countVertices(parts: readonly Position[][][]): number {
  let n = 0;
  for (const rings of parts) for (const r of rings) n += r.length;
  return n;
}

/** Duplicates out, rings closed, degenerate holes dropped, antimeridian refused (the reason why). */
function cleanPolygon(rings: Position[][], where: string, at: { polygon?: number }, note: (r: Repair) => void): Position[][] | RejectReason {
  const out: Position[][] = [];
  let dupes = 0;
  for (let r = 0; r < rings.length; r++) {
    const ring: Position[] = [];
    for (const p of rings[r]) {
      const last = ring[ring.length - 1];
      if (last && last[0] === p[0] && last[1] === p[1]) dupes++;
      else ring.push([p[0], p[1]]);
    }
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (ring.length > 1 && (first[0] !== last[0] || first[1] !== last[1])) {
      ring.push([first[0], first[1]]);
      note({ code: 'closed', text: `${where}ring ${r} was not closed: closed by repeating its first position`, params: { ring: r } });
    }
    if (ring.length < 4) {
      if (r === 0) return rejectReason('outerTooShort', { ...at, n: Math.max(0, ring.length - 1) });
      note({ code: 'holeDropped', text: `${where}hole ${r} has fewer than 3 distinct positions: dropped`, params: { ring: r } });
      continue;
    }
    let west = Infinity;
    let east = -Infinity;
    for (let k = 0; k < ring.length; k++) {
      const x = ring[k][0];
      if (x < west) west = x;
      if (x > east) east = x;
      if (k > 0 && Math.abs(x - ring[k - 1][0]) > 180) {
        return rejectReason('antimeridian', { ...at, ring: r, from: k - 1, to: k });
      }
    }
    if (east - west >= 180) {
      return rejectReason('tooWide', { ...at, ring: r, degrees: fmt(Math.round(east - west)) });
    }
    if (r === 0 && collinear(ring)) return rejectReason('noArea', at);
    out.push(ring);
  }
  if (dupes > 0) note({ code: 'duplicates', text: `${dupes} repeated consecutive positions removed`, params: { count: dupes } });
  return out;
}

/** Every position on the line through the first two distinct ones. */
function collinear(ring: Position[]): boolean {
  const [x0, y0] = ring[0];
  const [x1, y1] = ring[1];
  for (let k = 2; k < ring.length; k++) if (orient2d(x0, y0, x1, y1, ring[k][0], ring[k][1]) !== 0) return false;
  return true;
}

/** Outer ring counter-clockwise, holes clockwise (RFC 7946 § 3.1.6). */
function orient(rings: Position[][], note: (r: Repair) => void): Position[][] {
  return rings.map((ring, r) => {
    const ccw = ringAreaM2(ring) > 0;
    if (ccw === (r === 0)) return ring;
    note({ code: 'rewound', text: 'rings wound against RFC 7946 (outer counter-clockwise, holes clockwise): rewound', params: {} });
    return [...ring].reverse();
  });
}

/** Douglas–Peucker on every ring with the smallest tolerance (bisected, in degrees) that brings the total under `max`. */
function simplifyParts(parts: Position[][][], max: number): { parts: Position[][][]; vertices: number; toleranceM: number } | null {
  const pts = parts.map((rings) => rings.map((ring) => ring.map((p) => ({ x: p[0], y: p[1] }))));
  const run = (tol: number): Position[][][] | null => {
    const res: Position[][][] = [];
    for (const rings of pts) {
      const keptRings: Position[][] = [];
      for (let r = 0; r < rings.length; r++) {
        let s: { x: number; y: number }[];
        try {
          s = simplify(rings[r], tol);
        } catch {
          return null; // simplify-js recurses once per level: a pathological ring overflows the stack
        }
        if (s.length < 4) {
          if (r === 0) return null; // the outer ring collapsed: the whole polygon is below the tolerance
          continue;
        }
        keptRings.push(s.map((q) => [q.x, q.y]));
      }
      res.push(keptRings);
    }
    return res;
  };
  // first guess: a tenth of the spacing the kept positions would have along the perimeter
  let perimeter = 0;
  for (const rings of parts) for (const ring of rings) for (let k = 1; k < ring.length; k++) perimeter += Math.hypot(ring[k][0] - ring[k - 1][0], ring[k][1] - ring[k - 1][1]);
  let lo = 0;
  let hi = Math.min(0.1, Math.max(1e-7, perimeter / max / 10));
  let best: Position[][][] | null = null;
  // widen until it fits (≤ 0.1° ≈ 11 km: past that the area is not what the user drew)
  for (;;) {
    const r = run(hi);
    if (r && countVertices(r) <= max) {
      best = r;
      break;
    }
    if (hi >= 0.1) return null;
    lo = hi;
    hi = Math.min(0.1, hi * 2);
  }
  for (let i = 0; i < 6; i++) {
    const mid = (lo + hi) / 2;
    const r = run(mid);
    if (r && countVertices(r) <= max) {
      best = r;
      hi = mid;
    } else lo = mid;
  }
  return { parts: best, vertices: countVertices(best), toleranceM: Math.max(1, Math.round(hi * M_PER_DEG)) };
}

/** `text`: English, for the repair note; `code` and `params`: the same said from the dictionaries. */
type Flaw = { kind: 'crossing' | 'hole'; text: string; code: FlawCode; params: Record<string, number | string> } | { kind: 'unchecked' };

/**
 * Why a cleaned polygon is not valid (OGC simple features), or null when it is. By default two
 * rings that merely touch count as a flaw too (an input like that is made valid by the union);
 * `ringsMayTouch` lets different rings meet at points, as OGC does, and still refuses rings
 * that cross or run along each other, and any ring that meets itself.
 */
export function polygonFlaw(rings: Position[][], opts: { ringsMayTouch?: boolean } = {}): Flaw | null {
  const crossing = findCrossing(rings, opts.ringsMayTouch ?? false);
  if (crossing === 'budget') return { kind: 'unchecked' };
  if (crossing) {
    const at = `${crossing.x.toFixed(5)}, ${crossing.y.toFixed(5)}`;
    return crossing.ringA === crossing.ringB
      ? { kind: 'crossing', text: `ring ${crossing.ringA} crosses itself near ${at}`, code: 'selfCrossing', params: { ring: crossing.ringA, at } }
      : { kind: 'crossing', text: `ring ${crossing.ringA} and ring ${crossing.ringB} touch or cross near ${at}`, code: 'ringsCross', params: { ring: crossing.ringA, other: crossing.ringB, at } };
  }
  // No crossings: a hole is wholly inside the outer ring, wholly outside it, or around it.
  for (let h = 1; h < rings.length; h++) {
    if (!inRing(rings[h][0], rings[0])) {
      return inRing(rings[0][0], rings[h])
        ? { kind: 'hole', text: `hole ${h} is bigger than its outer ring`, code: 'holeBigger', params: { hole: h } }
        : { kind: 'hole', text: `hole ${h} lies outside its outer ring`, code: 'holeOutside', params: { hole: h } };
    }
  }
  if (rings.length > 2 && rings.length <= 500) {
    for (let a = 1; a < rings.length; a++) {
      for (let b = 1; b < rings.length; b++) {
        if (a !== b && inRing(rings[a][0], rings[b])) return { kind: 'hole', text: `hole ${a} lies inside hole ${b}`, code: 'holeInHole', params: { hole: a, other: b } };
      }
    }
  }
  return null;
}

/** Even–odd point in ring. */
function inRing(p: Position, ring: Position[]): boolean {
  const [x, y] = p;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

interface Crossing {
  ringA: number;
  ringB: number;
  x: number;
  y: number;
}

/**
 * The first pair of segments that intersect other than at the end a ring's consecutive
 * segments share; 'budget' when the sweep gave up. Segments are visited by west end; each is
 * tested against the still-open ones (east end not yet passed) whose latitude ranges overlap.
 */
function findCrossing(rings: Position[][], ringsMayTouch: boolean): Crossing | 'budget' | null {
  let n = 0;
  for (const r of rings) n += r.length - 1;
  const ax = new Float64Array(n), ay = new Float64Array(n), bx = new Float64Array(n), by = new Float64Array(n);
  const ringOf = new Int32Array(n), idx = new Int32Array(n), ringLen = new Int32Array(rings.length);
  let s = 0;
  rings.forEach((ring, r) => {
    ringLen[r] = ring.length - 1;
    for (let k = 0; k + 1 < ring.length; k++, s++) {
      ax[s] = ring[k][0]; ay[s] = ring[k][1]; bx[s] = ring[k + 1][0]; by[s] = ring[k + 1][1];
      ringOf[s] = r; idx[s] = k;
    }
  });
  const mnx = new Float64Array(n), mxx = new Float64Array(n), mny = new Float64Array(n), mxy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mnx[i] = Math.min(ax[i], bx[i]); mxx[i] = Math.max(ax[i], bx[i]);
    mny[i] = Math.min(ay[i], by[i]); mxy[i] = Math.max(ay[i], by[i]);
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => mnx[i] - mnx[j]);
  let open = new Int32Array(Math.min(n, 1024));
  let m = 0;
  let compacted = 0;
  let tests = 0;
  for (const i of order) {
    const x0 = mnx[i];
    if (m > 2 * compacted + 64) {
      // drop segments whose east end the sweep has passed (amortised: only when the list doubled)
      let w = 0;
      for (let k = 0; k < m; k++) if (mxx[open[k]] >= x0) open[w++] = open[k];
      m = compacted = w;
    }
    const iy0 = mny[i], iy1 = mxy[i];
    for (let k = 0; k < m; k++) {
      const j = open[k];
      if (mxx[j] < x0 || mxy[j] < iy0 || mny[j] > iy1) continue;
      if (++tests > SWEEP_BUDGET) return 'budget';
      if (ringOf[i] === ringOf[j]) {
        const d = Math.abs(idx[i] - idx[j]);
        // consecutive segments share an end: they only count when they overlap along a line
        if (d === 1 || d === ringLen[ringOf[i]] - 1) {
          if (!collinearOverlap(i, j)) continue;
          return { ringA: ringOf[i], ringB: ringOf[j], x: ax[i], y: ay[i] };
        }
      }
      const touchOnly = ringsMayTouch && ringOf[i] !== ringOf[j];
      if (touchOnly ? segmentsCrossOrOverlap(ax[i], ay[i], bx[i], by[i], ax[j], ay[j], bx[j], by[j]) : segmentsMeet(ax[i], ay[i], bx[i], by[i], ax[j], ay[j], bx[j], by[j])) {
        const p = meetPoint(i, j);
        return { ringA: Math.min(ringOf[i], ringOf[j]), ringB: Math.max(ringOf[i], ringOf[j]), x: p[0], y: p[1] };
      }
    }
    if (m === open.length) {
      const bigger = new Int32Array(open.length * 2);
      bigger.set(open);
      open = bigger;
    }
    open[m++] = i;
  }
  return null;

  function collinearOverlap(i: number, j: number): boolean {
    // adjacent segments folding back on each other (a spike): collinear and pointing apart from the shared end reversed
    if (orient2d(ax[i], ay[i], bx[i], by[i], ax[j], ay[j]) !== 0 || orient2d(ax[i], ay[i], bx[i], by[i], bx[j], by[j]) !== 0) return false;
    const dxi = bx[i] - ax[i], dyi = by[i] - ay[i], dxj = bx[j] - ax[j], dyj = by[j] - ay[j];
    return dxi * dxj + dyi * dyj < 0;
  }

  function meetPoint(i: number, j: number): [number, number] {
    const d = (bx[i] - ax[i]) * (by[j] - ay[j]) - (by[i] - ay[i]) * (bx[j] - ax[j]);
    if (d === 0) return [ax[j], ay[j]];
    const t = ((ax[j] - ax[i]) * (by[j] - ay[j]) - (ay[j] - ay[i]) * (bx[j] - ax[j])) / d;
    return [ax[i] + t * (bx[i] - ax[i]), ay[i] + t * (by[i] - ay[i])];
  }
}

/** Signs of orientation: p1 and p2 against line p3p4, then p3 and p4 against line p1p2 (exact). */
function sides(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, x4: number, y4: number): [number, number, number, number] {
  return [
    Math.sign(orient2d(x3, y3, x4, y4, x1, y1)),
    Math.sign(orient2d(x3, y3, x4, y4, x2, y2)),
    Math.sign(orient2d(x1, y1, x2, y2, x3, y3)),
    Math.sign(orient2d(x1, y1, x2, y2, x4, y4)),
  ];
}

/**
 * Segments p1p2 and p3p4 cross at a point inside both, or lie on one line sharing more than a
 * point (exact orientation tests); meeting only at an end of one of them is neither.
 */
function segmentsCrossOrOverlap(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, x4: number, y4: number): boolean {
  const [d1, d2, d3, d4] = sides(x1, y1, x2, y2, x3, y3, x4, y4);
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  if (d1 !== 0 || d2 !== 0 || d3 !== 0 || d4 !== 0) return false;
  // collinear: project on the longer axis and compare the overlap with a point
  const alongX = Math.abs(x2 - x1) + Math.abs(x4 - x3) >= Math.abs(y2 - y1) + Math.abs(y4 - y3);
  const [a0, a1] = alongX ? [Math.min(x1, x2), Math.max(x1, x2)] : [Math.min(y1, y2), Math.max(y1, y2)];
  const [b0, b1] = alongX ? [Math.min(x3, x4), Math.max(x3, x4)] : [Math.min(y3, y4), Math.max(y3, y4)];
  return Math.min(a1, b1) > Math.max(a0, b0);
}

/** Closed segments p1p2 and p3p4 share at least one point (exact orientation tests). */
function segmentsMeet(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, x4: number, y4: number): boolean {
  const [d1, d2, d3, d4] = sides(x1, y1, x2, y2, x3, y3, x4, y4);
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  const on = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) =>
    Math.min(px, qx) <= rx && rx <= Math.max(px, qx) && Math.min(py, qy) <= ry && ry <= Math.max(py, qy);
  if (d1 === 0 && on(x3, y3, x4, y4, x1, y1)) return true;
  if (d2 === 0 && on(x3, y3, x4, y4, x2, y2)) return true;
  if (d3 === 0 && on(x1, y1, x2, y2, x3, y3)) return true;
  if (d4 === 0 && on(x1, y1, x2, y2, x4, y4)) return true;
  return false;
}
