/**
 * Standard normal distribution helpers.
 *
 * Φ is computed from the complementary error function of @stdlib (a faithful port of the
 * FreeBSD/Sun msun erfc, relative error ~1e-16), never from a short polynomial
 * approximation: p-values of strong hotspots live far in the tail where such
 * approximations lose every digit.
 */
import erfc from '@stdlib/math-base-special-erfc';

const SQRT1_2 = Math.SQRT1_2;

/** Φ(x) = P(Z ≤ x) for Z ~ N(0, 1). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/** Upper tail 1 − Φ(x), computed directly so it keeps precision for large x. */
export function normalUpperTail(x: number): number {
  return 0.5 * erfc(x * SQRT1_2);
}

/** Two-sided p-value 2·(1 − Φ(|z|)). NaN in, NaN out. */
export function twoSidedP(z: number): number {
  return erfc(Math.abs(z) * SQRT1_2);
}
