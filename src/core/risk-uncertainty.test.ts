import { describe, expect, it } from 'vitest';
import type { IndicatorTable } from './indicator-table.ts';
import type { RiskConfig } from './risk-config.ts';
import { prepareRisk } from './risk-index.ts';
import { drawDirichlet, quantileSorted, riskUncertainty } from './risk-uncertainty.ts';
import { mulberry32 } from './rng.ts';

/** n areas, K indicators of seeded noise; area 0 is top on every indicator. */
function synthetic(n: number, K: number, seed = 7): { table: IndicatorTable; config: RiskConfig } {
  const rng = mulberry32(seed);
  const values: Record<string, Float64Array[]> = {};
  for (let k = 0; k < K; k++) {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = i === 0 ? 10 : rng();
    if (n > 3 && k === 0) x[3] = NaN; // one gap, a small share of the weight
    values[`x${k}`] = [x];
  }
  return {
    table: { areaIds: Array.from({ length: n }, (_, i) => `A${String(i).padStart(3, '0')}`), periods: ['2025Q4'], values },
    config: { normalization: 'minmax', indicators: Array.from({ length: K }, (_, k) => ({ column: `x${k}`, weight: k + 1, direction: 'up' as const })), tiers: [25, 50, 75] },
  };
}

const arr = (a: ArrayLike<number>) => Array.from(a);

describe('drawDirichlet', () => {
  it('has mean w/Σw and variance w̄(1 − w̄)/(c + 1); α = 0 stays 0', () => {
    const c = 50;
    const w = [3, 1, 0, 1];
    const alpha = w.map((x) => (c * x) / 5);
    const rng = mulberry32(42);
    const out = new Float64Array(4);
    const N = 20000;
    const sum = [0, 0, 0, 0];
    const sq = [0, 0, 0, 0];
    for (let d = 0; d < N; d++) {
      expect(drawDirichlet(rng, alpha, out)).toBe(true);
      for (let k = 0; k < 4; k++) {
        sum[k] += out[k];
        sq[k] += out[k] ** 2;
      }
      expect(out[2]).toBe(0);
    }
    const mean = sum.map((s) => s / N);
    expect(mean[0]).toBeCloseTo(0.6, 2);
    expect(mean[1]).toBeCloseTo(0.2, 2);
    // Var(w₀) = 0.6·0.4/51 = 0.004706
    expect(sq[0] / N - mean[0] ** 2).toBeCloseTo(0.6 * 0.4 / 51, 3);
  });
});

describe('quantileSorted (R type 7)', () => {
  it('interpolates between order statistics', () => {
    // x = 1..10: median 5.5, p5 = 1 + 0.45 = 1.45, p95 = 9 + 0.55 = 9.55
    const x = Float64Array.from({ length: 10 }, (_, i) => i + 1);
    expect(quantileSorted(x, 10, 0.5)).toBe(5.5);
    expect(quantileSorted(x, 10, 0.05)).toBeCloseTo(1.45, 12);
    expect(quantileSorted(x, 10, 0.95)).toBeCloseTo(9.55, 12);
    expect(quantileSorted(x, 0, 0.5)).toBeNaN();
  });
});

describe('riskUncertainty', () => {
  it('is reproducible: same seed → identical output; another seed differs', async () => {
    const { table, config } = synthetic(60, 5);
    const prep = prepareRisk(table, config);
    const a = await riskUncertainty(prep, config, { seed: 123, draws: 1000 });
    const b = await riskUncertainty(prep, config, { seed: 123, draws: 1000 });
    expect(b).toEqual(a);
    const c = await riskUncertainty(prep, config, { seed: 124, draws: 1000 });
    expect(arr(c.meanRank)).not.toEqual(arr(a.meanRank));
  });

  it('gives every area a median rank inside its 5–95 % band; the dominant area is rank 1 throughout', async () => {
    const { table, config } = synthetic(60, 5);
    const r = await riskUncertainty(prepareRisk(table, config), config, { draws: 1000 });
    expect(r.medianRank[0]).toBe(1);
    expect(r.p5Rank[0]).toBe(1);
    expect(r.p95Rank[0]).toBe(1);
    for (let i = 0; i < 60; i++) {
      expect(r.p5Rank[i]).toBeLessThanOrEqual(r.medianRank[i]);
      expect(r.medianRank[i]).toBeLessThanOrEqual(r.p95Rank[i]);
      expect(r.validDraws[i]).toBe(1000);
    }
    // every draw picked one of the three methods
    expect(r.methodCounts.minmax + r.methodCounts.zscore + r.methodCounts.rank).toBe(1000);
    expect(Math.min(r.methodCounts.minmax, r.methodCounts.zscore, r.methodCounts.rank)).toBeGreaterThan(250);
  });

  it('with one method and a huge concentration every draw is the chosen index', async () => {
    const { table, config } = synthetic(40, 4);
    const r = await riskUncertainty(prepareRisk(table, config), config, { draws: 200, concentration: 1e12, methods: ['minmax'] });
    expect(arr(r.medianRank)).toEqual(arr(r.baseRank));
    expect(arr(r.p5Rank)).toEqual(arr(r.baseRank));
    expect(arr(r.p95Rank)).toEqual(arr(r.baseRank));
  });

  it('leaves an area without data out of the ranking', async () => {
    const { table, config } = synthetic(10, 2);
    for (const k of ['x0', 'x1']) table.values[k][0][5] = NaN;
    const r = await riskUncertainty(prepareRisk(table, config), config, { draws: 100 });
    expect(r.validDraws[5]).toBe(0);
    expect(r.medianRank[5]).toBeNaN();
    expect(r.baseRank[5]).toBeNaN();
  });

  it('reports progress every 100 draws and stops on abort', async () => {
    const { table, config } = synthetic(30, 3);
    const prep = prepareRisk(table, config);
    const seen: number[] = [];
    await riskUncertainty(prep, config, { draws: 1000, onProgress: (d, total) => seen.push(d / total) });
    expect(seen).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);

    const ctl = new AbortController();
    const done: number[] = [];
    const run = riskUncertainty(prep, config, {
      draws: 1000,
      signal: ctl.signal,
      onProgress: (d) => {
        done.push(d);
        if (d === 300) ctl.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(done.at(-1)).toBe(300);
    const already = AbortSignal.abort();
    await expect(riskUncertainty(prep, config, { signal: already })).rejects.toThrow(/abort/i);
  });
});
