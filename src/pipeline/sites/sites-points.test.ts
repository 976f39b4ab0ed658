/**
 * The Sites tab decides at exact demand points (issue #12): SitesEngine with a point source,
 * as the analysis worker runs it. Every number the ranked list and the live drag show is
 * checked against core/point-coverage.ts `recountCoverage` — a latitude sweep over the points
 * with its own haversine test, sharing neither the solver's atoms nor the scenario's index —
 * and a travel-cost run against numbers worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { Geometry } from 'geojson';
import { HotspotEngine } from '../hotspots/hotspot-engine.ts';
import { SitesEngine, type CostsFn, type RunRequest } from './sites-engine.ts';
import { localRunner } from './sites-runner.ts';
import { recountCoverage } from '../../core/point-coverage.ts';
import { HuffModel } from '../../core/huff.ts';
import { buildCostTable } from '../../core/cost-matrix.ts';
import { mulberry32 } from '../../core/rng.ts';
import type { ExactPoints, NetworkSites, PointSet } from './sites-model.ts';

const SQUARE: Geometry = { type: 'Polygon', coordinates: [[[121.4, 31.1], [121.6, 31.1], [121.6, 31.3], [121.4, 31.3], [121.4, 31.1]]] };
const signal = () => new AbortController().signal;

/** Households in clusters (compounds) plus a scatter, weights 1–5, all inside the square. */
function city(n: number, seed: number): ExactPoints {
  const rng = mulberry32(seed);
  const centres = Array.from({ length: 12 }, () => [121.42 + 0.16 * rng(), 31.12 + 0.16 * rng()]);
  const lon = new Float64Array(n), lat = new Float64Array(n), weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i % 4 === 0) {
      lon[i] = 121.405 + 0.19 * rng();
      lat[i] = 31.105 + 0.19 * rng();
    } else {
      const c = centres[i % centres.length];
      lon[i] = c[0] + 0.012 * (rng() - 0.5);
      lat[i] = c[1] + 0.012 * (rng() - 0.5);
    }
    weight[i] = 1 + Math.floor(5 * rng());
  }
  return { lon, lat, weight };
}

const NETWORK: NetworkSites = {
  id: ['OB1', 'OB2', 'OB3', 'XB1'],
  name: ['人民路支行', '', '南京路支行', 'Rival'],
  lon: Float64Array.from([121.45, 121.52, 121.57, 121.5]),
  lat: Float64Array.from([31.15, 31.22, 31.27, 31.18]),
  type: ['branch', 'branch', 'branch', 'branch'],
  owner: ['own', 'own', 'own', 'ICBC'],
  attractiveness: Float64Array.from([1, 1, 1, 1]),
};

function engine(points: ExactPoints, opts: { candidatesFile?: PointSet | null; network?: NetworkSites; costs?: CostsFn } = {}): SitesEngine {
  const grids = new HotspotEngine();
  grids.setAreas('k', [SQUARE]);
  const e = new SitesEngine({ gridOf: (r) => grids.grid(r), runner: localRunner, demandPoints: async () => points, costs: opts.costs });
  e.setInputs('k', {
    network: opts.network ?? NETWORK, candidatesFile: opts.candidatesFile ?? null, areaPopulation: null,
    areaNames: { en: ['Square'], 'zh-CN': ['方块区'] },
  });
  return e;
}

const REQ: RunRequest = { resolution: 8, siteType: 'branch', radiusM: 800, demand: { measure: 'customers' }, objective: 'coverage', solver: 'greedy', k: 5, replicates: 0 };
const own = { lon: NETWORK.lon.slice(0, 3), lat: NETWORK.lat.slice(0, 3) };

describe('Sites at exact demand points', () => {
  const pts = city(4000, 7);

  it('reports covered demand that equals an independent recount at the points', async () => {
    const e = engine(pts);
    const v = await e.run(REQ, signal(), () => {});
    expect(v.demand.at).toBe('points');
    expect(v.demand.count).toBe(4000);
    expect(v.demand.h3).toEqual([]);
    const rows = v.scenario.eval.rows;
    expect(rows).toHaveLength(5);
    const rc = recountCoverage(pts, own, { lon: rows.map((r) => r.lon), lat: rows.map((r) => r.lat) }, 800);
    expect(v.scenario.eval.totals.totalDemand).toBeCloseTo(rc.totalDemand, 9);
    expect(v.scenario.eval.totals.existingCoveredDemand).toBeCloseTo(rc.existingCoveredDemand, 9);
    rows.forEach((r, q) => {
      expect(r.marginalDemand).toBeCloseTo(rc.marginal[q], 9);
      expect(r.coveredDemand).toBeCloseTo(rc.covered[q], 9);
      // the solver's own numbers (atoms) agree with both
      expect(v.outcome.rows[q].marginal).toBeCloseTo(rc.marginal[q], 9);
      expect(v.outcome.rows[q].cumulative).toBeCloseTo(rc.covered[q], 9);
    });
    // the greedy order: gains never increase
    for (let q = 1; q < rows.length; q++) expect(rows[q].marginalDemand).toBeLessThanOrEqual(rows[q - 1].marginalDemand + 1e-9);
  });

  it('gives the live drag numbers an independent recount gives at each position', async () => {
    const e = engine(pts);
    const v = await e.run(REQ, signal(), () => {});
    const added = v.scenario.added;
    const rng = mulberry32(3);
    e.dragStart({ kind: 'added', index: 1 });
    for (let t = 0; t < 25; t++) {
      const lon = 121.41 + 0.18 * rng(), lat = 31.11 + 0.18 * rng();
      const u = e.dragMove(lon, lat);
      const moved = added.map((a, q) => (q === 1 ? { lon, lat } : a));
      const rc = recountCoverage(pts, own, { lon: moved.map((a) => a.lon), lat: moved.map((a) => a.lat) }, 800);
      expect(u.coveredDemand).toBeCloseTo(rc.covered[moved.length - 1], 9);
    }
    const sc = e.dragEnd(121.5, 31.2);
    const moved = added.map((a, q) => (q === 1 ? { lon: 121.5, lat: 31.2 } : a));
    const rc = recountCoverage(pts, own, { lon: moved.map((a) => a.lon), lat: moved.map((a) => a.lat) }, 800);
    expect(sc.eval.totals.coveredDemand).toBeCloseTo(rc.covered[moved.length - 1], 9);
    sc.eval.rows.forEach((r, q) => expect(r.marginalDemand).toBeCloseTo(rc.marginal[q], 9));
    // the moved site is named anew where it stands: 121.5, 31.2 lies 2.9 km SW of OB2 (no name in the file: its id)
    expect(sc.added[1].names).toEqual({ en: 'Square · OB2 SW 2.9 km', 'zh-CN': '方块区 · OB2 西南 2.9 km' });
  });

  it('Huff: the shares it reports are the core Huff model\'s at every point (no pooling), before, after and per site, and while dragging', async () => {
    const net: NetworkSites = {
      ...NETWORK, id: [...NETWORK.id, 'XB2'], name: [...NETWORK.name!, ''], lon: Float64Array.from([...NETWORK.lon, 121.43]), lat: Float64Array.from([...NETWORK.lat, 31.27]),
      type: [...NETWORK.type, 'branch'], owner: [...NETWORK.owner, 'CCB'], attractiveness: Float64Array.from([1, 1.5, 1, 2, 0.7]),
    };
    const huff = { beta: 1.5, cutoffM: 4000 };
    const e = engine(pts, { network: net });
    const stages = new Set<string>();
    const v = await e.run({ ...REQ, objective: 'huff', k: 3, huff }, signal(), (p) => stages.add(p.stage));
    expect(stages.has('huff')).toBe(true); // the analysis worker's model build reports progress
    const sites = { lon: Array.from(net.lon), lat: Array.from(net.lat), owner: net.owner, attractiveness: Array.from(net.attractiveness) };
    const before = new HuffModel(pts, sites, huff).evaluate();
    expect(v.ownShareBeforePct).toBeCloseTo(before.owners[0].sharePct, 9);
    expect(v.outcome.huff!.ownCapturedBefore).toBeCloseTo(before.ownCapturedDemand, 9);
    const rows = v.scenario.eval.rows;
    const withNew = { lon: [...sites.lon, ...rows.map((r) => r.lon)], lat: [...sites.lat, ...rows.map((r) => r.lat)], owner: [...sites.owner, ...rows.map(() => 'own')], attractiveness: [...sites.attractiveness, ...rows.map(() => 1)] };
    const after = new HuffModel(pts, withNew, huff).evaluate();
    expect(v.scenario.eval.totals.ownSharePct).toBeCloseTo(after.owners[0].sharePct, 9);
    expect(v.outcome.huff!.ownCapturedAfter).toBeCloseTo(after.ownCapturedDemand, 6);
    v.scenario.eval.totals.owners.forEach((o, q) => expect(o.sharePct).toBeCloseTo(after.owners[q].sharePct, 9));
    rows.forEach((r, q) => expect(r.huffCaptured).toBeCloseTo(after.siteCaptured[sites.lon.length + q], 9));
    // each point's own probability, as the map colours it
    for (let i = 0; i < pts.lon.length; i += 97) expect(v.scenario.eval.ownProbability[i]).toBeCloseTo(after.ownProbability[i], 6);
    // the live drag: our share with the second new site at each position
    e.dragStart({ kind: 'added', index: 1 });
    for (const [lon, lat] of [[121.45, 31.2], [121.58, 31.12], [121.5, 31.25]]) {
      const u = e.dragMove(lon, lat);
      const moved = { ...withNew, lon: withNew.lon.map((x, p) => (p === sites.lon.length + 1 ? lon : x)), lat: withNew.lat.map((y, p) => (p === sites.lon.length + 1 ? lat : y)) };
      const full = new HuffModel(pts, moved, huff).evaluate();
      expect(u.ownSharePct).toBeCloseTo(full.owners[0].sharePct, 9);
      expect(u.siteCaptured).toBeCloseTo(full.siteCaptured[sites.lon.length + 1], 6);
    }
    e.dragCancel();
  });

  it('names every recommended site in both languages: area, our nearest site, bearing and distance', async () => {
    const v = await engine(pts).run(REQ, signal(), () => {});
    expect(v.names).toHaveLength(v.outcome.rows.length);
    for (const [q, r] of v.scenario.eval.rows.entries()) {
      expect(r.names).toEqual(v.names[q]);
      expect(r.names!.en).toMatch(/^Square · (人民路支行|OB2|南京路支行) (N|NE|E|SE|S|SW|W|NW) \d/);
      expect(r.names!['zh-CN']).toMatch(/^方块区 · (人民路支行|OB2|南京路支行) (北|东北|东|东南|南|西南|西|西北) \d/);
    }
  });

  it('decides on the demand-points table when asked, and refuses it when none is loaded', async () => {
    const grids = new HotspotEngine();
    grids.setAreas('k', [SQUARE]);
    const asked: string[] = [];
    const e = new SitesEngine({
      gridOf: (r) => grids.grid(r), runner: localRunner,
      demandPoints: async (_k, source) => { asked.push(source); return source === 'demand_points' ? null : pts; },
    });
    e.setInputs('k', { network: NETWORK, candidatesFile: null, areaPopulation: null });
    await expect(e.run({ ...REQ, pointSource: 'demand_points' }, signal(), () => {})).rejects.toMatchObject({ code: 'no_demand_points' });
    await e.run(REQ, signal(), () => {});
    await e.run(REQ, signal(), () => {});
    expect(asked).toEqual(['demand_points', 'customers']); // read once per dataset
  });
});

describe('Closing a branch at exact points (hand-checked)', () => {
  // Along a meridian, where haversine is R·Δφ exactly: our OB1 at 0 m, a competitor XB1 at
  // 1000 m, our OB2 at 2000 m; one customer each at 0, 500 and 2000 m. Huff α 1, β 2, floor 100 m.
  const at = (m: number) => 31.2 + (m / 6_371_008.8) * (180 / Math.PI);
  const pts: ExactPoints = { lon: Float64Array.from([121.5, 121.5, 121.5]), lat: Float64Array.from([at(0), at(500), at(2000)]), weight: Float64Array.from([1, 1, 1]) };
  const network: NetworkSites = {
    id: ['OB1', 'XB1', 'OB2'], name: ['', '', ''], lon: Float64Array.from([121.5, 121.5, 121.5]), lat: Float64Array.from([at(0), at(1000), at(2000)]),
    type: ['branch', 'branch', 'branch'], owner: ['own', 'ICBC', 'own'], attractiveness: Float64Array.from([1, 1, 1]),
  };
  const base = { resolution: 8, siteType: 'branch' as const, measure: 'customers' as const, accessDistanceM: 1600, maxSharePct: 5 };

  it('OB1 closes: its catchment, who picks it up, distance and access, each customer where they live', async () => {
    // utilities 1/max(d, 100)²: P1 (OB1 1e-4, XB1 1e-6, OB2 2.5e-7), P2 (4e-6, 4e-6, 1/1500²), P3 (2.5e-7, 1e-6, 1e-4)
    const u2 = 1 / 1500 ** 2;
    const D1 = 1e-4 + 1e-6 + 2.5e-7, D2 = 8e-6 + u2, D3 = D1;
    const ownBefore = (1e-4 + 2.5e-7) / D1 + (4e-6 + u2) / D2 + (2.5e-7 + 1e-4) / D3;
    const ownAfter = 2.5e-7 / 1.25e-6 + u2 / (4e-6 + u2) + 1e-4 / 1.01e-4; // 0.2 + 0.1 + 0.990099
    const catchment = [1e-4 / D1, 4e-6 / D2, 2.5e-7 / D3];
    const released = catchment[0] + catchment[1] + catchment[2];
    const toXB1 = (1e-6 / 1.25e-6 + 4e-6 / (4e-6 + u2) + 1e-6 / 1.01e-4) - (1e-6 / D1 + 4e-6 / D2 + 1e-6 / D3);
    const c = await engine(pts, { network }).closure({ ...base, close: ['OB1'] });
    expect(c.map.at).toBe('points');
    expect(Array.from(c.map.lat)).toEqual(Array.from(pts.lat));
    expect(c.ownCapturedBefore).toBeCloseTo(ownBefore, 9);
    expect(c.ownCapturedAfter).toBeCloseTo(ownAfter, 9);
    expect(ownAfter).toBeCloseTo(1.290099, 6);
    expect(c.closedSitesCaptured).toBeCloseTo(released, 9);
    c.map.catchment.forEach((x, i) => expect(x).toBeCloseTo(catchment[i], 9));
    expect(c.leakedToCompetitors).toBeCloseTo(toXB1, 9);
    expect(c.recapturedByOwn).toBeCloseTo(released - toXB1, 9);
    expect(c.flows.recipients.map((r) => r.id)).toEqual(['XB1', 'OB2']);
    expect(c.flows.recipients[0].demand).toBeCloseTo(toXB1, 9);
    // nearest own branch: P1 0 → 2000 m (beyond 1.6 km), P2 500 → 1500 m, P3 stays at 0
    expect(Array.from(c.map.status)).toEqual([2, 0, 0]);
    expect(c.distance).toMatchObject({ affectedPoints: 2, affectedDemand: 2 });
    expect(c.distance.meanIncreaseM).toBeCloseTo(1500, 6);
    expect(c.distance.maxIncreaseM).toBeCloseTo(2000, 6);
    expect(c.access.customers!.beforePct).toBe(0);
    expect(c.access.customers!.afterPct).toBeCloseTo(100 / 3, 9);
    expect(c.access.customers!.breached).toBe(true);
    expect(c.flows.newlyBeyondDemand).toBe(1);
  });
});

describe('Sites with a travel-cost table (hand-checked)', () => {
  // Four compounds (households 10, 20, 30, 40), three candidate sites, our branch OB1.
  const points: ExactPoints = {
    id: ['P1', 'P2', 'P3', 'P4'],
    lon: Float64Array.from([121.45, 121.47, 121.5, 121.55]), lat: Float64Array.from([31.15, 31.17, 31.2, 31.25]),
    weight: Float64Array.from([10, 20, 30, 40]),
  };
  const candidatesFile: PointSet = {
    id: ['K1', 'K2', 'K3'], name: ['', '龙华小区旁', ''],
    lon: Float64Array.from([121.46, 121.52, 121.56]), lat: Float64Array.from([31.16, 31.21, 31.26]),
  };
  const network: NetworkSites = { ...NETWORK, id: ['OB1'], name: ['Ours'], lon: Float64Array.from([121.44]), lat: Float64Array.from([31.14]), type: ['branch'], owner: ['own'], attractiveness: Float64Array.from([1]) };
  // (demand, candidate, cost): road distances from a network tool, missing pairs unreachable
  const pairs = [[0, 0, 100], [1, 0, 300], [2, 1, 200], [3, 1, 900], [3, 2, 100], [1, 2, 700]];
  const costs: CostsFn = async (_k, _s, numDemand, numCandidates) => ({
    ...buildCostTable(numDemand, numCandidates,
      { demand: Int32Array.from(pairs, (p) => p[0]), site: Int32Array.from(pairs, (p) => p[1]), cost: Float64Array.from(pairs, (p) => p[2]) },
      { demand: Int32Array.from([0]), cost: Float64Array.from([50]) }),
    pairs: pairs.length,
  });
  const req: RunRequest = { ...REQ, radiusM: 400, useCosts: true, pointSource: 'demand_points', k: 2 };

  it('covers by cost ≤ R: K3 (P4, 40) then K2 (P3, 30) on top of OB1 (P1, 10)', async () => {
    const v = await engine(points, { candidatesFile, network, costs }).run(req, signal(), () => {});
    expect(v.costs).toEqual({ pairs: 6 });
    expect(v.scenario.eval.rows.map((r) => [r.id, r.marginalDemand, r.coveredDemand])).toEqual([['K3', 40, 50], ['K2', 30, 80]]);
    expect(v.outcome.rows.map((r) => [r.id, r.marginal, r.cumulative])).toEqual([['K3', 40, 50], ['K2', 30, 80]]);
    expect(v.scenario.eval.rows[1].names).toEqual({ en: '龙华小区旁', 'zh-CN': '龙华小区旁' }); // the candidates file's name
  });

  it('p-median: K2 minimises Σ weight · cost; total 222,500, mean 2,225 (unreachable at 10 × the largest cost)', async () => {
    // Before: P1 50, the rest unreachable (cap 9,000): 10·50 + 90·9,000 = 810,500. K1 saves 174,000,
    // K2 264,000 + 324,000 = 588,000, K3 356,000 + 166,000 = 522,000.
    for (const solver of ['greedy', 'exact'] as const) {
      const e = engine(points, { candidatesFile, network, costs });
      const v = await e.run({ ...req, objective: 'pmedian', solver, k: 1 }, signal(), () => {});
      expect(v.outcome.rows.map((r) => r.id)).toEqual(['K2']);
      expect(v.outcome.rows[0].totalCost).toBeCloseTo(222_500, 6);
      expect(v.scenario.eval.rows[0].totalCost).toBeCloseTo(222_500, 6);
      expect(v.scenario.eval.rows[0].meanCost).toBeCloseTo(2_225, 9);
      // with costs a site cannot leave its candidate: the what-if is refused, not guessed
      expect(() => e.dragStart({ kind: 'added', index: 0 })).toThrow(expect.objectContaining({ code: 'costs_no_whatif' }));
      expect(() => e.dropSite(121.5, 31.2)).toThrow(expect.objectContaining({ code: 'costs_no_whatif' }));
    }
  });

  it('swaps a new site for another candidate of the cost file; every number is recounted from the table', async () => {
    const e = engine(points, { candidatesFile, network, costs });
    const v = await e.run(req, signal(), () => {});
    expect(v.candidates.swap!.id).toEqual(['K1', 'K2', 'K3']);
    // K2 (rank 2) → K1: K1 reaches P1 (100, already OB1's) and P2 (300 ≤ 400): it adds P2's 20
    const sc = e.swapCandidate(1, 'K1');
    expect(sc.added.map((a) => [a.id, a.candidate])).toEqual([['K3', 2], ['K1', 0]]);
    expect(sc.eval.rows.map((r) => [r.id, r.marginalDemand, r.coveredDemand])).toEqual([['K3', 40, 50], ['K1', 20, 70]]);
    // an independent recount straight from the pairs: covered = OB1 (cost 50 to P1) or a chosen candidate ≤ R
    const chosen = new Set([2, 0]);
    let covered = 10;
    for (let i = 1; i < 4; i++) if (pairs.some(([d, c, m]) => d === i && chosen.has(c) && m <= 400)) covered += points.weight[i];
    expect(sc.eval.totals.coveredDemand).toBe(covered);
    expect(sc.added[1].names).toBeDefined();
    expect(() => e.swapCandidate(1, 'K3')).toThrow(expect.objectContaining({ code: 'candidate_taken' }));
    expect(() => e.swapCandidate(0, 'K9')).toThrow(expect.objectContaining({ code: 'unknown_candidate' }));
    // p-median, k 1: K2 (222,500) swapped for K1 saves 174,000 of the 810,500 before: 636,500
    const p = engine(points, { candidatesFile, network, costs });
    await p.run({ ...req, objective: 'pmedian', k: 1 }, signal(), () => {});
    const sw = p.swapCandidate(0, 'K1');
    expect(sw.eval.rows[0].totalCost).toBeCloseTo(636_500, 6);
    expect(sw.eval.rows[0].meanCost).toBeCloseTo(6_365, 9);
    // the candidates file's name follows the site: K2 is 龙华小区旁
    expect(p.swapCandidate(0, 'K2').added[0].names).toEqual({ en: '龙华小区旁', 'zh-CN': '龙华小区旁' });
  });

  it('refuses costs without a candidates file', async () => {
    await expect(engine(points, { network, costs }).run(req, signal(), () => {})).rejects.toMatchObject({ code: 'costs_need_candidates' });
  });
});
