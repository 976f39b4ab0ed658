import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M } from './haversine.ts';
import { HuffModel } from './huff.ts';
import { HuffCostGains, HuffGains, siteMetrics, solveHuffGreedy } from './huff-selection.ts';
import { buildCostTable, huffCostPairs } from './cost-matrix.ts';
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

/**
 * A denser random city for the replicate path: 1,500 points, 12 sites, 150 candidates of
 * which 20 sit exactly on earlier ones (equal gains: ties go to the lower index).
 */
function denseCity(seed: number) {
  const rng = mulberry32(seed);
  const n = 1500, m = 150;
  const demand = { lon: Array.from({ length: n }, () => 121.4 + rng() * 0.12), lat: Array.from({ length: n }, () => 31.1 + rng() * 0.12), weight: Array.from({ length: n }, () => 1 + Math.floor(rng() * 5)) };
  const sites = { lon: Array.from({ length: 12 }, () => 121.4 + rng() * 0.12), lat: Array.from({ length: 12 }, () => 31.1 + rng() * 0.12), owner: Array.from({ length: 12 }, (_, j) => (j % 3 === 0 ? 'own' : 'ICBC')) };
  const lon: number[] = [], lat: number[] = [];
  for (let c = 0; c < m; c++) {
    if (c >= 130) { const d = Math.floor(rng() * 130); lon.push(lon[d]); lat.push(lat[d]); } else { lon.push(121.4 + rng() * 0.12); lat.push(31.1 + rng() * 0.12); }
  }
  return { demand, sites, candidates: { lon, lat } };
}

/** Resampling with replacement: n draws of a point ∝ weight, multiplicity × total / n (the bootstrap's weights). */
function resample(weight: number[], rng: () => number): Float64Array {
  const total = weight.reduce((a, b) => a + b, 0);
  const cum: number[] = [];
  weight.reduce((a, b, i) => (cum[i] = a + b), 0);
  const w = new Float64Array(weight.length);
  const draws = weight.length;
  for (let d = 0; d < draws; d++) {
    const x = rng() * total;
    let i = 0;
    while (cum[i] <= x) i++;
    w[i] += total / draws;
  }
  return w;
}

const relClose = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-300);

describe('HuffGains.batch: bootstrap replicates solved together, sharing the walks', () => {
  it('picks for every replicate exactly what a fresh straightforward solve picks, with its gains', () => {
    for (const seed of [31, 32, 33]) {
      const { demand, sites, candidates } = denseCity(seed);
      const huff = { cutoffM: 2000 + 1000 * (seed % 3) };
      const rng = mulberry32(seed * 7);
      const ws = Array.from({ length: 7 }, () => resample(demand.weight, rng));
      const all = new HuffGains({ demand, sites, candidates, huff }).batch(ws.length, (b, w) => w.set(ws[b])).solve({ k: 6 });
      expect(all.length).toBe(ws.length);
      for (let b = 0; b < ws.length; b++) {
        const fast = all[b];
        const ref = solveHuffGreedy({ demand: { ...demand, weight: ws[b] }, sites, candidates, huff }, { k: 6 });
        expect(fast.candidates).toEqual(ref.sites.map((s) => s.candidate));
        fast.gains.forEach((g, q) => expect(relClose(g, ref.sites[q].marginalDemand), `seed ${seed} replicate ${b} rank ${q + 1}: ${g} vs ${ref.sites[q].marginalDemand}`).toBe(true));
      }
    }
  });

  it('breaks ties between candidates at the same place by the lower index, as the fresh solve does', () => {
    const { demand, sites, candidates } = denseCity(34);
    const twin = candidates.lon.findIndex((x, c) => c >= 130 && candidates.lon.indexOf(x) < c);
    const orig = candidates.lon.indexOf(candidates.lon[twin]);
    // Only the twins may be chosen: equal gains, so the lower index wins every replicate.
    const excluded = candidates.lon.map((_, c) => c).filter((c) => c !== twin && c !== orig);
    const rng = mulberry32(3);
    const ws = Array.from({ length: 3 }, () => resample(demand.weight, rng));
    const all = new HuffGains({ demand, sites, candidates }).batch(3, (b, w) => w.set(ws[b])).solve({ k: 1, excluded });
    for (let b = 0; b < 3; b++) {
      expect(all[b].candidates).toEqual([Math.min(orig, twin)]);
      expect(solveHuffGreedy({ demand: { ...demand, weight: ws[b] }, sites, candidates }, { k: 1, excluded }).sites[0].candidate).toBe(Math.min(orig, twin));
    }
  });

  it('keeps pins, exclusions and the minimum spacing: the same chosen sets as a fresh solve', () => {
    const { demand, sites, candidates } = denseCity(35);
    const rng = mulberry32(9);
    const ws = Array.from({ length: 5 }, () => resample(demand.weight, rng));
    const batch = new HuffGains({ demand, sites, candidates }).batch(ws.length, (b, w) => w.set(ws[b]));
    for (const opts of [{ k: 4, pinned: [7] }, { k: 5, excluded: [1, 2, 3, 40], minSpacingM: 1500 }, { k: 3, minSpacingM: 800 }]) {
      const all = batch.solve(opts);
      for (let b = 0; b < ws.length; b++) {
        const fast = all[b];
        const ref = solveHuffGreedy({ demand: { ...demand, weight: ws[b] }, sites, candidates }, opts);
        expect([...fast.candidates].sort((x, y) => x - y)).toEqual(ref.sites.map((s) => s.candidate).sort((x, y) => x - y));
        if (!('pinned' in opts)) fast.gains.forEach((g, q) => expect(relClose(g, ref.sites[q].marginalDemand)).toBe(true));
        else expect(fast.candidates[0]).toBe(7);
      }
    }
  });

  it('refuses bad weights, an empty batch and too many pins', () => {
    const { demand, sites, candidates } = city(17);
    const gains = new HuffGains({ demand, sites, candidates });
    expect(() => gains.batch(2, (b, w) => { w[3] = b === 1 ? NaN : 1; })).toThrow(/index 3 is NaN/);
    expect(() => gains.batch(0, () => {})).toThrow(/whole number ≥ 1/);
    expect(() => gains.batch(2, () => {}).solve({ k: 1, pinned: [0, 1] })).toThrow(/2 sites are pinned but k is 1/);
  });
});

describe('HuffCostGains: a cost file\'s pairs prepared once for the replicates', () => {
  it('picks what solveHuffGreedy with the same costs picks, weighting after weighting', () => {
    const rng = mulberry32(41);
    const n = 300, C = 40, S = 6;
    const pairs = (m: number, per: number) => {
      const demand: number[] = [], site: number[] = [], cost: number[] = [];
      for (let i = 0; i < n; i++) for (let t = 0; t < per; t++) { demand.push(i); site.push(Math.floor(rng() * m)); cost.push(1 + rng() * 30); }
      return { demand: Int32Array.from(demand), site: Int32Array.from(site), cost: Float64Array.from(cost) };
    };
    const net = pairs(S, 3);
    const table = buildCostTable(n, C, pairs(C, 6), { demand: new Int32Array(0), cost: new Float64Array(0) }, net);
    const at = { lon: Array.from({ length: n }, () => 121.4), lat: Array.from({ length: n }, () => 31.2) };
    const sites = { lon: Array(S).fill(121.4), lat: Array(S).fill(31.2), owner: Array.from({ length: S }, (_, j) => (j < 2 ? 'own' : 'X')) };
    const candidates = { lon: Array(C).fill(121.4), lat: Array(C).fill(31.2) };
    const costs = huffCostPairs(table, Int32Array.from({ length: n }, (_, i) => i), Array.from({ length: S }, (_, j) => j));
    const huff = { minDistanceM: 1, cutoffM: 20 };
    const weight = Array.from({ length: n }, () => 1 + Math.floor(rng() * 4));
    const g = new HuffCostGains({ demand: { ...at, weight }, sites, candidates, huff, costs });
    for (let b = 0; b < 4; b++) {
      const w = resample(weight, rng);
      const fast = g.picks(w, { k: 5 });
      const ref = solveHuffGreedy({ demand: { ...at, weight: w }, sites, candidates, huff, costs }, { k: 5 });
      expect(fast.candidates).toEqual(ref.sites.map((s) => s.candidate));
      fast.gains.forEach((x, q) => expect(relClose(x, ref.sites[q].marginalDemand)).toBe(true));
    }
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
