/**
 * The one entry to the demand hotspots: a HotspotEngine (study grids, customers' cells,
 * statistics) and the pipeline of the open dataset over a DB port. The analysis worker
 * (DuckDB over the MessageChannel to the DB worker), the CLI (a native DuckDB Connector,
 * `connectorDbPort`), benchmarks and tests all run it the same way:
 *
 *   const wf = new HotspotWorkflow(db, { spawnAssignWorker });
 *   const ds = wf.open(key, areaGeometries);
 *   await ds.ensureAssigned(8);
 *   const result = await ds.compute(request, { value: { kind: 'count' } });
 */
import type { Geometry } from 'geojson';
import { HotspotEngine, type EngineOptions, type GridView, type StabilityResult, type TypologyResult } from './hotspot-engine.ts';
import { HotspotPipeline, type PipelineOptions, type StepHooks } from './hotspot-pipeline.ts';
import type { HotspotDbPort } from './hotspot-db-port.ts';

export type WorkflowOptions = EngineOptions & PipelineOptions;

export class HotspotWorkflow {
  readonly engine: HotspotEngine;
  private current: HotspotPipeline | null = null;

  constructor(
    private readonly db: HotspotDbPort,
    private readonly options: WorkflowOptions = {},
  ) {
    this.engine = new HotspotEngine(options);
  }

  /**
   * Open dataset `key` with its study areas (file order) and return its pipeline. The same key
   * again keeps everything computed for it; a new key drops the previous dataset's grids and
   * customers, and calls still running for it end with an AbortError.
   */
  open(key: string, geometries: readonly Geometry[]): HotspotPipeline {
    if (this.current?.key === key) return this.current;
    this.engine.setAreas(key, geometries);
    this.current?.close();
    this.current = new HotspotPipeline(this.db, this.engine, key, this.options);
    return this.current;
  }

  /** The pipeline of dataset `key`; an AbortError when another dataset is open (a stale call). */
  dataset(key: string): HotspotPipeline {
    if (this.current?.key !== key) throw new DOMException(`Cancelled: dataset ${key} is not open`, 'AbortError');
    return this.current;
  }

  /** The open dataset's study grid at `resolution` (copies: safe to transfer). */
  grid(resolution: number): GridView {
    return this.engine.grid(resolution);
  }

  /** Customers per H3 cell of dataset `key` at `resolution`, assigned first when needed. */
  customerCounts(key: string, resolution: number, hooks: StepHooks = {}): Promise<{ cells: BigUint64Array; counts: Float64Array }> {
    return this.dataset(key).customerCounts(resolution, hooks);
  }

  /** Which hotspots persist across resolutions (class codes per resolution, in grid order). */
  stability(inputs: readonly { resolution: number; classCode: Uint8Array }[], minLevel: 90 | 95 | 99 = 95): StabilityResult {
    return this.engine.stability(inputs, minLevel);
  }

  /** k-means types of areas on standardised profiles (row-major n × dims). */
  typology(profiles: Float64Array, dims: number, k: number, seed = 1): TypologyResult {
    return this.engine.typology(profiles, dims, k, seed);
  }

  dispose(): void {
    this.current?.close();
    this.current = null;
    this.engine.dispose();
  }
}
