import { describe, expect, it } from 'vitest';
import { averageRanks, normalize } from './normalize.ts';

const f = (xs: number[]) => Float64Array.from(xs);
const arr = (a: ArrayLike<number>) => Array.from(a);

describe('averageRanks', () => {
  it('matches scipy.stats.rankdata(method="average")', () => {
    // rankdata([3,1,4,1,5,9,2,6,5,3,5])
    expect(arr(averageRanks(f([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])))).toEqual([4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8]);
  });
  it('skips missing values', () => {
    expect(arr(averageRanks(f([NaN, 2, 1, NaN, 2])))).toEqual([NaN, 2.5, 1, NaN, 2.5]);
  });
});

describe('normalize', () => {
  it('minmax over present values', () => {
    const r = normalize(f([10, NaN, 20, 15, Infinity]), 'minmax');
    // (x − 10)/(20 − 10); Infinity is not a value
    expect(arr(r.scores)).toEqual([0, NaN, 1, 0.5, NaN]);
    expect(r.m).toBe(3);
    expect(r.constant).toBe(false);
  });

  it('zscore against scipy.stats.norm.cdf, population sd', () => {
    // mean 21.2, population sd 39.3 → z = −0.5379, …, 1.9994
    const r = normalize(f([0, 1, 2, 3, 100]), 'zscore');
    const ref = [0.2953237890939806, 0.30414170826743725, 0.31307503885774446, 0.3221194673466234, 0.9772150825297149];
    ref.forEach((v, i) => expect(r.scores[i]).toBeCloseTo(v, 14));
  });

  it('zscore keeps precision in the tail (a proper erfc, not a short approximation)', () => {
    // 99 zeros and a one: z(0) = −0.1005, z(1) = 9.9499; 1 − Φ(9.9499) = 1.2625e-23 (scipy norm.sf)
    const x = new Float64Array(100);
    x[99] = 1;
    const r = normalize(x, 'zscore');
    expect(r.scores[99]).toBe(1); // 1 − 1.26e-23 rounds to 1 in double
    const lowTail = normalize(f([...new Array(99).fill(1), 0]), 'zscore').scores[99];
    expect(lowTail / 1.2625088312013694e-23).toBeCloseTo(1, 10);
  });

  it('rank: (rank − 1)/(m − 1) with average ranks', () => {
    // ranks 1, 2.5, 2.5, 4 of m = 4 → 0, 0.5, 0.5, 1
    expect(arr(normalize(f([1, 5, 5, 9, NaN]), 'rank').scores)).toEqual([0, 0.5, 0.5, 1, NaN]);
  });

  it('a constant indicator scores 0.5 — equal doubles whose mean is off by an ulp included', () => {
    for (const method of ['minmax', 'zscore', 'rank'] as const) {
      const r = normalize(f([0.1, 0.1, 0.1, NaN, 0.1, 0.1, 0.1, 0.1]), method);
      expect(arr(r.scores)).toEqual([0.5, 0.5, 0.5, NaN, 0.5, 0.5, 0.5, 0.5]);
      expect(r.constant).toBe(true);
    }
  });

  it('no values, and empty input', () => {
    expect(arr(normalize(f([NaN, NaN]), 'zscore').scores)).toEqual([NaN, NaN]);
    expect(normalize(f([]), 'rank').m).toBe(0);
  });
});
