/**
 * `sites` as users run it (`node --import tsx src/cli/cli.ts sites …` in a child process), on
 * test/fixtures/sites: one 20 km square, customers stacked on four H3 (res 8) cell centres,
 *
 *   A (121.454293, 31.252169) 10 customers — our branch OB1 is 150 m east: already covered
 *   B (121.448586, 31.197039)  7
 *   C (121.471395, 31.203036)  5          B–C 2.27 km apart
 *   D (121.547032, 31.141186)  3          our ATM OA1 stands on it
 *   + 1 customer outside the square (left out, reported)
 *
 * and candidates K_A (on A), K_B, K_C, K_D (on B, C, D) and K_BC (midway, 1.13 km from B and
 * from C). Worked out by hand, branches, R = 1500 m, total demand 25, existing coverage 10:
 *   gains K_A 0, K_B 7, K_C 5, K_D 3, K_BC 12
 *   rank 1 K_BC  marginal 12  covered 22  88 %
 *   rank 2 K_D   marginal  3  covered 25 100 %   (k = 3: nothing else adds demand → 2 rows)
 * ATMs (R = 500 m; OA1 covers D: existing 3): rank 1 K_A +10 → 13 (52 %), rank 2 K_B +7 → 20 (80 %).
 * Without a candidates file no cell centre lies within 1.5 km of both B and C, so the best two
 * cells cover B (+7 → 17, 68 %) then C (+5 → 22, 88 %); their ids are the H3 cells.
 * Huff and population demand are checked against the core functions on the same inputs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Polygon } from 'geojson';
import { isValidCell, latLngToCell } from 'h3-js';
import { haversineM } from '../core/haversine.ts';
import { buildStudyGrid, cellCentres } from '../core/grid.ts';
import { buildCoverageProblem } from '../core/coverage.ts';
import { solveMclpGreedy } from '../core/mclp.ts';
import { solveHuffGreedy } from '../core/huff-selection.ts';
import { ROOT, cliCommand, csvRecords, useTempDir } from './cli-test-helpers.ts';

const FIX = join(ROOT, 'test/fixtures/sites');
const cli = cliCommand('sites');
const tempDir = useTempDir('bp-sites-');

const base = ['--areas', join(FIX, 'areas.geojson'), '--customers', join(FIX, 'customers.csv'), '--sites', join(FIX, 'sites.csv')];
const withCandidates = [...base, '--candidates', join(FIX, 'candidates.csv')];
const pick = (r: Record<string, string>) => [r.rank, r.site_id, Number(r.marginal_demand), Number(r.covered_demand), Number(r.coverage_pct)];

const CLUSTERS = [
  { lon: 121.454293, lat: 31.252169, n: 10 },
  { lon: 121.448586, lat: 31.197039, n: 7 },
  { lon: 121.471395, lat: 31.203036, n: 5 },
  { lon: 121.547032, lat: 31.141186, n: 3 },
];

describe('cli sites', () => {
  it('ranks the hand-checked optimum with the columns of DESIGN.md', async () => {
    const r = await cli([...withCandidates, '--k', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('rank,site_id,name,lon,lat,marginal_demand,covered_demand,coverage_pct');
    const out = csvRecords(r.stdout);
    expect(out.map(pick)).toEqual([['1', 'K_BC', 12, 22, 88], ['2', 'K_D', 3, 25, 100]]);
    expect(out[0].lon).toBe('121.459991');
    expect(out[0].lat).toBe('31.200038');
    expect(r.stderr).toMatch(/1 point\(s\) outside the study area/);
    expect(r.stderr).toMatch(/only 2 of k = 3 sites add demand/);
    expect(r.stderr).toMatch(/10 \(40 %\) → 25 \(100 %\)/);
  });

  it('finds the same optimum with the exact solver and reports it proven', async () => {
    const r = await cli([...withCandidates, '--k', '2', '--solver', 'exact']);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout).map(pick)).toEqual([['1', 'K_BC', 12, 22, 88], ['2', 'K_D', 3, 25, 100]]);
    expect(r.stderr).toMatch(/exact solver optimal, gap 0 %/);
  });

  it('counts our existing sites of the chosen type only, with the type\'s default radius', async () => {
    const r = await cli([...withCandidates, '--k', '2', '--type', 'atm']);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout).map(pick)).toEqual([['1', 'K_A', 10, 13, 52], ['2', 'K_B', 7, 20, 80]]);
    const wide = await cli([...withCandidates, '--k', '1', '--type', 'atm', '--radius', '1500']);
    expect(csvRecords(wide.stdout).map(pick)).toEqual([['1', 'K_BC', 12, 15, 60]]);
  });

  it('names generated candidates by their H3 cell and writes JSON', async () => {
    const dir = tempDir();
    const file = join(dir, 'out.json');
    const r = await cli([...base, '--k', '2', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const out = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number | string>[];
    expect(out.map((x) => [x.rank, x.marginal_demand, x.covered_demand, x.coverage_pct])).toEqual([[1, 7, 17, 68], [2, 5, 22, 88]]);
    for (const x of out) {
      expect(isValidCell(String(x.site_id))).toBe(true);
      // the candidate is the centre of the cell it is named after
      expect(latLngToCell(Number(x.lat), Number(x.lon), 8)).toBe(x.site_id);
    }
    expect(r.stderr).toMatch(/H3 cell-centre candidates/);
  });

  it('maximises our Huff-captured demand with --objective huff, as the core computes it', async () => {
    const r = await cli([...withCandidates, '--k', '2', '--objective', 'huff']);
    expect(r.code, r.stderr).toBe(0);
    const cand = csvRecords(readFileSync(join(FIX, 'candidates.csv'), 'utf8'));
    // demand points are the customers at their exact locations (stacked on four positions)
    const ref = solveHuffGreedy(
      {
        demand: { lon: CLUSTERS.map((c) => c.lon), lat: CLUSTERS.map((c) => c.lat), weight: CLUSTERS.map((c) => c.n) },
        sites: { lon: [121.45587, 121.472], lat: [31.252169, 31.204], owner: ['own', 'ICBC'] },
        candidates: { lon: cand.map((c) => Number(c.lon)), lat: cand.map((c) => Number(c.lat)) },
      },
      { k: 2 },
    );
    const out = csvRecords(r.stdout);
    expect(out.map((x) => x.site_id)).toEqual(ref.sites.map((s) => cand[s.candidate].site_id));
    out.forEach((x, i) => {
      expect(Number(x.marginal_demand)).toBeCloseTo(ref.sites[i].marginalDemand, 9);
      expect(Number(x.covered_demand)).toBeCloseTo(ref.sites[i].coveredDemand, 9);
      expect(Number(x.coverage_pct)).toBeCloseTo(ref.sites[i].coveragePct, 9);
    });
    expect(r.stderr).toMatch(/our Huff-captured demand/);
  });

  it('spreads population over the study cells with --demand population', async () => {
    const r = await cli([...withCandidates, '--indicators', join(FIX, 'indicators.csv'), '--demand', 'population', '--k', '2']);
    expect(r.code, r.stderr).toBe(0);
    // reference: every cell of the square gets 1200 (latest period) / number of cells
    const fc = JSON.parse(readFileSync(join(FIX, 'areas.geojson'), 'utf8')) as GeoJSON.FeatureCollection;
    const grid = buildStudyGrid(fc.features.map((f) => ({ geometry: f.geometry as Polygon })), 8);
    const centres = cellCentres(grid);
    const n = grid.h3.length;
    const cand = csvRecords(readFileSync(join(FIX, 'candidates.csv'), 'utf8'));
    const problem = buildCoverageProblem({
      demand: { ...centres, weight: new Float64Array(n).fill(1200 / n) },
      existing: { lon: [121.45587], lat: [31.252169] },
      candidates: { lon: cand.map((c) => Number(c.lon)), lat: cand.map((c) => Number(c.lat)) },
      radiusM: 1500,
    });
    const ref = solveMclpGreedy(problem, { k: 2 });
    const out = csvRecords(r.stdout);
    expect(out.map((x) => x.site_id)).toEqual(ref.sites.map((s) => cand[s.candidate].site_id));
    out.forEach((x, i) => {
      expect(Number(x.covered_demand)).toBeCloseTo(ref.sites[i].coveredDemand, 9);
      expect(Number(x.coverage_pct)).toBeCloseTo((100 * ref.sites[i].coveredDemand) / 1200, 9);
    });
    expect(r.stderr).toMatch(/total 1200 residents/);
  });

  it('exits 2 on usage errors and 1 on data errors', async () => {
    expect((await cli([...base, '--type', 'bus'])).code).toBe(2);
    expect((await cli([...base, '--k', '-1'])).code).toBe(2);
    expect((await cli([...base, '--radius', '0'])).code).toBe(2);
    expect((await cli([...base, '--objective', 'huff', '--solver', 'exact'])).code).toBe(2);
    const noPop = await cli([...base, '--demand', 'population']);
    expect(noPop.code).toBe(2);
    expect(noPop.stderr).toMatch(/--indicators/);
    const noDemand = await cli(['--areas', join(FIX, 'areas.geojson'), '--sites', join(FIX, 'sites.csv')]);
    expect(noDemand.code).toBe(2);
    expect(noDemand.stderr).toMatch(/--customers FILE, --demand-points FILE/);
    expect((await cli([...base, '--weight', 'segment', '--demand-points', join(FIX, 'customers.csv')])).code).toBe(2);
    // indicators without a population column: a data error naming the file
    const dir = tempDir();
    const ind = join(dir, 'income.csv');
    writeFileSync(ind, 'area_id,period,income\nS1,2024Q1,5\n');
    const noCol = await cli([...base, '--indicators', ind, '--demand', 'population']);
    expect(noCol.code).toBe(1);
    expect(noCol.stderr).toMatch(/income\.csv: no "population" column/);
  }, 240_000);

  it('decides coverage at the exact customer locations: covered demand = a recount at the points', async () => {
    // ATMs, R = 500 m. Customers 480 m and 520 m east of a candidate: the cell centres of
    // res 8 (edge ~530 m) cannot tell them apart, the exact points can.
    const dir = tempDir();
    const east = (m: number) => 121.5 + m / (111_320 * Math.cos((31.2 * Math.PI) / 180));
    const cust = ['customer_id,lon,lat,balance'];
    const pts: [number, number, number][] = [];
    let id = 0;
    for (const [m, n, bal] of [[480, 6, 2], [520, 9, 1], [-300, 4, 5], [2000, 3, 0]] as const) {
      for (let q = 0; q < n; q++) { cust.push(`P${++id},${east(m).toFixed(7)},31.2,${bal}`); pts.push([east(m), 31.2, bal]); }
    }
    cust.push(`P${++id},${east(0).toFixed(7)},31.2,`);
    pts.push([east(0), 31.2, NaN]);
    writeFileSync(join(dir, 'c.csv'), cust.join('\n') + '\n');
    writeFileSync(join(dir, 'k.csv'), `site_id,lon,lat,name\nK0,${east(0).toFixed(7)},31.2,At zero\nK1,${east(2000).toFixed(7)},31.2,\n`);
    const sitesFile = join(dir, 's.csv');
    writeFileSync(sitesFile, 'site_id,lon,lat,type,owner\n');
    const args = ['--customers', join(dir, 'c.csv'), '--candidates', join(dir, 'k.csv'), '--type', 'atm', '--k', '2'];
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    const out = csvRecords(r.stdout);
    // K0 covers 480 m (6), −300 m (4) and the one at 0 (1): 11; K1 covers 2000 m (3)
    // K1 has no name in the file: named from the position (no own ATM, no areas)
    expect(out.map((x) => [x.site_id, x.name, Number(x.marginal_demand), Number(x.covered_demand)])).toEqual([['K0', 'At zero', 11, 11], ['K1', `31.2000, ${east(2000).toFixed(4)}`, 3, 14]]);
    // independent recount: every customer against the listed sites, haversine ≤ 500 m
    const recount = (w: (p: [number, number, number]) => number) => {
      const open: [number, number][] = [];
      return out.map((x) => {
        open.push([Number(x.lon), Number(x.lat)]);
        return pts.filter((p) => open.some(([lo, la]) => haversineM(p[0], p[1], lo, la) <= 500)).reduce((t, p) => t + w(p), 0);
      });
    };
    expect(out.map((x) => Number(x.covered_demand))).toEqual(recount(() => 1));
    expect(out.map((x) => Number(x.coverage_pct))).toEqual(recount(() => 1).map((c) => (100 * c) / pts.length));
    expect(r.stderr).toMatch(/23 exact demand points/);
    // --weight balance: the customer without a balance weighs 0 and is reported
    const w = await cli([...args, '--weight', 'balance']);
    expect(w.code, w.stderr).toBe(0);
    const wout = csvRecords(w.stdout);
    expect(wout.map((x) => [x.site_id, Number(x.marginal_demand)])).toEqual([['K0', 32]]);
    expect(w.stderr).toMatch(/1 customer\(s\) have no usable "balance" value/);
    expect(Number(wout[0].covered_demand)).toBe(recount((p) => (Number.isNaN(p[2]) ? 0 : p[2]))[0]);
  });

  it('takes a demand-points file with weights, without --areas and --sites', async () => {
    const dir = tempDir();
    const file = join(dir, 'compounds.csv');
    const east = (m: number) => (121.5 + m / (111_320 * Math.cos((31.2 * Math.PI) / 180))).toFixed(7);
    writeFileSync(file, `point_id,lon,lat,weight\nH1,${east(0)},31.2,120\nH2,${east(900)},31.2,80\nH3,${east(1800)},31.2,\nH4,${east(5000)},31.2,-3\n`);
    writeFileSync(join(dir, 'k.csv'), `site_id,lon,lat\nKa,${east(450)},31.2\nKb,${east(1350)},31.2\nKc,${east(5000)},31.2\n`);
    const r = await cli(['--demand-points', file, '--candidates', join(dir, 'k.csv'), '--k', '1', '--radius', '460', '--rejects', join(dir, 'rej.csv')]);
    expect(r.code, r.stderr).toBe(0);
    // H4's weight is negative: rejected with its line; H3 has no weight: 1. Ka covers H1 + H2 = 200.
    expect(readFileSync(join(dir, 'rej.csv'), 'utf8')).toMatch(/compounds\.csv,5,weight,/);
    expect(csvRecords(r.stdout).map((x) => [x.site_id, Number(x.marginal_demand), Number(x.covered_demand), Number(x.coverage_pct)])).toEqual([['Ka', 200, 200, (100 * 200) / 201]]);
  });

  it('pmedian and lscp: brute-force and hand-checked answers, greedy and exact', async () => {
    const cand = csvRecords(readFileSync(join(FIX, 'candidates.csv'), 'utf8'));
    // Σ weight · distance to the nearest of our branch OB1 and the given candidates, at the customers
    const cost = (open: number[]) => CLUSTERS.reduce((t, c) => t + c.n * Math.min(
      haversineM(c.lon, c.lat, 121.45587, 31.252169),
      ...open.map((j) => haversineM(c.lon, c.lat, Number(cand[j].lon), Number(cand[j].lat)))), 0);
    let best = [-1, -1], bestCost = Infinity;
    for (let a = 0; a < cand.length; a++) for (let b = a + 1; b < cand.length; b++) if (cost([a, b]) < bestCost) { bestCost = cost([a, b]); best = [a, b]; }
    for (const solver of ['greedy', 'exact']) {
      const r = await cli([...withCandidates, '--k', '2', '--objective', 'pmedian', '--solver', solver]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('rank,site_id,name,lon,lat,marginal_demand,covered_demand,coverage_pct,total_cost,mean_cost');
      const out = csvRecords(r.stdout);
      expect(out.map((x) => x.site_id).sort()).toEqual(best.map((j) => cand[j].site_id).sort());
      const first = cand.findIndex((c) => c.site_id === out[0].site_id);
      expect(Number(out[0].total_cost)).toBeCloseTo(cost([first]), 3);
      expect(Number(out[1].total_cost)).toBeCloseTo(bestCost, 3);
      expect(Number(out[1].mean_cost)).toBeCloseTo(bestCost / 25, 6);
      if (solver === 'exact') expect(r.stderr).toMatch(/exact solver optimal, gap 0 %/);
    }
    // LSCP: every reachable customer covered with the fewest sites (k ignored): K_BC then K_D
    for (const solver of ['greedy', 'exact']) {
      const l = await cli([...withCandidates, '--k', '1', '--objective', 'lscp', '--solver', solver]);
      expect(l.code, l.stderr).toBe(0);
      expect(csvRecords(l.stdout).map(pick)).toEqual([['1', 'K_BC', 12, 22, 88], ['2', 'K_D', 3, 25, 100]]);
    }
  }, 240_000);

  it('uses a cost file instead of straight lines for coverage, pmedian and lscp (hand-checked)', async () => {
    const dir = tempDir();
    // Points 3 km apart: within R = 10 (minutes) by the costs only.
    writeFileSync(join(dir, 'd.csv'), 'point_id,lon,lat,weight\nH1,121.40,31.2,10\nH2,121.43,31.2,20\nH3,121.46,31.2,5\n');
    writeFileSync(join(dir, 'k.csv'), 'site_id,lon,lat\nKa,121.41,31.21\nKb,121.45,31.19\n');
    writeFileSync(join(dir, 's.csv'), 'site_id,lon,lat,type,owner\nS1,121.39,31.22,branch,own\n');
    writeFileSync(join(dir, 'c.csv'), 'demand_id,site_id,cost\nH1,Ka,5\nH1,Kb,20\nH2,Ka,12\nH2,Kb,4\nH3,Kb,9\nH1,S1,8\nH3,S1,30\nZZ,Ka,1\nH2,Kc,-1\n');
    const args = ['--demand-points', join(dir, 'd.csv'), '--candidates', join(dir, 'k.csv'), '--sites', join(dir, 's.csv'), '--costs', join(dir, 'c.csv'), '--radius', '10', '--k', '1', '--rejects', join(dir, 'rej.csv')];
    // S1 reaches H1 (8 ≤ 10): existing 10 of 35. Ka adds nothing new, Kb adds H2 + H3 = 25.
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout).map((x) => [x.site_id, Number(x.marginal_demand), Number(x.covered_demand), Number(x.coverage_pct)])).toEqual([['Kb', 25, 35, 100]]);
    expect(readFileSync(join(dir, 'rej.csv'), 'utf8')).toMatch(/c\.csv,10,cost,/);
    expect(r.stderr).toMatch(/5 cost pair\(s\) name a demand point and a candidate/);
    // pmedian: unreachable pays 10 × the largest cost (300). Ka: 10·5 + 20·12 + 5·30 = 440; Kb: 10·8 + 20·4 + 5·9 = 205.
    for (const solver of ['greedy', 'exact']) {
      const p = await cli([...args, '--objective', 'pmedian', '--solver', solver]);
      expect(p.code, p.stderr).toBe(0);
      const out = csvRecords(p.stdout);
      expect(out.map((x) => [x.site_id, Number(x.total_cost)])).toEqual([['Kb', 205]]);
      expect(Number(out[0].mean_cost)).toBeCloseTo(205 / 35, 9);
    }
    const l = await cli([...args, '--objective', 'lscp']);
    expect(csvRecords(l.stdout).map((x) => [x.site_id, Number(x.covered_demand)])).toEqual([['Kb', 35]]);
  }, 240_000);

  it('uses a cost file in Huff: the cost replaces the distance in the decay (hand-checked)', async () => {
    const dir = tempDir();
    // Everything stands 3 km apart or more; the costs (minutes) alone decide. u = 1 / cost².
    writeFileSync(join(dir, 'd.csv'), 'point_id,lon,lat,weight\nH1,121.40,31.2,10\nH2,121.43,31.2,20\nH3,121.46,31.2,5\n');
    writeFileSync(join(dir, 'k.csv'), 'site_id,lon,lat\nKa,121.41,31.21\nKb,121.45,31.19\n');
    writeFileSync(join(dir, 's.csv'), 'site_id,lon,lat,type,owner\nS1,121.39,31.22,branch,own\nC1,121.50,31.25,branch,RivalBank\nA9,121.43,31.2,atm,RivalBank\n');
    writeFileSync(join(dir, 'c.csv'), 'demand_id,site_id,cost\nH1,Ka,5\nH1,Kb,20\nH2,Ka,12\nH2,Kb,4\nH3,Kb,9\nH1,S1,8\nH3,S1,30\nH1,C1,4\nH2,C1,6\nH2,A9,1\n');
    const args = ['--demand-points', join(dir, 'd.csv'), '--candidates', join(dir, 'k.csv'), '--sites', join(dir, 's.csv'), '--costs', join(dir, 'c.csv'), '--objective', 'huff', '--k', '1'];
    const u = (c: number) => 1 / (c * c);
    // Before: H1 ours u(8) against C1's u(4); H2 only C1's (the ATM A9 is another type); H3 only ours.
    const before = 10 * (u(8) / (u(8) + u(4))) + 5;
    const gainKb = 10 * ((u(8) + u(20)) / (u(8) + u(4) + u(20)) - u(8) / (u(8) + u(4))) + 20 * (u(4) / (u(6) + u(4)));
    const r = await cli([...args, '--huff-floor', '1']);
    expect(r.code, r.stderr).toBe(0);
    const out = csvRecords(r.stdout);
    expect(out.map((x) => x.site_id)).toEqual(['Kb']);
    expect(Number(out[0].marginal_demand)).toBeCloseTo(gainKb, 6);
    expect(Number(out[0].covered_demand)).toBeCloseTo(before + gainKb, 6);
    expect(Number(out[0].coverage_pct)).toBeCloseTo((100 * (before + gainKb)) / 35, 6);
    expect(r.stderr).toMatch(/Huff with costs: d = the cost, floored at 1 and cut off at 5000/);
    expect(r.stderr).not.toMatch(/below the floor/);
    // The default floor (100) flattens minutes: every cost counts as 100, and the CLI says so.
    const flat = await cli(args);
    expect(flat.code, flat.stderr).toBe(0);
    expect(flat.stderr).toMatch(/warning: \d+ of \d+ Huff cost pairs are below the floor 100/);
    expect((await cli([...args.filter((a) => a !== 'huff' && a !== '--objective'), '--huff-floor', '1'])).code).toBe(2);
  }, 240_000);
});
