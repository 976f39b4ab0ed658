/**
 * Getis-Ord Gi* local statistic (Ord & Getis 1995, "Local Spatial Autocorrelation
 * Statistics: Distributional Issues and an Application", Geographical Analysis 27(4),
 * eq. 14 with binary weights) exactly as DESIGN.md § Demand hotspots:
 *
 *     z_i = (Σ_{j∈N_i} x_j − X̄·W_i) / (S · sqrt((n·W_i − W_i²) / (n − 1)))
 *
 * N_i includes i, W_i = |N_i|, X̄ = Σx/n, S = sqrt(Σx²/n − X̄²) (population variance, taken
 * here in the two-pass form Σ(x − X̄)²/n, as R does, so large equal values do not cancel).
 * Same numbers as R `spdep::localG(x, nb2listw(include.self(nb), style = "B"))`; checked
 * against it in getis-ord.test.ts on a committed fixture (test/reference/gistar.R).
 */
import { twoSidedP } from './normal.ts';
import type { Neighbours } from './grid.ts';
import { conditionalPermutationP, type PermutationOptions } from './conditional-permutation.ts';

/** Class names; `GiStarResult.classCode` holds indices into this table. */
export const GI_CLASSES = ['hot99', 'hot95', 'hot90', 'ns', 'cold90', 'cold95', 'cold99'] as const;
export type GiClass = (typeof GI_CLASSES)[number];
/** Index of `ns` in {@link GI_CLASSES}. */
export const GI_NS = 3;

/** |z| thresholds of the 99 / 95 / 90 % classes (two-sided normal quantiles, DESIGN.md). */
export const GI_Z_THRESHOLDS = [2.5758, 1.96, 1.6449] as const;
/** p thresholds used by {@link classifyByP} (FDR-adjusted or permutation p). */
export const GI_P_THRESHOLDS = [0.01, 0.05, 0.1] as const;

export interface HotspotWarning {
  /** Stable code for the i18n dictionary. */
  code: 'zero_variance' | 'no_cells';
  /** English text, for the CLI and logs. */
  message: string;
}

export interface GiStarResult {
  /** Gi* z-score per cell; NaN when undefined (S = 0, or W_i = n). */
  z: Float64Array;
  /** Two-sided p = 2·(1 − Φ(|z|)); NaN where z is NaN. */
  p: Float64Array;
  /** Index into {@link GI_CLASSES} per cell, from z and the DESIGN.md thresholds; `ns` where z is NaN. */
  classCode: Uint8Array;
  n: number;
  mean: number;
  /** S, the population standard deviation of the values. */
  sd: number;
  warnings: HotspotWarning[];
}

/** Class code of a z-score (DESIGN.md thresholds, with the sign of z). NaN → ns. */
export function classifyZ(z: number): number {
  const a = Math.abs(z);
  if (!(a >= GI_Z_THRESHOLDS[2])) return GI_NS;
  const level = a >= GI_Z_THRESHOLDS[0] ? 0 : a >= GI_Z_THRESHOLDS[1] ? 1 : 2;
  return z > 0 ? level : 6 - level;
}

/**
 * Class codes from p-values (e.g. BH-adjusted or permutation p) and the sign of z:
 * p ≤ 0.01 → 99, ≤ 0.05 → 95, ≤ 0.10 → 90, else (or NaN) ns.
 */
export function classifyByP(z: ArrayLike<number>, p: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const pi = p[i];
    const zi = z[i];
    if (!(pi <= GI_P_THRESHOLDS[2]) || !(zi > 0 || zi < 0)) {
      out[i] = GI_NS;
      continue;
    }
    const level = pi <= GI_P_THRESHOLDS[0] ? 0 : pi <= GI_P_THRESHOLDS[1] ? 1 : 2;
    out[i] = zi > 0 ? level : 6 - level;
  }
  return out;
}

function checkInput(values: ArrayLike<number>, nb: Neighbours): void {
  if (nb.offsets.length !== values.length + 1) {
    throw new RangeError(`neighbour lists cover ${nb.offsets.length - 1} cells but there are ${values.length} values`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`value of cell ${i} is ${values[i]}, not a finite number`);
  }
}

function meanAndSd(values: ArrayLike<number>): { mean: number; sd: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / n) };
}

function zeroVarianceWarning(n: number, value: number): HotspotWarning {
  const hint = value === 0 ? ' (did the filters match no customer?)' : '';
  return {
    code: 'zero_variance',
    message: `All ${n} study cells have the same value ${value}${hint}: Gi* is undefined, every cell is reported as not significant.`,
  };
}

/**
 * Gi* for every cell. `nb` must include i in N_i (as {@link gridNeighbours} builds it);
 * W_i is the row length. Values must be finite. About 1 ms per 10k cells.
 */
export function giStar(values: ArrayLike<number>, nb: Neighbours): GiStarResult {
  checkInput(values, nb);
  const n = values.length;
  const z = new Float64Array(n).fill(NaN);
  const p = new Float64Array(n).fill(NaN);
  const classCode = new Uint8Array(n).fill(GI_NS);
  const warnings: HotspotWarning[] = [];
  if (n === 0) {
    warnings.push({ code: 'no_cells', message: 'There are no study cells: no area polygon contains an H3 cell centre at this resolution.' });
    return { z, p, classCode, n, mean: NaN, sd: NaN, warnings };
  }
  const { mean, sd } = meanAndSd(values);
  if (!(sd > 0)) {
    warnings.push(zeroVarianceWarning(n, values[0]));
    return { z, p, classCode, n, mean, sd, warnings };
  }
  const { offsets, indices } = nb;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = values[i] - mean;
  for (let i = 0; i < n; i++) {
    const w = offsets[i + 1] - offsets[i];
    const varFactor = (n * w - w * w) / (n - 1);
    if (!(varFactor > 0)) continue; // W_i = n (or n = 1): Gi* has no variance
    let s = 0;
    for (let t = offsets[i]; t < offsets[i + 1]; t++) s += d[indices[t]];
    const zi = s / (sd * Math.sqrt(varFactor));
    z[i] = zi;
    p[i] = twoSidedP(zi);
    classCode[i] = classifyZ(zi);
  }
  return { z, p, classCode, n, mean, sd, warnings };
}

/**
 * Conditional permutation pseudo p-values for Gi* (see conditional-permutation.ts for the
 * exact scheme and the two-sided choice): NaN for every cell when S = 0.
 */
export async function giStarPermutationP(
  values: ArrayLike<number>,
  nb: Neighbours,
  options?: PermutationOptions,
): Promise<Float64Array> {
  checkInput(values, nb);
  const n = values.length;
  if (n === 0 || !(meanAndSd(values).sd > 0)) {
    options?.onProgress?.(n, n);
    return new Float64Array(n).fill(NaN);
  }
  return conditionalPermutationP(values, nb, options);
}
