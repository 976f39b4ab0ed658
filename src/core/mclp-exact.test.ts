import { describe, expect, it } from 'vitest';
import { buildCoverageProblem, coverageProblemFromSets } from './coverage.ts';
import { EARTH_RADIUS_M } from './haversine.ts';
import { groupDemand, loadHighs } from './highs-solver.ts';
import { solveMclpExact } from './mclp-exact.ts';
import { solveMclpGreedy } from './mclp.ts';
import { mulberry32 } from './rng.ts';
import { coveredDemandOf } from './site-selection.ts';

const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

function* combos(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) { yield acc.slice(); return; }
  for (let j = start; j < n; j++) { acc.push(j); yield* combos(n, k, j + 1, acc); acc.pop(); }
}

describe('solveMclpExact', () => {
  it('solves the greedy trap to its optimum (22 = all demand) with gap 0', async () => {
    const highs = await loadHighs();
    // Demand a, b = 6, c, d = 5; M {a, b}, L {a, c}, R {b, d}; optimum {L, R}.
    const p = coverageProblemFromSets({ weight: [6, 6, 5, 5], sets: [[0, 1], [0, 2], [1, 3]] });
    const r = solveMclpExact(highs, p, { k: 2, warmStart: false });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(22, 9);
    expect(r.gap).toBe(0);
    expect(r.sites.map((s) => [s.rank, s.candidate, s.marginalDemand, s.coveredDemand])).toEqual([[1, 1, 11, 11], [2, 2, 11, 22]]);
  });

  it('adds existing coverage to the objective and keeps pins and spacing', async () => {
    const highs = await loadHighs();
    const base = { weight: [6, 6, 5, 5], sets: [[0, 1], [0, 2], [1, 3]], candidateLon: [0, eqDeg(300), eqDeg(2000)], candidateLat: [0, 0, 0] };
    const ex = solveMclpExact(highs, coverageProblemFromSets({ ...base, existingCovered: [1, 0, 0, 0] }), { k: 1 });
    expect([ex.sites[0].candidate, ex.objective]).toEqual([2, 17]);
    const pin = solveMclpExact(highs, coverageProblemFromSets(base), { k: 2, pinned: [0] });
    expect(pin.objective).toBe(17);
    expect(pin.sites.find((s) => s.candidate === 0)?.pinned).toBe(true);
    // M (0) and L (1) are 300 m apart: with 500 m spacing the optimum {L, R} is still allowed, {M, L} is not.
    const sp = solveMclpExact(highs, coverageProblemFromSets(base), { k: 2, minSpacingM: 500, excluded: [2] });
    expect(sp.sites.length).toBe(1);
    expect(sp.objective).toBe(12);
  });

  it('equals the brute-force optimum on 25 seeded tiny instances; greedy + swap stays within 1 %', async () => {
    const highs = await loadHighs();
    for (let seed = 100; seed < 125; seed++) {
      const rng = mulberry32(seed);
      const nC = 10 + (seed % 4), nD = 40, k = 2 + (seed % 3);
      const weight = Array.from({ length: nD }, () => 1 + Math.floor(rng() * 30));
      const sets = Array.from({ length: nC }, () => Array.from({ length: nD }, (_, i) => i).filter(() => rng() < 0.2));
      const existingCovered = Array.from({ length: nD }, () => (rng() < 0.1 ? 1 : 0));
      const p = coverageProblemFromSets({ weight, sets, existingCovered });
      let best = 0;
      for (const c of combos(nC, k)) best = Math.max(best, coveredDemandOf(p, c));
      const exact = solveMclpExact(highs, p, { k, warmStart: seed % 2 === 0 });
      expect(exact.status).toBe('optimal');
      expect(exact.coveredDemand).toBe(best);
      expect(exact.objective).toBeCloseTo(best, 6);
      expect(solveMclpGreedy(p, { k }).coveredDemand).toBeGreaterThanOrEqual(0.99 * best);
    }
  });

  it('matches greedy on a geographic instance and never reports worse than its warm start', async () => {
    const highs = await loadHighs();
    const rng = mulberry32(5);
    const n = 600, c = 150;
    const demand = { lon: Float64Array.from({ length: n }, () => 121.4 + rng() * 0.15), lat: Float64Array.from({ length: n }, () => 31.15 + rng() * 0.15), weight: Float64Array.from({ length: n }, () => Math.floor(rng() * 50)) };
    const p = buildCoverageProblem({ demand, existing: { lon: [121.47], lat: [31.22] }, candidates: { lon: Float64Array.from({ length: c }, () => 121.4 + rng() * 0.15), lat: Float64Array.from({ length: c }, () => 31.15 + rng() * 0.15) } });
    const g = solveMclpGreedy(p, { k: 6 });
    const e = solveMclpExact(highs, p, { k: 6 });
    expect(e.status).toBe('optimal');
    expect(e.coveredDemand).toBeGreaterThanOrEqual(g.coveredDemand);
    expect(g.coveredDemand).toBeGreaterThanOrEqual(0.99 * e.coveredDemand);
    expect(e.greedyCoveredDemand).toBe(g.coveredDemand);
    expect(e.model.demandGroups).toBeLessThan(n);
  });

  it('reports status, bound and gap when the time limit stops it', async () => {
    const highs = await loadHighs();
    const rng = mulberry32(9);
    const nD = 3000, nC = 400;
    const weight = Array.from({ length: nD }, () => 1 + Math.floor(rng() * 100));
    const sets = Array.from({ length: nC }, () => Array.from({ length: 40 }, () => Math.floor(rng() * nD)).filter((v, i, a) => a.indexOf(v) === i));
    const p = coverageProblemFromSets({ weight, sets });
    const r = solveMclpExact(highs, p, { k: 25, timeLimitS: 0.2 });
    expect(['time_limit', 'optimal']).toContain(r.status);
    if (r.status === 'time_limit') {
      expect(r.bound).toBeGreaterThanOrEqual(r.objective);
      expect(r.gap).toBeGreaterThan(0);
      expect(r.warnings.map((w) => w.code)).toContain('exact_not_optimal');
    }
    // The warm start guarantees a solution at least as good as greedy + swap.
    expect(r.coveredDemand).toBeGreaterThanOrEqual(r.greedyCoveredDemand);
  });

  it('drops dominated candidates without changing the optimum', async () => {
    const highs = await loadHighs();
    // 0 ⊂ 1, 2 = 3 (the higher index goes), 4 disjoint.
    const p = coverageProblemFromSets({ weight: [5, 4, 3, 2, 1, 9], sets: [[0], [0, 1], [2, 3], [2, 3], [4, 5]] });
    for (const k of [1, 2, 3]) {
      const a = solveMclpExact(highs, p, { k });
      const b = solveMclpExact(highs, p, { k, dropDominated: false });
      expect(a.objective).toBe(b.objective);
      expect(a.model.columns).toBeLessThan(b.model.columns);
    }
    expect(solveMclpExact(highs, p, { k: 3 }).sites.map((s) => s.candidate).sort()).toEqual([1, 2, 4]);
  });

  it('handles an instance with nothing left to cover', async () => {
    const highs = await loadHighs();
    const p = coverageProblemFromSets({ weight: [3, 4], sets: [[0], [1]], existingCovered: [1, 1] });
    const r = solveMclpExact(highs, p, { k: 2 });
    expect(r.sites).toEqual([]);
    expect(r.objective).toBe(7);
    expect(r.coveragePct).toBe(100);
  });
});

describe('groupDemand', () => {
  it('drops covered, zero and unreachable demand and merges identical candidate sets', () => {
    // d0, d1 both covered by {0, 1}; d2 only by 1; d3 by nobody; d4 weight 0; d5 existing-covered.
    const p = coverageProblemFromSets({ weight: [1, 2, 4, 8, 0, 16], sets: [[0, 1, 4, 5], [0, 1, 2, 4, 5]], existingCovered: [0, 0, 0, 0, 0, 1] });
    const g = groupDemand(p, new Uint8Array([1, 1]));
    expect(g.count).toBe(2);
    expect(Array.from(g.weight)).toEqual([3, 4]);
    expect(Array.from(g.offsets)).toEqual([0, 2, 3]);
    expect(Array.from(g.candidates)).toEqual([0, 1, 1]);
  });
});
