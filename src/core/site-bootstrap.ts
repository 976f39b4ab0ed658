/**
 * Robustness of a recommendation by the nonparametric bootstrap (Efron 1979): resample the
 * demand, re-solve the MCLP (greedy + swap, same constraints), and count how often each
 * recommended site is chosen again. A site chosen in 95 % of replicates does not hinge on
 * a few customers; one chosen in 30 % is a coin toss between neighbouring candidates.
 *
 * Resampling: with `customers` (each customer's demand-point index), n customers are drawn
 * with replacement and their weights summed per point — exactly the customer bootstrap.
 * Without it, the demand weights are treated as counts: `draws` points (default the total
 * weight rounded) are drawn from the multinomial with p_i ∝ weight_i, by Walker's alias
 * method (O(1) per draw). Weights are rescaled to the original total, which leaves the
 * argmax unchanged and keeps the replicates' coverage numbers comparable.
 */
import { withWeights, type CoverageProblem, type SiteProgress } from './coverage.ts';
import { solveMclpGreedy, type MclpOptions, type MclpResult } from './mclp.ts';
import { mulberry32, type Rng } from './rng.ts';

export interface SiteBootstrapOptions extends MclpOptions {
  /** Number of bootstrap replicates; default 100. */
  replicates?: number;
  /** Seed of the resampling; default 1. */
  seed?: number;
  /** Customer-level resampling: demand-point index per customer (−1 = outside, ignored) and optional weight per customer. */
  customers?: { point: Int32Array; weight?: ArrayLike<number> };
  /** Multinomial draws per replicate when resampling weights; default round(total weight). */
  draws?: number;
  /** The solution on the original demand, if already computed. */
  baseline?: MclpResult;
  /**
   * Solver settings for the replicates, over the baseline's. Default: greedy + swap with 4
   * restarts, no Lagrangian bound or kicks — a replicate needs a good answer, not a proof,
   * and 100 of them must stay interactive.
   */
  replicateSolver?: Partial<MclpOptions>;
}

export interface SiteBootstrapResult {
  baseline: MclpResult;
  /** Percent of replicates choosing each baseline site, aligned with baseline.sites. */
  robustnessPct: Float64Array;
  /** Per candidate: share of replicates (0..1) that chose it. */
  frequency: Float64Array;
  replicates: number;
}

export function bootstrapSites(problem: CoverageProblem, options: SiteBootstrapOptions): SiteBootstrapResult {
  const B = options.replicates ?? 100;
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`replicates must be a whole number ≥ 1, got ${B}`);
  const rng = mulberry32(options.seed ?? 1);
  const solveOpts: MclpOptions = { ...options, onProgress: undefined };
  const baseline = options.baseline ?? solveMclpGreedy(problem, solveOpts);
  const replicateOpts: MclpOptions = { ...solveOpts, restarts: 4, lagrangian: false, kicks: false, ...options.replicateSolver };
  const resample = options.customers ? customerResampler(problem, options.customers, rng) : weightResampler(problem, options.draws, rng);
  const counts = new Int32Array(problem.candidates.numSites);
  for (let b = 0; b < B; b++) {
    options.signal?.throwIfAborted();
    options.onProgress?.({ stage: 'bootstrap', done: b, total: B });
    const r = solveMclpGreedy(withWeights(problem, resample()), replicateOpts);
    for (const s of r.sites) counts[s.candidate]++;
  }
  options.onProgress?.({ stage: 'bootstrap', done: B, total: B } satisfies SiteProgress);
  return {
    baseline,
    robustnessPct: Float64Array.from(baseline.sites, (s) => (100 * counts[s.candidate]) / B),
    frequency: Float64Array.from(counts, (c) => c / B),
    replicates: B,
  };
}

function customerResampler(problem: CoverageProblem, customers: { point: Int32Array; weight?: ArrayLike<number> }, rng: Rng): () => Float64Array {
  const n = customers.point.length;
  const N = problem.weight.length;
  if (customers.weight && customers.weight.length !== n) throw new RangeError(`${n} customers but ${customers.weight.length} weights`);
  for (let c = 0; c < n; c++) if (customers.point[c] >= N) throw new RangeError(`customer ${c} refers to demand point ${customers.point[c]}, but there are ${N}`);
  return () => {
    const w = new Float64Array(N);
    for (let d = 0; d < n; d++) {
      const c = Math.floor(rng() * n);
      const i = customers.point[c];
      if (i >= 0) w[i] += customers.weight ? customers.weight[c] : 1;
    }
    return w;
  };
}

function weightResampler(problem: CoverageProblem, drawsOpt: number | undefined, rng: Rng): () => Float64Array {
  const N = problem.weight.length;
  const total = problem.totalDemand;
  const draws = drawsOpt ?? Math.round(total);
  if (!Number.isInteger(draws) || draws < 1) throw new RangeError(`draws must be a whole number ≥ 1, got ${draws} (total demand ${total})`);
  // Walker / Vose alias table.
  const prob = new Float64Array(N);
  const alias = new Int32Array(N);
  const small: number[] = [], large: number[] = [];
  for (let i = 0; i < N; i++) {
    prob[i] = total > 0 ? (problem.weight[i] * N) / total : 1;
    (prob[i] < 1 ? small : large).push(i);
  }
  while (small.length && large.length) {
    const s = small.pop()!, l = large.pop()!;
    alias[s] = l;
    prob[l] = prob[l] + prob[s] - 1;
    (prob[l] < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) { prob[i] = 1; alias[i] = i; }
  const scale = total / draws;
  return () => {
    const w = new Float64Array(N);
    for (let d = 0; d < draws; d++) {
      const i = Math.floor(rng() * N);
      w[rng() < prob[i] ? i : alias[i]] += scale;
    }
    return w;
  };
}
