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
import { demandSitesOf, type CoverageProblem } from './coverage.ts';
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
  // Demand → its candidates (kept with the coverage sets; core/point-coverage.ts builds it with its atoms).
  const { offsets: tOff, sites: tSite } = demandSitesOf(problem.candidates);
  // Only demand that some allowed candidate can newly cover takes part.
  const act = activeDemand(w, problem.existingCovered, tOff, tSite, prep.allowed);
  const A = act.length;
  const active = new Uint8Array(w.length);
  for (let q = 0; q < A; q++) active[act[q]] = 1;
  const lambda = new Float64Array(w.length);
  for (let q = 0; q < A; q++) lambda[act[q]] = w[act[q]] / 2;
  const pinned = new Set(prep.pinned);
  const freeList: number[] = [];
  for (let j = 0; j < numSites; j++) if (prep.allowed[j] && !pinned.has(j)) freeList.push(j);
  const free = Int32Array.from(freeList);
  const kFree = Math.max(0, k - prep.pinned.length);
  // Scores are kept up to date from the multipliers that changed (most saturate at 0 or w_i
  // within a few steps), through the demand → candidate transpose (scores of candidates not
  // free change too but are never read); a full recount every 16 iterations keeps rounding
  // from drifting.
  const score = new Float64Array(numSites);
  const cover = new Int32Array(w.length);
  const g = new Int32Array(A);
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
    if ((it & 15) === 0) {
      options?.signal?.throwIfAborted();
      for (const j of free) score[j] = setSum(offsets, demand, lambda, j);
    }
    // Budget units: a full pass over the sets per iteration (what mclp.ts's budget was set for).
    work += offsets[numSites];
    const top = topK(free, score, kFree);
    const chosen = [...prep.pinned, ...top];
    let L = base;
    for (const j of top) L += score[j];
    // Pinned sites' scores are fixed terms of the relaxed objective too.
    for (const j of prep.pinned) L += setSum(offsets, demand, lambda, j);
    L = slackSum(act, w, lambda, L);
    if (bound === Infinity || L < bound - 1e-12 * Math.max(1, bound)) { bound = L; stale = 0; } else if (++stale >= 15) { mu /= 2; stale = 0; }

    let covered = base;
    for (const j of chosen) for (let p = offsets[j]; p < offsets[j + 1]; p++) {
      const i = demand[p];
      if (cover[i]++ === 0 && active[i]) covered += w[i];
    }
    recordStart(starts, chosen, covered, keep);
    lowerBound = Math.max(lowerBound, covered);
    // A bound within 0.01 % of the best known coverage is as good as the report needs.
    const done = bound - lowerBound <= 1e-4 * Math.max(1, lowerBound);
    // Subgradient of L at λ: y_i − Σ_j a_ij x_j, with y_i = 1 where w_i > λ_i.
    const norm = done ? 0 : subgradient(act, w, lambda, cover, g);
    for (const j of chosen) for (let p = offsets[j]; p < offsets[j + 1]; p++) cover[demand[p]] = 0;
    if (done || norm === 0) break;
    stepMultipliers(act, w, lambda, g, (mu * (L - lowerBound)) / norm, tOff, tSite, score);
  }
  return { bound: Math.min(bound, problem.totalDemand), starts: starts.map((s) => s.set), iterations: it, work };
}

/** Ascending indices of the demand with weight > 0, not covered by an existing site, covered by an allowed candidate. */
function activeDemand(w: Float64Array, existingCovered: Uint8Array, tOff: Int32Array, tSite: Int32Array, allowed: Uint8Array): Int32Array {
  const N = w.length;
  const out = new Int32Array(N);
  let n = 0;
  for (let i = 0; i < N; i++) {
    if (!(w[i] > 0) || existingCovered[i]) continue;
    for (let p = tOff[i]; p < tOff[i + 1]; p++) if (allowed[tSite[p]]) { out[n++] = i; break; }
  }
  return out.slice(0, n);
}

/** Σ λ_i over site j's set. */
function setSum(offsets: Int32Array, demand: Int32Array, lambda: Float64Array, j: number): number {
  let s = 0;
  for (let p = offsets[j]; p < offsets[j + 1]; p++) s += lambda[demand[p]];
  return s;
}

/** L + Σ max(0, w_i − λ_i) over the active demand, added in order. */
function slackSum(act: Int32Array, w: Float64Array, lambda: Float64Array, L: number): number {
  for (let q = 0; q < act.length; q++) {
    const i = act[q];
    if (w[i] > lambda[i]) L += w[i] - lambda[i];
  }
  return L;
}

/** The subgradient y_i − cover_i over the active demand into g; returns its squared norm. */
function subgradient(act: Int32Array, w: Float64Array, lambda: Float64Array, cover: Int32Array, g: Int32Array): number {
  let norm = 0;
  for (let q = 0; q < act.length; q++) {
    const i = act[q];
    const d = (w[i] > lambda[i] ? 1 : 0) - cover[i];
    g[q] = d;
    norm += d * d;
  }
  return norm;
}

/** λ ← clamp(λ + step·g, 0, w), pushing each change into the scores of the sites covering it. */
function stepMultipliers(act: Int32Array, w: Float64Array, lambda: Float64Array, g: Int32Array, step: number, tOff: Int32Array, tSite: Int32Array, score: Float64Array): void {
  for (let q = 0; q < act.length; q++) {
    const gi = g[q];
    if (gi === 0) continue;
    const i = act[q];
    const next = Math.min(w[i], Math.max(0, lambda[i] + step * gi));
    const d = next - lambda[i];
    if (d === 0) continue;
    lambda[i] = next;
    for (let p = tOff[i]; p < tOff[i + 1]; p++) score[tSite[p]] += d;
  }
}

/** The k entries of `ids` with the largest score (ties: lower id), in a bounded min-heap's order. */
function topK(ids: Int32Array, score: Float64Array, k: number): number[] {
  if (k <= 0) return [];
  if (k >= ids.length) return Array.from(ids);
  // A bounded min-heap keeps this O(n log k); heap[0] is the worst kept.
  const heap = new Int32Array(k);
  let size = 0;
  for (let q = 0; q < ids.length; q++) {
    const j = ids[q], sj = score[j];
    if (size < k) {
      let p = size++;
      heap[p] = j;
      while (p > 0) {
        const parent = (p - 1) >> 1, h = heap[parent], sh = score[h];
        // Stop unless j is worse than its parent.
        if (!(sj < sh || (sj === sh && j > h))) break;
        heap[p] = h; heap[parent] = j;
        p = parent;
      }
    } else {
      const h0 = heap[0], s0 = score[h0];
      if (!(s0 < sj || (s0 === sj && h0 > j))) continue;
      heap[0] = j;
      siftDown(heap, score, size);
    }
  }
  return Array.from(heap);
}

function siftDown(heap: Int32Array, score: Float64Array, size: number): void {
  let p = 0;
  for (;;) {
    const l = 2 * p + 1, r = l + 1;
    let m = p;
    if (l < size && worse(heap[l], heap[m], score)) m = l;
    if (r < size && worse(heap[r], heap[m], score)) m = r;
    if (m === p) return;
    const t = heap[p]; heap[p] = heap[m]; heap[m] = t;
    p = m;
  }
}

function worse(a: number, b: number, score: Float64Array): boolean {
  return score[a] < score[b] || (score[a] === score[b] && a > b);
}

function recordStart(starts: { set: number[]; covered: number; key: string }[], set: number[], covered: number, keep: number): void {
  const key = [...set].sort((a, b) => a - b).join(',');
  if (starts.some((s) => s.key === key)) return;
  if (starts.length >= keep && covered <= starts[starts.length - 1].covered) return;
  starts.push({ set, covered, key });
  starts.sort((a, b) => b.covered - a.covered);
  if (starts.length > keep) starts.pop();
}
