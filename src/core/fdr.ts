/**
 * Benjamini–Hochberg false discovery rate adjustment (Benjamini & Hochberg 1995, J. R.
 * Statist. Soc. B 57(1)), computed as R's `p.adjust(p, method = "BH")`:
 *
 *     p_adj(i) = min(1, min_{j ≥ i} m / j · p_(j))   over the ascending order p_(1) ≤ … ≤ p_(m)
 *
 * NaN p-values are left out (m counts only the finite ones, as p.adjust does with NA) and
 * stay NaN in the output.
 */
export function bhAdjust(p: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.length).fill(NaN);
  const order: number[] = [];
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i])) order.push(i);
  const m = order.length;
  if (m === 0) return out;
  // descending p; ties keep index order, which does not change the result
  order.sort((a, b) => p[b] - p[a] || a - b);
  let running = Infinity;
  for (let r = 0; r < m; r++) {
    const rank = m - r; // ascending rank of order[r]
    const i = order[r];
    running = Math.min(running, (m / rank) * p[i]);
    out[i] = Math.min(1, running);
  }
  return out;
}
