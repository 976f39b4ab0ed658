import { describe, expect, it } from 'vitest';
import { equalWeights, jacobiEigen, normalizeWeights, pcaWeights } from './weights.ts';

const f = (xs: number[]) => Float64Array.from(xs);

describe('equal and user weights', () => {
  it('equal weights sum to 1', () => {
    expect(equalWeights(4)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(equalWeights(0)).toEqual([]);
  });
  it('user weights are scaled to sum 1; a 0 weight stays 0', () => {
    expect(normalizeWeights([3, 2, 0])).toEqual([0.6, 0.4, 0]);
    expect(() => normalizeWeights([1, -1])).toThrow(RangeError);
    expect(() => normalizeWeights([0, 0])).toThrow(/sum to 0/);
  });
});

describe('jacobiEigen', () => {
  it('2×2 correlation matrix [[1, r], [r, 1]]: eigenvalues 1 ± r, vectors (1, ±1)/√2', () => {
    const r = 0.6;
    const { values, vectors } = jacobiEigen([f([1, r]), f([r, 1])]);
    const big = values[0] > values[1] ? 0 : 1;
    expect(values[big]).toBeCloseTo(1 + r, 14);
    expect(values[1 - big]).toBeCloseTo(1 - r, 14);
    expect(Math.abs(vectors[0][big])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0][big] * vectors[1][big]).toBeGreaterThan(0);
  });

  it('A·v = λ·v and V orthonormal on a 5×5 symmetric matrix', () => {
    const A = [
      [4, 1, -2, 2, 0.5],
      [1, 2, 0, 1, 0],
      [-2, 0, 3, -2, 1],
      [2, 1, -2, -1, 3],
      [0.5, 0, 1, 3, 2],
    ];
    const { values, vectors } = jacobiEigen(A);
    for (let j = 0; j < 5; j++) {
      for (let i = 0; i < 5; i++) {
        let av = 0;
        for (let k = 0; k < 5; k++) av += A[i][k] * vectors[k][j];
        expect(av).toBeCloseTo(values[j] * vectors[i][j], 12);
      }
      for (let l = 0; l < 5; l++) {
        let dot = 0;
        for (let k = 0; k < 5; k++) dot += vectors[k][j] * vectors[k][l];
        expect(dot).toBeCloseTo(j === l ? 1 : 0, 12);
      }
    }
    // trace is preserved
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(10, 12);
  });
});

describe('pcaWeights', () => {
  it('2 indicators: PC1 = (1, 1)/√2 → weights ½, ½; explained share (1 + |r|)/2', () => {
    // x = 1..4, y = 2, 1, 5, 3: Σ dx·dy = 3.5, Σ dx² = 5, Σ dy² = 8.75 → r = 3.5/√43.75 = 0.52915
    const x = f([1, 2, 3, 4]);
    const y = f([2, 1, 5, 3]);
    const r = 3.5 / Math.sqrt(5 * 8.75);
    const p = pcaWeights([x, y]);
    expect(p.weights[0]).toBeCloseTo(0.5, 14);
    expect(p.weights[1]).toBeCloseTo(0.5, 14);
    expect(p.explainedShare).toBeCloseTo((1 + r) / 2, 14);
    expect(p.loadings[0]).toBeCloseTo(Math.SQRT1_2 * Math.sqrt(1 + r), 14);
  });

  it('a negative correlation still gives ½, ½ and the opposite-sign loading is reported', () => {
    const p = pcaWeights([f([1, 2, 3, 4]), f([4, 3, 1, 2])]);
    expect(p.weights[0]).toBeCloseTo(0.5, 14);
    expect(Math.sign(p.eigenvector[0]) * Math.sign(p.eigenvector[1])).toBe(-1);
  });

  it('3 indicators against numpy.linalg.eigh(numpy.corrcoef(X.T))', () => {
    const X = [
      [1, 2, 10],
      [2, 1, 14],
      [3, 5, 9],
      [4, 3, 20],
      [5, 6, 11],
      [6, 4, 30],
    ];
    const cols = [0, 1, 2].map((k) => f(X.map((row) => row[k])));
    const p = pcaWeights(cols);
    // eigenvalues 1.91657976, 1.05299117, 0.03042907; PC1 = (0.71697006, 0.48507605, 0.50065474)
    const ref = [0.5140460620305014, 0.23529877390443457, 0.2506551640650645];
    ref.forEach((w, k) => expect(p.weights[k]).toBeCloseTo(w, 12));
    expect(p.explainedShare).toBeCloseTo(0.6388599206538388, 12);
    expect(p.eigenvalues[0]).toBeCloseTo(1.91657976, 8);
    expect(p.eigenvalues[2]).toBeCloseTo(0.03042907, 8);
    expect(p.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
  });

  it('mean-imputes missing cells for the PCA only and counts them; skips areas with no value', () => {
    // y's missing value becomes mean(2, 5, 3) = 10/3; corr(x, y imputed) = 0.48304589 (numpy)
    const p = pcaWeights([f([1, 2, 3, 4, NaN]), f([2, NaN, 5, 3, NaN])]);
    expect(p.imputedCells).toBe(1);
    expect(p.areasUsed).toBe(4);
    expect(p.explainedShare).toBeCloseTo((1 + 0.48304589153964794) / 2, 12);
  });

  it('a constant indicator gets weight 0', () => {
    const p = pcaWeights([f([1, 2, 3, 4]), f([7, 7, 7, 7]), f([2, 1, 5, 3])]);
    expect(p.weights[1]).toBeCloseTo(0, 14);
    expect(p.weights[0]).toBeCloseTo(0.5, 12);
  });

  it('falls back to equal weights with fewer than 2 areas, and handles no indicators', () => {
    const p = pcaWeights([f([1]), f([2])]);
    expect(p.fallback).toBe('too_few_areas');
    expect(p.weights).toEqual([0.5, 0.5]);
    expect(pcaWeights([]).weights).toEqual([]);
  });
});
