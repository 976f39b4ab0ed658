/**
 * Where a closed site's customers go. Under the Huff model (huff.ts) a demand point i splits
 * its weight w_i over the sites within the cut-off in proportion to their utilities U_ij. The
 * closed sites' catchment at i is what they captured there, c_i = w_i · Σ_{j closed} U_ij / D_i
 * (D_i = Σ_j U_ij). Closing them rescales the remaining probabilities (Huff's independence of
 * irrelevant alternatives): a remaining site k gains c_i · U_ik / (D_i − Σ_closed U_ij) at i; a
 * point with no remaining site within the cut-off leaves c_i unreached.
 *
 * Summed over points the gains equal siteCapturedAfter − siteCapturedBefore of
 * `HuffModel.evaluate` (closure.ts), the catchment sums to the closed sites' captured demand,
 * and catchment = Σ gains + unreached.
 */
import type { HuffModel } from './huff.ts';

export interface ClosureFlows {
  /** Per demand point: demand the closed sites captured there before (their catchment); 0 outside it. */
  catchment: Float64Array;
  /** Per demand point: the remaining site that picks up most of it, or −1 (outside the catchment, or nothing left in reach). */
  mainRecipient: Int32Array;
  /** Per site: demand it picks up from the closed sites (0 for the closed sites themselves). */
  gained: Float64Array;
  /** Σ catchment: demand the closed sites captured. */
  released: number;
  /** Part of `released` at points where no site is left within the cut-off. */
  unreached: number;
}

/** The closed sites' catchment and its reassignment; `closed[j]` ≠ 0 closes site j. */
export function closureFlows(model: HuffModel, closed: ArrayLike<number>): ClosureFlows {
  if (closed.length !== model.numSites) throw new RangeError(`closed mask has ${closed.length} entries for ${model.numSites} sites`);
  const { rowStart, rowSite, rowU, weight } = model.internals();
  const N = model.numDemand;
  const catchment = new Float64Array(N);
  const mainRecipient = new Int32Array(N).fill(-1);
  const gained = new Float64Array(model.numSites);
  let released = 0, unreached = 0;
  for (let i = 0; i < N; i++) {
    let D = 0, Dc = 0;
    for (let p = rowStart[i]; p < rowStart[i + 1]; p++) {
      D += rowU[p];
      if (closed[rowSite[p]]) Dc += rowU[p];
    }
    if (Dc === 0 || !(weight[i] > 0)) continue;
    const c = (weight[i] * Dc) / D;
    catchment[i] = c;
    released += c;
    const rest = D - Dc;
    if (!(rest > 0)) {
      unreached += c;
      continue;
    }
    let best = -1, bestU = 0;
    for (let p = rowStart[i]; p < rowStart[i + 1]; p++) {
      const j = rowSite[p];
      if (closed[j]) continue;
      gained[j] += (c * rowU[p]) / rest;
      if (rowU[p] > bestU) (bestU = rowU[p]), (best = j);
    }
    mainRecipient[i] = best;
  }
  return { catchment, mainRecipient, gained, released, unreached };
}
