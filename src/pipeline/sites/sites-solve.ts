/**
 * Solving a prepared site-selection problem (sites-model.ts) with the objective the user
 * chose, and the bootstrap robustness of the answer. Shared by the analysis worker and the
 * CLI `sites`:
 *
 * - coverage: MCLP, greedy + swaps (core/mclp.ts) or exact MILP with HiGHS (core/mclp-exact.ts);
 * - huff: Huff captured demand, lazy greedy (core/huff-selection.ts);
 * - pmedian: demand-weighted distance to the nearest own site (core/p-median.ts);
 * - lscp: fewest sites covering a target share (core/lscp.ts), greedy or exact.
 *
 * Rows come in DESIGN.md's rank order with the objective's own numbers: rank 1 the largest
 * marginal gain, each later rank the largest gain given existing sites and the ranks before.
 * The exact solvers are injected (`ExactSolver`): the browser runs HiGHS in a worker it can
 * terminate, the CLI in-process.
 */
import type { CoverageProblem, SiteProgress, SiteWarning } from '../../core/coverage.ts';
import { HuffModel, type HuffParams } from '../../core/huff.ts';
import { HuffCostGains, HuffGains, solveHuffGreedy } from '../../core/huff-selection.ts';
import { solveLscpGreedy, type LscpExactResult, type LscpResult } from '../../core/lscp.ts';
import { solveMclpGreedy, type MclpResult } from '../../core/mclp.ts';
import type { MclpExactResult } from '../../core/mclp-exact.ts';
import { preparePMedian, solvePMedian, type PMedianInput, type PMedianPrepared, type PMedianResult } from '../../core/p-median.ts';
import type { PMedianExactResult } from '../../core/p-median-exact.ts';
import { nearestSiteDistanceM } from '../../core/demand.ts';
import { costDistances, huffCostPairs, type CostTable } from '../../core/cost-matrix.ts';
import { bootstrapSites } from '../../core/site-bootstrap.ts';
import { coveredDemandOf, rankSites, type SelectionConstraints } from '../../core/site-selection.ts';
import { mulberry32, type Rng } from '../../core/rng.ts';
import { constraintsFor, huffSitesOf, pointsOf, SitesInputError, type CandidateSource, type ConstraintRequest, type SiteObjective, type SiteSolver, type SitesData } from './sites-model.ts';

export interface SolveRequest extends ConstraintRequest {
  objective: SiteObjective;
  solver: SiteSolver;
  /** New sites, pinned ones included (not used by lscp). */
  k: number;
  /** lscp: percent of total demand that existing ∪ new sites must cover; default: all the demand any candidate or existing site reaches (DESIGN.md). */
  targetPct?: number;
  /** Exact solver wall-clock limit, seconds; default 30. */
  timeLimitS?: number;
  huff?: HuffParams;
}

/** One recommended site with the objective's numbers (the CLI's columns). */
export interface SiteRow {
  rank: number;
  /** Index into SitesData.candidates. */
  candidate: number;
  id: string;
  lon: number;
  lat: number;
  source: CandidateSource;
  pinned: boolean;
  /**
   * coverage, lscp: demand first covered by this site given existing sites and lower ranks;
   * huff: our captured demand it adds; pmedian: reduction of Σ demand·distance (capped), demand·m.
   */
  marginal: number;
  /** coverage, lscp: covered demand incl. existing; huff: our captured demand; pmedian: mean distance to the nearest own site, m. */
  cumulative: number;
  /** 100 · cumulative / total demand (NaN for pmedian). */
  cumulativePct: number;
  /** The candidates file's name, '' when none (the caller names generated sites). */
  name: string;
  /** pmedian: Σ weight · distance to the nearest open own site with ranks 1..this (NaN otherwise). */
  totalCost: number;
  /** pmedian: totalCost / total weight (NaN otherwise). */
  meanCost: number;
}

export interface ExactInfo {
  status: string;
  /** Relative gap (bound − objective) / objective; 0 when proven optimal. */
  gap: number;
  bound: number;
  timeS: number;
}

export interface SolveOutcome {
  objective: SiteObjective;
  solver: SiteSolver;
  rows: SiteRow[];
  totalDemand: number;
  exact: ExactInfo | null;
  /** Greedy coverage: proven upper bound on covered demand (Lagrangian), NaN when not computed. */
  upperBound: number;
  lscp: { feasible: boolean; targetDemand: number; maxCoverableDemand: number } | null;
  pmedian: { meanDistanceBeforeM: number; meanDistanceAfterM: number } | null;
  huff: { ownCapturedBefore: number; ownCapturedAfter: number } | null;
  warnings: SiteWarning[];
  /** Pinned / excluded ids that name no candidate. */
  unknownIds: string[];
  /** Candidates inside exclusion zones. */
  zoneExcluded: number;
  constraints: SelectionConstraints;
}

export interface ExactOptions extends SelectionConstraints {
  k: number;
  targetShare?: number;
  timeLimitS: number;
  /** kind 'pmedian': the demand, existing sites and candidates (the coverage problem is not used). */
  pmedian?: PMedianInput;
}

/** Runs HiGHS on an MCLP, LSCP or p-median; the browser's runs in a worker so cancel can stop it. */
export type ExactSolver = (
  kind: 'mclp' | 'lscp' | 'pmedian',
  problem: CoverageProblem,
  options: ExactOptions,
  hooks: { signal?: AbortSignal; onProgress?: (p: SiteProgress & { gap?: number }) => void },
) => Promise<MclpExactResult | LscpExactResult | PMedianExactResult>;

export interface SolveHooks {
  exact?: ExactSolver;
  signal?: AbortSignal;
  onProgress?: (p: SiteProgress) => void;
  /** Lets the bootstrap that follows reuse what the solve prepared (pass the same object to both). */
  reuse?: SolveReuse;
}

/**
 * What a solve prepared that its bootstrap can reuse: Huff's utilities and bounds at exact
 * points (HuffGains, seconds on a city with tens of thousands of candidates). A plain slot
 * the caller holds for one run, so nothing outlives it.
 */
export interface SolveReuse {
  huff?: { key: string; gains: HuffGains };
  /** p-median: the pairs of `data`'s points and candidates (preparePMedian). */
  pmedian?: { data: SitesData; prepared: PMedianPrepared };
}

/** preparePMedian of this run's points, from `reuse` when it holds them for the same data. */
function pmedianPrepared(data: SitesData, input: PMedianInput, hooks: { signal?: AbortSignal; reuse?: SolveReuse }): PMedianPrepared {
  if (hooks.reuse?.pmedian?.data === data) return hooks.reuse.pmedian.prepared;
  const prepared = preparePMedian(input, hooks.signal);
  if (hooks.reuse) hooks.reuse.pmedian = { data, prepared };
  return prepared;
}

const huffKey = (req: SolveRequest) => JSON.stringify(req.huff ?? {});

/** The HuffGains of this run's points and network, from `reuse` when it has them. */
function huffGainsFor(data: SitesData, req: SolveRequest, hooks: { signal?: AbortSignal; onProgress?: (p: SiteProgress) => void; reuse?: SolveReuse }): HuffGains {
  const key = huffKey(req);
  const kept = hooks.reuse?.huff;
  if (kept && kept.key === key) return kept.gains;
  const gains = new HuffGains({ demand: data.demand, sites: huffSitesOf(data.network, data.typeSites), candidates: data.candidates, huff: req.huff }, hooks);
  if (hooks.reuse) hooks.reuse.huff = { key, gains };
  return gains;
}

export async function solveSites(data: SitesData, req: SolveRequest, hooks: SolveHooks = {}): Promise<SolveOutcome> {
  const k = req.k;
  if (req.objective !== 'lscp' && (!Number.isInteger(k) || k < 0)) throw new SitesInputError('bad_k', `k must be a whole number ≥ 0, got ${k}`, { k });
  const c = constraintsFor(data.candidates, req);
  const constraints: SelectionConstraints = { pinned: c.pinned, excluded: c.excluded, allowed: c.allowed, minSpacingM: c.minSpacingM };
  if ((c.pinned?.length ?? 0) > k && req.objective !== 'lscp') {
    throw new SitesInputError('too_many_pins', `${c.pinned!.length} sites are pinned but k is ${k}; raise k or unpin sites`, { pinned: c.pinned!.length, k });
  }
  const { problem, candidates } = data;
  const row = (j: number, rank: number, marginal: number, cumulative: number, cumulativePct: number, pinned: boolean): SiteRow => ({
    rank, candidate: j, id: candidates.id[j], lon: candidates.lon[j], lat: candidates.lat[j], source: candidates.source[j], pinned, marginal, cumulative, cumulativePct,
    name: candidates.name?.[j] ?? '', totalCost: NaN, meanCost: NaN,
  });
  const base = {
    objective: req.objective, solver: req.solver, totalDemand: problem.totalDemand, exact: null, upperBound: NaN,
    lscp: null, pmedian: null, huff: null, unknownIds: c.unknownIds, zoneExcluded: c.zoneExcluded, constraints,
  };
  const timeLimitS = req.timeLimitS ?? 30;
  const exactOf = (r: MclpExactResult | LscpExactResult | PMedianExactResult): ExactInfo => ({ status: r.status, gap: r.gap, bound: r.bound, timeS: r.timeS });

  if (req.objective === 'coverage') {
    let r: MclpResult | MclpExactResult;
    let exact: ExactInfo | null = null;
    if (req.solver === 'exact') {
      r = (await exactOf0(hooks)('mclp', problem, { ...constraints, k, timeLimitS }, { signal: hooks.signal, onProgress: hooks.onProgress })) as MclpExactResult;
      exact = exactOf(r as MclpExactResult);
    } else {
      r = solveMclpGreedy(problem, { ...constraints, k, signal: hooks.signal, onProgress: hooks.onProgress });
    }
    return {
      ...base, exact, upperBound: r.upperBound, warnings: r.warnings,
      rows: r.sites.map((s) => row(s.candidate, s.rank, s.marginalDemand, s.coveredDemand, s.coveragePct, s.pinned)),
    };
  }

  if (req.objective === 'lscp') {
    const all: number[] = [];
    for (let j = 0; j < problem.candidates.numSites; j++) all.push(j);
    const reachable = problem.totalDemand > 0 ? coveredDemandOf(problem, all) / problem.totalDemand : 1;
    const targetShare = req.targetPct !== undefined ? req.targetPct / 100 : Math.min(1, reachable);
    if (!(targetShare >= 0 && targetShare <= 1)) throw new SitesInputError('bad_target', `the target share must be between 0 and 100 %, got ${req.targetPct}`, { target: req.targetPct ?? NaN });
    const r: LscpResult | LscpExactResult = req.solver === 'exact'
      ? ((await exactOf0(hooks)('lscp', problem, { ...constraints, k: 0, targetShare, timeLimitS }, { signal: hooks.signal, onProgress: hooks.onProgress })) as LscpExactResult)
      : solveLscpGreedy(problem, { ...constraints, targetShare, signal: hooks.signal, onProgress: hooks.onProgress });
    return {
      ...base,
      exact: 'status' in r ? exactOf(r as LscpExactResult) : null,
      lscp: { feasible: r.feasible, targetDemand: r.targetDemand, maxCoverableDemand: r.maxCoverableDemand },
      warnings: r.warnings,
      rows: r.sites.map((s) => row(s.candidate, s.rank, s.marginalDemand, s.coveredDemand, s.coveragePct, s.pinned)),
    };
  }

  if (req.objective === 'huff') {
    // Huff has no MILP here: its lazy greedy answers, and the outcome says so.
    const noExact: SiteWarning[] = req.solver === 'exact' ? [{ code: 'exact_not_available', params: { objective: req.objective } }] : [];
    const costs = data.costs ? huffCostPairs(data.costs, data.demand.source!, data.typeSites) : undefined;
    // Every demand point where it is (no pooling): the shares are the core Huff model's on these points.
    const opts = { ...constraints, k, signal: hooks.signal, onProgress: hooks.onProgress };
    const r = costs
      ? solveHuffGreedy({ demand: data.demand, sites: huffSitesOf(data.network, data.typeSites), candidates, huff: req.huff, costs }, opts)
      : huffGainsFor(data, req, hooks).solve(data.demand.weight, opts);
    return {
      ...base, solver: 'greedy', warnings: [...noExact, ...r.warnings],
      huff: { ownCapturedBefore: r.ownCapturedBefore, ownCapturedAfter: r.ownCapturedAfter },
      rows: r.sites.map((s) => row(s.candidate, s.rank, s.marginalDemand, s.coveredDemand, s.coveragePct, s.pinned)),
    };
  }

  const input = pmedianInput(data);
  let r: PMedianResult | PMedianExactResult;
  let exact: ExactInfo | null = null;
  if (req.solver === 'exact') {
    r = (await exactOf0(hooks)('pmedian', problem, { ...constraints, k, timeLimitS, pmedian: input }, { signal: hooks.signal, onProgress: hooks.onProgress })) as PMedianExactResult;
    exact = exactOf(r as PMedianExactResult);
  } else {
    r = solvePMedian(input, { ...constraints, k, signal: hooks.signal, onProgress: hooks.onProgress }, pmedianPrepared(data, input, hooks));
  }
  // DESIGN.md columns for pmedian: the coverage numbers of the ranks, and the uncapped
  // Σ weight · distance to the nearest open own site with ranks 1..this (total_cost, mean_cost).
  const chosen = r.sites.map((s) => s.candidate);
  const cov = cumulativeCoverage(problem, chosen);
  const costs = pmedianCosts(data, chosen);
  return {
    ...base, exact, warnings: r.warnings,
    pmedian: { meanDistanceBeforeM: r.meanDistanceBeforeM, meanDistanceAfterM: r.meanDistanceAfterM },
    rows: r.sites.map((s, q) => ({
      ...row(s.candidate, s.rank, cov.marginal[q], cov.covered[q], problem.totalDemand > 0 ? (100 * cov.covered[q]) / problem.totalDemand : NaN, s.pinned),
      totalCost: costs[q], meanCost: data.demand.totalWeight > 0 ? costs[q] / data.demand.totalWeight : NaN,
    })),
  };
}

/** The p-median's input: the demand points, our existing sites, the candidates, and the cost file's distances when there is one. */
function pmedianInput(data: SitesData): PMedianInput {
  return {
    demand: data.demand, existing: pointsOf(data.network, data.ownSites), candidates: data.candidates,
    costs: data.costs ? costDistances(data.costs, data.demand.source!, unreachableCost(data.costs)) : undefined,
  };
}

/** The cost a point pays where no open site reaches it: 10 × the largest cost in the file (at least 1). */
export function unreachableCost(t: CostTable): number {
  let max = 0;
  for (const c of t.cost) if (c > max) max = c;
  for (const c of t.existingCost) if (c > max && Number.isFinite(c)) max = c;
  return 10 * Math.max(max, 1);
}

/**
 * Σ weight · distance to the nearest of our existing sites and chosen[0..r], per r: haversine
 * metres (uncapped), or the cost file's costs (unreachable points at unreachableCost).
 */
export function pmedianCosts(data: SitesData, chosen: readonly number[]): Float64Array {
  const out = new Float64Array(chosen.length);
  if (data.costs) {
    const t = data.costs, src = data.demand.source!;
    const cap = unreachableCost(t);
    const best = Float64Array.from(src, (i) => Math.min(t.existingCost[i], cap));
    chosen.forEach((j, q) => {
      let total = 0;
      for (let p = 0; p < best.length; p++) {
        const i = src[p];
        for (let r = t.offsets[i]; r < t.offsets[i + 1]; r++) if (t.site[r] === j && t.cost[r] < best[p]) best[p] = t.cost[r];
        total += data.demand.weight[p] * best[p];
      }
      out[q] = total;
    });
    return out;
  }
  const lon = Array.from(data.ownSites, (j) => data.network.lon[j]);
  const lat = Array.from(data.ownSites, (j) => data.network.lat[j]);
  chosen.forEach((j, q) => {
    lon.push(data.candidates.lon[j]);
    lat.push(data.candidates.lat[j]);
    const d = nearestSiteDistanceM(data.demand.lon, data.demand.lat, lon, lat);
    let t = 0;
    for (let i = 0; i < d.length; i++) if (data.demand.weight[i] > 0) t += data.demand.weight[i] * d[i];
    out[q] = t;
  });
  return out;
}

function exactOf0(hooks: SolveHooks): ExactSolver {
  if (!hooks.exact) throw new Error('internal: the exact solver was asked for but none is available here');
  return hooks.exact;
}

/** Coverage (existing ∪ ranks 1..r) after each row, in row order: the table's cumulative coverage %. */
export function cumulativeCoverage(problem: CoverageProblem, candidates: readonly number[]): { marginal: Float64Array; covered: Float64Array } {
  const { offsets, demand } = problem.candidates;
  const covered = problem.existingCovered.slice();
  let t = problem.existingCoveredDemand;
  const marginal = new Float64Array(candidates.length);
  const cum = new Float64Array(candidates.length);
  candidates.forEach((j, r) => {
    let g = 0;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = demand[p];
      if (!covered[i]) { covered[i] = 1; g += problem.weight[i]; }
    }
    t += g;
    marginal[r] = g;
    cum[r] = t;
  });
  return { marginal, covered: cum };
}

export interface BootstrapRequest {
  /** Replicates; default 50. */
  replicates?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (p: SiteProgress) => void;
  /** Lets the caller's event loop run between replicate batches (cancel messages arrive there). */
  yieldNow?: () => Promise<void>;
  /** Huff at exact points: most memory a batch of replicates may hold (weights, own and all utilities per point, gains per candidate), bytes; default 64 MB. */
  huffBatchBytes?: number;
  /** What the solve prepared (SolveHooks.reuse). */
  reuse?: SolveReuse;
}

/**
 * How often each recommended site is chosen again when the demand is resampled (percent,
 * aligned with `outcome.rows`). Coverage and LSCP use core/site-bootstrap.ts (the MCLP
 * re-solved with the same number of sites and constraints); Huff and p-median re-solve
 * their own objective on resampled weights (with the cost file when there is one). A
 * replicate only reweights the same points, so what does not depend on the weights is built
 * once for all of them (Huff: utilities, bounds, first-round gains; p-median: the pairs);
 * each replicate still picks exactly what a fresh solve on its weights would.
 *
 * Draws per replicate: the number of customers when there are customers (the sample behind
 * the demand estimate; exactly the customer bootstrap for the customers measure), else the
 * total weight capped at 100,000 — population potential is not a sample, so its bootstrap
 * only says how sharply the optimum stands out from its neighbours.
 */
export async function bootstrapRobustness(data: SitesData, outcome: SolveOutcome, req: SolveRequest, opts: BootstrapRequest = {}): Promise<Float64Array> {
  const B = opts.replicates ?? 50;
  const rows = outcome.rows;
  if (rows.length === 0 || B < 1) return new Float64Array(rows.length);
  const total = data.demand.totalWeight;
  const draws = Math.max(1, Math.round(data.demand.totalCustomers > 0 ? data.demand.totalCustomers : Math.min(total, 100_000)));
  const counts = new Float64Array(data.candidates.id.length);
  const k = rows.length;
  const cons = outcome.constraints;
  const seed0 = opts.seed ?? 1;
  let pm: { input: PMedianInput; prepared: PMedianPrepared | null } | null = null;
  if (req.objective === 'huff') {
    await huffBootstrap(data, req, { ...cons, k, signal: opts.signal }, B, replicateWeights(data.demand.weight, seed0, draws, total), counts, opts);
  } else {
    for (let b0 = 0; b0 < B; b0 += BOOTSTRAP_CHUNK) {
      await opts.yieldNow?.();
      opts.signal?.throwIfAborted();
      opts.onProgress?.({ stage: 'bootstrap', done: b0, total: B });
      const m = Math.min(BOOTSTRAP_CHUNK, B - b0);
      const seed = chunkSeed(seed0, b0);
      if (req.objective === 'coverage' || req.objective === 'lscp') {
        // The baseline is only used for its site list; pass ours so nothing is solved twice.
        const baseline = { sites: rankSites(data.problem, rows.map((r) => r.candidate)) } as MclpResult;
        const r = bootstrapSites(data.problem, {
          ...cons, k, replicates: m, seed, draws, baseline, signal: opts.signal,
        });
        for (let j = 0; j < counts.length; j++) counts[j] += r.frequency[j] * m;
      } else {
        // The pairs and nearest-existing distances do not depend on the weights: built once.
        pm ??= { input: pmedianInput(data), prepared: null };
        pm.prepared ??= pmedianPrepared(data, pm.input, { signal: opts.signal, reuse: opts.reuse });
        const sampler = weightSampler(data.demand.weight, mulberry32(seed));
        for (let b = 0; b < m; b++) {
          const w = sampler(draws, total, new Float64Array(data.demand.weight.length));
          const chosen = solvePMedian({ ...pm.input, demand: { ...pm.input.demand, weight: w } }, { ...cons, k, restarts: 2, signal: opts.signal }, pm.prepared).sites.map((s) => s.candidate);
          for (const j of chosen) counts[j]++;
        }
      }
    }
  }
  opts.onProgress?.({ stage: 'bootstrap', done: B, total: B });
  return Float64Array.from(rows, (r) => (100 * counts[r.candidate]) / B);
}

/** Replicates share a seed in chunks of this many (progress and cancel come between chunks). */
const BOOTSTRAP_CHUNK = 5;
const chunkSeed = (seed: number, b0: number) => seed * 7919 + b0;

/**
 * The Huff bootstrap's replicate weights, in order: each call writes the next replicate's
 * into `out` (zeroed). Replicate b is drawn from the seed of its chunk of 5, as p-median's are.
 */
export function replicateWeights(weight: Float64Array, seed: number, draws: number, total: number): (out: Float64Array) => void {
  let b = 0;
  let sampler: ReturnType<typeof weightSampler> | null = null;
  return (out) => {
    if (b % BOOTSTRAP_CHUNK === 0) sampler = weightSampler(weight, mulberry32(chunkSeed(seed, b)));
    b++;
    sampler!(draws, total, out);
  };
}

/** Most memory the Huff bootstrap's batch of replicates may take (weights, own and all utilities per point, gains per candidate), bytes. */
const HUFF_BATCH_BYTES = 64 * 1024 * 1024;

/**
 * Huff bootstrap: what does not depend on the weights (utilities of the existing network,
 * square bounds, cost pairs) is prepared once; at exact points the replicates are solved in
 * batches, together, each walk over a candidate's points summing its gain for all of them
 * (core/huff-selection.ts HuffGains.batch). Each replicate picks exactly what a fresh solve
 * on its weights would pick.
 */
async function huffBootstrap(
  data: SitesData, req: SolveRequest, options: SelectionConstraints & { k: number; signal?: AbortSignal },
  B: number, next: (out: Float64Array) => void, counts: Float64Array, opts: BootstrapRequest,
): Promise<void> {
  const N = data.demand.weight.length;
  const sites = huffSitesOf(data.network, data.typeSites);
  const step = async (done: number) => {
    await opts.yieldNow?.();
    opts.signal?.throwIfAborted();
    opts.onProgress?.({ stage: 'bootstrap', done, total: B });
  };
  if (data.costs) {
    const g = new HuffCostGains({ demand: data.demand, sites, candidates: data.candidates, huff: req.huff, costs: huffCostPairs(data.costs, data.demand.source!, data.typeSites) }, { signal: opts.signal });
    const w = new Float64Array(N);
    for (let b = 0; b < B; b++) {
      if (b % BOOTSTRAP_CHUNK === 0) await step(b);
      w.fill(0);
      next(w);
      for (const j of g.picks(w, options).candidates) counts[j]++;
    }
    return;
  }
  const gains = huffGainsFor(data, req, { signal: opts.signal, reuse: opts.reuse });
  const perBatch = Math.max(1, Math.min(B, Math.floor((opts.huffBatchBytes ?? HUFF_BATCH_BYTES) / (24 * N + 30 * data.candidates.id.length))));
  for (let b0 = 0; b0 < B; b0 += perBatch) {
    await step(b0);
    const batch = gains.batch(Math.min(perBatch, B - b0), (_, w) => next(w));
    const m = batch.size, k = options.k;
    const onProgress = opts.onProgress && ((p: SiteProgress) => opts.onProgress!({ stage: 'bootstrap', done: b0 + Math.floor((m * p.done) / Math.max(k, 1)), total: B }));
    for (const r of batch.solve({ ...options, onProgress })) for (const j of r.candidates) counts[j]++;
  }
}

/** Multinomial resampling of weights (cumulative sums, binary search), rescaled to the original total, into `out` (zeroed). */
function weightSampler(weight: Float64Array, rng: Rng): (draws: number, total: number, out: Float64Array) => Float64Array {
  const n = weight.length;
  const cum = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) { s += weight[i]; cum[i] = s; }
  return (draws, total, w) => {
    if (s <= 0) return w;
    const scale = total / draws;
    for (let d = 0; d < draws; d++) {
      const x = rng() * s;
      let lo = 0, hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] <= x) lo = mid + 1;
        else hi = mid;
      }
      w[lo] += scale;
    }
    return w;
  };
}

/** Our Huff share of total demand (percent) for the network of the type as it is. */
export function ownHuffSharePct(data: SitesData, huff?: HuffParams, hooks: { signal?: AbortSignal } = {}): number {
  // Costs when the table has the network's (read for the Huff objective), else straight lines.
  const costs = data.costs?.network ? huffCostPairs(data.costs, data.demand.source!, data.typeSites).sites : undefined;
  return new HuffModel(data.demand, huffSitesOf(data.network, data.typeSites), huff, { costs, signal: hooks.signal }).evaluate().owners[0].sharePct;
}
