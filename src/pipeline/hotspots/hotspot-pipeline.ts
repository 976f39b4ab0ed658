/**
 * The hotspot pipeline across the two workers (issue 5), written against two small ports so
 * the browser (comlink remotes), the benchmark and Node tests (DbApi and HotspotEngine
 * called directly) run the same steps:
 *
 *   1. customers' `rid, lon, lat` from DuckDB → analysis worker (once per dataset);
 *   2. assignment to H3 cells at a resolution (analysis worker, all cores) → derived table
 *      `derived_h3_r<res>` in DuckDB (once per resolution);
 *   3. per filter change: per-cell totals in DuckDB (bound parameters) → Gi* / Local Moran in
 *      the analysis worker.
 *
 * No Svelte here; the UI state lives in hotspots.svelte.ts.
 */
import type { SqlParam } from '../../sql/ident.ts';
import {
  alignmentSql, cellProfileSql, cellTotalsSql, cellsTableName, customerCoordsSql, distinctValuesSql, type CellJoin, type HotspotFilter, type HotspotSqlTables,
  type HotspotValue,
} from '../../sql/hotspots.ts';
import type { AssignResult, ComputeRequest, ComputeResult } from './hotspot-engine.ts';
import type { CellTotals } from './hotspot-stats.ts';
import type { Progress } from '../tasks.ts';
import { tableColumns, type TableColumn } from '../../data/table-columns.ts';
import { isNumericType } from '../../sql/columns.ts';

/** The measure and filter vocabulary of the per-cell SQL, as callers of the pipeline name it. */
export type { HotspotFilter, HotspotValue };

type Cols = Record<string, Float64Array | BigInt64Array | BigUint64Array>;
type MaybePromise<T> = T | Promise<T>;

/** What the pipeline needs from the DB worker (DbApi, or its comlink remote). */
export interface HotspotDbPort {
  query(sql: string, params?: SqlParam[]): Promise<unknown[]>;
  queryArrow(sql: string, params?: SqlParam[]): Promise<Uint8Array>;
  columns(sql: string, params?: SqlParam[]): Promise<Cols>;
  putDerived(table: string, ipc: Uint8Array): Promise<void>;
}

/** What the pipeline needs from the analysis worker (AnalysisApi, or its comlink remote). */
export interface HotspotAnalysisPort {
  hotspotsHasCustomers(key: string): MaybePromise<boolean>;
  hotspotsSetCustomers(key: string, ipc: Uint8Array): MaybePromise<{ rows: number; invalid: number }>;
  hotspotsAssign(resolution: number, taskId: number, onProgress?: (p: Progress) => void): Promise<AssignResult>;
  hotspotsCompute(req: ComputeRequest, taskId: number, onProgress?: (p: Progress) => void): Promise<ComputeResult>;
}

export interface PipelineOptions {
  /** Marks buffers for transfer across postMessage (Comlink.transfer in the browser). */
  transfer?: <T>(value: T, buffers: ArrayBuffer[]) => T;
  tables?: HotspotSqlTables;
}

export interface AssignInfo {
  resolution: number;
  rows: number;
  outside: number;
  invalid: number;
  /** Assignment time in the analysis worker, ms. */
  assignMs: number;
  /** How the totals join the cells back to the customers (positional when verified aligned). */
  join: CellJoin;
  /** Whole step (coordinates, assignment, derived table), ms. */
  totalMs: number;
}

// Task ids for quick, silent calls (no status bar): far above runTask's counter.
let silentId = 1_000_000_000;
export const silentTaskId = (): number => silentId++;

export class HotspotPipeline {
  private coords: Promise<{ rows: number; invalid: number }> | null = null;
  private readonly assigned = new Map<number, Promise<AssignInfo>>();
  private readonly joins = new Map<number, CellJoin>();
  private hasCustomers: Promise<boolean> | null = null;
  private readonly transfer: <T>(value: T, buffers: ArrayBuffer[]) => T;

  constructor(
    private readonly db: HotspotDbPort,
    private readonly analysis: HotspotAnalysisPort,
    /** Identifies the loaded dataset: caches in the workers are keyed by it. */
    readonly key: string,
    private readonly options: PipelineOptions = {},
  ) {
    this.transfer = options.transfer ?? ((v) => v);
  }

  /** Whether the customers table exists with lon and lat (a dataset may have no customers). */
  customersAvailable(): Promise<boolean> {
    this.hasCustomers ??= (async () => {
      const cols = await tableColumns(this.db, this.options.tables?.customersTable ?? 'customers');
      const names = new Set(cols.map((c) => c.name));
      return names.has('lon') && names.has('lat');
    })();
    return this.hasCustomers;
  }

  /** The customers table's columns, each marked numeric or not (for measures and filters). */
  async customerColumns(): Promise<Array<TableColumn & { numeric: boolean }>> {
    const cols = await tableColumns(this.db, this.options.tables?.customersTable ?? 'customers');
    return cols.map((c) => ({ ...c, numeric: isNumericType(c.type) }));
  }

  /** The most frequent values of a customers column, most frequent first. */
  async distinctValues(column: string, limit: number): Promise<{ value: string; n: number }[]> {
    const { sql, params } = distinctValuesSql(column, { customersTable: this.options.tables?.customersTable, limit });
    return ((await this.db.query(sql, params)) as { value: unknown; n: unknown }[]).map((r) => ({ value: String(r.value), n: Number(r.n) }));
  }

  /**
   * Per-cell profile of all customers at `resolution` (assignment must be done): columns cell,
   * customers, sum_<i>/n_<i> per numeric column, seg_<i> per segment value.
   */
  cellProfile(resolution: number, numericColumns: readonly string[], segmentValues: readonly string[]): Promise<Cols> {
    const { sql, params } = cellProfileSql(resolution, [...numericColumns], [...segmentValues], this.options.tables, this.cellJoin(resolution));
    return this.db.columns(sql, params);
  }

  private loadCoords(): Promise<{ rows: number; invalid: number }> {
    this.coords ??= (async () => {
      if (await this.analysis.hotspotsHasCustomers(this.key)) return { rows: -1, invalid: 0 };
      const ipc = await this.db.queryArrow(customerCoordsSql(this.options.tables));
      return this.analysis.hotspotsSetCustomers(this.key, this.transfer(ipc, [ipc.buffer as ArrayBuffer]));
    })().catch((e) => {
      this.coords = null;
      throw e;
    });
    return this.coords;
  }

  /** Customers assigned at `resolution` and stored in DuckDB; shared by concurrent callers. */
  ensureAssigned(resolution: number, taskId: number, onProgress?: (p: Progress) => void): Promise<AssignInfo> {
    let p = this.assigned.get(resolution);
    if (!p) {
      p = (async () => {
        const t0 = performance.now();
        await this.loadCoords();
        const r = await this.analysis.hotspotsAssign(resolution, taskId, onProgress);
        await this.db.putDerived(cellsTableName(resolution), this.transfer(r.ipc, [r.ipc.buffer as ArrayBuffer]));
        const [check] = (await this.db.query(alignmentSql(resolution, this.options.tables))) as { rows: number; misaligned: number }[];
        const join: CellJoin = check && Number(check.misaligned) === 0 && Number(check.rows) === r.rows ? 'positional' : 'rowid';
        this.joins.set(resolution, join);
        return { resolution, rows: r.rows, outside: r.outside, invalid: r.invalid, assignMs: r.ms, join, totalMs: performance.now() - t0 };
      })();
      this.assigned.set(resolution, p);
      p.catch(() => this.assigned.delete(resolution));
    }
    return p;
  }

  isAssigned(resolution: number): boolean {
    return this.assigned.has(resolution);
  }

  /** The join the SQL over `derived_h3_r<resolution>` should use ('rowid' until verified). */
  cellJoin(resolution: number): CellJoin {
    return this.joins.get(resolution) ?? 'rowid';
  }

  /** Per-cell totals of the customers that pass `filter` (DuckDB; assignment must be done). */
  async totals(resolution: number, value: HotspotValue, filter?: HotspotFilter): Promise<CellTotals> {
    const { sql, params } = cellTotalsSql(resolution, value, filter, this.options.tables, this.cellJoin(resolution));
    const c = await this.db.columns(sql, params);
    const cells = c.cell instanceof BigUint64Array ? c.cell : BigUint64Array.from(c.cell as ArrayLike<bigint>);
    return { cells, customers: c.customers as Float64Array, value: c.value as Float64Array, missing: c.missing as Float64Array };
  }

  /** Totals (when the measure needs customers) then the statistic. */
  async compute(
    req: Omit<ComputeRequest, 'totals'>,
    aggregate: { value: HotspotValue; filter?: HotspotFilter } | null,
    taskId: number,
    onProgress?: (p: Progress) => void,
  ): Promise<ComputeResult> {
    let totals: CellTotals | undefined;
    let buffers: ArrayBuffer[] = [];
    if (aggregate) {
      totals = await this.totals(req.resolution, aggregate.value, aggregate.filter);
      buffers = [totals.cells.buffer, totals.customers.buffer, totals.value.buffer, totals.missing.buffer] as ArrayBuffer[];
    }
    // transfers are registered on the top-level argument (comlink does not look inside)
    return this.analysis.hotspotsCompute(this.transfer({ ...req, totals }, buffers), taskId, onProgress);
  }
}

/** Whether a measure is built from customers (needs the assignment and DuckDB totals). */
export function measureNeedsCustomers(measure: ComputeRequest['measure']): boolean {
  return measure !== 'potential';
}
