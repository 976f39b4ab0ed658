import { describe, expect, it } from 'vitest';
import { buildCoverage, buildCoverageProblem, coverageProblemFromSets, coveredMask, DEFAULT_RADIUS_M, sumWeight, withWeights } from './coverage.ts';
import { EARTH_RADIUS_M, haversineM } from './haversine.ts';
import { mulberry32 } from './rng.ts';

const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

describe('buildCoverage', () => {
  it('equals brute-force haversine ≤ R, sets sorted', () => {
    const rng = mulberry32(11);
    const dem = { lon: Float64Array.from({ length: 800 }, () => 121.4 + rng() * 0.2), lat: Float64Array.from({ length: 800 }, () => 31.1 + rng() * 0.2) };
    const sites = { lon: Float64Array.from({ length: 50 }, () => 121.4 + rng() * 0.2), lat: Float64Array.from({ length: 50 }, () => 31.1 + rng() * 0.2) };
    const cov = buildCoverage(sites, dem, 1500);
    for (let s = 0; s < 50; s++) {
      const expected: number[] = [];
      for (let i = 0; i < 800; i++) if (haversineM(sites.lon[s], sites.lat[s], dem.lon[i], dem.lat[i]) <= 1500) expected.push(i);
      expect(Array.from(cov.demand.subarray(cov.offsets[s], cov.offsets[s + 1]))).toEqual(expected);
    }
  });

  it('takes one radius per site', () => {
    const dem = { lon: [0, eqDeg(400), eqDeg(1000)], lat: [0, 0, 0] };
    const cov = buildCoverage({ lon: [0, 0], lat: [0, 0] }, dem, [500, 1200]);
    expect(Array.from(cov.offsets)).toEqual([0, 2, 5]);
    expect(Array.from(cov.demand)).toEqual([0, 1, 0, 1, 2]);
  });

  it('handles no sites and no demand', () => {
    expect(buildCoverage({ lon: [], lat: [] }, { lon: [1], lat: [1] }, 500).offsets).toEqual(new Int32Array([0]));
    const cov = buildCoverage({ lon: [1], lat: [1] }, { lon: [], lat: [] }, 500);
    expect(Array.from(cov.offsets)).toEqual([0, 0]);
    expect(coveredMask(cov)).toEqual(new Uint8Array(0));
  });

  it('reports progress and honours an aborted signal', () => {
    const seen: number[] = [];
    buildCoverage({ lon: [0, 0], lat: [0, 0] }, { lon: [0], lat: [0] }, 10, { onProgress: (p) => seen.push(p.done) });
    expect(seen.at(-1)).toBe(2);
    const ac = new AbortController();
    ac.abort();
    expect(() => buildCoverage({ lon: [0], lat: [0] }, { lon: [0], lat: [0] }, 10, { signal: ac.signal })).toThrow();
  });
});

describe('buildCoverageProblem', () => {
  it('marks demand covered by existing sites and uses the branch default of 1500 m', () => {
    expect(DEFAULT_RADIUS_M).toEqual({ branch: 1500, atm: 500 });
    const demand = { lon: [0, eqDeg(1400), eqDeg(1600), eqDeg(3000)], lat: [0, 0, 0, 0], weight: [1, 2, 4, 8] };
    const p = buildCoverageProblem({ demand, existing: { lon: [0], lat: [0] }, candidates: { lon: [eqDeg(3000)], lat: [0] } });
    expect(p.radiusM).toBe(1500);
    expect(Array.from(p.existingCovered)).toEqual([1, 1, 0, 0]);
    expect(p.existingCoveredDemand).toBe(3);
    expect(p.totalDemand).toBe(15);
    expect(Array.from(p.candidates.demand)).toEqual([2, 3]);
    const atm = buildCoverageProblem({ demand, existing: { lon: [0], lat: [0] }, candidates: { lon: [], lat: [] }, siteType: 'atm' });
    expect(atm.radiusM).toBe(500);
    expect(atm.existingCoveredDemand).toBe(1);
  });

  it('rejects negative or non-finite weights, naming the index', () => {
    expect(() => buildCoverageProblem({ demand: { lon: [0, 0], lat: [0, 0], weight: [1, -1] }, existing: { lon: [], lat: [] }, candidates: { lon: [], lat: [] } })).toThrow(/index 1/);
  });

  it('withWeights keeps coverage and recomputes totals', () => {
    const p = coverageProblemFromSets({ weight: [1, 1], sets: [[0]], existingCovered: [0, 1] });
    const q = withWeights(p, new Float64Array([5, 7]));
    expect(q.candidates).toBe(p.candidates);
    expect([q.totalDemand, q.existingCoveredDemand]).toEqual([12, 7]);
    expect(sumWeight([1, 2, 3], [1, 0, 1])).toBe(4);
  });
});
