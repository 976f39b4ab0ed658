/**
 * The DB worker's contract (DbApi): DuckDB behind one lazy init promise, long calls with
 * progress and cancellation, results as Arrow IPC bytes that cross as transferables.
 * A plain class over a `Connector`, so Node tests call it directly on duckdb-wasm or native
 * DuckDB; workers/db.worker.ts exposes it with comlink in the browser.
 */
import { DataType, tableFromIPC } from 'apache-arrow';
import type { Connector, SqlParam } from '../src/db/connector.ts';
import { TaskRegistry, type ProgressFn } from './tasks.ts';

export type LocalizedText = { 'zh-CN'?: string; en?: string } | string;

export interface DemoManifest {
  name: LocalizedText;
  files: { areas: string; indicators?: string; customers?: string; sites?: string; candidates?: string };
  crs?: 'wgs84' | 'gcj02' | 'bd09';
  credits?: LocalizedText;
  units?: Record<string, string>;
  labels?: Record<string, Record<string, string>>;
}

export interface DatasetSummary {
  name: LocalizedText;
  credits?: LocalizedText;
  units: Record<string, string>;
  labels: Record<string, Record<string, string>>;
  counts: { areas: number; indicators: number; customers: number; sites: number; rejects: number; outside: number };
  /** Numeric indicator columns, in file order. */
  indicatorColumns: string[];
  /** Distinct periods sorted by time. */
  periods: string[];
  /** Stable fingerprint of the loaded data (permalinks compare it). */
  fingerprint: string;
}

/** Reads a same-origin file (the demo city); injected so Node tests read from disk. */
export type FetchBytes = (path: string) => Promise<Uint8Array>;

/** Where user and demo files are registered: the only directory DuckDB may read once locked. */
export const UPLOAD_DIR = 'upload/';

export class DbApi {
  private readonly tasks = new TaskRegistry();
  private ready: Promise<Connector> | null = null;
  private locked = false;
  private summary: DatasetSummary | null = null;
  private areas: GeoJSON.FeatureCollection | null = null;

  constructor(
    private readonly openConnector: () => Promise<Connector>,
    private readonly fetchBytes: FetchBytes,
  ) {}

  /** One init promise: concurrent callers share it, so DuckDB is opened exactly once. */
  init(): Promise<Connector> {
    this.ready ??= this.openConnector().then(async (conn) => {
      // Extensions cannot be downloaded offline; a failed autoload hangs under Node.
      await conn.exec('SET autoinstall_known_extensions = false; SET autoload_known_extensions = false;');
      return conn;
    });
    return this.ready;
  }

  async version(): Promise<string> {
    const conn = await this.init();
    const [row] = await conn.query<{ v: string }>('SELECT version() AS v');
    return row.v;
  }

  /**
   * After the first load nothing outside `upload/` may be read and the configuration cannot
   * be changed back: a crafted file name or query cannot reach the network or the disk.
   */
  private async lockDown(conn: Connector): Promise<void> {
    if (this.locked) return;
    await conn.exec(`SET allowed_directories = ['${UPLOAD_DIR}']; SET enable_external_access = false; SET lock_configuration = true;`);
    this.locked = true;
  }

  cancel(taskId: number): boolean {
    const known = this.tasks.cancel(taskId);
    if (known) void this.ready?.then((c) => c.interrupt());
    return known;
  }

  /** Load the demo city shipped under `baseUrl` (its manifest.json names the files). */
  async loadDemo(baseUrl: string, taskId: number, onProgress?: ProgressFn): Promise<DatasetSummary> {
    return this.tasks.run(taskId, async (signal) => {
      const conn = await this.init();
      onProgress?.({ step: 'load.manifest', fraction: 0 });
      const manifest = JSON.parse(new TextDecoder().decode(await this.fetchBytes(baseUrl + 'manifest.json'))) as DemoManifest;
      const files: Array<[kind: string, name: string]> = Object.entries(manifest.files).filter(([, n]) => !!n) as Array<[string, string]>;
      const inputs = [];
      for (let i = 0; i < files.length; i++) {
        signal.throwIfAborted();
        const [kind, name] = files[i];
        onProgress?.({ step: 'load.fetch', fraction: i / files.length });
        const bytes = await this.fetchBytes(baseUrl + name);
        // Some static servers send `.gz` files with Content-Encoding: gzip, so fetch hands
        // us the inflated bytes: trust the gzip magic number, not the file name.
        const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
        inputs.push({ kind, fileName: !gz && name.endsWith('.gz') ? name.slice(0, -3) : name, bytes });
      }
      const loaded = await loadBasic(conn, inputs, signal);
      await this.lockDown(conn);
      this.areas = loaded.areas;
      this.summary = {
        name: manifest.name,
        credits: manifest.credits,
        units: manifest.units ?? {},
        labels: manifest.labels ?? {},
        ...(await this.describe(conn)),
      };
      onProgress?.({ step: 'load.done', fraction: 1 });
      return this.summary;
    });
  }

  private async describe(conn: Connector): Promise<Omit<DatasetSummary, 'name' | 'credits' | 'units' | 'labels'>> {
    const count = async (table: string) => {
      const [r] = await conn.query<{ n: bigint | number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`);
      return Number(r.n);
    };
    const cols = await conn.query<{ column_name: string }>(
      `SELECT column_name FROM duckdb_columns() WHERE table_name = 'indicators' AND data_type IN ('DOUBLE','BIGINT','INTEGER','FLOAT','DECIMAL') AND column_name NOT IN ('period_index') ORDER BY column_index`,
    );
    const periods = await conn.query<{ period: string }>('SELECT DISTINCT period, period_index FROM indicators ORDER BY period_index');
    const counts = {
      areas: this.areas?.features.length ?? 0,
      indicators: await count('indicators'),
      customers: await count('customers'),
      sites: await count('sites'),
      rejects: 0,
      outside: 0,
    };
    return {
      counts,
      indicatorColumns: cols.map((c) => c.column_name),
      periods: periods.map((p) => p.period),
      fingerprint: `${counts.areas}:${counts.indicators}:${counts.customers}:${counts.sites}`,
    };
  }

  getSummary(): DatasetSummary | null {
    return this.summary;
  }

  /** The loaded areas as GeoJSON (geometry never enters DuckDB: no spatial extension offline). */
  getAreas(): GeoJSON.FeatureCollection | null {
    return this.areas;
  }

  // -------------------------------------------------------------------------------------
  // Generic access for the workflows. SQL comes from src/sql builders (trusted code, values
  // bound as parameters), never from data; results cross as Arrow bytes or typed arrays.

  /** Small results (summaries, lists) as plain rows. */
  async query<T = Record<string, unknown>>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    const conn = await this.init();
    return conn.query<T>(sql, params);
  }

  /** A result as Arrow IPC stream bytes (transferred, never copied as JSON). */
  async queryArrow(sql: string, params: readonly SqlParam[] = [], taskId?: number): Promise<Uint8Array> {
    const conn = await this.init();
    if (taskId === undefined) return conn.queryArrow(sql, params);
    return this.tasks.run(taskId, () => conn.queryArrow(sql, params));
  }

  /**
   * Numeric result columns as Float64Arrays (NaN for NULL), ready for the analysis worker.
   * BIGINT/UBIGINT columns come back as BigUint64Array or BigInt64Array instead.
   */
  async columns(sql: string, params: readonly SqlParam[] = []): Promise<Record<string, Float64Array | BigInt64Array | BigUint64Array>> {
    const bytes = await this.queryArrow(sql, params);
    const table = tableFromIPC(bytes);
    const out: Record<string, Float64Array | BigInt64Array | BigUint64Array> = {};
    for (const field of table.schema.fields) {
      const vec = table.getChild(field.name)!;
      const n = table.numRows;
      if (DataType.isInt(field.type) && field.type.bitWidth === 64) {
        const arr = field.type.isSigned ? new BigInt64Array(n) : new BigUint64Array(n);
        for (let i = 0; i < n; i++) arr[i] = (vec.get(i) ?? 0n) as never;
        out[field.name] = arr;
      } else {
        const arr = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const v = vec.get(i);
          arr[i] = v === null || v === undefined ? NaN : Number(v);
        }
        out[field.name] = arr;
      }
    }
    return out;
  }

  /** Create or replace a derived table (prefix `derived_`) from Arrow IPC bytes, e.g. customers' H3 cells. */
  async putDerived(table: string, ipc: Uint8Array): Promise<void> {
    if (!/^derived_[a-z0-9_]+$/.test(table)) throw new Error(`Derived table names look like derived_name: ${table}`);
    const conn = await this.init();
    await conn.exec(`DROP TABLE IF EXISTS ${table}`);
    await conn.insertArrowIPC(table, ipc);
  }

  /** Indicator rows (area_id, period, period_index, numeric columns) as Arrow IPC bytes. */
  async indicatorsArrow(): Promise<Uint8Array> {
    const conn = await this.init();
    return conn.queryArrow('SELECT * FROM indicators ORDER BY period_index, area_id');
  }

  /** Sites (site_id, lon, lat, type, owner, name, attractiveness) as Arrow IPC bytes. */
  async sitesArrow(): Promise<Uint8Array> {
    const conn = await this.init();
    return conn.queryArrow('SELECT site_id, lon, lat, type, owner, name, attractiveness FROM sites ORDER BY site_id');
  }
}

// ---------------------------------------------------------------------------------------
// Minimal loader for the skeleton; replaced by src/data's validated loader.
interface BasicInput { kind: string; fileName: string; bytes: Uint8Array }

async function loadBasic(conn: Connector, inputs: BasicInput[], signal: AbortSignal) {
  let areas: GeoJSON.FeatureCollection | null = null;
  for (const input of inputs) {
    signal.throwIfAborted();
    if (input.kind === 'areas') {
      areas = JSON.parse(new TextDecoder().decode(input.bytes)) as GeoJSON.FeatureCollection;
      continue;
    }
    const path = UPLOAD_DIR + input.fileName;
    await conn.registerFile(path, input.bytes);
    const table = input.kind;
    await conn.exec(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv('${path}')`);
    if (table === 'indicators') {
      await conn.exec(`CREATE OR REPLACE TABLE indicators AS SELECT *, dense_rank() OVER (ORDER BY period)::INTEGER - 1 AS period_index FROM indicators`);
    }
  }
  for (const t of ['indicators', 'customers', 'sites']) {
    const exists = await conn.query(`SELECT 1 FROM duckdb_tables() WHERE table_name = $1`, [t]);
    if (exists.length === 0) await conn.exec(`CREATE TABLE ${t} AS SELECT NULL::VARCHAR AS id WHERE false`);
  }
  return { areas };
}
