/** The objectives on the hand-checkable tiny city of sites-test-city.ts (branches, R = 1500 m). */
import { describe, expect, it } from 'vitest';
import { inProcessExact } from './sites-exact.ts';
import { prepareSitesData, SitesInputError } from './sites-model.ts';
import { tinyCity } from '../../../test/fixtures/sites-test-city.ts';
import { bootstrapRobustness, cumulativeCoverage, ownHuffSharePct, replicateWeights, solveSites, type SolveRequest, type SolveReuse } from './sites-solve.ts';
import { solveHuffGreedy } from '../../core/huff-selection.ts';
import { mulberry32 } from '../../core/rng.ts';
import { huffSitesOf, type StudyCells } from './sites-model.ts';

const data = prepareSitesData(tinyCity(), { siteType: 'branch', demand: { measure: 'customers' } });
const req = (r: Partial<SolveRequest>): SolveRequest => ({ objective: 'coverage', solver: 'greedy', k: 2, ...r });
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe('solveSites', () => {
  it('coverage: the greedy answer in rank order with DESIGN.md numbers', async () => {
    const o = await solveSites(data, req({ k: 3 }));
    expect(o.rows.map((r) => [r.id, r.marginal, r.cumulative, r.cumulativePct])).toEqual([['K_BC', 12, 22, 88], ['K_D', 3, 25, 100]]);
    expect(o.warnings.map((w) => w.code)).toContain('fewer_sites_than_k');
    expect(o.upperBound).toBe(25);
  });

  it('coverage: the exact MILP agrees and reports optimality', async () => {
    const o = await solveSites(data, req({ solver: 'exact' }), { exact: inProcessExact() });
    expect(ids(o.rows)).toEqual(['K_BC', 'K_D']);
    expect(o.exact).toMatchObject({ status: 'optimal', gap: 0 });
  });

  it('honours pins, exclusions and zones', async () => {
    const pinned = await solveSites(data, req({ k: 1, pinnedIds: ['K_B'] }));
    expect(pinned.rows.map((r) => [r.id, r.pinned])).toEqual([['K_B', true]]);
    const excluded = await solveSites(data, req({ excludedIds: ['K_BC'] }));
    expect(ids(excluded.rows)).toEqual(['K_B', 'K_C']);
    const zoned = await solveSites(data, req({ zones: [{ lon: 121.459991, lat: 31.200038, radiusM: 200 }] }));
    expect(ids(zoned.rows)).toEqual(['K_B', 'K_C']);
    expect(zoned.zoneExcluded).toBe(1);
    await expect(solveSites(data, req({ k: 1, pinnedIds: ['K_B', 'K_C'] }))).rejects.toBeInstanceOf(SitesInputError);
  });

  it('lscp: the fewest sites reaching the target', async () => {
    const o = await solveSites(data, req({ objective: 'lscp', targetPct: 80 }));
    // existing 10 + K_BC 12 = 22 ≥ 20
    expect(ids(o.rows)).toEqual(['K_BC']);
    expect(o.lscp).toMatchObject({ feasible: true });
    const exact = await solveSites(data, req({ objective: 'lscp', targetPct: 100, solver: 'exact' }), { exact: inProcessExact() });
    expect(ids(exact.rows)).toEqual(['K_BC', 'K_D']);
  });

  it('huff: marginal = our added Huff capture; no exact solver, said so', async () => {
    const o = await solveSites(data, req({ objective: 'huff', solver: 'exact' }));
    expect(o.solver).toBe('greedy');
    expect(o.warnings.map((w) => w.code)).toContain('exact_not_available');
    expect(o.huff!.ownCapturedAfter).toBeCloseTo(o.huff!.ownCapturedBefore + o.rows.reduce((t, r) => t + r.marginal, 0), 9);
    expect(o.rows[0].marginal).toBeGreaterThanOrEqual(o.rows[1].marginal);
  });

  it('pmedian: total and mean cost fall with each rank; coverage columns are the ranks\' coverage', async () => {
    const o = await solveSites(data, req({ objective: 'pmedian' }));
    expect(o.rows).toHaveLength(2);
    expect(o.rows[1].totalCost).toBeLessThan(o.rows[0].totalCost);
    expect(o.rows[1].meanCost).toBeCloseTo(o.rows[1].totalCost / data.demand.totalWeight, 9);
    expect(o.rows[1].meanCost).toBeCloseTo(o.pmedian!.meanDistanceAfterM, 6);
    const c = cumulativeCoverage(data.problem, o.rows.map((r) => r.candidate));
    expect(o.rows.map((r) => r.cumulative)).toEqual(Array.from(c.covered));
    expect(o.pmedian!.meanDistanceAfterM).toBeLessThan(o.pmedian!.meanDistanceBeforeM);
  });

  it('cumulativeCoverage follows the given order', () => {
    const c = cumulativeCoverage(data.problem, [3, 4]); // K_D then K_BC
    expect(Array.from(c.marginal)).toEqual([3, 12]);
    expect(Array.from(c.covered)).toEqual([13, 25]);
  });

  it('Huff share before any new site', () => {
    // A: our branch is ~150 m away, the competitor ~6 km (beyond the 5 km cut-off): ours.
    // B, C: only the competitor reaches them; D: nobody (> 5 km from both).
    expect(ownHuffSharePct(data)).toBeCloseTo(40, 6);
  });
});

describe('bootstrapRobustness', () => {
  it('is 100 % for a site every resample still needs, and seeded', async () => {
    const o = await solveSites(data, req({ k: 1 }));
    const r1 = await bootstrapRobustness(data, o, req({ k: 1 }), { replicates: 20, seed: 3 });
    expect(Array.from(r1)).toEqual([100]);
    const two = await solveSites(data, req({ k: 2 }));
    const a = await bootstrapRobustness(data, two, req({ k: 2 }), { replicates: 20, seed: 5 });
    const b = await bootstrapRobustness(data, two, req({ k: 2 }), { replicates: 20, seed: 5 });
    expect(Array.from(a)).toEqual(Array.from(b));
    for (const x of a) expect(x).toBeGreaterThanOrEqual(0);
  });

  it('re-solves Huff on resampled demand', async () => {
    const o = await solveSites(data, req({ objective: 'huff', k: 1 }));
    const r = await bootstrapRobustness(data, o, req({ objective: 'huff', k: 1 }), { replicates: 10 });
    expect(r[0]).toBeGreaterThan(0);
    expect(r[0]).toBeLessThanOrEqual(100);
  });

  it('Huff at exact points: the batched replicates count what a fresh solve per replicate picks', async () => {
    // 2,000 customers around the tiny city's network, candidates where they are (res 10).
    const rng = mulberry32(8);
    const n = 2000;
    const lon = Float64Array.from({ length: n }, () => 121.44 + rng() * 0.05), lat = Float64Array.from({ length: n }, () => 31.19 + rng() * 0.07);
    const none: StudyCells = { h3: [], lon: new Float64Array(0), lat: new Float64Array(0), areaIndex: new Int32Array(0), areaCount: 0 };
    const city = tinyCity();
    const d = prepareSitesData({ cells: none, points: { lon, lat, weight: new Float64Array(n).fill(1) }, customers: null, areaPopulation: null, network: city.network, candidatesFile: null }, { siteType: 'branch', demand: { measure: 'customers' } });
    const r = req({ objective: 'huff', k: 3, huff: { cutoffM: 3000 } });
    const o = await solveSites(d, r);
    expect(o.rows.length).toBe(3);
    const B = 12;
    // The straightforward way: every replicate solved from scratch on its weights.
    const next = replicateWeights(d.demand.weight, 4, n, n);
    const counts = new Map<number, number>();
    for (let b = 0; b < B; b++) {
      const w = new Float64Array(n);
      next(w);
      const s = solveHuffGreedy({ demand: { ...d.demand, weight: w }, sites: huffSitesOf(d.network, d.typeSites), candidates: d.candidates, huff: r.huff }, { k: 3 });
      for (const x of s.sites) counts.set(x.candidate, (counts.get(x.candidate) ?? 0) + 1);
    }
    const expected = o.rows.map((row) => (100 * (counts.get(row.candidate) ?? 0)) / B);
    expect(expected.some((x) => x > 0 && x < 100) || expected.every((x) => x === 100)).toBe(true);
    // One batch, and batches of one replicate each (a 1-byte budget).
    expect(Array.from(await bootstrapRobustness(d, o, r, { replicates: B, seed: 4 }))).toEqual(expected);
    expect(Array.from(await bootstrapRobustness(d, o, r, { replicates: B, seed: 4, huffBatchBytes: 1 }))).toEqual(expected);
    // The pipeline's way: the bootstrap reuses what the solve prepared, with the same answer.
    const reuse: SolveReuse = {};
    const o2 = await solveSites(d, r, { reuse });
    expect(o2.rows).toEqual(o.rows);
    expect(reuse.huff).toBeDefined();
    expect(Array.from(await bootstrapRobustness(d, o2, r, { replicates: B, seed: 4, reuse }))).toEqual(expected);
  });

  it('stops when aborted', async () => {
    const o = await solveSites(data, req({ k: 2 }));
    const ac = new AbortController();
    ac.abort();
    await expect(bootstrapRobustness(data, o, req({ k: 2 }), { replicates: 50, signal: ac.signal })).rejects.toThrow();
  });
});
