import { describe, expect, it } from 'vitest';
import { coverageProblemFromSets } from './coverage.ts';
import { loadHighs } from './highs-solver.ts';
import { solveLscpExact, solveLscpGreedy } from './lscp.ts';
import { mulberry32 } from './rng.ts';
import { coveredDemandOf } from './site-selection.ts';

function* combos(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) { yield acc.slice(); return; }
  for (let j = start; j < n; j++) { acc.push(j); yield* combos(n, k, j + 1, acc); acc.pop(); }
}

/** Demand a, b = 6, c, d = 5; M {a, b}, L {a, c}, R {b, d}. */
const trap = (existingCovered?: number[]) => coverageProblemFromSets({ weight: [6, 6, 5, 5], sets: [[0, 1], [0, 2], [1, 3]], existingCovered });

describe('solveLscpGreedy', () => {
  it('covers everything with 2 sites: greedy takes M, L, R, then drops the redundant M', () => {
    const r = solveLscpGreedy(trap(), { targetShare: 1 });
    expect(r.feasible).toBe(true);
    expect(r.sites.map((s) => s.candidate)).toEqual([1, 2]);
    expect(r.coveredDemand).toBe(22);
  });

  it('needs one site for half the demand, none when existing sites suffice', () => {
    expect(solveLscpGreedy(trap(), { targetShare: 0.5 }).sites.map((s) => s.candidate)).toEqual([0]);
    const done = solveLscpGreedy(trap([1, 1, 1, 0]), { targetShare: 0.7 });
    expect(done.sites).toEqual([]);
    expect(done.feasible).toBe(true);
  });

  it('says when the target cannot be reached', () => {
    const p = coverageProblemFromSets({ weight: [5, 5], sets: [[0]] });
    const r = solveLscpGreedy(p, { targetShare: 0.9 });
    expect(r.feasible).toBe(false);
    expect(r.maxCoverableDemand).toBe(5);
    expect(r.warnings.map((w) => w.code)).toContain('target_unreachable');
    expect(() => solveLscpGreedy(p, { targetShare: 1.5 })).toThrow(/targetShare/);
  });
});

describe('solveLscpExact', () => {
  it('matches the brute-force minimum number of sites on 20 seeded tiny instances', async () => {
    const highs = await loadHighs();
    for (let seed = 1; seed <= 20; seed++) {
      const rng = mulberry32(seed);
      const nC = 12, nD = 40;
      const weight = Array.from({ length: nD }, () => 1 + Math.floor(rng() * 10));
      const sets = Array.from({ length: nC }, () => Array.from({ length: nD }, (_, i) => i).filter(() => rng() < 0.2));
      const p = coverageProblemFromSets({ weight, sets });
      const targetShare = 0.6 + 0.3 * rng();
      const target = targetShare * p.totalDemand * (1 - 1e-12);
      let best = -1;
      for (let k = 0; k <= nC && best < 0; k++) for (const c of combos(nC, k)) if (coveredDemandOf(p, c) >= target) { best = k; break; }
      const exact = solveLscpExact(highs, p, { targetShare });
      const greedy = solveLscpGreedy(p, { targetShare });
      if (best < 0) {
        expect(exact.feasible).toBe(false);
        continue;
      }
      expect(exact.status).toBe('optimal');
      expect(exact.sites.length).toBe(best);
      expect(exact.coveredDemand).toBeGreaterThanOrEqual(target);
      expect(greedy.sites.length).toBeGreaterThanOrEqual(best);
    }
  });

  it('keeps pins and returns without solving when existing sites already meet the target', async () => {
    const highs = await loadHighs();
    const pinned = solveLscpExact(highs, trap(), { targetShare: 1, pinned: [0] });
    expect(pinned.sites.map((s) => s.candidate).sort()).toEqual([0, 1, 2]);
    const met = solveLscpExact(highs, trap([1, 1, 1, 1]), { targetShare: 1 });
    expect([met.status, met.sites.length, met.timeS]).toEqual(['optimal', 0, 0]);
    const impossible = solveLscpExact(highs, coverageProblemFromSets({ weight: [5, 5], sets: [[0]] }), { targetShare: 1 });
    expect(impossible.status).toBe('infeasible');
  });
});
