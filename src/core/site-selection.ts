/**
 * What every site-selection solver shares: which candidates may be chosen (pins,
 * exclusions, exclusion-zone mask), minimum spacing between new sites, and the report
 * order of DESIGN.md — rank 1 is the site with the largest marginal gain, each later rank
 * the largest gain given existing sites and the ranks before it.
 */
import type { CoverageProblem, SiteWarning } from './coverage.ts';
import { GridIndex, Hits } from './spatial-index.ts';

export interface SelectionConstraints {
  /** Candidate indices that must be chosen; they count towards k. */
  pinned?: readonly number[];
  /** Candidate indices that must not be chosen. */
  excluded?: readonly number[];
  /** Candidate mask from exclusion zones drawn by the user: 0 = may not be chosen. Pins override it (with a warning). */
  allowed?: ArrayLike<number>;
  /** Minimum distance in metres between any two new sites (pinned included); 0 = none. */
  minSpacingM?: number;
}

export interface PreparedSelection {
  allowed: Uint8Array;
  pinned: Int32Array;
  spacing: SpacingGuard | null;
  warnings: SiteWarning[];
}

/** Validates the constraints against candidates at (candidateLon, candidateLat). */
export function prepareSelection(candidateLon: ArrayLike<number>, candidateLat: ArrayLike<number>, c: SelectionConstraints): PreparedSelection {
  const n = candidateLon.length;
  const allowed = new Uint8Array(n).fill(1);
  const warnings: SiteWarning[] = [];
  if (c.allowed) {
    if (c.allowed.length !== n) throw new RangeError(`allowed mask has ${c.allowed.length} entries for ${n} candidates`);
    for (let j = 0; j < n; j++) if (!c.allowed[j]) allowed[j] = 0;
  }
  const check = (j: number, what: string) => {
    if (!Number.isInteger(j) || j < 0 || j >= n) throw new RangeError(`${what} candidate index ${j} is not in 0..${n - 1}`);
  };
  for (const j of c.excluded ?? []) {
    check(j, 'excluded');
    allowed[j] = 0;
  }
  const pinnedSet = new Set<number>();
  for (const j of c.pinned ?? []) {
    check(j, 'pinned');
    if ((c.excluded ?? []).includes(j)) throw new RangeError(`candidate ${j} is both pinned and excluded; remove it from one of the lists`);
    if (!allowed[j]) warnings.push({ code: 'pinned_in_exclusion_zone', params: { candidate: j } });
    allowed[j] = 1;
    pinnedSet.add(j);
  }
  const minSpacingM = c.minSpacingM ?? 0;
  if (!(minSpacingM >= 0)) throw new RangeError(`minSpacingM must be ≥ 0 metres, got ${minSpacingM}`);
  const spacing = minSpacingM > 0 ? new SpacingGuard(candidateLon, candidateLat, minSpacingM) : null;
  const pinned = Int32Array.from(pinnedSet);
  if (spacing) {
    for (const a of pinned) for (const b of spacing.neighbours(a)) {
      if (b > a && pinnedSet.has(b)) warnings.push({ code: 'pinned_too_close', params: { a, b, minSpacingM } });
    }
  }
  return { allowed, pinned, spacing, warnings };
}

/**
 * Tracks, for every candidate, how many chosen sites lie closer than the minimum spacing
 * and the sum of their ids — enough to tell in O(1) whether a candidate can be added
 * (count 0) or swapped in for chosen site s (count 0, or count 1 and sum = s).
 */
export class SpacingGuard {
  readonly minSpacingM: number;
  readonly count: Int32Array;
  readonly idSum: Float64Array;
  private readonly index: GridIndex;
  private readonly hits = new Hits();
  private readonly lon: ArrayLike<number>;
  private readonly lat: ArrayLike<number>;

  constructor(lon: ArrayLike<number>, lat: ArrayLike<number>, minSpacingM: number) {
    this.lon = lon;
    this.lat = lat;
    this.minSpacingM = minSpacingM;
    this.index = new GridIndex({ lon, lat }, minSpacingM);
    this.count = new Int32Array(lon.length);
    this.idSum = new Float64Array(lon.length);
  }

  /** Candidates strictly closer than the spacing to candidate j (j itself included). */
  neighbours(j: number): number[] {
    const n = this.index.within(this.lon[j], this.lat[j], this.minSpacingM, this.hits);
    const out: number[] = [];
    for (let h = 0; h < n; h++) if (this.hits.distanceM[h] < this.minSpacingM) out.push(this.hits.index[h]);
    return out;
  }

  add(j: number): void {
    for (const b of this.neighbours(j)) { this.count[b]++; this.idSum[b] += j; }
  }

  remove(j: number): void {
    for (const b of this.neighbours(j)) { this.count[b]--; this.idSum[b] -= j; }
  }

  /** Forget every chosen site. */
  reset(): void {
    this.count.fill(0);
    this.idSum.fill(0);
  }

  canAdd(j: number): boolean {
    return this.count[j] === 0;
  }

  /** True when j may replace chosen site s. */
  canSwap(j: number, s: number): boolean {
    const c = this.count[j];
    return c === 0 || (c === 1 && this.idSum[j] === s);
  }
}

/** One reported site (DESIGN.md CLI `sites`: rank, marginal_demand, covered_demand, coverage_pct). */
export interface RankedSite {
  rank: number;
  candidate: number;
  /** Demand first covered by this site given existing sites and lower ranks. */
  marginalDemand: number;
  /** Demand covered by existing sites and ranks 1..this. */
  coveredDemand: number;
  /** 100 · coveredDemand / total demand; NaN when total demand is 0. */
  coveragePct: number;
  pinned: boolean;
}

/** Orders a chosen set for reporting: each rank takes the largest marginal gain left (ties: lower index). */
export function rankSites(problem: CoverageProblem, chosen: ArrayLike<number>, pinned?: ArrayLike<number>): RankedSite[] {
  const { offsets, demand } = problem.candidates;
  const w = problem.weight;
  const covered = problem.existingCovered.slice();
  const left = Array.from(chosen);
  const pinnedSet = new Set(Array.from(pinned ?? []));
  const out: RankedSite[] = [];
  let cum = problem.existingCoveredDemand;
  while (left.length > 0) {
    let best = -1, bestGain = -1;
    for (let q = 0; q < left.length; q++) {
      const j = left[q];
      let g = 0;
      for (let p = offsets[j]; p < offsets[j + 1]; p++) if (!covered[demand[p]]) g += w[demand[p]];
      if (g > bestGain || (g === bestGain && j < left[best])) { bestGain = g; best = q; }
    }
    const j = left[best];
    left.splice(best, 1);
    for (let p = offsets[j]; p < offsets[j + 1]; p++) covered[demand[p]] = 1;
    cum += bestGain;
    out.push({
      rank: out.length + 1,
      candidate: j,
      marginalDemand: bestGain,
      coveredDemand: cum,
      coveragePct: problem.totalDemand > 0 ? (100 * cum) / problem.totalDemand : NaN,
      pinned: pinnedSet.has(j),
    });
  }
  return out;
}

/** rankSites without the sites that add no demand (pinned ones stay), ranked 1.. again. */
export function rankAddingSites(problem: CoverageProblem, chosen: ArrayLike<number>, pinned?: ArrayLike<number>): RankedSite[] {
  return rankSites(problem, chosen, pinned)
    .filter((s) => s.marginalDemand > 0 || s.pinned)
    .map((s, q) => ({ ...s, rank: q + 1 }));
}

/** Demand covered by existing sites ∪ the given candidates. */
export function coveredDemandOf(problem: CoverageProblem, chosen: ArrayLike<number>): number {
  const { offsets, demand } = problem.candidates;
  const covered = problem.existingCovered.slice();
  let t = problem.existingCoveredDemand;
  for (let q = 0; q < chosen.length; q++) {
    const j = chosen[q];
    for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = demand[p];
      if (!covered[i]) { covered[i] = 1; t += problem.weight[i]; }
    }
  }
  return t;
}
