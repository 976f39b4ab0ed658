/**
 * Huff (1963, 1964) probabilistic market-share model, as DESIGN.md defines it:
 *
 *   P_ij = A_j^α · d_ij^(−β) / Σ_k A_k^α · d_ik^(−β)
 *
 * over our sites and competitors' within the cut-off distance of demand point i
 * (haversine d ≤ cutoffM, default 5 km), α = 1, β = 2 by default, d floored at 100 m so
 * a site on top of a demand point does not take it with infinite utility. A demand point
 * with no site within the cut-off is captured by nobody: it is reported as unreached
 * demand, not spread over distant sites.
 *
 * With a cost file (DESIGN.md `--costs`) the cost replaces the distance: d_ij = cost(i, j),
 * floored at minDistanceM and cut off at cutoffM, both then in the cost file's unit; a site
 * with no cost to a point does not compete for it.
 *
 * HuffModel keeps the site–demand utilities u_ij in both demand-major and site-major
 * compressed rows, so a full evaluation is one pass over the pairs, the effect of one
 * site (cannibalisation, closure loss) touches only demand within its cut-off, and a
 * drag re-evaluates only demand within the cut-off of the new position against
 * denominators precomputed without the dragged site.
 */
import type { Demand } from './coverage.ts';
import { GridIndex, Hits, type Points } from './spatial-index.ts';
import type { SiteCostPairs } from './cost-matrix.ts';

/** Owner label of our own sites (DESIGN.md sites file: `owner` is `own` or the competitor's name). */
export const OWN = 'own';

export interface HuffSites extends Points {
  /** `own` for our sites, otherwise the competitor's name. */
  owner: readonly string[];
  /** Attractiveness A_j > 0; default 1 for every site. */
  attractiveness?: ArrayLike<number>;
}

export interface HuffParams {
  /** Exponent on attractiveness; default 1. */
  alpha?: number;
  /** Distance-decay exponent; default 2. */
  beta?: number;
  /** Sites farther than this (metres) do not compete for a demand point; default 5000. */
  cutoffM?: number;
  /** Distances below this (metres) count as this; default 100. */
  minDistanceM?: number;
}

export const HUFF_DEFAULTS: Readonly<Required<HuffParams>> = { alpha: 1, beta: 2, cutoffM: 5000, minDistanceM: 100 };

export interface HuffOwnerShare {
  owner: string;
  capturedDemand: number;
  /** 100 · captured / total demand. */
  sharePct: number;
  /** 100 · captured / reached demand (demand with some site within the cut-off). */
  marketSharePct: number;
}

export interface HuffTotals {
  totalDemand: number;
  /** Demand with at least one open site within the cut-off. */
  reachedDemand: number;
  /** Demand with no open site within the cut-off: captured by nobody. */
  unreachedDemand: number;
  ownCapturedDemand: number;
  /** Own first, then competitors in order of first appearance in the sites. */
  owners: HuffOwnerShare[];
  /** Captured demand per site (0 for closed sites). */
  siteCaptured: Float64Array;
}

export interface HuffResult extends HuffTotals {
  /** Σ over our sites of P_ij for each demand point (0 where unreached): catchment colouring. */
  ownProbability: Float64Array;
}

/** What one site takes: comparing the network with it open and without it. */
export interface SiteImpact {
  site: number;
  /** Demand the site captures when open. */
  capturedDemand: number;
  /** Sites it takes demand from (nonzero only) and how much. */
  takenFrom: { site: Int32Array; demand: Float64Array };
  /** Per owner (same order as HuffTotals.owners), demand taken from that owner's sites. */
  takenFromOwner: Float64Array;
  /** Demand no other open site reaches: it captures it from nobody. */
  newlyReachedDemand: number;
}

export class HuffModel {
  readonly params: Readonly<Required<HuffParams>>;
  readonly owners: string[];
  /** Owner index per site; 0 is always `own`. */
  readonly ownerOf: Int32Array;
  readonly numSites: number;
  readonly numDemand: number;
  private readonly weight: Float64Array;
  private readonly attr: Float64Array;
  private readonly demandIndex: GridIndex;
  private readonly rowStart: Int32Array;
  private readonly rowSite: Int32Array;
  private readonly rowU: Float64Array;
  private readonly siteStart: Int32Array;
  private readonly sitePos: Int32Array;
  private readonly siteDemand: Int32Array;
  private readonly totalDemand: number;
  private readonly scratch: Float64Array;

  /** Utilities come from a cost file (no drag: an arbitrary position has no costs). */
  readonly fromCosts: boolean;

  /**
   * `options.costs`: site-major costs to the demand points (core/cost-matrix.ts huffCostPairs)
   * replacing haversine distances, in `sites` order.
   */
  constructor(
    demand: Demand, sites: HuffSites, params?: HuffParams,
    options?: { demandIndex?: GridIndex; costs?: SiteCostPairs; signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
  ) {
    this.params = {
      alpha: params?.alpha ?? HUFF_DEFAULTS.alpha,
      beta: params?.beta ?? HUFF_DEFAULTS.beta,
      cutoffM: params?.cutoffM ?? HUFF_DEFAULTS.cutoffM,
      minDistanceM: params?.minDistanceM ?? HUFF_DEFAULTS.minDistanceM,
    };
    const { alpha, beta, cutoffM, minDistanceM } = this.params;
    if (!Number.isFinite(alpha) || !Number.isFinite(beta)) throw new RangeError(`Huff alpha and beta must be finite numbers, got ${alpha} and ${beta}`);
    if (!(cutoffM > 0)) throw new RangeError(`Huff cutoffM must be > 0 metres, got ${cutoffM}`);
    if (!(minDistanceM > 0)) throw new RangeError(`Huff minDistanceM must be > 0 metres, got ${minDistanceM}`);
    const S = sites.lon.length;
    const N = demand.lon.length;
    if (sites.lat.length !== S || sites.owner.length !== S) throw new RangeError(`site arrays differ in length: lon ${S}, lat ${sites.lat.length}, owner ${sites.owner.length}`);
    if (demand.lat.length !== N || demand.weight.length !== N) throw new RangeError(`demand arrays differ in length: lon ${N}, lat ${demand.lat.length}, weight ${demand.weight.length}`);
    this.numSites = S;
    this.numDemand = N;
    this.weight = Float64Array.from(demand.weight);
    for (let i = 0; i < N; i++) {
      if (!(this.weight[i] >= 0) || !Number.isFinite(this.weight[i])) throw new RangeError(`demand weight at index ${i} is ${this.weight[i]}; weights must be finite and ≥ 0`);
    }
    this.attr = new Float64Array(S);
    for (let j = 0; j < S; j++) {
      const a = sites.attractiveness ? sites.attractiveness[j] : 1;
      if (!(a > 0) || !Number.isFinite(a)) throw new RangeError(`attractiveness of site ${j} is ${a}; it must be a number > 0`);
      this.attr[j] = a ** alpha;
    }
    this.owners = [OWN];
    this.ownerOf = new Int32Array(S);
    const ownerIdx = new Map<string, number>([[OWN, 0]]);
    for (let j = 0; j < S; j++) {
      let o = ownerIdx.get(sites.owner[j]);
      if (o === undefined) {
        o = this.owners.length;
        ownerIdx.set(sites.owner[j], o);
        this.owners.push(sites.owner[j]);
      }
      this.ownerOf[j] = o;
    }
    this.demandIndex = options?.demandIndex ?? new GridIndex(demand, Math.min(cutoffM, 2000));

    // Site-major pass gathers pairs; a counting sort turns them demand-major. Pairs go into
    // growing typed arrays: at exact points (200k customers × ~15 sites each) JS arrays of
    // numbers cost seconds and three times the memory.
    const hits = new Hits(1024);
    let pairSite = new Int32Array(1024);
    let pairDemand = new Int32Array(1024);
    let pairU = new Float64Array(1024);
    let nnz = 0;
    const push = (j: number, i: number, u: number) => {
      if (nnz === pairSite.length) {
        const grow = <T extends Int32Array | Float64Array>(a: T): T => { const b = new (a.constructor as new (n: number) => T)(a.length * 2); b.set(a); return b; };
        pairSite = grow(pairSite); pairDemand = grow(pairDemand); pairU = grow(pairU);
      }
      pairSite[nnz] = j; pairDemand[nnz] = i; pairU[nnz] = u; nnz++;
    };
    const siteStart = new Int32Array(S + 1);
    const costs = options?.costs;
    this.fromCosts = costs !== undefined;
    if (costs && costs.offsets.length !== S + 1) throw new RangeError(`cost pairs cover ${costs.offsets.length - 1} sites, the model has ${S}`);
    for (let j = 0; j < S; j++) {
      if ((j & 15) === 0) {
        options?.signal?.throwIfAborted();
        options?.onProgress?.(j, S);
      }
      if (costs) {
        for (let p = costs.offsets[j]; p < costs.offsets[j + 1]; p++) {
          if (!(costs.cost[p] <= cutoffM)) continue;
          push(j, costs.demand[p], this.utility(j, costs.cost[p]));
        }
      } else {
        const n = this.demandIndex.within(sites.lon[j], sites.lat[j], cutoffM, hits);
        for (let h = 0; h < n; h++) push(j, hits.index[h], this.utility(j, hits.distanceM[h]));
      }
      siteStart[j + 1] = nnz;
    }
    options?.onProgress?.(S, S);
    const rowStart = new Int32Array(N + 1);
    for (let p = 0; p < nnz; p++) rowStart[pairDemand[p] + 1]++;
    for (let i = 0; i < N; i++) rowStart[i + 1] += rowStart[i];
    const fill = rowStart.slice(0, N);
    this.rowSite = new Int32Array(nnz);
    this.rowU = new Float64Array(nnz);
    this.sitePos = new Int32Array(nnz);
    for (let p = 0; p < nnz; p++) {
      const q = fill[pairDemand[p]]++;
      this.rowSite[q] = pairSite[p];
      this.rowU[q] = pairU[p];
      this.sitePos[p] = q;
    }
    this.rowStart = rowStart;
    this.siteStart = siteStart;
    this.siteDemand = pairDemand.slice(0, nnz);
    let total = 0;
    for (let i = 0; i < N; i++) total += this.weight[i];
    this.totalDemand = total;
    this.scratch = new Float64Array(S);
  }

  /** A_j^α · max(d, floor)^(−β). */
  private utility(j: number, distanceM: number): number {
    return this.attr[j] * Math.max(distanceM, this.params.minDistanceM) ** -this.params.beta;
  }

  /** Full evaluation; `closed[j]` ≠ 0 removes site j. */
  evaluate(closed?: ArrayLike<number>): HuffResult {
    const { rowStart, rowSite, rowU, weight, ownerOf } = this;
    const siteCaptured = new Float64Array(this.numSites);
    const ownProbability = new Float64Array(this.numDemand);
    let unreached = 0;
    for (let i = 0; i < this.numDemand; i++) {
      let D = 0, own = 0;
      for (let p = rowStart[i]; p < rowStart[i + 1]; p++) {
        const j = rowSite[p];
        if (closed && closed[j]) continue;
        D += rowU[p];
        if (ownerOf[j] === 0) own += rowU[p];
      }
      if (D === 0) {
        unreached += weight[i];
        continue;
      }
      ownProbability[i] = own / D;
      const f = weight[i] / D;
      for (let p = rowStart[i]; p < rowStart[i + 1]; p++) {
        const j = rowSite[p];
        if (!(closed && closed[j])) siteCaptured[j] += f * rowU[p];
      }
    }
    return { ...this.totals(siteCaptured, unreached), ownProbability };
  }

  private totals(siteCaptured: Float64Array, unreached: number): HuffTotals {
    const total = this.totalDemand;
    const byOwner = new Float64Array(this.owners.length);
    for (let j = 0; j < this.numSites; j++) byOwner[this.ownerOf[j]] += siteCaptured[j];
    const reached = total - unreached;
    return {
      totalDemand: total,
      reachedDemand: reached,
      unreachedDemand: unreached,
      ownCapturedDemand: byOwner[0],
      owners: this.owners.map((owner, o) => ({
        owner,
        capturedDemand: byOwner[o],
        sharePct: total > 0 ? (100 * byOwner[o]) / total : NaN,
        marketSharePct: reached > 0 ? (100 * byOwner[o]) / reached : NaN,
      })),
      siteCaptured,
    };
  }

  /**
   * Site j open versus closed, everything else as `closed` says: what j captures, from
   * which sites it takes it (= what they would regain if j closed) and what nobody else
   * reaches. Cannibalisation of a new site = takenFrom restricted to our sites.
   */
  siteImpact(j: number, closed?: ArrayLike<number>): SiteImpact {
    if (!(j >= 0 && j < this.numSites)) throw new RangeError(`site ${j} is not in 0..${this.numSites - 1}`);
    const { rowStart, rowSite, rowU, weight, sitePos } = this;
    if (closed && closed[j]) throw new RangeError(`site ${j} is closed in the given mask; its impact is measured against the network with it open`);
    const taken = this.scratch;
    const touched: number[] = [];
    let captured = 0, newly = 0;
    for (let p = this.siteStart[j]; p < this.siteStart[j + 1]; p++) {
      const q = sitePos[p];
      const uj = rowU[q];
      const i = this.siteDemand[p];
      let Dwo = 0;
      for (let r = rowStart[i]; r < rowStart[i + 1]; r++) {
        const k = rowSite[r];
        if (k !== j && !(closed && closed[k])) Dwo += rowU[r];
      }
      const Dw = Dwo + uj;
      captured += (weight[i] * uj) / Dw;
      if (Dwo === 0) {
        newly += weight[i];
        continue;
      }
      const f = weight[i] * (1 / Dwo - 1 / Dw);
      for (let r = rowStart[i]; r < rowStart[i + 1]; r++) {
        const k = rowSite[r];
        if (k === j || (closed && closed[k])) continue;
        if (taken[k] === 0) touched.push(k);
        taken[k] += f * rowU[r];
      }
    }
    touched.sort((a, b) => a - b);
    const site = Int32Array.from(touched);
    const demand = new Float64Array(touched.length);
    const takenFromOwner = new Float64Array(this.owners.length);
    touched.forEach((k, t) => {
      demand[t] = taken[k];
      takenFromOwner[this.ownerOf[k]] += taken[k];
      taken[k] = 0;
    });
    return { site: j, capturedDemand: captured, takenFrom: { site, demand }, takenFromOwner, newlyReachedDemand: newly };
  }

  /**
   * Starts a live what-if drag of site j (closed sites stay closed). Setup is one pass over
   * all pairs; each `moveTo` then costs only the demand within the cut-off of the new
   * position, independent of where the site was before. To drop a new site, build the
   * model with it appended and drag it: the drag's baseline is the network without it, so
   * baseline().siteCaptured − moveTo(...).siteCaptured is live cannibalisation.
   */
  drag(j: number, closed?: ArrayLike<number>): HuffDrag {
    if (this.fromCosts) throw new RangeError('a Huff model from a cost file cannot drag a site: a new position has no costs');
    return new HuffDrag(this, j, closed);
  }

  /** @internal for HuffDrag */
  internals() {
    return { rowStart: this.rowStart, rowSite: this.rowSite, rowU: this.rowU, weight: this.weight, demandIndex: this.demandIndex };
  }

  /** @internal for HuffDrag */
  totalsOf(siteCaptured: Float64Array, unreached: number): HuffTotals {
    return this.totals(siteCaptured, unreached);
  }

  /** @internal A_j^α · max(d, floor)^(−β) for site j at distanceM. */
  utilityOf(j: number, distanceM: number): number {
    return this.utility(j, distanceM);
  }
}

export class HuffDrag {
  readonly site: number;
  private readonly model: HuffModel;
  private readonly closed?: ArrayLike<number>;
  /** Denominators without the dragged site. */
  private readonly denom: Float64Array;
  /** Our sites' utility per demand point, without the dragged site. */
  private readonly ownDenom: Float64Array;
  /** Demand our other sites capture without the dragged site. */
  private readonly baseOwn: number;
  /** Captured demand per site without the dragged site. */
  private readonly baseCaptured: Float64Array;
  private readonly baseUnreached: number;
  private readonly hits = new Hits(1024);

  constructor(model: HuffModel, j: number, closed?: ArrayLike<number>) {
    if (!(j >= 0 && j < model.numSites)) throw new RangeError(`site ${j} is not in 0..${model.numSites - 1}`);
    this.model = model;
    this.site = j;
    this.closed = closed;
    const { rowStart, rowSite, rowU, weight } = model.internals();
    const N = model.numDemand;
    this.denom = new Float64Array(N);
    this.ownDenom = new Float64Array(N);
    this.baseCaptured = new Float64Array(model.numSites);
    let unreached = 0;
    for (let i = 0; i < N; i++) {
      let D = 0, O = 0;
      for (let p = rowStart[i]; p < rowStart[i + 1]; p++) {
        const k = rowSite[p];
        if (k !== j && !(closed && closed[k])) {
          D += rowU[p];
          if (model.ownerOf[k] === 0) O += rowU[p];
        }
      }
      this.denom[i] = D;
      this.ownDenom[i] = O;
      if (D === 0) {
        unreached += weight[i];
        continue;
      }
      const f = weight[i] / D;
      for (let p = rowStart[i]; p < rowStart[i + 1]; p++) {
        const k = rowSite[p];
        if (k !== j && !(closed && closed[k])) this.baseCaptured[k] += f * rowU[p];
      }
    }
    this.baseUnreached = unreached;
    let own = 0;
    for (let k = 0; k < model.numSites; k++) if (model.ownerOf[k] === 0) own += this.baseCaptured[k];
    this.baseOwn = own;
  }

  /**
   * The dragged site at (lon, lat), totals by owner class only: what it captures, our whole
   * network's captured demand, and what it takes from our other sites and from competitors
   * (versus the network without it). Same numbers as moveTo, but each demand point within
   * the cut-off costs O(1) instead of a pass over the sites competing for it — a live drag
   * at exact points (200k customers, 60k of them within 5 km) stays within a frame.
   */
  moveShares(lon: number, lat: number): { siteCaptured: number; ownCaptured: number; unreached: number; takenFromOwn: number; takenFromOthers: number; affectedDemandPoints: number } {
    const m = this.model;
    const { weight, demandIndex } = m.internals();
    const j = this.site;
    let captured = 0, takenOwn = 0, takenOthers = 0;
    let unreached = this.baseUnreached;
    const n = demandIndex.within(lon, lat, m.params.cutoffM, this.hits);
    for (let h = 0; h < n; h++) {
      const i = this.hits.index[h];
      const u = m.utilityOf(j, this.hits.distanceM[h]);
      const Dm = this.denom[i];
      const Dn = Dm + u;
      captured += (weight[i] * u) / Dn;
      if (Dm === 0) {
        unreached -= weight[i];
        continue;
      }
      const f = weight[i] * (1 / Dm - 1 / Dn);
      const O = this.ownDenom[i];
      takenOwn += f * O;
      takenOthers += f * (Dm - O);
    }
    const ownCaptured = this.baseOwn - takenOwn + (m.ownerOf[j] === 0 ? captured : 0);
    return { siteCaptured: captured, ownCaptured, unreached, takenFromOwn: takenOwn, takenFromOthers: takenOthers, affectedDemandPoints: n };
  }

  /** Totals of the network without the dragged site. */
  baseline(): HuffTotals {
    return this.model.totalsOf(this.baseCaptured.slice(), this.baseUnreached);
  }

  /** Totals with the dragged site at (lon, lat). Cost: demand within the cut-off of that point. */
  moveTo(lon: number, lat: number): HuffTotals & { affectedDemandPoints: number } {
    const m = this.model;
    const { rowStart, rowSite, rowU, weight, demandIndex } = m.internals();
    const j = this.site;
    const closed = this.closed;
    const captured = this.baseCaptured.slice();
    let unreached = this.baseUnreached;
    const n = demandIndex.within(lon, lat, m.params.cutoffM, this.hits);
    for (let h = 0; h < n; h++) {
      const i = this.hits.index[h];
      const u = m.utilityOf(j, this.hits.distanceM[h]);
      const Dm = this.denom[i];
      const Dn = Dm + u;
      captured[j] += (weight[i] * u) / Dn;
      if (Dm === 0) {
        unreached -= weight[i];
        continue;
      }
      const f = weight[i] * (1 / Dn - 1 / Dm);
      for (let p = rowStart[i]; p < rowStart[i + 1]; p++) {
        const k = rowSite[p];
        if (k !== j && !(closed && closed[k])) captured[k] += f * rowU[p];
      }
    }
    return { ...m.totalsOf(captured, unreached), affectedDemandPoints: n };
  }
}
