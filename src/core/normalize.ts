/**
 * Normalisation of one indicator over areas to scores in [0, 1] (DESIGN.md "Area risk
 * index"; OECD/JRC Handbook on Constructing Composite Indicators, 2008, §5). Scores are
 * computed over the areas that have a value; a missing value (NaN) stays NaN.
 *
 * - `minmax`: (x − min) / (max − min)
 * - `zscore`: Φ((x − mean) / sd), sd the population standard deviation (divide by m), Φ the
 *   standard normal CDF from a full-precision erfc (`normal.ts`)
 * - `rank`: (rank − 1) / (m − 1), ranks ascending from 1 with ties given their average rank
 *   (R `rank(ties.method = "average")`, scipy `rankdata`)
 *
 * A constant indicator (all present values equal, which includes m = 1) scores 0.5 for every
 * area that has it, whatever the method. "Constant" is tested as min === max exactly rather
 * than sd === 0: the mean of equal doubles can be off by an ulp and leave a tiny non-zero sd
 * that would blow rounding noise up to z = ±1.
 */
import { normalCdf } from './normal.ts';

export type Normalization = 'minmax' | 'zscore' | 'rank';
export const NORMALIZATIONS: readonly Normalization[] = ['minmax', 'zscore', 'rank'];

export interface NormalizeStats {
  /** Number of areas with a value. */
  m: number;
  /** True when every present value is equal (scores 0.5). */
  constant: boolean;
}

/** Normalise `x` (NaN = missing) into `out` (default a new array) and return it with stats. */
export function normalize(x: Float64Array, method: Normalization, out = new Float64Array(x.length)): { scores: Float64Array } & NormalizeStats {
  const n = x.length;
  let m = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (Number.isFinite(v)) {
      m++;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const constant = m > 0 && min === max;
  if (m === 0 || constant) {
    for (let i = 0; i < n; i++) out[i] = Number.isFinite(x[i]) ? 0.5 : NaN;
    return { scores: out, m, constant };
  }
  if (method === 'minmax') {
    const range = max - min;
    for (let i = 0; i < n; i++) out[i] = Number.isFinite(x[i]) ? (x[i] - min) / range : NaN;
  } else if (method === 'zscore') {
    let sum = 0;
    for (let i = 0; i < n; i++) if (Number.isFinite(x[i])) sum += x[i];
    const mean = sum / m;
    let ss = 0;
    for (let i = 0; i < n; i++) if (Number.isFinite(x[i])) ss += (x[i] - mean) ** 2;
    const sd = Math.sqrt(ss / m);
    for (let i = 0; i < n; i++) out[i] = Number.isFinite(x[i]) ? normalCdf((x[i] - mean) / sd) : NaN;
  } else {
    averageRanks(x, out);
    for (let i = 0; i < n; i++) if (Number.isFinite(out[i])) out[i] = (out[i] - 1) / (m - 1);
  }
  return { scores: out, m, constant };
}

/**
 * Ascending ranks 1..m of the present values of `x` into `out` (NaN where missing); tied
 * values share the average of the ranks they span (ties are exact equality).
 */
export function averageRanks(x: Float64Array, out = new Float64Array(x.length)): Float64Array {
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) idx.push(i);
    else out[i] = NaN;
  }
  idx.sort((a, b) => x[a] - x[b]);
  for (let s = 0; s < idx.length; ) {
    let e = s + 1;
    while (e < idx.length && x[idx[e]] === x[idx[s]]) e++;
    // positions s..e-1 hold ranks s+1..e; their average is (s + 1 + e) / 2
    const r = (s + 1 + e) / 2;
    for (let t = s; t < e; t++) out[idx[t]] = r;
    s = e;
  }
  return out;
}
