/**
 * Uncertainty of the risk ranking (OECD/JRC Handbook on Constructing Composite Indicators,
 * 2008, §7 "Uncertainty and sensitivity analysis"): a seeded Monte Carlo that redraws the
 * weights and the normalisation method and records every area's rank in each draw.
 *
 * Per draw:
 * 1. method ~ uniform over `methods` (default minmax, zscore, rank);
 * 2. weights ~ Dirichlet(α) with α_k = c·w_k/Σw (c = `concentration`, default 50), drawn as
 *    independent Gamma(α_k, 1) variates scaled to unit sum. E[w'_k] = w_k/Σw and
 *    Var = w̄_k(1 − w̄_k)/(c + 1): a larger c keeps draws closer to the chosen weights.
 *    Indicators of weight 0 stay at 0 (Dirichlet needs α > 0);
 * 3. the index exactly as `scoreRisk` computes it (directions fixed, the insufficient-data
 *    rule applied with the drawn weights), then competition ranks, 1 = highest.
 * An area without an index in a draw has no rank in that draw; its quantiles use the draws
 * where it has one (`validDraws`).
 *
 * Quantiles are R's type 7 (linear interpolation between order statistics, numpy's default).
 * Random numbers: one mulberry32 stream from `seed`, consumed in a fixed order (method, then
 * one Gamma per positive weight, in indicator order), so the same seed, inputs and options
 * give identical output.
 */
import type { Normalization } from './normalize.ts';
import { mulberry32, randGamma, randInt, type Rng } from './rng.ts';
import { orientScores, rankDescending, scoreRisk, weightedIndex, type PreparedRisk, type ScoreParams } from './risk-index.ts';

export interface UncertaintyOptions {
  /** Number of draws; default 1000. */
  draws?: number;
  /** 32-bit seed; default 1. */
  seed?: number;
  /** Dirichlet concentration c; default 50. */
  concentration?: number;
  /** Methods drawn uniformly; default all three. */
  methods?: readonly Normalization[];
  /** Called every `progressEvery` draws and at the end with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Default 100. Also how often the loop yields to the event loop so an abort can arrive. */
  progressEvery?: number;
  signal?: AbortSignal;
}

export interface UncertaintyResult {
  areaIds: string[];
  draws: number;
  seed: number;
  concentration: number;
  methods: Normalization[];
  /** Rank with the chosen weights and method (as `scoreRisk`); NaN = no index. */
  baseRank: Float64Array;
  /** Per area, over draws where the area has an index; NaN if none. */
  medianRank: Float64Array;
  p5Rank: Float64Array;
  p95Rank: Float64Array;
  meanRank: Float64Array;
  /** Draws in which the area had an index. */
  validDraws: Int32Array;
  /** How many draws used each method. */
  methodCounts: Record<string, number>;
}

/** R type-7 quantile of the sorted values `x[0..m)`. */
export function quantileSorted(x: ArrayLike<number>, m: number, p: number): number {
  if (m === 0) return NaN;
  const h = (m - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, m - 1);
  return x[lo] + (h - lo) * (x[hi] - x[lo]);
}

/**
 * One Dirichlet(α) draw into `out` (Gamma(α_k, 1) variates scaled to unit sum); α_k = 0 gives
 * 0. Returns false (and leaves `out` unscaled) if every variate underflowed to 0.
 */
export function drawDirichlet(rng: Rng, alpha: ArrayLike<number>, out: Float64Array): boolean {
  let g = 0;
  for (let k = 0; k < alpha.length; k++) {
    out[k] = alpha[k] > 0 ? randGamma(rng, alpha[k]) : 0;
    g += out[k];
  }
  if (!(g > 0)) return false;
  for (let k = 0; k < alpha.length; k++) out[k] /= g;
  return true;
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Run the Monte Carlo on prepared scores (`prepareRisk`) with the chosen config. Rejects with
 * the signal's reason (an AbortError) when aborted.
 */
export async function riskUncertainty(prepared: PreparedRisk, params: ScoreParams, opts: UncertaintyOptions = {}): Promise<UncertaintyResult> {
  const draws = opts.draws ?? 1000;
  const seed = opts.seed ?? 1;
  const c = opts.concentration ?? 50;
  const methods = [...(opts.methods ?? (['minmax', 'zscore', 'rank'] as const))];
  const every = Math.max(1, opts.progressEvery ?? 100);
  if (!(c > 0)) throw new RangeError(`concentration must be > 0; got ${c}`);
  if (methods.length === 0) throw new RangeError('methods must not be empty');
  opts.signal?.throwIfAborted();

  const base = scoreRisk(prepared, params);
  const n = prepared.areaIds.length;
  const K = params.indicators.length;
  const w0 = params.indicators.map((s) => s.weight);
  const total = w0.reduce((s, w) => s + w, 0);
  const alpha = w0.map((w) => (total > 0 ? (c * w) / total : 0));
  const oriented = Object.fromEntries(methods.map((m) => [m, orientScores(prepared.scores[m], params.indicators)])) as Record<Normalization, Float64Array[]>;

  const rng = mulberry32(seed);
  const ranks = new Float64Array(draws * n);
  const w = new Float64Array(K);
  const index = new Float64Array(n);
  const coverage = new Float64Array(n);
  const rank = new Float64Array(n);
  const order = new Int32Array(n);
  const methodCounts: Record<string, number> = Object.fromEntries(methods.map((m) => [m, 0]));
  for (let d = 0; d < draws; d++) {
    const method = methods[randInt(rng, methods.length)];
    methodCounts[method]++;
    // Gamma draws underflow to 0 only for tiny α; fall back to the chosen weights then.
    if (!drawDirichlet(rng, alpha, w)) for (let k = 0; k < K; k++) w[k] = w0[k];
    weightedIndex(oriented[method], w, index, coverage);
    rankDescending(index, rank, order);
    ranks.set(rank, d * n);
    if ((d + 1) % every === 0 || d + 1 === draws) {
      opts.onProgress?.(d + 1, draws);
      if (d + 1 < draws && (opts.signal || opts.onProgress)) {
        await tick();
        opts.signal?.throwIfAborted();
      }
    }
  }

  const medianRank = new Float64Array(n);
  const p5Rank = new Float64Array(n);
  const p95Rank = new Float64Array(n);
  const meanRank = new Float64Array(n);
  const validDraws = new Int32Array(n);
  const buf = new Float64Array(draws);
  for (let i = 0; i < n; i++) {
    let m = 0;
    let sum = 0;
    for (let d = 0; d < draws; d++) {
      const r = ranks[d * n + i];
      if (r === r) {
        buf[m++] = r;
        sum += r;
      }
    }
    const sorted = buf.subarray(0, m).sort();
    validDraws[i] = m;
    meanRank[i] = m ? sum / m : NaN;
    medianRank[i] = quantileSorted(sorted, m, 0.5);
    p5Rank[i] = quantileSorted(sorted, m, 0.05);
    p95Rank[i] = quantileSorted(sorted, m, 0.95);
  }
  return { areaIds: prepared.areaIds, draws, seed, concentration: c, methods, baseRank: base.rank, medianRank, p5Rank, p95Rank, meanRank, validDraws, methodCounts };
}
