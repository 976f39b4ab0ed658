/**
 * The site-selection inputs (DESIGN.md "Coverage and site selection"), shared by the Sites
 * tab (analysis worker) and the CLI `sites` so both answer the same question the same way:
 *
 * - demand points: every customer (or demand-points row) at its exact location when the
 *   points are given (`DemandSource.points`), population potential (an area's population
 *   spread evenly over its study cells) at cell centres, or a blend of the two; without
 *   points, customers per study cell at cell centres;
 * - our existing sites of the chosen type, and the whole network of that type (ours and
 *   competitors') for Huff;
 * - candidates: the candidates file, or the centres of the H3 cells holding demand at
 *   `candidateResolution(R)` (cell centres at the study resolution for cell demand), farther
 *   than R/2 from our existing sites of the type (id = the H3 cell), plus positions the user
 *   pinned on the map;
 * - constraints: pinned / excluded candidate ids, circular exclusion zones, minimum spacing.
 *
 * Pure functions of arrays; no Svelte, no worker, no DuckDB.
 */
import { DEFAULT_RADIUS_M, type CoverageProblem, type Demand, type SiteWarning } from '../../core/coverage.ts';
import { allowedOutsideCircles, candidateResolution, candidatesWhereDemand, cellAt, generateCandidates, h3ResolutionOf, withWeights, type PointCells } from '../../core/candidates.ts';
import { locatePoints, type LocatedPoints } from '../../core/h3-locate.ts';
import { buildPointCoverage, haversineReach, type PointCoverage } from '../../core/point-coverage.ts';
import { costReach, type CostTable } from '../../core/cost-matrix.ts';
import { populationPotential } from '../../core/demand.ts';
import { OWN, type HuffSites } from '../../core/huff.ts';
import type { SelectionConstraints } from '../../core/site-selection.ts';
import type { Points } from '../../core/spatial-index.ts';
import type { SiteProgress } from '../../core/coverage.ts';

export type SiteType = 'branch' | 'atm';
export type SiteObjective = 'coverage' | 'huff' | 'pmedian' | 'lscp';
export type DemandMeasure = 'customers' | 'population' | 'blend';
export type SiteSolver = 'greedy' | 'exact';

export const SITE_TYPES: readonly SiteType[] = ['branch', 'atm'];
export const OBJECTIVES: readonly SiteObjective[] = ['coverage', 'huff', 'pmedian', 'lscp'];
export const DEMAND_MEASURES: readonly DemandMeasure[] = ['customers', 'population', 'blend'];
export { DEFAULT_RADIUS_M };

/** An input problem the user can fix; `code` is an i18n key (sites.error.*), the message is for the CLI. */
export class SitesInputError extends Error {
  override readonly name = 'SitesInputError';
  constructor(readonly code: string, message: string, readonly params: Record<string, string | number> = {}) {
    super(message);
  }
}

/** The sites file as columns. */
export interface NetworkSites {
  id: string[];
  /** Human names ('' where none); optional for callers that have none. */
  name?: string[];
  lon: Float64Array;
  lat: Float64Array;
  type: string[];
  /** `own`, or the competitor's name. */
  owner: string[];
  /** A_j > 0 (1 where the file had none). */
  attractiveness: Float64Array;
}

export interface PointSet {
  id: string[];
  lon: Float64Array;
  lat: Float64Array;
  /** Human names (a candidates file's `name`), '' where none. */
  name?: string[];
}

/** The study grid as the sites pipeline needs it: cells, centres, owning area. */
export interface StudyCells {
  h3: string[];
  lon: Float64Array;
  lat: Float64Array;
  /** Owning area of each cell (index in the areas file). */
  areaIndex: Int32Array;
  /** Number of areas (the length of the population array). */
  areaCount: number;
}

/** Demand at exact locations: customers (weight 1 or a column) or a demand-points file. */
export interface ExactPoints {
  lon: Float64Array;
  lat: Float64Array;
  weight: Float64Array;
  /** Ids of a demand-points file (cost files name demand by them); absent for customers. */
  id?: string[];
  /**
   * The points are customers merged on a grid of `cellM`-metre squares (each at its customers'
   * mean location, weighing their number), not one point per customer: too many for memory.
   */
  merged?: { customers: number; cellM: number };
}

export interface DemandSource {
  cells: StudyCells;
  /**
   * Demand at exact locations; when given, `customers` demand is decided at these points.
   * With study cells, points whose H3 cell is not a study cell are left out and counted.
   */
  points?: ExactPoints | null;
  /** Customers per study cell; null when no customers are loaded. */
  customers: Float64Array | null;
  /** Population per area (areas file order; NaN where missing); null without a population indicator. */
  areaPopulation: Float64Array | null;
}

export interface DemandOptions {
  measure: DemandMeasure;
  /**
   * For `blend`: the customers' share λ in [0, 1] (default 0.5). Blend demand at cell i is
   * C · (λ·c_i/C + (1 − λ)·p_i/P), C and P the total customers and population: a mix of
   * the two shares, scaled to customer units so numbers stay readable.
   */
  blendCustomerShare?: number;
  /**
   * Keep every cell with customers or population, not only those with demand > 0 (the
   * closure access check counts people where the chosen demand measure is 0).
   */
  keepAllPeople?: boolean;
  /** H3 resolution at which exact points are located for candidate generation (≥ the study resolution). */
  fineResolution?: number;
}

/** Demand points: study-cell centres with their demand weight and who lives there. */
export interface DemandPoints extends Demand {
  lon: Float64Array;
  lat: Float64Array;
  weight: Float64Array;
  /** Study-cell index of each point. */
  cell: Int32Array;
  /** Customers and population potential at each point (0 where unknown). */
  customers: Float64Array;
  population: Float64Array;
  measure: DemandMeasure;
  /** 'points': exact locations (population blended in at cell centres); 'cells': cell centres only. */
  at: 'points' | 'cells';
  /** Exact points: their H3 cells at `fineResolution` (aligned with the points kept). */
  fine: PointCells | null;
  fineResolution: number;
  /** Index of each demand point in the given exact points (−1 for population cells); null for cell demand. */
  source: Int32Array | null;
  /** Id per demand point (demand-points file rows; population cells get their H3 cell), or null. */
  id: string[] | null;
  /** Exact points left out because they lie outside the study area (their weight). */
  outsideWeight: number;
  outsidePoints: number;
  totalWeight: number;
  totalCustomers: number;
  totalPopulation: number;
  warnings: SiteWarning[];
}

export function buildDemand(src: DemandSource, opts: DemandOptions): DemandPoints {
  // Population alone has no points; with keepAllPeople (closure's access check) the customers
  // still stand where they are, at weight 0.
  if (src.points && (opts.measure !== 'population' || opts.keepAllPeople)) return pointDemand(src, src.points, opts);
  const n = src.cells.h3.length;
  const warnings: SiteWarning[] = [];
  const needCustomers = opts.measure !== 'population';
  const needPopulation = opts.measure !== 'customers';
  if (needCustomers && !src.customers) {
    throw new SitesInputError('no_customers', 'demand from customers needs a customers file (--customers); or use --demand population with --indicators');
  }
  let pop: Float64Array | null = null;
  if (src.areaPopulation) {
    if (src.areaPopulation.length !== src.cells.areaCount) throw new RangeError(`${src.areaPopulation.length} population values for ${src.cells.areaCount} areas`);
    pop = populationPotential(src.cells.areaIndex, src.areaPopulation);
    let missingAreas = 0;
    for (let a = 0; a < src.areaPopulation.length; a++) if (!Number.isFinite(src.areaPopulation[a])) missingAreas++;
    for (let i = 0; i < n; i++) if (!(pop[i] >= 0)) pop[i] = 0;
    if (missingAreas > 0 && needPopulation) warnings.push({ code: 'population_missing', params: { areas: missingAreas } });
  } else if (needPopulation) {
    throw new SitesInputError('no_population', 'demand from population needs an indicators file with a numeric "population" column (--indicators)');
  }
  const cust = src.customers;
  if (cust && cust.length !== n) throw new RangeError(`${cust.length} customer counts for ${n} study cells`);
  let C = 0, P = 0;
  for (let i = 0; i < n; i++) {
    if (cust) C += cust[i];
    if (pop) P += pop[i];
  }
  const lambda = opts.blendCustomerShare ?? 0.5;
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`blendCustomerShare must be in [0, 1], got ${lambda}`);
  const weightAt = (i: number): number => {
    const c = cust ? cust[i] : 0;
    const p = pop ? pop[i] : 0;
    if (opts.measure === 'customers') return c;
    if (opts.measure === 'population') return p;
    // Without customers the blend is population scaled to population units.
    const scale = C > 0 ? C : P;
    return scale * ((C > 0 ? (lambda * c) / C : 0) + (P > 0 ? ((C > 0 ? 1 - lambda : 1) * p) / P : 0));
  };
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = weightAt(i);
    if (w > 0 || (opts.keepAllPeople && ((cust?.[i] ?? 0) > 0 || (pop?.[i] ?? 0) > 0))) keep.push(i);
  }
  const cell = Int32Array.from(keep);
  const weight = Float64Array.from(keep, weightAt);
  let total = 0;
  for (const w of weight) total += w;
  if (total === 0) warnings.push({ code: 'no_demand', params: { measure: opts.measure } });
  return {
    lon: Float64Array.from(keep, (i) => src.cells.lon[i]),
    lat: Float64Array.from(keep, (i) => src.cells.lat[i]),
    weight,
    cell,
    customers: Float64Array.from(keep, (i) => cust?.[i] ?? 0),
    population: Float64Array.from(keep, (i) => pop?.[i] ?? 0),
    measure: opts.measure,
    at: 'cells',
    source: null,
    fine: null,
    fineResolution: NaN,
    id: null,
    outsideWeight: 0,
    outsidePoints: 0,
    totalWeight: total,
    totalCustomers: C,
    totalPopulation: P,
    warnings,
  };
}

/**
 * Demand at exact points. With study cells, each point's H3 cell at the study resolution
 * (latLngToCell, DESIGN.md › Grid) must be a study cell; the others are left out and
 * counted. `blend`: the points carry λ·C/ΣW each unit of weight, the population (1 − λ)·C
 * spread at cell centres, as in the cell blend.
 */
function pointDemand(src: DemandSource, pts: ExactPoints, opts: DemandOptions): DemandPoints {
  const warnings: SiteWarning[] = [];
  const n = pts.lon.length;
  const studyRes = src.cells.h3.length > 0 ? h3ResolutionOf(src.cells.h3[0]) : -1;
  const fineRes = Math.max(opts.fineResolution ?? (studyRes >= 0 ? studyRes : 9), studyRes);
  // Each point's cell at the fine resolution (candidates) and at the study resolution, in one pass.
  const located = locatePoints(pts, studyRes >= 0 && studyRes !== fineRes ? [fineRes, studyRes] : [fineRes]);
  const all = withWeights(located[0], pts.weight);
  // Study cell of each point (−1 outside): its own cell at the study resolution; all 0 without a study grid.
  const studyOf = studyRes >= 0 ? studyIndexOf(located[located.length - 1], src.cells.h3) : new Int32Array(n);
  let kept = 0, outsideWeight = 0, outsidePoints = 0, C = 0;
  for (let i = 0; i < n; i++) {
    if (studyOf[i] >= 0) { kept++; C += pts.weight[i]; } else { outsidePoints++; outsideWeight += pts.weight[i]; }
  }
  const keep = new Int32Array(kept);
  for (let i = 0, q = 0; i < n; i++) if (studyOf[i] >= 0) keep[q++] = i;
  if (outsidePoints > 0) warnings.push({ code: 'points_outside', params: { points: outsidePoints, weight: outsideWeight } });
  if (pts.merged) warnings.push({ code: 'points_merged', params: { customers: pts.merged.customers, points: n, metres: pts.merged.cellM } });
  // Population at cell centres, for the blend and the closure's access check.
  let pop: Float64Array | null = null;
  let P = 0;
  if (src.areaPopulation && src.cells.h3.length > 0) {
    pop = populationPotential(src.cells.areaIndex, src.areaPopulation);
    for (let c = 0; c < pop.length; c++) { if (!(pop[c] >= 0)) pop[c] = 0; P += pop[c]; }
  }
  if (opts.measure !== 'customers' && !pop) throw new SitesInputError('no_population', 'demand from population needs an indicators file with a numeric "population" column (--indicators)');
  const lambda = opts.blendCustomerShare ?? 0.5;
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`blendCustomerShare must be in [0, 1], got ${lambda}`);
  const blend = opts.measure === 'blend';
  // Weight per unit: customers 1 / population 0 for `customers`, 0 / 1 for `population`
  // (points kept for the access check only), the blend's mix otherwise.
  const pointScale = blend ? (C > 0 ? lambda : 0) : opts.measure === 'customers' ? 1 : 0;
  const popCells: number[] = [];
  if ((opts.measure !== 'customers' || opts.keepAllPeople) && pop) for (let c = 0; c < pop.length; c++) if (pop[c] > 0) popCells.push(c);
  const popScale = opts.measure === 'population' ? 1 : blend && P > 0 ? ((C > 0 ? 1 - lambda : 1) * (C > 0 ? C : P)) / P : 0;
  const m = kept + popCells.length;
  const lon = new Float64Array(m), lat = new Float64Array(m), weight = new Float64Array(m), cell = new Int32Array(m);
  const customers = new Float64Array(m), population = new Float64Array(m);
  const cellOf = new Int32Array(m);
  const source = new Int32Array(m).fill(-1);
  let fineCells = all.cells;
  let fineWeight = new Float64Array(fineCells.length);
  for (let q = 0; q < kept; q++) {
    const i = keep[q];
    source[q] = i;
    lon[q] = pts.lon[i]; lat[q] = pts.lat[i];
    const w = pts.weight[i] * pointScale;
    weight[q] = w;
    customers[q] = pts.weight[i];
    const k = all.cellOf[i];
    cell[q] = studyRes >= 0 ? studyOf[i] : -1;
    cellOf[q] = k;
    fineWeight[k] += w;
  }
  if (popCells.length > 0) {
    // Population centres join the fine cells too, so candidates are generated where they are.
    fineCells = fineCells.slice();
    const fineIndex = new Map(fineCells.map((h, k) => [h, k]));
    const fw = Array.from(fineWeight);
    for (let r = 0; r < popCells.length; r++) {
      const c = popCells[r], q = kept + r;
      lon[q] = src.cells.lon[c]; lat[q] = src.cells.lat[c];
      weight[q] = pop![c] * popScale;
      population[q] = pop![c];
      cell[q] = c;
      const h = cellAt(lon[q], lat[q], fineRes);
      let k = fineIndex.get(h);
      if (k === undefined) { k = fineCells.length; fineIndex.set(h, k); fineCells.push(h); fw.push(0); }
      cellOf[q] = k;
      fw[k] += weight[q];
    }
    fineWeight = Float64Array.from(fw);
  }
  let total = 0;
  for (const w of weight) total += w;
  if (total === 0) warnings.push({ code: 'no_demand', params: { measure: opts.measure } });
  return {
    lon, lat, weight, cell, customers, population,
    measure: opts.measure,
    at: 'points',
    source,
    fine: { cells: fineCells, cellOf, weight: fineWeight },
    fineResolution: fineRes,
    id: pts.id ? [...Array.from(keep, (i) => pts.id![i]), ...popCells.map((c) => src.cells.h3[c])] : null,
    outsideWeight, outsidePoints,
    totalWeight: total,
    totalCustomers: C,
    totalPopulation: P,
    warnings,
  };
}


/** Index of each located point's cell among the study cells (−1 outside). */
function studyIndexOf(located: LocatedPoints, study: readonly string[]): Int32Array {
  const index = new Map(study.map((h, i) => [h, i]));
  const byCell = Int32Array.from(located.cells, (h) => index.get(h) ?? -1);
  return located.cellOf.map((k) => byCell[k]);
}

/** Indices of the sites of `type` (case-insensitive), and of ours among them. */
export function sitesOfType(network: NetworkSites, type: SiteType): { all: number[]; own: number[] } {
  const all: number[] = [];
  const own: number[] = [];
  for (let j = 0; j < network.id.length; j++) {
    if (network.type[j].toLowerCase() !== type) continue;
    all.push(j);
    if (network.owner[j] === OWN) own.push(j);
  }
  return { all, own };
}

/** The network of one type for Huff: positions, owners, attractiveness, in `indices` order. */
export function huffSitesOf(network: NetworkSites, indices: readonly number[]): HuffSites & { lon: Float64Array; lat: Float64Array; attractiveness: Float64Array } {
  return {
    lon: Float64Array.from(indices, (j) => network.lon[j]),
    lat: Float64Array.from(indices, (j) => network.lat[j]),
    owner: indices.map((j) => network.owner[j]),
    attractiveness: Float64Array.from(indices, (j) => (network.attractiveness[j] > 0 ? network.attractiveness[j] : 1)),
  };
}

export function pointsOf(network: NetworkSites, indices: readonly number[]): { lon: Float64Array; lat: Float64Array } {
  return { lon: Float64Array.from(indices, (j) => network.lon[j]), lat: Float64Array.from(indices, (j) => network.lat[j]) };
}

export type CandidateSource = 'file' | 'generated' | 'user';

export interface Candidates extends PointSet {
  source: CandidateSource[];
  /** A name per candidate ('' when none): the candidates file's `name`. */
  name: string[];
}

/**
 * Candidates: the file when given (ids as in the file), else generated from the study cells
 * (id = the H3 cell index, a stable name for a cell centre), then `extra` user positions.
 */
export function buildCandidates(opts: { cells: StudyCells; existing: Points; radiusM: number; file: PointSet | null; extra?: PointSet; where?: { fine: PointCells; resolution: number } | null }): Candidates {
  const id: string[] = [];
  const lon: number[] = [];
  const lat: number[] = [];
  const source: CandidateSource[] = [];
  const name: string[] = [];
  if (opts.file) {
    for (let j = 0; j < opts.file.id.length; j++) {
      id.push(opts.file.id[j]); lon.push(opts.file.lon[j]); lat.push(opts.file.lat[j]); source.push('file'); name.push(opts.file.name?.[j] ?? '');
    }
  } else if (opts.where) {
    const g = candidatesWhereDemand(opts.where.fine, opts.where.resolution, opts.existing, opts.radiusM);
    if (!opts.extra?.id.length) {
      return { id: g.h3, lon: g.lon, lat: g.lat, source: new Array<CandidateSource>(g.h3.length).fill('generated'), name: new Array<string>(g.h3.length).fill('') };
    }
    for (let q = 0; q < g.h3.length; q++) {
      id.push(g.h3[q]); lon.push(g.lon[q]); lat.push(g.lat[q]); source.push('generated');
    }
  } else {
    const g = generateCandidates({ lon: opts.cells.lon, lat: opts.cells.lat }, opts.existing, opts.radiusM);
    for (let q = 0; q < g.cellIndex.length; q++) {
      id.push(opts.cells.h3[g.cellIndex[q]]); lon.push(g.lon[q]); lat.push(g.lat[q]); source.push('generated');
    }
  }
  const seen = new Set(id);
  for (let j = 0; j < (opts.extra?.id.length ?? 0); j++) {
    const x = opts.extra!;
    if (seen.has(x.id[j])) continue;
    seen.add(x.id[j]);
    id.push(x.id[j]); lon.push(x.lon[j]); lat.push(x.lat[j]); source.push('user');
  }
  while (name.length < id.length) name.push(''); // generated and user positions are named by the caller
  return { id, lon: Float64Array.from(lon), lat: Float64Array.from(lat), source, name };
}

/** A circle drawn on the map where no new site may go. */
export interface ExclusionZone {
  lon: number;
  lat: number;
  radiusM: number;
}

export interface ConstraintRequest {
  pinnedIds?: readonly string[];
  excludedIds?: readonly string[];
  zones?: readonly ExclusionZone[];
  /** Minimum distance between new sites, metres; 0 = none. */
  minSpacingM?: number;
}

/** Candidate-index constraints from ids and zones; ids that name no candidate are reported, not fatal. */
export function constraintsFor(candidates: Candidates, req: ConstraintRequest): SelectionConstraints & { unknownIds: string[]; zoneExcluded: number } {
  // Only built when ids are given: tens of thousands of generated candidates otherwise.
  let index: Map<string, number> | null = null;
  const unknownIds: string[] = [];
  const resolve = (ids: readonly string[] | undefined) => {
    const out: number[] = [];
    for (const id of ids ?? []) {
      index ??= new Map(candidates.id.map((x, j) => [x, j]));
      const j = index.get(id);
      if (j === undefined) unknownIds.push(id);
      else if (!out.includes(j)) out.push(j);
    }
    return out;
  };
  const pinned = resolve(req.pinnedIds);
  const excluded = resolve(req.excludedIds).filter((j) => !pinned.includes(j));
  let allowed: Uint8Array | undefined;
  let zoneExcluded = 0;
  const zones = req.zones ?? [];
  if (zones.length > 0) {
    allowed = allowedOutsideCircles(candidates, {
      lon: zones.map((z) => z.lon),
      lat: zones.map((z) => z.lat),
      radiusM: zones.map((z) => z.radiusM),
    });
    for (const a of allowed) if (!a) zoneExcluded++;
  }
  return { pinned, excluded, allowed, minSpacingM: req.minSpacingM ?? 0, unknownIds, zoneExcluded };
}

/** Everything one run works on. */
export interface SitesData {
  siteType: SiteType;
  radiusM: number;
  demand: DemandPoints;
  network: NetworkSites;
  /** Network indices of the sites of the type (ours and competitors'), and ours. */
  typeSites: number[];
  ownSites: number[];
  candidates: Candidates;
  /** H3 resolution of generated candidates (NaN when they come from a file or are cell centres). */
  candidateResolution: number;
  problem: CoverageProblem;
  /** The cost table when costs replace haversine, else null. */
  costs: CostTable | null;
  /** Each demand point's atom in `problem` (core/point-coverage.ts). */
  coverage: Omit<PointCoverage, 'problem'>;
}

export interface PrepareRequest {
  siteType: SiteType;
  /** Metres; default DEFAULT_RADIUS_M[siteType]. */
  radiusM?: number;
  demand: DemandOptions;
  /** User positions to add as candidates (pinned moved sites). */
  extraCandidates?: PointSet;
  /** H3 resolution of candidates generated where demand is; default candidateResolution(R). */
  candidateResolution?: number;
  /** Travel costs over the exact points and the candidates file, replacing haversine (DESIGN.md `--costs`). */
  costs?: CostTable | null;
}

export function prepareSitesData(
  src: DemandSource & { network: NetworkSites; candidatesFile: PointSet | null },
  req: PrepareRequest,
  hooks: { signal?: AbortSignal; onProgress?: (p: SiteProgress) => void } = {},
): SitesData {
  const radiusM = req.radiusM ?? DEFAULT_RADIUS_M[req.siteType];
  if (!(radiusM > 0)) throw new SitesInputError('bad_radius', `the coverage radius must be > 0 metres, got ${radiusM}`, { radius: radiusM });
  const candRes = req.candidateResolution ?? candidateResolution(radiusM);
  const demand = buildDemand(src, { ...req.demand, fineResolution: req.demand.fineResolution ?? candRes });
  const { all, own } = sitesOfType(src.network, req.siteType);
  const existing = pointsOf(src.network, own);
  const where = demand.fine && !src.candidatesFile ? { fine: demand.fine, resolution: Math.min(candRes, demand.fineResolution) } : null;
  const candidates = buildCandidates({ cells: src.cells, existing, radiusM, file: src.candidatesFile, extra: req.extraCandidates, where });
  if (req.costs && (!demand.source || demand.source.some((i) => i < 0) || !src.candidatesFile)) {
    throw new SitesInputError('costs_need_points', 'a cost file needs demand at exact points (customers or a demand-points file, not population) and a candidates file whose site_ids it names');
  }
  const reach = req.costs ? costReach(req.costs, radiusM, demand.source!) : haversineReach(demand, existing, candidates, radiusM);
  const { problem, ...coverage } = buildPointCoverage({
    demand, numCandidates: candidates.id.length, candidateLon: candidates.lon, candidateLat: candidates.lat, radiusM, reach, signal: hooks.signal, onProgress: hooks.onProgress,
  });
  return {
    siteType: req.siteType, radiusM, demand, network: src.network, typeSites: all, ownSites: own, candidates,
    candidateResolution: where ? where.resolution : NaN, problem, coverage, costs: req.costs ?? null,
  };
}
