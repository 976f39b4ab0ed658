/**
 * The Sites tab's interactive path (target: ≤ 50 ms per what-if update for 10k demand
 * cells), on the demo city read from public/demo: 200k customers on H3 resolution-8 cells
 * (10,962 demand cells), 60 of our branches and 130 competitors'.
 *
 * - drag: set-up (Huff model + coverage counts, once per drag) and each pointer move
 *   (coverage within R + Huff shares) — what the analysis worker does per update;
 * - the UI thread's share of a move: recolouring the demand cells;
 * - re-evaluating the whole scenario after a drop;
 * - the same drag at exact points (issue 12): every one of the 200k customers where they are,
 *   as the app decides since (the move touches the points within R; target ≤ 50 ms per move);
 * - the same drag on population demand at resolution 9 (~90k cells), for scale;
 * - a recommendation end to end (prepare, greedy + swaps, 20 bootstrap replicates).
 *
 * The in-browser pointer → numbers latency is measured by test/e2e/sites.e2e.ts.
 * Prints `name<TAB>value<TAB>unit<TAB>target`.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import type { Polygon, MultiPolygon } from 'geojson';
import { assignCells, buildStudyGrid, cellCentres, locateCells } from '../src/core/grid.ts';
import { aggregateByCell } from '../src/core/demand.ts';
import { prepareSitesData, type NetworkSites, type SitesData } from '../src/pipeline/sites/sites-model.ts';
import { runSitesPipeline } from '../src/pipeline/sites/sites-pipeline.ts';
import { evaluateScenario, initialScenario, type NewSite } from '../src/pipeline/sites/sites-scenario.ts';
import { WhatIfDrag } from '../src/pipeline/sites/sites-whatif.ts';
import { dragCoverageColors, newSiteColor } from '../src/ui/sites/sites-layers.ts';
import { solveSites } from '../src/pipeline/sites/sites-solve.ts';

const DEMO = join(resolve(import.meta.dirname, '..'), 'public/demo');
const line = (name: string, value: number, unit: string, target: string) => console.log(`${name}\t${Number.isInteger(value) ? value : value.toFixed(3)}\t${unit}\t${target}`);
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

function demo(resolution: number) {
  const fc = JSON.parse(readFileSync(join(DEMO, 'areas.geojson'), 'utf8')) as GeoJSON.FeatureCollection;
  const grid = buildStudyGrid(fc.features.map((f) => ({ geometry: f.geometry as Polygon | MultiPolygon })), resolution);
  const c = cellCentres(grid);
  const lines = gunzipSync(readFileSync(join(DEMO, 'customers.csv.gz'))).toString().trim().split('\n');
  const head = lines[0].split(',');
  const li = head.indexOf('lon'), la = head.indexOf('lat');
  const lon = new Float64Array(lines.length - 1), lat = new Float64Array(lines.length - 1);
  for (let r = 1; r < lines.length; r++) {
    const f = lines[r].split(',');
    lon[r - 1] = Number(f[li]);
    lat[r - 1] = Number(f[la]);
  }
  const customers = aggregateByCell(locateCells(grid, assignCells(lon, lat, resolution)).index, grid.h3.length).values;
  const s = readFileSync(join(DEMO, 'sites.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const network: NetworkSites = {
    id: s.map((r) => r[0]), lon: Float64Array.from(s, (r) => Number(r[1])), lat: Float64Array.from(s, (r) => Number(r[2])),
    type: s.map((r) => r[3]), owner: s.map((r) => r[4]), attractiveness: Float64Array.from(s, (r) => Number(r[6]) || 1),
  };
  const ind = readFileSync(join(DEMO, 'indicators.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const pi = ind[0].indexOf('population');
  const latest = ind.slice(1).map((r) => r[1]).sort().at(-1);
  const ids = fc.features.map((f) => String(f.properties?.area_id));
  const areaPopulation = new Float64Array(ids.length).fill(NaN);
  for (const r of ind.slice(1)) if (r[1] === latest) areaPopulation[ids.indexOf(r[0])] = Number(r[pi]);
  return {
    cells: { h3: grid.h3, lon: c.lon, lat: c.lat, areaIndex: grid.areaIndex, areaCount: ids.length }, customers, areaPopulation, network, candidatesFile: null,
    points: { lon, lat, weight: new Float64Array(lon.length).fill(1) },
  };
}

async function dragBench(label: string, data: SitesData) {
  const out = await solveSites(data, { objective: 'coverage', solver: 'greedy', k: 5 });
  const added: NewSite[] = out.rows.map((r) => ({ id: r.id, lon: r.lon, lat: r.lat, origin: 'recommended', candidate: r.candidate, pinned: false, robustnessPct: NaN }));
  const s = initialScenario(data, added);
  const setup: number[] = [];
  let drag!: WhatIfDrag;
  for (let rep = 0; rep < 5; rep++) {
    const t0 = performance.now();
    drag = new WhatIfDrag(data, s, { kind: 'added', index: 0 });
    setup.push(performance.now() - t0);
  }
  // a pointer path of 400 moves across the city centre (~20 km)
  const moves: number[] = [];
  for (let t = 0; t < 400; t++) {
    const lon = 121.38 + 0.0005 * t, lat = 31.18 + 0.00025 * t;
    const t0 = performance.now();
    drag.move(lon, lat);
    moves.push(performance.now() - t0);
  }
  const n = data.demand.lon.length;
  line(`sites.drag.${label}.${data.demand.at}`, n, data.demand.at === 'points' ? 'demand points' : 'demand cells', '');
  line(`sites.drag.${label}.setup.median`, q(setup, 0.5), 'ms', 'once per drag');
  line(`sites.drag.${label}.move.median`, q(moves.slice(20), 0.5), 'ms', '≤ 50');
  line(`sites.drag.${label}.move.p99`, q(moves.slice(20), 0.99), 'ms', '≤ 50');
  const other = drag.otherCoverCount();
  const coverBy = evaluateScenario(data, s).coverBy;
  const colours: number[] = [];
  const buf = new Uint8Array(n * 4);
  for (let t = 0; t < 100; t++) {
    const t0 = performance.now();
    dragCoverageColors({ coverBy, otherCover: other, lon: data.demand.lon, lat: data.demand.lat, radiusM: data.radiusM, lonNow: 121.45 + 0.001 * t, latNow: 31.22, draggedColor: newSiteColor(0), draggedRank: 0 }, buf);
    colours.push(performance.now() - t0);
  }
  line(`sites.drag.${label}.cellColours.median`, q(colours.slice(10), 0.5), 'ms', 'UI thread per move');
  const evals: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const t0 = performance.now();
    evaluateScenario(data, s);
    evals.push(performance.now() - t0);
  }
  line(`sites.evaluate.${label}.median`, q(evals, 0.5), 'ms', 'after a drop');
}

const d8 = demo(8);
await dragBench('demo_r8_customers', prepareSitesData({ ...d8, points: null }, { siteType: 'branch', demand: { measure: 'customers' } }));
await dragBench('demo_points_customers', prepareSitesData(d8, { siteType: 'branch', demand: { measure: 'customers' } }));
await dragBench('demo_points_atm', prepareSitesData(d8, { siteType: 'atm', demand: { measure: 'customers' } }));
const d9 = demo(9);
await dragBench('demo_r9_population', prepareSitesData(d9, { siteType: 'branch', demand: { measure: 'population' } }));

const t0 = performance.now();
const r = await runSitesPipeline({ ...d8, points: null }, { siteType: 'branch', demand: { measure: 'customers' }, objective: 'coverage', solver: 'greedy', k: 5, replicates: 20 });
line('sites.run.demo_r8.total', performance.now() - t0, 'ms', 'progress + cancel');
line('sites.run.demo_r8.prepare', r.timings.prepareMs, 'ms', '');
line('sites.run.demo_r8.solve', r.timings.solveMs, 'ms', '');
line('sites.run.demo_r8.bootstrap20', r.timings.bootstrapMs, 'ms', '');

const tp = performance.now();
const rp = await runSitesPipeline(d8, { siteType: 'branch', demand: { measure: 'customers' }, objective: 'coverage', solver: 'greedy', k: 5, replicates: 20 });
line('sites.run.demo_points.total', performance.now() - tp, 'ms', 'progress + cancel');
line('sites.run.demo_points.prepare', rp.timings.prepareMs, 'ms', '');
line('sites.run.demo_points.solve', rp.timings.solveMs, 'ms', '');
line('sites.run.demo_points.bootstrap20', rp.timings.bootstrapMs, 'ms', '');
