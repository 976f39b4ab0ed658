/**
 * The site-selection inputs (DESIGN.md "Coverage and site selection"), shared by the Sites
 * tab (analysis worker) and the CLI `sites` so both answer the same question the same way:
 *
 * - demand points: study-cell centres with demand > 0, demand being customers per cell,
 *   population potential (an area's population spread evenly over its study cells), or a
 *   blend of the two;
 * - our existing sites of the chosen type, and the whole network of that type (ours and
 *   competitors') for Huff;
 * - candidates: the candidates file, or every study-cell centre farther than R/2 from our
 *   existing sites of the type (id = the H3 cell), plus positions the user pinned on the map;
 * - constraints: pinned / excluded candidate ids, circular exclusion zones, minimum spacing.
 *
 * Pure functions of arrays; no Svelte, no worker, no DuckDB.
 */
import { buildCoverageProblem, DEFAULT_RADIUS_M, type CoverageProblem, type Demand, type SiteWarning } from '../../core/coverage.ts';
import { allowedOutsideCircles, generateCandidates } from '../../core/candidates.ts';
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

export interface DemandSource {
  cells: StudyCells;
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
  totalWeight: number;
  totalCustomers: number;
  totalPopulation: number;
  warnings: SiteWarning[];
}

export function buildDemand(src: DemandSource, opts: DemandOptions): DemandPoints {
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
    totalWeight: total,
    totalCustomers: C,
    totalPopulation: P,
    warnings,
  };
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
}

/**
 * Candidates: the file when given (ids as in the file), else generated from the study cells
 * (id = the H3 cell index, a stable name for a cell centre), then `extra` user positions.
 */
export function buildCandidates(opts: { cells: StudyCells; existing: Points; radiusM: number; file: PointSet | null; extra?: PointSet }): Candidates {
  const id: string[] = [];
  const lon: number[] = [];
  const lat: number[] = [];
  const source: CandidateSource[] = [];
  if (opts.file) {
    for (let j = 0; j < opts.file.id.length; j++) {
      id.push(opts.file.id[j]); lon.push(opts.file.lon[j]); lat.push(opts.file.lat[j]); source.push('file');
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
  return { id, lon: Float64Array.from(lon), lat: Float64Array.from(lat), source };
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
  const index = new Map(candidates.id.map((id, j) => [id, j]));
  const unknownIds: string[] = [];
  const resolve = (ids: readonly string[] | undefined) => {
    const out: number[] = [];
    for (const id of ids ?? []) {
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
  problem: CoverageProblem;
}

export interface PrepareRequest {
  siteType: SiteType;
  /** Metres; default DEFAULT_RADIUS_M[siteType]. */
  radiusM?: number;
  demand: DemandOptions;
  /** User positions to add as candidates (pinned moved sites). */
  extraCandidates?: PointSet;
}

export function prepareSitesData(
  src: DemandSource & { network: NetworkSites; candidatesFile: PointSet | null },
  req: PrepareRequest,
  hooks: { signal?: AbortSignal; onProgress?: (p: SiteProgress) => void } = {},
): SitesData {
  const radiusM = req.radiusM ?? DEFAULT_RADIUS_M[req.siteType];
  if (!(radiusM > 0)) throw new SitesInputError('bad_radius', `the coverage radius must be > 0 metres, got ${radiusM}`, { radius: radiusM });
  const demand = buildDemand(src, req.demand);
  const { all, own } = sitesOfType(src.network, req.siteType);
  const existing = pointsOf(src.network, own);
  const candidates = buildCandidates({ cells: src.cells, existing, radiusM, file: src.candidatesFile, extra: req.extraCandidates });
  const problem = buildCoverageProblem({ demand, existing, candidates, radiusM, signal: hooks.signal, onProgress: hooks.onProgress });
  return { siteType: req.siteType, radiusM, demand, network: src.network, typeSites: all, ownSites: own, candidates, problem };
}
