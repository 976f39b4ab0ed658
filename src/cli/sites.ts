/**
 * `sites`: where the next k branches or ATMs should go (DESIGN.md "Coverage and site
 * selection"), with the app's pipeline: the hotspot workflow's study grid and customer
 * assignment, DuckDB per-cell counts, and the Sites tab's engine (src/pipeline/sites/).
 *
 * Output columns: rank, site_id, lon, lat, marginal_demand, covered_demand, coverage_pct.
 * Rank 1 is the site with the largest marginal gain, each later rank the largest gain given
 * our existing sites and the ranks before it. With `--objective coverage`: marginal_demand =
 * demand first covered by this site (within --radius), covered_demand = demand covered by
 * our existing sites of the type and ranks 1..this, coverage_pct = 100 · covered / total
 * demand. With `--objective huff` the same columns count our Huff-captured demand instead
 * (what the site adds to our capture; our capture with ranks 1..this; its share of all demand).
 *
 * site_id: the candidates file's id; without a candidates file, candidates are the study-cell
 * centres farther than R/2 from our existing sites of the type and site_id is the H3 cell
 * index (resolution --resolution), a stable name for that cell centre.
 *
 * Sites that would add nothing are not listed, so fewer than k rows can come out (stderr says so).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Geometry } from 'geojson';
import { getHexagonEdgeLengthAvg, UNITS } from 'h3-js';
import type { Connector } from '../db/connector.ts';
import type { NativeConnector } from '../db/native-connector.ts';
import type { InputKind } from '../data/types.ts';
import { cellTotalsFromDemandCells } from '../pipeline/cells/demand-cells.ts';
import { readDemandCells } from './demand-cells-io.ts';
import { spawnNodeAssignWorker } from './hotspot-assign-node.ts';
import { SitesEngine } from '../pipeline/sites/sites-engine.ts';
import { localRunner } from '../pipeline/sites/sites-runner.ts';
import { HotspotWorkflow } from '../pipeline/hotspots/hotspot-workflow.ts';
import { connectorDbPort } from '../pipeline/hotspots/hotspot-db-port.ts';
import { DEFAULT_RADIUS_M, SitesInputError, type SiteObjective, type SiteSolver, type SiteType } from '../pipeline/sites/sites-model.ts';
import { latestPeriodSql, populationSql } from '../sql/sites.ts';
import { readCandidates, readNetwork } from '../pipeline/sites/sites-inputs.ts';
import { tableColumns } from '../data/table-columns.ts';
import { UsageError, type CliArgs } from './args.ts';
import { INPUT_OPTIONS, OUT_OPTION, loadForCli } from './common.ts';
import { outputFormat, writeTable, type Row } from './output.ts';
import { DataError, type CliContext, type CommandSpec } from './types.ts';

export const spec: CommandSpec = {
  name: 'sites',
  summary:
    'Recommend k new sites of a type: rank, site_id, lon, lat, marginal_demand, covered_demand, coverage_pct (rank 1 = largest marginal gain). ' +
    'Without --candidates, candidates are H3 cell centres farther than R/2 from our sites of the type, site_id = the H3 cell.',
  options: {
    ...INPUT_OPTIONS,
    resolution: { type: 'number', placeholder: 'R', description: 'H3 resolution of the demand cells, 0–15 (default 8)' },
    type: { type: 'string', placeholder: 'branch|atm', description: 'type of the new sites; our existing sites of this type count as coverage (default branch)' },
    k: { type: 'number', placeholder: 'N', description: 'number of new sites (default 5)' },
    radius: { type: 'number', placeholder: 'M', description: 'coverage radius in metres (default 1500 for branches, 500 for ATMs)' },
    demand: {
      type: 'string', placeholder: 'MEASURE',
      description: 'demand per cell: customers (default), population: population potential from --indicators (population spread evenly over an area\'s cells, latest period), ' +
        'or cells: customer counts of a demand-cell table (--cells FILE, as `aggregate` or a warehouse writes it; approximate: each cell\'s customers at its centre)',
    },
    cells: { type: 'string', placeholder: 'FILE', description: 'the demand-cell table for --demand cells (.parquet or .csv: h3, resolution, count)' },
    objective: { type: 'string', placeholder: 'coverage|huff', description: 'maximise covered demand (MCLP, default) or our Huff-captured demand (α 1, β 2, 5 km cut-off, 100 m floor)' },
    solver: { type: 'string', placeholder: 'greedy|exact', description: 'greedy + 1-swap local search (default), or the exact MILP with HiGHS, mip_rel_gap 0 (coverage only)' },
    'time-limit': { type: 'number', placeholder: 'S', description: 'exact solver wall-clock limit in seconds (default 300); the gap is reported when it stops it' },
    ...OUT_OPTION,
  },
};

const COLUMNS = ['rank', 'site_id', 'lon', 'lat', 'marginal_demand', 'covered_demand', 'coverage_pct'];
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
  if (measure === 'cells' && args.has('customers')) throw new UsageError('sites: give --customers or --demand cells --cells FILE, not both');
  const objective = args.choice<SiteObjective>('objective', ['coverage', 'huff'], 'coverage');
  const solver = args.choice<SiteSolver>('solver', ['greedy', 'exact'], 'greedy');
  if (solver === 'exact' && objective !== 'coverage') throw new UsageError('sites: --solver exact is available for --objective coverage only (Huff is solved by lazy greedy)');
  const timeLimitS = args.number('time-limit', 300);
  if (!(timeLimitS > 0)) throw new UsageError(`sites: --time-limit must be > 0 seconds, got ${timeLimitS}`);
  if (measure === 'population' && !args.has('indicators')) throw new UsageError('sites: --demand population needs --indicators FILE with a population column');

  const required: InputKind[] = measure === 'customers' ? ['areas', 'sites', 'customers'] : measure === 'cells' ? ['areas', 'sites'] : ['areas', 'sites', 'indicators'];
  const data = await loadForCli(args, ctx, required);
  const hotspots = new HotspotWorkflow(connectorDbPort(data.conn), { spawnAssignWorker: spawnNodeAssignWorker, assignHelpers: 1 });
  try {
    const features = data.areas?.features ?? [];
    hotspots.open('cli', features.map((f) => f.geometry as Geometry));
    const engine = new SitesEngine({
      gridOf: (r) => hotspots.grid(r),
      customerCounts: cellsPath !== undefined
        ? (_key, r) => countsFromCells(data.conn, ctx, cellsPath, r)
        : (key, r, hooks) => hotspots.customerCounts(key, r, hooks),
      runner: localRunner,
    });
    const conn = data.conn;

    const network = await readNetwork(conn);
    const candidatesFile = await readCandidates(conn);
    const areaPopulation = measure === 'population' ? await populationByArea(args, data.conn, features.map((f) => String(f.properties.area_id))) : null;
    engine.setInputs('cli', { network, candidatesFile, areaPopulation });

    let outside = 0;
    if (measure !== 'population') outside = (await engine.ensureCustomers('cli', resolution)).outsideCustomers;
    if (measure === 'cells') {
      ctx.stderr(
        `sites: demand from the demand-cell table at resolution ${resolution}: approximate — each cell's customers count at its centre ` +
          `(cell edge ≈ ${fmt(getHexagonEdgeLengthAvg(resolution, UNITS.m))} m), not at their own locations\n`,
      );
    }

    let view;
    try {
      view = await engine.run(
        { resolution, siteType, radiusM, demand: { measure: measure === 'cells' ? 'customers' : measure }, objective, solver, k, timeLimitS, replicates: 0 },
        new AbortController().signal,
        () => {},
      );
    } catch (e) {
      if (e instanceof SitesInputError) throw new DataError(e.message);
      throw e;
    }
    const o = view.outcome;
    const rows: Row[] = o.rows.map((r) => ({
      rank: r.rank, site_id: r.id, lon: r.lon, lat: r.lat,
      marginal_demand: r.marginal, covered_demand: r.cumulative, coverage_pct: r.cumulativePct,
    }));
    writeTable(ctx, out, COLUMNS, rows);

    const d = view.demand;
    const total = o.totalDemand;
    const unit = measure === 'population' ? 'residents (population potential)' : 'customers';
    const before = objective === 'huff' ? o.huff?.ownCapturedBefore ?? NaN : view.scenario.eval.totals.existingCoveredDemand;
    const last = o.rows.at(-1);
    ctx.stderr(
      `sites: ${o.rows.length} new ${siteType} site(s) from ${view.candidates.count} ${view.candidates.generated ? 'H3 cell-centre' : 'file'} candidates; ` +
        `${d.count} demand cells at resolution ${resolution}, total ${fmt(total)} ${unit}` +
        (outside ? ` (${outside} customer(s) outside the study area left out)` : '') + '\n' +
        `sites: ${objective === 'huff' ? 'our Huff-captured demand' : `demand within ${fmt(radiusM)} m of our sites`}: ` +
        `${fmt(before)} (${fmt((100 * before) / total)} %) → ${fmt(last ? last.cumulative : before)} (${fmt(last ? last.cumulativePct : (100 * before) / total)} %)\n`,
    );
    if (o.exact) ctx.stderr(`sites: exact solver ${o.exact.status}, gap ${fmt(100 * o.exact.gap)} %, ${fmt(o.exact.timeS)} s\n`);
    else if (objective === 'coverage' && Number.isFinite(o.upperBound)) ctx.stderr(`sites: proven upper bound (Lagrangian) ${fmt(o.upperBound)} covered demand\n`);
    for (const w of view.warnings) ctx.stderr(`warning: ${warningText(w.code, w.params ?? {})}\n`);
    return 0;
  } finally {
    hotspots.dispose();
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
    default: return `${code} ${JSON.stringify(p)}`;
  }
}

/** Population per area (areas file order) at the latest period that has any. */
/** Customers per cell at `resolution` from a demand-cell table (`--demand cells --cells F`). */
async function countsFromCells(conn: NativeConnector, ctx: CliContext, path: string, resolution: number): Promise<{ cells: BigUint64Array; counts: Float64Array }> {
  const full = resolve(ctx.cwd, path);
  if (!existsSync(full) || !statSync(full).isFile()) throw new UsageError(`sites: --cells ${path}: no such file`);
  const { table, problems, rows } = await readDemandCells(conn, full, basename(path), { resolution, groups: [], sum: null });
  for (const p of problems.slice(0, 20)) ctx.stderr(`warning: ${p}\n`);
  ctx.stderr(`${basename(path)}: ${rows} demand-cell rows read, ${table.dc.cells.length} used at resolution ${resolution}, ${problems.length} left out\n`);
  const t = cellTotalsFromDemandCells(table.dc, { resolution, sum: null });
  return { cells: t.cells, counts: t.customers };
}

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
