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

/**
 * The part every covering MILP shares: binary columns x_j for the candidates flagged
 * `useful` (pinned ones fixed to 1), then one column 0 ≤ y_g ≤ 1 per demand group; the rows
 * y_g ≤ Σ_{j covers g} x_j, and x_a + x_b ≤ 1 for candidates closer than the minimum
 * spacing (a pair the caller pinned together is accepted). A model adds its own rows with
 * `addRow` and sets `colCost`.
 */
export class CoverageModel {
  /** candidate → column, −1 when the candidate has none. */
  readonly colOf: Int32Array;
  /** column → candidate, for the x columns 0 .. nx−1. */
  readonly colCand: number[] = [];
  readonly nx: number;
  readonly numCols: number;
  readonly colCost: Float64Array;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  readonly integrality: Int32Array;
  private readonly starts: number[] = [0];
  private readonly indices: number[] = [];
  private readonly values: number[] = [];
  private readonly rowLower: number[] = [];
  private readonly rowUpper: number[] = [];

  constructor(
    private readonly highs: Highs,
    readonly groups: DemandGroups,
    useful: Uint8Array,
    prep: { pinned: ArrayLike<number>; spacing: { neighbours(j: number): Iterable<number> } | null },
  ) {
    this.colOf = new Int32Array(useful.length).fill(-1);
    for (let j = 0; j < useful.length; j++) if (useful[j]) { this.colOf[j] = this.colCand.length; this.colCand.push(j); }
    const nx = (this.nx = this.colCand.length);
    this.numCols = nx + groups.count;
    this.colCost = new Float64Array(this.numCols);
    this.colLower = new Float64Array(this.numCols);
    for (const j of Array.from(prep.pinned)) this.colLower[this.colOf[j]] = 1;
    this.colUpper = new Float64Array(this.numCols).fill(1);
    this.integrality = new Int32Array(this.numCols);
    this.integrality.fill(highs.constants.variableType.integer, 0, nx);

    for (let g = 0; g < groups.count; g++) {
      this.indices.push(nx + g); this.values.push(1);
      for (let p = groups.offsets[g]; p < groups.offsets[g + 1]; p++) {
        const c = this.colOf[groups.candidates[p]];
        if (c >= 0) { this.indices.push(c); this.values.push(-1); }
      }
      this.endRow(-highs.infinity, 0);
    }
    if (prep.spacing) {
      const pinned = new Set(Array.from(prep.pinned));
      for (let c = 0; c < nx; c++) {
        const a = this.colCand[c];
        for (const b of prep.spacing.neighbours(a)) {
          if (b <= a || this.colOf[b] < 0 || (pinned.has(a) && pinned.has(b))) continue;
          this.indices.push(c, this.colOf[b]); this.values.push(1, 1);
          this.endRow(-highs.infinity, 1);
        }
      }
    }
  }

  get numRows(): number {
    return this.rowLower.length;
  }

  /** lower ≤ Σ coef·column ≤ upper (use ±highs.infinity for an open side). */
  addRow(columns: ArrayLike<number>, coefs: ArrayLike<number>, lower: number, upper: number): void {
    for (let i = 0; i < columns.length; i++) { this.indices.push(columns[i]); this.values.push(coefs[i]); }
    this.endRow(lower, upper);
  }

  /** A full start vector from chosen x columns: y_g = 1 where a chosen column covers g. */
  start(chosenCols: Iterable<number>): Float64Array {
    const { groups, nx } = this;
    const x = new Float64Array(this.numCols);
    for (const c of chosenCols) if (c >= 0) x[c] = 1;
    for (let g = 0; g < groups.count; g++) {
      for (let p = groups.offsets[g]; p < groups.offsets[g + 1]; p++) {
        const c = this.colOf[groups.candidates[p]];
        if (c >= 0 && x[c] === 1) { x[nx + g] = 1; break; }
      }
    }
    return x;
  }

  /** The candidates chosen in a solution's column values. */
  chosen(colValue: Float64Array | null): number[] {
    const out: number[] = [];
    if (colValue) for (let c = 0; c < this.nx; c++) if (colValue[c] > 0.5) out.push(this.colCand[c]);
    return out;
  }

  model(sense: 'maximize' | 'minimize', offset = 0): ModelData {
    const { numCols, numRows } = this;
    return {
      numCols, numRows, sense: this.highs.constants.objectiveSense[sense], offset,
      colCost: this.colCost, colLower: this.colLower, colUpper: this.colUpper,
      rowLower: this.rowLower, rowUpper: this.rowUpper,
      matrix: { format: 'csr', numRows, numCols, starts: this.starts, indices: this.indices, values: this.values },
      integrality: this.integrality,
    };
  }

  private endRow(lower: number, upper: number): void {
    this.starts.push(this.indices.length); this.rowLower.push(lower); this.rowUpper.push(upper);
  }
}
