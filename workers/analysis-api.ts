/**
 * The analysis worker's contract: statistics from src/core, run off the UI thread. A plain
 * class so Node tests call it directly; workers/analysis.worker.ts exposes it with comlink.
 */
import { classBreaks, type ClassMethod } from '../src/core/classify.ts';
import { TaskRegistry } from '../src/pipeline/tasks.ts';
import type { IndicatorTable } from '../src/core/indicator-table.ts';
import { prepareRiskAt, type PreparedRisk, type ScoreParams } from '../src/core/risk-index.ts';
import { riskUncertainty, type UncertaintyResult } from '../src/core/risk-uncertainty.ts';
import type { ProgressFn } from '../src/pipeline/tasks.ts';

import * as Comlink from 'comlink';
import type { Geometry } from 'geojson';
import { unpackGeometry, type AreaGeometryPack } from '../src/pipeline/dataset/area-pack.ts';
import { resultBuffers, type ComputeRequest, type ComputeResult, type GridView, type StabilityResult, type TypologyResult } from '../src/pipeline/hotspots/hotspot-engine.ts';
import type { HotspotDbPort } from '../src/pipeline/hotspots/hotspot-db-port.ts';
import type { Aggregate, AssignInfo, DemandSource } from '../src/pipeline/hotspots/hotspot-pipeline.ts';
import { HotspotWorkflow } from '../src/pipeline/hotspots/hotspot-workflow.ts';
import type { TableColumn } from '../src/data/table-columns.ts';

import type { DragTarget, DragUpdate } from '../src/pipeline/sites/sites-whatif.ts';
import { SitesEngine, type ClosureRequest, type ClosureView, type RationaliseRow, type RunRequest, type RunView, type ScenarioView } from '../src/pipeline/sites/sites-engine.ts';
import { localRunner, workerRunner } from '../src/pipeline/sites/sites-runner.ts';
import { exists, readCandidates, readCosts, readCustomerDemand, readCustomerPoints, readDemandPoints, readNetwork } from '../src/pipeline/sites/sites-inputs.ts';

export class AnalysisApi {
  protected readonly tasks = new TaskRegistry();

  /** Class breaks of a numeric column for a choropleth (see src/core/classify.ts). */
  classify(values: Float64Array, k: number, method: ClassMethod): number[] {
    return classBreaks(values, k, method);
  }

  // ----- risk -------------------------------------------------------------------------
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

  // ----- the DB worker ----------------------------------------------------------------
  // The pipelines read DuckDB straight from the DB worker over a MessageChannel the UI sets
  // up at start: customer coordinates, the assigned cells and the per-cell totals move
  // between the two workers and never through the UI thread, which gets only results.
  private db: HotspotDbPort | null = null;

  /** This worker's end of the channel to the DB worker (transferred by the UI at start). */
  connectDb(port: MessagePort): void {
    this.useDb(Comlink.wrap<HotspotDbPort>(port));
  }

  /** The DuckDB the pipelines read: the DB worker's remote, or in Node a DbApi or Connector port. */
  useDb(db: HotspotDbPort): void {
    this.db = db;
  }

  private requireDb(): HotspotDbPort {
    if (!this.db) throw new Error('internal: the analysis worker is not connected to the DB worker (connectDb)');
    return this.db;
  }

  // Forwards, so the workflows can be built before the DB is connected (e.g. for the grid).
  private readonly dbPort: HotspotDbPort = {
    query: (sql, params) => this.requireDb().query(sql, params),
    queryArrow: (sql, params) => this.requireDb().queryArrow(sql, params),
    putDerived: (table, ipc) => this.requireDb().putDerived(table, ipc),
  };

  // ----- hotspots ---------------------------------------------------------------------
  // The whole pipeline runs here (src/pipeline/hotspots/hotspot-workflow.ts); these methods
  // add task ids (cancel), progress callbacks and transfers. Every dataset call names the
  // dataset's key: a call for a dataset no longer open ends with an AbortError. Assignment
  // uses helper workers besides this one.
  private hotspotWorkflow: HotspotWorkflow | null = null;

  private get hotspots(): HotspotWorkflow {
    this.hotspotWorkflow ??= new HotspotWorkflow(this.dbPort, {
      spawnAssignWorker:
        typeof Worker === 'undefined'
          ? undefined
          : () => new Worker(new URL('./hotspot-assign.worker.ts', import.meta.url), { type: 'module', name: 'hotspot-assign' }),
      assignHelpers: typeof navigator === 'undefined' ? 1 : Math.max(1, Math.min(3, (navigator.hardwareConcurrency || 2) - 1)),
      transfer: (value, buffers) => Comlink.transfer(value, buffers),
    });
    return this.hotspotWorkflow;
  }

  /** Open a loaded dataset: `key` names it in every later call, `geometries` are its areas (file order). */
  hotspotsOpen(key: string, geometries: Geometry[]): void {
    this.hotspots.open(key, geometries);
  }

  /** `hotspotsOpen` with the areas as transferred typed arrays (area-pack.ts): no clone on the UI thread. */
  hotspotsOpenPacked(key: string, packed: AreaGeometryPack): void {
    const n = packed.multi.length;
    this.hotspots.open(key, Array.from({ length: n }, (_, i) => unpackGeometry(packed, i)));
  }

  hotspotsGrid(key: string, resolution: number): GridView {
    const g = this.hotspots.dataset(key).grid(resolution);
    return Comlink.transfer(g, [g.areaIndex.buffer, g.lon.buffer, g.lat.buffer, g.areaCellCount.buffer] as ArrayBuffer[]);
  }

  /** Whether the customers table has coordinates (a dataset may have no customers). */
  hotspotsCustomersAvailable(key: string): Promise<boolean> {
    return this.hotspots.dataset(key).customersAvailable();
  }

  /** Customer rows, or a loaded demand-cell table (with its resolutions), or null. */
  hotspotsDemandSource(key: string): Promise<DemandSource | null> {
    return this.hotspots.dataset(key).demandSource();
  }

  /** The customers table's columns, marked numeric or not (for measures and filters). */
  hotspotsCustomerColumns(key: string): Promise<Array<TableColumn & { numeric: boolean }>> {
    return this.hotspots.dataset(key).customerColumns();
  }

  /** The most frequent values of a customers column, most frequent first. */
  hotspotsDistinctValues(key: string, column: string, limit: number): Promise<{ value: string; n: number }[]> {
    return this.hotspots.dataset(key).distinctValues(column, limit);
  }

  /** Whether the assignment at `resolution` has started (then it needs no visible task). */
  hotspotsIsAssigned(key: string, resolution: number): boolean {
    return this.hotspots.dataset(key).isAssigned(resolution);
  }

  /** Customers → cells at `resolution`, stored in DuckDB as `derived_h3_r<res>`; once per resolution. */
  hotspotsAssign(key: string, resolution: number, taskId: number, onProgress?: ProgressFn): Promise<AssignInfo> {
    return this.tasks.run(taskId, async (signal) => {
      const info = await this.hotspots.dataset(key).ensureAssigned(resolution, { signal, onProgress: (done, total) => onProgress?.({ step: 'hotspots.step.assign', fraction: done / total }) });
      this.lastAssign = info;
      return info;
    });
  }

  /** The last assignment's times (the scale benchmark reads them). */
  lastAssign: AssignInfo | null = null;

  /** The statistic for every study cell; `aggregate` (DuckDB totals) when the measure needs customers. */
  hotspotsCompute(key: string, req: Omit<ComputeRequest, 'totals'>, aggregate: Aggregate | null, taskId: number, onProgress?: ProgressFn): Promise<ComputeResult> {
    return this.tasks.run(taskId, async (signal) => {
      const r = await this.hotspots.dataset(key).compute(req, aggregate, {
        signal,
        onProgress: (done, total) => onProgress?.({ step: 'hotspots.step.permutations', fraction: done / total }),
      });
      return Comlink.transfer(r, resultBuffers(r));
    });
  }

  hotspotsStability(inputs: { resolution: number; classCode: Uint8Array }[], minLevel: 90 | 95 | 99): StabilityResult {
    return this.hotspots.stability(inputs, minLevel);
  }

  /**
   * Per-area sums of the customer profile at `resolution` (assignment must be done): customers,
   * sum_<i> and n_<i> per numeric column, seg_<i> per segment value, in that order.
   */
  async hotspotsAreaProfile(key: string, resolution: number, numericColumns: string[], segmentValues: string[]): Promise<Float64Array[]> {
    const cols = await this.hotspots.dataset(key).areaProfile(resolution, numericColumns, segmentValues);
    return Comlink.transfer(cols, cols.map((c) => c.buffer as ArrayBuffer));
  }

  hotspotsTypology(profiles: Float64Array, dims: number, k: number, seed: number): TypologyResult {
    return this.hotspots.typology(profiles, dims, k, seed);
  }
  // ----- end hotspots -----------------------------------------------------------------

  // ----- sites ------------------------------------------------------------------------
  // State and logic live in src/pipeline/sites/sites-engine.ts. A recommendation runs in its
  // own worker (sites-runner.ts: the solvers are synchronous, cancel terminates it); what-if
  // drags, closures and re-evaluations run here (≤ ~1 ms per drag move on the demo city).
  // Customers per cell come from the hotspot workflow here, over the channel to DuckDB.
  private sitesEngine: SitesEngine | null = null;

  private get sites(): SitesEngine {
    this.sitesEngine ??= new SitesEngine({
      // the hotspot engine's study grid: same areas, same cells, built once
      gridOf: (resolution) => this.hotspots.grid(resolution),
      customerCounts: (key, resolution, hooks) => this.hotspots.customerCounts(key, resolution, hooks),
      // Exact locations straight from DuckDB (Arrow: 200k customers are three numeric columns).
      demandPoints: async (_key, source) => {
        if (!(await this.hasTable(source))) return null;
        if (source === 'demand_points') return readDemandPoints(this.dbPort);
        // A cost file names customers by their row: one point each then. Otherwise a book of
        // millions is merged to a number of points that fits in memory (readCustomerDemand).
        const p = (await this.hasTable('costs')) ? await readCustomerPoints(this.dbPort) : await readCustomerDemand(this.dbPort);
        return p.lon.length > 0 ? p : null;
      },
      costs: (_key, source, numDemand, numCandidates, siteType, hasSites, withNetwork) => readCosts(this.dbPort, source, numDemand, numCandidates, siteType, hasSites, withNetwork),
      runner:
        typeof Worker === 'undefined'
          ? localRunner
          : workerRunner(() => new Worker(new URL('./sites-solve.worker.ts', import.meta.url), { type: 'module', name: 'sites-solve' })),
    });
    return this.sitesEngine;
  }

  /**
   * Open dataset `key` (opened with `hotspotsOpen` first) for siting: its sites and candidates
   * file are read from DuckDB here; population per area comes with the call (NaN where missing).
   */
  async sitesOpen(
    key: string, areaPopulation: Float64Array | null, areaNames?: { en: string[]; 'zh-CN': string[] },
  ): Promise<{ candidatesFile: boolean; demandPoints: boolean; costs: boolean }> {
    const network = await readNetwork(this.dbPort);
    const candidatesFile = await readCandidates(this.dbPort);
    this.sites.setInputs(key, { network, candidatesFile, areaPopulation, areaNames });
    return { candidatesFile: candidatesFile !== null, demandPoints: await this.hasTable('demand_points'), costs: await this.hasTable('costs') };
  }

  private hasTable(table: string): Promise<boolean> {
    return exists(this.dbPort, table);
  }

  sitesHasCustomerCells(key: string, resolution: number): boolean {
    return this.sites.hasCustomerCells(key, resolution);
  }

  /** Customers per H3 cell at `resolution` (assignment and DuckDB totals the first time). */
  sitesEnsureCustomers(key: string, resolution: number, taskId: number, onProgress?: ProgressFn): Promise<{ customers: number; outsideCustomers: number }> {
    return this.tasks.run(taskId, (signal) =>
      this.sites.ensureCustomers(key, resolution, { signal, onProgress: (done, total) => onProgress?.({ step: 'hotspots.step.assign', fraction: done / total }) }),
    );
  }

  sitesRun(req: RunRequest, taskId: number, onProgress?: ProgressFn): Promise<RunView> {
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

  sitesSwapCandidate(index: number, candidateId: string): ScenarioView {
    return this.sites.swapCandidate(index, candidateId);
  }

  sitesRemoveAdded(index: number): ScenarioView {
    return this.sites.removeAdded(index);
  }

  sitesResetScenario(): ScenarioView {
    return this.sites.resetScenario();
  }

  sitesClosure(req: ClosureRequest): Promise<ClosureView> {
    return this.sites.closure(req);
  }

  sitesRationalise(req: Omit<ClosureRequest, 'close'>): Promise<RationaliseRow[]> {
    return this.sites.rationalise(req);
  }
  // ----- end sites --------------------------------------------------------------------

  cancel(taskId: number): boolean {
    return this.tasks.cancel(taskId);
  }
}
