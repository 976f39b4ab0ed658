/**
 * The analysis worker's contract: statistics from src/core, run off the UI thread. A plain
 * class so Node tests call it directly; workers/analysis.worker.ts exposes it with comlink.
 */
import { classBreaks, type ClassMethod } from '../src/core/classify.ts';
import { TaskRegistry } from '../src/pipeline/tasks.ts';
// --- risk (issue 4) imports ---
import type { IndicatorTable } from '../src/core/indicator-table.ts';
import { prepareRiskAt, type PreparedRisk, type ScoreParams } from '../src/core/risk-index.ts';
import { riskUncertainty, type UncertaintyResult } from '../src/core/risk-uncertainty.ts';
import type { ProgressFn } from '../src/pipeline/tasks.ts';
// --- end risk imports ---

// --- hotspots (issue 5) imports ---
import * as Comlink from 'comlink';
import type { Geometry } from 'geojson';
import { HotspotEngine, resultBuffers, type AssignResult, type ComputeRequest, type ComputeResult, type GridView, type StabilityResult, type TypologyResult } from '../src/pipeline/hotspots/hotspot-engine.ts';
import type { ProgressFn as HotspotProgressFn } from '../src/pipeline/tasks.ts';
// --- end hotspots imports ---

// --- sites (issue 6) imports ---
import type { DragTarget, DragUpdate } from '../src/pipeline/sites/sites-whatif.ts';
import { SitesEngine, type ClosureRequest, type ClosureView, type RationaliseRow, type RunRequest, type RunView, type ScenarioView, type SitesInputs } from '../src/pipeline/sites/sites-engine.ts';
import { localRunner, workerRunner } from '../src/pipeline/sites/sites-runner.ts';
import type { ProgressFn as SitesProgressFn } from '../src/pipeline/tasks.ts';
// --- end sites imports ---

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

  // ----- sites (issue 6) --------------------------------------------------------------
  // State and logic live in workers/sites-engine.ts. A recommendation runs in its own
  // worker (sites-runner.ts: the solvers are synchronous, cancel terminates it); what-if
  // drags, closures and re-evaluations run here (≤ ~1 ms per drag move on the demo city).
  private sitesEngine: SitesEngine | null = null;

  private get sites(): SitesEngine {
    this.sitesEngine ??= new SitesEngine({
      // the hotspot engine's study grid: same areas, same cells, built once
      gridOf: (resolution) => this.hotspots.grid(resolution),
      runner:
        typeof Worker === 'undefined'
          ? localRunner
          : workerRunner(() => new Worker(new URL('./sites-solve.worker.ts', import.meta.url), { type: 'module', name: 'sites-solve' })),
    });
    return this.sitesEngine;
  }

  /** The dataset's sites, candidates file and population per area; `key` identifies the dataset. */
  sitesSetInputs(key: string, inputs: SitesInputs): void {
    this.sites.setInputs(key, inputs);
  }

  sitesHasCustomerCells(key: string, resolution: number): boolean {
    return this.sites.hasCustomerCells(key, resolution);
  }

  /** Customers per H3 cell (DuckDB totals over the hotspot assignment) at `resolution`. */
  sitesSetCustomerTotals(key: string, resolution: number, cells: BigUint64Array, counts: Float64Array): { customers: number; outsideCustomers: number } {
    return this.sites.setCustomerTotals(key, resolution, cells, counts);
  }

  sitesRun(req: RunRequest, taskId: number, onProgress?: SitesProgressFn): Promise<RunView> {
    return this.tasks.run(taskId, (signal) =>
      this.sites.run(req, signal, (p) => onProgress?.({ step: `sites.stage.${p.stage}`, fraction: p.total > 0 ? Math.min(1, p.done / p.total) : null })),
    );
  }

  sitesDragStart(target: DragTarget): { update: DragUpdate; otherCoverCount: Uint16Array; setupMs: number } {
    return this.sites.dragStart(target);
  }

  sitesDragMove(lon: number, lat: number): DragUpdate {
    return this.sites.dragMove(lon, lat);
  }

  sitesDragEnd(lon: number, lat: number): ScenarioView {
    return this.sites.dragEnd(lon, lat);
  }

  sitesDragCancel(): void {
    this.sites.dragCancel();
  }

  sitesDropSite(lon: number, lat: number): ScenarioView {
    return this.sites.dropSite(lon, lat);
  }

  sitesRemoveAdded(index: number): ScenarioView {
    return this.sites.removeAdded(index);
  }

  sitesResetScenario(): ScenarioView {
    return this.sites.resetScenario();
  }

  sitesClosure(req: ClosureRequest): ClosureView {
    return this.sites.closure(req);
  }

  sitesRationalise(req: Omit<ClosureRequest, 'close'>): RationaliseRow[] {
    return this.sites.rationalise(req);
  }
  // ----- end sites --------------------------------------------------------------------

  cancel(taskId: number): boolean {
    return this.tasks.cancel(taskId);
  }
}
