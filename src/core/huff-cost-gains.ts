/**
 * Huff site selection with a cost file's costs (DESIGN.md `--costs`): the cost replaces the
 * distance in the decay, a missing pair does not compete.
 */
import { HUFF_DEFAULTS, OWN } from './huff.ts';
import type { Points } from './spatial-index.ts';
import { candidateAttr, checkWeights, greedyPicks, type GreedyPicks, type GreedyState, type HuffSelectionInput, type SelectOptions } from './huff-greedy.ts';

/**
 * Huff site selection with a cost file's costs, prepared once for any number of weightings
 * of the same points: our and everybody's utility per point from the existing network, and
 * per candidate its (point, utility) pairs within the cut-off. Every gain is summed over the
 * pairs, so the heap starts from the exact gains.
 */
export class HuffCostGains {
  private readonly candidates: Points;
  private readonly own0: Float64Array;
  private readonly all0: Float64Array;
  private readonly offsets: Int32Array;
  private readonly pd: Int32Array;
  private readonly pu: Float64Array;

  constructor(input: HuffSelectionInput & { costs: NonNullable<HuffSelectionInput['costs']> }, hooks: { signal?: AbortSignal } = {}) {
    const alpha = input.huff?.alpha ?? HUFF_DEFAULTS.alpha;
    const beta = input.huff?.beta ?? HUFF_DEFAULTS.beta;
    const cutoffM = input.huff?.cutoffM ?? HUFF_DEFAULTS.cutoffM;
    const floorM = input.huff?.minDistanceM ?? HUFF_DEFAULTS.minDistanceM;
    const N = input.demand.lon.length;
    const C = input.candidates.lon.length;
    const costs = input.costs;
    if (costs.sites.offsets.length !== input.sites.lon.length + 1 || costs.candidates.offsets.length !== C + 1) {
      throw new RangeError(`cost pairs cover ${costs.sites.offsets.length - 1} sites and ${costs.candidates.offsets.length - 1} candidates; expected ${input.sites.lon.length} and ${C}`);
    }
    this.candidates = input.candidates;
    // Per demand point: our utility O and everybody's D, from the existing network.
    const own = (this.own0 = new Float64Array(N));
    const all = (this.all0 = new Float64Array(N));
    const A = input.sites.attractiveness;
    for (let j = 0; j < input.sites.lon.length; j++) {
      const a = (A ? A[j] : 1) ** alpha;
      for (let p = costs.sites.offsets[j]; p < costs.sites.offsets[j + 1]; p++) {
        if (!(costs.sites.cost[p] <= cutoffM)) continue;
        const i = costs.sites.demand[p];
        const u = a * Math.max(costs.sites.cost[p], floorM) ** -beta;
        all[i] += u;
        if (input.sites.owner[j] === OWN) own[i] += u;
      }
    }
    // Candidate → (demand, utility) pairs within the cut-off, from the cost file.
    const cc = costs.candidates;
    this.offsets = new Int32Array(C + 1);
    let n = 0;
    for (let p = 0; p < cc.cost.length; p++) if (cc.cost[p] <= cutoffM) n++;
    this.pd = new Int32Array(n);
    this.pu = new Float64Array(n);
    n = 0;
    for (let c = 0; c < C; c++) {
      if ((c & 1023) === 0) hooks.signal?.throwIfAborted();
      const a = candidateAttr(input.candidates, c, alpha);
      for (let p = cc.offsets[c]; p < cc.offsets[c + 1]; p++) {
        if (!(cc.cost[p] <= cutoffM)) continue;
        this.pd[n] = cc.demand[p];
        this.pu[n++] = a * Math.max(cc.cost[p], floorM) ** -beta;
      }
      this.offsets[c + 1] = n;
    }
  }

  /** Our captured demand with the existing network, for these weights: Σ w·O/D. */
  capturedBefore(weight: ArrayLike<number>): number {
    let t = 0;
    for (let i = 0; i < weight.length; i++) if (this.all0[i] > 0) t += (weight[i] * this.own0[i]) / this.all0[i];
    return t;
  }

  /** The chosen candidates for the demand weighted by `weight` (same points), in greedy order: for the bootstrap. */
  picks(weight: ArrayLike<number>, options: SelectOptions): GreedyPicks {
    checkWeights(weight, this.own0.length);
    return greedyPicks(this.candidates, options, this.state(weight, NaN, NaN));
  }

  /** @internal the lazy greedy's view of these pairs under `weight`. */
  state(weight: ArrayLike<number>, capturedBefore: number, total: number): GreedyState {
    const own = this.own0.slice(), all = this.all0.slice();
    const { offsets, pd, pu } = this;
    const w = weight;
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
    return { own, all, gain, add, bound: gain, known: gain, capturedBefore, total };
  }
}
