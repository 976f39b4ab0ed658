/**
 * Coverage (DESIGN.md "Coverage and site selection"): a site covers every demand point
 * within radius R, haversine distance ≤ R. Defaults R = 1500 m for branches, 500 m for
 * ATMs. Coverage sets are compressed rows (site → demand indices), the shape every
 * solver here (MCLP, LSCP, bootstrap, exact MILP) reads.
 */
import { GridIndex, Hits, type Points } from './spatial-index.ts';

export type SiteType = 'branch' | 'atm';

/** Default coverage radius per site type, in metres. */
export const DEFAULT_RADIUS_M: Readonly<Record<SiteType, number>> = { branch: 1500, atm: 500 };

/** Demand points: WGS84 degrees and a non-negative weight (customers, population, blend). */
export interface Demand extends Points {
  weight: ArrayLike<number>;
}

/** Progress report of a long call: `done` of `total` units in the named stage. */
export interface SiteProgress {
  stage: string;
  done: number;
  total: number;
}

/** A condition the caller should show; `code` is an i18n key, `params` fill it in. */
export interface SiteWarning {
  code: string;
  params?: Record<string, number | string>;
}

/** Site → covered demand indices, compressed rows: site s covers demand[offsets[s] .. offsets[s+1]). */
export interface CoverageSets {
  numSites: number;
  numDemand: number;
  offsets: Int32Array;
  demand: Int32Array;
}

/** The transpose of CoverageSets: demand i is covered by sites[offsets[i] .. offsets[i+1]), ascending. */
export interface DemandSites {
  offsets: Int32Array;
  sites: Int32Array;
}

const transposes = new WeakMap<CoverageSets, DemandSites>();

/**
 * Demand → covering sites of `sets`, built once per CoverageSets object and kept with it
 * (sets are never changed after they are built, so the transpose stays valid; a new
 * coverage is a new object).
 */
export function demandSitesOf(sets: CoverageSets): DemandSites {
  let t = transposes.get(sets);
  if (t) return t;
  const { offsets, demand, numSites, numDemand } = sets;
  const tOff = new Int32Array(numDemand + 1);
  const nnz = offsets[numSites];
  for (let p = 0; p < nnz; p++) tOff[demand[p] + 1]++;
  for (let i = 0; i < numDemand; i++) tOff[i + 1] += tOff[i];
  const fill = tOff.slice(0, numDemand);
  const sites = new Int32Array(nnz);
  for (let j = 0; j < numSites; j++) for (let p = offsets[j]; p < offsets[j + 1]; p++) sites[fill[demand[p]]++] = j;
  t = { offsets: tOff, sites };
  transposes.set(sets, t);
  return t;
}

/** Records a transpose the caller built along with `sets` (it must equal demandSitesOf's). */
export function keepDemandSites(sets: CoverageSets, t: DemandSites): void {
  transposes.set(sets, t);
}

export interface BuildCoverageOptions {
  /** A prebuilt index over the same demand points (reuse it across calls). */
  index?: GridIndex;
  signal?: AbortSignal;
  onProgress?: (p: SiteProgress) => void;
}

/**
 * Coverage sets of `sites` over `demand` points: demand i is in site s's set when
 * haversineM(site, demand) ≤ radiusM (one radius for all, or one per site), in metres.
 */
export function buildCoverage(sites: Points, demand: Points, radiusM: number | ArrayLike<number>, options?: BuildCoverageOptions): CoverageSets {
  const numSites = sites.lon.length;
  const numDemand = demand.lon.length;
  const radiusOf = typeof radiusM === 'number' ? null : radiusM;
  let maxR = typeof radiusM === 'number' ? radiusM : 0;
  if (radiusOf) {
    if (radiusOf.length !== numSites) throw new RangeError(`${numSites} sites but ${radiusOf.length} radii`);
    for (let s = 0; s < numSites; s++) maxR = Math.max(maxR, radiusOf[s]);
  }
  if (!(maxR >= 0)) throw new RangeError(`radiusM must be ≥ 0 metres, got ${String(radiusM)}`);
  const index = options?.index ?? new GridIndex(demand, Math.max(maxR, 50));
  if (index.size !== numDemand) throw new RangeError(`index holds ${index.size} points but demand has ${numDemand}`);
  const offsets = new Int32Array(numSites + 1);
  let out = new Int32Array(Math.max(16, numSites * 8));
  let nnz = 0;
  const hits = new Hits(256);
  const step = Math.max(1, Math.floor(numSites / 50));
  for (let s = 0; s < numSites; s++) {
    if (s % step === 0) {
      options?.signal?.throwIfAborted();
      options?.onProgress?.({ stage: 'coverage', done: s, total: numSites });
    }
    const n = index.within(sites.lon[s], sites.lat[s], radiusOf ? radiusOf[s] : maxR, hits);
    if (nnz + n > out.length) {
      const grown = new Int32Array(Math.max(out.length * 2, nnz + n));
      grown.set(out.subarray(0, nnz));
      out = grown;
    }
    // Sorted sets make the exact solver's demand aggregation and tests deterministic.
    const seg = out.subarray(nnz, nnz + n);
    seg.set(hits.index.subarray(0, n));
    seg.sort();
    nnz += n;
    offsets[s + 1] = nnz;
  }
  options?.onProgress?.({ stage: 'coverage', done: numSites, total: numSites });
  return { numSites, numDemand, offsets, demand: out.slice(0, nnz) };
}

/** 1 for demand covered by at least one site (only sites with siteMask[s] ≠ 0 when given). */
export function coveredMask(cov: CoverageSets, siteMask?: ArrayLike<number>): Uint8Array {
  const mask = new Uint8Array(cov.numDemand);
  for (let s = 0; s < cov.numSites; s++) {
    if (siteMask && !siteMask[s]) continue;
    for (let p = cov.offsets[s]; p < cov.offsets[s + 1]; p++) mask[cov.demand[p]] = 1;
  }
  return mask;
}

/** Σ weight[i] (over mask[i] ≠ 0 when a mask is given). */
export function sumWeight(weight: ArrayLike<number>, mask?: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < weight.length; i++) if (!mask || mask[i]) t += weight[i];
  return t;
}

/**
 * Everything the site-selection solvers need: demand weights, which demand existing own
 * sites already cover, and candidate coverage sets. Weights are copied to a Float64Array
 * so a bootstrap can swap them without touching the coverage.
 */
export interface CoverageProblem {
  weight: Float64Array;
  existingCovered: Uint8Array;
  candidates: CoverageSets;
  candidateLon: Float64Array;
  candidateLat: Float64Array;
  radiusM: number;
  totalDemand: number;
  existingCoveredDemand: number;
}

export interface CoverageProblemInput {
  demand: Demand;
  /** Our existing sites of the chosen type. */
  existing: Points;
  candidates: Points;
  /** Coverage radius in metres; defaults to DEFAULT_RADIUS_M[siteType ?? 'branch']. */
  radiusM?: number;
  siteType?: SiteType;
  index?: GridIndex;
  signal?: AbortSignal;
  onProgress?: (p: SiteProgress) => void;
}

export function buildCoverageProblem(input: CoverageProblemInput): CoverageProblem {
  const radiusM = input.radiusM ?? DEFAULT_RADIUS_M[input.siteType ?? 'branch'];
  const n = input.demand.lon.length;
  if (input.demand.lat.length !== n || input.demand.weight.length !== n) {
    throw new RangeError(`demand arrays differ in length: lon ${n}, lat ${input.demand.lat.length}, weight ${input.demand.weight.length}`);
  }
  const weight = Float64Array.from(input.demand.weight);
  for (let i = 0; i < n; i++) {
    if (!(weight[i] >= 0) || !Number.isFinite(weight[i])) throw new RangeError(`demand weight at index ${i} is ${weight[i]}; weights must be finite and ≥ 0`);
  }
  const index = input.index ?? new GridIndex(input.demand, Math.max(radiusM, 50));
  const existingCov = buildCoverage(input.existing, input.demand, radiusM, { index });
  const existingCovered = coveredMask(existingCov);
  const candidates = buildCoverage(input.candidates, input.demand, radiusM, { index, signal: input.signal, onProgress: input.onProgress });
  return {
    weight,
    existingCovered,
    candidates,
    candidateLon: Float64Array.from(input.candidates.lon),
    candidateLat: Float64Array.from(input.candidates.lat),
    radiusM,
    totalDemand: sumWeight(weight),
    existingCoveredDemand: sumWeight(weight, existingCovered),
  };
}

/** The same problem with other demand weights (bootstrap replicates); coverage is shared. */
export function withWeights(problem: CoverageProblem, weight: Float64Array): CoverageProblem {
  if (weight.length !== problem.weight.length) throw new RangeError(`expected ${problem.weight.length} weights, got ${weight.length}`);
  return { ...problem, weight, totalDemand: sumWeight(weight), existingCoveredDemand: sumWeight(weight, problem.existingCovered) };
}

/**
 * A problem from coverage sets computed elsewhere (or written by hand in tests): candidate
 * j covers demand indices sets[j]. Coordinates only matter for minimum spacing.
 */
export function coverageProblemFromSets(input: {
  weight: ArrayLike<number>;
  sets: readonly (readonly number[])[];
  existingCovered?: ArrayLike<number>;
  candidateLon?: ArrayLike<number>;
  candidateLat?: ArrayLike<number>;
  radiusM?: number;
}): CoverageProblem {
  const n = input.weight.length;
  const offsets = new Int32Array(input.sets.length + 1);
  const demand: number[] = [];
  input.sets.forEach((set, j) => {
    for (const i of [...set].sort((a, b) => a - b)) {
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`set of candidate ${j} names demand ${i}, not in 0..${n - 1}`);
      demand.push(i);
    }
    offsets[j + 1] = demand.length;
  });
  const weight = Float64Array.from(input.weight);
  const existingCovered = input.existingCovered ? Uint8Array.from(input.existingCovered, (x) => (x ? 1 : 0)) : new Uint8Array(n);
  return {
    weight,
    existingCovered,
    candidates: { numSites: input.sets.length, numDemand: n, offsets, demand: Int32Array.from(demand) },
    candidateLon: input.candidateLon ? Float64Array.from(input.candidateLon) : new Float64Array(input.sets.length),
    candidateLat: input.candidateLat ? Float64Array.from(input.candidateLat) : new Float64Array(input.sets.length),
    radiusM: input.radiusM ?? NaN,
    totalDemand: sumWeight(weight),
    existingCoveredDemand: sumWeight(weight, existingCovered),
  };
}
