/**
 * The Hotspots tab's work: one context per loaded dataset (its name in the analysis worker,
 * study grids), and the runs that fill `hotspots` — the statistic for the current controls,
 * the stability view, the area typology and the demand × risk quadrants. The pipeline runs in
 * the analysis worker, which reads DuckDB itself: this thread sends parameters and gets
 * results.
 *
 * A filter change re-aggregates in DuckDB (~10 ms for the demo's 200k customers, ~40 ms for
 * 1M) and recomputes Gi* (~1–5 ms), so the map follows the controls without a progress bar;
 * the one-off assignment of customers to cells and permutation runs go through `runTask`
 * (progress, cancel). A newer run makes older ones stale: their results are dropped, and a
 * running permutation task is cancelled.
 */
import { app } from '../app/app-state.svelte.ts';
import type { Dataset } from '../../pipeline/dataset/dataset.ts';
import { indicatorSlice } from '../../pipeline/dataset/dataset.ts';
import { analysisDataset, analysisWorker } from '../app/workers.ts';
import { t } from '../../i18n/i18n.svelte.ts';
import { isAbort, runTask } from '../app/tasks.svelte.ts';
import { measureNeedsCustomers, silentTaskId, type Aggregate } from '../../pipeline/hotspots/hotspot-pipeline.ts';
import { hotspots, RESOLUTIONS, type CustomerOptions, type RiskSource } from './hotspots.svelte.ts';
import { demandRiskQuadrants } from '../../pipeline/hotspots/hotspot-quadrants.ts';
import { customerVariables, profileMatrix, type AreaCustomerSums, type ProfileVariable } from '../../pipeline/hotspots/hotspot-typology.ts';
import { risk } from '../risk/risk-state.svelte.ts';
import { defaultIndicators, tableFromDataset } from '../risk/risk-model.ts';
import { computeRiskIndex } from '../../core/risk-index.ts';
import { DEFAULT_TIERS } from '../../core/risk-config.ts';
import type { ComputeRequest, GridView } from '../../pipeline/hotspots/hotspot-engine.ts';

interface Context {
  ds: Dataset;
  /** The dataset's name in the analysis worker. */
  key: string;
  grids: Map<number, Promise<GridView>>;
}

let ctx: Context | null = null;
let runSeq = 0;
let runningTask: number | null = null;
let readyFor: Dataset | null = null;

/** Whether the customer options of `ds` are known (results can be computed). */
export const isReady = (ds: Dataset): boolean => readyFor === ds;

function context(ds: Dataset): Context {
  // every call: the Sites tab may have opened another dataset in the worker meanwhile
  const key = analysisDataset(ds);
  if (ctx?.ds !== ds) ctx = { ds, key, grids: new Map() };
  return ctx;
}

function gridFor(c: Context, resolution: number): Promise<GridView> {
  let g = c.grids.get(resolution);
  if (!g) {
    g = analysisWorker().hotspotsGrid(c.key, resolution);
    c.grids.set(resolution, g);
    g.catch(() => c.grids.delete(resolution));
  }
  return g;
}

/** What the customers table offers (columns, segment values), for the controls. */
export async function loadCustomerOptions(ds: Dataset): Promise<void> {
  const c = context(ds);
  const analysis = analysisWorker();
  let options: CustomerOptions = { available: false, rows: 0, numericColumns: [], segments: [], hasAge: false, hasDigital: false, cells: null };
  const counts = ds.summary.counts;
  const source = counts.customers > 0 || counts.demand_cells > 0 ? await analysis.hotspotsDemandSource(c.key) : null;
  if (source) {
    // From demand cells the columns are its sums and group columns (hotspot-pipeline.ts).
    const cols = await analysis.hotspotsCustomerColumns(c.key);
    const names = new Set(cols.map((x) => x.name));
    const numericColumns = cols.filter((x) => x.numeric && !['lon', 'lat'].includes(x.name)).map((x) => x.name);
    const segments = names.has('segment') ? await analysis.hotspotsDistinctValues(c.key, 'segment', 50) : [];
    const cells = source.kind === 'cells' ? source.resolutions : null;
    // Filters need a value per customer: from demand cells only group columns have one (an
    // `age` there is sum_age, usable as a measure, not as a filter).
    const filterable = new Set(cols.filter((x) => !cells || !x.numeric).map((x) => x.name));
    options = {
      available: true, rows: cells ? counts.demand_cells : counts.customers, numericColumns, segments,
      hasAge: filterable.has('age'), hasDigital: filterable.has('digital_active'), cells,
    };
  }
  if (app.dataset !== ds) return;
  readyFor = ds;
  hotspots.options = options;
  const held = options.cells?.filter((r) => RESOLUTIONS.includes(r)) ?? [];
  if (held.length && !held.includes(hotspots.resolution)) hotspots.resolution = held.reduce((b, r) => (Math.abs(r - 8) < Math.abs(b - 8) ? r : b));
  if (!options.numericColumns.includes(hotspots.sumColumn)) hotspots.sumColumn = options.numericColumns.includes('balance') ? 'balance' : (options.numericColumns[0] ?? '');
  if (!options.available && hotspots.measure !== 'potential') hotspots.measure = 'potential';
}

/** The assignment at `resolution`, as a visible task the first time. Null when cancelled. */
async function assigned(c: Context, resolution: number): Promise<boolean> {
  if (!hotspots.options.available) return true;
  const analysis = analysisWorker();
  if (await analysis.hotspotsIsAssigned(c.key, resolution)) {
    await analysis.hotspotsAssign(c.key, resolution, silentTaskId());
    return true;
  }
  const r = await runTask('hotspots.task.assign', (id, onProgress) => analysis.hotspotsAssign(c.key, resolution, id, onProgress), (id) => analysis.cancel(id));
  return r !== null;
}

function population(ds: Dataset): Float64Array | undefined {
  if (!ds.indicators.population) return undefined;
  return indicatorSlice(ds, 'population', app.period || ds.periods.at(-1) || '').slice();
}

/** Our sites of the chosen type, for the under-served measure. */
function ownSites(ds: Dataset): { lon: Float64Array; lat: Float64Array } {
  const s = ds.sites;
  const idx = s.id.map((_, i) => i).filter((i) => s.owner[i] === 'own' && s.type[i] === hotspots.siteType && Number.isFinite(s.lon[i]));
  return { lon: Float64Array.from(idx, (i) => s.lon[i]), lat: Float64Array.from(idx, (i) => s.lat[i]) };
}

function request(ds: Dataset, resolution: number, overrides: Partial<ComputeRequest> = {}): Omit<ComputeRequest, 'totals'> {
  const m = hotspots.measure;
  return {
    resolution,
    rings: hotspots.rings,
    statistic: hotspots.statistic,
    measure: m,
    fdr: hotspots.fdr,
    permutations: hotspots.permutations,
    seed: hotspots.seed,
    population: m === 'potential' || m === 'penetration' ? population(ds) : undefined,
    sites: m === 'underserved' ? ownSites(ds) : undefined,
    radiusM: hotspots.radiusM,
    ...overrides,
  };
}

function aggregate(measure: ComputeRequest['measure']): Aggregate | null {
  return measureNeedsCustomers(measure) && hotspots.options.available ? { value: hotspots.value, filter: hotspots.filter } : null;
}

function fail(e: unknown): void {
  if (!isAbort(e)) hotspots.error = e instanceof Error ? e.message : String(e);
}

/** The statistic for the current controls. */
export async function refresh(ds: Dataset): Promise<void> {
  const seq = ++runSeq;
  if (runningTask !== null) void analysisWorker().cancel(runningTask);
  runningTask = null;
  const resolution = hotspots.resolution;
  const key = hotspots.specKey;
  hotspots.busy = true;
  try {
    const c = context(ds);
    const grid = await gridFor(c, resolution);
    if (!(await assigned(c, resolution)) || seq !== runSeq) return;
    const req = request(ds, resolution);
    const agg = aggregate(req.measure);
    const result =
      req.permutations > 0
        ? await runTask('hotspots.task.permutations', (id, onProgress) => {
            runningTask = id;
            return analysisWorker().hotspotsCompute(c.key, req, agg, id, onProgress);
          }, (id) => analysisWorker().cancel(id))
        : await analysisWorker().hotspotsCompute(c.key, req, agg, silentTaskId());
    if (!result || seq !== runSeq || app.dataset !== ds) return;
    if (hotspots.grid !== grid) hotspots.selected = -1;
    hotspots.grid = grid;
    hotspots.result = result;
    app.hover = null; // a tooltip of the old result would be stale
    hotspots.error = '';
    lastKey = key;
  } catch (e) {
    if (seq === runSeq) fail(e);
  } finally {
    if (seq === runSeq) {
      hotspots.busy = false;
      runningTask = null;
    }
  }
}

let lastKey = '';
/** The spec of the shown result (the effects skip a refresh when nothing changed). */
export const shownSpec = (): string => lastKey;

/** Gi* classes at 7, 8 and 9 (normal or FDR p; no permutations) → persistence per res-7 parent. */
export async function computeStability(ds: Dataset): Promise<void> {
  const key = hotspots.specKey;
  if (hotspots.stability?.key === key) return;
  const cells = hotspots.options.cells;
  if (cells && measureNeedsCustomers(hotspots.measure) && ![7, 8, 9].every((r) => cells.includes(r))) {
    hotspots.stability = null;
    hotspots.error = t('hotspots.cells.stabilityNeeds', { res: cells.join(', ') });
    return;
  }
  try {
    const c = context(ds);
    const inputs = [];
    const perCell = new Map<string, number>();
    for (const res of [7, 8, 9]) {
      const grid = await gridFor(c, res);
      if (!(await assigned(c, res))) return;
      const req = request(ds, res, { statistic: 'gi', permutations: 0 });
      const r = await analysisWorker().hotspotsCompute(c.key, req, aggregate(req.measure), silentTaskId());
      inputs.push({ resolution: res, classCode: r.classCode });
      if (res === 7) grid.h3.forEach((h, i) => perCell.set(h, r.customers[i] ?? 0));
    }
    const result = await analysisWorker().hotspotsStability(inputs, 95);
    // Customers per parent for the k rule of safe exports (parents are resolution-7 cells).
    const customers = measureNeedsCustomers(hotspots.measure)
      ? Float64Array.from(result.parents, (p) => perCell.get(p) ?? 0)
      : null;
    if (app.dataset === ds && hotspots.specKey === key) hotspots.stability = { key, result, customers };
  } catch (e) {
    fail(e);
  }
}

/** Risk tiers per area: the Risk tab's index when it has one for this period, else the default config. */
export function riskSource(ds: Dataset): RiskSource | null {
  const period = app.period || ds.periods.at(-1) || '';
  const cur = risk.current;
  if (cur && cur.period === period && cur.areaIds.length === ds.areaIds.length) {
    return { source: 'risk-tab', period, riskIndex: cur.riskIndex, tier: cur.tier, tierCount: risk.tiers.length + 1 };
  }
  const indicators = defaultIndicators(ds.summary.indicatorColumns, ds.periods.length);
  if (indicators.length === 0 || !ds.periods.includes(period)) return null;
  const r = computeRiskIndex(tableFromDataset(ds, ds.summary.indicatorColumns), { period, normalization: 'minmax', indicators, tiers: [...DEFAULT_TIERS] });
  return { source: 'default', period, riskIndex: r.riskIndex, tier: r.tier, tierCount: DEFAULT_TIERS.length + 1 };
}

/** Demand × risk quadrants for the shown result (cheap: runs on this thread). */
export function computeQuadrants(ds: Dataset): void {
  const res = hotspots.result;
  const grid = hotspots.grid;
  const rs = riskSource(ds);
  if (!res || !grid || !rs) return void (hotspots.quadrants = null);
  const result = demandRiskQuadrants({
    rule: hotspots.quadrantRule, statistic: res.statistic, classCode: res.classCode, values: res.values, cellArea: grid.areaIndex,
    riskIndex: rs.riskIndex, tier: rs.tier, tierCount: rs.tierCount,
  });
  hotspots.quadrants = { risk: rs, result };
}

const PROFILE_NUMERIC = ['age', 'balance', 'digital_active'];
const MAX_SEGMENTS = 8;

async function areaCustomerSums(c: Context): Promise<AreaCustomerSums | null> {
  if (!hotspots.options.available || !(await assigned(c, 8))) return null;
  const numeric = PROFILE_NUMERIC.filter((x) => hotspots.options.numericColumns.includes(x));
  const segs = hotspots.options.segments.slice(0, MAX_SEGMENTS).map((s) => s.value);
  // customers, sum_i and n_i per numeric column, seg_i per segment, summed per area in the worker
  const rolled = await analysisWorker().hotspotsAreaProfile(c.key, 8, numeric, segs);
  const sums: AreaCustomerSums['sums'] = {};
  numeric.forEach((col, i) => (sums[col] = [rolled[1 + 2 * i], rolled[2 + 2 * i]]));
  const segments: AreaCustomerSums['segments'] = {};
  segs.forEach((s, i) => (segments[s] = rolled[1 + 2 * numeric.length + i]));
  return { customers: rolled[0], sums, segments };
}

/** Every profile variable the data offers for the areas (before the user's selection). */
async function profileVariables(c: Context): Promise<ProfileVariable[]> {
  const ds = c.ds;
  const period = app.period || ds.periods.at(-1) || '';
  const vars: ProfileVariable[] = ds.summary.indicatorColumns.map((col) => ({ id: col, values: indicatorSlice(ds, col, period).slice() }));
  const pop = ds.indicators.population ? indicatorSlice(ds, 'population', period) : null;
  const km2 = Float64Array.from(ds.areas.features, (f) => Number(f.properties?.area_km2 ?? NaN));
  if (pop && km2.some((x) => x > 0)) vars.push({ id: 'pop_density', values: Float64Array.from(pop, (p, i) => (km2[i] > 0 ? p / km2[i] : NaN)) });
  const sums = await areaCustomerSums(c);
  if (sums) vars.push(...customerVariables(sums, pop ? pop.slice() : null));
  return vars;
}

let profileCache: { ds: Dataset; period: string; vars: Promise<ProfileVariable[]> } | null = null;

/** All profile variable ids (for the checklist). */
export async function typologyVariables(ds: Dataset): Promise<ProfileVariable[]> {
  const c = context(ds);
  const period = app.period;
  if (profileCache?.ds !== ds || profileCache.period !== period) profileCache = { ds, period, vars: profileVariables(c) };
  return profileCache.vars;
}

/** k-means types of the areas on the selected variables. */
export async function computeTypology(ds: Dataset): Promise<void> {
  const k = hotspots.typologyK;
  const off = new Set(hotspots.typologyOff);
  const key = JSON.stringify([k, [...off].sort(), app.period]);
  if (hotspots.typology?.key === key) return;
  try {
    const vars = (await typologyVariables(ds)).filter((v) => !off.has(v.id));
    const n = ds.areaIds.length;
    if (vars.length === 0 || n < 2) return void (hotspots.typology = null);
    const result = await analysisWorker().hotspotsTypology(profileMatrix(vars, n), vars.length, Math.min(k, n), 1);
    if (app.dataset === ds) hotspots.typology = { key, variables: vars.map((v) => v.id), result };
  } catch (e) {
    fail(e);
  }
}
