import { describe, expect, it } from 'vitest';
import { indicatorTableFromRows, type IndicatorTable } from './indicator-table.ts';
import type { RiskConfig } from './risk-config.ts';
import { computeRiskIndex, computeRiskSeries, prepareRisk, riskChange, riskRows, scoreRisk, tierOf } from './risk-index.ts';

/**
 * Four areas, three quarters. At 2024Q3 (the latest):
 *   u (unemployment_rate): A 2, B 4, C 6, D missing
 *   h (house_price_index): A 100, B 100, C 120, D 90
 * h at 2024Q1: A 90, B 100, C missing, D 80 → d:h:2 at 2024Q3 = A 10, B 0, C missing, D 10.
 */
function city(): IndicatorTable {
  const rows = [
    { area_id: 'A', period: '2024Q1', u: 1, h: 90 },
    { area_id: 'B', period: '2024Q1', u: 5, h: 100 },
    { area_id: 'C', period: '2024Q1', u: 3, h: null },
    { area_id: 'D', period: '2024Q1', u: 2, h: 80 },
    { area_id: 'A', period: '2024Q2', u: 2, h: 95 },
    { area_id: 'B', period: '2024Q2', u: 4, h: 100 },
    { area_id: 'C', period: '2024Q2', u: 5, h: 110 },
    { area_id: 'D', period: '2024Q2', u: 3, h: 85 },
    { area_id: 'A', period: '2024Q3', u: 2, h: 100 },
    { area_id: 'B', period: '2024Q3', u: 4, h: 100 },
    { area_id: 'C', period: '2024Q3', u: 6, h: 120 },
    { area_id: 'D', period: '2024Q3', u: null, h: 90 },
  ];
  // Given out of time order on purpose: the table sorts periods by time.
  return indicatorTableFromRows([...rows.slice(8), ...rows.slice(0, 8)], { areaIds: ['A', 'B', 'C', 'D'] });
}

const cfg = (over: Partial<RiskConfig> = {}): RiskConfig => ({
  normalization: 'minmax',
  indicators: [
    { column: 'u', weight: 3, direction: 'up' },
    { column: 'h', weight: 2, direction: 'down' },
  ],
  tiers: [25, 50, 75],
  ...over,
});

const arr = (a: ArrayLike<number>) => Array.from(a);

describe('computeRiskIndex — hand-computed', () => {
  it('builds the table with periods sorted by time', () => {
    expect(city().periods).toEqual(['2024Q1', '2024Q2', '2024Q3']);
  });

  it('minmax, direction down, weights, missing > half of the weight', () => {
    const r = computeRiskIndex(city(), cfg());
    // s_u = (x − 2)/(6 − 2): A 0, B 0.5, C 1, D missing
    expect(arr(r.scores[0])).toEqual([0, 0.5, 1, NaN]);
    // h: (x − 90)/(120 − 90) = A 1/3, B 1/3, C 1, D 0; down → 1 − s = 2/3, 2/3, 0, 1
    expect(r.scores[1][0]).toBeCloseTo(2 / 3, 15);
    expect(r.scores[1][2]).toBe(0);
    expect(r.scores[1][3]).toBe(1);
    // A: 100·(3·0 + 2·2/3)/5 = 26.667; B: 100·(3·0.5 + 2·2/3)/5 = 56.667; C: 100·(3·1 + 0)/5 = 60
    expect(r.riskIndex[0]).toBeCloseTo(80 / 3, 12);
    expect(r.riskIndex[1]).toBeCloseTo(170 / 3, 12);
    expect(r.riskIndex[2]).toBeCloseTo(60, 12);
    // D lacks u (weight 3 of 5 > 2.5): empty, flagged; its h still set the minimum of h above.
    expect(r.riskIndex[3]).toBeNaN();
    expect(r.tier[3]).toBeNaN();
    expect(r.rank[3]).toBeNaN();
    expect(r.flags).toEqual(['', '', '', 'insufficient_data;missing:u']);
    expect(arr(r.tier.subarray(0, 3))).toEqual([2, 3, 3]);
    expect(arr(r.rank.subarray(0, 3))).toEqual([3, 2, 1]);
    expect(arr(r.order)).toEqual([2, 1, 0, 3]);
    expect(r.period).toBe('2024Q3');
  });

  it('exactly half of the weight missing is fine', () => {
    const r = computeRiskIndex(city(), cfg({ indicators: [{ column: 'u', weight: 1, direction: 'up' }, { column: 'h', weight: 1, direction: 'down' }] }));
    // D has only h (1 of 2): index = 100·(1·1)/1 = 100, flagged missing but not insufficient
    expect(r.riskIndex[3]).toBe(100);
    expect(r.flags[3]).toBe('missing:u');
    expect(r.rank[3]).toBe(1);
    expect(r.tier[3]).toBe(4);
    expect(r.weightCoverage[3]).toBe(0.5);
  });

  it('half of the weight in floating point (0.1 + 0.2 vs 0.3) is still exactly half', () => {
    const r = computeRiskIndex(city(), cfg({ indicators: [{ column: 'u', weight: 0.3, direction: 'up' }, { column: 'h', weight: 0.1 + 0.2, direction: 'down' }] }));
    expect(r.riskIndex[3]).toBeCloseTo(100, 12);
  });

  it('zscore: Φ((x − mean)/sd) with population sd', () => {
    const r = computeRiskIndex(city(), cfg({ normalization: 'zscore' }));
    // u: mean 4, sd = sqrt((4 + 0 + 4)/3) = 1.63299; z = ∓1.2247449 → Φ = 0.11033568, 0.5, 0.88966432
    expect(r.scores[0][0]).toBeCloseTo(0.11033568, 8);
    expect(r.scores[0][1]).toBe(0.5);
    expect(r.scores[0][2]).toBeCloseTo(0.88966432, 8);
    // h: mean 102.5, sd 10.8972474; z(A) = −0.2294157 → Φ 0.4092729, down → 0.5907271;
    // z(C) = 1.6059101 → 0.9458532 → 0.0541468; z(D) = −1.1470787 → 0.1256746 → 0.8743254
    expect(r.scores[1][0]).toBeCloseTo(0.5907271, 7);
    expect(r.scores[1][2]).toBeCloseTo(0.05414683, 8);
    expect(r.scores[1][3]).toBeCloseTo(0.87432545, 8);
    // A: 100·(3·0.11033568 + 2·0.5907271)/5 = 30.2492247 (scipy.stats.norm.cdf reference values)
    expect(r.riskIndex[0]).toBeCloseTo(30.24922468995454, 9);
    expect(r.riskIndex[1]).toBeCloseTo(53.62908383235913, 9);
    expect(r.riskIndex[2]).toBeCloseTo(55.545732260384774, 9);
  });

  it('rank: (rank − 1)/(m − 1) with average ranks for ties', () => {
    const r = computeRiskIndex(city(), cfg({ normalization: 'rank' }));
    // u: ranks 1, 2, 3 of m = 3 → 0, 0.5, 1
    expect(arr(r.scores[0])).toEqual([0, 0.5, 1, NaN]);
    // h: D 90 → 1, A & B 100 tie for 2 and 3 → 2.5, C 120 → 4; s = (r − 1)/3 = 0.5, 0.5, 1, 0; down → 0.5, 0.5, 0, 1
    expect(arr(r.scores[1])).toEqual([0.5, 0.5, 0, 1]);
    // A: 100·(0 + 2·0.5)/5 = 20; B: 100·(1.5 + 1)/5 = 50; C: 100·3/5 = 60
    expect(r.riskIndex[0]).toBeCloseTo(20, 12);
    expect(r.riskIndex[1]).toBeCloseTo(50, 12);
    expect(r.riskIndex[2]).toBeCloseTo(60, 12);
    // B sits exactly on the cut point 50 → tier 1 + #{25, 50} = 3
    expect(arr(r.tier.subarray(0, 3))).toEqual([1, 3, 3]);
  });

  it('a constant indicator scores 0.5 under every method, also with direction down', () => {
    const t = indicatorTableFromRows(
      ['A', 'B', 'C'].map((a, i) => ({ area_id: a, period: '2024', k: 7, x: i })),
    );
    for (const normalization of ['minmax', 'zscore', 'rank'] as const) {
      const r = computeRiskIndex(t, { normalization, indicators: [{ column: 'k', weight: 1, direction: 'down' }], tiers: [] });
      expect(arr(r.scores[0])).toEqual([0.5, 0.5, 0.5]);
      expect(arr(r.riskIndex)).toEqual([50, 50, 50]);
      expect(arr(r.rank)).toEqual([1, 1, 1]);
    }
  });

  it('an indicator only one area has is constant (m = 1 → 0.5)', () => {
    const t = indicatorTableFromRows([
      { area_id: 'A', period: '2024', x: 3 },
      { area_id: 'B', period: '2024', x: null },
    ]);
    const r = computeRiskIndex(t, { normalization: 'rank', indicators: [{ column: 'x', weight: 1, direction: 'up' }], tiers: [] });
    expect(arr(r.scores[0])).toEqual([0.5, NaN]);
  });

  it('d:COL:LAG, missing when either period is missing', () => {
    const r = computeRiskIndex(city(), cfg({ indicators: [{ column: 'd:h:2', weight: 1, direction: 'up' }] }));
    // d:h:2 at 2024Q3 = Q3 − Q1: A 10, B 0, C missing (Q1 h missing), D 10 → minmax over {10, 0, 10}
    expect(r.scoreColumns).toEqual(['s_d_h_2']);
    expect(arr(r.scores[0])).toEqual([1, 0, NaN, 1]);
    expect(r.flags[2]).toBe('insufficient_data;missing:d:h:2');
    // A and D tie at 100 → both rank 1; B rank 3 (competition ranking "113")
    expect(arr(r.rank)).toEqual([1, 3, NaN, 1]);
  });

  it('d: with no period LAG positions earlier is missing everywhere', () => {
    const prep = prepareRisk(city(), { period: '2024Q2', indicators: [{ column: 'd:u:2' }] });
    expect(arr(prep.raw[0])).toEqual([NaN, NaN, NaN, NaN]);
    const p1 = prepareRisk(city(), { period: '2024Q2', indicators: [{ column: 'd:u:1' }] });
    // Q2 − Q1: A 1, B −1, C 2, D 1
    expect(arr(p1.raw[0])).toEqual([1, -1, 2, 1]);
  });
});

describe('tiers and ranks', () => {
  // One indicator, minmax: x = 0, 25, 50, 75, 100 → index equals x.
  const t = indicatorTableFromRows([0, 25, 50, 75, 100, 50].map((x, i) => ({ area_id: `a${i}`, period: '2024-01', x })));
  const r = computeRiskIndex(t, { normalization: 'minmax', indicators: [{ column: 'x', weight: 1, direction: 'up' }], tiers: [25, 50, 75] });

  it('tier = 1 + number of cut points ≤ index, at exact cut points', () => {
    expect(arr(r.riskIndex)).toEqual([0, 25, 50, 75, 100, 50]);
    expect(arr(r.tier)).toEqual([1, 2, 3, 4, 4, 3]);
  });

  it('an index a rounding error below a cut point is on it', () => {
    expect(tierOf(49.999999999999993, [25, 50, 75])).toBe(3);
    expect(tierOf(49.9999, [25, 50, 75])).toBe(2);
    expect(tierOf(NaN, [25])).toBeNaN();
    expect(tierOf(10, [])).toBe(1);
  });

  it('competition ranking: ties share the best rank, the next skips ("1224")', () => {
    // index 100 → 1, 75 → 2, 50 & 50 → 3, 3, 25 → 5, 0 → 6
    expect(arr(r.rank)).toEqual([6, 5, 3, 2, 1, 3]);
    // ranking table order: by rank, ties by area_id (a2 before a5)
    expect(arr(r.order)).toEqual([4, 3, 2, 5, 1, 0]);
  });
});

describe('scoreRisk (the slider path)', () => {
  it('gives the same result as a full recompute with the new weights', () => {
    const table = city();
    const prep = prepareRisk(table, cfg());
    const moved = cfg({ indicators: [{ column: 'u', weight: 1, direction: 'up' }, { column: 'h', weight: 4, direction: 'up' }], normalization: 'zscore' });
    const fast = scoreRisk(prep, moved);
    const full = computeRiskIndex(table, moved);
    expect(arr(fast.riskIndex)).toEqual(arr(full.riskIndex));
    expect(fast.flags).toEqual(full.flags);
  });

  it('refuses indicators other than the prepared ones', () => {
    const prep = prepareRisk(city(), cfg());
    expect(() => scoreRisk(prep, cfg({ indicators: [{ column: 'h', weight: 1, direction: 'up' }] }))).toThrow(/prepareRisk again/);
  });

  it('contributions sum to the index', () => {
    const r = computeRiskIndex(city(), cfg({ normalization: 'zscore', indicators: [{ column: 'u', weight: 1, direction: 'up' }, { column: 'h', weight: 1, direction: 'down' }] }));
    for (let i = 0; i < 4; i++) {
      const sum = r.contributions.reduce((s, c) => s + (Number.isNaN(c[i]) ? 0 : c[i]), 0);
      expect(sum).toBeCloseTo(r.riskIndex[i], 12);
    }
    // D has only h: its contribution is the whole index, u's is empty
    expect(r.contributions[0][3]).toBeNaN();
  });

  it('all weights 0 leaves every index empty', () => {
    const prep = prepareRisk(city(), cfg());
    const r = scoreRisk(prep, cfg({ indicators: [{ column: 'u', weight: 0, direction: 'up' }, { column: 'h', weight: 0, direction: 'down' }] }));
    expect(arr(r.riskIndex).every(Number.isNaN)).toBe(true);
    expect(r.flags[0]).toBe('insufficient_data');
  });

  it('handles an empty area list', () => {
    const t: IndicatorTable = { areaIds: [], periods: ['2024'], values: { x: [new Float64Array(0)] } };
    const r = computeRiskIndex(t, { normalization: 'rank', indicators: [{ column: 'x', weight: 1, direction: 'up' }], tiers: [50] });
    expect(r.riskIndex.length).toBe(0);
    expect(riskRows(r)).toEqual([]);
  });
});

describe('riskRows', () => {
  it('has the CLI columns in order, NaN for empty', () => {
    const rows = riskRows(computeRiskIndex(city(), cfg({ indicators: [{ column: 'u', weight: 3, direction: 'up' }, { column: 'd:h:2', weight: 2, direction: 'down' }] })));
    expect(Object.keys(rows[0])).toEqual(['area_id', 'risk_index', 'tier', 'rank', 'flags', 's_u', 's_d_h_2']);
    expect(rows[3].area_id).toBe('D');
    expect(rows[3].risk_index).toBeNaN();
    expect(rows[3].flags).toBe('insufficient_data;missing:u');
  });
});

describe('computeRiskSeries and riskChange', () => {
  it('scores each period on its own and diffs two periods', () => {
    const series = computeRiskSeries(city(), cfg({ indicators: [{ column: 'u', weight: 1, direction: 'up' }] }));
    expect(series.map((s) => s.period)).toEqual(['2024Q1', '2024Q2', '2024Q3']);
    // Q1 u: 1, 5, 3, 2 → minmax 0, 1, 0.5, 0.25 → 0, 100, 50, 25
    expect(arr(series[0].riskIndex)).toEqual([0, 100, 50, 25]);
    // Q2 u: 2, 4, 5, 3 → 0, 2/3, 1, 1/3
    const ch = riskChange(series[0], series[1]);
    expect(ch.indexChange[0]).toBe(0);
    expect(ch.indexChange[1]).toBeCloseTo(200 / 3 - 100, 12);
    expect(ch.indexChange[2]).toBe(50);
    // C moved from rank 2 to rank 1: +1
    expect(ch.rankChange[2]).toBe(1);
    // Q3: D has no u → empty → change empty
    expect(riskChange(series[1], series[2]).indexChange[3]).toBeNaN();
  });
});
