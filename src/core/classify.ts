/**
 * Class breaks for choropleth maps. Both methods return the upper bounds of classes 1..k−1
 * (k − 1 breaks); a value v falls in class `classOf(v, breaks)`. NaN values are skipped
 * when computing breaks and get class −1 (drawn as "no data").
 */
export type ClassMethod = 'quantile' | 'jenks';

function finiteSorted(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return Float64Array.from(out).sort();
}

/** Distinct breaks only: with fewer distinct values than classes, fewer classes are drawn. */
function dedupe(breaks: number[]): number[] {
  return breaks.filter((b, i) => i === 0 || b !== breaks[i - 1]);
}

/**
 * Quantile breaks: the k-quantiles by linear interpolation between order statistics
 * (R type 7, the default of R's `quantile` and numpy's `percentile`).
 */
export function quantileBreaks(values: ArrayLike<number>, k: number): number[] {
  const s = finiteSorted(values);
  if (s.length === 0 || k < 2) return [];
  const breaks: number[] = [];
  for (let c = 1; c < k; c++) {
    const h = ((s.length - 1) * c) / k;
    const lo = Math.floor(h);
    breaks.push(s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]));
  }
  return dedupe(breaks);
}

/**
 * Jenks natural breaks by Fisher's (1958) exact dynamic programme minimising the total
 * within-class sum of squared deviations; O(k·n²) time, fine for the ≤ few thousand areas
 * a choropleth shows. Returns the largest value of each of the first k − 1 classes.
 */
export function jenksBreaks(values: ArrayLike<number>, k: number): number[] {
  const s = finiteSorted(values);
  const n = s.length;
  if (n === 0 || k < 2) return [];
  const classes = Math.min(k, n);
  // Prefix sums make the within-class SSD of s[i..j] O(1).
  const sum = new Float64Array(n + 1);
  const sum2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    sum[i + 1] = sum[i] + s[i];
    sum2[i + 1] = sum2[i] + s[i] * s[i];
  }
  const ssd = (i: number, j: number) => {
    const m = j - i + 1;
    const sm = sum[j + 1] - sum[i];
    return sum2[j + 1] - sum2[i] - (sm * sm) / m;
  };
  // cost[c][j]: best SSD of s[0..j] in c+1 classes; from[c][j]: start of the last class.
  const cost = Array.from({ length: classes }, () => new Float64Array(n).fill(Infinity));
  const from = Array.from({ length: classes }, () => new Int32Array(n));
  for (let j = 0; j < n; j++) cost[0][j] = ssd(0, j);
  for (let c = 1; c < classes; c++) {
    for (let j = c; j < n; j++) {
      for (let i = c; i <= j; i++) {
        const v = cost[c - 1][i - 1] + ssd(i, j);
        if (v < cost[c][j]) {
          cost[c][j] = v;
          from[c][j] = i;
        }
      }
    }
  }
  const breaks: number[] = [];
  let j = n - 1;
  for (let c = classes - 1; c > 0; c--) {
    const i = from[c][j];
    breaks.unshift(s[i - 1]);
    j = i - 1;
  }
  return dedupe(breaks);
}

export function classBreaks(values: ArrayLike<number>, k: number, method: ClassMethod): number[] {
  return method === 'jenks' ? jenksBreaks(values, k) : quantileBreaks(values, k);
}

/** Class index 0..breaks.length of v (v ≤ breaks[c] → class c); −1 for a missing value. */
export function classOf(v: number, breaks: readonly number[]): number {
  if (!Number.isFinite(v)) return -1;
  let c = 0;
  while (c < breaks.length && v > breaks[c]) c++;
  return c;
}
