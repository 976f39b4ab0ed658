/**
 * Site selection with the Huff objective (DESIGN.md CLI `sites --objective huff`): choose
 * k candidates maximising the demand our whole network captures under the Huff model, so
 * a candidate next to our own branch scores only what it wins net of cannibalisation, and
 * one next to a strong competitor scores what it can take from it.
 *
 * Our captured demand is Σ_i w_i · (O_i + U_i) / (D_i + U_i), with O_i and D_i our and all
 * sites' utility at demand i and U_i the new sites' utility. x ↦ (O + x)/(D + x) is concave
 * and increasing for O ≤ D, so the objective is monotone submodular in the chosen set and
 * lazy greedy is valid (Nemhauser, Wolsey & Fisher 1978: within 1 − 1/e). Greedy order is
 * the report order: rank i's gain is computed given existing sites and ranks before it.
 *
 * siteMetrics gives the ranked list's extra columns: Huff captured demand, cannibalisation
 * of our existing sites, what is taken from competitors, distance to the nearest competitor.
 */
import type { Demand, SiteProgress, SiteWarning } from './coverage.ts';
import { GainHeap } from './gain-heap.ts';
import { HUFF_DEFAULTS, HuffModel, OWN, type HuffParams, type HuffSites } from './huff.ts';
import { prepareSelection, type RankedSite, type SelectionConstraints } from './site-selection.ts';
import { GridIndex, Hits, type Points } from './spatial-index.ts';
import type { SiteCostPairs } from './cost-matrix.ts';

export interface HuffSelectionInput {
  demand: Demand;
  /** Existing sites, ours and competitors'. */
  sites: HuffSites;
  candidates: Points & { attractiveness?: ArrayLike<number> };
  huff?: HuffParams;
  /**
   * A cost file's costs replacing haversine distances (core/cost-matrix.ts huffCostPairs):
   * site-major pairs over the demand points for `sites` and for `candidates`. The floor and
   * the cut-off then apply in the cost unit; a missing pair does not compete.
   */
  costs?: { sites: SiteCostPairs; candidates: SiteCostPairs };
}

export interface HuffSelectionResult {
  /** marginalDemand / coveredDemand / coveragePct are in captured demand (ours, under Huff). */
  sites: RankedSite[];
  totalDemand: number;
  ownCapturedBefore: number;
  ownCapturedAfter: number;
  warnings: SiteWarning[];
}

export function solveHuffGreedy(input: HuffSelectionInput, options: SelectionConstraints & { k: number; signal?: AbortSignal; onProgress?: (p: SiteProgress) => void }): HuffSelectionResult {
  const k = options.k;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`);
  const prep = prepareSelection(input.candidates.lon, input.candidates.lat, options);
  if (prep.pinned.length > k) throw new RangeError(`${prep.pinned.length} sites are pinned but k is ${k}; raise k or unpin sites`);
  const alpha = input.huff?.alpha ?? HUFF_DEFAULTS.alpha;
  const beta = input.huff?.beta ?? HUFF_DEFAULTS.beta;
  const cutoffM = input.huff?.cutoffM ?? HUFF_DEFAULTS.cutoffM;
  const floorM = input.huff?.minDistanceM ?? HUFF_DEFAULTS.minDistanceM;
  const { demand } = input;
  const N = demand.lon.length;
  const C = input.candidates.lon.length;

  // Per demand point: our utility O and everybody's D, from the existing network.
  const costs = input.costs;
  if (costs && (costs.sites.offsets.length !== input.sites.lon.length + 1 || costs.candidates.offsets.length !== C + 1)) {
    throw new RangeError(`cost pairs cover ${costs.sites.offsets.length - 1} sites and ${costs.candidates.offsets.length - 1} candidates; expected ${input.sites.lon.length} and ${C}`);
  }
  const model = new HuffModel(demand, input.sites, input.huff, costs ? { costs: costs.sites } : undefined);
  const before = model.evaluate();
  const own = new Float64Array(N);
  const all = new Float64Array(N);
  const index = costs ? null : new GridIndex(demand, Math.min(cutoffM, 2000));
  const hits = new Hits(1024);
  /** Demand points site j of `pairs` (or at lon/lat) competes for, with their distance or cost, into `hits`. */
  const reachOf = (pairs: SiteCostPairs | undefined, j: number, lon: number, lat: number): number => {
    if (!pairs) return index!.within(lon, lat, cutoffM, hits);
    hits.count = 0;
    for (let p = pairs.offsets[j]; p < pairs.offsets[j + 1]; p++) if (pairs.cost[p] <= cutoffM) hits.push(pairs.demand[p], pairs.cost[p]);
    return hits.count;
  };
  const A = input.sites.attractiveness;
  for (let j = 0; j < input.sites.lon.length; j++) {
    const n = reachOf(costs?.sites, j, input.sites.lon[j], input.sites.lat[j]);
    const a = (A ? A[j] : 1) ** alpha;
    for (let h = 0; h < n; h++) {
      const u = a * Math.max(hits.distanceM[h], floorM) ** -beta;
      all[hits.index[h]] += u;
      if (input.sites.owner[j] === OWN) own[hits.index[h]] += u;
    }
  }
  // Candidate → (demand, utility) pairs within the cut-off.
  const offsets = new Int32Array(C + 1);
  const pd: number[] = [];
  const pu: number[] = [];
  for (let c = 0; c < C; c++) {
    if ((c & 1023) === 0) options.signal?.throwIfAborted();
    const a = (input.candidates.attractiveness ? input.candidates.attractiveness[c] : 1) ** alpha;
    if (!(a > 0)) throw new RangeError(`attractiveness of candidate ${c} must be > 0`);
    const n = reachOf(costs?.candidates, c, input.candidates.lon[c], input.candidates.lat[c]);
    for (let h = 0; h < n; h++) { pd.push(hits.index[h]); pu.push(a * Math.max(hits.distanceM[h], floorM) ** -beta); }
    offsets[c + 1] = pd.length;
  }
  const w = demand.weight;
  const gain = (c: number) => {
    let g = 0;
    for (let p = offsets[c]; p < offsets[c + 1]; p++) {
      const i = pd[p], u = pu[p];
      g += w[i] * ((own[i] + u) / (all[i] + u) - (all[i] > 0 ? own[i] / all[i] : 0));
    }
    return g;
  };
  const add = (c: number) => {
    for (let p = offsets[c]; p < offsets[c + 1]; p++) { own[pd[p]] += pu[p]; all[pd[p]] += pu[p]; }
  };

  const own0 = own.slice();
  const all0 = all.slice();
  const chosen: number[] = [];
  const isChosen = new Uint8Array(C);
  for (const c of prep.pinned) { chosen.push(c); isChosen[c] = 1; add(c); prep.spacing?.add(c); }
  const heap = new GainHeap(C);
  for (let c = 0; c < C; c++) if (prep.allowed[c] && !isChosen[c]) { const g = gain(c); if (g > 0) heap.push(c, g); }
  while (chosen.length < k && heap.size > 0) {
    options.signal?.throwIfAborted();
    const c = heap.pop();
    if (prep.spacing && !prep.spacing.canAdd(c)) continue;
    const g = gain(c);
    if (g <= 0) continue;
    if (!heap.beats(c, g)) { heap.push(c, g); continue; }
    isChosen[c] = 1;
    chosen.push(c);
    add(c);
    prep.spacing?.add(c);
    options.onProgress?.({ stage: 'greedy', done: chosen.length, total: k });
  }
  // Report order over the final set (pins included): each rank the largest gain next.
  own.set(own0);
  all.set(all0);
  const total = before.totalDemand;
  let captured = before.ownCapturedDemand;
  const out: RankedSite[] = [];
  const pinnedSet = new Set(prep.pinned);
  const left = [...chosen];
  while (left.length) {
    let bq = 0, bg = -Infinity;
    left.forEach((c, q) => { const g = gain(c); if (g > bg || (g === bg && c < left[bq])) { bg = g; bq = q; } });
    const c = left.splice(bq, 1)[0];
    add(c);
    captured += bg;
    out.push({ rank: out.length + 1, candidate: c, marginalDemand: bg, coveredDemand: captured, coveragePct: total > 0 ? (100 * captured) / total : NaN, pinned: pinnedSet.has(c) });
  }
  const warnings = [...prep.warnings];
  if (out.length < k) warnings.push({ code: 'fewer_sites_than_k', params: { chosen: out.length, k } });
  return { sites: out, totalDemand: total, ownCapturedBefore: before.ownCapturedDemand, ownCapturedAfter: captured, warnings };
}

export interface NewSiteMetrics {
  /** Demand the new site captures with all the new sites open. */
  capturedDemand: number;
  /** Taken from our existing sites (cannibalisation). */
  cannibalisedDemand: number;
  /** Taken from competitors' sites. */
  fromCompetitorsDemand: number;
  /** Demand nobody reached before. */
  newlyReachedDemand: number;
  /** Our Huff market share of total demand with all new sites open, percent. */
  ownSharePct: number;
  /** Distance to the nearest competitor site, metres (Infinity when there is none). */
  nearestCompetitorM: number;
}

/** Metrics for new sites added together to the network (one row per new site, same order). */
export function siteMetrics(demand: Demand, sites: HuffSites, newSites: Points, huff?: HuffParams): NewSiteMetrics[] {
  const S = sites.lon.length;
  const m = newSites.lon.length;
  const merged: HuffSites = {
    lon: [...Array.from(sites.lon), ...Array.from(newSites.lon)],
    lat: [...Array.from(sites.lat), ...Array.from(newSites.lat)],
    owner: [...sites.owner, ...Array.from({ length: m }, () => OWN)],
    attractiveness: [...Array.from(sites.attractiveness ?? Array.from({ length: S }, () => 1)), ...Array.from({ length: m }, () => 1)],
  };
  const model = new HuffModel(demand, merged, huff);
  const share = model.evaluate().owners[0].sharePct;
  const compIdx: number[] = [];
  for (let j = 0; j < S; j++) if (sites.owner[j] !== OWN) compIdx.push(j);
  const comp = new GridIndex({ lon: compIdx.map((j) => sites.lon[j]), lat: compIdx.map((j) => sites.lat[j]) }, 2000);
  const hits = new Hits();
  return Array.from({ length: m }, (_, q) => {
    const imp = model.siteImpact(S + q);
    let cannibalised = 0, competitors = 0;
    imp.takenFrom.site.forEach((k, t) => {
      if (k >= S) return; // taken from another new site: neither ours-existing nor a competitor
      if (model.ownerOf[k] === 0) cannibalised += imp.takenFrom.demand[t];
      else competitors += imp.takenFrom.demand[t];
    });
    return {
      capturedDemand: imp.capturedDemand,
      cannibalisedDemand: cannibalised,
      fromCompetitorsDemand: competitors,
      newlyReachedDemand: imp.newlyReachedDemand,
      ownSharePct: share,
      nearestCompetitorM: comp.nearest(newSites.lon[q], newSites.lat[q], Infinity, undefined, hits).distanceM,
    };
  });
}
