/**
 * The lazy greedy the Huff site selection runs (core/huff-selection.ts, huff-cost-gains.ts),
 * its inputs and results, and the helpers its gain sources share: the distance decay, the
 * weight check, a candidate's attractiveness.
 */
import type { Demand, SiteProgress, SiteWarning } from './coverage.ts';
import { GainHeap } from './gain-heap.ts';
import type { HuffParams, HuffSites } from './huff.ts';
import { prepareSelection, type RankedSite, type SelectionConstraints } from './site-selection.ts';
import type { Points } from './spatial-index.ts';
import type { SiteCostPairs } from './cost-matrix.ts';

export interface HuffSelectionInput {
  demand: Demand;
  /** Existing sites, ours and competitors'. */
  sites: HuffSites;
  candidates: Points & { attractiveness?: ArrayLike<number> };
  huff?: HuffParams;
  /**
   * A cost file's costs replacing haversine distances (core/cost-matrix.ts huffCostPairs):
   * site-major pairs over the demand points for `sites` and for `candidates`. The floor and
   * the cut-off then apply in the cost unit; a missing pair does not compete.
   */
  costs?: { sites: SiteCostPairs; candidates: SiteCostPairs };
}

export interface HuffSelectionResult {
  /** marginalDemand / coveredDemand / coveragePct are in captured demand (ours, under Huff). */
  sites: RankedSite[];
  totalDemand: number;
  ownCapturedBefore: number;
  ownCapturedAfter: number;
  warnings: SiteWarning[];
}

export type SelectOptions = SelectionConstraints & { k: number; signal?: AbortSignal; onProgress?: (p: SiteProgress) => void };

/**
 * d ↦ max(d, floorM)^−β, the Huff distance decay. V8's general pow costs more than all the
 * rest of a gain term, so the usual integer β are products (β = 2: 1/x², within an ulp or two
 * of pow); every path of the selection uses the same function, so they agree to the bit.
 */
export function decayOf(beta: number, floorM: number): (d: number) => number {
  if (beta === 2) return (d) => { const x = d > floorM ? d : floorM; return 1 / (x * x); };
  if (beta === 1) return (d) => 1 / (d > floorM ? d : floorM);
  if (beta === 3) return (d) => { const x = d > floorM ? d : floorM; return 1 / (x * x * x); };
  return (d) => Math.max(d, floorM) ** -beta;
}

export function checkWeights(weight: ArrayLike<number>, N: number): void {
  if (weight.length !== N) throw new RangeError(`${weight.length} weights for ${N} demand points`);
  for (let i = 0; i < N; i++) {
    const wi = weight[i];
    if (!(wi >= 0) || !Number.isFinite(wi)) throw new RangeError(`demand weight at index ${i} is ${wi}; weights must be finite and ≥ 0`);
  }
}

export function candidateAttr(cands: HuffSelectionInput['candidates'], c: number, alpha: number): number {
  const a = (cands.attractiveness ? cands.attractiveness[c] : 1) ** alpha;
  if (!(a > 0)) throw new RangeError(`attractiveness of candidate ${c} must be > 0`);
  return a;
}

/** @internal */
export interface GreedyState {
  /** Our and everybody's utility per demand point; changed by `add` and restored by the caller's copy. */
  own: Float64Array;
  all: Float64Array;
  /** Exact gain of c given own/all. */
  gain: (c: number) => number;
  add: (c: number) => void;
  /** An upper bound of c's gain given the existing network (the heap's start). */
  bound: (c: number) => number;
  /** c's exact gain given the existing network when known without work (NaN otherwise); used when nothing is pinned. */
  known?: (c: number) => number;
  capturedBefore: number;
  total: number;
}

/** Chosen candidates in the order greedy took them: pins first (gain NaN), then each pick with its exact gain. */
export interface GreedyPicks {
  candidates: number[];
  gains: number[];
  pinned: number[];
  warnings: SiteWarning[];
}

/**
 * Lazy greedy (Minoux 1978): a heap of upper bounds, the top re-evaluated until it is exact
 * and still on top. A value computed in the current round (no site added since) is exact,
 * so it is not computed again. The pick is the largest exact gain, the lower index on ties,
 * whatever the bounds were — which is why shared or tighter bounds give the same answer.
 */
export function greedyPicks(cands: Points, options: SelectOptions, st: GreedyState): GreedyPicks {
  const k = options.k;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`);
  const C = cands.lon.length;
  const prep = prepareSelection(cands.lon, cands.lat, options);
  if (prep.pinned.length > k) throw new RangeError(`${prep.pinned.length} sites are pinned but k is ${k}; raise k or unpin sites`);
  const { gain, add } = st;
  const chosen: number[] = [];
  const gains: number[] = [];
  const isChosen = new Uint8Array(C);
  for (const c of prep.pinned) { chosen.push(c); gains.push(NaN); isChosen[c] = 1; add(c); prep.spacing?.add(c); }
  // Round at which a candidate's heap value was computed exactly (−1: a bound).
  const fresh = new Int32Array(C).fill(-1);
  const known = chosen.length === 0 ? st.known : undefined;
  // Gains only shrink as sites are added (pins included), so the bounds stay upper bounds.
  const heap = new GainHeap(C);
  for (let c = 0; c < C; c++) {
    if (!prep.allowed[c] || isChosen[c]) continue;
    const x = known ? known(c) : NaN;
    if (x === x) {
      if (x > 0) { heap.push(c, x); fresh[c] = 0; }
      continue;
    }
    const g = st.bound(c);
    if (g > 0) heap.push(c, g);
  }
  while (chosen.length < k && heap.size > 0) {
    options.signal?.throwIfAborted();
    const v = heap.topGain();
    const c = heap.pop();
    if (prep.spacing && !prep.spacing.canAdd(c)) continue;
    const round = chosen.length;
    const g = fresh[c] === round ? v : gain(c);
    fresh[c] = round;
    if (g <= 0) continue;
    if (!heap.beats(c, g)) { heap.push(c, g); continue; }
    isChosen[c] = 1;
    chosen.push(c);
    gains.push(g);
    add(c);
    prep.spacing?.add(c);
    options.onProgress?.({ stage: 'greedy', done: chosen.length, total: k });
  }
  return { candidates: chosen, gains, pinned: Array.from(prep.pinned), warnings: prep.warnings };
}

/** Lazy greedy, then the report order over the chosen set. */
export function lazyGreedy(cands: Points, options: SelectOptions, st: GreedyState): HuffSelectionResult {
  const k = options.k;
  const { own, all, gain, add } = st;
  const own0 = own.slice();
  const all0 = all.slice();
  const picks = greedyPicks(cands, options, st);
  // Report order over the final set (pins included): each rank the largest gain next.
  own.set(own0);
  all.set(all0);
  const total = st.total;
  let captured = st.capturedBefore;
  const out: RankedSite[] = [];
  const pinnedSet = new Set(picks.pinned);
  const left = [...picks.candidates];
  while (left.length) {
    let bq = 0, bg = -Infinity;
    left.forEach((c, q) => { const g = gain(c); if (g > bg || (g === bg && c < left[bq])) { bg = g; bq = q; } });
    const c = left.splice(bq, 1)[0];
    add(c);
    captured += bg;
    out.push({ rank: out.length + 1, candidate: c, marginalDemand: bg, coveredDemand: captured, coveragePct: total > 0 ? (100 * captured) / total : NaN, pinned: pinnedSet.has(c) });
  }
  const warnings = [...picks.warnings];
  if (out.length < k) warnings.push({ code: 'fewer_sites_than_k', params: { chosen: out.length, k } });
  return { sites: out, totalDemand: total, ownCapturedBefore: st.capturedBefore, ownCapturedAfter: captured, warnings };
}
