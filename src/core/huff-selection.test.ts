import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M } from './haversine.ts';
import { HuffModel } from './huff.ts';
import { HuffGains, siteMetrics, solveHuffGreedy } from './huff-selection.ts';
import { mulberry32 } from './rng.ts';

const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

function city(seed: number) {
  const rng = mulberry32(seed);
  const n = 800;
  const demand = { lon: Array.from({ length: n }, () => 121.4 + rng() * 0.2), lat: Array.from({ length: n }, () => 31.1 + rng() * 0.2), weight: Array.from({ length: n }, () => Math.floor(rng() * 50)) };
  const sites = { lon: Array.from({ length: 12 }, () => 121.4 + rng() * 0.2), lat: Array.from({ length: 12 }, () => 31.1 + rng() * 0.2), owner: Array.from({ length: 12 }, (_, j) => (j % 3 === 0 ? 'own' : j % 3 === 1 ? 'ICBC' : 'CCB')) };
  const candidates = { lon: Array.from({ length: 60 }, () => 121.4 + rng() * 0.2), lat: Array.from({ length: 60 }, () => 31.1 + rng() * 0.2) };
  return { demand, sites, candidates };
}

describe('solveHuffGreedy', () => {
  it('its cumulative captured demand equals a Huff re-run with the chosen sites added', () => {
    const { demand, sites, candidates } = city(1);
    const r = solveHuffGreedy({ demand, sites, candidates, huff: { cutoffM: 3000 } }, { k: 4 });
    expect(r.sites.length).toBe(4);
    const chosen = r.sites.map((s) => s.candidate);
    const merged = { lon: [...sites.lon, ...chosen.map((c) => candidates.lon[c])], lat: [...sites.lat, ...chosen.map((c) => candidates.lat[c])], owner: [...sites.owner, ...chosen.map(() => 'own')] };
    const after = new HuffModel(demand, merged, { cutoffM: 3000 }).evaluate();
    expect(r.ownCapturedAfter).toBeCloseTo(after.ownCapturedDemand, 6);
    expect(r.sites.at(-1)?.coveredDemand).toBeCloseTo(after.ownCapturedDemand, 6);
    for (let q = 1; q < r.sites.length; q++) expect(r.sites[q].marginalDemand).toBeLessThanOrEqual(r.sites[q - 1].marginalDemand + 1e-9);
  });

  it('prefers taking from a competitor to cannibalising our own branch', () => {
    // Demand 100 at 0 and 100 at 3000 m. Our branch sits at 0, a competitor at 3000.
    // A new site at 100 m mostly re-captures our own customers; one at 2900 m wins the competitor's.
    const demand = { lon: [0, eqDeg(3000)], lat: [0, 0], weight: [100, 100] };
    const sites = { lon: [0, eqDeg(3000)], lat: [0, 0], owner: ['own', 'X'] };
    const candidates = { lon: [eqDeg(100), eqDeg(2900)], lat: [0, 0] };
    const r = solveHuffGreedy({ demand, sites, candidates }, { k: 1 });
    expect(r.sites[0].candidate).toBe(1);
  });

  it('keeps pins, exclusions and k = 0', () => {
    const { demand, sites, candidates } = city(2);
    expect(solveHuffGreedy({ demand, sites, candidates }, { k: 2, pinned: [5] }).sites.some((s) => s.candidate === 5 && s.pinned)).toBe(true);
    const all = solveHuffGreedy({ demand, sites, candidates }, { k: 1 }).sites[0].candidate;
    expect(solveHuffGreedy({ demand, sites, candidates }, { k: 1, excluded: [all] }).sites[0].candidate).not.toBe(all);
    expect(solveHuffGreedy({ demand, sites, candidates }, { k: 0 }).sites).toEqual([]);
  });
});

/** Plain greedy, independent of the solver: each step re-runs the whole Huff model with every candidate added. */
function referenceGreedy(demand: { lon: number[]; lat: number[]; weight: number[] }, sites: { lon: number[]; lat: number[]; owner: string[] }, candidates: { lon: number[]; lat: number[] }, k: number, huff: { cutoffM: number }): number[] {
  const chosen: number[] = [];
  const captured = (extra: number[]) => new HuffModel(demand, {
    lon: [...sites.lon, ...extra.map((c) => candidates.lon[c])], lat: [...sites.lat, ...extra.map((c) => candidates.lat[c])], owner: [...sites.owner, ...extra.map(() => 'own')],
  }, huff).evaluate().ownCapturedDemand;
  for (let step = 0; step < k; step++) {
    const base = captured(chosen);
    let best = -1, bestGain = 0;
    for (let c = 0; c < candidates.lon.length; c++) {
      if (chosen.includes(c)) continue;
      const g = captured([...chosen, c]) - base;
      if (g > bestGain + 1e-9) { best = c; bestGain = g; }
    }
    if (best < 0) break;
    chosen.push(best);
  }
  return chosen;
}

describe('solveHuffGreedy at exact points (gains summed on demand, heap from square bounds)', () => {
  it('picks what a plain greedy over full Huff re-runs picks, in the same order, with the same gains', () => {
    for (const seed of [11, 12, 13, 14]) {
      const { demand, sites, candidates } = city(seed);
      const huff = { cutoffM: 2500 + 500 * (seed % 3) };
      const r = solveHuffGreedy({ demand, sites, candidates, huff }, { k: 5 });
      expect(r.sites.map((s) => s.candidate)).toEqual(referenceGreedy(demand, sites, candidates, 5, huff));
      let prev = r.ownCapturedBefore;
      const so: number[] = [];
      for (const s of r.sites) {
        so.push(s.candidate);
        const full = new HuffModel(demand, { lon: [...sites.lon, ...so.map((c) => candidates.lon[c])], lat: [...sites.lat, ...so.map((c) => candidates.lat[c])], owner: [...sites.owner, ...so.map(() => 'own')] }, huff).evaluate().ownCapturedDemand;
        expect(s.marginalDemand).toBeCloseTo(full - prev, 6);
        prev = full;
      }
    }
  });

  it('HuffGains re-solves other weights of the same points as a fresh solve would', () => {
    const { demand, sites, candidates } = city(16);
    const gains = new HuffGains({ demand, sites, candidates });
    const rng = mulberry32(5);
    for (let rep = 0; rep < 3; rep++) {
      const w = demand.weight.map((x) => (rng() < 0.3 ? 0 : x * (0.5 + rng())));
      const a = gains.solve(w, { k: 4 });
      const b = solveHuffGreedy({ demand: { ...demand, weight: w }, sites, candidates }, { k: 4 });
      expect(a.sites.map((s) => s.candidate)).toEqual(b.sites.map((s) => s.candidate));
      expect(a.ownCapturedAfter).toBeCloseTo(b.ownCapturedAfter, 6);
      expect(a.ownCapturedBefore).toBeCloseTo(new HuffModel({ ...demand, weight: w }, sites).evaluate().ownCapturedDemand, 6);
    }
  });

  it('reports the bounding stage and stops on abort', () => {
    const { demand, sites, candidates } = city(15);
    const stages = new Set<string>();
    solveHuffGreedy({ demand, sites, candidates }, { k: 2, onProgress: (p) => stages.add(p.stage) });
    expect([...stages]).toEqual(expect.arrayContaining(['bounds', 'greedy']));
    const ac = new AbortController();
    ac.abort();
    expect(() => solveHuffGreedy({ demand, sites, candidates }, { k: 2, signal: ac.signal })).toThrow(/abort/i);
  });
});

describe('siteMetrics', () => {
  it('splits what a new site captures into cannibalisation, competitors and new demand', () => {
    const { demand, sites, candidates } = city(3);
    const newSites = { lon: [candidates.lon[0]], lat: [candidates.lat[0]] };
    const [m] = siteMetrics(demand, sites, newSites);
    expect(m.cannibalisedDemand + m.fromCompetitorsDemand + m.newlyReachedDemand).toBeCloseTo(m.capturedDemand, 6);
    expect(m.nearestCompetitorM).toBeGreaterThan(0);
    expect(m.ownSharePct).toBeGreaterThan(0);
  });
});
