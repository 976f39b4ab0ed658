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
import { lagrangianMclp } from './mclp-lagrangian.ts';
import { prepareSelection, rankAddingSites, type PreparedSelection, type RankedSite, type SelectionConstraints } from './site-selection.ts';

export interface MclpOptions extends SelectionConstraints {
  /** Number of new sites, pinned ones included. */
  k: number;
  /** Run the 1-swap local search after greedy (default true). */
  localSearch?: boolean;
  /**
   * Extra greedy + swap runs, each forced to start from one of the best single sites the
   * current answer leaves out; the best run wins (default 16; 0 = one run).
   */
  restarts?: number;
  /**
   * Improvement phases stop once they have visited this many candidate–demand pairs in all
   * (default: 20 passes over the coverage sets, at least 4e6 and at most 6e7 pairs): a
   * deterministic cap proportional to the instance, so large instances stay fast, small ones
   * get many restarts, and results never depend on machine speed.
   */
  maxWork?: number;
  /** Iterated local search after the restarts: drop one site, re-converge without it (default true). */
  kicks?: boolean;
  /** Lagrangian bound and starts after the restarts (default true). */
  lagrangian?: boolean;
  /** Subgradient iterations of the Lagrangian relaxation (default: what 40 % of maxWork pays for, 10 to 200). */
  lagrangianIterations?: number;
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
  /**
   * Proven upper bound on covered demand from the Lagrangian relaxation (NaN when not
   * computed): the answer is within (upperBound − coveredDemand) of the optimum. It ignores
   * minimum spacing, so with spacing it is looser.
   */
  upperBound: number;
  swaps: number;
  warnings: SiteWarning[];
}

/** Greedy + 1-swap MCLP, then restarts and kicks (see the options) within a work budget. */
export function solveMclpGreedy(problem: CoverageProblem, options: MclpOptions): MclpResult {
  const k = options.k;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`);
  const prep = prepareSelection(problem.candidateLon, problem.candidateLat, options);
  if (prep.pinned.length > k) throw new RangeError(`${prep.pinned.length} sites are pinned but k is ${k}; raise k or unpin sites`);
  const localSearch = options.localSearch ?? true;
  const reach = reachOf(problem);
  const scratch = new Scratch(problem, reach, prep.allowed);
  const runFrom = (start: readonly number[], tabu: readonly number[], ls: boolean) => runOnce(problem, reach, prep, k, start, tabu, ls, options, scratch);
  const first = runFrom(Array.from(prep.pinned), [], localSearch);
  let best = first;
  const nnz = Math.max(1, problem.candidates.demand.length);
  const maxWork = options.maxWork ?? Math.min(6e7, Math.max(4e6, 20 * nnz));
  let work = first.work;
  const tol = 1e-10 * problem.totalDemand;
  const free = () => best.chosen.length - prep.pinned.length;
  let upperBound = NaN;
  if (localSearch && free() > 0) {
    // Phase 1, restarts: 1-swap optima can trap greedy's first choice. Restart from the
    // strongest single sites the current best leaves out.
    const restarts = options.restarts ?? 16;
    const state = new CoverState(problem);
    for (const j of prep.pinned) state.add(j);
    const inBest = new Set(first.chosen);
    const heap = new GainHeap(problem.candidates.numSites);
    for (let j = 0; j < problem.candidates.numSites; j++) {
      if (!prep.allowed[j] || inBest.has(j) || !(reach[j] > 0)) continue;
      const g = prep.pinned.length ? state.gain(j) : reach[j];
      if (g > 0) heap.push(j, g);
    }
    // Budget shares: restarts up to 30 %, the relaxation 40 %, kicks the rest.
    for (let r = 0; r < restarts && heap.size > 0 && work < 0.3 * maxWork; r++) {
      options.signal?.throwIfAborted();
      const run = runFrom([...prep.pinned, heap.pop()], [], true);
      work += run.work;
      if (run.covered > best.covered + tol) best = run;
    }
    // Phase 2, Lagrangian relaxation: a proven upper bound, and its best top-k sets as starts.
    if (options.lagrangian ?? true) {
      const iterations = options.lagrangianIterations ?? Math.min(200, Math.max(10, Math.floor((0.4 * maxWork) / nnz)));
      const lag = lagrangianMclp(problem, prep, k, best.covered, { signal: options.signal, maxIterations: iterations });
      work += lag.work;
      upperBound = Math.max(lag.bound, best.covered);
      for (const start of lag.starts) {
        if (work >= maxWork || upperBound - best.covered <= tol) break;
        const run = runFrom(start, [], true);
        work += run.work;
        if (run.covered > best.covered + tol) best = run;
      }
    }
    // Phase 3, kicks (iterated local search): drop one chosen site, forbid it while the
    // rest re-converge, then allow it again. This moves pairs and chains of sites that no
    // single swap improves — what large k needs. Repeats until a full round finds nothing.
    const kicks = options.kicks ?? true;
    let improved = kicks;
    while (improved && work < maxWork && !(upperBound - best.covered <= tol)) {
      improved = false;
      const pinned = new Set(prep.pinned);
      for (const s of [...best.chosen]) {
        if (pinned.has(s) || work >= maxWork) continue;
        options.signal?.throwIfAborted();
        const start = best.chosen.filter((j) => j !== s);
        const run = runFrom(start, [s], true);
        work += run.work;
        if (run.covered > best.covered + tol) {
          best = run;
          improved = true;
          break;
        }
      }
    }
  }
  // Sites that add nothing given the others (only possible when no candidate adds anything) are dropped.
  const answer = mclpAnswer(problem, best.chosen, prep.pinned);
  const warnings = [...prep.warnings];
  if (answer.sites.length < k) warnings.push({ code: 'fewer_sites_than_k', params: { chosen: answer.sites.length, k } });
  if (problem.totalDemand === 0) warnings.push({ code: 'no_demand' });
  return {
    ...answer,
    greedyCoveredDemand: first.greedyCovered,
    upperBound: Number.isNaN(upperBound) ? NaN : Math.max(upperBound, answer.coveredDemand),
    swaps: best.swaps,
    warnings,
  };
}

/** What every MCLP solver reports for a chosen set, whatever found it. */
export type MclpAnswer = Pick<MclpResult, 'sites' | 'totalDemand' | 'existingCoveredDemand' | 'coveredDemand' | 'coveragePct'>;

/**
 * The chosen sites in rank order without those that add no demand (pinned ones stay), and the
 * coverage they reach with the existing sites: the shared part of the greedy and exact results.
 */
export function mclpAnswer(problem: CoverageProblem, chosen: ArrayLike<number>, pinned: ArrayLike<number>): MclpAnswer {
  const sites = rankAddingSites(problem, chosen, pinned);
  const coveredDemand = sites.length ? sites[sites.length - 1].coveredDemand : problem.existingCoveredDemand;
  return {
    sites,
    totalDemand: problem.totalDemand,
    existingCoveredDemand: problem.existingCoveredDemand,
    coveredDemand,
    coveragePct: problem.totalDemand > 0 ? (100 * coveredDemand) / problem.totalDemand : NaN,
  };
}

interface Run { chosen: number[]; covered: number; greedyCovered: number; swaps: number; work: number }

/**
 * Lazy greedy from `start` (pinned sites first) up to k, then 1-swap local search. With
 * tabu ≥ 0 that candidate is forbidden for greedy and a first local search, then allowed
 * again for a second one.
 */
function runOnce(problem: CoverageProblem, reach: Float64Array, prep: PreparedSelection, k: number, start: readonly number[], tabu: readonly number[], localSearch: boolean, options: MclpOptions, scratch: Scratch): Run {
  prep.spacing?.reset();
  const state = scratch.state;
  state.reset();
  const wasAllowed = tabu.map((j) => prep.allowed[j]);
  const restore = () => tabu.forEach((j, q) => (prep.allowed[j] = wasAllowed[q]));
  for (const j of tabu) prep.allowed[j] = 0;
  const chosen = greedy(problem, state, scratch, prep, k, start, options);
  const greedyCovered = state.covered;
  let swaps = 0;
  const nnz = problem.candidates.demand.length;
  // Greedy reads only the sets whose gain it re-evaluates (initial keys are the cached reaches).
  let work = state.visited;
  if (localSearch && chosen.length > prep.pinned.length) {
    swaps = swapSearch(problem, state, reach, prep, chosen, options, scratch.posOf);
    // Each pass reads every candidate's set at most once.
    work += (swaps + 1) * nnz;
    if (tabu.length) {
      restore();
      const more = swapSearch(problem, state, reach, prep, chosen, options, scratch.posOf);
      swaps += more;
      work += (more + 1) * nnz;
    }
    pruneRedundant(problem, state, prep, chosen);
  }
  restore();
  return { chosen, covered: state.covered, greedyCovered, swaps, work };
}

/**
 * Buffers every run of one solve reuses (tens of runs; fresh arrays each time were most of
 * what the solver allocated): the cover state, the candidates by reach as a ready heap, the
 * chosen mask and positions.
 */
class Scratch {
  readonly state: CoverState;
  /** Allowed candidates that reach anything, keyed by reach: each greedy starts from a copy. */
  readonly base: GainHeap;
  readonly heap: GainHeap;
  readonly isChosen: Uint8Array;
  /** −1, or the position of a chosen candidate while swapSearch runs (reset when it returns). */
  readonly posOf: Int32Array;
  constructor(problem: CoverageProblem, reach: Float64Array, allowed: Uint8Array) {
    const n = problem.candidates.numSites;
    this.state = new CoverState(problem);
    this.base = new GainHeap(n);
    for (let j = 0; j < n; j++) if (allowed[j] && reach[j] > 0) this.base.push(j, reach[j]);
    this.heap = new GainHeap(n);
    this.isChosen = new Uint8Array(n);
    this.posOf = new Int32Array(n).fill(-1);
  }
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
  /** Candidate–demand pairs read by gain(): the work budget's unit. */
  visited = 0;
  constructor(private readonly problem: CoverageProblem) {
    this.count = new Int32Array(problem.weight.length);
    this.idSum = new Float64Array(problem.weight.length);
    this.covered = problem.existingCoveredDemand;
  }
  reset(): void {
    this.count.fill(0);
    this.idSum.fill(0);
    this.covered = this.problem.existingCoveredDemand;
    this.visited = 0;
  }
  gain(j: number): number {
    const { offsets, demand } = this.problem.candidates;
    const { weight, existingCovered } = this.problem;
    let g = 0;
    const p1 = offsets[j + 1];
    this.visited += p1 - offsets[j];
    for (let p = offsets[j]; p < p1; p++) {
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

/** Lazy greedy after the `start` sites (pinned ones first; others skipped if spacing forbids them). */
function greedy(problem: CoverageProblem, state: CoverState, scratch: Scratch, prep: PreparedSelection, k: number, start: readonly number[], options: MclpOptions): number[] {
  const chosen: number[] = [];
  const isChosen = scratch.isChosen;
  isChosen.fill(0);
  const pinned = new Set(prep.pinned);
  for (const j of start) {
    if (chosen.length >= k || isChosen[j] || (!pinned.has(j) && prep.spacing && !prep.spacing.canAdd(j))) continue;
    chosen.push(j);
    isChosen[j] = 1;
    state.add(j);
    prep.spacing?.add(j);
  }
  // A candidate's reach (its demand no existing site covers) bounds its gain from above, and
  // equals it while nothing is chosen: lazy evaluation re-checks what the start sites took.
  // The heap holds every candidate allowed at the start of the solve; those chosen above or
  // barred for this run (tabu) are skipped as they come up.
  const heap = scratch.heap;
  heap.copyFrom(scratch.base);
  let reported = -1;
  while (chosen.length < k && heap.size > 0) {
    if (chosen.length !== reported) {
      reported = chosen.length;
      options.signal?.throwIfAborted();
      options.onProgress?.({ stage: 'greedy', done: chosen.length, total: k });
    }
    const j = heap.pop();
    if (isChosen[j] || !prep.allowed[j]) continue;
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

/** Upper bound on what each candidate could ever add: the demand it covers that no existing site does. */
function reachOf(problem: CoverageProblem): Float64Array {
  const { offsets, demand, numSites } = problem.candidates;
  const { weight, existingCovered } = problem;
  const reach = new Float64Array(numSites);
  for (let j = 0; j < numSites; j++) {
    let t = 0;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) if (!existingCovered[demand[p]]) t += weight[demand[p]];
    reach[j] = t;
  }
  return reach;
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
function swapSearch(problem: CoverageProblem, state: CoverState, reach: Float64Array, prep: PreparedSelection, chosen: number[], options: MclpOptions, posOf: Int32Array): number {
  const { offsets, demand } = problem.candidates;
  const { weight, existingCovered } = problem;
  const n = problem.candidates.numSites;
  const m = chosen.length;
  chosen.forEach((j, q) => (posOf[j] = q));
  const locked = new Uint8Array(m);
  const pinnedSet = new Set(prep.pinned);
  chosen.forEach((j, q) => (locked[q] = pinnedSet.has(j) ? 1 : 0));
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
    if (bestC < 0) {
      for (const j of chosen) posOf[j] = -1;
      return swaps;
    }
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
