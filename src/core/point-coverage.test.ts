import { describe, expect, it } from 'vitest';
import { buildPointCoverage, haversineReach, recountCoverage } from './point-coverage.ts';
import { haversineM } from './haversine.ts';
import { demandSitesOf } from './coverage.ts';
import { solveMclpGreedy } from './mclp.ts';
import { mulberry32 } from './rng.ts';

// Metres east of (121.4, 31.2) as degrees of longitude.
const E = (m: number) => 121.4 + m / (111_320 * Math.cos((31.2 * Math.PI) / 180));

describe('buildPointCoverage', () => {
  // Points at 0, 100, 900, 1000, 3000 m east; existing site at −400 m covers 0 and 100 (R 500).
  // Candidates at 950 m (covers 900, 1000) and 1000 m (covers 900, 1000): one atom.
  // The point at 3000 m is out of every reach.
  const demand = { lon: [0, 100, 900, 1000, 3000].map(E), lat: new Array(5).fill(31.2), weight: [1, 2, 3, 4, 5] };
  const existing = { lon: [E(-400)], lat: [31.2] };
  const candidates = { lon: [E(950), E(1000)], lat: [31.2, 31.2] };

  it('merges points with the same covering candidates into one atom, keeping totals', () => {
    const pc = buildPointCoverage({ demand, numCandidates: 2, candidateLon: candidates.lon, candidateLat: candidates.lat, radiusM: 500, reach: haversineReach(demand, existing, candidates, 500) });
    const p = pc.problem;
    expect(p.totalDemand).toBe(15);
    expect(p.existingCoveredDemand).toBe(3);
    // atoms: existing (0+1), unreached (3000 m), {both candidates} (900, 1000 m)
    expect(Array.from(p.weight)).toEqual([3, 5, 7]);
    expect(Array.from(pc.atomOf)).toEqual([0, 0, 2, 2, 1]);
    expect(Array.from(p.candidates.offsets)).toEqual([0, 1, 2]);
    expect(Array.from(p.candidates.demand)).toEqual([2, 2]);
    expect(pc.pointPairs).toBe(4);
    expect(pc.atomPairs).toBe(2);
    const r = solveMclpGreedy(p, { k: 2 });
    expect(r.sites.map((s) => [s.marginalDemand, s.coveredDemand])).toEqual([[7, 10]]);
  });

  it('keeps each atom\'s candidate list as the coverage sets\' transpose (what the Lagrangian reads)', () => {
    const rng = mulberry32(17);
    const n = 3000, m = 300;
    const d = { lon: Float64Array.from({ length: n }, () => 121.4 + rng() * 0.05), lat: Float64Array.from({ length: n }, () => 31.2 + rng() * 0.05), weight: new Float64Array(n).fill(1) };
    const c = { lon: Float64Array.from({ length: m }, () => 121.4 + rng() * 0.05), lat: Float64Array.from({ length: m }, () => 31.2 + rng() * 0.05) };
    const ex = { lon: [121.42], lat: [31.22] };
    const sets = buildPointCoverage({ demand: d, numCandidates: m, candidateLon: c.lon, candidateLat: c.lat, radiusM: 500, reach: haversineReach(d, ex, c, 500) }).problem.candidates;
    const kept = demandSitesOf(sets);
    // The transpose built from scratch (a copy of the sets is not in the cache).
    const fresh = demandSitesOf({ ...sets });
    expect(fresh).not.toBe(kept);
    expect(Array.from(kept.offsets)).toEqual(Array.from(fresh.offsets));
    expect(Array.from(kept.sites)).toEqual(Array.from(fresh.sites));
    // and by definition: j is listed for atom a exactly when a is in j's set
    for (let a = 0; a < sets.numDemand; a++) {
      const want: number[] = [];
      for (let j = 0; j < m; j++) for (let p = sets.offsets[j]; p < sets.offsets[j + 1]; p++) if (sets.demand[p] === a) want.push(j);
      expect(Array.from(kept.sites.subarray(kept.offsets[a], kept.offsets[a + 1]))).toEqual(want);
    }
  });

  it('rejects negative weights', () => {
    expect(() => buildPointCoverage({ demand: { ...demand, weight: [1, -1, 0, 0, 0] }, numCandidates: 2, candidateLon: candidates.lon, candidateLat: candidates.lat, radiusM: 500, reach: haversineReach(demand, existing, candidates, 500) })).toThrow(/weight at index 1/);
  });
});

describe('covered demand = an independent recount at the points', () => {
  it('holds for every rank on random cities', () => {
    const rng = mulberry32(7);
    for (let trial = 0; trial < 8; trial++) {
      const n = 3000;
      // clustered demand in a 10 km square
      const cx = Array.from({ length: 6 }, () => [rng() * 10_000, rng() * 10_000]);
      const lon = new Float64Array(n), lat = new Float64Array(n), weight = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const [x, y] = cx[i % 6];
        lon[i] = E(x + (rng() - 0.5) * 3000);
        lat[i] = 31.2 + (y + (rng() - 0.5) * 3000) / 111_195;
        weight[i] = Math.floor(rng() * 4);
      }
      const demand = { lon, lat, weight };
      const existing = { lon: [E(rng() * 10_000), E(rng() * 10_000)], lat: [31.2 + rng() * 0.09, 31.2 + rng() * 0.09] };
      const m = 300;
      const candidates = { lon: Float64Array.from({ length: m }, () => E(rng() * 10_000)), lat: Float64Array.from({ length: m }, () => 31.2 + rng() * 0.09) };
      const R = 400 + rng() * 800;
      const pc = buildPointCoverage({ demand, numCandidates: m, candidateLon: candidates.lon, candidateLat: candidates.lat, radiusM: R, reach: haversineReach(demand, existing, candidates, R) });
      const r = solveMclpGreedy(pc.problem, { k: 6 });
      const chosen = r.sites.map((s) => s.candidate);
      // brute force: every point against every open site
      let before = 0;
      const covered = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (existing.lon.some((x, e) => haversineM(lon[i], lat[i], x, existing.lat[e]) <= R)) { covered[i] = 1; before += weight[i]; }
      }
      expect(pc.problem.existingCoveredDemand).toBeCloseTo(before, 9);
      let cum = before;
      r.sites.forEach((s) => {
        let g = 0;
        for (let i = 0; i < n; i++) {
          if (!covered[i] && haversineM(lon[i], lat[i], candidates.lon[s.candidate], candidates.lat[s.candidate]) <= R) { covered[i] = 1; g += weight[i]; }
        }
        cum += g;
        expect(s.marginalDemand).toBeCloseTo(g, 9);
        expect(s.coveredDemand).toBeCloseTo(cum, 9);
      });
      const re = recountCoverage(demand, existing, { lon: chosen.map((j) => candidates.lon[j]), lat: chosen.map((j) => candidates.lat[j]) }, R);
      expect(re.existingCoveredDemand).toBeCloseTo(before, 9);
      expect(Array.from(re.covered)).toEqual(r.sites.map((s) => s.coveredDemand));
    }
  });
});

describe('haversineReach sweep (the block-by-block fast path)', () => {
  it.each([
    ['Shanghai, R 500 m', 121.4, 31.2, 0.2, 500, 1],
    ['Tromsø, R 1500 m', 18.9, 69.6, 0.6, 1500, 2],
    ['across the antimeridian, R 2 km', 179.9, -16.5, 0.3, 2000, 3],
    ['radius 0: only points exactly at a site', 121.4, 31.2, 0.01, 0, 4],
  ])('gives every point the candidates and existing cover a brute-force haversine finds (%s)', (_name, lon0, lat0, span, R, seed) => {
    const rng = mulberry32(seed);
    const n = 4000, m = 400;
    const wrap = (x: number) => (x > 180 ? x - 360 : x < -180 ? x + 360 : x);
    const pt = () => [wrap(lon0 + (rng() - 0.5) * span), lat0 + (rng() - 0.5) * span * 0.6];
    const cand = Array.from({ length: m }, pt);
    const demandXY = Array.from({ length: n }, (_, i) => (R === 0 && i % 10 === 0 ? cand[i % m] : pt()));
    const demand = { lon: demandXY.map((p) => p[0]), lat: demandXY.map((p) => p[1]), weight: new Float64Array(n).fill(1) };
    const candidates = { lon: cand.map((p) => p[0]), lat: cand.map((p) => p[1]) };
    const existing = { lon: [pt()[0], pt()[0]], lat: [lat0, lat0 + span * 0.1] };
    const seen = new Uint8Array(n);
    haversineReach(demand, existing, candidates, R).sweep((i, ids, k, ex) => {
      seen[i]++;
      const byExisting = existing.lon.some((x, e) => haversineM(demand.lon[i], demand.lat[i], x, existing.lat[e]) <= R);
      expect(ex).toBe(byExisting);
      if (ex) return;
      const want: number[] = [];
      for (let j = 0; j < m; j++) if (haversineM(demand.lon[i], demand.lat[i], candidates.lon[j], candidates.lat[j]) <= R) want.push(j);
      expect(Array.from(ids.subarray(0, k))).toEqual(want);
    });
    expect(Array.from(seen).every((v) => v === 1)).toBe(true);
  });

  // 500 candidates: blocks see ~20 sites (lists as bit masks); 3000: far more than 30 (lists point by point).
  it.each([[500, 700], [3000, 700], [500, 150]])('builds the same atoms (up to numbering) as the point-by-point reach (%i candidates, R %i m)', (m, R) => {
    const rng = mulberry32(11);
    const n = 5000;
    const demand = { lon: Float64Array.from({ length: n }, () => E(rng() * 8000)), lat: Float64Array.from({ length: n }, () => 31.2 + rng() * 0.07), weight: Float64Array.from({ length: n }, () => Math.floor(rng() * 3)) };
    const candidates = { lon: Float64Array.from({ length: m }, () => E(rng() * 8000)), lat: Float64Array.from({ length: m }, () => 31.2 + rng() * 0.07) };
    const existing = { lon: [E(2000)], lat: [31.23] };
    const fast = buildPointCoverage({ demand, numCandidates: m, candidateLon: candidates.lon, candidateLat: candidates.lat, radiusM: R, reach: haversineReach(demand, existing, candidates, R) });
    const slow = haversineReach(demand, existing, candidates, R);
    const plain = buildPointCoverage({ demand, numCandidates: m, candidateLon: candidates.lon, candidateLat: candidates.lat, radiusM: R, reach: { candidatesOf: slow.candidatesOf, existingCovers: slow.existingCovers } });
    expect(fast.pointPairs).toBe(plain.pointPairs);
    expect(fast.atomPairs).toBe(plain.atomPairs);
    expect(fast.problem.weight.length).toBe(plain.problem.weight.length);
    // Same partition: a bijection between the two numberings.
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const a = fast.atomOf[i], b = plain.atomOf[i];
      if (!map.has(a)) map.set(a, b);
      expect(map.get(a)).toBe(b);
    }
    expect(new Set(map.values()).size).toBe(map.size);
    for (const [a, b] of map) expect(fast.problem.weight[a]).toBeCloseTo(plain.problem.weight[b], 9);
    const g1 = solveMclpGreedy(fast.problem, { k: 5 }), g2 = solveMclpGreedy(plain.problem, { k: 5 });
    expect(g1.coveredDemand).toBeCloseTo(g2.coveredDemand, 9);
  });
});
