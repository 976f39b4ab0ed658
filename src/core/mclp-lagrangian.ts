/**
 * Lagrangian relaxation of the MCLP (Galvão & ReVelle 1996; Galvão, Espejo & Boffey 2000):
 * dualise y_i ≤ Σ_{j covers i} x_j with multipliers λ_i ≥ 0, giving
 *
 *   L(λ) = Σ_i max(0, w_i − λ_i) + (sum of the k largest scores s_j = Σ_{i ∈ N_j} λ_i),
 *
 * an upper bound on covered demand for every λ, minimised by subgradient steps
 * (Held, Wolfe & Crowder 1974). Each step's top-k sites are a feasible solution; the best
 * ones seed the local search. So the heuristic gets, besides better starts, a proven bound
 * on how far from optimal it can be — without a MILP solver.
 *
 * Pinned sites are always in the top k; exclusions drop out; minimum spacing is not
 * relaxed but the bound ignores it (it stays valid, only looser).
 */
import type { CoverageProblem } from './coverage.ts';
import type { PreparedSelection } from './site-selection.ts';

export interface LagrangianOutcome {
  /** Upper bound on demand covered by existing ∪ any k allowed candidates. */
  bound: number;
  /** Distinct top-k sets that covered the most demand, best first. */
  starts: number[][];
  iterations: number;
  /** Candidate–demand pairs visited. */
  work: number;
}

export function lagrangianMclp(problem: CoverageProblem, prep: PreparedSelection, k: number, lowerBound: number, options?: { maxIterations?: number; keepStarts?: number; signal?: AbortSignal }): LagrangianOutcome {
  const { offsets, demand, numSites } = problem.candidates;
  const w = problem.weight;
  const N = w.length;
  // Only demand that some allowed candidate can newly cover takes part.
  const active = new Uint8Array(N);
  for (let j = 0; j < numSites; j++) {
    if (!prep.allowed[j]) continue;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = demand[p];
      if (w[i] > 0 && !problem.existingCovered[i]) active[i] = 1;
    }
  }
  const lambda = new Float64Array(N);
  for (let i = 0; i < N; i++) if (active[i]) lambda[i] = w[i] / 2;
  const pinned = new Set(prep.pinned);
  const free: number[] = [];
  for (let j = 0; j < numSites; j++) if (prep.allowed[j] && !pinned.has(j)) free.push(j);
  const kFree = Math.max(0, k - prep.pinned.length);
  const score = new Float64Array(numSites);
  // Scores are kept up to date from the multipliers that changed (most saturate at 0 or w_i
  // within a few steps), through the atom → free-candidate transpose; a full recount every
  // 16 iterations keeps rounding from drifting.
  const tOff = new Int32Array(N + 1);
  for (const j of free) for (let p = offsets[j]; p < offsets[j + 1]; p++) tOff[demand[p] + 1]++;
  for (let i = 0; i < N; i++) tOff[i + 1] += tOff[i];
  const tFill = tOff.slice(0, N);
  const tSite = new Int32Array(tOff[N]);
  for (const j of free) for (let p = offsets[j]; p < offsets[j + 1]; p++) tSite[tFill[demand[p]]++] = j;
  const cover = new Int32Array(N);
  const base = problem.existingCoveredDemand;
  let bound = Infinity;
  let mu = 2;
  let stale = 0;
  const maxIterations = options?.maxIterations ?? 200;
  const keep = options?.keepStarts ?? 3;
  const starts: { set: number[]; covered: number; key: string }[] = [];
  let work = 0;
  let it = 0;
  for (; it < maxIterations && mu > 1e-4; it++) {
    if ((it & 15) === 0) options?.signal?.throwIfAborted();
    if ((it & 15) === 0) {
      for (const j of free) {
        let s = 0;
        for (let p = offsets[j]; p < offsets[j + 1]; p++) s += lambda[demand[p]];
        score[j] = s;
      }
    }
    // Budget units: a full pass over the sets per iteration (what mclp.ts's budget was set for).
    work += offsets[numSites];
    const top = topK(free, score, kFree);
    const chosen = [...prep.pinned, ...top];
    let L = base;
    for (const j of top) L += score[j];
    // Pinned sites' scores are fixed terms of the relaxed objective too.
    for (const j of prep.pinned) { let s = 0; for (let p = offsets[j]; p < offsets[j + 1]; p++) s += lambda[demand[p]]; L += s; }
    for (let i = 0; i < N; i++) if (active[i] && w[i] > lambda[i]) L += w[i] - lambda[i];
    if (bound === Infinity || L < bound - 1e-12 * Math.max(1, bound)) { bound = L; stale = 0; } else if (++stale >= 15) { mu /= 2; stale = 0; }

    cover.fill(0);
    let covered = base;
    for (const j of chosen) for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = demand[p];
      if (cover[i]++ === 0 && active[i]) covered += w[i];
    }
    recordStart(starts, chosen, covered, keep);
    lowerBound = Math.max(lowerBound, covered);
    // A bound within 0.01 % of the best known coverage is as good as the report needs.
    if (bound - lowerBound <= 1e-4 * Math.max(1, lowerBound)) break;

    // Subgradient of L at λ: y_i − Σ_j a_ij x_j, with y_i = 1 where w_i > λ_i.
    let norm = 0;
    for (let i = 0; i < N; i++) {
      if (!active[i]) continue;
      const g = (w[i] > lambda[i] ? 1 : 0) - cover[i];
      norm += g * g;
    }
    if (norm === 0) break;
    const step = (mu * (L - lowerBound)) / norm;
    for (let i = 0; i < N; i++) {
      if (!active[i]) continue;
      const g = (w[i] > lambda[i] ? 1 : 0) - cover[i];
      if (g === 0) continue;
      const next = Math.min(w[i], Math.max(0, lambda[i] + step * g));
      const d = next - lambda[i];
      if (d === 0) continue;
      lambda[i] = next;
      for (let p = tOff[i]; p < tOff[i + 1]; p++) score[tSite[p]] += d;
    }
  }
  return { bound: Math.min(bound, problem.totalDemand), starts: starts.map((s) => s.set), iterations: it, work };
}

/** The k entries of `ids` with the largest score (ties: lower id). */
function topK(ids: number[], score: Float64Array, k: number): number[] {
  if (k <= 0) return [];
  if (k >= ids.length) return [...ids];
  // A bounded min-heap keeps this O(n log k).
  const heap: number[] = [];
  const worse = (a: number, b: number) => score[a] < score[b] || (score[a] === score[b] && a > b);
  const down = (p: number) => {
    for (;;) {
      const l = 2 * p + 1, r = l + 1;
      let m = p;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === p) return;
      [heap[p], heap[m]] = [heap[m], heap[p]];
      p = m;
    }
  };
  for (const j of ids) {
    if (heap.length < k) {
      heap.push(j);
      let p = heap.length - 1;
      while (p > 0) {
        const parent = (p - 1) >> 1;
        if (!worse(heap[p], heap[parent])) break;
        [heap[p], heap[parent]] = [heap[parent], heap[p]];
        p = parent;
      }
    } else if (worse(heap[0], j)) {
      heap[0] = j;
      down(0);
    }
  }
  return heap;
}

function recordStart(starts: { set: number[]; covered: number; key: string }[], set: number[], covered: number, keep: number): void {
  const key = [...set].sort((a, b) => a - b).join(',');
  if (starts.some((s) => s.key === key)) return;
  if (starts.length >= keep && covered <= starts[starts.length - 1].covered) return;
  starts.push({ set, covered, key });
  starts.sort((a, b) => b.covered - a.covered);
  if (starts.length > keep) starts.pop();
}
