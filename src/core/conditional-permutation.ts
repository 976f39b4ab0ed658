/**
 * Conditional permutation inference for local statistics (Anselin 1995, "Local Indicators
 * of Spatial Association — LISA", § 4; the scheme of PySAL esda's `crand`).
 *
 * For each cell i, x_i is held fixed and its k_i neighbours (i itself excluded) are replaced
 * by k_i values drawn at random *without replacement* from the other n − 1 cells. Both local
 * statistics of this project are monotone functions of the drawn sum Σ once i is fixed
 * (Gi*: affine in x_i + Σ; Local Moran: (z_i / m2) · Σ / k_i), so the engine only compares
 * sums, never recomputes statistics.
 *
 * Two-sided count (the default): M_i = #{ permutations with |Σ_perm − E_i| ≥ |Σ_obs − E_i| },
 * where E_i = k_i · (T − x_i) / (n − 1) is the exact expectation of Σ under the conditional
 * null (T = Σ x). Centring on the *conditional* expectation keeps the test symmetric around
 * what the permutations actually produce. Pseudo p = (M + 1) / (P + 1), comparable with the
 * two-sided analytical p = 2·(1 − Φ(|z|)).
 *
 * `folded` reproduces PySAL esda: L = #{Σ_perm ≥ Σ_obs}; if P − L < L then M = P − L else
 * M = L. That counts only the tail on the observed side, so it is ≈ half the two-sided value
 * for strong clusters (it is a one-sided p in the observed direction).
 *
 * Ties count as "at least as extreme", with a tolerance of 1e-9 relative to the scale of the
 * sums, so integer counts summed in another order are still recognised as equal.
 *
 * Draws: one mulberry32 stream seeded once, cells in index order, partial Fisher–Yates on a
 * pool of all n cells in which i itself is skipped (exact sampling without replacement from
 * the other n − 1, O(k_i) per permutation). The
 * results depend on the seed only, not on how often the caller is given the event loop.
 */
import { mulberry32 } from './rng.ts';
import type { Neighbours } from './grid.ts';

export type PermutationAlternative = 'two-sided' | 'folded';

export interface PermutationOptions {
  /** Number of permutations P; defaults to 999. */
  permutations?: number;
  /** Seed of the random stream; defaults to 1. */
  seed?: number;
  /** Defaults to `'two-sided'` (see the module comment). */
  alternative?: PermutationAlternative;
  /** Cancels the run: the returned promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called with (cells done, cells total) each time the run yields, and once at the end. */
  onProgress?: (done: number, total: number) => void;
  /** Work between two yields to the event loop (when abort messages can arrive), in milliseconds; defaults to 50. */
  yieldEveryMs?: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Pseudo p-values from conditional permutations of neighbour sums. `skip[i]` (optional)
 * marks cells whose p is decided by the caller (left NaN here). A cell without neighbours
 * other than itself gets NaN: there is nothing to permute.
 */
export async function conditionalPermutationP(
  values: ArrayLike<number>,
  nb: Neighbours,
  options?: PermutationOptions & { skip?: Uint8Array },
): Promise<Float64Array> {
  const n = values.length;
  if (nb.offsets.length !== n + 1) {
    throw new RangeError(`neighbour lists cover ${nb.offsets.length - 1} cells but there are ${n} values`);
  }
  const P = options?.permutations ?? 999;
  if (!Number.isInteger(P) || P < 1) throw new RangeError(`permutations must be a whole number ≥ 1, got ${P}`);
  const folded = (options?.alternative ?? 'two-sided') === 'folded';
  const rng = mulberry32(options?.seed ?? 1);
  const signal = options?.signal;
  const onProgress = options?.onProgress;
  const yieldMs = options?.yieldEveryMs ?? 50;
  const skip = options?.skip;
  signal?.throwIfAborted();

  const x = Float64Array.from(values);
  let total = 0;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    total += x[i];
    maxAbs = Math.max(maxAbs, Math.abs(x[i]));
  }
  const { offsets, indices } = nb;
  const pSim = new Float64Array(n).fill(NaN);
  // Partial Fisher–Yates over all n cells; drawing i itself is skipped, which leaves a
  // uniform sample of the others without tracking where i sits in the pool.
  const pool = new Int32Array(n);
  for (let c = 0; c < n; c++) pool[c] = c;
  const m = n - 1;

  let lastYield = performance.now();
  for (let i = 0; i < n; i++) {
    if (!skip || skip[i] === 0) {
      let k = 0;
      let obs = 0;
      for (let t = offsets[i]; t < offsets[i + 1]; t++) {
        const j = indices[t];
        if (j !== i) {
          k++;
          obs += x[j];
        }
      }
      if (k > 0 && m > 0) {
        const kk = Math.min(k, m);
        const expected = (kk * (total - x[i])) / m;
        const tol = 1e-9 * (kk * maxAbs + Math.abs(expected) + 1e-300);
        const obsDev = Math.abs(obs - expected) - tol;
        let count = 0;
        for (let p = 0; p < P; p++) {
          let s = 0;
          for (let t = 0, drawn = 0; drawn < kk; t++) {
            const r = t + Math.floor(rng() * (n - t));
            const b = pool[r];
            pool[r] = pool[t];
            pool[t] = b;
            if (b !== i) {
              s += x[b];
              drawn++;
            }
          }
          if (folded) {
            if (s >= obs - tol) count++;
          } else if (Math.abs(s - expected) >= obsDev) count++;
        }
        if (folded && P - count < count) count = P - count;
        pSim[i] = (count + 1) / (P + 1);
      }
    }
    if (performance.now() - lastYield >= yieldMs) {
      onProgress?.(i + 1, n);
      await yieldToEventLoop();
      signal?.throwIfAborted();
      lastYield = performance.now();
    }
  }
  onProgress?.(n, n);
  return pSim;
}
