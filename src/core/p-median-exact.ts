/**
 * p-median solved exactly as the MILP of ReVelle & Swain (1970), with HiGHS, over the same
 * distances as the heuristic (core/p-median.ts: pairs within maxDistanceM, farther ones
 * counting maxDistanceM, our existing sites always open):
 *
 *   min  Σ_i w_i·(Σ_j d_ij·z_ij + e_i·u_i)
 *   s.t. Σ_j z_ij + u_i = 1                 for every demand point i
 *        z_ij ≤ x_j                          for every stored pair
 *        Σ_j x_j ≤ k,  x_j = 1 for pinned j,  x ∈ {0,1},  z, u ≥ 0
 *
 * e_i is the (capped) distance to the nearest existing site: u_i = 1 sends i there. Only
 * pairs with d_ij < e_i enter (a farther candidate never serves i). The greedy + swap answer
 * is the MIP start, so a time-limited run is never worse than the heuristic.
 */
import { runMip, type Highs, type MipOptions, type MipStatus } from './highs-solver.ts';
import { pmedianDistances, preparePMedian, solvePMedian, type PMedianInput, type PMedianOptions, type PMedianResult } from './p-median.ts';

export interface PMedianExactResult extends PMedianResult {
  status: MipStatus;
  /** Σ w·d (capped) of the solution and HiGHS's proven lower bound on it. */
  objective: number;
  bound: number;
  gap: number;
  timeS: number;
}

export function solvePMedianExact(highs: Highs, input: PMedianInput, options: PMedianOptions & { timeLimitS?: number; onProgress?: MipOptions['onProgress']; maxPairs?: number }): PMedianExactResult {
  const k = options.k;
  const prepared = preparePMedian(input, options.signal);
  const heuristic = solvePMedian(input, { ...options, onProgress: undefined }, prepared);
  const { pairs, dExist, weight } = pmedianDistances(input, options.signal, prepared);
  // One column and one row per candidate–point pair: past a few million the model does not fit
  // a browser tab. Then the heuristic answers, and says so.
  const maxPairs = options.maxPairs ?? 2_000_000;
  if (pairs.demand.length > maxPairs) {
    return {
      ...heuristic, warnings: [...heuristic.warnings, { code: 'exact_too_large', params: { pairs: pairs.demand.length, maxPairs } }],
      status: 'error', objective: NaN, bound: NaN, gap: NaN, timeS: 0,
    };
  }
  const N = weight.length;
  const C = input.candidates.lon.length;
  const excluded = new Set(options.excluded ?? []);
  const allowed = (j: number) => !excluded.has(j) && (!options.allowed || options.allowed[j] || (options.pinned ?? []).includes(j));
  // Columns: x_j (C), u_i (N), then z per useful pair.
  const colCost: number[] = [];
  const colLower: number[] = [];
  const colUpper: number[] = [];
  const integrality: number[] = [];
  const pinned = new Set(options.pinned ?? []);
  for (let j = 0; j < C; j++) { colCost.push(0); colLower.push(pinned.has(j) ? 1 : 0); colUpper.push(allowed(j) ? 1 : 0); integrality.push(highs.constants.variableType.integer); }
  for (let i = 0; i < N; i++) { colCost.push(weight[i] * dExist[i]); colLower.push(0); colUpper.push(1); integrality.push(highs.constants.variableType.continuous); }
  const zCol: number[] = [], zI: number[] = [], zJ: number[] = [], zD: number[] = [];
  for (let j = 0; j < C; j++) {
    if (!allowed(j)) continue;
    for (let p = pairs.offsets[j]; p < pairs.offsets[j + 1]; p++) {
      const i = pairs.demand[p];
      const d = pairs.distanceM[p];
      if (!(d < dExist[i]) || !(weight[i] > 0)) continue;
      zCol.push(colCost.length); zI.push(i); zJ.push(j); zD.push(d);
      colCost.push(weight[i] * d); colLower.push(0); colUpper.push(1); integrality.push(highs.constants.variableType.continuous);
    }
  }
  const numCols = colCost.length;
  // Rows: assignment per point, linking per pair, Σx ≤ k.
  const byPoint: number[][] = Array.from({ length: N }, () => []);
  zCol.forEach((c, q) => byPoint[zI[q]].push(c));
  const starts: number[] = [0], indices: number[] = [], values: number[] = [], rowLower: number[] = [], rowUpper: number[] = [];
  const row = (cols: number[], vals: number[], lo: number, hi: number) => { indices.push(...cols); values.push(...vals); starts.push(indices.length); rowLower.push(lo); rowUpper.push(hi); };
  for (let i = 0; i < N; i++) row([C + i, ...byPoint[i]], [1, ...byPoint[i].map(() => 1)], 1, 1);
  zCol.forEach((c, q) => row([c, zJ[q]], [1, -1], -highs.infinity, 0));
  row(Array.from({ length: C }, (_, j) => j), new Array<number>(C).fill(1), -highs.infinity, k);
  const numRows = rowLower.length;

  // Start: the heuristic's sites, every point sent to its nearest open one.
  const start = new Float64Array(numCols);
  const open = new Set(heuristic.sites.map((s) => s.candidate));
  for (const j of open) start[j] = 1;
  for (let i = 0; i < N; i++) {
    let best = C + i, bestD = dExist[i];
    for (const c of byPoint[i]) {
      const q = c - (C + N);
      if (open.has(zJ[q]) && zD[q] < bestD) { bestD = zD[q]; best = c; }
    }
    start[best] = 1;
  }
  const outcome = runMip(highs, {
    numCols, numRows, sense: highs.constants.objectiveSense.minimize, offset: 0,
    colCost, colLower, colUpper, rowLower, rowUpper,
    matrix: { format: 'csr', numRows, numCols, starts, indices, values },
    integrality: Int32Array.from(integrality),
  }, { timeLimitS: options.timeLimitS, start, signal: options.signal, onProgress: options.onProgress });
  const chosen: number[] = [];
  if (outcome.colValue) for (let j = 0; j < C; j++) if (outcome.colValue[j] > 0.5) chosen.push(j);
  // Rank and report the chosen set the heuristic's way (pinning it whole).
  const answer = outcome.colValue ? solvePMedian(input, { k: chosen.length, pinned: chosen, localSearch: false }, prepared) : heuristic;
  const warnings = [...answer.warnings.filter((w) => w.code !== 'fewer_sites_than_k')];
  if (answer.sites.length < k) warnings.push({ code: 'fewer_sites_than_k', params: { chosen: answer.sites.length, k } });
  if (outcome.status !== 'optimal') warnings.push({ code: 'exact_not_optimal', params: { status: outcome.status, gap: outcome.gap } });
  return { ...answer, warnings, status: outcome.status, objective: outcome.objective, bound: outcome.bound, gap: outcome.gap, timeS: outcome.timeS };
}
