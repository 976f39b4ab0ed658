import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EARTH_RADIUS_M, haversineM } from './haversine.ts';
import { preparePMedian, solvePMedian, type PMedianInput } from './p-median.ts';
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

  it('ends at a true local optimum whose reported objective equals a recount (random instances, haversine and cost files)', () => {
    let swapSteps = 0;
    fc.assert(fc.property(instanceArb, ({ seed, costs, capped, zeroShare, pin, extraMode }) => {
      const inst = randomInstance(seed, { costs, capped, zeroShare });
      const { input, k, C } = inst;
      const pinned = pin && k > 0 ? [seed % C] : [];
      const r = solvePMedian(input, {
        k, pinned, restarts: 4, selfCheck: true, maxExtraEntries: extraMode ? 0 : undefined,
        onProgress: (p) => { if (p.stage === 'swap' && p.done > 0) swapSteps++; },
      });
      const S = r.sites.map((s) => s.candidate);
      expect(S.length).toBeLessThanOrEqual(Math.min(k, C));
      // Fewer than k only when no further site would help at all.
      if (S.length < k) {
        expect(r.warnings.map((w) => w.code)).toContain('fewer_sites_than_k');
        for (let c = 0; c < C; c++) if (!S.includes(c)) expect(inst.recount([...S, c])).toBeGreaterThanOrEqual(inst.recount(S) - 1e-9);
      }
      for (const j of pinned) expect(S).toContain(j);
      const obj = inst.recount(S);
      // The reported objective is the recount at the points.
      if (S.length) expect(r.sites.at(-1)!.meanDistanceM * r.totalDemand).toBeCloseTo(obj, 6);
      if (!costs && r.totalDemand > 0) expect(r.meanDistanceAfterM * r.totalDemand).toBeCloseTo(inst.recountUncapped(S), 5);
      // No single swap of an unpinned site for an unchosen candidate improves it.
      const tol = 1e-9 * obj + 1e-9;
      for (const s of S) {
        if (pinned.includes(s)) continue;
        for (let c = 0; c < C; c++) {
          if (S.includes(c)) continue;
          expect(inst.recount(S.map((x) => (x === s ? c : x)))).toBeGreaterThanOrEqual(obj - tol);
        }
      }
    }), { numRuns: 150, seed: 20261207 });
    // The swap updates were exercised (each checked against a rebuild by selfCheck).
    expect(swapSteps).toBeGreaterThan(50);
  });

  it('with a cost file (missing pairs unreachable) equals brute force over all k-subsets on ≤ 16 candidates in ≥ 13 of 15 instances, within 1 % in all', () => {
    let equal = 0;
    for (let seed = 1; seed <= 15; seed++) {
      const inst = randomInstance(seed * 7 + 3, { costs: true, capped: false, zeroShare: 0, nD: 80, nC: 12 + (seed % 5), k: 2 + (seed % 3) });
      let best = Infinity;
      for (const S of combos(inst.C, inst.k)) best = Math.min(best, inst.recount(S));
      const r = solvePMedian(inst.input, { k: inst.k });
      const got = inst.recount(r.sites.map((s) => s.candidate));
      expect(r.sites.at(-1)!.meanDistanceM * r.totalDemand).toBeCloseTo(got, 6);
      expect(got).toBeLessThanOrEqual(best * 1.01);
      expect(got).toBeGreaterThanOrEqual(best - 1e-6);
      if (Math.abs(got - best) <= 1e-9 * best) equal++;
    }
    expect(equal).toBeGreaterThanOrEqual(13);
  });

  it('keeps only pairs nearer than the nearest existing site, and that pruning changes no objective', () => {
    const inst = randomInstance(99, { costs: false, capped: true, zeroShare: 0, nD: 300, nC: 40, nE: 2 });
    const P = preparePMedian(inst.input);
    const { demand, candidates, existing } = inst.input;
    let kept = 0, all = 0;
    for (let pos = 0; pos < P.numPoints; pos++) {
      const i = P.order[pos];
      const e = Math.min(inst.cap, ...Array.from(existing.lon, (lon, x) => haversineM(demand.lon[i], demand.lat[i], lon, existing.lat[x])));
      expect(P.dExist[pos]).toBeCloseTo(e, 6);
      const row = Array.from(P.byPoint.site.subarray(P.byPoint.offsets[pos], P.byPoint.offsets[pos + 1]));
      const want = Array.from({ length: candidates.lon.length }, (_, j) => j).filter((j) => haversineM(demand.lon[i], demand.lat[i], candidates.lon[j], candidates.lat[j]) < e);
      expect([...row].sort((a, b) => a - b)).toEqual(want);
      // Closest first.
      const ds = Array.from(P.byPoint.distanceM.subarray(P.byPoint.offsets[pos], P.byPoint.offsets[pos + 1]));
      for (let t = 1; t < ds.length; t++) expect(ds[t]).toBeGreaterThanOrEqual(ds[t - 1]);
      kept += row.length;
      all += Array.from(candidates.lon).filter((lon, j) => haversineM(demand.lon[i], demand.lat[i], lon, candidates.lat[j]) <= inst.cap).length;
    }
    expect(kept).toBeLessThan(all);
    expect(P.byCandidate.point.length).toBe(kept);
    // Every 3-subset: the solver's own objective (pinned, no search) equals the recount over all pairs.
    for (const S of [[0, 1, 2], [5, 17, 33], [2, 9, 39], [10, 20, 30]]) {
      const r = solvePMedian(inst.input, { k: 3, pinned: S, localSearch: false }, P);
      expect(r.sites.at(-1)!.meanDistanceM * r.totalDemand).toBeCloseTo(inst.recount(S), 6);
    }
  });
});

const instanceArb = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  costs: fc.boolean(),
  capped: fc.boolean(),
  zeroShare: fc.constantFrom(0, 0.3),
  pin: fc.boolean(),
  extraMode: fc.boolean(),
});

/**
 * A random p-median instance in a ~8 km square and an independent objective: Σ weight · the
 * distance to the nearest of the existing and chosen sites, capped (haversine), or, with a cost
 * file, the file's costs with missing pairs at 10× the largest cost (DESIGN.md).
 */
function randomInstance(seed: number, o: { costs: boolean; capped: boolean; zeroShare: number; nD?: number; nC?: number; k?: number; nE?: number }) {
  const rng = mulberry32(seed);
  const nD = o.nD ?? 20 + Math.floor(rng() * 50), C = o.nC ?? 4 + Math.floor(rng() * 9), nE = o.nE ?? Math.floor(rng() * 3);
  const k = o.k ?? Math.min(C, 1 + Math.floor(rng() * 4));
  const at = (n: number) => ({ lon: Array.from({ length: n }, () => 121.4 + rng() * 0.08), lat: Array.from({ length: n }, () => 31.2 + rng() * 0.07) });
  const demand = { ...at(nD), weight: Array.from({ length: nD }, () => (rng() < o.zeroShare ? 0 : 1 + Math.floor(rng() * 5))) };
  const candidates = at(C), existing = at(nE);
  const cap = o.capped ? 1500 + rng() * 3000 : Math.PI * EARTH_RADIUS_M;
  const hav = (i: number, p: { lon: number[]; lat: number[] }, j: number) => haversineM(demand.lon[i], demand.lat[i], p.lon[j], p.lat[j]);
  let input: PMedianInput;
  let dist: (i: number, j: number) => number, base: (i: number) => number;
  if (o.costs) {
    // Road-like costs, 40 % of candidate pairs and 30 % of existing ones missing.
    const cost = Array.from({ length: nD }, (_, i) => Array.from({ length: C }, (_, j) => (rng() < 0.6 ? hav(i, candidates, j) * (1 + rng() * 0.5) : NaN)));
    const ex = Array.from({ length: nD }, (_, i) => Math.min(Infinity, ...Array.from({ length: nE }, (_, x) => (rng() < 0.7 ? hav(i, existing, x) * (1 + rng() * 0.5) : Infinity))));
    let max = 1;
    for (const row of cost) for (const c of row) if (c > max) max = c;
    for (const c of ex) if (Number.isFinite(c) && c > max) max = c;
    const U = 10 * max;
    const offsets = [0], dem: number[] = [], d: number[] = [];
    for (let j = 0; j < C; j++) {
      for (let i = 0; i < nD; i++) if (!Number.isNaN(cost[i][j])) { dem.push(i); d.push(Math.min(cost[i][j], U)); }
      offsets.push(dem.length);
    }
    const dExist = Float64Array.from(ex, (c) => Math.min(c, U));
    input = { demand, existing, candidates, costs: { pairs: { offsets: Int32Array.from(offsets), demand: Int32Array.from(dem), distanceM: Float64Array.from(d) }, dExist } };
    dist = (i, j) => (Number.isNaN(cost[i][j]) ? U : Math.min(cost[i][j], U));
    base = (i) => dExist[i];
  } else {
    input = { demand, existing, candidates, maxDistanceM: o.capped ? cap : Infinity };
    dist = (i, j) => Math.min(hav(i, candidates, j), cap);
    base = (i) => Math.min(cap, ...Array.from({ length: nE }, (_, x) => hav(i, existing, x)));
  }
  const recount = (S: number[]) => demand.weight.reduce((t, w, i) => t + w * Math.min(base(i), ...S.map((j) => dist(i, j))), 0);
  const recountUncapped = (S: number[]) => demand.weight.reduce((t, w, i) => t + w * Math.min(
    ...Array.from({ length: nE }, (_, x) => hav(i, existing, x)), ...S.map((j) => hav(i, candidates, j))), 0);
  return { input, k, C, cap, recount, recountUncapped };
}
