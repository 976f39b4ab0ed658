/**
 * A scenario is the network of one site type as the user is editing it: our existing sites
 * (some moved), and the new sites in rank order (recommended, moved, or dropped on the
 * map). `evaluateScenario` measures it the way the ranked list shows it, whatever the
 * objective that produced it:
 *
 * - coverage: demand within R of an own site; each new site's marginal demand is what it
 *   covers first given existing sites and the new sites ranked before it (DESIGN.md order);
 * - Huff (core/huff.ts): our captured demand and share of total demand, per new site what
 *   it captures, what it takes from our other sites (cannibalisation) and from competitors;
 * - distance from each new site to the nearest competitor of the type.
 *
 * Pure: the analysis worker keeps the scenario, tests call this directly.
 */
import { buildCoverage, coveredMask, sumWeight } from '../../core/coverage.ts';
import { HuffModel, OWN, type HuffParams, type HuffSites } from '../../core/huff.ts';
import { GridIndex, Hits } from '../../core/spatial-index.ts';
import type { SitesData } from './sites-model.ts';

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
}

export function scenarioNetwork(data: SitesData, s: Scenario): ScenarioNetwork {
  const ownPos = new Map(data.ownSites.map((j, q) => [j, q]));
  const lon: number[] = [], lat: number[] = [], owner: string[] = [], attr: number[] = [], ownIndex: number[] = [], addedIndex: number[] = [];
  for (const j of data.typeSites) {
    const q = ownPos.get(j);
    if (q !== undefined && !s.ownOpen[q]) continue;
    lon.push(q !== undefined ? s.ownLon[q] : data.network.lon[j]);
    lat.push(q !== undefined ? s.ownLat[q] : data.network.lat[j]);
    owner.push(data.network.owner[j]);
    attr.push(data.network.attractiveness[j] > 0 ? data.network.attractiveness[j] : 1);
    ownIndex.push(q ?? -1);
    addedIndex.push(-1);
  }
  s.added.forEach((a, r) => {
    lon.push(a.lon); lat.push(a.lat); owner.push(OWN); attr.push(1); ownIndex.push(-1); addedIndex.push(r);
  });
  return {
    lon: Float64Array.from(lon), lat: Float64Array.from(lat), owner, attractiveness: Float64Array.from(attr),
    ownIndex: Int32Array.from(ownIndex), addedIndex: Int32Array.from(addedIndex),
  };
}

export function evaluateScenario(data: SitesData, s: Scenario, huff?: HuffParams, model?: HuffModel): ScenarioEval {
  const { demand, radiusM } = data;
  const N = demand.lon.length;
  const w = demand.weight;
  const total = sumWeight(w);
  const open: number[] = [];
  for (let q = 0; q < s.ownOpen.length; q++) if (s.ownOpen[q]) open.push(q);
  const index = new GridIndex(demand, Math.max(radiusM, 50));
  const existingCov = buildCoverage({ lon: open.map((q) => s.ownLon[q]), lat: open.map((q) => s.ownLat[q]) }, demand, radiusM, { index });
  const covered = coveredMask(existingCov);
  const coverBy = new Int16Array(N);
  for (let i = 0; i < N; i++) coverBy[i] = covered[i] ? -1 : -2;
  const existingCovered = sumWeight(w, covered);
  const addedCov = buildCoverage({ lon: s.added.map((a) => a.lon), lat: s.added.map((a) => a.lat) }, demand, radiusM, { index });
  let cum = existingCovered;
  const net = scenarioNetwork(data, s);
  const m = model ?? new HuffModel(demand, net, huff);
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
      robustnessPct: a.robustnessPct,
      marginalDemand: g, coveredDemand: cum, coveragePct: total > 0 ? (100 * cum) / total : NaN,
      huffCaptured: captured, huffSharePct: total > 0 ? (100 * captured) / total : NaN,
      cannibalised, fromCompetitors,
      nearestCompetitorM: comp.nearest(a.lon, a.lat, Infinity, undefined, hits).distanceM,
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
