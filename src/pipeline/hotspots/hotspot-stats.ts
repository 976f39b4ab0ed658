/**
 * From per-cell totals to what the hotspot map shows: the demand measure per study cell
 * (count, sum, population potential, penetration, under-served demand), then Gi* or Local
 * Moran's I with the chosen inference (normal p, Benjamini–Hochberg FDR, conditional
 * permutations). Pure functions of typed arrays, shared by the analysis worker and the CLI.
 *
 * Inference choices (DESIGN.md leaves the combination open):
 * - The p that classifies is the permutation p (`pSim`) when permutations are run, else the
 *   normal p. With FDR on, `pFdr` = BH over that p, and classes come from `pFdr`.
 * - Gi* classes: from z and DESIGN.md's thresholds when neither FDR nor permutations is used
 *   (identical to p ≤ 0.01 / 0.05 / 0.10), otherwise from the classifying p and the sign of z.
 * - Local Moran clusters (HH, LH, LL, HL) where the classifying p ≤ 0.05.
 */
import { bhAdjust } from '../../core/fdr.ts';
import { classifyByP, giStar, giStarPermutationP, type HotspotWarning } from '../../core/getis-ord.ts';
import type { Neighbours, StudyGrid } from '../../core/grid.ts';
import { localMoran, localMoranPermutationP, moranClusters } from '../../core/local-moran.ts';
import { penetration, populationPotential, totalsByStudyCell, underServedDemand } from '../../core/demand.ts';

export type HotspotMeasure = 'count' | 'sum' | 'potential' | 'penetration' | 'underserved';
export type HotspotStatistic = 'gi' | 'moran';

/** Per-cell totals from DuckDB (`cellTotalsSql`): only cells with customers that pass the filters. */
export interface CellTotals {
  cells: BigUint64Array;
  customers: Float64Array;
  value: Float64Array;
  missing: Float64Array;
}

export interface MeasureInput {
  measure: HotspotMeasure;
  totals?: CellTotals;
  /** Population per area (areas' order), for `potential` and `penetration`; NaN = missing. */
  population?: Float64Array;
  /** Our sites, for `underserved`. */
  sites?: { lon: Float64Array; lat: Float64Array };
  /** Service radius for `underserved`, metres; defaults to 1500 (a branch, DESIGN.md). */
  radiusM?: number;
}

/** A warning for people: `code` picks the translated text, `params` fill it. */
export interface HotspotNote {
  code: HotspotWarning['code'] | 'outside' | 'missing_values' | 'population_missing' | 'areas_without_cells' | 'no_sites' | 'nan_cells';
  params: Record<string, number>;
  /** English text for the CLI and logs. */
  message: string;
}

export interface MeasureValues {
  /** Value per study cell (finite: cells without a defined value are 0 and counted in a note). */
  values: Float64Array;
  /**
   * Customers per study cell that passed the filters (zeros when no customers are used):
   * what a safe export's k rule counts, whatever the measure.
   */
  customers: Float64Array;
  /** Customers that passed the filters and fell in a study cell / outside every study cell. */
  customersUsed: number;
  customersOutside: number;
  /** Under-served only: distance from each cell centre to our nearest site, metres. */
  nearestSiteM: Float64Array | null;
  notes: HotspotNote[];
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** The demand measure per study cell of `grid`. */
export function measureValues(grid: StudyGrid, centres: { lon: Float64Array; lat: Float64Array }, input: MeasureInput): MeasureValues {
  const n = grid.cells.length;
  const notes: HotspotNote[] = [];
  let customers: Float64Array = new Float64Array(n);
  let value: Float64Array = new Float64Array(n);
  let customersOutside = 0;
  if (input.totals) {
    const t = input.totals;
    const c = totalsByStudyCell(grid, t.cells, t.customers);
    customers = c.values;
    customersOutside = c.outsideTotal;
    value = input.measure === 'sum' ? totalsByStudyCell(grid, t.cells, t.value).values : customers;
    if (customersOutside > 0) {
      notes.push({ code: 'outside', params: { count: customersOutside }, message: `${customersOutside} customers lie outside the study area (their H3 cell's centre is in no area) and are not counted.` });
    }
    const missing = input.measure === 'sum' ? sum(totalsByStudyCell(grid, t.cells, t.missing).values) : 0;
    if (missing > 0) {
      notes.push({ code: 'missing_values', params: { count: missing }, message: `${missing} customers have no value to sum and count as 0.` });
    }
  }
  const customersUsed = sum(customers);
  let values: Float64Array = value;
  let nearestSiteM: Float64Array | null = null;
  if (input.measure === 'potential' || input.measure === 'penetration') {
    const pop = input.population ?? new Float64Array(grid.areaCellCount.length).fill(NaN);
    const potential = populationPotential(grid.areaIndex, pop);
    let lost = 0;
    for (let a = 0; a < grid.areaCellCount.length; a++) if (grid.areaCellCount[a] === 0 && pop[a] > 0) lost++;
    if (lost > 0) {
      notes.push({ code: 'areas_without_cells', params: { count: lost }, message: `${lost} areas are smaller than one H3 cell at resolution ${grid.resolution}: their population is not on the map.` });
    }
    values = input.measure === 'potential' ? potential : penetration(customers, potential);
  } else if (input.measure === 'underserved') {
    const sites = input.sites ?? { lon: new Float64Array(), lat: new Float64Array() };
    if (sites.lon.length === 0) notes.push({ code: 'no_sites', params: {}, message: 'There are no sites of ours of this type: all demand is under-served.' });
    const u = underServedDemand(centres.lon, centres.lat, customers, sites.lon, sites.lat, input.radiusM ?? 1500);
    values = u.underServed;
    nearestSiteM = u.nearestSiteM;
  }
  // Gi* needs a finite value in every study cell
  let nan = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) {
      if (values === customers || values === value) values = Float64Array.from(values);
      values[i] = 0;
      nan++;
    }
  }
  if (nan > 0) {
    const what = input.measure === 'penetration' || input.measure === 'potential' ? 'population_missing' : 'nan_cells';
    notes.push({ code: what, params: { count: nan }, message: `${nan} study cells have no defined value (e.g. no population data) and count as 0.` });
  }
  return { values, customers, customersUsed, customersOutside, nearestSiteM, notes };
}

export interface StatisticOptions {
  statistic: HotspotStatistic;
  fdr: boolean;
  /** 0 = analytical p only. */
  permutations: number;
  seed: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface StatisticResult {
  statistic: HotspotStatistic;
  /** Gi* z, or Local Moran's standardised I. */
  z: Float64Array;
  /** Two-sided normal p. */
  p: Float64Array;
  /** BH-adjusted classifying p, when FDR is on. */
  pFdr: Float64Array | null;
  /** Permutation pseudo p, when permutations were run. */
  pSim: Float64Array | null;
  /** Gi*: index into GI_CLASSES. Moran: index into MORAN_QUADRANTS (0 = not significant). */
  classCode: Uint8Array;
  /** Local Moran's I (null for Gi*). */
  moranI: Float64Array | null;
  mean: number;
  sd: number;
  notes: HotspotNote[];
}

/** Gi* or Local Moran over `values` with neighbours `nb` (i included, as gridNeighbours builds them). */
export async function computeStatistic(values: Float64Array, nb: Neighbours, o: StatisticOptions): Promise<StatisticResult> {
  const perm = { permutations: o.permutations, seed: o.seed, signal: o.signal, onProgress: o.onProgress };
  if (o.statistic === 'gi') {
    const g = giStar(values, nb);
    const pSim = o.permutations > 0 ? await giStarPermutationP(values, nb, perm) : null;
    const base = pSim ?? g.p;
    const pFdr = o.fdr ? bhAdjust(base) : null;
    const classCode = pFdr ? classifyByP(g.z, pFdr) : pSim ? classifyByP(g.z, pSim) : g.classCode;
    const notes = g.warnings.map((w) => ({ code: w.code, params: { cells: g.n }, message: w.message }));
    return { statistic: 'gi', z: g.z, p: g.p, pFdr, pSim, classCode, moranI: null, mean: g.mean, sd: g.sd, notes };
  }
  const m = localMoran(values, nb);
  const pSim = o.permutations > 0 ? await localMoranPermutationP(values, nb, perm) : null;
  const base = pSim ?? m.p;
  const pFdr = o.fdr ? bhAdjust(base) : null;
  const classCode = pFdr || pSim ? moranClusters(m.quadrant, pFdr ?? base) : m.cluster;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  const mean = values.length ? s / values.length : NaN;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i] - mean) ** 2;
  const notes = m.warnings.map((w) => ({ code: w.code, params: { cells: values.length }, message: w.message }));
  return { statistic: 'moran', z: m.z, p: m.p, pFdr, pSim, classCode, moranI: m.I, mean, sd: Math.sqrt(ss / Math.max(1, values.length)), notes };
}
