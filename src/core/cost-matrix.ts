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
  /**
   * Costs to the network's sites (ours and competitors', by network index), demand → (site,
   * cost) compressed rows; read only when a model needs each site apart (Huff).
   */
  network?: { offsets: Int32Array; site: Int32Array; cost: Float64Array };
}

/**
 * Builds the table; `existing` are pairs to our existing sites (their site index is ignored);
 * `network` (optional) pairs to the network's sites, `site` = network index.
 */
export function buildCostTable(numDemand: number, numCandidates: number, candidates: CostPairs, existing: { demand: Int32Array; cost: Float64Array }, network?: CostPairs): CostTable {
  const { offsets, site, cost } = demandMajor(numDemand, candidates, numCandidates, 'candidate');
  const existingCost = new Float64Array(numDemand).fill(Infinity);
  for (let p = 0; p < existing.demand.length; p++) {
    const i = existing.demand[p];
    if (i >= 0 && i < numDemand && existing.cost[p] < existingCost[i]) existingCost[i] = existing.cost[p];
  }
  const table: CostTable = { numDemand, numCandidates, offsets, site, cost, existingCost };
  if (network) table.network = demandMajor(numDemand, network);
  return table;
}

/** Pairs regrouped by demand point (counting sort), each row by site; `numSites` bounds the site index (checked). */
export function demandMajor(numDemand: number, pairs: CostPairs, numSites = Infinity, what = 'site'): { offsets: Int32Array; site: Int32Array; cost: Float64Array } {
  const n = pairs.demand.length;
  const offsets = new Int32Array(numDemand + 1);
  for (let p = 0; p < n; p++) {
    const i = pairs.demand[p], j = pairs.site[p], c = pairs.cost[p];
    if (!(i >= 0 && i < numDemand) || !(j >= 0 && j < numSites)) throw new RangeError(`cost pair ${p} names demand ${i} / ${what} ${j}, out of range`);
    if (!(c >= 0)) throw new RangeError(`cost pair ${p} has cost ${c}; costs must be ≥ 0`);
    offsets[i + 1]++;
  }
  for (let i = 0; i < numDemand; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, numDemand);
  const site = new Int32Array(n), cost = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const q = fill[pairs.demand[p]]++;
    site[q] = pairs.site[p];
    cost[q] = pairs.cost[p];
  }
  sortCostRows(offsets, site, cost);
  return { offsets, site, cost };
}

/**
 * Each compressed row's entries in increasing site order (ties keep their order), so a table
 * does not depend on the order the pairs arrived in (a database hands them over in none).
 * Insertion sort: rows are short and usually sorted already.
 */
export function sortCostRows(offsets: Int32Array, site: Int32Array, cost: Float64Array): void {
  for (let d = 0; d + 1 < offsets.length; d++) {
    const a = offsets[d], b = offsets[d + 1];
    for (let p = a + 1; p < b; p++) {
      const s = site[p], c = cost[p];
      let q = p - 1;
      while (q >= a && site[q] > s) { site[q + 1] = site[q]; cost[q + 1] = cost[q]; q--; }
      site[q + 1] = s;
      cost[q + 1] = c;
    }
  }
}

/** Site → (demand point, cost) compressed rows: what the Huff model reads from a cost file. */
export interface SiteCostPairs {
  offsets: Int32Array;
  demand: Int32Array;
  cost: Float64Array;
}

/**
 * The cost table turned site-major over the demand points for Huff: `sites` for the network
 * sites `siteIndex` lists (network indices, in the Huff model's site order), `candidates` for
 * the candidates. `source[q]` is demand point q's table row. Pairs a point does not have are
 * absent (that site does not compete for it).
 */
export function huffCostPairs(table: CostTable, source: ArrayLike<number>, siteIndex: readonly number[]): { sites: SiteCostPairs; candidates: SiteCostPairs } {
  if (!table.network && siteIndex.length > 0) throw new RangeError('the cost table was read without the network sites\' costs; Huff needs them');
  const pos = new Map(siteIndex.map((j, k) => [j, k]));
  const net = table.network ?? { offsets: new Int32Array(table.numDemand + 1), site: new Int32Array(0), cost: new Float64Array(0) };
  // A pair listed twice counts once, at its lower cost.
  const siteMajor = (S: number, rows: { offsets: Int32Array; site: Int32Array; cost: Float64Array }, map: (j: number) => number): SiteCostPairs => {
    const offsets = new Int32Array(S + 1);
    const seenAt = new Int32Array(S).fill(-1);
    for (let q = 0; q < source.length; q++) {
      for (let p = rows.offsets[source[q]]; p < rows.offsets[source[q] + 1]; p++) {
        const k = map(rows.site[p]);
        if (k >= 0 && seenAt[k] !== q) { seenAt[k] = q; offsets[k + 1]++; }
      }
    }
    for (let k = 0; k < S; k++) offsets[k + 1] += offsets[k];
    const fill = offsets.slice(0, S);
    const demand = new Int32Array(offsets[S]), cost = new Float64Array(offsets[S]);
    const slot = new Int32Array(S);
    seenAt.fill(-1);
    for (let q = 0; q < source.length; q++) {
      for (let p = rows.offsets[source[q]]; p < rows.offsets[source[q] + 1]; p++) {
        const k = map(rows.site[p]);
        if (k < 0) continue;
        if (seenAt[k] === q) { cost[slot[k]] = Math.min(cost[slot[k]], rows.cost[p]); continue; }
        seenAt[k] = q;
        const r = (slot[k] = fill[k]++);
        demand[r] = q;
        cost[r] = rows.cost[p];
      }
    }
    return { offsets, demand, cost };
  };
  return {
    sites: siteMajor(siteIndex.length, net, (j) => pos.get(j) ?? -1),
    candidates: siteMajor(table.numCandidates, table, (j) => j),
  };
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
