/**
 * A sparse travel-cost table (DESIGN.md `--costs F`: demand_id, site_id, cost — road distance
 * or travel time, in the unit of R) replacing haversine distances. A missing pair is
 * unreachable. Pairs arrive as integer columns (the database resolves ids to indices and
 * streams the file), stored demand-major as compressed rows, typed arrays only.
 */
import type { ReachSource } from './point-coverage.ts';
import type { Hits } from './spatial-index.ts';

export interface CostPairs {
  /** Demand point index (in the demand file's order). */
  demand: Int32Array;
  /** Candidate index. */
  site: Int32Array;
  cost: Float64Array;
}

export interface CostTable {
  numDemand: number;
  numCandidates: number;
  /** demand → (candidate, cost), compressed rows. */
  offsets: Int32Array;
  site: Int32Array;
  cost: Float64Array;
  /** Lowest cost from each demand point to one of our existing sites (Infinity: none reachable). */
  existingCost: Float64Array;
}

/** Builds the table; `existing` are pairs to our existing sites (their site index is ignored). */
export function buildCostTable(numDemand: number, numCandidates: number, candidates: CostPairs, existing: { demand: Int32Array; cost: Float64Array }): CostTable {
  const n = candidates.demand.length;
  const offsets = new Int32Array(numDemand + 1);
  for (let p = 0; p < n; p++) {
    const i = candidates.demand[p], j = candidates.site[p], c = candidates.cost[p];
    if (!(i >= 0 && i < numDemand) || !(j >= 0 && j < numCandidates)) throw new RangeError(`cost pair ${p} names demand ${i} / candidate ${j}, out of range`);
    if (!(c >= 0)) throw new RangeError(`cost pair ${p} has cost ${c}; costs must be ≥ 0`);
    offsets[i + 1]++;
  }
  for (let i = 0; i < numDemand; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, numDemand);
  const site = new Int32Array(n), cost = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const q = fill[candidates.demand[p]]++;
    site[q] = candidates.site[p];
    cost[q] = candidates.cost[p];
  }
  const existingCost = new Float64Array(numDemand).fill(Infinity);
  for (let p = 0; p < existing.demand.length; p++) {
    const i = existing.demand[p];
    if (i >= 0 && i < numDemand && existing.cost[p] < existingCost[i]) existingCost[i] = existing.cost[p];
  }
  return { numDemand, numCandidates, offsets, site, cost, existingCost };
}

/**
 * Coverage from costs: candidate j covers point q when cost(source[q], j) ≤ radius; an
 * existing site covers it when its lowest existing cost is ≤ radius. `source[q]` is the
 * table row of demand point q (points outside the study area are left out of the demand).
 */
export function costReach(table: CostTable, radius: number, source: ArrayLike<number>): ReachSource {
  return {
    candidatesOf(q: number, out: Hits): number {
      out.count = 0;
      const i = source[q];
      for (let p = table.offsets[i]; p < table.offsets[i + 1]; p++) if (table.cost[p] <= radius) out.push(table.site[p], table.cost[p]);
      return out.count;
    },
    existingCovers: (q) => table.existingCost[source[q]] <= radius,
  };
}

/**
 * The p-median's distances from costs: candidate-major pairs (every stored pair) and each
 * point's cost to the nearest existing site, both capped at `capCost` (the stand-in for
 * "unreachable", so the objective stays finite; choose it above every real cost).
 */
export function costDistances(table: CostTable, source: ArrayLike<number>, capCost: number): { pairs: { offsets: Int32Array; demand: Int32Array; distanceM: Float64Array }; dExist: Float64Array } {
  const N = source.length;
  const C = table.numCandidates;
  const offsets = new Int32Array(C + 1);
  for (let q = 0; q < N; q++) for (let p = table.offsets[source[q]]; p < table.offsets[source[q] + 1]; p++) offsets[table.site[p] + 1]++;
  for (let j = 0; j < C; j++) offsets[j + 1] += offsets[j];
  const fill = offsets.slice(0, C);
  const demand = new Int32Array(offsets[C]), distanceM = new Float64Array(offsets[C]);
  for (let q = 0; q < N; q++) {
    for (let p = table.offsets[source[q]]; p < table.offsets[source[q] + 1]; p++) {
      const r = fill[table.site[p]]++;
      demand[r] = q;
      distanceM[r] = Math.min(table.cost[p], capCost);
    }
  }
  const dExist = Float64Array.from({ length: N }, (_, q) => Math.min(table.existingCost[source[q]], capCost));
  return { pairs: { offsets, demand, distanceM }, dExist };
}
