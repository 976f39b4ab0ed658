/**
 * p-median (Hakimi 1964; ReVelle & Swain 1970): choose k candidates minimising the
 * demand-weighted distance from each demand point to its nearest own site (existing ones
 * included). Heuristic: lazy greedy (the objective is supermodular, so gains only shrink),
 * then Teitz & Bart (1968) vertex substitution with the swap values of Resende & Werneck
 * (2007, "A fast swap-based local search procedure for location problems"): per-candidate
 * gain, per-site loss and per-(candidate, site) extra, kept up to date by re-walking only
 * the points whose nearest or second-nearest site a swap changed; then restarts from the
 * strongest single sites the answer leaves out, within a work budget.
 *
 * Scale: only pairs within maxDistanceM (default 10 km) count, and while optimising a distance
 * beyond it counts as maxDistanceM (a demand point 30 km away gains nothing from a site 12 km
 * away). Of those, only pairs nearer than the point's nearest existing site are stored — an
 * exact pruning (see PMedianPrepared). With maxDistanceM = Infinity the objective is exact.
 * Final mean distances are reported uncapped.
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
  /**
   * Largest candidates × sites table of swap values kept (default 2^23, 64 MB); beyond it each
   * candidate's row is recomputed from its pairs at every step (slower, same answer).
   */
  maxExtraEntries?: number;
  /**
   * Test aid (slow): after every swap, check that the objective fell by exactly the predicted
   * amount and that the incrementally kept swap values equal ones rebuilt from scratch; throws if not.
   */
  selfCheck?: boolean;
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
 * What a p-median solve reads that does not depend on the demand weights, built once and
 * reused for any weighting of the same points (the bootstrap's replicates).
 *
 * Only pairs with distance < the point's (capped) distance to its nearest existing site are
 * kept. That pruning is exact: existing sites are always open, so a candidate at least that
 * far can never be a point's nearest site, and (ties aside) never its second-nearest, hence
 * never changes any set's objective or any swap's value. With 60 branches on the demo city it
 * keeps 15M of the 98M pairs within 10 km.
 *
 * The points are renumbered in a spatial (grid-cell) order, so a candidate's pairs read
 * per-point arrays in near-sequential runs.
 */
export interface PMedianPrepared {
  numPoints: number;
  numCandidates: number;
  /** order[pos] = the input index of the point the solver calls `pos`. */
  order: Int32Array;
  /** Capped distance from each point (by pos) to its nearest existing site. */
  dExist: Float64Array;
  /** Per point (by pos): the candidates nearer than dExist, closest first (ties: lower index first). */
  byPoint: { offsets: Int32Array; site: Int32Array; distanceM: Float64Array };
  /** Per candidate: the same pairs, by point pos ascending. */
  byCandidate: { offsets: Int32Array; point: Int32Array; distanceM: Float64Array };
  /** Distances beyond this count as this (haversine); with a cost file, Infinity (its costs are already capped). */
  capM: number;
}

export function preparePMedian(input: PMedianInput, signal?: AbortSignal): PMedianPrepared {
  // A finite stand-in for "no cap": no two points on Earth are farther apart than half its circumference.
  const capM = Math.min(input.maxDistanceM ?? 10_000, Math.PI * EARTH_RADIUS_M);
  if (!(capM > 0)) throw new RangeError(`maxDistanceM must be > 0 metres, got ${capM}`);
  const N = input.demand.lon.length;
  const C = input.candidates.lon.length;
  let order: Int32Array, dExist: Float64Array, byPoint: PMedianPrepared['byPoint'];
  if (input.costs) {
    const { pairs, dExist: e } = input.costs;
    if (e.length !== N || pairs.offsets.length !== C + 1) throw new RangeError(`costs for ${e.length} points and ${pairs.offsets.length - 1} candidates, given ${N} and ${C}`);
    order = Int32Array.from({ length: N }, (_, i) => i);
    dExist = Float64Array.from(e);
    byPoint = costPairsByPoint(pairs, dExist, signal);
  } else {
    ({ order, dExist, byPoint } = haversinePairsByPoint(input, capM, signal));
  }
  return { numPoints: N, numCandidates: C, order, dExist, byPoint, byCandidate: byCandidateOf(byPoint, C), capM: input.costs ? Infinity : capM };
}

/**
 * The distances as the exact MILP (p-median-exact.ts) reads them: candidate → (demand index,
 * distance) pairs (only those nearer than the point's nearest existing site), and each point's
 * capped distance to the nearest existing site, both in the input's point order.
 */
export function pmedianDistances(input: PMedianInput, signal?: AbortSignal, prepared?: PMedianPrepared): { pairs: Pairs; dExist: Float64Array; weight: Float64Array } {
  const P = prepared ?? preparePMedian(input, signal);
  const { offsets, point, distanceM } = P.byCandidate;
  const demand = new Int32Array(point.length);
  for (let p = 0; p < point.length; p++) demand[p] = P.order[point[p]];
  const dExist = new Float64Array(P.numPoints);
  for (let pos = 0; pos < P.numPoints; pos++) dExist[P.order[pos]] = P.dExist[pos];
  return { pairs: { offsets, demand, distanceM }, dExist, weight: Float64Array.from(input.demand.weight) };
}

/** Per point, in grid order: its capped distance to the nearest existing site and the candidates nearer than that, closest first. */
function haversinePairsByPoint(input: PMedianInput, capM: number, signal?: AbortSignal): Pick<PMedianPrepared, 'order' | 'dExist' | 'byPoint'> {
  const N = input.demand.lon.length;
  const C = input.candidates.lon.length;
  const order = N > 0 ? new GridIndex(input.demand, 1000).order.slice() : new Int32Array(0);
  const existingIndex = new GridIndex(input.existing, 2000);
  const candidateIndex = new GridIndex(input.candidates, 1000);
  const hits = new Hits(1024);
  const nearExisting = (i: number) => Math.min(existingIndex.nearest(input.demand.lon[i], input.demand.lat[i], capM, undefined, hits).distanceM, capM);
  // Room for the pairs, estimated from every 64th point (+15 %), so they are written once in place.
  let estimate = 0;
  if (C > 0) for (let pos = 0; pos < N; pos += 64) { const i = order[pos]; estimate += candidateIndex.within(input.demand.lon[i], input.demand.lat[i], nearExisting(i), hits); }
  let site = new Int32Array(Math.ceil(estimate * 64 * 1.15) + 1024);
  let dist = new Float64Array(site.length);
  const dExist = new Float64Array(N);
  const offsets = new Int32Array(N + 1);
  let n = 0;
  for (let pos = 0; pos < N; pos++) {
    if ((pos & 1023) === 0) signal?.throwIfAborted();
    const i = order[pos];
    const e = nearExisting(i);
    dExist[pos] = e;
    if (C > 0 && e > 0) {
      const m = candidateIndex.within(input.demand.lon[i], input.demand.lat[i], e, hits);
      if (n + m > site.length) {
        const size = Math.max(Math.ceil(site.length * 1.5), n + m);
        const s2 = new Int32Array(size); s2.set(site.subarray(0, n)); site = s2;
        const d2 = new Float64Array(size); d2.set(dist.subarray(0, n)); dist = d2;
      }
      const start = n;
      for (let h = 0; h < m; h++) {
        const d = hits.distanceM[h];
        if (d < e) { site[n] = hits.index[h]; dist[n++] = d; }
      }
      sortPairs(site, dist, start, n);
    }
    offsets[pos + 1] = n;
  }
  // A view when the estimate was close (the rest of the buffer was never written), else a copy.
  const fit = <T extends Int32Array | Float64Array>(a: T): T => (n >= 0.85 * a.length ? a.subarray(0, n) : a.slice(0, n)) as T;
  return { order, dExist, byPoint: { offsets, site: fit(site), distanceM: fit(dist) } };
}

/** A cost file's candidate-major pairs → per point, the candidates nearer than dExist, closest first. */
function costPairsByPoint(pairs: Pairs, dExist: Float64Array, signal?: AbortSignal): PMedianPrepared['byPoint'] {
  const N = dExist.length;
  const C = pairs.offsets.length - 1;
  const offsets = new Int32Array(N + 1);
  for (let p = 0; p < pairs.demand.length; p++) if (pairs.distanceM[p] < dExist[pairs.demand[p]]) offsets[pairs.demand[p] + 1]++;
  for (let i = 0; i < N; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, N);
  const site = new Int32Array(offsets[N]), distanceM = new Float64Array(offsets[N]);
  for (let j = 0; j < C; j++) {
    for (let p = pairs.offsets[j]; p < pairs.offsets[j + 1]; p++) {
      const i = pairs.demand[p], d = pairs.distanceM[p];
      if (!(d < dExist[i])) continue;
      const r = fill[i]++;
      site[r] = j; distanceM[r] = d;
    }
  }
  for (let i = 0; i < N; i++) {
    if ((i & 4095) === 0) signal?.throwIfAborted();
    sortPairs(site, distanceM, offsets[i], offsets[i + 1]);
  }
  return { offsets, site, distanceM };
}

/** Per-point rows → per-candidate rows (counting sort, so each candidate's row is by point pos). */
function byCandidateOf(byPoint: PMedianPrepared['byPoint'], C: number): PMedianPrepared['byCandidate'] {
  const { offsets: po, site, distanceM: pd } = byPoint;
  const N = po.length - 1;
  const offsets = new Int32Array(C + 1);
  for (let p = 0; p < site.length; p++) offsets[site[p] + 1]++;
  for (let j = 0; j < C; j++) offsets[j + 1] += offsets[j];
  const fill = offsets.slice(0, C);
  const point = new Int32Array(site.length), distanceM = new Float64Array(site.length);
  for (let i = 0; i < N; i++) {
    for (let p = po[i]; p < po[i + 1]; p++) {
      const r = fill[site[p]]++;
      point[r] = i; distanceM[r] = pd[p];
    }
  }
  return { offsets, point, distanceM };
}

const pairBefore = (site: Int32Array, dist: Float64Array, x: number, y: number) => dist[x] < dist[y] || (dist[x] === dist[y] && site[x] < site[y]);

/** Sorts the pairs in [lo, hi) by (distance, site) ascending: quicksort on the two parallel arrays. */
function sortPairs(site: Int32Array, dist: Float64Array, lo: number, hi: number): void {
  for (;;) {
    if (hi - lo <= 16) {
      for (let a = lo + 1; a < hi; a++) {
        const s = site[a], d = dist[a];
        let b = a - 1;
        while (b >= lo && (dist[b] > d || (dist[b] === d && site[b] > s))) { site[b + 1] = site[b]; dist[b + 1] = dist[b]; b--; }
        site[b + 1] = s; dist[b + 1] = d;
      }
      return;
    }
    // Median of three as the pivot; keys are distinct (a site appears once per point).
    const mid = (lo + hi) >>> 1;
    let pa = lo, pb = mid;
    const pc = hi - 1;
    if (pairBefore(site, dist, pb, pa)) { pa = mid; pb = lo; }
    if (pairBefore(site, dist, pc, pb)) { pb = pc; if (pairBefore(site, dist, pb, pa)) pb = pa; }
    const pd = dist[pb], ps = site[pb];
    let i = lo, j = hi - 1;
    while (i <= j) {
      while (dist[i] < pd || (dist[i] === pd && site[i] < ps)) i++;
      while (dist[j] > pd || (dist[j] === pd && site[j] > ps)) j--;
      if (i <= j) {
        const s = site[i]; site[i] = site[j]; site[j] = s;
        const d = dist[i]; dist[i] = dist[j]; dist[j] = d;
        i++; j--;
      }
    }
    // Recurse into the smaller side, loop on the larger.
    if (j + 1 - lo < hi - i) { sortPairs(site, dist, lo, j + 1); lo = i; } else { sortPairs(site, dist, i, hi); hi = j + 1; }
  }
}

/** `prepared`: preparePMedian of the same points, candidates, existing sites and costs (any weights). */
export function solvePMedian(input: PMedianInput, options: PMedianOptions, prepared?: PMedianPrepared): PMedianResult {
  const k = options.k;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`);
  const N = input.demand.lon.length;
  const C = input.candidates.lon.length;
  if (prepared && (prepared.numPoints !== N || prepared.numCandidates !== C)) {
    throw new RangeError(`prepared for ${prepared.numPoints} points and ${prepared.numCandidates} candidates, given ${N} and ${C}`);
  }
  const P = prepared ?? preparePMedian(input, options.signal);
  // Weights by the solver's point order.
  const w = new Float64Array(N);
  let total = 0;
  for (let pos = 0; pos < N; pos++) { w[pos] = input.demand.weight[P.order[pos]]; total += w[pos]; }

  const prep = prepareSelection(input.candidates.lon, input.candidates.lat, options);
  if (prep.pinned.length > k) throw new RangeError(`${prep.pinned.length} sites are pinned but k is ${k}; raise k or unpin sites`);

  // Each candidate's gain with only the pinned sites open: it only shrinks as sites open
  // (the reduction is submodular), so every run's lazy greedy starts from these bounds.
  const base = new SwapState(w, P);
  for (const j of prep.pinned) base.open(j);
  const baseGain = new Float64Array(C);
  for (let j = 0; j < C; j++) if (prep.allowed[j] && !base.isOpen[j]) baseGain[j] = base.gain(j);
  const nnz = Math.max(1, P.byPoint.site.length);
  let work = base.visited;
  const maxExtraEntries = options.maxExtraEntries ?? 1 << 23;

  const runOnce = (seed: number) => {
    prep.spacing?.reset();
    const st = new SwapState(w, P);
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
    if (options.localSearch ?? true) {
      const tol = 1e-10 * Math.max(st.objective(), Number.MIN_VALUE);
      swaps = st.localSearch(chosen, new Set(prep.pinned), prep.allowed, prep.spacing, tol, maxExtraEntries, options);
    }
    work += st.visited;
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
  const ranked = new SwapState(w, P);
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
    for (let pos = 0; pos < N; pos++) t += w[pos] * P.dExist[pos];
    before = total > 0 ? t / total : NaN;
    after = total > 0 ? ranked.objective() / total : NaN;
  } else {
    const hits = new Hits(1024);
    before = meanNearest(input, w, total, P, P.dExist, null, hits);
    after = meanNearest(input, w, total, P, ranked.nearestM, chosen, hits);
  }
  return { sites, totalDemand: total, meanDistanceBeforeM: before, meanDistanceAfterM: after, swaps, warnings };
}

/**
 * Demand-weighted mean uncapped distance to the nearest of the existing sites and `chosen`.
 * `capped` (by pos) is that distance capped at P.capM, exact below the cap (the pairs hold every
 * candidate nearer than the point's nearest existing site), so only points at the cap are
 * looked up again.
 */
function meanNearest(input: PMedianInput, w: Float64Array, total: number, P: PMedianPrepared, capped: Float64Array, chosen: number[] | null, hits: Hits): number {
  const n = input.existing.lon.length + (chosen?.length ?? 0);
  if (n === 0) return total > 0 ? Infinity : NaN;
  if (!(total > 0)) return NaN;
  let index: GridIndex | null = null;
  let t = 0;
  for (let pos = 0; pos < w.length; pos++) {
    if (!(w[pos] > 0)) continue;
    let d = capped[pos];
    if (!(d < P.capM)) {
      index ??= new GridIndex({
        lon: [...Array.from(input.existing.lon), ...(chosen ?? []).map((j) => input.candidates.lon[j])],
        lat: [...Array.from(input.existing.lat), ...(chosen ?? []).map((j) => input.candidates.lat[j])],
      }, 2000);
      const i = P.order[pos];
      d = index.nearest(input.demand.lon[i], input.demand.lat[i], Infinity, undefined, hits).distanceM;
    }
    t += w[pos] * d;
  }
  return t / total;
}

type PreparedSpacing = NonNullable<ReturnType<typeof prepareSelection>['spacing']>;

/**
 * Nearest and second-nearest (capped) distance per point over existing ∪ open candidates
 * (existing sites count as one site, never closed, at dExist), plus, during the local search,
 * Resende & Werneck's (2007) swap values:
 *   gain[c]     = Σ_i w_i · max(0, d1_i − d_ic)                    (opening c)
 *   loss[f]     = Σ_{i: nearest f} w_i · (d2_i − d1_i)             (closing f)
 *   extra[c][f] = Σ_{i: nearest f, d_ic < d2_i} w_i · (d2_i − max(d_ic, d1_i))
 * so swapping f out and c in changes the objective by −(gain[c] − loss[f] + extra[c][f]).
 * Each point adds its terms by walking its closest-first row up to d2 (d1 when served by an
 * existing site); a swap retracts and re-adds only the points whose nearest or second-nearest
 * changed. When candidates × sites is too large for extra, each candidate's row of it is
 * computed on the fly from the candidate's pairs instead (Whitaker's fast interchange).
 */
class SwapState {
  readonly isOpen: Uint8Array;
  /** Pairs read so far (the restarts' work budget). */
  visited = 0;
  /** Capped distance to the nearest open site, by pos. */
  readonly nearestM: Float64Array;
  private readonly d2: Float64Array;
  private readonly n1: Int32Array;
  private readonly n2: Int32Array;
  private m = 0;
  private slotOf = new Int32Array(0);
  private gainOf = new Float64Array(0);
  private loss = new Float64Array(0);
  private extra: Float64Array | null = null;

  constructor(private readonly w: Float64Array, private readonly P: PMedianPrepared) {
    const N = w.length;
    this.isOpen = new Uint8Array(P.numCandidates);
    this.nearestM = Float64Array.from(P.dExist);
    this.d2 = Float64Array.from(P.dExist);
    this.n1 = new Int32Array(N).fill(-1);
    this.n2 = new Int32Array(N).fill(-1);
  }

  objective(): number {
    let t = 0;
    for (let i = 0; i < this.w.length; i++) t += this.w[i] * this.nearestM[i];
    return t;
  }

  /** Reduction of the objective from opening j. */
  gain(j: number): number {
    const { offsets, point, distanceM } = this.P.byCandidate;
    const d1 = this.nearestM, w = this.w;
    let g = 0;
    this.visited += offsets[j + 1] - offsets[j];
    for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = point[p];
      const d = distanceM[p];
      if (d < d1[i]) g += w[i] * (d1[i] - d);
    }
    return g;
  }

  /** Opens j (no swap values kept: the greedy phase and the ranking). */
  open(j: number): void {
    this.isOpen[j] = 1;
    const { offsets, point, distanceM } = this.P.byCandidate;
    const { nearestM: d1, d2, n1, n2 } = this;
    this.visited += offsets[j + 1] - offsets[j];
    for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = point[p];
      const d = distanceM[p];
      if (d < d1[i]) { d2[i] = d1[i]; n2[i] = n1[i]; d1[i] = d; n1[i] = j; } else if (d < d2[i]) { d2[i] = d; n2[i] = j; }
    }
  }

  /** Nearest and second-nearest open sites of point i, from its closest-first row. */
  private recompute(i: number): void {
    const { offsets, site, distanceM } = this.P.byPoint;
    let found = 0;
    const e = this.P.dExist[i];
    this.nearestM[i] = e; this.d2[i] = e; this.n1[i] = -1; this.n2[i] = -1;
    let p = offsets[i];
    for (; p < offsets[i + 1]; p++) {
      const j = site[p];
      if (!this.isOpen[j]) continue;
      if (found === 0) { this.nearestM[i] = distanceM[p]; this.n1[i] = j; found = 1; } else { this.d2[i] = distanceM[p]; this.n2[i] = j; p++; break; }
    }
    this.visited += p - offsets[i];
  }

  /** Adds (sign 1) or retracts (sign −1) point i's terms in gain, loss and extra. */
  private contribute(i: number, sign: number): void {
    const wi = this.w[i] * sign;
    if (wi === 0) return;
    const { offsets, site, distanceM } = this.P.byPoint;
    const a = this.n1[i], D1 = this.nearestM[i], D2 = this.d2[i];
    const gain = this.gainOf;
    let p = offsets[i];
    const end = offsets[i + 1];
    if (a < 0) {
      // Served by an existing site: no loss, and only nearer candidates gain.
      for (; p < end; p++) {
        const d = distanceM[p];
        if (d >= D1) break;
        gain[site[p]] += wi * (D1 - d);
      }
    } else {
      this.loss[a] += wi * (D2 - D1);
      const extra = this.extra, m = this.m, col = this.slotOf[a];
      for (; p < end; p++) {
        const d = distanceM[p];
        if (d >= D2) break;
        const c = site[p];
        if (d < D1) gain[c] += wi * (D1 - d);
        if (extra && c !== a) extra[c * m + col] += wi * (D2 - (d > D1 ? d : D1));
      }
    }
    this.visited += p - offsets[i];
  }

  /** gain, loss and extra from scratch. */
  private rebuild(): void {
    this.gainOf.fill(0);
    this.loss.fill(0);
    this.extra?.fill(0);
    for (let i = 0; i < this.w.length; i++) this.contribute(i, 1);
  }

  /** extra[c][·] from c's pairs, for when extra is not stored. */
  private extraRow(c: number, row: Float64Array): void {
    row.fill(0);
    const { offsets, point, distanceM } = this.P.byCandidate;
    const { nearestM: d1, d2, n1, w, slotOf } = this;
    this.visited += offsets[c + 1] - offsets[c];
    for (let p = offsets[c]; p < offsets[c + 1]; p++) {
      const i = point[p];
      const a = n1[i];
      const d = distanceM[p];
      if (a >= 0 && d < d2[i]) row[slotOf[a]] += w[i] * (d2[i] - (d > d1[i] ? d : d1[i]));
    }
  }

  /** The best improving swap (position in chosen, candidate in) by more than tol, or null; ties: lowest candidate, then position. */
  private bestSwap(chosen: number[], lockedSlot: Uint8Array, allowed: Uint8Array, spacing: PreparedSpacing | null, tol: number, row: Float64Array): [number, number, number] | null {
    const m = this.m;
    const extra = this.extra;
    let best: [number, number, number] | null = null, bestDelta = tol;
    for (let c = 0; c < allowed.length; c++) {
      if (!allowed[c] || this.isOpen[c]) continue;
      if (spacing && spacing.count[c] > 1) continue;
      const g = this.gainOf[c];
      if (!extra) this.extraRow(c, row);
      for (let q = 0; q < m; q++) {
        if (lockedSlot[q] || (spacing && !spacing.canSwap(c, chosen[q]))) continue;
        const delta = g - this.loss[chosen[q]] + (extra ? extra[c * m + q] : row[q]);
        if (delta > bestDelta) { bestDelta = delta; best = [q, c, delta]; }
      }
    }
    return best;
  }

  /** Swaps chosen[q] out and c in, updating the swap values of the points it affects. */
  private swap(chosen: number[], q: number, c: number, mark: Uint8Array, list: Int32Array): void {
    const f = chosen[q];
    const { offsets, point, distanceM } = this.P.byCandidate;
    let n = 0;
    for (let p = offsets[c]; p < offsets[c + 1]; p++) {
      const i = point[p];
      if (distanceM[p] < this.d2[i] && !mark[i]) { mark[i] = 1; list[n++] = i; }
    }
    for (let p = offsets[f]; p < offsets[f + 1]; p++) {
      const i = point[p];
      if ((this.n1[i] === f || this.n2[i] === f) && !mark[i]) { mark[i] = 1; list[n++] = i; }
    }
    this.visited += offsets[c + 1] - offsets[c] + offsets[f + 1] - offsets[f];
    for (let t = 0; t < n; t++) this.contribute(list[t], -1);
    this.isOpen[f] = 0; this.isOpen[c] = 1;
    this.slotOf[f] = -1; this.slotOf[c] = q;
    chosen[q] = c;
    for (let t = 0; t < n; t++) {
      const i = list[t];
      mark[i] = 0;
      this.recompute(i);
      this.contribute(i, 1);
    }
  }

  /** selfCheck: the objective is `expected` and the kept swap values equal rebuilt ones (to rounding). */
  private check(expected: number, tol: number): void {
    const obj = this.objective();
    const eps = Math.max(tol, 1e-9 * Math.abs(expected));
    if (!(Math.abs(obj - expected) <= eps)) throw new Error(`swap moved the objective to ${obj}, predicted ${expected}`);
    const kept = [Float64Array.from(this.gainOf), Float64Array.from(this.loss), this.extra ? Float64Array.from(this.extra) : null];
    const d1 = Float64Array.from(this.nearestM), d2 = Float64Array.from(this.d2);
    for (let i = 0; i < this.w.length; i++) this.recompute(i);
    for (let i = 0; i < this.w.length; i++) {
      if (d1[i] !== this.nearestM[i] || d2[i] !== this.d2[i]) throw new Error(`point ${i}: kept nearest ${d1[i]}/${d2[i]}, recomputed ${this.nearestM[i]}/${this.d2[i]}`);
    }
    this.rebuild();
    const fresh = [this.gainOf, this.loss, this.extra];
    ['gain', 'loss', 'extra'].forEach((name, t) => {
      const a = kept[t], b = fresh[t];
      if (!a || !b) return;
      for (let x = 0; x < a.length; x++) if (!(Math.abs(a[x] - b[x]) <= eps)) throw new Error(`${name}[${x}] kept ${a[x]}, rebuilt ${b[x]}`);
    });
  }

  /**
   * Teitz–Bart vertex substitution from `chosen` (open in this state, changed in place): the
   * best improving swap until none improves by more than tol. The incrementally kept values
   * drift by rounding, so a local optimum is confirmed on values rebuilt from scratch.
   */
  localSearch(chosen: number[], locked: Set<number>, allowed: Uint8Array, spacing: PreparedSpacing | null, tol: number, maxExtraEntries: number, o: { signal?: AbortSignal; onProgress?: (p: SiteProgress) => void; selfCheck?: boolean }): number {
    const C = this.isOpen.length, N = this.w.length;
    const m = (this.m = chosen.length);
    if (m === 0) return 0;
    this.slotOf = new Int32Array(C).fill(-1);
    chosen.forEach((j, q) => (this.slotOf[j] = q));
    const lockedSlot = Uint8Array.from(chosen, (j) => (locked.has(j) ? 1 : 0));
    this.gainOf = new Float64Array(C);
    this.loss = new Float64Array(C);
    this.extra = C * m <= maxExtraEntries ? new Float64Array(C * m) : null;
    const row = new Float64Array(m);
    const mark = new Uint8Array(N), list = new Int32Array(N);
    this.rebuild();
    let swaps = 0, fresh = true;
    for (;;) {
      o.signal?.throwIfAborted();
      o.onProgress?.({ stage: 'swap', done: swaps, total: swaps + 1 });
      let move = this.bestSwap(chosen, lockedSlot, allowed, spacing, tol, row);
      if (!move && !fresh) {
        this.rebuild();
        fresh = true;
        move = this.bestSwap(chosen, lockedSlot, allowed, spacing, tol, row);
      }
      if (!move) break;
      const [q, c, delta] = move;
      const before = o.selfCheck ? this.objective() : 0;
      spacing?.remove(chosen[q]);
      spacing?.add(c);
      this.swap(chosen, q, c, mark, list);
      fresh = false;
      swaps++;
      if (o.selfCheck) this.check(before - delta, tol);
    }
    return swaps;
  }
}
