/**
 * `sites`: where the next k branches or ATMs should go (DESIGN.md "Coverage and site
 * selection"), with the Sites tab's pipeline (src/pipeline/sites/) on native DuckDB.
 *
 * Demand is decided where it is: every customer at its exact location (weight 1 or
 * `--weight COLUMN`), or the rows of `--demand-points`; `--demand population` spreads each
 * area's population over its H3 study cells (cell centres: it has no points). With `--areas`,
 * points outside the study area are left out and counted; without, every point counts.
 * `--demand cells --cells F` reads a demand-cell table (`aggregate`, or a warehouse's GROUP BY):
 * each cell's customers stand at its centre, an approximation stated on stderr.
 *
 * Output columns: rank, site_id, name, lon, lat, marginal_demand, covered_demand, coverage_pct
 * (+ total_cost, mean_cost for pmedian). Rank 1 is the site with the largest marginal gain,
 * each later rank the largest gain given our existing sites and the ranks before it.
 * coverage / lscp: demand first covered within --radius; huff: our Huff-captured demand;
 * pmedian: the reduction of Σ weight · distance, total_cost = Σ weight · distance to the
 * nearest open own site with ranks 1..this, mean_cost = total_cost / total weight.
 *
 * site_id: the candidates file's id; without one, candidates are the centres of the H3 cells
 * holding demand at a resolution fine for the radius (core/candidates.ts candidateResolution),
 * farther than R/2 from our sites of the type, and site_id is the H3 cell.
 *
 * `--costs`: the pairs reach JS streamed from DuckDB into compressed rows (costs-stream.ts).
 *
 * Sites that would add nothing are not listed, so fewer than k rows can come out (stderr says so).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Geometry } from 'geojson';
import { cellToLatLng, getHexagonEdgeLengthAvg, UNITS } from 'h3-js';
import type { Connector } from '../db/connector.ts';
import type { NativeConnector } from '../db/native-connector.ts';
import { cellTotalsFromDemandCells } from '../pipeline/cells/demand-cells.ts';
import { readDemandCells } from './demand-cells-io.ts';
import { runSitesPipeline, type SitesRunOutput } from '../pipeline/sites/sites-pipeline.ts';
import { inProcessExact } from '../pipeline/sites/sites-exact.ts';
import { DEFAULT_RADIUS_M, SitesInputError, type ExactPoints, type SiteObjective, type SiteSolver, type SiteType, type StudyCells } from '../pipeline/sites/sites-model.ts';
import { latestPeriodSql, populationSql } from '../sql/sites.ts';
import { readCandidates, readCustomerPoints, readDemandPoints, readNetwork } from '../pipeline/sites/sites-inputs.ts';
import { streamCostTable } from './costs-stream.ts';
import { studyCellsOf } from '../pipeline/sites/sites-cells.ts';
import { NAME_WORDS, siteName } from '../pipeline/sites/sites-names.ts';
import { HUFF_DEFAULTS } from '../core/huff.ts';
import { tableColumns } from '../data/table-columns.ts';
import { UsageError, type CliArgs } from './args.ts';
import { INPUT_OPTIONS, OUT_OPTION, loadForCli } from './common.ts';
import { outputFormat, writeTable, type Row } from './output.ts';
import { DataError, type CliContext, type CommandSpec } from './types.ts';

export const spec: CommandSpec = {
  name: 'sites',
  summary:
    'Recommend new sites of a type: rank, site_id, name, lon, lat, marginal_demand, covered_demand, coverage_pct (+ total_cost, mean_cost for pmedian); ' +
    'rank 1 = largest marginal gain. Demand is decided at exact locations (customers, or --demand-points). ' +
    'Without --candidates, candidates are the centres of H3 cells holding demand, farther than R/2 from our sites of the type; site_id = the H3 cell.',
  options: {
    ...INPUT_OPTIONS,
    resolution: { type: 'number', placeholder: 'R', description: 'H3 resolution of the study cells (population demand, study area), 0–15 (default 8)' },
    type: { type: 'string', placeholder: 'branch|atm', description: 'type of the new sites; our existing sites of this type count as open (default branch)' },
    k: { type: 'number', placeholder: 'N', description: 'number of new sites (default 5; ignored by lscp)' },
    radius: { type: 'number', placeholder: 'M', description: 'coverage radius in metres, or in the cost file\'s unit with --costs (default 1500 for branches, 500 for ATMs)' },
    demand: {
      type: 'string', placeholder: 'MEASURE',
      description: 'customers (default): every customer at its location; population: population potential from --indicators at study-cell centres; ' +
        'cells: customer counts of a demand-cell table (--cells FILE, as `aggregate` or a warehouse writes it; approximate: each cell\'s customers at its centre)',
    },
    cells: { type: 'string', placeholder: 'FILE', description: 'the demand-cell table for --demand cells (.parquet or .csv: h3, resolution, count)' },
    weight: { type: 'string', placeholder: 'COLUMN', description: 'weigh each customer by this numeric column instead of 1 (missing or negative values weigh 0)' },
    objective: { type: 'string', placeholder: 'coverage|pmedian|lscp|huff', description: 'coverage: maximise covered demand (MCLP, default); pmedian: minimise Σ weight·distance to the nearest own site; lscp: fewest sites covering all reachable demand; huff: maximise our Huff-captured demand' },
    solver: { type: 'string', placeholder: 'greedy|exact', description: 'greedy + 1-swap local search (default), or the exact MILP with HiGHS, mip_rel_gap 0 (coverage, pmedian, lscp)' },
    'candidate-resolution': { type: 'number', placeholder: 'R', description: 'H3 resolution of generated candidates (default: the coarsest with mean hexagon edge ≤ radius/2: 9 for 500 m, 8 for 1500 m)' },
    lang: { type: 'string', placeholder: 'en|zh-CN', description: 'language of the site names\' compass words, e.g. "NE" or "东北" (default en)' },
    'huff-floor': { type: 'number', placeholder: 'D', description: 'Huff: distances below D count as D — metres, or the cost file\'s unit with --costs (default 100)' },
    'huff-cutoff': { type: 'number', placeholder: 'D', description: 'Huff: sites farther than D do not compete for a point — metres, or the cost file\'s unit with --costs (default 5000)' },
    'time-limit': { type: 'number', placeholder: 'S', description: 'exact solver wall-clock limit in seconds (default 300); the gap is reported when it stops it' },
    ...OUT_OPTION,
  },
};

const COLUMNS = ['rank', 'site_id', 'name', 'lon', 'lat', 'marginal_demand', 'covered_demand', 'coverage_pct'];
const TYPES: readonly SiteType[] = ['branch', 'atm'];

export async function run(args: CliArgs, ctx: CliContext): Promise<number> {
  const out = args.string('out');
  outputFormat(out);
  const resolution = args.integer('resolution', 8, 0, 15);
  const siteType = args.choice('type', TYPES, 'branch');
  const k = args.integer('k', 5, 0, 100_000);
  const radiusM = args.number('radius', DEFAULT_RADIUS_M[siteType]);
  if (!(radiusM > 0)) throw new UsageError(`sites: --radius must be a distance in metres > 0, got ${radiusM}`);
  const measure = args.choice('demand', ['customers', 'population', 'cells'] as const, 'customers');
  const cellsPath = args.string('cells');
  if ((measure === 'cells') !== (cellsPath !== undefined)) throw new UsageError('sites: --demand cells and --cells FILE go together');
  if (measure === 'cells' && (args.has('customers') || args.has('demand-points'))) throw new UsageError('sites: give --customers, --demand-points or --demand cells --cells FILE, not several');
  const objective = args.choice<SiteObjective>('objective', ['coverage', 'pmedian', 'lscp', 'huff'], 'coverage');
  const solver = args.choice<SiteSolver>('solver', ['greedy', 'exact'], 'greedy');
  if (solver === 'exact' && objective === 'huff') throw new UsageError('sites: --solver exact is available for coverage, pmedian and lscp (Huff is solved by lazy greedy)');
  const timeLimitS = args.number('time-limit', 300);
  if (!(timeLimitS > 0)) throw new UsageError(`sites: --time-limit must be > 0 seconds, got ${timeLimitS}`);
  const candRes = args.has('candidate-resolution') ? args.integer('candidate-resolution', 10, 0, 15) : undefined;
  const huffFloor = args.number('huff-floor', HUFF_DEFAULTS.minDistanceM);
  const huffCutoff = args.number('huff-cutoff', HUFF_DEFAULTS.cutoffM);
  if (!(huffFloor > 0) || !(huffCutoff > 0)) throw new UsageError(`sites: --huff-floor and --huff-cutoff must be > 0, got ${huffFloor} and ${huffCutoff}`);
  if ((args.has('huff-floor') || args.has('huff-cutoff')) && objective !== 'huff') throw new UsageError('sites: --huff-floor and --huff-cutoff go with --objective huff');
  const weightCol = args.string('weight');
  const lang = args.choice('lang', ['en', 'zh-CN'] as const, 'en');
  if (measure === 'population') {
    if (!args.has('indicators')) throw new UsageError('sites: --demand population needs --indicators FILE with a population column');
    if (!args.has('areas')) throw new UsageError('sites: --demand population needs --areas FILE (population is spread over the areas\' cells)');
  } else if (measure === 'customers' && !args.has('customers') && !args.has('demand-points')) {
    throw new UsageError('sites: give the demand: --customers FILE, --demand-points FILE, or --demand population with --areas and --indicators');
  }
  if (weightCol !== undefined && !args.has('customers')) throw new UsageError('sites: --weight COLUMN weighs customers; it needs --customers FILE');
  if (args.has('customers') && args.has('demand-points')) throw new UsageError('sites: give either --customers or --demand-points as the demand, not both');
  if (args.has('costs')) {
    if (measure !== 'customers') throw new UsageError(`sites: --costs needs demand at exact points (--customers or --demand-points), not --demand ${measure}`);
    if (!args.has('candidates')) throw new UsageError('sites: --costs needs --candidates FILE: the cost file names candidates by their site_id');
  }

  const loadStart = performance.now();
  const data = await loadForCli(args, ctx);
  ctx.stderr(`sites: inputs loaded in ${fmt(performance.now() - loadStart)} ms\n`);
  try {
    const conn = data.conn;
    const features = data.areas?.features ?? [];
    const cells: StudyCells = features.length > 0
      ? studyCellsOf(features.map((f) => f.geometry as Geometry), resolution)
      : { h3: [], lon: new Float64Array(0), lat: new Float64Array(0), areaIndex: new Int32Array(0), areaCount: 0 };

    let points: ExactPoints | null = null;
    if (measure === 'customers') {
      if (args.has('demand-points')) points = await readDemandPoints(conn);
      else {
        if (weightCol !== undefined) {
          const names = (await tableColumns(conn, 'customers')).map((c) => c.name);
          if (!names.includes(weightCol)) throw new DataError(`${args.string('customers')}: no column "${weightCol}" for --weight (columns: ${names.filter((n) => !n.startsWith('__bp')).join(', ')})`);
        }
        const p = await readCustomerPoints(conn, weightCol);
        if (p.zeroed > 0) ctx.stderr(`warning: ${p.zeroed} customer(s) have no usable "${weightCol}" value (missing, not a number or negative); they weigh 0\n`);
        points = p;
      }
      if (!points || points.lon.length === 0) throw new DataError('sites: there are no demand points (the demand file has no usable rows)');
    } else if (measure === 'cells') {
      points = await pointsFromCells(conn, ctx, cellsPath ?? '', resolution);
      ctx.stderr(
        `sites: demand from the demand-cell table at resolution ${resolution}: approximate — each cell's customers count at its centre ` +
          `(cell edge ≈ ${fmt(getHexagonEdgeLengthAvg(resolution, UNITS.m))} m), not at their own locations\n`,
      );
    }
    const network = await readNetwork(conn);
    const candidatesFile = await readCandidates(conn);
    const costsStart = performance.now();
    const costs = args.has('costs') && points && candidatesFile
      ? await streamCostTable(conn.conn, args.has('demand-points') ? 'demand_points' : 'customers', points.lon.length, candidatesFile.id.length, siteType, network.id.length > 0, objective === 'huff')
      : null;
    if (costs) ctx.stderr(`sites: ${costs.pairs} cost pair(s) name a demand point and a candidate (read in ${fmt(performance.now() - costsStart)} ms); costs replace straight-line distances (unit of --radius)\n`);
    if (costs && objective === 'huff') {
      ctx.stderr(`sites: Huff with costs: d = the cost, floored at ${fmt(huffFloor)} and cut off at ${fmt(huffCutoff)} (the cost file's unit); a site with no cost to a point does not compete for it\n`);
      let below = 0, used = 0;
      for (const c of [costs.cost, costs.network?.cost ?? new Float64Array(0)]) for (const x of c) if (x <= huffCutoff) { used++; if (x < huffFloor) below++; }
      if (used > 0 && below * 2 > used) {
        ctx.stderr(`warning: ${below} of ${used} Huff cost pairs are below the floor ${fmt(huffFloor)} and count as ${fmt(huffFloor)}, so most sites look equally near; give --huff-floor in the cost file's unit (e.g. 1 for minutes)\n`);
      }
    }
    const areaPopulation = measure === 'population' ? await populationByArea(args, conn, features.map((f) => String(f.properties.area_id))) : null;

    let run: SitesRunOutput;
    try {
      run = await runSitesPipeline(
        { cells, customers: null, points, areaPopulation, network, candidatesFile },
        { siteType, radiusM, demand: { measure: measure === 'cells' ? 'customers' : measure }, candidateResolution: candRes, costs, objective, solver, k, timeLimitS, replicates: 0, huff: { minDistanceM: huffFloor, cutoffM: huffCutoff } },
        { exact: inProcessExact(), ownShare: false },
      );
    } catch (e) {
      if (e instanceof SitesInputError) throw new DataError(e.message);
      throw e;
    }
    const o = run.outcome;
    const d = run.data;
    const pmedian = objective === 'pmedian';
    const areaNames = features.map((f) => String(f.properties.name ?? f.properties.name_en ?? f.properties.area_id));
    const rows: Row[] = o.rows.map((r) => ({
      rank: r.rank, site_id: r.id, name: siteName(d, cells, areaNames, { lon: r.lon, lat: r.lat, name: r.name }, NAME_WORDS[lang]), lon: r.lon, lat: r.lat,
      marginal_demand: r.marginal, covered_demand: r.cumulative, coverage_pct: r.cumulativePct,
      ...(pmedian ? { total_cost: r.totalCost, mean_cost: r.meanCost } : {}),
    }));
    writeTable(ctx, out, pmedian ? [...COLUMNS, 'total_cost', 'mean_cost'] : COLUMNS, rows);

    const total = o.totalDemand;
    const unit = measure === 'population' ? 'residents (population potential)' : measure === 'cells' ? 'customers (at cell centres)' : args.has('demand-points') ? 'demand weight' : weightCol ? `"${weightCol}"` : 'customers';
    const where = d.demand.at === 'points' ? `${d.demand.lon.length} exact demand points` : `${d.demand.lon.length} demand cells at resolution ${resolution}`;
    const candidates = d.candidates.source.some((s) => s === 'generated') ? `H3 cell-centre candidates (resolution ${d.candidateResolution})` : 'file candidates';
    const outside = d.demand.outsidePoints;
    ctx.stderr(
      `sites: ${o.rows.length} new ${siteType} site(s) from ${d.candidates.id.length} ${candidates}; ${where}, total ${fmt(total)} ${unit}` +
        (outside ? ` (${outside} point(s) outside the study area left out)` : '') + '\n',
    );
    const last = o.rows.at(-1);
    if (objective === 'pmedian' && o.pmedian) {
      ctx.stderr(`sites: mean ${costs ? 'cost' : 'distance (m)'} to our nearest site: ${fmt(o.pmedian.meanDistanceBeforeM)} → ${fmt(o.pmedian.meanDistanceAfterM)}\n`);
    } else {
      const before = objective === 'huff' ? o.huff?.ownCapturedBefore ?? NaN : d.problem.existingCoveredDemand;
      ctx.stderr(
        `sites: ${objective === 'huff' ? 'our Huff-captured demand' : `demand within ${costs ? `cost ${fmt(radiusM)}` : `${fmt(radiusM)} m`} of our sites`}: ` +
          `${fmt(before)} (${fmt((100 * before) / total)} %) → ${fmt(last ? last.cumulative : before)} (${fmt(last ? last.cumulativePct : (100 * before) / total)} %)\n`,
      );
    }
    if (o.exact) ctx.stderr(`sites: exact solver ${o.exact.status}, gap ${fmt(100 * o.exact.gap)} %, ${fmt(o.exact.timeS)} s\n`);
    else if (objective === 'coverage' && Number.isFinite(o.upperBound)) ctx.stderr(`sites: proven upper bound (Lagrangian) ${fmt(o.upperBound)} covered demand\n`);
    for (const w of [...d.demand.warnings.filter((w) => w.code !== 'points_outside'), ...o.warnings]) ctx.stderr(`warning: ${warningText(w.code, w.params ?? {})}\n`);
    ctx.stderr(`sites: prepare ${fmt(run.timings.prepareMs)} ms, solve ${fmt(run.timings.solveMs)} ms\n`);
    return 0;
  } finally {
    await data.close();
  }
}

const fmt = (x: number) => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : 'n/a');

function warningText(code: string, p: Record<string, number | string>): string {
  switch (code) {
    case 'fewer_sites_than_k': return `only ${p.chosen} of k = ${p.k} sites add demand; the others would cover nothing new`;
    case 'exact_not_optimal': return `the exact solver stopped (${p.status}) before proving optimality; relative gap ${fmt(100 * Number(p.gap))} %`;
    case 'population_missing': return `${p.areas} area(s) have no population value at the latest period; their cells count 0`;
    case 'no_demand': return 'there is no demand to cover (every cell is 0)';
    case 'exact_too_large': return `the p-median MILP would have ${p.pairs} candidate–point pairs (limit ${p.maxPairs}); the greedy + swap answer is given instead`;
    default: return `${code} ${JSON.stringify(p)}`;
  }
}

/** A demand-cell table's customers at `resolution` as weighted points at the cells' centres. */
async function pointsFromCells(conn: NativeConnector, ctx: CliContext, path: string, resolution: number): Promise<ExactPoints> {
  const full = resolve(ctx.cwd, path);
  if (!existsSync(full) || !statSync(full).isFile()) throw new UsageError(`sites: --cells ${path}: no such file`);
  const { table, problems, rows } = await readDemandCells(conn, full, basename(path), { resolution, groups: [], sum: null });
  for (const p of problems.slice(0, 20)) ctx.stderr(`warning: ${p}\n`);
  ctx.stderr(`${basename(path)}: ${rows} demand-cell rows read, ${table.dc.cells.length} used at resolution ${resolution}, ${problems.length} left out\n`);
  const t = cellTotalsFromDemandCells(table.dc, { resolution, sum: null });
  const n = t.cells.length;
  const pts: ExactPoints = { lon: new Float64Array(n), lat: new Float64Array(n), weight: Float64Array.from(t.customers) };
  for (let i = 0; i < n; i++) {
    const [lat, lon] = cellToLatLng(t.cells[i].toString(16));
    pts.lat[i] = lat;
    pts.lon[i] = lon;
  }
  if (n === 0) throw new DataError(`${basename(path)}: no demand cells at resolution ${resolution}`);
  return pts;
}

/** Population per area (areas file order) at the latest period that has any. */
async function populationByArea(args: CliArgs, conn: Connector, areaIds: string[]): Promise<Float64Array> {
  const file = args.string('indicators') ?? 'indicators';
  const names = (await tableColumns(conn, 'indicators')).map((c) => c.name);
  if (!names.includes('population')) throw new DataError(`${file}: no "population" column; --demand population spreads each area's population over its H3 cells (columns: ${names.filter((n) => !n.startsWith('__bp')).join(', ')})`);
  const [latest] = await conn.query<{ period: string }>(latestPeriodSql());
  if (!latest) throw new DataError(`${file}: the population column has no values`);
  const q = populationSql(latest.period);
  const rows = await conn.query<{ area_id: string; population: number | null }>(q.sql, q.params);
  const byId = new Map(rows.map((r) => [String(r.area_id), r.population === null ? NaN : Number(r.population)]));
  return Float64Array.from(areaIds, (id) => byId.get(id) ?? NaN);
}
