import { describe, expect, it } from 'vitest';
import { coverageProblemFromSets, type CoverageProblem } from './coverage.ts';
import { EARTH_RADIUS_M } from './haversine.ts';
import { solveMclpGreedy } from './mclp.ts';
import { coveredDemandOf } from './site-selection.ts';
import { mulberry32 } from './rng.ts';

const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

/**
 * The greedy trap, by hand. Demand a, b weigh 6; c, d weigh 5.
 * Candidate M covers {a, b} = 12, L covers {a, c} = 11, R covers {b, d} = 11.
 * k = 2: greedy takes M (12) then L (+5) = 17; the optimum is {L, R} = 22 (all demand),
 * which one swap (M out, R in: +11 − 6 = +5) reaches.
 */
function trap(existingCovered?: number[]): CoverageProblem {
  return coverageProblemFromSets({ weight: [6, 6, 5, 5], sets: [[0, 1], [0, 2], [1, 3]], existingCovered });
}
const M = 0, L = 1, R = 2;

describe('solveMclpGreedy on a hand-made instance', () => {
  it('greedy alone falls in the trap (17)', () => {
    const r = solveMclpGreedy(trap(), { k: 2, localSearch: false });
    expect(r.greedyCoveredDemand).toBe(17);
    expect(r.coveredDemand).toBe(17);
    expect(r.sites.map((s) => s.candidate)).toEqual([M, L]);
  });

  it('1-swap local search reaches the optimum 22 and reports DESIGN.md rank order', () => {
    const r = solveMclpGreedy(trap(), { k: 2, restarts: 0 });
    expect(r.greedyCoveredDemand).toBe(17);
    expect(r.swaps).toBe(1);
    expect(r.sites).toEqual([
      // L and R tie at 11: the lower index ranks first; R then still adds 11.
      { rank: 1, candidate: L, marginalDemand: 11, coveredDemand: 11, coveragePct: 50, pinned: false },
      { rank: 2, candidate: R, marginalDemand: 11, coveredDemand: 22, coveragePct: 100, pinned: false },
    ]);
    expect([r.coveredDemand, r.coveragePct, r.totalDemand]).toEqual([22, 100, 22]);
  });

  it('proves its answer optimal when the Lagrangian bound meets it', () => {
    const r = solveMclpGreedy(trap(), { k: 2 });
    expect(r.coveredDemand).toBe(22);
    expect(r.upperBound).toBeCloseTo(22, 3);
    expect(solveMclpGreedy(trap(), { k: 2, lagrangian: false }).upperBound).toBeNaN();
  });

  it('counts demand existing sites cover as covered, and only adds the rest', () => {
    // Existing covers a: M now adds 6, L adds 5, R adds 11.
    const r = solveMclpGreedy(trap([1, 0, 0, 0]), { k: 1 });
    expect(r.existingCoveredDemand).toBe(6);
    expect(r.sites).toEqual([{ rank: 1, candidate: R, marginalDemand: 11, coveredDemand: 17, coveragePct: (100 * 17) / 22, pinned: false }]);
  });

  it('keeps pinned sites (never swapped out) and skips excluded ones', () => {
    const pinned = solveMclpGreedy(trap(), { k: 2, pinned: [M] });
    expect(pinned.sites.map((s) => [s.candidate, s.pinned])).toEqual([[M, true], [L, false]]);
    expect(pinned.coveredDemand).toBe(17);
    const excl = solveMclpGreedy(trap(), { k: 2, excluded: [R] });
    expect(excl.sites.map((s) => s.candidate).sort()).toEqual([M, L]);
    const zone = solveMclpGreedy(trap(), { k: 1, allowed: [1, 0, 1] });
    expect(zone.sites.map((s) => s.candidate)).toEqual([M]);
  });

  it('explains impossible requests', () => {
    expect(() => solveMclpGreedy(trap(), { k: 1, pinned: [M, L] })).toThrow(/2 sites are pinned but k is 1/);
    expect(() => solveMclpGreedy(trap(), { k: 1, pinned: [M], excluded: [M] })).toThrow(/both pinned and excluded/);
    expect(() => solveMclpGreedy(trap(), { k: 1, pinned: [7] })).toThrow(/not in 0..2/);
    expect(() => solveMclpGreedy(trap(), { k: -1 })).toThrow(/k must be/);
    expect(solveMclpGreedy(trap(), { k: 1, pinned: [M], allowed: [0, 1, 1] }).warnings).toContainEqual({ code: 'pinned_in_exclusion_zone', params: { candidate: M } });
  });

  it('stops early with a warning when no candidate adds demand', () => {
    // {L, R} covers everything: M would add nothing, so it is not reported.
    const r = solveMclpGreedy(trap(), { k: 5 });
    expect(r.sites.map((s) => s.candidate)).toEqual([L, R]);
    expect(r.warnings).toContainEqual({ code: 'fewer_sites_than_k', params: { chosen: 2, k: 5 } });
  });

  it('handles empty input on purpose', () => {
    const none = coverageProblemFromSets({ weight: [], sets: [] });
    const r = solveMclpGreedy(none, { k: 3 });
    expect(r.sites).toEqual([]);
    expect(r.coveragePct).toBeNaN();
    expect(r.warnings.map((w) => w.code)).toContain('no_demand');
    expect(solveMclpGreedy(trap(), { k: 0 }).sites).toEqual([]);
  });

  it('respects the minimum spacing, in greedy and in swaps', () => {
    // M and L are 300 m apart, R 2 km away. With 500 m spacing {M, L} is forbidden.
    const p = coverageProblemFromSets({ weight: [6, 6, 5, 5], sets: [[0, 1], [0, 2], [1, 3]], candidateLon: [0, eqDeg(300), eqDeg(2000)], candidateLat: [0, 0, 0] });
    const r = solveMclpGreedy(p, { k: 2, minSpacingM: 500, localSearch: false });
    expect(r.sites.map((s) => s.candidate).sort()).toEqual([M, R]);
    // Swap M out for L? L is within 500 m of M only, so the swap M → L is allowed: {L, R} = 22.
    const s = solveMclpGreedy(p, { k: 2, minSpacingM: 500, restarts: 0 });
    expect(s.coveredDemand).toBe(22);
    const tight = solveMclpGreedy(p, { k: 2, minSpacingM: 2500 });
    expect(tight.sites.length).toBe(1);
  });

  it('warns when pinned sites break the spacing', () => {
    const p = coverageProblemFromSets({ weight: [1, 1], sets: [[0], [1]], candidateLon: [0, eqDeg(100)], candidateLat: [0, 0] });
    expect(solveMclpGreedy(p, { k: 2, pinned: [0, 1], minSpacingM: 500 }).warnings).toContainEqual({ code: 'pinned_too_close', params: { a: 0, b: 1, minSpacingM: 500 } });
  });

  it('honours an aborted signal and reports progress', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => solveMclpGreedy(trap(), { k: 2, signal: ac.signal })).toThrow(/abort/i);
    const stages = new Set<string>();
    solveMclpGreedy(trap(), { k: 2, onProgress: (p) => stages.add(p.stage) });
    expect([...stages]).toEqual(['greedy', 'swap']);
  });
});

describe('solveMclpGreedy against brute force', () => {
  function* combos(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
    if (acc.length === k) { yield acc.slice(); return; }
    for (let j = start; j < n; j++) { acc.push(j); yield* combos(n, k, j + 1, acc); acc.pop(); }
  }

  it("is within 1 % of the optimum on 40 seeded random instances (usually equal)", () => {
    let equal = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rng = mulberry32(seed);
      const nC = 12 + (seed % 5), nD = 60, k = 2 + (seed % 3);
      const weight = Array.from({ length: nD }, () => Math.floor(rng() * 20));
      const sets = Array.from({ length: nC }, () => Array.from({ length: nD }, (_, i) => i).filter(() => rng() < 0.15));
      const existingCovered = Array.from({ length: nD }, () => (rng() < 0.1 ? 1 : 0));
      const p = coverageProblemFromSets({ weight, sets, existingCovered });
      let best = 0;
      for (const c of combos(nC, k)) best = Math.max(best, coveredDemandOf(p, c));
      const r = solveMclpGreedy(p, { k });
      expect(r.coveredDemand).toBeGreaterThanOrEqual(0.99 * best);
      expect(r.coveredDemand).toBeLessThanOrEqual(best);
      // The Lagrangian bound is a proven upper bound on the optimum.
      expect(r.upperBound).toBeGreaterThanOrEqual(best - 1e-9);
      if (r.coveredDemand === best) equal++;
    }
    expect(equal).toBeGreaterThanOrEqual(38);
  });
});
