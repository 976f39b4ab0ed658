/**
 * MCLP solved exactly as the MILP of Church & ReVelle (1974), with HiGHS:
 *
 *   max  Σ_g W_g·y_g + (demand already covered by existing sites)
 *   s.t. y_g ≤ Σ_{j covers g} x_j        for every demand group g
 *        Σ_j x_j ≤ k
 *        x_a + x_b ≤ 1                  for new sites closer than the minimum spacing
 *        x_j = 1 for pinned j,  x ∈ {0,1},  0 ≤ y ≤ 1
 *
 * y needs no integrality: at an optimum with x integral, y_g = min(1, Σ x) is 0 or 1.
 * Only demand not covered by existing sites enters, grouped by identical candidate sets
 * (see groupDemand). The greedy + swap solution is the MIP start, so a time-limited run
 * is never worse than the heuristic.
 */
import type { CoverageProblem } from './coverage.ts';
import { CoverageModel, groupDemand, runMip, type DemandGroups, type Highs, type MipOptions, type MipStatus } from './highs-solver.ts';
import { mclpAnswer, solveMclpGreedy, type MclpOptions, type MclpResult } from './mclp.ts';
import { prepareSelection } from './site-selection.ts';

export interface MclpExactOptions extends Omit<MclpOptions, 'localSearch'> {
  /** Drop candidates dominated by another's coverage (default true; ignored with spacing). */
  dropDominated?: boolean;
  /** Wall-clock limit in seconds (default 60). */
  timeLimitS?: number;
  /** Seed HiGHS with the greedy + swap solution (default true). */
  warmStart?: boolean;
  onProgress?: MipOptions['onProgress'];
  highsOptions?: MipOptions['highsOptions'];
}

export interface MclpExactResult extends MclpResult {
  status: MipStatus;
  /** Covered demand of the solution (existing coverage included). */
  objective: number;
  /** Proven upper bound on covered demand. */
  bound: number;
  /** (bound − objective) / objective, HiGHS's definition; 0 when optimal. */
  gap: number;
  timeS: number;
  model: { columns: number; rows: number; demandGroups: number };
}

export function solveMclpExact(highs: Highs, problem: CoverageProblem, options: MclpExactOptions): MclpExactResult {
  const k = options.k;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`);
  const prep = prepareSelection(problem.candidateLon, problem.candidateLat, options);
  if (prep.pinned.length > k) throw new RangeError(`${prep.pinned.length} sites are pinned but k is ${k}; raise k or unpin sites`);
  const groups = groupDemand(problem, prep.allowed);
  const pinnedSet = new Set(prep.pinned);

  // Columns: candidates that cover some group (or are pinned), then one y per group.
  const nCand = problem.candidates.numSites;
  const useful = new Uint8Array(nCand);
  for (const j of groups.candidates) useful[j] = 1;
  // Without spacing rows, a candidate whose demand groups are a subset of another's is never
  // needed: swapping it for the larger one never loses. Dropping them shrinks the MILP a lot
  // where candidates are dense (every cell centre is one).
  const dominator = !prep.spacing && (options.dropDominated ?? true) ? dropDominated(groups, useful, pinnedSet) : null;
  for (const j of prep.pinned) useful[j] = 1;
  const m = new CoverageModel(highs, groups, useful, prep);
  const { colOf, nx, numCols } = m;
  m.addRow(Array.from({ length: nx }, (_, c) => c), new Float64Array(nx).fill(1), -highs.infinity, k);
  m.colCost.set(groups.weight, nx);

  let start: Float64Array | undefined;
  let greedyCoveredDemand = NaN;
  if (options.warmStart ?? true) {
    const heuristic = solveMclpGreedy(problem, { ...options, onProgress: undefined, localSearch: true });
    greedyCoveredDemand = heuristic.coveredDemand;
    start = m.start(heuristic.sites.map((s) => {
      // A dropped candidate is replaced by the one that dominates it: never worse.
      let c = s.candidate;
      while (colOf[c] < 0 && dominator && dominator[c] >= 0) c = dominator[c];
      return colOf[c];
    }));
  }

  // Nothing to decide (all demand covered or unreachable, nothing pinned): HiGHS rejects empty starts.
  const outcome = numCols === 0
    ? { status: 'optimal' as const, colValue: new Float64Array(0), objective: problem.existingCoveredDemand, bound: problem.existingCoveredDemand, gap: 0, timeS: 0 }
    : runMip(highs, m.model('maximize', problem.existingCoveredDemand), { timeLimitS: options.timeLimitS, start, signal: options.signal, onProgress: options.onProgress, highsOptions: options.highsOptions });

  // Stopped before the root LP, HiGHS has no bound yet; the sum of the k best single-site
  // gains over existing coverage (and total demand) is always one.
  const reach = new Array<number>(nx).fill(0);
  for (let g = 0; g < groups.count; g++) for (let p = groups.offsets[g]; p < groups.offsets[g + 1]; p++) {
    const c = colOf[groups.candidates[p]];
    if (c >= 0) reach[c] += groups.weight[g];
  }
  reach.sort((a, b) => b - a);
  const simpleBound = Math.min(problem.totalDemand, problem.existingCoveredDemand + reach.slice(0, k).reduce((t, x) => t + x, 0));
  const bound = Math.min(outcome.bound, simpleBound);
  const gap = outcome.status === 'optimal' ? 0 : outcome.objective > 0 ? Math.max(0, bound - outcome.objective) / outcome.objective : NaN;

  const chosen = m.chosen(outcome.colValue);
  // The MILP is indifferent to sites that add nothing: the answer leaves them out.
  const answer = mclpAnswer(problem, chosen, prep.pinned);
  const warnings = [...prep.warnings];
  if (outcome.status !== 'optimal') warnings.push({ code: 'exact_not_optimal', params: { status: outcome.status, gap } });
  if (outcome.colValue && chosen.length < k) warnings.push({ code: 'fewer_sites_than_k', params: { chosen: chosen.length, k } });
  return {
    ...answer,
    greedyCoveredDemand,
    upperBound: outcome.status === 'optimal' ? outcome.objective : bound,
    swaps: 0,
    warnings,
    status: outcome.status,
    objective: outcome.objective,
    bound: outcome.status === 'optimal' ? outcome.objective : bound,
    gap,
    timeS: outcome.timeS,
    model: { columns: numCols, rows: m.numRows, demandGroups: groups.count },
  };
}

/** Clears useful[a] when candidate a's groups ⊆ candidate b's (equal sets: the higher index goes). */
function dropDominated(groups: DemandGroups, useful: Uint8Array, pinned: Set<number>): Int32Array {
  const n = useful.length;
  const dominator = new Int32Array(n).fill(-1);
  const sets: number[][] = Array.from({ length: n }, () => []);
  for (let g = 0; g < groups.count; g++) for (let p = groups.offsets[g]; p < groups.offsets[g + 1]; p++) sets[groups.candidates[p]].push(g);
  const mark = new Int32Array(groups.count).fill(-1);
  for (let a = 0; a < n; a++) {
    if (!useful[a] || pinned.has(a) || sets[a].length === 0) continue;
    for (const g of sets[a]) mark[g] = a;
    // Any dominating b covers a's first group, so look only there.
    const g0 = sets[a][0];
    for (let p = groups.offsets[g0]; p < groups.offsets[g0 + 1]; p++) {
      const b = groups.candidates[p];
      if (b === a || !useful[b] || sets[b].length < sets[a].length) continue;
      if (sets[b].length === sets[a].length && b > a) continue;
      let inside = 0;
      for (const g of sets[b]) if (mark[g] === a) inside++;
      if (inside === sets[a].length) { useful[a] = 0; dominator[a] = b; break; }
    }
  }
  return dominator;
}
