/**
 * HiGHS (npm `highs`, the Edinburgh MILP solver compiled to WebAssembly) for the exact
 * site-selection models. The solver instance is a parameter of every exact function, so
 * this module stays pure; `loadHighs` is the one lazy loader callers may use.
 *
 * Locating the wasm: under Node the loader finds `highs.wasm` beside itself. In a Vite
 * bundle, pass `locateFile`, e.g. in the analysis worker
 *   import wasmUrl from 'highs/runtime?url';
 *   const highs = await loadHighs({ locateFile: () => wasmUrl });
 * (or `wasmBinary` / `wasmModule`). The first call's options win; later calls share the
 * same promise so concurrent callers never load it twice.
 */
import type { Highs, InitOptions, ModelData } from 'highs';
import type { SiteProgress } from './coverage.ts';

export type { Highs, InitOptions } from 'highs';

let loading: Promise<Highs> | null = null;

export function loadHighs(options?: InitOptions): Promise<Highs> {
  loading ??= import('highs').then((m) => m.default(options)).catch((e: unknown) => {
    loading = null; // let a caller retry, e.g. with another locateFile
    throw e;
  });
  return loading;
}

export type MipStatus = 'optimal' | 'time_limit' | 'interrupted' | 'infeasible' | 'error';

export interface MipOptions {
  /** Wall-clock limit in seconds (default 60). */
  timeLimitS?: number;
  /** Full-length start vector (e.g. the greedy solution); HiGHS checks it, it need not be feasible. */
  start?: Float64Array;
  /**
   * Checked at HiGHS's MIP checkpoints. HiGHS runs synchronously, so an abort sent
   * from another thread is only seen if the signal can flip while the solver blocks
   * (it cannot through postMessage); rely on timeLimitS for a hard stop.
   */
  signal?: AbortSignal;
  onProgress?: (p: SiteProgress & { objective?: number; bound?: number; gap?: number }) => void;
  /** Further HiGHS options by their native names (e.g. { mip_heuristic_effort: 0.2 }). */
  highsOptions?: Readonly<Record<string, boolean | number | string>>;
}

export interface MipOutcome {
  status: MipStatus;
  /** Column values of the best solution found (null when none). */
  colValue: Float64Array | null;
  /** Objective of the best solution, offset included; NaN when none. */
  objective: number;
  /** Best proven bound on the objective (offset included). */
  bound: number;
  /** HiGHS's relative gap |objective − bound| / |objective|; 0 when proven optimal. */
  gap: number;
  timeS: number;
}

/** Runs a MILP with mip_rel_gap 0 (exact up to HiGHS's 1e-6 absolute gap default). */
export function runMip(highs: Highs, data: ModelData, options?: MipOptions): MipOutcome {
  options?.signal?.throwIfAborted();
  const model = highs.createModel(data);
  try {
    model.options.set({ output_flag: false, mip_rel_gap: 0, time_limit: options?.timeLimitS ?? 60, ...options?.highsOptions });
    if (options?.start) model.setSolution({ colValue: options.start });
    const cb = highs.constants.callbackType;
    const limitS = options?.timeLimitS ?? 60;
    const run = model.run({
      [cb.mipInterrupt]: (e) => {
        if (options?.signal?.aborted) e.interrupt();
      },
      [cb.mipLogging]: (e) => {
        options?.onProgress?.({
          stage: 'exact',
          done: Math.min(e.data.running_time ?? 0, limitS),
          total: limitS,
          objective: e.data.mip_primal_bound,
          bound: e.data.mip_dual_bound,
          gap: e.data.mip_gap,
        });
      },
    });
    const ms = highs.constants.modelStatus;
    const code = run.modelStatus;
    const status: MipStatus =
      code === ms.optimal ? 'optimal'
        : code === ms.timeLimit ? 'time_limit'
          : code === ms.interrupted ? 'interrupted'
            : code === ms.infeasible ? 'infeasible' : 'error';
    const hasSolution = Number(model.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
    const objective = hasSolution ? model.getObjectiveValue() : NaN;
    const bound = Number(model.info.get('mip_dual_bound'));
    const gap = status === 'optimal' ? 0 : Number(model.info.get('mip_gap'));
    return {
      status,
      colValue: hasSolution ? model.getSolution().colValue : null,
      objective,
      bound,
      gap,
      timeS: model.getRunTime(),
    };
  } finally {
    model.dispose();
  }
}

/**
 * Demand rows of a covering MILP, reduced: only demand with weight > 0, not covered by
 * existing sites and reachable by some allowed candidate; demand points with the same set
 * of covering candidates collapse into one row with their summed weight (exactly
 * equivalent: such points are covered together or not at all).
 */
export interface DemandGroups {
  count: number;
  weight: Float64Array;
  /** group → candidate indices, compressed rows. */
  offsets: Int32Array;
  candidates: Int32Array;
}

export function groupDemand(problem: { weight: Float64Array; existingCovered: Uint8Array; candidates: { numSites: number; offsets: Int32Array; demand: Int32Array } }, allowed: Uint8Array): DemandGroups {
  const { offsets, demand, numSites } = problem.candidates;
  const n = problem.weight.length;
  const deg = new Int32Array(n + 1);
  for (let j = 0; j < numSites; j++) {
    if (!allowed[j]) continue;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) deg[demand[p] + 1]++;
  }
  for (let i = 0; i < n; i++) deg[i + 1] += deg[i];
  const fill = deg.slice(0, n);
  const byDemand = new Int32Array(deg[n]);
  // Iterating candidates in order leaves every demand point's list sorted.
  for (let j = 0; j < numSites; j++) {
    if (!allowed[j]) continue;
    for (let p = offsets[j]; p < offsets[j + 1]; p++) byDemand[fill[demand[p]]++] = j;
  }
  const groupOf = new Map<string, number>();
  const weights: number[] = [];
  const gOff: number[] = [0];
  const gCand: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = problem.weight[i];
    if (!(w > 0) || problem.existingCovered[i] || deg[i] === deg[i + 1]) continue;
    const list = byDemand.subarray(deg[i], deg[i + 1]);
    const key = list.join(',');
    const g = groupOf.get(key);
    if (g !== undefined) {
      weights[g] += w;
      continue;
    }
    groupOf.set(key, weights.length);
    weights.push(w);
    for (const j of list) gCand.push(j);
    gOff.push(gCand.length);
  }
  return { count: weights.length, weight: Float64Array.from(weights), offsets: Int32Array.from(gOff), candidates: Int32Array.from(gCand) };
}
