/**
 * Maximal Covering Location Problem (Church & ReVelle 1974): choose k candidates to
 * maximise the demand covered by existing sites ∪ chosen ones.
 *
 * Heuristic: lazy greedy (Minoux 1978; coverage is submodular, so greedy is within
 * 1 − 1/e of optimal and stale gains are valid upper bounds), then 1-swap local search
 * (Teitz & Bart 1968 style, best improvement) until no swap of one chosen site for one
 * unchosen candidate increases coverage. Swap deltas are evaluated for all pairs in one
 * pass over the coverage sets: delta(c in, s out) = newly covered by c + demand covered
 * only by s that c also covers − demand covered only by s.
 */
import type { CoverageProblem, SiteProgress, SiteWarning } from './coverage.ts';
import { GainHeap } from './gain-heap.ts';
import { prepareSelection, rankSites, type PreparedSelection, type RankedSite, type SelectionConstraints } from './site-selection.ts';

export interface MclpOptions extends SelectionConstraints {
  /** Number of new sites, pinned ones included. */
  k: number;
  /** Run the 1-swap local search after greedy (default true). */
  localSearch?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: SiteProgress) => void;
}

export interface MclpResult {
  /** Chosen sites in DESIGN.md rank order. */
  sites: RankedSite[];
  totalDemand: number;
  existingCoveredDemand: number;
  /** Demand covered by existing ∪ chosen sites. */
  coveredDemand: number;
  coveragePct: number;
  /** Coverage after greedy, before local search. */
  greedyCoveredDemand: number;
  swaps: number;
  warnings: SiteWarning[];
}

/** Greedy + 1-swap MCLP. */
export function solveMclpGreedy(problem: CoverageProblem, options: MclpOptions): MclpResult {
  const k = options.k;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`);
  const prep = prepareSelection(problem.candidateLon, problem.candidateLat, options);
  if (prep.pinned.length > k) throw new RangeError(`${prep.pinned.length} sites are pinned but k is ${k}; raise k or unpin sites`);
  const state = new CoverState(problem);
  const chosen = greedy(problem, state, prep, k, options);
  const greedyCoveredDemand = state.covered;
  let swaps = 0;
  if ((options.localSearch ?? true) && chosen.length > prep.pinned.length) {
    swaps = swapSearch(problem, state, prep, chosen, options);
  }
  const warnings = [...prep.warnings];
  if (chosen.length < k) warnings.push({ code: 'fewer_sites_than_k', params: { chosen: chosen.length, k } });
  if (problem.totalDemand === 0) warnings.push({ code: 'no_demand' });
  const sites = rankSites(problem, chosen, prep.pinned);
  const coveredDemand = sites.length ? sites[sites.length - 1].coveredDemand : problem.existingCoveredDemand;
  return {
    sites,
    totalDemand: problem.totalDemand,
    existingCoveredDemand: problem.existingCoveredDemand,
    coveredDemand,
    coveragePct: problem.totalDemand > 0 ? (100 * coveredDemand) / problem.totalDemand : NaN,
    greedyCoveredDemand,
    swaps,
    warnings,
  };
}

/**
 * Coverage counts of the chosen sites over demand that existing sites leave uncovered.
 * idSum[i] = sum of the chosen ids covering i, so when count[i] = 1 it names the one site.
 */
class CoverState {
  readonly count: Int32Array;
  readonly idSum: Float64Array;
  /** Demand covered by existing ∪ chosen sites. */
  covered: number;
  constructor(private readonly problem: CoverageProblem) {
    this.count = new Int32Array(problem.weight.length);
    this.idSum = new Float64Array(problem.weight.length);
    this.covered = problem.existingCoveredDemand;
  }
  gain(j: number): number {
    const { offsets, demand } = this.problem.candidates;
    const { weight, existingCovered } = this.problem;
    let g = 0;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = demand[p];
      if (this.count[i] === 0 && !existingCovered[i]) g += weight[i];
    }
    return g;
  }
  add(j: number): void {
    const { offsets, demand } = this.problem.candidates;
    const { weight, existingCovered } = this.problem;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = demand[p];
      if (this.count[i]++ === 0 && !existingCovered[i]) this.covered += weight[i];
      this.idSum[i] += j;
    }
  }
  remove(j: number): void {
    const { offsets, demand } = this.problem.candidates;
    const { weight, existingCovered } = this.problem;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = demand[p];
      if (--this.count[i] === 0 && !existingCovered[i]) this.covered -= weight[i];
      this.idSum[i] -= j;
    }
  }
}

function greedy(problem: CoverageProblem, state: CoverState, prep: PreparedSelection, k: number, options: MclpOptions): number[] {
  const n = problem.candidates.numSites;
  const chosen: number[] = [];
  const isChosen = new Uint8Array(n);
  for (const j of prep.pinned) {
    chosen.push(j);
    isChosen[j] = 1;
    state.add(j);
    prep.spacing?.add(j);
  }
  const heap = new GainHeap(n);
  for (let j = 0; j < n; j++) {
    if (!prep.allowed[j] || isChosen[j]) continue;
    const g = state.gain(j);
    if (g > 0) heap.push(j, g);
  }
  let reported = -1;
  while (chosen.length < k && heap.size > 0) {
    if (chosen.length !== reported) {
      reported = chosen.length;
      options.signal?.throwIfAborted();
      options.onProgress?.({ stage: 'greedy', done: chosen.length, total: k });
    }
    const j = heap.pop();
    // Chosen sites only accumulate, so a blocked or gainless candidate stays so.
    if (prep.spacing && !prep.spacing.canAdd(j)) continue;
    const g = state.gain(j);
    if (g <= 0) continue;
    if (!heap.beats(j, g)) {
      heap.push(j, g);
      continue;
    }
    chosen.push(j);
    isChosen[j] = 1;
    state.add(j);
    prep.spacing?.add(j);
  }
  options.onProgress?.({ stage: 'greedy', done: chosen.length, total: k });
  return chosen;
}

/** Best-improvement 1-swap until no swap gains more than a rounding tolerance. Mutates `chosen`. */
function swapSearch(problem: CoverageProblem, state: CoverState, prep: PreparedSelection, chosen: number[], options: MclpOptions): number {
  const { offsets, demand } = problem.candidates;
  const { weight, existingCovered } = problem;
  const n = problem.candidates.numSites;
  const m = chosen.length;
  const posOf = new Int32Array(n).fill(-1);
  chosen.forEach((j, q) => (posOf[j] = q));
  const locked = new Uint8Array(m);
  const pinnedSet = new Set(prep.pinned);
  chosen.forEach((j, q) => (locked[q] = pinnedSet.has(j) ? 1 : 0));
  // Upper bound on what a candidate could ever add: its uncovered-by-existing demand.
  const reach = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let t = 0;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) if (!existingCovered[demand[p]]) t += weight[demand[p]];
    reach[j] = t;
  }
  const loss = new Float64Array(m);
  const extra = new Float64Array(m);
  const tol = 1e-10 * Math.max(problem.totalDemand, Number.MIN_VALUE);
  const { count, idSum } = state;
  let swaps = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    options.onProgress?.({ stage: 'swap', done: swaps, total: swaps + 1 });
    let minLoss = Infinity;
    for (let q = 0; q < m; q++) {
      const s = chosen[q];
      let l = 0;
      for (let p = offsets[s]; p < offsets[s + 1]; p++) {
        const i = demand[p];
        if (count[i] === 1 && !existingCovered[i]) l += weight[i];
      }
      loss[q] = l;
      if (!locked[q] && l < minLoss) minLoss = l;
    }
    let bestDelta = tol, bestC = -1, bestQ = -1;
    for (let c = 0; c < n; c++) {
      if (!prep.allowed[c] || posOf[c] >= 0) continue;
      if (reach[c] - minLoss <= bestDelta) continue;
      const sp = prep.spacing;
      if (sp && sp.count[c] > 1) continue;
      let g0 = 0;
      for (let p = offsets[c]; p < offsets[c + 1]; p++) {
        const i = demand[p];
        if (existingCovered[i]) continue;
        const ci = count[i];
        if (ci === 0) g0 += weight[i];
        else if (ci === 1) extra[posOf[idSum[i]]] += weight[i];
      }
      if (sp && sp.count[c] === 1) {
        const q = posOf[sp.idSum[c]];
        const d = g0 + extra[q] - loss[q];
        if (!locked[q] && d > bestDelta) { bestDelta = d; bestC = c; bestQ = q; }
      } else {
        for (let q = 0; q < m; q++) {
          if (locked[q]) continue;
          const d = g0 + extra[q] - loss[q];
          if (d > bestDelta) { bestDelta = d; bestC = c; bestQ = q; }
        }
      }
      extra.fill(0);
    }
    if (bestC < 0) return swaps;
    const out = chosen[bestQ];
    state.remove(out);
    prep.spacing?.remove(out);
    posOf[out] = -1;
    state.add(bestC);
    prep.spacing?.add(bestC);
    posOf[bestC] = bestQ;
    chosen[bestQ] = bestC;
    swaps++;
  }
}
