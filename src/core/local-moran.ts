/**
 * Local Moran's I (Anselin 1995, "Local Indicators of Spatial Association — LISA",
 * Geographical Analysis 27(2), eq. 12), a second hotspot statistic that also finds spatial
 * outliers (high among low, low among high).
 *
 * Weights: binary contiguity, row-standardised, i excluded (w_ij = 1/k_i for the k_i
 * neighbours j ≠ i) — the default of PySAL esda `Moran_Local` (transformation "r") and of
 * R `spdep::nb2listw(nb, style = "W")`. A row of the neighbour lists may contain i; it is
 * skipped, so the CSR from `gridNeighbours` can be passed unchanged.
 *
 * Statistic, expectation and variance as R `spdep::localmoran` (defaults mlvar = TRUE,
 * conditional = TRUE; variance under conditional randomisation, Sokal, Oden & Thomson 1998,
 * Geographical Analysis 30(4), eqs. A7–A8), with z = x − x̄ and m2 = Σz²/n:
 *
 *     I_i   = (z_i / m2) · Σ_j w_ij z_j
 *     E[I_i] = −z_i² W_i / ((n − 1) m2)
 *     V[I_i] = (z_i / m2)² · n/(n − 2) · (W2_i − W_i²/(n − 1)) · (m2 − z_i²/(n − 1))
 *
 * (W_i = Σ_j w_ij = 1, W2_i = Σ_j w_ij² = 1/k_i.) PySAL's `Is` is the same statistic times
 * (n − 1)/n; z-scores, pseudo p-values and quadrants do not depend on that factor.
 * Checked against spdep::localmoran in local-moran.test.ts (fixture test/reference/gistar.R).
 *
 * Quadrants use PySAL's numbering (esda `Moran_Local.q`): 1 HH (z_i > 0 and lag > 0),
 * 2 LH, 3 LL, 4 HL, where "high" means > 0 after centring and 0 counts as low.
 */
import { twoSidedP } from './normal.ts';
import type { Neighbours } from './grid.ts';
import { conditionalPermutationP, type PermutationOptions } from './conditional-permutation.ts';
import type { HotspotWarning } from './getis-ord.ts';

/** Quadrant names; `quadrant` and `cluster` hold indices into this table (0 = not significant). */
export const MORAN_QUADRANTS = ['ns', 'HH', 'LH', 'LL', 'HL'] as const;
export type MoranQuadrant = (typeof MORAN_QUADRANTS)[number];

export interface LocalMoranResult {
  /** I_i (spdep scaling). */
  I: Float64Array;
  /** E[I_i] and V[I_i] under conditional randomisation. */
  expected: Float64Array;
  variance: Float64Array;
  /** (I_i − E[I_i]) / sqrt(V[I_i]); NaN for cells without neighbours or when all values are equal. */
  z: Float64Array;
  /** Two-sided normal p of z. */
  p: Float64Array;
  /** Spatial lag of the centred values, Σ_j w_ij z_j. */
  lag: Float64Array;
  /** Quadrant 1..4 of every cell with neighbours (0 without), regardless of significance. */
  quadrant: Uint8Array;
  /** Quadrant where p ≤ alpha, else 0 (uses `options.pSim` when given, else the normal p). */
  cluster: Uint8Array;
  warnings: HotspotWarning[];
}

/** Quadrant where p ≤ alpha (default 0.05), 0 elsewhere and where p is NaN. */
export function moranClusters(quadrant: Uint8Array, p: ArrayLike<number>, alpha?: number): Uint8Array {
  const a = alpha ?? 0.05;
  const out = new Uint8Array(quadrant.length);
  for (let i = 0; i < quadrant.length; i++) out[i] = p[i] <= a ? quadrant[i] : 0;
  return out;
}

export function localMoran(
  values: ArrayLike<number>,
  nb: Neighbours,
  options?: { alpha?: number; pSim?: ArrayLike<number> },
): LocalMoranResult {
  const n = values.length;
  if (nb.offsets.length !== n + 1) {
    throw new RangeError(`neighbour lists cover ${nb.offsets.length - 1} cells but there are ${n} values`);
  }
  const I = new Float64Array(n).fill(NaN);
  const expected = new Float64Array(n).fill(NaN);
  const variance = new Float64Array(n).fill(NaN);
  const z = new Float64Array(n).fill(NaN);
  const p = new Float64Array(n).fill(NaN);
  const lag = new Float64Array(n).fill(NaN);
  const quadrant = new Uint8Array(n);
  const warnings: HotspotWarning[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`value of cell ${i} is ${values[i]}, not a finite number`);
    sum += values[i];
  }
  const mean = sum / n;
  const d = new Float64Array(n);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    d[i] = values[i] - mean;
    ss += d[i] * d[i];
  }
  const m2 = ss / n;
  if (n === 0 || !(m2 > 0)) {
    if (n > 0) {
      warnings.push({
        code: 'zero_variance',
        message: `All ${n} study cells have the same value ${values[0]}: Local Moran's I is undefined, no cell is significant.`,
      });
    }
    return { I, expected, variance, z, p, lag, quadrant, cluster: new Uint8Array(n), warnings };
  }
  const { offsets, indices } = nb;
  for (let i = 0; i < n; i++) {
    let k = 0;
    let s = 0;
    for (let t = offsets[i]; t < offsets[i + 1]; t++) {
      const j = indices[t];
      if (j !== i) {
        k++;
        s += d[j];
      }
    }
    if (k === 0) continue; // an island: spdep's zero.policy gives I = 0 and an undefined z
    const lz = s / k;
    const zi = d[i];
    lag[i] = lz;
    I[i] = (zi / m2) * lz;
    expected[i] = -(zi * zi) / ((n - 1) * m2);
    variance[i] = (zi / m2) ** 2 * (n / (n - 2)) * (1 / k - 1 / (n - 1)) * (m2 - (zi * zi) / (n - 1));
    const zz = (I[i] - expected[i]) / Math.sqrt(variance[i]);
    if (Number.isFinite(zz)) {
      z[i] = zz;
      p[i] = twoSidedP(zz);
    }
    quadrant[i] = zi > 0 ? (lz > 0 ? 1 : 4) : lz > 0 ? 2 : 3;
  }
  const cluster = moranClusters(quadrant, options?.pSim ?? p, options?.alpha);
  return { I, expected, variance, z, p, lag, quadrant, cluster, warnings };
}

/**
 * Conditional permutation pseudo p-values for Local Moran's I (the scheme and two-sided
 * choice of conditional-permutation.ts). A cell whose value equals the mean has I_i = 0 in
 * every permutation and gets p = 1; all NaN when every value is equal.
 */
export async function localMoranPermutationP(
  values: ArrayLike<number>,
  nb: Neighbours,
  options?: PermutationOptions,
): Promise<Float64Array> {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  const skip = new Uint8Array(n);
  let varying = false;
  for (let i = 0; i < n; i++) {
    if (values[i] === mean) skip[i] = 1;
    else varying = true;
  }
  if (!varying) {
    options?.onProgress?.(n, n);
    return new Float64Array(n).fill(NaN);
  }
  const pSim = await conditionalPermutationP(values, nb, { ...options, skip });
  for (let i = 0; i < n; i++) {
    if (skip[i] === 1 && nb.offsets[i + 1] - nb.offsets[i] > (hasSelf(nb, i) ? 1 : 0)) pSim[i] = 1;
  }
  return pSim;
}

function hasSelf(nb: Neighbours, i: number): boolean {
  for (let t = nb.offsets[i]; t < nb.offsets[i + 1]; t++) if (nb.indices[t] === i) return true;
  return false;
}
