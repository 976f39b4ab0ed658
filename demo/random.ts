/**
 * Random helpers for the generator, on top of src/core/rng.ts. Each part of the demo
 * (sites, indicators, customers) draws from its own stream, derived from the one seed and
 * the part's name, so tuning one part never reshuffles the others.
 */
import { mulberry32, type Rng } from '../src/core/rng.ts';

/** A generator for `label`, derived from `seed` with FNV-1a (cheap, stable, well mixed). */
export function streamFor(seed: number, label: string): Rng {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return mulberry32(h >>> 0);
}

/**
 * Split `total` into integers proportional to `weights` (largest remainder, ties to the
 * lower index), so counts add up exactly and do not depend on random draws.
 */
export function allocate(weights: number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (w / sum) * total : 0));
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k][1]]++;
  return out;
}

/** Cumulative sums, for weighted picks with {@link pick}. */
export function cumulative(weights: number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => (c[i] = s += w));
  return c;
}

/** Index drawn with probability ∝ weight, from cumulative sums (binary search). */
export function pick(rng: Rng, cum: Float64Array): number {
  const x = rng() * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
