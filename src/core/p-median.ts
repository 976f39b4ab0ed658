/**
 * p-median (Hakimi 1964; ReVelle & Swain 1970): choose k candidates minimising the
 * demand-weighted distance from each demand point to its nearest own site (existing ones
 * included). Heuristic: lazy greedy (the objective is supermodular, so gains only shrink),
 * then Teitz & Bart (1968) vertex substitution with Whitaker's (1983) fast interchange:
 * for every unchosen c and chosen s, delta = (gain of adding c) − (loss of removing s)
 * + (correction for demand whose nearest is s and which c would serve), all from one pass
 * over candidate → demand pairs, keeping each demand point's nearest and second-nearest.
 *
 * Scale: only pairs within maxDistanceM (default 10 km) are stored, and while optimising
 * a distance beyond it counts as maxDistanceM (a demand point 30 km away gains nothing
 * from a site 12 km away). With maxDistanceM = Infinity the objective is exact, at
 * candidates × demand memory. Final mean distances are recomputed uncapped.
 */
import type { Demand, SiteProgress, SiteWarning } from './coverage.ts';
import { GainHeap } from './gain-heap.ts';
import { prepareSelection, type SelectionConstraints } from './site-selection.ts';
import { EARTH_RADIUS_M } from './haversine.ts';
import { GridIndex, Hits, type Points } from './spatial-index.ts';

export interface PMedianInput {
  demand: Demand;
  /** Our existing sites of the chosen type. */
  existing: Points;
  candidates: Points;
  /** Candidate–demand pairs beyond this (metres) are ignored; default 10 000. */
  maxDistanceM?: number;
  /** Distances from a cost file instead of haversine (core/cost-matrix.ts costDistances). */
  costs?: { pairs: Pairs; dExist: Float64Array };
}

export interface PMedianOptions extends SelectionConstraints {
  k: number;
  localSearch?: boolean;
  /** Extra greedy + swap runs from the best single sites the answer leaves out (default 8). */
  restarts?: number;
  /**
   * Restarts stop once all runs together have read this many candidate–demand pairs (default:
   * 24 passes over the pairs, at least 4e6): a deterministic cap proportional to the instance,
   * so an 8M-pair cost file does not pay for eight full restarts.
   */
  maxWork?: number;
  signal?: AbortSignal;
  onProgress?: (p: SiteProgress) => void;
}

export interface PMedianSite {
  rank: number;
  candidate: number;
  /** Reduction of Σ weight · distance (capped) given existing sites and lower ranks, in weight·metres. */
  reductionWeightedM: number;
  /** Demand-weighted mean distance (capped) to the nearest own site after ranks 1..this, metres. */
  meanDistanceM: number;
  pinned: boolean;
}

export interface PMedianResult {
  sites: PMedianSite[];
  totalDemand: number;
  /** Demand-weighted mean distance to the nearest existing own site, uncapped (Infinity when there is none). */
  meanDistanceBeforeM: number;
  /** The same with the chosen sites added, uncapped. */
  meanDistanceAfterM: number;
  swaps: number;
  warnings: SiteWarning[];
}

export interface Pairs { offsets: Int32Array; demand: Int32Array; distanceM: Float64Array }

/**
 * The distances the p-median works with: candidate → (demand, distance) pairs within the cap
 * (maxDistanceM, default 10 km), and each point's capped distance to the nearest existing site.
 */
export function pmedianDistances(input: PMedianInput, signal?: AbortSignal): { pairs: Pairs; dExist: Float64Array; weight: Float64Array; capM: number } {
  // A finite stand-in for "no cap": no two points on Earth are farther apart than half its circumference.
  const capM = Math.min(input.maxDistanceM ?? 10_000, Math.PI * EARTH_RADIUS_M);
  if (!(capM > 0)) throw new RangeError(`maxDistanceM must be > 0 metres, got ${capM}`);
  const N = input.demand.lon.length;
  if (input.costs) return { pairs: input.costs.pairs, dExist: input.costs.dExist, weight: Float64Array.from(input.demand.weight), capM };
  const demandIndex = new GridIndex(input.demand, Math.min(capM, 5000));
  const hits = new Hits(1024);
  const pairs = collectPairs(input.candidates, demandIndex, capM, hits, signal);
  const existingIndex = new GridIndex(input.existing, 2000);
  const dExist = new Float64Array(N);
  for (let i = 0; i < N; i++) dExist[i] = Math.min(existingIndex.nearest(input.demand.lon[i], input.demand.lat[i], capM, undefined, hits).distanceM, capM);
  return { pairs, dExist, weight: Float64Array.from(input.demand.weight), capM };
}

/**
 * What a p-median solve reads that does not depend on the demand weights: the pairs, each
 * point's distance to the nearest existing site, and the pairs by demand point. Built once,
 * it serves any number of weightings of the same points (the bootstrap's replicates).
 */
export interface PMedianPrepared {
  pairs: Pairs;
  dExist: Float64Array;
  byDemand: { offsets: Int32Array; site: Int32Array; distanceM: Float64Array };
  numPoints: number;
}

export function preparePMedian(input: PMedianInput, signal?: AbortSignal): PMedianPrepared {
  const { pairs, dExist } = pmedianDistances(input, signal);
  const N = input.demand.lon.length;
  return { pairs, dExist, byDemand: transpose(pairs, N), numPoints: N };
}

/** `prepared`: preparePMedian of the same points, candidates, existing sites and costs (any weights). */
export function solvePMedian(input: PMedianInput, options: PMedianOptions, prepared?: PMedianPrepared): PMedianResult {
  const k = options.k;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`);
  const N = input.demand.lon.length;
  const C = input.candidates.lon.length;
  if (prepared && (prepared.numPoints !== N || prepared.pairs.offsets.length !== C + 1)) {
    throw new RangeError(`prepared for ${prepared.numPoints} points and ${prepared.pairs.offsets.length - 1} candidates, given ${N} and ${C}`);
  }
  const { pairs: cand, dExist, byDemand } = prepared ?? preparePMedian(input, options.signal);
  const w = Float64Array.from(input.demand.weight);
  let total = 0;
  for (let i = 0; i < N; i++) total += w[i];
  const hits = new Hits(1024);

  const prep = prepareSelection(input.candidates.lon, input.candidates.lat, options);
  if (prep.pinned.length > k) throw new RangeError(`${prep.pinned.length} sites are pinned but k is ${k}; raise k or unpin sites`);

  // Each candidate's gain with only the pinned sites open: it only shrinks as sites open
  // (the reduction is submodular), so every run's lazy greedy starts from these bounds.
  const base = new NearestState(w, dExist, cand, byDemand);
  for (const j of prep.pinned) base.open(j);
  const baseGain = new Float64Array(C);
  for (let j = 0; j < C; j++) if (prep.allowed[j] && !base.isOpen[j]) baseGain[j] = base.gain(j);
  const nnz = Math.max(1, cand.demand.length);
  let work = nnz;

  const runOnce = (seed: number) => {
    prep.spacing?.reset();
    const st = new NearestState(w, dExist, cand, byDemand);
    const chosen: number[] = [];
    for (const j of seed >= 0 ? [...prep.pinned, seed] : prep.pinned) {
      if (chosen.length >= k) break;
      chosen.push(j); st.open(j); prep.spacing?.add(j);
    }
    const heap = new GainHeap(C);
    for (let j = 0; j < C; j++) {
      if (!prep.allowed[j] || st.isOpen[j]) continue;
      if (baseGain[j] > 0) heap.push(j, baseGain[j]);
    }
    while (chosen.length < k && heap.size > 0) {
      options.signal?.throwIfAborted();
      const j = heap.pop();
      if (prep.spacing && !prep.spacing.canAdd(j)) continue;
      const g = st.gain(j);
      if (g <= 0) continue;
      if (!heap.beats(j, g)) { heap.push(j, g); continue; }
      chosen.push(j);
      st.open(j);
      prep.spacing?.add(j);
      options.onProgress?.({ stage: 'greedy', done: chosen.length, total: k });
    }
    let swaps = 0;
    work += st.visited;
    if (options.localSearch ?? true) {
      const locked = new Set(prep.pinned);
      const tol = 1e-10 * Math.max(st.objective(), Number.MIN_VALUE);
      for (;;) {
        options.signal?.throwIfAborted();
        options.onProgress?.({ stage: 'swap', done: swaps, total: swaps + 1 });
        const move = st.bestSwap(chosen, locked, prep.allowed, prep.spacing, tol);
        if (!move) break;
        const [q, c] = move;
        st.close(chosen[q]);
        prep.spacing?.remove(chosen[q]);
        st.open(c);
        prep.spacing?.add(c);
        chosen[q] = c;
        swaps++;
      }
      // Each swap pass reads every allowed candidate's pairs once.
      work += (swaps + 1) * nnz;
    }
    return { chosen, objective: st.objective(), swaps };
  };

  let best = runOnce(-1);
  const restarts = (options.localSearch ?? true) ? options.restarts ?? 8 : 0;
  const maxWork = options.maxWork ?? Math.max(4e6, 24 * nnz);
  if (restarts > 0 && best.chosen.length > prep.pinned.length) {
    // As in mclp.ts: restart from the strongest single sites the current answer leaves out.
    const inBest = new Set(best.chosen);
    const heap = new GainHeap(C);
    for (let j = 0; j < C; j++) if (prep.allowed[j] && !inBest.has(j) && baseGain[j] > 0) heap.push(j, baseGain[j]);
    for (let r = 0; r < restarts && heap.size > 0 && work < maxWork; r++) {
      const run = runOnce(heap.pop());
      if (run.objective < best.objective * (1 - 1e-12)) best = run;
    }
  }
  const { chosen, swaps } = best;

  // Report order: each rank the largest reduction given existing sites and lower ranks.
  const ranked = new NearestState(w, dExist, cand, byDemand);
  const left = [...chosen];
  const sites: PMedianSite[] = [];
  const pinnedSet = new Set(prep.pinned);
  while (left.length) {
    let bq = 0, bg = -1;
    left.forEach((j, q) => {
      const g = ranked.gain(j);
      if (g > bg || (g === bg && j < left[bq])) { bg = g; bq = q; }
    });
    const j = left.splice(bq, 1)[0];
    ranked.open(j);
    sites.push({ rank: sites.length + 1, candidate: j, reductionWeightedM: bg, meanDistanceM: total > 0 ? ranked.objective() / total : NaN, pinned: pinnedSet.has(j) });
  }

  const warnings = [...prep.warnings];
  if (chosen.length < k) warnings.push({ code: 'fewer_sites_than_k', params: { chosen: chosen.length, k } });
  // With a cost file the costs are the distances (capped where unreachable); else haversine, uncapped.
  let before: number, after: number;
  if (input.costs) {
    let t = 0;
    for (let i = 0; i < N; i++) t += w[i] * dExist[i];
    before = total > 0 ? t / total : NaN;
    after = total > 0 ? ranked.objective() / total : NaN;
  } else {
    before = meanNearest(input.demand, w, total, input.existing, null, hits);
    after = meanNearest(input.demand, w, total, input.existing, { lon: chosen.map((j) => input.candidates.lon[j]), lat: chosen.map((j) => input.candidates.lat[j]) }, hits);
  }
  return { sites, totalDemand: total, meanDistanceBeforeM: before, meanDistanceAfterM: after, swaps, warnings };
}

function collectPairs(points: Points, index: GridIndex, radiusM: number, hits: Hits, signal?: AbortSignal): Pairs {
  const n = points.lon.length;
  const offsets = new Int32Array(n + 1);
  const dem: number[] = [];
  const dist: number[] = [];
  for (let j = 0; j < n; j++) {
    if ((j & 255) === 0) signal?.throwIfAborted();
    const m = index.within(points.lon[j], points.lat[j], radiusM, hits);
    for (let h = 0; h < m; h++) { dem.push(hits.index[h]); dist.push(hits.distanceM[h]); }
    offsets[j + 1] = dem.length;
  }
  return { offsets, demand: Int32Array.from(dem), distanceM: Float64Array.from(dist) };
}

/** demand → (candidate, distance) rows from candidate → (demand, distance) rows. */
function transpose(p: Pairs, N: number): { offsets: Int32Array; site: Int32Array; distanceM: Float64Array } {
  const offsets = new Int32Array(N + 1);
  for (const i of p.demand) offsets[i + 1]++;
  for (let i = 0; i < N; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, N);
  const site = new Int32Array(p.demand.length);
  const distanceM = new Float64Array(p.demand.length);
  for (let j = 0; j + 1 < p.offsets.length; j++) {
    for (let q = p.offsets[j]; q < p.offsets[j + 1]; q++) {
      const r = fill[p.demand[q]]++;
      site[r] = j;
      distanceM[r] = p.distanceM[q];
    }
  }
  return { offsets, site, distanceM };
}

function meanNearest(demand: Points, w: Float64Array, total: number, existing: Points, extra: Points | null, hits: Hits): number {
  const lon = [...Array.from(existing.lon), ...(extra ? extra.lon as number[] : [])];
  const lat = [...Array.from(existing.lat), ...(extra ? extra.lat as number[] : [])];
  if (lon.length === 0) return total > 0 ? Infinity : NaN;
  if (!(total > 0)) return NaN;
  const idx = new GridIndex({ lon, lat }, 2000);
  let t = 0;
  for (let i = 0; i < w.length; i++) if (w[i] > 0) t += w[i] * idx.nearest(demand.lon[i], demand.lat[i], Infinity, undefined, hits).distanceM;
  return t / total;
}

/** Nearest and second-nearest (capped) distance per demand point over existing ∪ open candidates. */
class NearestState {
  readonly isOpen: Uint8Array;
  /** Candidate–demand pairs read by gain(). */
  visited = 0;
  private readonly d1: Float64Array;
  private readonly d2: Float64Array;
  private readonly near: Int32Array;
  private readonly posOf: Int32Array;
  constructor(
    private readonly w: Float64Array,
    private readonly dExist: Float64Array,
    private readonly cand: Pairs,
    private readonly byDemand: { offsets: Int32Array; site: Int32Array; distanceM: Float64Array },
  ) {
    const N = w.length;
    this.isOpen = new Uint8Array(cand.offsets.length - 1);
    this.d1 = Float64Array.from(dExist);
    this.d2 = Float64Array.from(dExist);
    this.near = new Int32Array(N).fill(-1);
    this.posOf = new Int32Array(this.isOpen.length);
  }
  objective(): number {
    let t = 0;
    for (let i = 0; i < this.w.length; i++) t += this.w[i] * this.d1[i];
    return t;
  }
  gain(j: number): number {
    const { offsets, demand, distanceM } = this.cand;
    let g = 0;
    this.visited += offsets[j + 1] - offsets[j];
    for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = demand[p];
      const d = distanceM[p];
      if (d < this.d1[i]) g += this.w[i] * (this.d1[i] - d);
    }
    return g;
  }
  open(j: number): void { this.isOpen[j] = 1; this.refresh(j); }
  close(j: number): void { this.isOpen[j] = 0; this.refresh(j); }
  private refresh(j: number): void {
    const { offsets, demand } = this.cand;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) this.recompute(demand[p]);
  }
  private recompute(i: number): void {
    const { offsets, site, distanceM } = this.byDemand;
    let d1 = this.dExist[i], d2 = this.dExist[i], near = -1;
    for (let p = offsets[i]; p < offsets[i + 1]; p++) {
      if (!this.isOpen[site[p]]) continue;
      const d = distanceM[p];
      if (d < d1) { d2 = d1; d1 = d; near = site[p]; } else if (d < d2) d2 = d;
    }
    this.d1[i] = d1; this.d2[i] = d2; this.near[i] = near;
  }
  /** Best improving (position in chosen, candidate) swap, or null. */
  bestSwap(chosen: number[], locked: Set<number>, allowed: Uint8Array, spacing: PreparedSpacing | null, tol: number): [number, number] | null {
    const m = chosen.length;
    const posOf = this.posOf;
    chosen.forEach((j, q) => (posOf[j] = q));
    const loss = new Float64Array(m);
    for (let i = 0; i < this.w.length; i++) {
      const s = this.near[i];
      if (s >= 0) loss[posOf[s]] += this.w[i] * (this.d2[i] - this.d1[i]);
    }
    const extra = new Float64Array(m);
    const { offsets, demand, distanceM } = this.cand;
    let best: [number, number] | null = null, bestDelta = tol;
    for (let c = 0; c < allowed.length; c++) {
      if (!allowed[c] || this.isOpen[c]) continue;
      if (spacing && spacing.count[c] > 1) continue;
      let g0 = 0;
      for (let p = offsets[c]; p < offsets[c + 1]; p++) {
        const i = demand[p];
        const d = distanceM[p];
        if (d < this.d1[i]) g0 += this.w[i] * (this.d1[i] - d);
        const s = this.near[i];
        if (s >= 0 && d < this.d2[i]) extra[posOf[s]] += this.w[i] * (this.d2[i] - Math.max(d, this.d1[i]));
      }
      for (let q = 0; q < m; q++) {
        if (locked.has(chosen[q]) || (spacing && !spacing.canSwap(c, chosen[q]))) continue;
        const delta = g0 - loss[q] + extra[q];
        if (delta > bestDelta) { bestDelta = delta; best = [q, c]; }
      }
      extra.fill(0);
    }
    return best;
  }
}

type PreparedSpacing = NonNullable<ReturnType<typeof prepareSelection>['spacing']>;
