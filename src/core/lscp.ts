/**
 * Location Set Covering Problem (Toregas et al. 1971) in its partial form: the fewest new
 * sites such that existing ∪ new sites cover at least `targetShare` of total demand.
 *
 * Greedy: add the largest marginal gain until the target is met, then drop any non-pinned
 * site the target does not need (last added first). Exact: the MILP
 *   min Σ_j x_j   s.t.  Σ_g W_g·y_g ≥ target − existing coverage,  y_g ≤ Σ_{j covers g} x_j,
 *   spacing x_a + x_b ≤ 1, pinned x_j = 1, x binary, 0 ≤ y ≤ 1
 * solved with HiGHS, started from the greedy solution.
 */
import type { CoverageProblem, SiteProgress, SiteWarning } from './coverage.ts';
import { GainHeap } from './gain-heap.ts';
import { CoverageModel, groupDemand, runMip, type Highs, type MipOptions, type MipStatus } from './highs-solver.ts';
import { coveredDemandOf, prepareSelection, rankSites, type RankedSite, type SelectionConstraints } from './site-selection.ts';

export interface LscpOptions extends SelectionConstraints {
  /** Share of total demand to cover, in [0, 1] (e.g. 0.9). */
  targetShare: number;
  signal?: AbortSignal;
  onProgress?: (p: SiteProgress) => void;
}

export interface LscpResult {
  /** Chosen sites in DESIGN.md rank order. */
  sites: RankedSite[];
  /** Whether existing ∪ chosen sites reach the target. */
  feasible: boolean;
  targetDemand: number;
  totalDemand: number;
  existingCoveredDemand: number;
  coveredDemand: number;
  coveragePct: number;
  /** Coverage if every allowed candidate were opened (spacing ignored): the most any answer can reach. */
  maxCoverableDemand: number;
  warnings: SiteWarning[];
}

export interface LscpExactResult extends LscpResult {
  status: MipStatus;
  /** Proven lower bound on the number of new sites. */
  bound: number;
  gap: number;
  timeS: number;
}

function targetOf(problem: CoverageProblem, share: number): number {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`targetShare must be between 0 and 1, got ${share}`);
  // A hair below the exact product so that rounding in sums cannot make a met target look missed.
  return share * problem.totalDemand * (1 - 1e-12);
}

export function solveLscpGreedy(problem: CoverageProblem, options: LscpOptions): LscpResult {
  const target = targetOf(problem, options.targetShare);
  const prep = prepareSelection(problem.candidateLon, problem.candidateLat, options);
  const { offsets, demand } = problem.candidates;
  const w = problem.weight;
  const count = new Int32Array(w.length);
  let covered = problem.existingCoveredDemand;
  const gain = (j: number) => {
    let g = 0;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) { const i = demand[p]; if (!count[i] && !problem.existingCovered[i]) g += w[i]; }
    return g;
  };
  const add = (j: number, sign: 1 | -1) => {
    for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = demand[p];
      if (problem.existingCovered[i]) continue;
      if (sign > 0 && count[i]++ === 0) covered += w[i];
      if (sign < 0 && --count[i] === 0) covered -= w[i];
    }
  };
  const chosen: number[] = [];
  for (const j of prep.pinned) { chosen.push(j); add(j, 1); prep.spacing?.add(j); }
  const heap = new GainHeap(problem.candidates.numSites);
  const isChosen = new Uint8Array(problem.candidates.numSites);
  for (const j of chosen) isChosen[j] = 1;
  for (let j = 0; j < problem.candidates.numSites; j++) if (prep.allowed[j] && !isChosen[j]) { const g = gain(j); if (g > 0) heap.push(j, g); }
  while (covered < target && heap.size > 0) {
    options.signal?.throwIfAborted();
    const j = heap.pop();
    if (prep.spacing && !prep.spacing.canAdd(j)) continue;
    const g = gain(j);
    if (g <= 0) continue;
    if (!heap.beats(j, g)) { heap.push(j, g); continue; }
    chosen.push(j); add(j, 1); prep.spacing?.add(j);
    options.onProgress?.({ stage: 'greedy', done: covered, total: target });
  }
  // Greedy can overshoot: a later site may make an earlier one redundant.
  const pinnedSet = new Set(prep.pinned);
  for (let q = chosen.length - 1; q >= 0; q--) {
    const j = chosen[q];
    if (pinnedSet.has(j)) continue;
    add(j, -1);
    if (covered >= target) chosen.splice(q, 1);
    else add(j, 1);
  }
  return finish(problem, chosen, prep.pinned, target, prep.warnings, prep.allowed);
}

function finish(problem: CoverageProblem, chosen: number[], pinned: Int32Array, target: number, warnings: SiteWarning[], allowed: Uint8Array): LscpResult {
  const sites = rankSites(problem, chosen, pinned);
  const coveredDemand = coveredDemandOf(problem, chosen);
  const all: number[] = [];
  for (let j = 0; j < allowed.length; j++) if (allowed[j]) all.push(j);
  const maxCoverableDemand = coveredDemandOf(problem, all);
  const feasible = coveredDemand >= target;
  const out = [...warnings];
  if (!feasible) out.push({ code: 'target_unreachable', params: { maxCoverableDemand, targetDemand: target } });
  return {
    sites, feasible, targetDemand: target, totalDemand: problem.totalDemand, existingCoveredDemand: problem.existingCoveredDemand,
    coveredDemand, coveragePct: problem.totalDemand > 0 ? (100 * coveredDemand) / problem.totalDemand : NaN, maxCoverableDemand, warnings: out,
  };
}

export function solveLscpExact(highs: Highs, problem: CoverageProblem, options: LscpOptions & { timeLimitS?: number; onProgress?: MipOptions['onProgress'] }): LscpExactResult {
  const target = targetOf(problem, options.targetShare);
  const prep = prepareSelection(problem.candidateLon, problem.candidateLat, options);
  const greedy = solveLscpGreedy(problem, { ...options, onProgress: undefined });
  const need = target - problem.existingCoveredDemand;
  if (need <= 0 || greedy.maxCoverableDemand < target) {
    // Nothing to optimise: either existing + pinned sites already suffice, or no selection can reach the target.
    const base = need <= 0 ? finish(problem, [...prep.pinned], prep.pinned, target, prep.warnings, prep.allowed) : greedy;
    const status: MipStatus = base.feasible ? 'optimal' : 'infeasible';
    return { ...base, status, bound: base.feasible ? base.sites.length : NaN, gap: 0, timeS: 0 };
  }
  const groups = groupDemand(problem, prep.allowed);
  const nC = problem.candidates.numSites;
  const useful = new Uint8Array(nC);
  for (const j of groups.candidates) useful[j] = 1;
  for (const j of prep.pinned) useful[j] = 1;
  const m = new CoverageModel(highs, groups, useful, prep);
  m.addRow(Array.from({ length: groups.count }, (_, g) => m.nx + g), groups.weight, need, highs.infinity);
  m.colCost.fill(1, 0, m.nx);
  // Greedy can miss the target only through spacing; then HiGHS starts on its own.
  const start = greedy.feasible ? m.start(greedy.sites.map((s) => m.colOf[s.candidate])) : undefined;
  const outcome = runMip(highs, m.model('minimize'), { timeLimitS: options.timeLimitS, start, signal: options.signal, onProgress: options.onProgress });
  const chosen = m.chosen(outcome.colValue);
  const base = outcome.colValue ? finish(problem, chosen, prep.pinned, target, prep.warnings, prep.allowed) : greedy;
  if (outcome.status !== 'optimal') base.warnings.push({ code: 'exact_not_optimal', params: { status: outcome.status, gap: outcome.gap } });
  return { ...base, status: outcome.status, bound: outcome.bound, gap: outcome.gap, timeS: outcome.timeS };
}
