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
import type { Demand, SiteProgress } from './coverage.ts';
import { GainHeap } from './gain-heap.ts';
import { HUFF_DEFAULTS, HuffModel, OWN, type HuffParams, type HuffSites } from './huff.ts';
import { prepareSelection } from './site-selection.ts';
import { GridIndex, Hits, type Points } from './spatial-index.ts';
import { haversineM } from './haversine.ts';
import { HuffCostGains } from './huff-cost-gains.ts';
import { candidateAttr, checkWeights, decayOf, greedyPicks, lazyGreedy, type GreedyPicks, type GreedyState, type HuffSelectionInput, type HuffSelectionResult, type SelectOptions } from './huff-greedy.ts';

export { HuffCostGains } from './huff-cost-gains.ts';
export type { GreedyPicks, HuffSelectionInput, HuffSelectionResult } from './huff-greedy.ts';

export function solveHuffGreedy(input: HuffSelectionInput, options: SelectOptions): HuffSelectionResult {
  if (!Number.isInteger(options.k) || options.k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${options.k}`);
  if (!input.costs) return new HuffGains(input, options).solve(input.demand.weight, options);
  const before = new HuffModel(input.demand, input.sites, input.huff, { costs: input.costs.sites, signal: options.signal }).evaluate();
  const g = new HuffCostGains({ ...input, costs: input.costs }, options);
  return lazyGreedy(input.candidates, options, g.state(input.demand.weight, before.ownCapturedDemand, before.totalDemand));
}

/**
 * Huff site selection at exact demand points with straight-line distances, prepared once for
 * any number of weightings of the same points (the bootstrap re-solves with resampled
 * weights). What does not depend on the weights is computed here: our and everybody's
 * utility per point from the existing network, the points grouped in squares, and per
 * candidate a bound factor per square within reach. A candidate's pairs with the points are
 * never stored (200k points × 10k candidates within 5 km would be ~10⁸ pairs): its exact gain
 * is summed over the spatial index when lazy greedy asks for it, and the heap starts from
 * upper bounds Σ_square φ · open weight, so only candidates that may win are summed point by
 * point.
 *
 * The bound: a point's gain from a new site of utility u is w·(1 − s)·u / (D + u), s = O/D
 * its current own share (gain w where D = 0): increasing in u, decreasing in D. A square's
 * points lie within r of its centroid, so each is at least d − r from a candidate d away;
 * φ = u(d − r) / (min D + u(d − r)) and the open weight Σ w(1 − s) bound what the square can
 * give. Gains only shrink as sites are added (submodular), so the bounds hold throughout.
 */
export class HuffGains {
  private readonly input: HuffSelectionInput;
  private readonly own0: Float64Array;
  private readonly all0: Float64Array;
  private readonly index: GridIndex;
  /**
   * Per-point arrays here (own0, all0, the weights a solve sums) are laid out in the index's
   * order — `order[p]` is the demand point at position p, `pos` the inverse — and the gains
   * read them through withinByPosition: the points of a candidate's disc are then runs in
   * memory, not scattered reads. The hits come in the same sequence either way, so the sums
   * are term for term those over the points in their own order.
   */
  private readonly order: Int32Array;
  private readonly pos: Int32Array;
  private readonly attr: Float64Array;
  private readonly p: { alpha: number; beta: number; cutoffM: number; floorM: number };
  /** d ↦ max(d, floor)^−β. */
  private readonly decay: (d: number) => number;
  /** Square of each point, and per candidate (CSR) the squares within reach with their φ. */
  private readonly square: Int32Array;
  private readonly numSquares: number;
  private readonly boundStart: Int32Array;
  private readonly boundSquare: Int32Array;
  private readonly boundPhi: Float32Array;

  constructor(input: HuffSelectionInput, hooks: { signal?: AbortSignal; onProgress?: (p: SiteProgress) => void } = {}) {
    this.input = input;
    const huff = input.huff;
    const p = {
      alpha: huff?.alpha ?? HUFF_DEFAULTS.alpha, beta: huff?.beta ?? HUFF_DEFAULTS.beta,
      cutoffM: huff?.cutoffM ?? HUFF_DEFAULTS.cutoffM, floorM: huff?.minDistanceM ?? HUFF_DEFAULTS.minDistanceM,
    };
    if (!(p.cutoffM > 0) || !(p.floorM > 0)) throw new RangeError(`Huff cutoffM and minDistanceM must be > 0 metres, got ${p.cutoffM} and ${p.floorM}`);
    this.p = p;
    const decay = (this.decay = decayOf(p.beta, p.floorM));
    const { demand, sites, candidates } = input;
    const N = demand.lon.length, C = candidates.lon.length;
    this.attr = Float64Array.from({ length: C }, (_, c) => candidateAttr(candidates, c, p.alpha));
    this.index = new GridIndex(demand, Math.min(p.cutoffM, 2000));
    const order = (this.order = this.index.order);
    const pos = (this.pos = new Int32Array(N));
    for (let q = 0; q < N; q++) pos[order[q]] = q;
    const hits = new Hits(1024);
    const own = new Float64Array(N), all = new Float64Array(N);
    for (let j = 0; j < sites.lon.length; j++) {
      const a = sites.attractiveness ? sites.attractiveness[j] : 1;
      if (!(a > 0) || !Number.isFinite(a)) throw new RangeError(`attractiveness of site ${j} is ${a}; it must be a number > 0`);
      const aa = a ** p.alpha;
      const n = this.index.withinByPosition(sites.lon[j], sites.lat[j], p.cutoffM, hits);
      for (let h = 0; h < n; h++) {
        const u = aa * decay(hits.distanceM[h]);
        all[hits.index[h]] += u;
        if (sites.owner[j] === OWN) own[hits.index[h]] += u;
      }
    }
    this.own0 = own;
    this.all0 = all;

    // Squares of about cutoff/10 in a local equirectangular frame (only the grouping uses it;
    // distances are haversine).
    this.square = new Int32Array(N);
    let minLon = Infinity, minLat = Infinity, sumLat = 0;
    for (let i = 0; i < N; i++) { minLon = Math.min(minLon, demand.lon[i]); minLat = Math.min(minLat, demand.lat[i]); sumLat += demand.lat[i]; }
    const sideM = Math.max(100, p.cutoffM / 10);
    const kx = (111_320 * Math.cos(((N > 0 ? sumLat / N : 0) * Math.PI) / 180)) / sideM, ky = 110_574 / sideM;
    const squareOf = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const key = Math.floor((demand.lon[i] - minLon) * kx) * 1_048_576 + Math.floor((demand.lat[i] - minLat) * ky);
      let q = squareOf.get(key);
      if (q === undefined) { q = squareOf.size; squareOf.set(key, q); }
      this.square[i] = q;
    }
    const K = (this.numSquares = squareOf.size);
    const cx = new Float64Array(K), cy = new Float64Array(K), cnt = new Float64Array(K), r = new Float64Array(K), minD = new Float64Array(K).fill(Infinity);
    for (let i = 0; i < N; i++) {
      const q = this.square[i];
      cx[q] += demand.lon[i]; cy[q] += demand.lat[i]; cnt[q]++;
      if (all[pos[i]] < minD[q]) minD[q] = all[pos[i]];
    }
    for (let q = 0; q < K; q++) { cx[q] /= cnt[q]; cy[q] /= cnt[q]; }
    let rMax = 0;
    for (let i = 0; i < N; i++) {
      const q = this.square[i];
      const d = haversineM(cx[q], cy[q], demand.lon[i], demand.lat[i]);
      if (d > r[q]) { r[q] = d; if (d > rMax) rMax = d; }
    }
    const squares = new GridIndex({ lon: cx, lat: cy }, Math.min(p.cutoffM, 2000));
    this.boundStart = new Int32Array(C + 1);
    let bs = new Int32Array(1024), bp = new Float32Array(1024), nnz = 0;
    for (let c = 0; c < C; c++) {
      if ((c & 255) === 0) {
        hooks.signal?.throwIfAborted();
        hooks.onProgress?.({ stage: 'bounds', done: c, total: C });
      }
      const m = squares.within(candidates.lon[c], candidates.lat[c], p.cutoffM + rMax, hits);
      for (let h = 0; h < m; h++) {
        const q = hits.index[h];
        const dMin = hits.distanceM[h] - r[q];
        if (dMin > p.cutoffM) continue;
        const u = this.attr[c] * decay(dMin);
        if (nnz === bs.length) {
          const s2 = new Int32Array(nnz * 2); s2.set(bs); bs = s2;
          const p2 = new Float32Array(nnz * 2); p2.set(bp); bp = p2;
        }
        bs[nnz] = q;
        // Float32 rounds: nudge up so φ stays an upper bound.
        bp[nnz] = Math.fround(u / (minD[q] + u)) * (1 + 1e-6);
        nnz++;
      }
      this.boundStart[c + 1] = nnz;
    }
    hooks.onProgress?.({ stage: 'bounds', done: C, total: C });
    this.boundSquare = bs.slice(0, nnz);
    this.boundPhi = bp.slice(0, nnz);
  }

  /** Our captured demand with the existing network, for these weights: Σ w·O/D. */
  capturedBefore(weight: ArrayLike<number>): number {
    let t = 0;
    const { own0, all0, pos } = this;
    for (let i = 0; i < weight.length; i++) { const q = pos[i]; if (all0[q] > 0) t += (weight[i] * own0[q]) / all0[q]; }
    return t;
  }

  /** Greedy + report order for the demand weighted by `weight` (same points). */
  solve(weight: ArrayLike<number>, options: SelectOptions): HuffSelectionResult {
    checkWeights(weight, this.own0.length);
    return lazyGreedy(this.input.candidates, options, this.state(weight));
  }

  /** The chosen candidates for the demand weighted by `weight`, in greedy order (no report order). */
  picks(weight: ArrayLike<number>, options: SelectOptions): GreedyPicks {
    checkWeights(weight, this.own0.length);
    return greedyPicks(this.input.candidates, options, this.state(weight));
  }

  /**
   * Several weightings of the same points (bootstrap replicates) solved together. A
   * replicate only reweights the points, so every exact gain is a sum over the same pairs
   * (candidate c, point i within the cut-off) with the same utilities; only the weights and,
   * after picks, each replicate's own/all per point differ. The replicates run the lazy
   * greedy in lockstep, round by round, and whenever one needs c's exact gain, c's pairs are
   * walked once and its gain summed for every replicate still picking, at that replicate's
   * state (weights and own/all stored point-major, a point's `size` values side by side). The
   * replicates mostly need the same candidates in a round, so most of these sums are used
   * where computed; an older one is still an upper bound (gains only shrink) and is tried
   * before a new walk. Same terms, same order as gain(): each replicate picks what
   * picks(weight) picks, bit for bit.
   *
   * Memory: about 24 · size bytes per demand point and 30 · size per candidate; the caller
   * sizes the batch. `fill(b, w)` writes weighting b into w (zeroed, length N).
   */
  batch(size: number, fill: (b: number, weight: Float64Array) => void): HuffBatch {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a whole number ≥ 1, got ${size}`);
    const N = this.own0.length, m = size;
    const W = new Float64Array(N * m);
    const scratch = new Float64Array(N);
    for (let b = 0; b < m; b++) {
      scratch.fill(0);
      fill(b, scratch);
      checkWeights(scratch, N);
      for (let q = 0; q < N; q++) W[q * m + b] = scratch[this.order[q]];
    }
    return { size: m, solve: (options) => this.lockstep(W, m, options) };
  }

  private lockstep(W: Float64Array, m: number, options: SelectOptions): GreedyPicks[] {
    const k = options.k;
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`);
    const N = this.own0.length, C = this.attr.length;
    const { own0, all0, attr, index, decay, boundStart, boundSquare, boundPhi, square, pos } = this;
    const { cutoffM } = this.p;
    const cl = this.input.candidates.lon, ct = this.input.candidates.lat;
    const own = new Float64Array(N * m), all = new Float64Array(N * m);
    for (let q = 0; q < N; q++) for (let b = 0; b < m; b++) { own[q * m + b] = own0[q]; all[q * m + b] = all0[q]; }
    const hits = new Hits(1024);
    const addTo = (b: number, c: number) => {
      const n = index.withinByPosition(cl[c], ct[c], cutoffM, hits);
      for (let h = 0; h < n; h++) {
        const u = attr[c] * decay(hits.distanceM[h]);
        const x = hits.index[h] * m + b;
        own[x] += u;
        all[x] += u;
      }
    };
    // Per replicate: its constraints (spacing is stateful), picks and heap.
    const reps = Array.from({ length: m }, () => {
      const prep = prepareSelection(cl, ct, options);
      if (prep.pinned.length > k) throw new RangeError(`${prep.pinned.length} sites are pinned but k is ${k}; raise k or unpin sites`);
      return { prep, chosen: [] as number[], gains: [] as number[], isChosen: new Uint8Array(C), heap: new GainHeap(C), finished: false };
    });
    for (let b = 0; b < m; b++) {
      const R = reps[b];
      for (const c of R.prep.pinned) { R.chosen.push(c); R.gains.push(NaN); R.isChosen[c] = 1; addTo(b, c); R.prep.spacing?.add(c); }
    }
    // Start bounds (square bounds under each replicate's weights), one pass over the bound entries.
    const open = new Float64Array(this.numSquares * m);
    for (let i = 0; i < N; i++) {
      const q = pos[i];
      const s0 = all0[q] > 0 ? 1 - own0[q] / all0[q] : 1;
      for (let b = 0; b < m; b++) open[square[i] * m + b] += W[q * m + b] * s0;
    }
    const bound = new Float64Array(m);
    for (let c = 0; c < C; c++) {
      bound.fill(0);
      for (let t = boundStart[c]; t < boundStart[c + 1]; t++) {
        const phi = boundPhi[t], q = boundSquare[t] * m;
        for (let b = 0; b < m; b++) bound[b] += phi * open[q + b];
      }
      for (let b = 0; b < m; b++) {
        const R = reps[b];
        if (!R.prep.allowed[c] || R.isChosen[c] || !(bound[b] > 0)) continue;
        R.heap.push(c, bound[b] * (1 + 1e-9) + 1e-12);
      }
    }
    // Latest exact gain per (candidate, replicate), and the replicate's pick count then + 1 (0: none).
    const value = new Float64Array(C * m);
    const stamp = new Int32Array(C * m);
    const act = new Int32Array(m);
    const acc = new Float64Array(m);
    const evalAll = (c: number) => {
      let na = 0;
      for (let b = 0; b < m; b++) if (!reps[b].finished && !reps[b].isChosen[c]) act[na++] = b;
      acc.fill(0);
      const n = index.withinByPosition(cl[c], ct[c], cutoffM, hits);
      for (let h = 0; h < n; h++) {
        const u = attr[c] * decay(hits.distanceM[h]);
        const base = hits.index[h] * m;
        for (let t = 0; t < na; t++) {
          const x = base + act[t];
          const o = own[x], a = all[x];
          // The very expression gain() sums, at this replicate's state.
          acc[t] += W[x] * ((o + u) / (a + u) - (a > 0 ? o / a : 0));
        }
      }
      for (let t = 0; t < na; t++) {
        const b = act[t];
        value[c * m + b] = acc[t];
        stamp[c * m + b] = reps[b].chosen.length + 1;
      }
    };
    /** One lazy-greedy pick for replicate b (or none: it is finished). */
    const step = (b: number) => {
      const R = reps[b];
      const { heap, prep } = R;
      while (heap.size > 0) {
        options.signal?.throwIfAborted();
        const v = heap.topGain();
        const c = heap.pop();
        if (prep.spacing && !prep.spacing.canAdd(c)) continue;
        const r1 = R.chosen.length + 1, x = c * m + b;
        if (stamp[x] !== r1) {
          if (stamp[x] > 0) {
            // An older exact gain bounds this one (inflated: floating point); try it first.
            const ub = value[x] * (1 + 1e-9) + 1e-12;
            if (ub < v) { heap.push(c, ub); continue; }
          }
          evalAll(c);
        }
        const g = value[x];
        if (g <= 0) continue;
        if (!heap.beats(c, g)) { heap.push(c, g); continue; }
        R.isChosen[c] = 1;
        R.chosen.push(c);
        R.gains.push(g);
        addTo(b, c);
        prep.spacing?.add(c);
        return;
      }
      R.finished = true;
    };
    for (let round = 0; ; round++) {
      let any = false;
      for (let b = 0; b < m; b++) {
        const R = reps[b];
        if (R.finished) continue;
        if (R.chosen.length >= k) { R.finished = true; continue; }
        step(b);
        any = true;
      }
      if (!any) break;
      options.onProgress?.({ stage: 'greedy', done: Math.min(round + 1, k), total: k });
    }
    return reps.map((R) => ({ candidates: R.chosen, gains: R.gains, pinned: Array.from(R.prep.pinned), warnings: R.prep.warnings }));
  }

  /** The lazy greedy's view of the points under `weight`: square bounds, gains summed over the index. */
  private state(weight: ArrayLike<number>): GreedyState {
    const N = this.own0.length;
    const { order, pos } = this;
    const own = this.own0.slice(), all = this.all0.slice();
    // The weights in the index's order, as own and all are.
    const w = new Float64Array(N);
    for (let q = 0; q < N; q++) w[q] = weight[order[q]];
    const open = new Float64Array(this.numSquares);
    let total = 0;
    for (let i = 0; i < N; i++) {
      const wi = weight[i], q = pos[i];
      total += wi;
      open[this.square[i]] += wi * (all[q] > 0 ? 1 - own[q] / all[q] : 1);
    }
    const { boundStart, boundSquare, boundPhi, attr, index, decay } = this;
    const { cutoffM } = this.p;
    const cl = this.input.candidates.lon, ct = this.input.candidates.lat;
    const hits = new Hits(1024);
    return {
      own, all, total, capturedBefore: this.capturedBefore(weight),
      bound: (c) => {
        let b = 0;
        for (let t = boundStart[c]; t < boundStart[c + 1]; t++) b += boundPhi[t] * open[boundSquare[t]];
        return b > 0 ? b * (1 + 1e-9) + 1e-12 : 0;
      },
      gain: (c) => {
        const n = index.withinByPosition(cl[c], ct[c], cutoffM, hits);
        let g = 0;
        for (let h = 0; h < n; h++) {
          const q = hits.index[h];
          const u = attr[c] * decay(hits.distanceM[h]);
          g += w[q] * ((own[q] + u) / (all[q] + u) - (all[q] > 0 ? own[q] / all[q] : 0));
        }
        return g;
      },
      add: (c) => {
        const n = index.withinByPosition(cl[c], ct[c], cutoffM, hits);
        for (let h = 0; h < n; h++) {
          const u = attr[c] * decay(hits.distanceM[h]);
          own[hits.index[h]] += u;
          all[hits.index[h]] += u;
        }
      },
    };
  }
}

/** Weightings of one HuffGains' points solved together, sharing the walks over the pairs (HuffGains.batch). */
export interface HuffBatch {
  readonly size: number;
  /** The picks for every weighting, in order, each as HuffGains.picks would give them. */
  solve(options: SelectOptions): GreedyPicks[];
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
