/**
 * Greedy against exact, exact against brute force, on demand at exact points (issue 12):
 * clustered customers around a city centre, coverage decided by haversine at the points
 * (buildPointCoverage), every optimum recounted at the points independently of the atoms.
 */
import { describe, expect, it } from 'vitest';
import { haversineM } from './haversine.ts';
import { loadHighs } from './highs-solver.ts';
import { solveLscpExact, solveLscpGreedy } from './lscp.ts';
import { solveMclpExact } from './mclp-exact.ts';
import { solveMclpGreedy } from './mclp.ts';
import { buildPointCoverage, haversineReach } from './point-coverage.ts';
import { mulberry32 } from './rng.ts';

const M_PER_DEG_LAT = 111_195;
const LAT0 = 31.2, LON0 = 121.45;
const mPerDegLon = M_PER_DEG_LAT * Math.cos((LAT0 * Math.PI) / 180);

/** n points in `clusters` Gaussian clusters (σ 400–1200 m) over a 10 km square, integer weights 1–5. */
function clustered(seed: number, n: number, clusters: number) {
  const rng = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const centres = Array.from({ length: clusters }, () => ({ x: rng() * 10_000, y: rng() * 10_000, s: 400 + rng() * 800 }));
  const lon = new Float64Array(n), lat = new Float64Array(n), weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = centres[Math.floor(rng() * clusters)];
    lon[i] = LON0 + (c.x + gauss() * c.s) / mPerDegLon;
    lat[i] = LAT0 + (c.y + gauss() * c.s) / M_PER_DEG_LAT;
    weight[i] = 1 + Math.floor(rng() * 5);
  }
  return { demand: { lon, lat, weight }, rng, centres };
}

/** m candidates near demand: points drawn from the demand, jittered by up to 300 m. */
function candidatesNear(rng: () => number, demand: { lon: Float64Array; lat: Float64Array }, m: number) {
  const lon = new Float64Array(m), lat = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const i = Math.floor(rng() * demand.lon.length);
    lon[j] = demand.lon[i] + ((rng() - 0.5) * 600) / mPerDegLon;
    lat[j] = demand.lat[i] + ((rng() - 0.5) * 600) / M_PER_DEG_LAT;
  }
  return { lon, lat };
}

/** Covered weight of existing ∪ chosen, by haversine at every point (no atoms, no index). */
function recount(demand: { lon: Float64Array; lat: Float64Array; weight: Float64Array }, sites: { lon: number[]; lat: number[] }, R: number): number {
  let t = 0;
  for (let i = 0; i < demand.lon.length; i++) {
    for (let s = 0; s < sites.lon.length; s++) {
      if (haversineM(demand.lon[i], demand.lat[i], sites.lon[s], sites.lat[s]) <= R) { t += demand.weight[i]; break; }
    }
  }
  return t;
}

/**
 * Brute force over subsets of ≤ 30 candidates: each point's set of covering candidates as a
 * bit mask (haversine at the point), existing cover as "always"; covered(S) sums the points
 * whose mask meets S.
 */
function masks(demand: { lon: Float64Array; lat: Float64Array; weight: Float64Array }, cand: { lon: Float64Array; lat: Float64Array }, existing: { lon: number[]; lat: number[] }, R: number) {
  const mask = new Int32Array(demand.lon.length);
  const always = new Uint8Array(demand.lon.length);
  for (let i = 0; i < demand.lon.length; i++) {
    always[i] = existing.lon.some((x, e) => haversineM(demand.lon[i], demand.lat[i], x, existing.lat[e]) <= R) ? 1 : 0;
    for (let j = 0; j < cand.lon.length; j++) if (haversineM(demand.lon[i], demand.lat[i], cand.lon[j], cand.lat[j]) <= R) mask[i] |= 1 << j;
  }
  return (S: readonly number[]) => {
    let bits = 0;
    for (const j of S) bits |= 1 << j;
    let t = 0;
    for (let i = 0; i < mask.length; i++) if (always[i] || (mask[i] & bits) !== 0) t += demand.weight[i];
    return t;
  };
}

function* combos(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) { yield acc.slice(); return; }
  for (let j = start; j < n; j++) { acc.push(j); yield* combos(n, k, j + 1, acc); acc.pop(); }
}

function instance(seed: number, n: number, m: number, R: number) {
  const { demand, rng } = clustered(seed, n, 4 + (seed % 3));
  const cand = candidatesNear(rng, demand, m);
  const e = Math.floor(rng() * n);
  const existing = { lon: [demand.lon[e]], lat: [demand.lat[e]] };
  const pc = buildPointCoverage({ demand, numCandidates: m, candidateLon: cand.lon, candidateLat: cand.lat, radiusM: R, reach: haversineReach(demand, existing, cand, R) });
  const sitesOf = (chosen: readonly number[]) => ({ lon: [...existing.lon, ...chosen.map((j) => cand.lon[j])], lat: [...existing.lat, ...chosen.map((j) => cand.lat[j])] });
  return { demand, cand, existing, pc, sitesOf };
}

describe('coverage (MCLP) at exact points', () => {
  it('exact = the brute-force optimum over every k-subset of 16 candidates, recounted at the points; greedy ≥ 99 % of it', async () => {
    const highs = await loadHighs();
    for (let seed = 1; seed <= 6; seed++) {
      const R = 500 + 100 * seed, k = 2 + (seed % 3);
      const { demand, cand, existing, pc, sitesOf } = instance(seed, 1500, 16, R);
      const covered = masks(demand, cand, existing, R);
      let best = -1, bestSet: number[] = [];
      for (const S of combos(16, k)) {
        const t = covered(S);
        if (t > best) { best = t; bestSet = S; }
      }
      expect(best).toBeGreaterThan(0);
      const exact = solveMclpExact(highs, pc.problem, { k, timeLimitS: 60 });
      expect(exact.status, `seed ${seed}`).toBe('optimal');
      expect(exact.coveredDemand, `seed ${seed}`).toBe(best);
      expect(recount(demand, sitesOf(exact.sites.map((s) => s.candidate)), R)).toBe(best);
      const greedy = solveMclpGreedy(pc.problem, { k });
      expect(greedy.coveredDemand, `seed ${seed}: optimum ${best} at {${bestSet}}`).toBeGreaterThanOrEqual(0.99 * best);
      expect(recount(demand, sitesOf(greedy.sites.map((s) => s.candidate)), R)).toBe(greedy.coveredDemand);
    }
  });

  it('greedy + swap ≥ 99 % of the HiGHS optimum on clustered cities (2000 points, 200 candidates, k = 8)', async () => {
    const highs = await loadHighs();
    for (const seed of [21, 22, 23]) {
      const R = 500;
      const { demand, pc, sitesOf } = instance(seed, 2000, 200, R);
      const exact = solveMclpExact(highs, pc.problem, { k: 8, timeLimitS: 60 });
      expect(exact.status, `seed ${seed}`).toBe('optimal');
      const greedy = solveMclpGreedy(pc.problem, { k: 8 });
      expect(greedy.coveredDemand, `seed ${seed}`).toBeGreaterThanOrEqual(0.99 * exact.coveredDemand);
      expect(greedy.coveredDemand).toBeLessThanOrEqual(exact.coveredDemand + 1e-9);
      // Greedy's proven bound holds against the true optimum.
      expect(greedy.upperBound).toBeGreaterThanOrEqual(exact.coveredDemand - 1e-6);
      expect(recount(demand, sitesOf(exact.sites.map((s) => s.candidate)), R)).toBe(exact.coveredDemand);
    }
  });
});

describe('LSCP at exact points', () => {
  it('exact = the brute-force fewest sites covering all reachable demand (14 candidates); greedy is feasible and never fewer', async () => {
    const highs = await loadHighs();
    for (let seed = 31; seed <= 36; seed++) {
      const R = 700;
      const m = 14;
      const { demand, cand, existing, pc, sitesOf } = instance(seed, 1200, m, R);
      const covered = masks(demand, cand, existing, R);
      const all = Array.from({ length: m }, (_, j) => j);
      const reachable = covered(all);
      // DESIGN.md: every point that any site can reach within R is covered.
      const targetShare = reachable / pc.problem.totalDemand;
      let best = -1;
      for (let k = 0; k <= m && best < 0; k++) {
        for (const S of combos(m, k)) if (covered(S) >= reachable) { best = k; break; }
      }
      expect(best).toBeGreaterThan(0);
      const exact = solveLscpExact(highs, pc.problem, { targetShare, timeLimitS: 60 });
      expect(exact.status, `seed ${seed}`).toBe('optimal');
      expect(exact.sites.length, `seed ${seed}`).toBe(best);
      expect(recount(demand, sitesOf(exact.sites.map((s) => s.candidate)), R)).toBe(reachable);
      const greedy = solveLscpGreedy(pc.problem, { targetShare });
      expect(greedy.feasible).toBe(true);
      expect(greedy.sites.length).toBeGreaterThanOrEqual(best);
      expect(recount(demand, sitesOf(greedy.sites.map((s) => s.candidate)), R)).toBe(reachable);
    }
  });
});
