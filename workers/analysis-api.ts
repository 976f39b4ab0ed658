/**
 * The analysis worker's contract: statistics from src/core, run off the UI thread. A plain
 * class so Node tests call it directly; workers/analysis.worker.ts exposes it with comlink.
 */
import { classBreaks, type ClassMethod } from '../src/core/classify.ts';
import { TaskRegistry } from './tasks.ts';
// --- risk (issue 4) imports ---
import type { IndicatorTable } from '../src/core/indicator-table.ts';
import { prepareRiskAt, type PreparedRisk, type ScoreParams } from '../src/core/risk-index.ts';
import { riskUncertainty, type UncertaintyResult } from '../src/core/risk-uncertainty.ts';
import type { ProgressFn } from './tasks.ts';
// --- end risk imports ---

// --- hotspots (issue 5) imports ---
import * as Comlink from 'comlink';
import type { Geometry } from 'geojson';
import { HotspotEngine, resultBuffers, type AssignResult, type ComputeRequest, type ComputeResult, type GridView, type StabilityResult, type TypologyResult } from './hotspot-engine.ts';
import type { ProgressFn as HotspotProgressFn } from './tasks.ts';
// --- end hotspots imports ---

export class AnalysisApi {
  protected readonly tasks = new TaskRegistry();

  /** Class breaks of a numeric column for a choropleth (see src/core/classify.ts). */
  classify(values: Float64Array, k: number, method: ClassMethod): number[] {
    return classBreaks(values, k, method);
  }

  // ----- risk (issue 4) ---------------------------------------------------------------
  // Preparing (resolving d: indicators, normalising with all three methods) happens here,
  // once per indicator set: 12 periods × 500 areas × 10 indicators took 16–35 ms
  // (bench/risk-ui.bench.ts), over the one-frame budget. Scoring (weights, directions,
  // tiers: ~0.3 ms per period at that size) runs on the UI thread, so a slider never waits
  // for a round trip. The Monte Carlo (~250 ms for 1,000 draws) reports progress and cancels.

  /** Prepared scores for every period of `table`, for the given indicator references. */
  riskPrepareSeries(table: IndicatorTable, columns: string[]): PreparedRisk[] {
    const indicators = columns.map((column) => ({ column }));
    return table.periods.map((_, p) => prepareRiskAt(table, indicators, p));
  }

  /** Rank uncertainty (seeded Monte Carlo over weights and normalisation), cancellable by task id. */
  riskUncertainty(
    prepared: PreparedRisk,
    params: ScoreParams,
    opts: { draws?: number; seed?: number; concentration?: number },
    taskId: number,
    onProgress?: ProgressFn,
  ): Promise<UncertaintyResult> {
    return this.tasks.run(taskId, (signal) =>
      riskUncertainty(prepared, params, {
        ...opts,
        signal,
        onProgress: (done, total) => onProgress?.({ step: 'risk.mc.progress', fraction: done / total }),
      }),
    );
  }
  // ----- end risk ---------------------------------------------------------------------

  // ----- hotspots (issue 5) -----------------------------------------------------------
  // State and logic live in workers/hotspot-engine.ts; these methods add task ids (cancel),
  // progress callbacks and transfers. Assignment uses one helper worker besides this one.
  private hotspotEngine: HotspotEngine | null = null;

  private get hotspots(): HotspotEngine {
    this.hotspotEngine ??= new HotspotEngine({
      spawnAssignWorker:
        typeof Worker === 'undefined'
          ? undefined
          : () => new Worker(new URL('./hotspot-assign.worker.ts', import.meta.url), { type: 'module', name: 'hotspot-assign' }),
      assignHelpers: typeof navigator === 'undefined' ? 1 : Math.max(1, Math.min(3, (navigator.hardwareConcurrency || 2) - 1)),
    });
    return this.hotspotEngine;
  }

  /** The study areas' geometries (file order); `key` identifies the dataset. */
  hotspotsSetAreas(key: string, geometries: Geometry[]): void {
    this.hotspots.setAreas(key, geometries);
  }

  hotspotsGrid(resolution: number): GridView {
    const g = this.hotspots.grid(resolution);
    return Comlink.transfer(g, [g.areaIndex.buffer, g.lon.buffer, g.lat.buffer, g.areaCellCount.buffer] as ArrayBuffer[]);
  }

  hotspotsHasCustomers(key: string): boolean {
    return this.hotspots.hasCustomers(key);
  }

  /** Customers' `rid, lon, lat` as Arrow IPC (decoded and kept here for every resolution). */
  hotspotsSetCustomers(key: string, ipc: Uint8Array): { rows: number; invalid: number } {
    return this.hotspots.setCustomers(key, ipc);
  }

  /** Customers → cells at `resolution`; returns the derived table as Arrow IPC. */
  hotspotsAssign(resolution: number, taskId: number, onProgress?: HotspotProgressFn): Promise<AssignResult> {
    return this.tasks.run(taskId, async (signal) => {
      const r = await this.hotspots.assign(resolution, signal, (done, total) => onProgress?.({ step: 'hotspots.step.assign', fraction: done / total }));
      return Comlink.transfer(r, [r.ipc.buffer as ArrayBuffer]);
    });
  }

  hotspotsCompute(req: ComputeRequest, taskId: number, onProgress?: HotspotProgressFn): Promise<ComputeResult> {
    return this.tasks.run(taskId, async (signal) => {
      const r = await this.hotspots.compute(req, signal, (done, total) => onProgress?.({ step: 'hotspots.step.permutations', fraction: done / total }));
      return Comlink.transfer(r, resultBuffers(r));
    });
  }

  hotspotsStability(inputs: { resolution: number; classCode: Uint8Array }[], minLevel: 90 | 95 | 99): StabilityResult {
    return this.hotspots.stability(inputs, minLevel);
  }

  hotspotsRollup(resolution: number, cells: BigUint64Array, columns: Float64Array[]): Float64Array[] {
    return this.hotspots.rollupToAreas(resolution, cells, columns);
  }

  hotspotsTypology(profiles: Float64Array, dims: number, k: number, seed: number): TypologyResult {
    return this.hotspots.typology(profiles, dims, k, seed);
  }
  // ----- end hotspots -----------------------------------------------------------------

  cancel(taskId: number): boolean {
    return this.tasks.cancel(taskId);
  }
}
