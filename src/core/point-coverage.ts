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
import type { CoverageProblem, SiteProgress } from './coverage.ts';
import { GridIndex, Hits, type Points } from './spatial-index.ts';
import { haversineM } from './haversine.ts';

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

/** Haversine reach: GridIndex over candidates and existing sites, distance ≤ radiusM (metres). */
export function haversineReach(demand: Points, existing: Points, candidates: Points, radiusM: number): ReachSource {
  if (!(radiusM >= 0)) throw new RangeError(`radiusM must be ≥ 0 metres, got ${radiusM}`);
  const cell = Math.max(radiusM, 50);
  const cand = new GridIndex(candidates, cell);
  const exist = new GridIndex(existing, cell);
  const tmp = new Hits(16);
  return {
    candidatesOf: (i, out) => cand.within(demand.lon[i], demand.lat[i], radiusM, out),
    existingCovers: (i) => existing.lon.length > 0 && exist.within(demand.lon[i], demand.lat[i], radiusM, tmp) > 0,
  };
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
  reach: ReachSource;
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
  const weights: number[] = [0, 0];
  // Atom lists (sorted candidate ids), flat.
  const listStart: number[] = [0, 0, 0];
  let lists = new Int32Array(1 << 16);
  let listLen = 0;
  const buckets = new Map<number, number | number[]>();
  const hits = new Hits(256);
  let pointPairs = 0;
  const step = Math.max(1, N >> 6);
  for (let i = 0; i < N; i++) {
    if (i % step === 0) {
      input.signal?.throwIfAborted();
      input.onProgress?.({ stage: 'coverage', done: i, total: N });
    }
    const w = demand.weight[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`demand weight at index ${i} is ${w}; weights must be finite and ≥ 0`);
    if (reach.existingCovers(i)) {
      atomOf[i] = EXISTING;
      weights[EXISTING] += w;
      continue;
    }
    const n = reach.candidatesOf(i, hits);
    if (n === 0) {
      atomOf[i] = UNREACHED;
      weights[UNREACHED] += w;
      continue;
    }
    pointPairs += n;
    const ids = hits.index.subarray(0, n);
    ids.sort();
    let h = 0x811c9dc5;
    for (let q = 0; q < n; q++) h = Math.imul(h ^ ids[q], 0x01000193);
    h = (h ^ n) >>> 0;
    const found = lookup(buckets.get(h), ids, lists, listStart);
    if (found >= 0) {
      atomOf[i] = found;
      weights[found] += w;
      continue;
    }
    const a = weights.length;
    if (listLen + n > lists.length) {
      const grown = new Int32Array(Math.max(lists.length * 2, listLen + n));
      grown.set(lists.subarray(0, listLen));
      lists = grown;
    }
    lists.set(ids, listLen);
    listLen += n;
    listStart.push(listLen);
    weights.push(w);
    atomOf[i] = a;
    const b = buckets.get(h);
    if (b === undefined) buckets.set(h, a);
    else if (typeof b === 'number') buckets.set(h, [b, a]);
    else b.push(a);
  }
  input.onProgress?.({ stage: 'coverage', done: N, total: N });
  const A = weights.length;
  // Transpose atom → candidates into candidate → atoms (sorted, as buildCoverage's sets are).
  const offsets = new Int32Array(C + 1);
  for (let p = 0; p < listLen; p++) offsets[lists[p] + 1]++;
  for (let j = 0; j < C; j++) offsets[j + 1] += offsets[j];
  const fill = offsets.slice(0, C);
  const setDemand = new Int32Array(listLen);
  for (let a = 2; a < A; a++) for (let p = listStart[a]; p < listStart[a + 1]; p++) setDemand[fill[lists[p]]++] = a;
  const weight = Float64Array.from(weights);
  const existingCovered = new Uint8Array(A);
  existingCovered[EXISTING] = 1;
  let total = 0;
  for (let a = 0; a < A; a++) total += weight[a];
  return {
    problem: {
      weight,
      existingCovered,
      candidates: { numSites: C, numDemand: A, offsets, demand: setDemand },
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

function lookup(bucket: number | number[] | undefined, ids: Int32Array, lists: Int32Array, listStart: number[]): number {
  if (bucket === undefined) return -1;
  const same = (a: number) => {
    const s = listStart[a], e = listStart[a + 1];
    if (e - s !== ids.length) return false;
    for (let q = 0; q < ids.length; q++) if (lists[s + q] !== ids[q]) return false;
    return true;
  };
  if (typeof bucket === 'number') return same(bucket) ? bucket : -1;
  for (const a of bucket) if (same(a)) return a;
  return -1;
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
  const band = (radiusM / 6_371_008.8) * (180 / Math.PI) * (1 + 1e-9);
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
