/**
 * k-means for area / cell typology (types such as "young and digital" or "ageing"
 * matched to branch formats).
 *
 * - Profiles are standardised first (z-score per column, population sd), so a column in
 *   yuan does not outweigh a share in [0, 1]. A constant column becomes 0 everywhere; a
 *   missing value (NaN) is imputed with the column mean (0 after standardising) and counted.
 * - Seeding: k-means++ (Arthur & Vassilvitskii 2007, "k-means++: The Advantages of Careful
 *   Seeding"): first centre uniform, each next one drawn with probability ∝ D², the squared
 *   distance to the nearest centre chosen so far. Lloyd iterations until no label changes.
 *   An empty cluster is re-seeded with the point farthest from its centre.
 * - `restarts` independent seedings from one seeded stream; the lowest inertia wins.
 * - Clusters are numbered by size, largest first (ties: earliest first member), so labels
 *   are stable for a given seed and readable in a legend.
 * - Mean silhouette (Rousseeuw 1987), exact: O(n²·d) time, O(n·k) memory — measured 0.65 s
 *   for 5,000 profiles of 10 columns on a 2-core machine, so ≈ 1.7 s for the ~8,000 res-8
 *   cells of Shanghai: run it in the worker, or pass `silhouette: false` and score a sample.
 *   A point alone in its cluster scores 0 (as scikit-learn does).
 */
import { mulberry32, type Rng } from './rng.ts';

export interface KMeansOptions {
  /** Number of clusters, 1 ≤ k ≤ number of rows. */
  k: number;
  /** Defaults to 1. */
  seed?: number;
  /** Independent k-means++ seedings; defaults to 10. */
  restarts?: number;
  /** Lloyd iterations per restart; defaults to 300. */
  maxIterations?: number;
  /** Compute the mean silhouette; defaults to true. */
  silhouette?: boolean;
}

export interface KMeansResult {
  k: number;
  dims: number;
  /** Cluster of each row, 0..k−1, 0 the largest cluster. */
  labels: Int32Array;
  /** Rows per cluster. */
  sizes: Int32Array;
  /** Centres in standardised units, row-major k × dims. */
  centres: Float64Array;
  /** Centres in the input units (mean of the cluster's rows, imputed values included), k × dims. */
  centresOriginal: Float64Array;
  /** Within-cluster sum of squared distances, standardised units. */
  inertia: number;
  /** Mean silhouette in [−1, 1]; NaN when k < 2, k = n, or not requested. */
  silhouette: number;
  /** Lloyd iterations of the winning restart, and whether it converged before maxIterations. */
  iterations: number;
  converged: boolean;
  /** Standardisation used: per-column mean and population sd of the input. */
  columnMean: Float64Array;
  columnSd: Float64Array;
  /** Number of NaN inputs replaced by their column mean. */
  imputed: number;
}

/** Z-scores per column; NaN → 0 (the mean), constant column → 0. Row-major n × dims. */
export function standardise(
  data: ArrayLike<number>,
  dims: number,
): { z: Float64Array; mean: Float64Array; sd: Float64Array; imputed: number } {
  const n = data.length / dims;
  const mean = new Float64Array(dims);
  const sd = new Float64Array(dims);
  const count = new Int32Array(dims);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < dims; c++) {
      const v = data[i * dims + c];
      if (!Number.isNaN(v)) {
        mean[c] += v;
        count[c]++;
      }
    }
  }
  for (let c = 0; c < dims; c++) mean[c] = count[c] > 0 ? mean[c] / count[c] : 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < dims; c++) {
      const v = data[i * dims + c];
      if (!Number.isNaN(v)) sd[c] += (v - mean[c]) ** 2;
    }
  }
  for (let c = 0; c < dims; c++) sd[c] = count[c] > 0 ? Math.sqrt(sd[c] / count[c]) : 0;
  const z = new Float64Array(n * dims);
  let imputed = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < dims; c++) {
      const v = data[i * dims + c];
      if (Number.isNaN(v)) imputed++;
      else if (sd[c] > 0) z[i * dims + c] = (v - mean[c]) / sd[c];
    }
  }
  return { z, mean, sd, imputed };
}

function sqDist(a: Float64Array, i: number, b: Float64Array, j: number, dims: number): number {
  let s = 0;
  for (let c = 0; c < dims; c++) {
    const d = a[i * dims + c] - b[j * dims + c];
    s += d * d;
  }
  return s;
}

function seedPlusPlus(z: Float64Array, n: number, dims: number, k: number, rng: Rng): Float64Array {
  const centres = new Float64Array(k * dims);
  const first = Math.floor(rng() * n);
  centres.set(z.subarray(first * dims, first * dims + dims), 0);
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) d2[i] = sqDist(z, i, centres, 0, dims);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += d2[i];
    let pick = n - 1;
    if (total > 0) {
      let u = rng() * total;
      for (let i = 0; i < n; i++) {
        u -= d2[i];
        if (u < 0) {
          pick = i;
          break;
        }
      }
    } else pick = Math.floor(rng() * n); // fewer distinct points than k
    centres.set(z.subarray(pick * dims, pick * dims + dims), c * dims);
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i], sqDist(z, i, centres, c, dims));
  }
  return centres;
}

function lloyd(
  z: Float64Array,
  n: number,
  dims: number,
  k: number,
  centres: Float64Array,
  maxIterations: number,
): { labels: Int32Array; inertia: number; iterations: number; converged: boolean } {
  const labels = new Int32Array(n).fill(-1);
  const sizes = new Int32Array(k);
  const dist = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = sqDist(z, i, centres, c, dims);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      dist[i] = bestD;
      if (labels[i] !== best) {
        labels[i] = best;
        changed++;
      }
    }
    if (changed === 0) {
      converged = true;
      break;
    }
    centres.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      sizes[c]++;
      for (let t = 0; t < dims; t++) centres[c * dims + t] += z[i * dims + t];
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] > 0) {
        for (let t = 0; t < dims; t++) centres[c * dims + t] /= sizes[c];
      } else {
        // empty cluster: take the point farthest from its centre, and stop it being picked twice
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
        centres.set(z.subarray(far * dims, far * dims + dims), c * dims);
        dist[far] = -1;
      }
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(z, i, centres, labels[i], dims);
  return { labels, inertia, iterations, converged };
}

/**
 * Mean silhouette of a labelling, Euclidean distance on row-major `data` (n × dims).
 * NaN when there are fewer than 2 clusters or as many clusters as rows.
 */
export function meanSilhouette(data: Float64Array, dims: number, labels: Int32Array, k: number): number {
  const n = labels.length;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]]++;
  let used = 0;
  for (let c = 0; c < k; c++) if (sizes[c] > 0) used++;
  if (used < 2 || used >= n) return NaN;
  const sums = new Float64Array(n * k); // Σ distance from i to the members of cluster c
  for (let i = 0; i < n; i++) {
    const li = labels[i];
    for (let j = i + 1; j < n; j++) {
      const d = Math.sqrt(sqDist(data, i, data, j, dims));
      sums[i * k + labels[j]] += d;
      sums[j * k + li] += d;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const li = labels[i];
    if (sizes[li] === 1) continue; // s = 0
    const a = sums[i * k + li] / (sizes[li] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== li && sizes[c] > 0) b = Math.min(b, sums[i * k + c] / sizes[c]);
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}

/** k-means on standardised profiles (row-major `data`, n × dims). */
export function kmeans(data: ArrayLike<number>, dims: number, options: KMeansOptions): KMeansResult {
  if (!Number.isInteger(dims) || dims < 1) throw new RangeError(`dims must be a whole number ≥ 1, got ${dims}`);
  if (data.length % dims !== 0) throw new RangeError(`data length ${data.length} is not a multiple of dims ${dims}`);
  const n = data.length / dims;
  const k = options.k;
  if (n === 0) throw new RangeError('k-means needs at least one profile, got none');
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k must be a whole number from 1 to ${n} (the number of profiles), got ${k}`);
  const restarts = options.restarts ?? 10;
  const maxIterations = options.maxIterations ?? 300;
  const rng = mulberry32(options.seed ?? 1);
  const { z, mean, sd, imputed } = standardise(data, dims);

  let best: ReturnType<typeof lloyd> | null = null;
  let bestCentres: Float64Array = new Float64Array(0);
  for (let r = 0; r < Math.max(1, restarts); r++) {
    const centres = seedPlusPlus(z, n, dims, k, rng);
    const run = lloyd(z, n, dims, k, centres, maxIterations);
    if (!best || run.inertia < best.inertia) {
      best = run;
      bestCentres = centres;
    }
  }
  const run = best!;

  // relabel: largest cluster first, ties by first member
  const rawSizes = new Int32Array(k);
  const firstRow = new Int32Array(k).fill(n);
  for (let i = 0; i < n; i++) {
    const c = run.labels[i];
    rawSizes[c]++;
    if (firstRow[c] === n) firstRow[c] = i;
  }
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => rawSizes[b] - rawSizes[a] || firstRow[a] - firstRow[b]);
  const newLabel = new Int32Array(k);
  order.forEach((c, rank) => (newLabel[c] = rank));
  const labels = run.labels.map((c) => newLabel[c]);
  const sizes = new Int32Array(k);
  const centres = new Float64Array(k * dims);
  const centresOriginal = new Float64Array(k * dims);
  for (let c = 0; c < k; c++) {
    const nc = newLabel[c];
    sizes[nc] = rawSizes[c];
    for (let t = 0; t < dims; t++) {
      const v = bestCentres[c * dims + t];
      centres[nc * dims + t] = v;
      centresOriginal[nc * dims + t] = mean[t] + v * sd[t];
    }
  }
  const silhouette = (options.silhouette ?? true) ? meanSilhouette(z, dims, labels, k) : NaN;
  return {
    k, dims, labels, sizes, centres, centresOriginal, inertia: run.inertia, silhouette,
    iterations: run.iterations, converged: run.converged, columnMean: mean, columnSd: sd, imputed,
  };
}
