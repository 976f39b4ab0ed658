/**
 * The hotspot pipeline of one loaded dataset, written once against a DB port and run next to
 * the HotspotEngine: in the analysis worker (DuckDB reached over the workers' MessageChannel),
 * in the CLI (native DuckDB) and in benchmarks and tests. Steps:
 *
 *   1. customers' `rid, lon, lat` out of DuckDB → the engine (once per dataset);
 *   2. assignment to H3 cells at a resolution (all cores) → derived table `derived_h3_r<res>`
 *      in DuckDB (once per resolution, shared by concurrent callers);
 *   3. per filter change: per-cell totals in DuckDB (bound parameters) → Gi* / Local Moran.
 *
 * Without a customers table, a loaded demand-cell table (`demand_cells`: the CLI's `aggregate`
 * or a warehouse's GROUP BY) is the demand instead: no assignment — its rows already name their
 * cells — and the totals are sums over its rows at the chosen resolution, equal to the totals of
 * the raw customers it was made from (x_i is a count or a sum over the customers of cell i).
 * Only the resolutions the file holds can be computed (`demandSource`).
 *
 * HotspotWorkflow (hotspot-workflow.ts) owns the engine and hands out one pipeline per dataset.
 */
import {
  alignmentSql, cellProfileSql, cellTotalsSql, cellsTableName, customerCoordsSql, distinctValuesSql, type CellJoin, type HotspotFilter, type HotspotSqlTables,
  type HotspotValue,
} from '../../sql/hotspots.ts';
import type { ComputeRequest, ComputeResult, GridView, HotspotEngine } from './hotspot-engine.ts';
import type { CellTotals } from './hotspot-stats.ts';
import { tableColumns, type TableColumn } from '../../data/table-columns.ts';
import { isNumericType } from '../../sql/columns.ts';
import { queryColumns, type Columns, type HotspotDbPort } from './hotspot-db-port.ts';
import { DEMAND_CELLS_TABLE, cellsDistinctValuesSql, cellsProfileSql, cellsResolutionsSql, cellsTotalsSql } from '../../sql/demand-cells.ts';
import { cellsAtResolution } from './hotspot-cells.ts';
import { assignCells } from '../../core/grid.ts';
import { quoteIdent, type SqlParam } from '../../sql/ident.ts';

/** Customers whose stored cells are checked against a fresh assignment before they are used. */
const KEPT_CELLS_SAMPLE = 64;

/** The measure and filter vocabulary of the per-cell SQL, as callers of the pipeline name it. */
export type { HotspotFilter, HotspotValue };

export interface PipelineOptions {
  /**
   * Marks buffers for transfer when the DB port is a remote (Comlink.transfer in the worker):
   * the assigned cells go to DuckDB without a copy.
   */
  transfer?: <T>(value: T, buffers: ArrayBuffer[]) => T;
  tables?: HotspotSqlTables;
}

/** Cancellation and progress of a long step; progress is (done, total) of the step's own unit. */
export interface StepHooks {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** What the statistic is computed over: DuckDB totals of the customers that pass `filter`. */
export interface Aggregate {
  value: HotspotValue;
  filter?: HotspotFilter;
}

/** Where the demand comes from: customer rows, or a demand-cell table at some resolutions. */
export type DemandSource = { kind: 'customers' } | { kind: 'cells'; resolutions: number[] };

/** A resolution the demand-cell table does not hold (the UI offers only the ones it holds). */
export class CellsResolutionError extends Error {
  constructor(readonly resolution: number, readonly resolutions: readonly number[]) {
    super(`the demand cells hold resolution ${resolutions.join(', ')}, not ${resolution}`);
    this.name = 'CellsResolutionError';
  }
}

export interface AssignInfo {
  resolution: number;
  rows: number;
  outside: number;
  invalid: number;
  /** Assignment time in the engine, ms. */
  assignMs: number;
  /** Customers' coordinates out of DuckDB into the engine (0 when held already), ms. */
  coordsMs: number;
  /** The cells into DuckDB (derived table) and the alignment check, ms. */
  storeMs: number;
  /** How the totals join the cells back to the customers (positional when verified aligned). */
  join: CellJoin;
  /** Whole step (coordinates, assignment, derived table), ms. */
  totalMs: number;
  /** The cells DuckDB held already were used (computed by the load or an earlier assignment). */
  kept: boolean;
}

// Task ids for quick, silent calls (no status bar): far above runTask's counter.
let silentId = 1_000_000_000;
export const silentTaskId = (): number => silentId++;

export class HotspotPipeline {
  private coords: Promise<{ rows: number; invalid: number }> | null = null;
  private readonly assigned = new Map<number, Promise<AssignInfo>>();
  private readonly joins = new Map<number, CellJoin>();
  private hasCustomers: Promise<boolean> | null = null;
  private source: Promise<DemandSource | null> | null = null;
  private readonly transfer: <T>(value: T, buffers: ArrayBuffer[]) => T;
  private closed = false;

  constructor(
    private readonly db: HotspotDbPort,
    private readonly engine: HotspotEngine,
    /** Identifies the loaded dataset: the engine's customer cache is keyed by it. */
    readonly key: string,
    private readonly options: PipelineOptions = {},
  ) {
    this.transfer = options.transfer ?? ((v) => v);
  }

  /** Another dataset was opened: the engine's areas and customers are no longer this one's. */
  close(): void {
    this.closed = true;
  }

  private live(): void {
    if (this.closed) throw new DOMException('Cancelled: another dataset was opened', 'AbortError');
  }

  private get customersTable(): string {
    return this.options.tables?.customersTable ?? 'customers';
  }

  /** The study grid at `resolution` (copies: safe to transfer). */
  grid(resolution: number): GridView {
    this.live();
    return this.engine.grid(resolution);
  }

  /** Whether the customers table exists with lon and lat (a dataset may have no customers). */
  customersAvailable(): Promise<boolean> {
    this.hasCustomers ??= (async () => {
      const names = new Set((await tableColumns(this.db, this.customersTable)).map((c) => c.name));
      return names.has('lon') && names.has('lat');
    })();
    return this.hasCustomers;
  }

  /** Customer rows when there are any, else a loaded demand-cell table, else null. */
  demandSource(): Promise<DemandSource | null> {
    this.source ??= (async (): Promise<DemandSource | null> => {
      if (await this.customersAvailable()) return { kind: 'customers' };
      const names = new Set((await tableColumns(this.db, DEMAND_CELLS_TABLE)).map((c) => c.name));
      if (!names.has('h3') || !names.has('resolution') || !names.has('count')) return null;
      const rows = (await this.db.query(cellsResolutionsSql())) as { resolution: unknown }[];
      return { kind: 'cells', resolutions: rows.map((r) => Number(r.resolution)) };
    })();
    return this.source;
  }

  private async cells(): Promise<number[] | null> {
    const s = await this.demandSource();
    return s?.kind === 'cells' ? s.resolutions : null;
  }

  /**
   * The customers table's columns, each marked numeric or not (for measures and filters). From
   * demand cells: each summed column (sum_<col> with n_<col>) as numeric <col>, each group
   * column as text — the columns of the customers the table was made from, as far as it holds them.
   */
  async customerColumns(): Promise<Array<TableColumn & { numeric: boolean }>> {
    if (await this.cells()) {
      const cols = await tableColumns(this.db, DEMAND_CELLS_TABLE);
      const names = new Set(cols.map((c) => c.name));
      return cols.flatMap((c): Array<TableColumn & { numeric: boolean }> => {
        if (['h3', 'resolution', 'count', 'area_id'].includes(c.name) || /^n_./.test(c.name)) return [];
        const sum = /^sum_(.+)$/.exec(c.name);
        if (sum) return names.has(`n_${sum[1]}`) ? [{ name: sum[1], type: 'DOUBLE', numeric: true }] : [];
        return [{ ...c, numeric: false }];
      });
    }
    const cols = await tableColumns(this.db, this.customersTable);
    return cols.map((c) => ({ ...c, numeric: isNumericType(c.type) }));
  }

  /** The most frequent values of a customers column (customers per value), most frequent first. */
  async distinctValues(column: string, limit: number): Promise<{ value: string; n: number }[]> {
    const { sql, params } = (await this.cells())
      ? cellsDistinctValuesSql(column, limit)
      : distinctValuesSql(column, { customersTable: this.options.tables?.customersTable, limit });
    return ((await this.db.query(sql, params)) as { value: unknown; n: unknown }[]).map((r) => ({ value: String(r.value), n: Number(r.n) }));
  }

  /**
   * Per-cell profile of all customers at `resolution` (assignment must be done): columns cell,
   * customers, sum_<i>/n_<i> per numeric column, seg_<i> per segment value.
   */
  async cellProfile(resolution: number, numericColumns: readonly string[], segmentValues: readonly string[]): Promise<Columns> {
    if (await this.cells()) {
      const q = cellsProfileSql(resolution, numericColumns, segmentValues, this.options.tables?.segmentColumn);
      return queryColumns(this.db, q.sql, q.params);
    }
    const { sql, params } = cellProfileSql(resolution, [...numericColumns], [...segmentValues], this.options.tables, this.cellJoin(resolution));
    return queryColumns(this.db, sql, params);
  }

  /**
   * The cell profile summed per area (areas file order): one column each for customers,
   * sum_<i> and n_<i> per numeric column, seg_<i> per segment value, in that order.
   */
  async areaProfile(resolution: number, numericColumns: readonly string[], segmentValues: readonly string[]): Promise<Float64Array[]> {
    // Demand cells: the held resolution nearest the asked one (area sums do not depend on it,
    // up to cells straddling an area boundary).
    const held = await this.cells();
    if (held && !held.includes(resolution)) resolution = held.reduce((b, r) => (Math.abs(r - resolution) < Math.abs(b - resolution) ? r : b));
    const cols = await this.cellProfile(resolution, numericColumns, segmentValues);
    this.live();
    const names = ['customers', ...numericColumns.flatMap((_, i) => [`sum_${i}`, `n_${i}`]), ...segmentValues.map((_, i) => `seg_${i}`)];
    return this.engine.rollupToAreas(resolution, asCells(cols.cell), names.map((n) => cols[n] as Float64Array));
  }

  private loadCoords(): Promise<{ rows: number; invalid: number }> {
    this.coords ??= (async () => {
      if (this.engine.hasCustomers(this.key)) return { rows: -1, invalid: 0 };
      const ipc = await this.db.queryArrow(customerCoordsSql(this.options.tables));
      this.live();
      return this.engine.setCustomers(this.key, ipc);
    })().catch((e) => {
      this.coords = null;
      throw e;
    });
    return this.coords;
  }

  /** Customers assigned at `resolution` and stored in DuckDB; shared by concurrent callers. */
  ensureAssigned(resolution: number, hooks: StepHooks = {}): Promise<AssignInfo> {
    let p = this.assigned.get(resolution);
    if (!p) {
      p = (async () => {
        const t0 = performance.now();
        this.live();
        const held = await this.cells();
        if (held) {
          // Demand cells name their cells: nothing to assign.
          if (!held.includes(resolution)) throw new CellsResolutionError(resolution, held);
          const t = await this.totals(resolution, { kind: 'count' });
          const rows = t.customers.reduce((a, b) => a + b, 0);
          return { resolution, rows, outside: 0, invalid: 0, assignMs: 0, coordsMs: 0, storeMs: 0, join: 'rowid' as CellJoin, totalMs: performance.now() - t0, kept: true };
        }
        const kept = await this.cellsKept(resolution);
        this.live();
        if (kept) {
          this.joins.set(resolution, 'positional');
          return { resolution, ...kept, assignMs: 0, coordsMs: 0, storeMs: 0, join: 'positional' as CellJoin, totalMs: performance.now() - t0, kept: true };
        }
        await this.loadCoords();
        this.live();
        const t1 = performance.now();
        const r = await this.engine.assign(resolution, hooks.signal, hooks.onProgress);
        this.live();
        const t2 = performance.now();
        await this.db.putDerived(cellsTableName(resolution), this.transfer(r.ipc, [r.ipc.buffer as ArrayBuffer]));
        const [check] = (await this.db.query(alignmentSql(resolution, this.options.tables))) as { rows: number; misaligned: number }[];
        const join: CellJoin = check && Number(check.misaligned) === 0 && Number(check.rows) === r.rows ? 'positional' : 'rowid';
        this.joins.set(resolution, join);
        const t3 = performance.now();
        return { resolution, rows: r.rows, outside: r.outside, invalid: r.invalid, assignMs: r.ms, coordsMs: t1 - t0, storeMs: t3 - t2, join, totalMs: t3 - t0, kept: false };
      })();
      this.assigned.set(resolution, p);
      p.catch(() => this.assigned.delete(resolution));
    }
    return p;
  }

  /**
   * The customers' cells at `resolution` when DuckDB holds them already: computed by the load
   * (data/points.ts, LOAD_CELLS_RESOLUTION) or by an earlier assignment of this database. A
   * commit that replaces the customers drops them, and they are used only when row k is
   * customer k's (the alignment check) and the cells of a sample of customers, assigned here
   * again, are the stored ones. Null when they must be assigned.
   */
  private async cellsKept(resolution: number): Promise<{ rows: number; outside: number; invalid: number } | null> {
    const table = cellsTableName(resolution);
    const names = new Set((await tableColumns(this.db, table)).map((c) => c.name));
    if (!names.has('rid') || !names.has('cell')) return null;
    const [check] = (await this.db.query(alignmentSql(resolution, this.options.tables))) as { rows: number; misaligned: number }[];
    const rows = Number(check?.rows ?? 0);
    if (!check || Number(check.misaligned) !== 0 || rows === 0) return null;
    // Row ids are ours (evenly spaced integers), never data.
    const sample = [...new Set(Array.from({ length: Math.min(rows, KEPT_CELLS_SAMPLE) }, (_, i) => Math.floor((i * (rows - 1)) / Math.max(1, KEPT_CELLS_SAMPLE - 1))))];
    const list = sample.join(', ');
    // Filters on rowid (rid = rowid in both, checked above): DuckDB reads only those rows.
    const coords = await queryColumns(this.db, `${customerCoordsSql(this.options.tables)} WHERE rowid IN (${list}) ORDER BY rid`);
    const stored = await queryColumns(this.db, `SELECT rid, cell FROM ${quoteIdent(table)} WHERE rowid IN (${list}) ORDER BY rid`);
    const again = assignCells(coords.lon as Float64Array, coords.lat as Float64Array, resolution);
    const cells = asCells(stored.cell);
    if (cells.length !== again.length || again.some((c, i) => c !== cells[i])) return null;
    const perCell = await queryColumns(this.db, `SELECT cell, CAST(count(*) AS DOUBLE) AS n FROM ${quoteIdent(table)} GROUP BY cell`);
    const distinct = asCells(perCell.cell);
    const n = perCell.n as Float64Array;
    let invalid = 0;
    for (let i = 0; i < distinct.length; i++) if (distinct[i] === 0n) invalid += n[i];
    return { rows, outside: this.engine.outsideCount(resolution, distinct, n), invalid };
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
    const { sql, params }: { sql: string; params: SqlParam[] } = (await this.cells()) ? cellsTotalsSql(resolution, value, filter) : cellTotalsSql(resolution, value, filter, this.options.tables, this.cellJoin(resolution));
    const c = await queryColumns(this.db, sql, params);
    return { cells: asCells(c.cell), customers: c.customers as Float64Array, value: c.value as Float64Array, missing: c.missing as Float64Array };
  }

  /** Customers per H3 cell at `resolution` (assigned first when needed), e.g. the sites' demand. */
  async customerCounts(resolution: number, hooks: StepHooks = {}): Promise<{ cells: BigUint64Array; counts: Float64Array }> {
    const held = await this.cells();
    if (held && !held.includes(resolution)) {
      // Siting at a resolution the demand cells lack: from the nearest they hold (finer rolled
      // up, coarser at its centre child; approximate either way, as the Sites tab says).
      const from = nearestHeld(held, resolution);
      const t = await this.totals(from, { kind: 'count' });
      return cellsAtResolution(t.cells, t.customers, resolution);
    }
    await this.ensureAssigned(resolution, hooks);
    const t = await this.totals(resolution, { kind: 'count' });
    return { cells: t.cells, counts: t.customers };
  }

  /** Totals (when `aggregate` is given: the measure needs customers) then the statistic. */
  async compute(req: Omit<ComputeRequest, 'totals'>, aggregate: Aggregate | null, hooks: StepHooks = {}): Promise<ComputeResult> {
    const totals = aggregate ? await this.totals(req.resolution, aggregate.value, aggregate.filter) : undefined;
    this.live();
    return this.engine.compute({ ...req, totals }, hooks.signal, hooks.onProgress);
  }
}

/**
 * The demand-cell resolution siting at `resolution` uses: the coarsest finer one held (rolled
 * up), else the finest coarser one.
 */
export function nearestHeld(held: readonly number[], resolution: number): number {
  if (held.includes(resolution)) return resolution;
  const finer = held.filter((r) => r > resolution);
  return finer.length ? Math.min(...finer) : Math.max(...held);
}

function asCells(c: Columns[string] | undefined): BigUint64Array {
  return c instanceof BigUint64Array ? c : BigUint64Array.from((c ?? []) as ArrayLike<bigint>);
}

/** Whether a measure is built from customers (needs the assignment and DuckDB totals). */
export function measureNeedsCustomers(measure: ComputeRequest['measure']): boolean {
  return measure !== 'potential';
}
