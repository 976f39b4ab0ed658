/**
 * Connector over a duckdb-wasm `AsyncDuckDBConnection`: the browser DB worker uses it, and
 * Node tests use it through `createNodeWasmConnector()` (same class, same worker protocol).
 *
 * Results are taken as the raw Arrow IPC bytes the DuckDB worker produces, never as the Arrow
 * `Table` objects duckdb-wasm builds: under Node its CommonJS build loads a second copy of
 * apache-arrow, and objects from one copy fail the other's `instanceof` checks (tableToIPC
 * recursed forever on them). Bytes are version- and copy-agnostic, and need no re-encoding.
 *
 * Why statements without parameters run as "pending queries": duckdb-wasm executes a pending
 * query step by step as it is polled, so `cancelPendingQuery` can stop it between steps.
 * Prepared statements run in one blocking call inside the DuckDB worker and cannot be
 * interrupted, so the loader keeps its heavy statements parameter-free (file names are
 * internal, identifiers quoted) and binds values only in small statements.
 */
import { DuckDBDataProtocol, type AsyncDuckDB, type AsyncDuckDBConnection } from '@duckdb/duckdb-wasm';
import { tableFromIPC } from 'apache-arrow';
import type { Connector } from './connector.ts';
import type { SqlParam } from '../sql/ident.ts';
import { arrowRowsToObjects } from './arrow-rows.ts';
import { assertFileName, ENGINE_SETTINGS_SQL } from './engine-settings.ts';

export class WasmConnector implements Connector {
  readonly engine = 'duckdb-wasm';
  readonly fileRoot = '';
  private closed = false;

  /**
   * @param db the AsyncDuckDB that owns `conn` (files are registered on the database)
   * @param conn an open connection; see `WasmConnector.create` for one with our settings
   * @param onClose extra clean-up run by `close()` (the Node factory terminates its worker)
   */
  constructor(
    readonly db: AsyncDuckDB,
    readonly conn: AsyncDuckDBConnection,
    private readonly onClose?: () => Promise<void>,
  ) {}

  /**
   * Connect to `db` and apply the engine settings every connector needs (no extension
   * autoloading: offline it hangs under Node and fails in the browser).
   */
  static async create(db: AsyncDuckDB, onClose?: () => Promise<void>): Promise<WasmConnector> {
    const conn = await db.connect();
    const c = new WasmConnector(db, conn, onClose);
    await c.exec(ENGINE_SETTINGS_SQL);
    return c;
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return arrowRowsToObjects(tableFromIPC(await this.run(sql, params))) as T[];
  }

  async queryArrow(sql: string, params: readonly SqlParam[] = []): Promise<Uint8Array> {
    return this.run(sql, params);
  }

  async exec(sql: string): Promise<void> {
    await this.run(sql, []);
  }

  async registerFile(name: string, bytes: Uint8Array): Promise<void> {
    assertFileName(name);
    // registerFileBuffer transfers (detaches) the buffer it is given; callers keep theirs.
    await this.db.registerFileBuffer(name, bytes.slice());
  }

  async registerBlob(name: string, blob: Blob): Promise<void> {
    assertFileName(name);
    // In a browser worker DuckDB's own worker reads the File in slices (FileReaderSync); Node
    // has no FileReaderSync, so there the bytes are copied in as a buffer.
    if (typeof (globalThis as { FileReaderSync?: unknown }).FileReaderSync === 'function') {
      await this.db.registerFileHandle(name, blob, DuckDBDataProtocol.BROWSER_FILEREADER, true);
    } else {
      await this.db.registerFileBuffer(name, new Uint8Array(await blob.arrayBuffer()));
    }
  }

  async dropFile(name: string): Promise<void> {
    await this.db.dropFile(name);
  }

  async insertArrowIPC(table: string, ipc: Uint8Array): Promise<void> {
    // Also transfers its buffer: copy so the caller's bytes stay usable.
    const copy = ipc.slice();
    await this.serial(() => this.conn.insertArrowFromIPCStream(copy, { name: table, create: true }));
  }

  async appendArrowIPC(table: string, ipc: Uint8Array): Promise<void> {
    const copy = ipc.slice();
    await this.serial(() => this.conn.insertArrowFromIPCStream(copy, { name: table, create: false }));
  }

  async interrupt(): Promise<void> {
    await this.db.cancelPendingQuery(this.connId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.conn.close();
    await this.onClose?.();
  }

  private get connId(): number {
    return this.conn.useUnsafe((_db, id) => id);
  }

  /** Tail of the statement queue: see `run`. */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Run one statement; its result as Arrow IPC stream bytes. Statements on one connection are
   * serialised: duckdb-wasm streams results per connection, so two concurrent callers (e.g.
   * `Promise.all` of two queries) would otherwise read each other's record batches.
   */
  private run(sql: string, params: readonly SqlParam[]): Promise<Uint8Array> {
    return this.serial(() => this.runNow(sql, params));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(sql: string, params: readonly SqlParam[]): Promise<Uint8Array> {
    const id = this.connId;
    let header: Uint8Array | null;
    if (params.length > 0) {
      const stmt = await this.db.createPrepared(id, sql);
      try {
        header = await this.db.sendPrepared(id, stmt, params.map(bindable));
        return await this.collect(id, header);
      } finally {
        await this.db.closePrepared(id, stmt);
      }
    }
    header = await this.db.startPendingQuery(id, sql, false);
    while (header === null) header = await this.db.pollPendingQuery(id);
    return this.collect(id, header);
  }

  /** Schema message, then record batches until an empty chunk, then the end-of-stream marker. */
  private async collect(id: number, header: Uint8Array): Promise<Uint8Array> {
    const parts: Uint8Array[] = [header];
    for (;;) {
      const chunk = await this.db.fetchQueryResults(id);
      if (chunk === null) continue;
      if (chunk.length === 0) break;
      parts.push(chunk);
    }
    parts.push(END_OF_STREAM);
    let size = 0;
    for (const p of parts) size += p.length;
    const out = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/**
 * duckdb-wasm sends parameters to its worker as JSON, which has no bigint: send safe integers as
 * numbers and larger ones as decimal text (a `$1::BIGINT` / `::UBIGINT` cast reads it exactly).
 */
function bindable(p: SqlParam): SqlParam {
  if (typeof p !== 'bigint') return p;
  return Number.isSafeInteger(Number(p)) ? Number(p) : p.toString();
}

/** Arrow IPC end-of-stream: continuation marker 0xFFFFFFFF, then a zero metadata length. */
const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
