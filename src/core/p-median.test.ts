import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M, haversineM } from './haversine.ts';
import { preparePMedian, solvePMedian } from './p-median.ts';
import { mulberry32 } from './rng.ts';

const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

function* combos(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) { yield acc.slice(); return; }
  for (let j = start; j < n; j++) { acc.push(j); yield* combos(n, k, j + 1, acc); acc.pop(); }
}

describe('solvePMedian', () => {
  it('puts one site at the weighted median of a line (hand-checked)', () => {
    // Demand at 0, 1000, 2000 m with weights 1, 1, 5: the weighted median is 2000.
    // Cost at 2000: 1·2000 + 1·1000 = 3000; at 1000: 1000 + 5·1000 = 6000.
    const xs = [0, 1000, 2000];
    const r = solvePMedian(
      { demand: { lon: xs.map(eqDeg), lat: [0, 0, 0], weight: [1, 1, 5] }, existing: { lon: [], lat: [] }, candidates: { lon: xs.map(eqDeg), lat: [0, 0, 0] }, maxDistanceM: Infinity },
      { k: 1 },
    );
    expect(r.sites.map((s) => s.candidate)).toEqual([2]);
    expect(r.meanDistanceAfterM).toBeCloseTo(3000 / 7, 6);
    expect(r.meanDistanceBeforeM).toBe(Infinity);
  });

  it('accounts for existing sites: a new site only helps demand it brings closer', () => {
    const xs = [0, 1000, 2000, 3000];
    const r = solvePMedian(
      { demand: { lon: xs.map(eqDeg), lat: [0, 0, 0, 0], weight: [1, 1, 1, 1] }, existing: { lon: [0], lat: [0] }, candidates: { lon: [eqDeg(1000), eqDeg(3000)], lat: [0, 0] }, maxDistanceM: Infinity },
      { k: 1 },
    );
    // Before: 0 + 1000 + 2000 + 3000 = 6000. At 1000: 0+0+1000+2000 = 3000; at 3000: 0+1000+1000+0 = 2000.
    expect(r.sites[0]).toEqual({ rank: 1, candidate: 1, reductionWeightedM: expect.closeTo(4000, 6), meanDistanceM: expect.closeTo(500, 6), pinned: false });
    expect(r.meanDistanceBeforeM).toBeCloseTo(1500, 6);
    expect(r.meanDistanceAfterM).toBeCloseTo(500, 6);
  });

  it('equals the brute-force optimum on seeded random instances (uncapped) or stays within 1 %', () => {
    let equal = 0;
    for (let seed = 1; seed <= 15; seed++) {
      const rng = mulberry32(seed);
      const nD = 80, nC = 12, k = 2 + (seed % 3);
      const demand = { lon: Array.from({ length: nD }, () => rng() * 0.1), lat: Array.from({ length: nD }, () => rng() * 0.1), weight: Array.from({ length: nD }, () => 1 + Math.floor(rng() * 9)) };
      const candidates = { lon: Array.from({ length: nC }, () => rng() * 0.1), lat: Array.from({ length: nC }, () => rng() * 0.1) };
      const existing = { lon: [0.05], lat: [0.05] };
      const cost = (set: number[]) => demand.lon.reduce((t, lon, i) => {
        let d = haversineM(lon, demand.lat[i], existing.lon[0], existing.lat[0]);
        for (const j of set) d = Math.min(d, haversineM(lon, demand.lat[i], candidates.lon[j], candidates.lat[j]));
        return t + demand.weight[i] * d;
      }, 0);
      let best = Infinity;
      for (const c of combos(nC, k)) best = Math.min(best, cost(c));
      const total = demand.weight.reduce((t, w) => t + w, 0);
      const r = solvePMedian({ demand, existing, candidates, maxDistanceM: Infinity }, { k });
      const got = r.meanDistanceAfterM * total;
      expect(got).toBeLessThanOrEqual(best * 1.01);
      expect(got).toBeGreaterThanOrEqual(best - 1e-6);
      if (Math.abs(got - best) < 1e-6) equal++;
    }
    expect(equal).toBeGreaterThanOrEqual(13);
  });

  it('with a distance cap, far demand counts as the cap while optimising, but is reported uncapped', () => {
    const r = solvePMedian(
      { demand: { lon: [0, eqDeg(50000)], lat: [0, 0], weight: [1, 1] }, existing: { lon: [], lat: [] }, candidates: { lon: [0], lat: [0] }, maxDistanceM: 10000 },
      { k: 1 },
    );
    expect(r.sites[0].meanDistanceM).toBeCloseTo(5000, 6);
    expect(r.meanDistanceAfterM).toBeCloseTo(25000, 3);
  });

  it('prepared once, re-solves other weights of the same points exactly as a fresh solve (the bootstrap path)', () => {
    const rng = mulberry32(17);
    const n = 600, m = 50;
    const demand = { lon: Array.from({ length: n }, () => 121.4 + rng() * 0.1), lat: Array.from({ length: n }, () => 31.1 + rng() * 0.1), weight: Array.from({ length: n }, () => 1) };
    const existing = { lon: [121.42, 121.47], lat: [31.13, 31.16] };
    const candidates = { lon: Array.from({ length: m }, () => 121.4 + rng() * 0.1), lat: Array.from({ length: m }, () => 31.1 + rng() * 0.1) };
    const input = { demand, existing, candidates, maxDistanceM: 6000 };
    const prepared = preparePMedian(input);
    for (let b = 0; b < 4; b++) {
      const w = demand.weight.map(() => Math.floor(rng() * 3));
      const x = { ...input, demand: { ...demand, weight: w } };
      const opts = { k: 4, restarts: 2, ...(b === 3 ? { pinned: [5], minSpacingM: 800 } : {}) };
      const fresh = solvePMedian(x, opts);
      const reused = solvePMedian(x, opts, prepared);
      expect(reused.sites).toEqual(fresh.sites);
      expect(reused.meanDistanceAfterM).toBe(fresh.meanDistanceAfterM);
    }
    expect(() => solvePMedian({ ...input, candidates: { lon: [0], lat: [0] } }, { k: 1 }, prepared)).toThrow(/prepared for 600 points and 50 candidates/);
  });

  it('honours pins, exclusions and empty input', () => {
    const xs = [0, 1000, 2000];
    const input = { demand: { lon: xs.map(eqDeg), lat: [0, 0, 0], weight: [1, 1, 5] }, existing: { lon: [], lat: [] }, candidates: { lon: xs.map(eqDeg), lat: [0, 0, 0] } };
    expect(solvePMedian(input, { k: 1, pinned: [0] }).sites.map((s) => [s.candidate, s.pinned])).toEqual([[0, true]]);
    expect(solvePMedian(input, { k: 1, excluded: [2] }).sites.map((s) => s.candidate)).toEqual([1]);
    const empty = solvePMedian({ demand: { lon: [], lat: [], weight: [] }, existing: { lon: [], lat: [] }, candidates: { lon: [], lat: [] } }, { k: 2 });
    expect(empty.sites).toEqual([]);
    expect(empty.meanDistanceAfterM).toBeNaN();
  });
});
