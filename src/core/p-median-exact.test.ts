import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M, haversineM } from './haversine.ts';
import { loadHighs } from './highs-solver.ts';
import { solvePMedian } from './p-median.ts';
import { solvePMedianExact } from './p-median-exact.ts';
import { mulberry32 } from './rng.ts';

const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

function* combos(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) { yield acc.slice(); return; }
  for (let j = start; j < n; j++) { acc.push(j); yield* combos(n, k, j + 1, acc); acc.pop(); }
}

describe('solvePMedianExact', () => {
  it('solves the hand-checked line: existing at 0, one new site best at 3000 m', async () => {
    const highs = await loadHighs();
    const xs = [0, 1000, 2000, 3000];
    const r = solvePMedianExact(highs, { demand: { lon: xs.map(eqDeg), lat: [0, 0, 0, 0], weight: [1, 1, 1, 1] }, existing: { lon: [0], lat: [0] }, candidates: { lon: [eqDeg(1000), eqDeg(3000)], lat: [0, 0] }, maxDistanceM: Infinity }, { k: 1 });
    expect(r.status).toBe('optimal');
    expect(r.sites.map((s) => s.candidate)).toEqual([1]);
    // 0 + 1000 + 1000 + 0
    expect(r.objective).toBeCloseTo(2000, 3);
    expect(r.meanDistanceAfterM).toBeCloseTo(500, 6);
  });

  it('equals brute force over every k-subset of ≤ 16 candidates; greedy stays within 1 %', async () => {
    const highs = await loadHighs();
    const rng = mulberry32(11);
    for (let trial = 0; trial < 6; trial++) {
      const n = 60, m = 14, k = 2 + (trial % 3);
      const demand = { lon: Array.from({ length: n }, () => 121.4 + rng() * 0.08), lat: Array.from({ length: n }, () => 31.2 + rng() * 0.08), weight: Array.from({ length: n }, () => 1 + Math.floor(rng() * 5)) };
      const candidates = { lon: Array.from({ length: m }, () => 121.4 + rng() * 0.08), lat: Array.from({ length: m }, () => 31.2 + rng() * 0.08) };
      const existing = trial % 2 ? { lon: [121.44], lat: [31.24] } : { lon: [], lat: [] };
      const input = { demand, existing, candidates, maxDistanceM: Infinity };
      let best = Infinity;
      for (const S of combos(m, k)) {
        let t = 0;
        for (let i = 0; i < n; i++) {
          let d = existing.lon.length ? haversineM(demand.lon[i], demand.lat[i], existing.lon[0], existing.lat[0]) : Math.PI * EARTH_RADIUS_M;
          for (const j of S) d = Math.min(d, haversineM(demand.lon[i], demand.lat[i], candidates.lon[j], candidates.lat[j]));
          t += demand.weight[i] * d;
        }
        best = Math.min(best, t);
      }
      const x = solvePMedianExact(highs, input, { k });
      expect(x.status).toBe('optimal');
      expect(x.objective).toBeCloseTo(best, 2);
      const total = demand.weight.reduce((a, b) => a + b, 0);
      expect(x.meanDistanceAfterM * total).toBeCloseTo(best, 2);
      const g = solvePMedian(input, { k });
      expect(g.meanDistanceAfterM * total).toBeLessThanOrEqual(best * 1.01);
    }
  });
});
