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
  /**
   * Extra greedy + swap runs, each forced to start from one of the best single sites the
   * current answer leaves out; the best run wins (default 4; 0 = one run).
   */
  restarts?: number;
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

/** Greedy + 1-swap MCLP, restarted from other first sites (see `restarts`). */
export function solveMclpGreedy(problem: CoverageProblem, options: MclpOptions): MclpResult {
  const k = options.k;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`);
  const prep = prepareSelection(problem.candidateLon, problem.candidateLat, options);
  if (prep.pinned.length > k) throw new RangeError(`${prep.pinned.length} sites are pinned but k is ${k}; raise k or unpin sites`);
  const localSearch = options.localSearch ?? true;
  const first = runOnce(problem, prep, k, -1, localSearch, options);
  let best = first;
  const restarts = localSearch ? options.restarts ?? 4 : 0;
  if (restarts > 0 && first.chosen.length > prep.pinned.length) {
    // 1-swap optima can trap greedy's first choice. Restart from the strongest single
    // sites that the current best leaves out: cheap, and it fixes most traps.
    const state = new CoverState(problem);
    for (const j of prep.pinned) state.add(j);
    const inBest = new Set(first.chosen);
    const heap = new GainHeap(problem.candidates.numSites);
    for (let j = 0; j < problem.candidates.numSites; j++) {
      if (!prep.allowed[j] || inBest.has(j)) continue;
      const g = state.gain(j);
      if (g > 0) heap.push(j, g);
    }
    for (let r = 0; r < restarts && heap.size > 0; r++) {
      options.signal?.throwIfAborted();
      const seed = heap.pop();
      const run = runOnce(problem, prep, k, seed, true, options);
      if (run.covered > best.covered + 1e-10 * problem.totalDemand) best = run;
    }
  }
  const warnings = [...prep.warnings];
  // Sites that add nothing given the others (only possible when no candidate adds anything) are dropped.
  const sites = rankSites(problem, best.chosen, prep.pinned)
    .filter((s) => s.marginalDemand > 0 || s.pinned)
    .map((s, q) => ({ ...s, rank: q + 1 }));
  if (sites.length < k) warnings.push({ code: 'fewer_sites_than_k', params: { chosen: sites.length, k } });
  if (problem.totalDemand === 0) warnings.push({ code: 'no_demand' });
  const coveredDemand = sites.length ? sites[sites.length - 1].coveredDemand : problem.existingCoveredDemand;
  return {
    sites,
    totalDemand: problem.totalDemand,
    existingCoveredDemand: problem.existingCoveredDemand,
    coveredDemand,
    coveragePct: problem.totalDemand > 0 ? (100 * coveredDemand) / problem.totalDemand : NaN,
    greedyCoveredDemand: first.greedyCovered,
    swaps: best.swaps,
    warnings,
  };
}

interface Run { chosen: number[]; covered: number; greedyCovered: number; swaps: number }

function runOnce(problem: CoverageProblem, prep: PreparedSelection, k: number, seed: number, localSearch: boolean, options: MclpOptions): Run {
  prep.spacing?.reset();
  const state = new CoverState(problem);
  const chosen = greedy(problem, state, prep, k, seed, options);
  const greedyCovered = state.covered;
  let swaps = 0;
  if (localSearch && chosen.length > prep.pinned.length) {
    swaps = swapSearch(problem, state, prep, chosen, options);
    pruneRedundant(problem, state, prep, chosen);
  }
  return { chosen, covered: state.covered, greedyCovered, swaps };
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

/** Lazy greedy after the pinned sites and, when seed ≥ 0, that candidate as the first free pick. */
function greedy(problem: CoverageProblem, state: CoverState, prep: PreparedSelection, k: number, seed: number, options: MclpOptions): number[] {
  const n = problem.candidates.numSites;
  const chosen: number[] = [];
  const isChosen = new Uint8Array(n);
  const forced = seed >= 0 && chosen.length < k ? [...prep.pinned, seed] : [...prep.pinned];
  for (const j of forced) {
    if (chosen.length >= k || (j === seed && prep.spacing && !prep.spacing.canAdd(j))) continue;
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

/**
 * After local search a site that covers nothing on its own (no candidate could improve on
 * it, or swap search would have replaced it) is dead weight: drop it, last chosen first.
 */
function pruneRedundant(problem: CoverageProblem, state: CoverState, prep: PreparedSelection, chosen: number[]): void {
  const { offsets, demand } = problem.candidates;
  const pinned = new Set(prep.pinned);
  for (let q = chosen.length - 1; q >= 0; q--) {
    const s = chosen[q];
    if (pinned.has(s)) continue;
    let alone = false;
    for (let p = offsets[s]; p < offsets[s + 1] && !alone; p++) {
      const i = demand[p];
      alone = state.count[i] === 1 && !problem.existingCovered[i] && problem.weight[i] > 0;
    }
    if (alone) continue;
    state.remove(s);
    prep.spacing?.remove(s);
    chosen.splice(q, 1);
  }
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
