/**
 * The DB worker's contract (DbApi): DuckDB behind one lazy init promise, long calls with
 * progress and cancellation, results as Arrow IPC bytes that cross as transferables.
 * A plain class over a `Connector`, so Node tests call it directly on duckdb-wasm or native
 * DuckDB; workers/db.worker.ts exposes it with comlink in the browser.
 */
import type { Connector } from '../../db/connector.ts';
import { quoteIdent, type SqlParam } from '../../sql/ident.ts';
import { TaskRegistry, type ProgressFn } from '../tasks.ts';
import { INPUT_KINDS, LoadError, loadInputs, readRejects } from '../../data/index.ts';
import type { AreaFeatureCollection, FileProblem, FileReport, InputKind, LoadInput, LoadReport, LoadWarning, RejectRow } from '../../data/index.ts';
import { tableColumns } from '../../data/table-columns.ts';
import { isNumericType, tableExistsSql } from '../../sql/columns.ts';
import { decodeColumns, replaceDerivedTable, type Columns } from '../../data/arrow-io.ts';
import { REJECTS_TABLE, previousName } from '../../sql/load-tables.ts';
import { areaSourcesJson, packAreas, packable, type AreaPack, type DisplayCrs } from './area-pack.ts';
import { SqlTrace, type TraceEntry } from './sql-trace.ts';
import { CELLS_TABLES_SQL } from '../../sql/hotspots.ts';

/** How many rejected rows a load returns for the on-screen report (all are downloadable). */
export const REJECT_PREVIEW = 200;

export interface DatasetMeta {
  name?: LocalizedText;
  credits?: LocalizedText;
  units?: Record<string, string>;
  labels?: Record<string, Record<string, string>>;
  /** Start a new dataset (the demo) rather than replacing only the kinds loaded. */
  replaceAll?: boolean;
  /** Kinds added to the rows already loaded (keys kept unique) instead of replacing them. */
  append?: InputKind[];
}

/** The table `keep` writes (one row of JSON); not a staging name, so loads leave it alone. */
const KEPT_META = 'kept_dataset_meta';
/** Characters per row of the kept record (see `keep`). */
const KEPT_META_PIECE = 65_536;

interface KeptMeta {
  token: string;
  summary: DatasetSummary;
  areas: AreaFeatureCollection | null;
  fileReports: Array<[string, FileReport]>;
}

/** What `restorePrevious` brings back: the dataset as it was before the last load of files. */
interface Previous {
  summary: DatasetSummary | null;
  areas: AreaFeatureCollection | null;
  fileReports: Array<[string, FileReport]>;
  /** Kinds the load changed, and whether each existed before (kept as `prev_<kind>`). */
  changed: Array<{ kind: InputKind; existed: boolean }>;
}

export type LoadOutcome =
  | { ok: true; summary: DatasetSummary; files: FileReport[]; rejects: RejectRow[]; warnings: LoadWarning[] }
  | { ok: false; problems: FileProblem[]; rejects: RejectRow[]; files: FileReport[] };

export type LocalizedText = { 'zh-CN'?: string; en?: string } | string;

export interface DemoManifest {
  name: LocalizedText;
  files: Partial<Record<InputKind, string>>;
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
  counts: {
    areas: number; indicators: number; customers: number; sites: number; rejects: number; outside: number;
    /** Rows of the optional site-selection kinds (0 when not loaded). */
    candidates: number; demand_points: number; costs: number; demand_cells: number;
  };
  /** Numeric indicator columns, in file order. */
  indicatorColumns: string[];
  /** Distinct periods sorted by time. */
  periods: string[];
  /** Stable fingerprint of the loaded data (permalinks compare it). */
  fingerprint: string;
}

/** Reads a same-origin file (the demo city); injected so Node tests read from disk. */
export type FetchBytes = (path: string) => Promise<Uint8Array>;

/** Statements dropping every table of customers' cells (they go with the customers they describe). */
async function dropCellsSql(conn: Connector): Promise<string[]> {
  return (await conn.query<{ name: string }>(CELLS_TABLES_SQL)).map(({ name }) => `DROP TABLE IF EXISTS ${quoteIdent(name)}`);
}

/** Where user and demo files are registered: the only directory DuckDB may read once locked. */
export const UPLOAD_DIR = 'upload/';

export class DbApi {
  private readonly tasks = new TaskRegistry();
  private ready: Promise<Connector> | null = null;
  private locked = false;
  private summary: DatasetSummary | null = null;
  private areas: AreaFeatureCollection | null = null;
  /** The report of each file the dataset holds: key = kind, or kind#n for a file appended to it. */
  private readonly fileReports = new Map<string, FileReport>();
  private previous: Previous | null = null;
  private readonly trace = new SqlTrace();

  constructor(
    private readonly openConnector: () => Promise<Connector>,
    private readonly fetchBytes: FetchBytes,
  ) {}

  /** One init promise: concurrent callers share it, so DuckDB is opened exactly once. */
  init(): Promise<Connector> {
    // Connectors apply the engine settings (no extension autoloading) themselves.
    this.ready ??= this.openConnector().then((c) => this.trace.wrap(c));
    return this.ready;
  }

  /** Start recording engine calls and load steps with their times (the scale benchmark). */
  startTrace(): void {
    this.trace.start();
  }

  /** What was recorded since `startTrace`; recording stops. */
  stopTrace(): TraceEntry[] {
    return this.trace.stop();
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
    // Locked already by an earlier DbApi over this connection (settings belong to the connection).
    const [{ locked }] = await conn.query<{ locked: boolean }>(`SELECT current_setting('lock_configuration')::BOOLEAN AS locked`);
    if (locked) return void (this.locked = true);
    // Directories are ours (a constant, and the native connector's mkdtemp path), not data.
    // Natively, SQL names files relative to `file_search_path`; DuckDB checks both spellings.
    const dirs = [...new Set([UPLOAD_DIR, conn.fileRoot + UPLOAD_DIR])].map((d) => `'${d.replaceAll("'", "''")}'`).join(', ');
    await conn.exec(`SET allowed_directories = [${dirs}]; SET enable_external_access = false; SET lock_configuration = true;`);
    this.locked = true;
  }

  cancel(taskId: number): boolean {
    const known = this.tasks.cancel(taskId);
    if (known) void this.ready?.then((c) => c.interrupt());
    return known;
  }

  /** Load the demo city shipped under `baseUrl` (its manifest.json names the files). */
  async loadDemo(baseUrl: string, taskId: number, onProgress?: ProgressFn): Promise<LoadOutcome> {
    return this.tasks.run(taskId, async (signal) => {
      onProgress?.({ step: 'load.fetch', fraction: 0 });
      const manifest = JSON.parse(new TextDecoder().decode(await this.fetchBytes(baseUrl + 'manifest.json'))) as DemoManifest;
      const files = Object.entries(manifest.files).filter(([, n]) => !!n) as Array<[InputKind, string]>;
      const inputs: LoadInput[] = [];
      for (const [kind, name] of files) {
        signal.throwIfAborted();
        const bytes = await this.fetchBytes(baseUrl + name);
        // Some static servers send `.gz` files with Content-Encoding: gzip, so fetch hands
        // us the inflated bytes: trust the gzip magic number, not the file name.
        const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
        inputs.push({ kind, fileName: !gz && name.endsWith('.gz') ? name.slice(0, -3) : name, bytes, crs: manifest.crs });
      }
      return this.load(inputs, { name: manifest.name, credits: manifest.credits, units: manifest.units ?? {}, labels: manifest.labels ?? {}, replaceAll: true }, signal, onProgress);
    });
  }

  /**
   * Load user files. Kinds not among `inputs` keep their current tables (e.g. customers alone
   * are assigned to the areas already loaded). A failed or cancelled load changes nothing.
   */
  async loadFiles(inputs: LoadInput[], meta: DatasetMeta, taskId: number, onProgress?: ProgressFn): Promise<LoadOutcome> {
    return this.tasks.run(taskId, (signal) => this.load(inputs, meta, signal, onProgress, true));
  }

  /** The last load of files can be undone (until the next load). */
  canRestorePrevious(): boolean {
    return this.previous !== null;
  }

  /**
   * Undo the last load of files: the tables it changed, the rejects, the areas and the summary
   * are back as they were before it, in one transaction. Null when there is nothing to restore.
   */
  async restorePrevious(): Promise<LoadOutcome | null> {
    const prev = this.previous;
    if (!prev) return null;
    const conn = await this.init();
    const stmts = ['BEGIN TRANSACTION'];
    // Cells computed for the customers being undone would describe the wrong rows.
    if (prev.changed.some((c) => c.kind === 'customers')) stmts.push(...(await dropCellsSql(conn)));
    for (const { kind, existed } of prev.changed) {
      stmts.push(`DROP TABLE IF EXISTS ${kind}`); // our enum, never data
      if (existed) stmts.push(`ALTER TABLE ${previousName(kind)} RENAME TO ${kind}`);
    }
    stmts.push(`DROP TABLE IF EXISTS ${REJECTS_TABLE}`, `ALTER TABLE ${previousName(REJECTS_TABLE)} RENAME TO ${REJECTS_TABLE}`, `DROP TABLE IF EXISTS ${KEPT_META}`, 'COMMIT');
    try {
      await conn.exec(stmts.join(';\n'));
    } catch (e) {
      await conn.exec('ROLLBACK').catch(() => undefined);
      throw e;
    }
    this.previous = null;
    this.summary = prev.summary;
    this.areas = prev.areas;
    this.fileReports.clear();
    for (const [k, f] of prev.fileReports) this.fileReports.set(k, f);
    if (!this.summary) return null;
    return { ok: true, summary: this.summary, files: [...this.fileReports.values()], rejects: await readRejects(conn, undefined, REJECT_PREVIEW), warnings: [] };
  }

  private async load(inputs: LoadInput[], meta: DatasetMeta, signal: AbortSignal, onProgress?: ProgressFn, keepPrevious = false): Promise<LoadOutcome> {
    const conn = await this.init();
    let report: LoadReport;
    // Before the commit: which kinds this load changes and which of them exist now.
    const existing = new Set((await conn.query<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE schema_name = 'main'`)).map((r) => r.t));
    const before: Previous = {
      summary: this.summary,
      areas: this.areas,
      fileReports: [...this.fileReports.entries()],
      changed: INPUT_KINDS.filter((k) => meta.replaceAll || inputs.some((i) => i.kind === k) || (k === 'customers' && inputs.some((i) => i.kind === 'areas')))
        .map((kind) => ({ kind, existed: existing.has(kind) })),
    };
    try {
      report = await loadInputs(conn, inputs, { areas: meta.replaceAll ? null : this.areas, append: meta.append, keepPrevious }, {
        signal,
        onProgress: (p) => {
          this.trace.mark(`${p.step} ${p.fraction.toFixed(3)}`);
          onProgress?.({ step: `load.${p.step}`, fraction: p.fraction });
        },
      });
    } catch (e) {
      if (e instanceof LoadError) {
        // Custom error fields do not survive postMessage: return them as data.
        return { ok: false, problems: e.problems, rejects: e.rejects.slice(0, REJECT_PREVIEW), files: e.files };
      }
      throw e;
    }
    await this.lockDown(conn);
    await conn.exec(`DROP TABLE IF EXISTS ${KEPT_META}`);
    this.previous = keepPrevious && this.summary ? before : null;
    if (meta.replaceAll) await this.dropKindsNotLoaded(conn, inputs.map((i) => i.kind), keepPrevious);
    if (meta.replaceAll) this.fileReports.clear();
    for (const f of report.files) {
      if (meta.append?.includes(f.kind) && before.changed.some((c) => c.kind === f.kind && c.existed)) {
        this.fileReports.set(`${f.kind}#${this.fileReports.size}`, f);
      } else {
        for (const k of [...this.fileReports.keys()]) if (k === f.kind || k.startsWith(`${f.kind}#`)) this.fileReports.delete(k);
        this.fileReports.set(f.kind, f);
      }
    }
    this.areas = meta.replaceAll ? report.areas : (report.areas ?? this.areas);
    const kept = meta.replaceAll ? null : this.summary;
    this.summary = {
      name: meta.name ?? kept?.name ?? '',
      credits: meta.credits ?? kept?.credits,
      units: { ...(kept?.units ?? {}), ...(meta.units ?? {}) },
      labels: { ...(kept?.labels ?? {}), ...(meta.labels ?? {}) },
      ...(await this.describe(conn)),
    };
    onProgress?.({ step: 'load.done', fraction: 1 });
    return { ok: true, summary: this.summary, files: [...this.fileReports.values()], rejects: await readRejects(conn, undefined, REJECT_PREVIEW), warnings: report.warnings };
  }

  /**
   * A new dataset keeps nothing of the previous one: tables (and rejects) of the kinds this load
   * did not bring are dropped, in one transaction (e.g. the demo's candidates after user files,
   * or the demo's customers when the user starts a dataset of their own areas and sites).
   */
  private async dropKindsNotLoaded(conn: Connector, loaded: readonly InputKind[], keep: boolean): Promise<void> {
    const others = INPUT_KINDS.filter((k) => !loaded.includes(k));
    if (others.length === 0) return;
    const list = others.map((k) => `'${k}'`).join(', '); // our enum, never data
    // Kept for undo (as the loader keeps the kinds it replaced) when the load can be undone.
    const present = new Set((await conn.query<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE schema_name = 'main'`)).map((r) => r.t));
    const drops = others.map((k) => (keep && present.has(k) ? `DROP TABLE IF EXISTS ${previousName(k)}; ALTER TABLE ${k} RENAME TO ${previousName(k)}` : `DROP TABLE IF EXISTS ${k}`));
    // Cells computed for the customers dropped here would describe rows that are gone.
    if (others.includes('customers')) drops.push(...(await dropCellsSql(conn)));
    try {
      await conn.exec(`BEGIN TRANSACTION; ${drops.join('; ')}; DELETE FROM rejects WHERE kind IN (${list}); COMMIT`);
    } catch (e) {
      await conn.exec('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /**
   * Record in the database itself what this class holds about the dataset (summary, areas, file
   * reports), tagged with `token` (the kept record's save time). A database file opened again
   * later (the browser's OPFS working file after a reload) then brings the dataset back with
   * `reopen(token)` in a second instead of replaying the loader over the kept files. Any later
   * load drops the tag, so a stale tag never describes newer tables.
   */
  async keep(token: string): Promise<void> {
    const conn = await this.init();
    if (!this.summary) return;
    const meta: KeptMeta = { token, summary: this.summary, areas: this.areas, fileReports: [...this.fileReports.entries()] };
    // In pieces: duckdb-wasm corrupts its heap on one multi-megabyte string value (its issue
    // #1477; a 300,000-position ring's areas made every later statement fail with "memory access
    // out of bounds").
    const text = JSON.stringify(meta);
    await conn.exec(`CREATE OR REPLACE TABLE ${KEPT_META} (part INTEGER, meta VARCHAR)`);
    for (let part = 0, at = 0; at < text.length || part === 0; part++, at += KEPT_META_PIECE) {
      await conn.query(`INSERT INTO ${KEPT_META} VALUES ($1::INTEGER, $2::VARCHAR)`, [part, text.slice(at, at + KEPT_META_PIECE)]);
    }
    // On disk now, not only in the write-ahead log.
    await conn.exec('CHECKPOINT');
  }

  /**
   * The dataset `keep(token)` tagged, when this database holds it (a reopened file): the same
   * outcome a load gives. Null when there is no such tag or a table it counts is missing.
   */
  async reopen(token: string): Promise<LoadOutcome | null> {
    const conn = await this.init();
    if (!(await this.hasTable(conn, KEPT_META))) return null;
    // `SELECT *`: a database kept before the pieces has no `part` column (one row).
    const rows = await conn.query<{ part?: number; meta: string }>(`SELECT * FROM ${KEPT_META}`);
    rows.sort((a, b) => (a.part ?? 0) - (b.part ?? 0));
    let meta: KeptMeta;
    try {
      meta = JSON.parse(rows.length ? rows.map((r) => r.meta).join('') : 'null') as KeptMeta;
    } catch {
      return null;
    }
    if (!meta || meta.token !== token || !meta.summary) return null;
    if (meta.summary.counts.customers > 0 && !(await this.hasTable(conn, 'customers'))) return null;
    await this.lockDown(conn);
    this.summary = meta.summary;
    this.areas = meta.areas;
    this.fileReports.clear();
    for (const [k, f] of meta.fileReports) this.fileReports.set(k, f);
    this.previous = null;
    return { ok: true, summary: this.summary, files: [...this.fileReports.values()], rejects: await readRejects(conn, undefined, REJECT_PREVIEW), warnings: [] };
  }

  /** Every rejected row of the current dataset, for the downloadable report. */
  async rejects(limit?: number): Promise<RejectRow[]> {
    const conn = await this.init();
    return readRejects(conn, undefined, limit);
  }

  private async describe(conn: Connector): Promise<Omit<DatasetSummary, 'name' | 'credits' | 'units' | 'labels'>> {
    const tables = new Set((await conn.query<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE schema_name = 'main'`)).map((r) => r.t));
    const count = async (table: string) => {
      if (!tables.has(table)) return 0;
      const [r] = await conn.query<{ n: bigint | number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`);
      return Number(r.n);
    };
    const cols = tables.has('indicators') ? (await tableColumns(conn, 'indicators')).filter((c) => isNumericType(c.type) && c.name !== 'period_index') : [];
    const periods = tables.has('indicators') ? await conn.query<{ period: string }>('SELECT DISTINCT period, period_index FROM indicators ORDER BY period_index') : [];
    const files = [...this.fileReports.values()];
    const counts = {
      areas: this.areas?.features.length ?? 0,
      indicators: await count('indicators'),
      customers: await count('customers'),
      sites: await count('sites'),
      candidates: await count('candidates'),
      demand_points: await count('demand_points'),
      costs: await count('costs'),
      demand_cells: await count('demand_cells'),
      rejects: await count('rejects'),
      outside: files.reduce((s, f) => s + (f.outsideStudyArea ?? 0), 0),
    };
    return {
      counts,
      indicatorColumns: cols.map((c) => c.name),
      periods: periods.map((p) => p.period),
      fingerprint: fingerprint(files.map((f) => `${f.kind}:${f.file}:${f.rowsRead}:${f.rowsKept}`).sort().join('|') + `|${counts.areas}`),
    };
  }

  getSummary(): DatasetSummary | null {
    return this.summary;
  }

  /** The loaded areas as GeoJSON (geometry never enters DuckDB: no spatial extension offline). */
  getAreas(): GeoJSON.FeatureCollection | null {
    return this.areas;
  }

  private packed: { areas: AreaFeatureCollection; pack: AreaPack } | null = null;
  private packVersion = 0;

  private currentPack(): AreaPack | null {
    if (!this.areas || !packable(this.areas)) return null;
    if (this.packed?.areas !== this.areas) this.packed = { areas: this.areas, pack: packAreas(this.areas, ++this.packVersion) };
    return this.packed.pack;
  }

  /**
   * The loaded areas in typed arrays (area-pack.ts) for the page to rebuild and draw without
   * long tasks; null when there are none or they cannot be packed exactly (then `getAreas`).
   * A fresh copy each call: the browser worker transfers its buffers.
   */
  getAreaPack(): AreaPack | null {
    const p = this.currentPack();
    return p && structuredClone(p);
  }

  /** Properties of areas [start, end) of the pack `version` (null when the areas changed since). */
  getAreaProperties(version: number, start: number, end: number): Array<Record<string, unknown> | null> | null {
    const p = this.currentPack();
    if (!p || p.version !== version || !this.areas) return null;
    return this.areas.features.slice(start, end).map((f) => f.properties);
  }

  /** The GeoJSON MapLibre draws for the pack `version`, as JSON bytes (null when the areas changed). */
  getAreaSources(version: number, crs: DisplayCrs): { areas: Uint8Array; labels: Uint8Array } | null {
    const p = this.currentPack();
    if (!p || p.version !== version || !this.areas) return null;
    return areaSourcesJson(this.areas, p, crs);
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
  async columns(sql: string, params: readonly SqlParam[] = []): Promise<Columns> {
    return decodeColumns(await this.queryArrow(sql, params));
  }

  /** Create or replace a derived table (prefix `derived_`) from Arrow IPC bytes, e.g. customers' H3 cells. */
  async putDerived(table: string, ipc: Uint8Array): Promise<void> {
    await replaceDerivedTable(await this.init(), table, ipc);
  }

  /** Indicator rows (area_id, period, period_index, numeric columns) as Arrow IPC bytes. */
  async indicatorsArrow(): Promise<Uint8Array> {
    const conn = await this.init();
    if (!(await this.hasTable(conn, 'indicators'))) return conn.queryArrow('SELECT NULL::VARCHAR AS area_id, NULL::VARCHAR AS period, NULL::INTEGER AS period_index WHERE false');
    return conn.queryArrow('SELECT * FROM indicators ORDER BY period_index, area_id');
  }

  private async hasTable(conn: Connector, table: string): Promise<boolean> {
    const { sql, params } = tableExistsSql(table);
    return (await conn.query(sql, params)).length > 0;
  }

  /** Sites (site_id, lon, lat, type, owner, name, attractiveness) as Arrow IPC bytes. */
  async sitesArrow(): Promise<Uint8Array> {
    const conn = await this.init();
    if (!(await this.hasTable(conn, 'sites'))) {
      return conn.queryArrow('SELECT NULL::VARCHAR AS site_id, NULL::DOUBLE AS lon, NULL::DOUBLE AS lat, NULL::VARCHAR AS type, NULL::VARCHAR AS owner, NULL::VARCHAR AS name, NULL::DOUBLE AS attractiveness WHERE false');
    }
    return conn.queryArrow('SELECT site_id, lon, lat, type, owner, name, attractiveness FROM sites ORDER BY site_id');
  }
}

/** FNV-1a 32-bit of the dataset's shape: enough to tell datasets apart in a permalink. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
