/**
 * A scenario is the network of one site type as the user is editing it: our existing sites
 * (some moved), and the new sites in rank order (recommended, moved, or dropped on the
 * map). `evaluateScenario` measures it the way the ranked list shows it, whatever the
 * objective that produced it:
 *
 * - coverage: demand within R of an own site; each new site's marginal demand is what it
 *   covers first given existing sites and the new sites ranked before it (DESIGN.md order);
 * - Huff (core/huff.ts, at every demand point): our captured demand and share of total
 *   demand, per new site what it captures, what it takes from our other sites
 *   (cannibalisation) and from competitors;
 * - distance from each new site to the nearest competitor of the type;
 * - p-median (`withCosts`): Σ weight · distance (or travel cost) to the nearest open own site
 *   with rows 1..r, and its mean over the total weight, as the solver reports them.
 *
 * With a travel-cost table (SitesData.costs) coverage is decided by the table: a new site at
 * a candidate covers the points whose cost to it is ≤ R, our existing sites by their lowest
 * cost; a site off every candidate has no costs and covers nothing (the engine refuses such
 * edits). Huff uses the table too when it was read with the network's costs (the Huff
 * objective): a site's utility comes from its costs, a site without a cost to a point does
 * not compete for it; otherwise Huff stays on straight-line distances.
 *
 * Pure: the analysis worker keeps the scenario, tests call this directly.
 */
import { buildCoverage, coveredMask, sumWeight } from '../../core/coverage.ts';
import { nearestSiteDistanceM } from '../../core/demand.ts';
import { unreachableCost } from './sites-solve.ts';
import { HuffModel, OWN, type HuffParams, type HuffSites } from '../../core/huff.ts';
import { GridIndex, Hits } from '../../core/spatial-index.ts';
import type { SitesData } from './sites-model.ts';
import { huffCostPairs, type SiteCostPairs } from '../../core/cost-matrix.ts';
import type { SiteNames } from './sites-names.ts';

export type NewSiteOrigin = 'recommended' | 'dropped';

export interface NewSite {
  id: string;
  lon: number;
  lat: number;
  origin: NewSiteOrigin;
  /** Candidate index when at a candidate position (−1 once moved or when dropped). */
  candidate: number;
  pinned: boolean;
  /** Bootstrap robustness, percent (NaN once moved or when dropped). */
  robustnessPct: number;
  /** Human name in each UI language (sites-names.ts); absent where none was made. */
  names?: SiteNames;
}

export interface Scenario {
  /** Positions of our existing sites of the type, aligned with SitesData.ownSites (moved ones changed). */
  ownLon: Float64Array;
  ownLat: Float64Array;
  /** 0 = closed in this scenario. */
  ownOpen: Uint8Array;
  /** New sites in rank order. */
  added: NewSite[];
}

export function initialScenario(data: SitesData, added: NewSite[] = []): Scenario {
  return {
    ownLon: Float64Array.from(data.ownSites, (j) => data.network.lon[j]),
    ownLat: Float64Array.from(data.ownSites, (j) => data.network.lat[j]),
    ownOpen: new Uint8Array(data.ownSites.length).fill(1),
    added,
  };
}

export interface ScenarioRow {
  id: string;
  lon: number;
  lat: number;
  origin: NewSiteOrigin;
  moved: boolean;
  pinned: boolean;
  robustnessPct: number;
  names?: SiteNames;
  /** Demand first covered by this site given existing sites and the rows above. */
  marginalDemand: number;
  /** Covered by existing sites and rows 1..this. */
  coveredDemand: number;
  coveragePct: number;
  /** Huff: demand this site captures with the whole scenario open. */
  huffCaptured: number;
  /** 100 · huffCaptured / total demand. */
  huffSharePct: number;
  /** Taken from our existing sites (cannibalisation). */
  cannibalised: number;
  fromCompetitors: number;
  /** Metres; Infinity without competitors of the type. */
  nearestCompetitorM: number;
  /** p-median (when asked for): Σ weight · distance to the nearest open own site with rows 1..this; NaN otherwise. */
  totalCost: number;
  /** totalCost / total weight; NaN otherwise. */
  meanCost: number;
}

export interface ScenarioTotals {
  totalDemand: number;
  /** Covered by our existing (open) sites alone. */
  existingCoveredDemand: number;
  coveredDemand: number;
  coveragePct: number;
  ownCaptured: number;
  /** Our Huff share of total demand, percent. */
  ownSharePct: number;
  /** Our Huff share of demand some site reaches, percent. */
  ownMarketSharePct: number;
  owners: { owner: string; sharePct: number }[];
}

export interface ScenarioEval {
  rows: ScenarioRow[];
  totals: ScenarioTotals;
  /** Per demand point: −2 uncovered, −1 covered by our existing sites, r ≥ 0 first covered by new site r. */
  coverBy: Int16Array;
  /** Per demand point: Σ over our sites of the Huff probability. */
  ownProbability: Float32Array;
}

/** The type's network as this scenario has it: competitors, our open existing sites (moved), new sites. */
export interface ScenarioNetwork extends HuffSites {
  lon: Float64Array;
  lat: Float64Array;
  attractiveness: Float64Array;
  /** Position in the network → our existing site q (SitesData.ownSites[q]), or −1. */
  ownIndex: Int32Array;
  /** Position → new site r, or −1. */
  addedIndex: Int32Array;
  /** Position → index in SitesData.typeSites, or −1 for a new site. */
  typeIndex: Int32Array;
}

export function scenarioNetwork(data: SitesData, s: Scenario): ScenarioNetwork {
  const ownPos = new Map(data.ownSites.map((j, q) => [j, q]));
  const lon: number[] = [], lat: number[] = [], owner: string[] = [], attr: number[] = [], ownIndex: number[] = [], addedIndex: number[] = [], typeIndex: number[] = [];
  for (const [t, j] of data.typeSites.entries()) {
    const q = ownPos.get(j);
    if (q !== undefined && !s.ownOpen[q]) continue;
    typeIndex.push(t);
    lon.push(q !== undefined ? s.ownLon[q] : data.network.lon[j]);
    lat.push(q !== undefined ? s.ownLat[q] : data.network.lat[j]);
    owner.push(data.network.owner[j]);
    attr.push(data.network.attractiveness[j] > 0 ? data.network.attractiveness[j] : 1);
    ownIndex.push(q ?? -1);
    addedIndex.push(-1);
  }
  s.added.forEach((a, r) => {
    lon.push(a.lon); lat.push(a.lat); owner.push(OWN); attr.push(1); ownIndex.push(-1); addedIndex.push(r); typeIndex.push(-1);
  });
  return {
    lon: Float64Array.from(lon), lat: Float64Array.from(lat), owner, attractiveness: Float64Array.from(attr),
    ownIndex: Int32Array.from(ownIndex), addedIndex: Int32Array.from(addedIndex), typeIndex: Int32Array.from(typeIndex),
  };
}

const huffPairs = new WeakMap<SitesData, ReturnType<typeof huffCostPairs>>();

/**
 * The Huff model of a scenario at every demand point: straight-line distances, or the cost
 * table's when it carries the network's costs (a new site at a candidate uses that
 * candidate's costs; one off the candidates has none and competes for nobody).
 */
export function scenarioHuffModel(
  data: SitesData, s: Scenario, huff?: HuffParams,
  hooks: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; demandIndex?: GridIndex } = {},
): HuffModel {
  const net = scenarioNetwork(data, s);
  let costs: SiteCostPairs | undefined;
  if (data.costs?.network) {
    let pairs = huffPairs.get(data);
    if (!pairs) { pairs = huffCostPairs(data.costs, data.demand.source!, data.typeSites); huffPairs.set(data, pairs); }
    const slice = (p: number): [SiteCostPairs, number] => {
      const t = net.typeIndex[p];
      if (t >= 0) return [pairs.sites, t];
      const c = s.added[net.addedIndex[p]].candidate;
      return [pairs.candidates, c];
    };
    const S = net.owner.length;
    const offsets = new Int32Array(S + 1);
    for (let p = 0; p < S; p++) {
      const [src, j] = slice(p);
      offsets[p + 1] = offsets[p] + (j >= 0 ? src.offsets[j + 1] - src.offsets[j] : 0);
    }
    const demand = new Int32Array(offsets[S]), cost = new Float64Array(offsets[S]);
    for (let p = 0; p < S; p++) {
      const [src, j] = slice(p);
      if (j < 0) continue;
      demand.set(src.demand.subarray(src.offsets[j], src.offsets[j + 1]), offsets[p]);
      cost.set(src.cost.subarray(src.offsets[j], src.offsets[j + 1]), offsets[p]);
    }
    costs = { offsets, demand, cost };
  }
  return new HuffModel(data.demand, net, huff, { costs, signal: hooks.signal, onProgress: hooks.onProgress, demandIndex: costs ? undefined : hooks.demandIndex });
}

/** Who covers each demand point from the cost table: existing sites (lowest cost), and the new sites at candidates. */
function costCoverage(data: SitesData, s: Scenario): { covered: Uint8Array; offsets: Int32Array; demand: Int32Array } {
  const t = data.costs!, src = data.demand.source!, R = data.radiusM;
  const N = src.length;
  const covered = new Uint8Array(N);
  for (let q = 0; q < N; q++) if (t.existingCost[src[q]] <= R) covered[q] = 1;
  // Candidate → the new sites standing on it (a candidate may carry one site only, but stay general).
  const at = new Map<number, number[]>();
  s.added.forEach((a, r) => { if (a.candidate >= 0) at.set(a.candidate, [...(at.get(a.candidate) ?? []), r]); });
  const lists: number[][] = s.added.map(() => []);
  for (let q = 0; q < N; q++) {
    const i = src[q];
    for (let p = t.offsets[i]; p < t.offsets[i + 1]; p++) {
      if (t.cost[p] > R) continue;
      for (const r of at.get(t.site[p]) ?? []) lists[r].push(q);
    }
  }
  const offsets = new Int32Array(s.added.length + 1);
  lists.forEach((l, r) => (offsets[r + 1] = offsets[r] + l.length));
  return { covered, offsets, demand: Int32Array.from(lists.flat()) };
}

/** Σ weight · distance (or cost) to the nearest open own site with new sites 1..r, per r. */
function scenarioCosts(data: SitesData, s: Scenario): Float64Array {
  const { demand } = data;
  const out = new Float64Array(s.added.length);
  if (data.costs) {
    const t = data.costs, src = demand.source!, cap = unreachableCost(t);
    const best = Float64Array.from(src, (i) => Math.min(t.existingCost[i], cap));
    s.added.forEach((a, r) => {
      let total = 0;
      for (let q = 0; q < best.length; q++) {
        const i = src[q];
        if (a.candidate >= 0) for (let p = t.offsets[i]; p < t.offsets[i + 1]; p++) if (t.site[p] === a.candidate && t.cost[p] < best[q]) best[q] = t.cost[p];
        total += demand.weight[q] * best[q];
      }
      out[r] = total;
    });
    return out;
  }
  const lon: number[] = [], lat: number[] = [];
  for (let q = 0; q < s.ownOpen.length; q++) if (s.ownOpen[q]) { lon.push(s.ownLon[q]); lat.push(s.ownLat[q]); }
  const best = nearestSiteDistanceM(demand.lon, demand.lat, lon, lat);
  s.added.forEach((a, r) => {
    const d = nearestSiteDistanceM(demand.lon, demand.lat, [a.lon], [a.lat]);
    let total = 0;
    for (let i = 0; i < best.length; i++) {
      if (d[i] < best[i]) best[i] = d[i];
      if (demand.weight[i] > 0) total += demand.weight[i] * best[i];
    }
    out[r] = total;
  });
  return out;
}

export interface EvaluateOptions {
  /** Also Σ weight · distance per row (the p-median's total_cost, mean_cost). */
  withCosts?: boolean;
}

export function evaluateScenario(data: SitesData, s: Scenario, huff?: HuffParams, model?: HuffModel, opts: EvaluateOptions = {}): ScenarioEval {
  const { demand, radiusM } = data;
  const N = demand.lon.length;
  const w = demand.weight;
  const total = sumWeight(w);
  let covered: Uint8Array;
  let addedCov: { offsets: Int32Array; demand: Int32Array };
  if (data.costs) {
    const c = costCoverage(data, s);
    covered = c.covered;
    addedCov = c;
  } else {
    const open: number[] = [];
    for (let q = 0; q < s.ownOpen.length; q++) if (s.ownOpen[q]) open.push(q);
    const index = new GridIndex(demand, Math.max(radiusM, 50));
    const existingCov = buildCoverage({ lon: open.map((q) => s.ownLon[q]), lat: open.map((q) => s.ownLat[q]) }, demand, radiusM, { index });
    covered = coveredMask(existingCov);
    addedCov = buildCoverage({ lon: s.added.map((a) => a.lon), lat: s.added.map((a) => a.lat) }, demand, radiusM, { index });
  }
  const coverBy = new Int16Array(N);
  for (let i = 0; i < N; i++) coverBy[i] = covered[i] ? -1 : -2;
  const existingCovered = sumWeight(w, covered);
  const costs = opts.withCosts ? scenarioCosts(data, s) : null;
  let cum = existingCovered;
  const net = scenarioNetwork(data, s);
  const m = model ?? scenarioHuffModel(data, s, huff);
  const ev = m.evaluate();
  const compIdx: number[] = [];
  for (let p = 0; p < net.owner.length; p++) if (net.owner[p] !== OWN) compIdx.push(p);
  const comp = new GridIndex({ lon: compIdx.map((p) => net.lon[p]), lat: compIdx.map((p) => net.lat[p]) }, 2000);
  const hits = new Hits();
  const firstAdded = net.owner.length - s.added.length;
  const rows: ScenarioRow[] = s.added.map((a, r) => {
    let g = 0;
    for (let p = addedCov.offsets[r]; p < addedCov.offsets[r + 1]; p++) {
      const i = addedCov.demand[p];
      if (!covered[i]) { covered[i] = 1; g += w[i]; coverBy[i] = r; }
    }
    cum += g;
    const imp = m.siteImpact(firstAdded + r);
    let cannibalised = 0, fromCompetitors = 0;
    imp.takenFrom.site.forEach((k, t) => {
      if (net.addedIndex[k] >= 0) return; // from another new site: neither our existing network nor a competitor
      if (net.owner[k] === OWN) cannibalised += imp.takenFrom.demand[t];
      else fromCompetitors += imp.takenFrom.demand[t];
    });
    const captured = ev.siteCaptured[firstAdded + r];
    return {
      id: a.id, lon: a.lon, lat: a.lat, origin: a.origin, moved: a.origin === 'recommended' && a.candidate < 0, pinned: a.pinned,
      robustnessPct: a.robustnessPct, names: a.names,
      marginalDemand: g, coveredDemand: cum, coveragePct: total > 0 ? (100 * cum) / total : NaN,
      huffCaptured: captured, huffSharePct: total > 0 ? (100 * captured) / total : NaN,
      cannibalised, fromCompetitors,
      nearestCompetitorM: comp.nearest(a.lon, a.lat, Infinity, undefined, hits).distanceM,
      totalCost: costs ? costs[r] : NaN,
      meanCost: costs && total > 0 ? costs[r] / total : NaN,
    };
  });
  return {
    rows,
    totals: {
      totalDemand: total,
      existingCoveredDemand: existingCovered,
      coveredDemand: cum,
      coveragePct: total > 0 ? (100 * cum) / total : NaN,
      ownCaptured: ev.ownCapturedDemand,
      ownSharePct: ev.owners[0].sharePct,
      ownMarketSharePct: ev.owners[0].marketSharePct,
      owners: ev.owners.map((o) => ({ owner: o.owner, sharePct: o.sharePct })),
    },
    coverBy,
    ownProbability: Float32Array.from(ev.ownProbability),
  };
}
