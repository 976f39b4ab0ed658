/**
 * Closure simulator: close a set of our sites and see where their customers go and what
 * happens to access.
 *
 * - Reallocation by Huff (huff.ts): the closed sites' captured demand is re-divided over
 *   the remaining sites; what our other sites win back is recaptured, what competitors win
 *   is leakage (total and per competitor), and demand left with no site within the cut-off
 *   is unreached.
 * - Distance: for demand points whose nearest own site (of the type under study) gets
 *   farther, the demand-weighted mean and the max increase in metres.
 * - Access check: the share of population and of customers whose nearest own site is
 *   beyond a distance (default 1.6 km, one mile: the UK LINK / FCA access-to-cash urban
 *   standard; pass per-point distances for urban/rural), before and after. It is flagged
 *   when the closure pushes the share over `maxShareBeyond` (default 5 %, i.e. 95 % of
 *   people within reach, the same standard).
 */
import type { Demand, SiteWarning } from './coverage.ts';
import { HuffModel, OWN, type HuffParams, type HuffSites } from './huff.ts';
import { GridIndex, Hits } from './spatial-index.ts';

export interface ClosureInput {
  /** Demand points the Huff model reallocates (customers per cell, or customer points with weight 1). */
  demand: Demand;
  /** Our sites and competitors'. */
  sites: HuffSites;
  /** Indices of the own sites to close. */
  close: readonly number[];
  huff?: HuffParams;
  /** A model already built on the same demand and sites. */
  model?: HuffModel;
  /** Own sites that count for distance and access (e.g. branches only); default every own site. */
  accessSites?: ArrayLike<number>;
  access?: AccessOptions;
}

export interface AccessOptions {
  /** Population per demand point. */
  population?: ArrayLike<number>;
  /** Customers per demand point. */
  customers?: ArrayLike<number>;
  /** Access distance in metres, one for all points or one per point; default 1600. */
  distanceM?: number | ArrayLike<number>;
  /** Largest acceptable share (0..1) of people beyond the access distance; default 0.05. */
  maxShareBeyond?: number;
}

export interface AccessCheck {
  /** Percent of the measure whose nearest own site is beyond the access distance. */
  beforePct: number;
  afterPct: number;
  /** afterPct > limit while beforePct was within it: this closure breaks the standard. */
  breached: boolean;
  /** afterPct above the limit, whoever broke it. */
  overLimit: boolean;
}

export interface ClosureResult {
  closed: number[];
  ownCapturedBefore: number;
  ownCapturedAfter: number;
  /** Demand the closed sites captured before. */
  closedSitesCaptured: number;
  /** Won back by our remaining sites. */
  recapturedByOwn: number;
  leakedToCompetitors: number;
  leakageByCompetitor: { owner: string; demand: number }[];
  /** Left with no site within the Huff cut-off. */
  becomesUnreached: number;
  siteCapturedBefore: Float64Array;
  siteCapturedAfter: Float64Array;
  distance: {
    /** Demand points whose nearest own access site gets farther. */
    affectedPoints: number;
    affectedDemand: number;
    /** Demand-weighted over affected points (NaN when none); Infinity if some are left with no own site at all. */
    meanIncreaseM: number;
    maxIncreaseM: number;
    meanBeforeM: number;
    meanAfterM: number;
  };
  access: { limitPct: number; population: AccessCheck | null; customers: AccessCheck | null };
  warnings: SiteWarning[];
}

export function simulateClosure(input: ClosureInput): ClosureResult {
  const { demand, sites } = input;
  const S = sites.lon.length;
  const N = demand.lon.length;
  const closedMask = new Uint8Array(S);
  const warnings: SiteWarning[] = [];
  for (const j of input.close) {
    if (!Number.isInteger(j) || j < 0 || j >= S) throw new RangeError(`site index ${j} to close is not in 0..${S - 1}`);
    if (sites.owner[j] !== OWN) throw new RangeError(`site ${j} belongs to "${sites.owner[j]}", not to us; only own sites can be closed`);
    closedMask[j] = 1;
  }
  const model = input.model ?? new HuffModel(demand, sites, input.huff);
  const before = model.evaluate();
  const after = model.evaluate(closedMask);
  let closedCaptured = 0, recaptured = 0;
  for (let j = 0; j < S; j++) {
    if (closedMask[j]) closedCaptured += before.siteCaptured[j];
    else if (model.ownerOf[j] === 0) recaptured += after.siteCaptured[j] - before.siteCaptured[j];
  }
  const leakageByCompetitor = before.owners.slice(1).map((o, q) => ({ owner: o.owner, demand: after.owners[q + 1].capturedDemand - o.capturedDemand }));
  const leaked = leakageByCompetitor.reduce((t, o) => t + o.demand, 0);

  // Nearest own access site before and after.
  const access = new Uint8Array(S);
  for (let j = 0; j < S; j++) access[j] = sites.owner[j] === OWN && (!input.accessSites || input.accessSites[j]) ? 1 : 0;
  const idx: number[] = [];
  for (let j = 0; j < S; j++) if (access[j]) idx.push(j);
  const grid = new GridIndex({ lon: idx.map((j) => sites.lon[j]), lat: idx.map((j) => sites.lat[j]) }, 2000);
  const skip = Uint8Array.from(idx, (j) => closedMask[j]);
  const hits = new Hits();
  const dBefore = new Float64Array(N);
  const dAfter = new Float64Array(N);
  let affectedPoints = 0, affectedDemand = 0, sumInc = 0, maxInc = 0, sumB = 0, sumA = 0;
  for (let i = 0; i < N; i++) {
    const b = grid.nearest(demand.lon[i], demand.lat[i], Infinity, undefined, hits);
    dBefore[i] = b.distanceM;
    // Only points whose nearest site closes can get farther.
    dAfter[i] = b.index >= 0 && skip[b.index] ? grid.nearest(demand.lon[i], demand.lat[i], Infinity, skip, hits).distanceM : b.distanceM;
    if (dAfter[i] > dBefore[i]) {
      const w = demand.weight[i];
      affectedPoints++;
      maxInc = Math.max(maxInc, dAfter[i] - dBefore[i]);
      if (!(w > 0)) continue; // 0 · Infinity would poison the sums
      affectedDemand += w;
      sumInc += w * (dAfter[i] - dBefore[i]);
      sumB += w * dBefore[i];
      sumA += w * dAfter[i];
    }
  }
  if (idx.length > 0 && idx.every((_, q) => skip[q])) warnings.push({ code: 'no_own_site_left' });

  const opts = input.access ?? {};
  const limit = opts.maxShareBeyond ?? 0.05;
  if (!(limit >= 0 && limit <= 1)) throw new RangeError(`maxShareBeyond must be between 0 and 1, got ${limit}`);
  const distanceM = opts.distanceM ?? 1600;
  const check = (measure: ArrayLike<number> | undefined): AccessCheck | null => {
    if (!measure) return null;
    if (measure.length !== N) throw new RangeError(`access measure has ${measure.length} values for ${N} demand points`);
    let total = 0, beyondB = 0, beyondA = 0;
    for (let i = 0; i < N; i++) {
      const thr = typeof distanceM === 'number' ? distanceM : distanceM[i];
      total += measure[i];
      if (dBefore[i] > thr) beyondB += measure[i];
      if (dAfter[i] > thr) beyondA += measure[i];
    }
    const beforePct = total > 0 ? (100 * beyondB) / total : NaN;
    const afterPct = total > 0 ? (100 * beyondA) / total : NaN;
    const overLimit = afterPct > 100 * limit;
    return { beforePct, afterPct, overLimit, breached: overLimit && !(beforePct > 100 * limit) };
  };

  return {
    closed: [...input.close],
    ownCapturedBefore: before.ownCapturedDemand,
    ownCapturedAfter: after.ownCapturedDemand,
    closedSitesCaptured: closedCaptured,
    recapturedByOwn: recaptured,
    leakedToCompetitors: leaked,
    leakageByCompetitor,
    becomesUnreached: after.unreachedDemand - before.unreachedDemand,
    siteCapturedBefore: before.siteCaptured,
    siteCapturedAfter: after.siteCaptured,
    distance: {
      affectedPoints,
      affectedDemand,
      meanIncreaseM: affectedDemand > 0 ? sumInc / affectedDemand : NaN,
      maxIncreaseM: maxInc,
      meanBeforeM: affectedDemand > 0 ? sumB / affectedDemand : NaN,
      meanAfterM: affectedDemand > 0 ? sumA / affectedDemand : NaN,
    },
    access: { limitPct: 100 * limit, population: check(opts.population), customers: check(opts.customers) },
    warnings,
  };
}
