/**
 * Coverage decided at exact demand locations (DESIGN.md "Coverage and site selection"):
 * a point is covered by a site when its haversine distance is ≤ R. Built point by point
 * through a spatial index over the sites (no all-pairs matrix), into the CoverageProblem
 * shape every solver reads (MCLP greedy / swap / exact, LSCP, bootstrap).
 *
 * Exact aggregation: points that the same set of candidates covers are covered together
 * or not at all by any choice of sites, so they are merged into one "atom" whose weight is
 * their sum (the set-partition reduction used for covering MILPs, e.g. Church & ReVelle's
 * demand aggregation without its error: nothing is moved). Points already covered by our
 * existing sites go into one atom flagged `existingCovered`, points no candidate reaches into
 * one atom no candidate covers, so Σ atom weights is the total demand and bootstrap
 * resampling over atoms equals resampling points (a multinomial aggregates).
 *
 * `atomOf` maps every point to its atom, so any answer can be recounted at the points.
 */
import { keepDemandSites, type CoverageProblem, type SiteProgress } from './coverage.ts';
import { blockOrder, GridIndex, Hits, type Points } from './spatial-index.ts';
import { EARTH_RADIUS_M, haversineM } from './haversine.ts';

export interface PointDemand extends Points {
  weight: ArrayLike<number>;
}

/**
 * Who reaches a demand point: the candidates within R of point i, and whether an existing
 * own site does. Haversine by default; a cost file gives another (core/cost-matrix.ts).
 */
export interface ReachSource {
  /** Writes the indices of the candidates covering point i into `out` (cleared first); returns their count. */
  candidatesOf(i: number, out: Hits): number;
  /** True when one of our existing sites covers point i. */
  existingCovers(i: number): boolean;
}

/**
 * Haversine reach: GridIndex over candidates and existing sites, distance ≤ radiusM (metres).
 * It also offers `sweep`, the fast path buildPointCoverage takes (see BlockSweep).
 */
export function haversineReach(demand: Points, existing: Points, candidates: Points, radiusM: number): ReachSource & { sweep: BlockSweep; sweepGroups: GroupSweep } {
  if (!(radiusM >= 0)) throw new RangeError(`radiusM must be ≥ 0 metres, got ${radiusM}`);
  const cell = Math.max(radiusM, 50);
  const cand = new GridIndex(candidates, cell);
  const exist = new GridIndex(existing, cell);
  const tmp = new Hits(16);
  return {
    candidatesOf: (i, out) => cand.within(demand.lon[i], demand.lat[i], radiusM, out),
    existingCovers: (i) => existing.lon.length > 0 && exist.within(demand.lon[i], demand.lat[i], radiusM, tmp) > 0,
    sweep: (visit, onBlock) => sweepBlocks(demand, cand, candidates, exist, existing, radiusM, visit, null, onBlock),
    sweepGroups: (visitGroup, onBlock) => sweepBlocks(demand, cand, candidates, exist, existing, radiusM, null, visitGroup, onBlock),
  };
}

/**
 * Visits every demand point once, in spatial order, with the sorted ids of the candidates
 * within R and whether an existing site is within R — the same verdicts as candidatesOf /
 * existingCovers (haversineM ≤ R), computed block by block: the points are bucketed into
 * squares about R/2 wide, each square looks up the sites within R + its half-diagonal once
 * (triangle inequality: a superset), and each point tests only those, by chord length between
 * unit vectors (exact haversineM where the two could disagree, within 1e-9 of R). `ids` is
 * reused: copy what you keep. `onBlock(done)` is called between blocks (progress, cancel).
 */
export type BlockSweep = (
  visit: (i: number, ids: Int32Array, n: number, existingCovered: boolean) => void,
  onBlock?: (pointsDone: number) => void,
) => void;

/**
 * The same verdicts as BlockSweep, delivered per group: within a block, the points with the
 * same candidate list (or covered by an existing site, `existingCovered`, with an empty list)
 * come together as `point[from .. from + count)` (`point` is reused: read it during the call).
 * Neighbouring points mostly share their list, so a
 * consumer keyed on the list (the atoms) looks each list up once per block, not per point.
 */
export type GroupSweep = (
  visitGroup: (ids: Int32Array, n: number, existingCovered: boolean, point: Int32Array, from: number, count: number) => void,
  onBlock?: (pointsDone: number) => void,
) => void;

const RAD = Math.PI / 180;
/** Blocks with at most this many candidate sites code each point's list as a bit mask. */
const MASK_BITS = 30;

function sweepBlocks(
  demand: Points, cand: GridIndex, candidates: Points, exist: GridIndex, existing: Points, radiusM: number,
  visit: ((i: number, ids: Int32Array, n: number, existingCovered: boolean) => void) | null,
  visitGroup: ((ids: Int32Array, n: number, existingCovered: boolean, point: Int32Array, from: number, count: number) => void) | null,
  onBlock?: (done: number) => void,
): void {
  const N = demand.lon.length;
  if (N === 0) return;
  const order = blockOrder(demand, Math.max(radiusM / 2, 25));
  const r = radiusM / EARTH_RADIUS_M;
  const full = r >= Math.PI;
  // Chord² of the radius between unit vectors, and a band around it where haversineM decides.
  const c2 = full ? 4 : (2 * Math.sin(r / 2)) ** 2;
  const c2lo = c2 * (1 - 1e-9), c2hi = c2 * (1 + 1e-9) + 1e-24;
  const unit = (p: Points) => {
    const n = p.lon.length;
    const x = new Float64Array(n), y = new Float64Array(n), z = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const la = p.lat[j] * RAD, lo = p.lon[j] * RAD, c = Math.cos(la);
      x[j] = c * Math.cos(lo); y[j] = c * Math.sin(lo); z[j] = Math.sin(la);
    }
    return { x, y, z };
  };
  const cu = unit(candidates), eu = unit(existing);
  const hits = new Hits(256);
  let sup = new Int32Array(256), sx = new Float64Array(256), sy = new Float64Array(256), sz = new Float64Array(256);
  let ids = new Int32Array(256);
  let esup = new Int32Array(16);
  const { start, point, blocks } = order;
  // Group mode: each point's code (mask of its sites in `sup`, −1 existing-covered), then the
  // points regrouped by code through a small per-block table.
  const one = new Int32Array(1);
  let code = new Int32Array(64), members = new Int32Array(64);
  let slotCode = new Int32Array(256), slotCount = new Int32Array(256), slotStart = new Int32Array(256), slotUsed = new Int32Array(256);
  let shift = 24;
  for (let b = 0; b < blocks; b++) {
    const p0 = start[b], p1 = start[b + 1];
    if (p0 === p1) continue;
    onBlock?.(p0);
    // Block centre and how far its points can be from it: the farthest corner of their
    // bounding box (along a parallel or a meridian the distance from the centre grows
    // towards the ends, so the box's farthest point is a corner).
    let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
    for (let q = p0; q < p1; q++) {
      const i = point[q], x = demand.lon[i], y = demand.lat[i];
      if (x < minLon) minLon = x;
      if (x > maxLon) maxLon = x;
      if (y < minLat) minLat = y;
      if (y > maxLat) maxLat = y;
    }
    const cLon = (minLon + maxLon) / 2, cLat = (minLat + maxLat) / 2;
    const h = Math.max(haversineM(cLon, cLat, minLon, minLat), haversineM(cLon, cLat, maxLon, minLat), haversineM(cLon, cLat, minLon, maxLat), haversineM(cLon, cLat, maxLon, maxLat));
    const reachM = radiusM + h * (1 + 1e-9) + 1e-6;
    // Existing sites that may cover a point of the block.
    let ne = 0;
    if (existing.lon.length > 0) {
      ne = exist.within(cLon, cLat, reachM, hits);
      if (esup.length < ne) esup = new Int32Array(ne * 2);
      for (let h2 = 0; h2 < ne; h2++) esup[h2] = hits.index[h2];
    }
    // Candidates that may cover one (those of the grid cells near the block whose chord to
    // its centre is within reachM, a hair generous), sorted by id so each point's list comes out sorted.
    const nw = cand.near(cLon, cLat, reachM, hits);
    if (sup.length < nw) {
      sup = new Int32Array(nw * 2); sx = new Float64Array(nw * 2); sy = new Float64Array(nw * 2); sz = new Float64Array(nw * 2); ids = new Int32Array(nw * 2);
    }
    const bla = cLat * RAD, blo = cLon * RAD, bc = Math.cos(bla);
    const bx = bc * Math.cos(blo), by = bc * Math.sin(blo), bz = Math.sin(bla);
    const rr = Math.min(Math.PI, reachM / EARTH_RADIUS_M);
    const reach2 = (2 * Math.sin(rr / 2)) ** 2 * (1 + 1e-9) + 1e-24;
    let ns = 0;
    for (let h2 = 0; h2 < nw; h2++) {
      const j = hits.index[h2];
      const dx = cu.x[j] - bx, dy = cu.y[j] - by, dz = cu.z[j] - bz;
      if (dx * dx + dy * dy + dz * dz <= reach2) sup[ns++] = j;
    }
    sup.subarray(0, ns).sort();
    for (let t = 0; t < ns; t++) { const j = sup[t]; sx[t] = cu.x[j]; sy[t] = cu.y[j]; sz[t] = cu.z[j]; }
    if (visitGroup && ns <= MASK_BITS) {
      groupBlock(p0, p1, ne, ns);
      continue;
    }
    for (let q = p0; q < p1; q++) {
      const i = point[q];
      const lon = demand.lon[i], lat = demand.lat[i];
      const la = lat * RAD, lo = lon * RAD, cl = Math.cos(la);
      const px = cl * Math.cos(lo), py = cl * Math.sin(lo), pz = Math.sin(la);
      const covered = ne > 0 && coveredByExisting(px, py, pz, lon, lat, ne);
      let n = 0;
      if (!covered) {
        for (let t = 0; t < ns; t++) {
          const dx = px - sx[t], dy = py - sy[t], dz = pz - sz[t];
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 > c2hi) continue;
          if (d2 < c2lo || haversineM(lon, lat, candidates.lon[sup[t]], candidates.lat[sup[t]]) <= radiusM) ids[n++] = sup[t];
        }
      }
      if (visit) visit(i, ids, n, covered);
      else { one[0] = i; visitGroup!(ids, n, covered, one, 0, 1); }
    }
  }

  /** Whether an existing site of the block's `ne` (esup) is within the radius of the point. */
  function coveredByExisting(px: number, py: number, pz: number, lon: number, lat: number, ne: number): boolean {
    for (let t = 0; t < ne; t++) {
      const e = esup[t];
      const dx = px - eu.x[e], dy = py - eu.y[e], dz = pz - eu.z[e];
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 < c2lo) return true;
      if (d2 <= c2hi && haversineM(lon, lat, existing.lon[e], existing.lat[e]) <= radiusM) return true;
    }
    return false;
  }

  /** One block in group mode (at most MASK_BITS candidate sites: a point's list is a mask). */
  function groupBlock(p0: number, p1: number, ne: number, ns: number): void {
    const m = p1 - p0;
    if (code.length < m) { code = new Int32Array(m * 2); members = new Int32Array(m * 2); }
    // At least twice as many slots as points, so the table never fills.
    if (slotCode.length < 2 * m) {
      let size = slotCode.length;
      while (size < 2 * m) { size *= 2; shift--; }
      slotCode = new Int32Array(size); slotCount = new Int32Array(size); slotStart = new Int32Array(size); slotUsed = new Int32Array(size);
    }
    let used = 0;
    const mask = slotCode.length - 1;
    for (let q = p0; q < p1; q++) {
      const i = point[q];
      const lon = demand.lon[i], lat = demand.lat[i];
      const la = lat * RAD, lo = lon * RAD, cl = Math.cos(la);
      const px = cl * Math.cos(lo), py = cl * Math.sin(lo), pz = Math.sin(la);
      const covered = ne > 0 && coveredByExisting(px, py, pz, lon, lat, ne);
      let c = -1;
      if (!covered) {
        c = 0;
        for (let t = 0; t < ns; t++) {
          const dx = px - sx[t], dy = py - sy[t], dz = pz - sz[t];
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 > c2hi) continue;
          if (d2 < c2lo || haversineM(lon, lat, candidates.lon[sup[t]], candidates.lat[sup[t]]) <= radiusM) c |= 1 << t;
        }
      }
      code[q - p0] = c;
      // Count per code in an open-addressing table of the block's distinct codes.
      let h = (Math.imul(c, 0x9e3779b1) >>> shift) & mask;
      for (;;) {
        if (slotCount[h] === 0) { slotCode[h] = c; slotUsed[used++] = h; break; }
        if (slotCode[h] === c) break;
        h = (h + 1) & mask;
      }
      slotCount[h]++;
    }
    // Prefix sums give each code its run in `members`, in the order the codes first appeared.
    let at = 0;
    for (let u = 0; u < used; u++) { const h = slotUsed[u]; slotStart[h] = at; at += slotCount[h]; }
    for (let q = p0; q < p1; q++) {
      const c = code[q - p0];
      let h = (Math.imul(c, 0x9e3779b1) >>> shift) & mask;
      while (slotCode[h] !== c) h = (h + 1) & mask;
      members[slotStart[h]++] = point[q];
    }
    for (let u = 0; u < used; u++) {
      const h = slotUsed[u];
      const c = slotCode[h], count = slotCount[h];
      const from = slotStart[h] - count;
      let n = 0;
      if (c > 0) for (let t = 0; t < ns; t++) if (c & (1 << t)) ids[n++] = sup[t];
      visitGroup!(ids, n, c < 0, members, from, count);
      slotCount[h] = 0;
    }
  }
}

export interface PointCoverage {
  /** The solvers' problem over atoms (see the module comment). */
  problem: CoverageProblem;
  /** Atom of each demand point. */
  atomOf: Int32Array;
  /** Number of demand points. */
  numPoints: number;
  /** Candidate–atom pairs; and candidate–point pairs before aggregation (the work saved). */
  atomPairs: number;
  pointPairs: number;
}

export interface PointCoverageInput {
  demand: PointDemand;
  numCandidates: number;
  candidateLon: ArrayLike<number>;
  candidateLat: ArrayLike<number>;
  radiusM: number;
  /**
   * Who reaches each point; a reach with `sweepGroups` or `sweep` (haversineReach) is visited
   * block by block, in spatial order.
   */
  reach: ReachSource & { sweep?: BlockSweep; sweepGroups?: GroupSweep };
  signal?: AbortSignal;
  onProgress?: (p: SiteProgress) => void;
}

/** Coverage of `numCandidates` candidates over exact demand points, aggregated into atoms. */
export function buildPointCoverage(input: PointCoverageInput): PointCoverage {
  const { demand, reach } = input;
  const N = demand.lon.length;
  if (demand.lat.length !== N || demand.weight.length !== N) {
    throw new RangeError(`demand arrays differ in length: lon ${N}, lat ${demand.lat.length}, weight ${demand.weight.length}`);
  }
  const C = input.numCandidates;
  const atomOf = new Int32Array(N);
  // Atoms 0 and 1 are the existing-covered and the unreachable points.
  const EXISTING = 0, UNREACHED = 1;
  const atoms = new AtomTable(N);
  let pointPairs = 0;
  let prevAtom = -1;
  const visit = (i: number, ids: Int32Array, n: number, existingCovered: boolean): void => {
    const w = demand.weight[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`demand weight at index ${i} is ${w}; weights must be finite and ≥ 0`);
    let a: number;
    if (existingCovered) a = EXISTING;
    else if (n === 0) a = UNREACHED;
    else {
      pointPairs += n;
      // Neighbours in a sweep mostly share their list: try the last atom before hashing.
      a = prevAtom >= 0 && atoms.equals(prevAtom, ids, n) ? prevAtom : atoms.intern(ids, n);
      prevAtom = a;
    }
    atomOf[i] = a;
    atoms.weight[a] += w;
  };
  const step = Math.max(1, N >> 6);
  let nextReport = 0;
  const report = (done: number) => {
    if (done < nextReport) return;
    nextReport = done + step;
    input.signal?.throwIfAborted();
    input.onProgress?.({ stage: 'coverage', done, total: N });
  };
  if (reach.sweepGroups) {
    reach.sweepGroups((ids, n, existingCovered, point, from, count) => {
      let a: number;
      if (existingCovered) a = EXISTING;
      else if (n === 0) a = UNREACHED;
      else {
        pointPairs += n * count;
        a = prevAtom >= 0 && atoms.equals(prevAtom, ids, n) ? prevAtom : atoms.intern(ids, n);
        prevAtom = a;
      }
      atoms.weight[a] += assignGroup(point, from, count, a, demand.weight, atomOf);
    }, report);
  } else if (reach.sweep) reach.sweep(visit, report);
  else {
    const hits = new Hits(256);
    for (let i = 0; i < N; i++) {
      report(i);
      if (reach.existingCovers(i)) { visit(i, hits.index, 0, true); continue; }
      const n = reach.candidatesOf(i, hits);
      const ids = hits.index.subarray(0, n);
      ids.sort();
      visit(i, ids, n, false);
    }
  }
  input.onProgress?.({ stage: 'coverage', done: N, total: N });
  const A = atoms.size;
  const { lists, listStart } = atoms;
  const listLen = listStart[A];
  // Transpose atom → candidates into candidate → atoms (sorted, as buildCoverage's sets are).
  const offsets = new Int32Array(C + 1);
  for (let p = 0; p < listLen; p++) offsets[lists[p] + 1]++;
  for (let j = 0; j < C; j++) offsets[j + 1] += offsets[j];
  const fill = offsets.slice(0, C);
  const setDemand = new Int32Array(listLen);
  for (let a = 2; a < A; a++) for (let p = listStart[a]; p < listStart[a + 1]; p++) setDemand[fill[lists[p]]++] = a;
  const weight = atoms.weight.slice(0, A);
  const existingCovered = new Uint8Array(A);
  existingCovered[EXISTING] = 1;
  let total = 0;
  for (let a = 0; a < A; a++) total += weight[a];
  const candidates = { numSites: C, numDemand: A, offsets, demand: setDemand };
  // The atoms' own lists are the transpose (atom → its candidates, ascending): kept for the solvers.
  keepDemandSites(candidates, { offsets: listStart.slice(0, A + 1), sites: lists.slice(0, listLen) });
  return {
    problem: {
      weight,
      existingCovered,
      candidates,
      candidateLon: Float64Array.from(input.candidateLon),
      candidateLat: Float64Array.from(input.candidateLat),
      radiusM: input.radiusM,
      totalDemand: total,
      existingCoveredDemand: weight[EXISTING],
    },
    atomOf,
    numPoints: N,
    atomPairs: listLen,
    pointPairs,
  };
}

/** Puts the points point[from .. from + count) into atom a; returns their summed weight. */
function assignGroup(point: Int32Array, from: number, count: number, a: number, weight: ArrayLike<number>, atomOf: Int32Array): number {
  let s = 0;
  for (let q = from; q < from + count; q++) {
    const i = point[q], w = weight[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`demand weight at index ${i} is ${w}; weights must be finite and ≥ 0`);
    atomOf[i] = a;
    s += w;
  }
  return s;
}

/**
 * Distinct sorted candidate lists ("atoms") with their weights, interned through an
 * open-addressing hash table; typed arrays only (a Map of 400k entries cost more than the
 * geometry). Atoms 0 and 1 have empty lists (existing-covered, unreached).
 */
class AtomTable {
  size = 2;
  weight: Float64Array;
  /** listStart[a] .. listStart[a + 1]: atom a's candidates in `lists`. */
  listStart: Int32Array;
  lists: Int32Array;
  private hash: Int32Array;
  private codes: Int32Array;

  /** Sized for about half as many atoms as points, 8 candidates each (the demo city: 0.58, 8.5), so it seldom grows. */
  constructor(points: number) {
    let atoms = 1 << 12;
    while (atoms < points / 2 && atoms < 1 << 24) atoms *= 2;
    this.weight = new Float64Array(atoms);
    this.listStart = new Int32Array(atoms);
    this.codes = new Int32Array(atoms);
    this.lists = new Int32Array(atoms * 8);
    this.hash = new Int32Array(atoms * 2);
  }

  equals(a: number, ids: Int32Array, n: number): boolean {
    const s = this.listStart[a];
    if (this.listStart[a + 1] - s !== n) return false;
    const lists = this.lists;
    for (let q = 0; q < n; q++) if (lists[s + q] !== ids[q]) return false;
    return true;
  }

  /** The atom with list ids[0..n), created (weight 0) when new. */
  intern(ids: Int32Array, n: number): number {
    let h = 0x811c9dc5;
    for (let q = 0; q < n; q++) h = Math.imul(h ^ ids[q], 0x01000193);
    h = Math.imul(h ^ n, 0x01000193) | 0;
    const mask = this.hash.length - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const a1 = this.hash[slot];
      if (a1 === 0) break;
      const a = a1 - 1;
      if (this.codes[a] === h && this.equals(a, ids, n)) return a;
      slot = (slot + 1) & mask;
    }
    const a = this.size++;
    if (a + 2 > this.weight.length) {
      this.weight = grow(this.weight, this.weight.length * 2);
      this.listStart = grow(this.listStart, this.listStart.length * 2);
      this.codes = grow(this.codes, this.codes.length * 2);
    }
    const s = this.listStart[a];
    if (s + n > this.lists.length) this.lists = grow(this.lists, Math.max(this.lists.length * 2, s + n));
    const lists = this.lists;
    for (let q = 0; q < n; q++) lists[s + q] = ids[q];
    this.listStart[a + 1] = s + n;
    this.codes[a] = h;
    this.hash[slot] = a + 1;
    if (2 * this.size > this.hash.length) this.rehash();
    return a;
  }

  private rehash(): void {
    const hash = new Int32Array(this.hash.length * 2);
    const mask = hash.length - 1;
    for (let a = 2; a < this.size; a++) {
      const h = this.codes[a];
      let slot = (h ^ (h >>> 15)) & mask;
      while (hash[slot] !== 0) slot = (slot + 1) & mask;
      hash[slot] = a + 1;
    }
    this.hash = hash;
  }
}

function grow<T extends Int32Array | Float64Array>(a: T, length: number): T {
  const b = (a instanceof Int32Array ? new Int32Array(length) : new Float64Array(length)) as T;
  b.set(a);
  return b;
}

export interface Recount {
  totalDemand: number;
  /** Weight within radiusM of an existing site. */
  existingCoveredDemand: number;
  /** Per added site in the given order: weight it covers first, and covered weight with it and those before. */
  marginal: Float64Array;
  covered: Float64Array;
}

/**
 * An independent recount at the points, for checking any solver's numbers: for each point
 * the haversine distance to every existing and added site is compared with radiusM directly
 * (a latitude-sorted sweep, no shared index, no atoms). O(points × sites in the latitude band).
 */
export function recountCoverage(demand: PointDemand, existing: Points, added: Points, radiusM: number): Recount {
  const N = demand.lon.length;
  const m = added.lon.length;
  const marginal = new Float64Array(m);
  const covered = new Float64Array(m);
  const E = existing.lon.length;
  // Sites sorted by latitude: only those within radiusM in latitude can cover a point.
  const all = [...Array.from({ length: E }, (_, e) => ({ lon: existing.lon[e], lat: existing.lat[e], r: -1 })), ...Array.from({ length: m }, (_, r) => ({ lon: added.lon[r], lat: added.lat[r], r }))];
  all.sort((a, b) => a.lat - b.lat);
  const lats = Float64Array.from(all, (s) => s.lat);
  const band = (radiusM / EARTH_RADIUS_M) * (180 / Math.PI) * (1 + 1e-9);
  let total = 0, existingCovered = 0;
  for (let i = 0; i < N; i++) {
    const w = demand.weight[i];
    total += w;
    const x = demand.lon[i], y = demand.lat[i];
    let lo = 0, hi = all.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (lats[mid] < y - band) lo = mid + 1; else hi = mid; }
    let first = Infinity; // -1 = existing, else the earliest added site covering it
    for (let p = lo; p < all.length && lats[p] <= y + band; p++) {
      const s = all[p];
      if ((s.r < 0 || s.r < first) && haversineM(x, y, s.lon, s.lat) <= radiusM) first = Math.min(first, s.r);
      if (first === -1) break;
    }
    if (first === -1) existingCovered += w;
    else if (first < Infinity) marginal[first] += w;
  }
  let cum = existingCovered;
  for (let r = 0; r < m; r++) { cum += marginal[r]; covered[r] = cum; }
  return { totalDemand: total, existingCoveredDemand: existingCovered, marginal, covered };
}
