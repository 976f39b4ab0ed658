/**
 * The Sites tab's shareable parameters (permalinks, snapshots) and their validation: a link
 * can be edited by anyone, so every field is checked and whatever does not fit is dropped.
 * Pure, so it is tested in Node; sites-share.ts applies the result to the tab's state.
 */
import { HUFF_DEFAULTS, type HuffParams } from '../../core/huff.ts';
import { DEMAND_MEASURES, OBJECTIVES, type DemandMeasure, type ExclusionZone, type SiteObjective, type SiteSolver, type SiteType } from './sites-model.ts';

export interface SitesShared {
  mode: 'recommend' | 'closure';
  siteType: SiteType;
  k: number;
  radiusM: number;
  objective: SiteObjective;
  solver: SiteSolver;
  timeLimitS: number;
  targetPct: number;
  measure: DemandMeasure;
  blendPct: number;
  resolution: number;
  minSpacingM: number;
  replicates: number;
  zones: ExclusionZone[];
  pinned: string[];
  excluded: string[];
  extraCandidates: { id: string; lon: number; lat: number }[];
  closeIds: string[];
  accessDistanceM: number;
  maxSharePct: number;
  colouring: 'coverage' | 'huff' | 'demand';
  /** Huff model parameters (DESIGN.md: α, β, cut-off and floor in metres). */
  huff: Partial<HuffInputs>;
  /** A recommendation was on screen: run it again when the link opens (older links; newer carry `result`). */
  ran: boolean;
  /** Where customer demand stood (exact customers or the demand-points table) and whether travel costs replaced distances. */
  pointSource: 'customers' | 'demand_points';
  useCosts: boolean;
  /** The result on screen when the link was made, restored as it was without running again (links before the packed form). */
  result?: RestoredResult;
  /** The same, packed (sites-link.ts packResult, PackedResult): what links carry now. */
  rp?: { b: string; w?: (string | [string, string])[] };
}

/** One new site of a shared result: position, names and the numbers the ranked list showed. */
export interface RestoredSite {
  id: string;
  lon: number;
  lat: number;
  names: { en: string; 'zh-CN': string };
  origin: 'recommended' | 'dropped';
  moved: boolean;
  marginalDemand: number;
  coveredDemand: number;
  coveragePct: number;
  huffCaptured: number;
  /** p-median: Σ weight · distance with ranks 1..this, and its mean (NaN otherwise). */
  totalCost: number;
  meanCost: number;
}

/** A recommendation as shared in a link or snapshot: enough to show it again, nothing per customer. */
export interface RestoredResult {
  objective: SiteObjective;
  solver: SiteSolver;
  siteType: SiteType;
  radiusM: number;
  /** Demand decided at exact points or at study-cell centres; travel costs used or not. */
  at: 'points' | 'cells';
  costs: boolean;
  demandPoints: number;
  totalDemand: number;
  existingCoveredDemand: number;
  coveredDemand: number;
  coveragePct: number;
  ownSharePct: number;
  sites: RestoredSite[];
  /** Shared in safe mode: demand figures below this k were left out (NaN), shown as "< k". */
  maskedBelow?: number;
}

/**
 * The result as a safe link or snapshot may carry it (safe sharing, DESIGN.md small-cell
 * rule): demand counts are sums of customers, so every figure below k is left out (NaN).
 * Cumulatives are tied to the marginals (covered demand of row r = existing + marginals
 * 1..r, the total = the last row), so a masked marginal could be got back by subtraction:
 * when the existing covered demand or any marginal is masked, every cumulative figure (each
 * row's covered demand and percentage, the total covered demand and percentage) is left out
 * too — what remains has no equation that gives a masked figure back. Huff captured demand
 * per site is masked below k the same way. Positions, names, costs and our Huff share stay.
 */
export function safeResult(r: RestoredResult, k: number): RestoredResult {
  const small = (x: number) => !Number.isFinite(x) || (x > 0 && x < k);
  const hide = (x: number) => (small(x) ? NaN : x);
  const cut = small(r.existingCoveredDemand) || r.sites.some((x) => small(x.marginalDemand));
  return {
    ...r,
    demandPoints: hide(r.demandPoints),
    totalDemand: hide(r.totalDemand),
    existingCoveredDemand: hide(r.existingCoveredDemand),
    coveredDemand: cut ? NaN : hide(r.coveredDemand),
    coveragePct: cut || small(r.coveredDemand) ? NaN : r.coveragePct,
    sites: r.sites.map((x) => ({
      ...x,
      marginalDemand: hide(x.marginalDemand),
      coveredDemand: cut ? NaN : hide(x.coveredDemand),
      coveragePct: cut || small(x.coveredDemand) ? NaN : x.coveragePct,
      huffCaptured: hide(x.huffCaptured),
    })),
    maskedBelow: k,
  };
}

/** The Huff parameters as the advanced controls hold them. */
export type HuffInputs = Required<HuffParams>;
export type HuffField = keyof HuffInputs;
export const HUFF_FIELDS: readonly HuffField[] = ['alpha', 'beta', 'cutoffM', 'minDistanceM'];

/**
 * Accepted ranges. α 0 ignores attractiveness and β 0 ignores distance within the cut-off,
 * both legitimate; beyond 5 the model is all-or-nothing (the nearest or the most attractive
 * site takes everything) and no calibration in the literature goes there. The cut-off is
 * capped at 20 km: every site–demand pair within it is kept in memory (the demo city at
 * 20 km is already ~10× the pairs of 5 km). The floor must stay below the cut-off.
 */
export const HUFF_RANGES: Readonly<Record<HuffField, readonly [number, number]>> = {
  alpha: [0, 5], beta: [0, 5], cutoffM: [200, 20_000], minDistanceM: [1, 2_000],
};

export const defaultHuff = (): HuffInputs => ({ ...HUFF_DEFAULTS });

/** Fields of `h` that are not usable, in HUFF_FIELDS order; a floor not below the cut-off counts against the floor. */
export function huffIssues(h: Readonly<Record<HuffField, unknown>>): HuffField[] {
  const bad = HUFF_FIELDS.filter((f) => num(h[f], ...HUFF_RANGES[f]) === undefined);
  if (!bad.includes('minDistanceM') && !bad.includes('cutoffM') && (h.minDistanceM as number) >= (h.cutoffM as number)) bad.push('minDistanceM');
  return bad;
}

/** `h` with every unusable field back at its default (what a link may set, see applyShared). */
export function usableHuff(h: Readonly<Record<HuffField, unknown>>): HuffInputs {
  const out = { ...h } as HuffInputs;
  for (const f of huffIssues(h)) out[f] = HUFF_DEFAULTS[f];
  // A default floor (100 m) is below every accepted cut-off (≥ 200 m).
  return out;
}

const num = (v: unknown, lo: number, hi: number): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi ? v : undefined);
const strings = (v: unknown, max = 500): string[] | undefined => (Array.isArray(v) && v.length <= max && v.every((x) => typeof x === 'string' && x.length <= 100) ? (v as string[]) : undefined);
const point = (x: unknown): x is { lon: number; lat: number } =>
  !!x && typeof x === 'object' && num((x as { lon: unknown }).lon, -180, 180) !== undefined && num((x as { lat: unknown }).lat, -90, 90) !== undefined;

const RANGES: Record<string, [number, number]> = {
  k: [0, 1000], radiusM: [1, 100_000], timeLimitS: [1, 3600], targetPct: [0, 100], blendPct: [0, 100], resolution: [0, 15],
  minSpacingM: [0, 100_000], replicates: [0, 1000], accessDistanceM: [1, 100_000], maxSharePct: [0, 100],
};

/** The fields of an untrusted value that are valid; the rest is left out. */
export function parseShared(v: unknown): Partial<SitesShared> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const o = v as Record<string, unknown>;
  const out: Partial<SitesShared> = {};
  if (o.siteType === 'branch' || o.siteType === 'atm') out.siteType = o.siteType;
  if (o.mode === 'recommend' || o.mode === 'closure') out.mode = o.mode;
  if ((OBJECTIVES as readonly unknown[]).includes(o.objective)) out.objective = o.objective as SiteObjective;
  if (o.solver === 'greedy' || o.solver === 'exact') out.solver = o.solver;
  if ((DEMAND_MEASURES as readonly unknown[]).includes(o.measure)) out.measure = o.measure as DemandMeasure;
  if (o.colouring === 'coverage' || o.colouring === 'huff' || o.colouring === 'demand') out.colouring = o.colouring;
  for (const [key, [lo, hi]] of Object.entries(RANGES)) {
    const x = num(o[key], lo, hi);
    if (x !== undefined) (out as Record<string, number>)[key] = x;
  }
  if (Array.isArray(o.zones) && o.zones.length <= 100) {
    out.zones = o.zones
      .filter((z): z is ExclusionZone => point(z) && num((z as ExclusionZone).radiusM, 1, 100_000) !== undefined)
      .map((z) => ({ lon: z.lon, lat: z.lat, radiusM: z.radiusM }));
  }
  const pinned = strings(o.pinned);
  if (pinned) out.pinned = pinned;
  const excluded = strings(o.excluded);
  if (excluded) out.excluded = excluded;
  const closeIds = strings(o.closeIds);
  if (closeIds) out.closeIds = closeIds;
  if (Array.isArray(o.extraCandidates) && o.extraCandidates.length <= 500) {
    out.extraCandidates = o.extraCandidates
      .filter((x): x is { id: string; lon: number; lat: number } => point(x) && typeof (x as unknown as { id: unknown }).id === 'string' && (x as unknown as { id: string }).id.length <= 100)
      .map((x) => ({ id: x.id, lon: x.lon, lat: x.lat }));
  }
  if (o.huff && typeof o.huff === 'object' && !Array.isArray(o.huff)) {
    const h = o.huff as Record<string, unknown>;
    const huff: Partial<HuffInputs> = {};
    for (const f of HUFF_FIELDS) {
      const x = num(h[f], ...HUFF_RANGES[f]);
      if (x !== undefined) huff[f] = x;
    }
    out.huff = huff;
  }
  if (o.ran === true) out.ran = true;
  if (o.pointSource === 'customers' || o.pointSource === 'demand_points') out.pointSource = o.pointSource;
  if (typeof o.useCosts === 'boolean') out.useCosts = o.useCosts;
  const result = parseResult(o.result);
  if (result) out.result = result;
  return out;
}

/** JSON has no NaN or Infinity: numbers travel as null and come back as NaN. */
const finiteOrNaN = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);
const text = (v: unknown, max = 200): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);

/** A shared result, or undefined when any part of it does not fit (a result is shown whole or not at all). */
export function parseResult(v: unknown): RestoredResult | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (!(OBJECTIVES as readonly unknown[]).includes(o.objective)) return undefined;
  if (o.solver !== 'greedy' && o.solver !== 'exact') return undefined;
  if (o.siteType !== 'branch' && o.siteType !== 'atm') return undefined;
  if (o.at !== 'points' && o.at !== 'cells') return undefined;
  const radiusM = num(o.radiusM, 1, 100_000);
  if (radiusM === undefined || !Array.isArray(o.sites) || o.sites.length > 1000) return undefined;
  const sites: RestoredSite[] = [];
  for (const x of o.sites as unknown[]) {
    if (!point(x)) return undefined;
    const r = x as unknown as Record<string, unknown>;
    const names = r.names as Record<string, unknown> | undefined;
    const id = text(r.id, 100), en = text(names?.en), zh = text(names?.['zh-CN']);
    if (id === undefined || en === undefined || zh === undefined) return undefined;
    if (r.origin !== 'recommended' && r.origin !== 'dropped') return undefined;
    sites.push({
      id, lon: r.lon as number, lat: r.lat as number, names: { en, 'zh-CN': zh }, origin: r.origin, moved: r.moved === true,
      marginalDemand: finiteOrNaN(r.marginalDemand), coveredDemand: finiteOrNaN(r.coveredDemand), coveragePct: finiteOrNaN(r.coveragePct),
      huffCaptured: finiteOrNaN(r.huffCaptured), totalCost: finiteOrNaN(r.totalCost), meanCost: finiteOrNaN(r.meanCost),
    });
  }
  return {
    objective: o.objective as SiteObjective, solver: o.solver, siteType: o.siteType, radiusM, at: o.at, costs: o.costs === true,
    demandPoints: finiteOrNaN(o.demandPoints), totalDemand: finiteOrNaN(o.totalDemand), existingCoveredDemand: finiteOrNaN(o.existingCoveredDemand),
    coveredDemand: finiteOrNaN(o.coveredDemand), coveragePct: finiteOrNaN(o.coveragePct), ownSharePct: finiteOrNaN(o.ownSharePct), sites,
    ...(num(o.maskedBelow, 2, 1000) !== undefined ? { maskedBelow: num(o.maskedBelow, 2, 1000) } : {}),
  };
}
