import { describe, expect, it } from 'vitest';
import { classOf, jenksBreaks, quantileBreaks } from './classify.ts';

describe('quantileBreaks', () => {
  it('matches R quantile(type = 7) by hand', () => {
    // 1..9: (n−1)·c/k for k=4 → h = 2, 4, 6 → values 3, 5, 7.
    expect(quantileBreaks([9, 1, 2, 3, 4, 5, 6, 7, 8], 4)).toEqual([3, 5, 7]);
    // 1..4, k=3: h = 1, 2 → 2, 3; k=2: h = 1.5 → 2.5 (interpolated).
    expect(quantileBreaks([1, 2, 3, 4], 3)).toEqual([2, 3]);
    expect(quantileBreaks([1, 2, 3, 4], 2)).toEqual([2.5]);
  });
  it('skips NaN and drops repeated breaks', () => {
    expect(quantileBreaks([NaN, 5, 5, 5, 5], 4)).toEqual([5]);
    expect(quantileBreaks([], 5)).toEqual([]);
  });
});

describe('jenksBreaks', () => {
  it('finds the obvious natural groups', () => {
    expect(jenksBreaks([1, 2, 3, 10, 11, 12, 50, 51, 52], 3)).toEqual([3, 12]);
  });
  it('is optimal against brute force on a small case', () => {
    const v = [2, 4, 5, 9, 13, 14, 15, 30, 31, 40];
    const ssd = (a: number[]) => {
      const m = a.reduce((s, x) => s + x, 0) / a.length;
      return a.reduce((s, x) => s + (x - m) ** 2, 0);
    };
    let best = Infinity;
    for (let i = 1; i < v.length - 1; i++)
      for (let j = i + 1; j < v.length; j++) best = Math.min(best, ssd(v.slice(0, i)) + ssd(v.slice(i, j)) + ssd(v.slice(j)));
    const [b1, b2] = jenksBreaks(v, 3);
    const got = ssd(v.filter((x) => x <= b1)) + ssd(v.filter((x) => x > b1 && x <= b2)) + ssd(v.filter((x) => x > b2));
    expect(got).toBeCloseTo(best, 10);
  });
  it('copes with fewer values than classes', () => {
    expect(jenksBreaks([7, 3], 5)).toEqual([3]);
  });
});

describe('classOf', () => {
  it('puts values on a break into the lower class and NaN into −1', () => {
    expect([1, 3, 4, 12, 13, NaN].map((v) => classOf(v, [3, 12]))).toEqual([0, 0, 1, 1, 2, -1]);
  });
});
