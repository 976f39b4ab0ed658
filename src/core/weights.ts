/**
 * Weighting schemes for the risk index (OECD/JRC Handbook on Constructing Composite
 * Indicators, 2008, §6): equal weights, user weights, and data-driven weights from principal
 * components analysis.
 *
 * PCA weights, exactly:
 * 1. Matrix X (areas × indicators) of raw values at the scored period (`d:` resolved).
 *    Areas with no value for any indicator are left out. Remaining missing values are
 *    replaced by the indicator's mean over the areas that have it — for the PCA only; the
 *    index itself never imputes. Mean imputation shrinks correlations towards 0, which is
 *    why the number of imputed cells is returned for the UI to state.
 * 2. Correlation matrix R of the imputed columns (Pearson; a constant column gets
 *    correlation 0 with the others and 1 with itself, so it loads on no shared component).
 * 3. Eigen decomposition of R by the cyclic Jacobi method (symmetric, converges to machine
 *    precision; k is small). PC1 = eigenvector v of the largest eigenvalue λ1, |v| = 1.
 * 4. weight_k = v_k² / Σ_j v_j² = v_k² — the squared loadings of PC1 scaled to unit sum
 *    (the Handbook's "squared factor loadings, scaled to unity sum", here with the single
 *    first component, unrotated). Loadings are v_k·√λ1 (correlation of indicator k with
 *    PC1); squaring and rescaling gives the same weights. Signs are reported (PC1 oriented
 *    so that Σ v ≥ 0): an indicator loading with the opposite sign to the others still gets
 *    a positive weight, and the UI should point that out.
 * 5. explainedShare = λ1 / k (trace of R = k): the share of total standardised variance
 *    PC1 explains. Low values (say < 0.4) mean one component summarises the indicators poorly.
 */

/** 1/k each. */
export function equalWeights(k: number): number[] {
  return Array.from({ length: k }, () => 1 / k);
}

/** User weights scaled to sum 1. Throws RangeError for a negative or non-finite weight or a zero sum. */
export function normalizeWeights(weights: readonly number[]): number[] {
  let sum = 0;
  for (const w of weights) {
    if (!Number.isFinite(w) || w < 0) throw new RangeError(`Weights must be finite and ≥ 0; got ${w}`);
    sum += w;
  }
  if (!(sum > 0)) throw new RangeError('Weights sum to 0: give at least one indicator a positive weight');
  return weights.map((w) => w / sum);
}

export interface PcaWeights {
  /** Sum 1, aligned with the input indicators. */
  weights: number[];
  /** PC1 eigenvector components (unit length, oriented so Σ ≥ 0). */
  eigenvector: number[];
  /** Correlations of each indicator with PC1: v_k·√λ1. */
  loadings: number[];
  /** All eigenvalues of R, descending. */
  eigenvalues: number[];
  /** λ1 / k, in [1/k, 1]; NaN for the fallback. */
  explainedShare: number;
  /** Areas used (with at least one value). */
  areasUsed: number;
  /** Missing cells replaced by the indicator mean for the PCA. */
  imputedCells: number;
  /** Set when PCA is not possible (fewer than 2 areas with data): weights are then equal. */
  fallback?: 'too_few_areas';
}

/**
 * PCA weights from `columns[k][i]` = value of indicator k in area i (NaN = missing). The
 * method is described at the top of this file.
 */
export function pcaWeights(columns: readonly ArrayLike<number>[]): PcaWeights {
  const k = columns.length;
  const n = k > 0 ? columns[0].length : 0;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (columns.some((c) => Number.isFinite(c[i]))) rows.push(i);
  const m = rows.length;
  if (k === 0 || m < 2) {
    return { weights: equalWeights(k), eigenvector: equalWeights(k).map(Math.sqrt), loadings: new Array(k).fill(NaN), eigenvalues: [], explainedShare: NaN, areasUsed: m, imputedCells: 0, fallback: 'too_few_areas' };
  }
  // Standardised, mean-imputed columns (population sd after imputation; R does not depend on it).
  let imputedCells = 0;
  const Z = columns.map((c) => {
    let sum = 0;
    let cnt = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const i of rows) {
      const x = c[i];
      if (!Number.isFinite(x)) continue;
      sum += x;
      cnt++;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const mean = cnt > 0 ? sum / cnt : 0;
    const z = new Float64Array(m);
    let ss = 0;
    rows.forEach((i, r) => {
      const v = Number.isFinite(c[i]) ? c[i] : (imputedCells++, mean);
      z[r] = v - mean;
      ss += z[r] * z[r];
    });
    const sd = Math.sqrt(ss / m);
    // A constant column (tested exactly, as in normalize.ts) stays all zero.
    if (cnt > 0 && min < max) for (let r = 0; r < m; r++) z[r] /= sd;
    else z.fill(0);
    return z;
  });
  const R = Array.from({ length: k }, () => new Float64Array(k));
  for (let a = 0; a < k; a++) {
    R[a][a] = 1;
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += Z[a][r] * Z[b][r];
      R[a][b] = R[b][a] = s / m;
    }
  }
  const { values, vectors } = jacobiEigen(R);
  let best = 0;
  for (let j = 1; j < k; j++) if (values[j] > values[best]) best = j;
  const v = vectors.map((row) => row[best]);
  const sumV = v.reduce((s, x) => s + x, 0);
  if (sumV < 0) for (let j = 0; j < k; j++) v[j] = -v[j];
  const norm2 = v.reduce((s, x) => s + x * x, 0);
  const lambda1 = values[best];
  return {
    weights: v.map((x) => (x * x) / norm2),
    eigenvector: v,
    loadings: v.map((x) => x * Math.sqrt(Math.max(lambda1, 0))),
    eigenvalues: [...values].sort((a, b) => b - a),
    explainedShare: lambda1 / k,
    areasUsed: m,
    imputedCells,
  };
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations (Golub & Van
 * Loan, Matrix Computations, 4th ed., Alg. 8.5.3, with the stable rotation of §8.5.2).
 * Returns eigenvalues (unsorted) and V with the eigenvector of values[j] in column j.
 * The input is not modified.
 */
export function jacobiEigen(A: readonly ArrayLike<number>[]): { values: number[]; vectors: number[][] } {
  const k = A.length;
  const a = A.map((row) => Array.from(row));
  const V: number[][] = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
  let frob = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) frob += a[i][j] * a[i][j];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p][q] * a[p][q];
    if (off <= 1e-32 * frob) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p][q];
        if (apq === 0) continue;
        const tau = (a[q][q] - a[p][p]) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        // A ← Jᵀ A J: columns p, q then rows p, q; V ← V J.
        for (let r = 0; r < k; r++) {
          const arp = a[r][p], arq = a[r][q];
          a[r][p] = c * arp - s * arq;
          a[r][q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p][r], aqr = a[q][r];
          a[p][r] = c * apr - s * aqr;
          a[q][r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = V[r][p], vrq = V[r][q];
          V[r][p] = c * vrp - s * vrq;
          V[r][q] = s * vrp + c * vrq;
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i]), vectors: V };
}
