/**
 * Connector over native DuckDB (@duckdb/node-api): the CLI's engine. Node-only.
 *
 * Registered files are written to a private temporary directory (removed on close) that is
 * put on DuckDB's `file_search_path`, so SQL names them exactly as on duckdb-wasm
 * (`read_csv('bp-….csv')`) and the same SQL text runs on both engines.
 */
import { createWriteStream, openAsBlob, symlinkSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, unlinkSync, existsSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { tableToIPC } from 'apache-arrow';
import type { Connector } from './connector.ts';
import type { SqlParam } from '../sql/ident.ts';
import { appendArrowIPC, resultToArrow } from './native-arrow.ts';
import { assertFileName, ENGINE_SETTINGS_SQL } from './engine-settings.ts';

export interface NativeConnectorOptions {
  /** DuckDB worker threads; default: DuckDB's own (all cores). */
  threads?: number;
  /**
   * DuckDB's memory_limit (e.g. '3GB'); default DuckDB's own (80 % of RAM). Past it, DuckDB
   * spills to a directory inside the connector's private temporary directory.
   */
  memoryLimit?: string;
}

/** BP_SQL_TRACE=1: each statement's time and start on stderr (profiling the CLI at scale). */
function trace(kind: string, t0: number, sql: string): void {
  if (process.env.BP_SQL_TRACE) process.stderr.write(`[${kind} ${(performance.now() - t0).toFixed(0)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 300)}\n`);
}

/** Blobs made by `fileBlob`, with the file each reads. */
const FILE_BLOBS = new WeakMap<Blob, string>();

/**
 * A disk-backed Blob of the file at `path` (read in slices, never whole), which `registerBlob`
 * links into place instead of copying.
 */
export async function fileBlob(path: string): Promise<Blob> {
  const blob = await openAsBlob(path);
  FILE_BLOBS.set(blob, path);
  return blob;
}

export class NativeConnector implements Connector {
  readonly engine = 'duckdb-native';
  private closed = false;

  get fileRoot(): string {
    return this.dir + '/';
  }

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    private readonly dir: string,
  ) {}

  static async create(options: NativeConnectorOptions = {}): Promise<NativeConnector> {
    const config: Record<string, string> = {
      autoload_known_extensions: 'false',
      autoinstall_known_extensions: 'false',
    };
    if (options.threads !== undefined) config.threads = String(options.threads);
    const dir = mkdtempSync(join(tmpdir(), 'branch-planner-'));
    // spill here rather than in `.tmp` under the working directory; removed on close
    config.temp_directory = join(dir, 'spill');
    if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const conn = await instance.connect();
    const c = new NativeConnector(instance, conn, dir);
    await c.exec(ENGINE_SETTINGS_SQL);
    // A string literal, not a parameter: SET takes no parameters. The path is ours (mkdtemp).
    await c.exec(`SET file_search_path = '${dir.replaceAll("'", "''")}'`);
    return c;
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    const t = performance.now();
    const reader = await this.conn.runAndReadAll(sql, params.length ? (params as DuckDBValue[]) : undefined);
    trace('query', t, sql);
    return reader.getRowObjectsJS() as T[];
  }

  async queryArrow(sql: string, params: readonly SqlParam[] = []): Promise<Uint8Array> {
    const result = await this.conn.run(sql, params.length ? (params as DuckDBValue[]) : undefined);
    return tableToIPC(resultToArrow(result), 'stream');
  }

  async exec(sql: string): Promise<void> {
    const t = performance.now();
    await this.conn.run(sql);
    trace('sql', t, sql);
  }

  async registerFile(name: string, bytes: Uint8Array): Promise<void> {
    assertFileName(name);
    const path = join(this.dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }

  async registerBlob(name: string, blob: Blob): Promise<void> {
    assertFileName(name);
    const path = join(this.dir, name);
    mkdirSync(dirname(path), { recursive: true });
    // A file on disk (the CLI's inputs): linked, not copied.
    const source = FILE_BLOBS.get(blob);
    if (source !== undefined) return symlinkSync(source, path);
    // Streamed in the Blob's own chunks: never the whole file in the JS heap.
    const out = createWriteStream(path);
    try {
      for await (const chunk of blob.stream() as unknown as AsyncIterable<Uint8Array>) {
        if (!out.write(chunk)) await once(out, 'drain');
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
  }

  async dropFile(name: string): Promise<void> {
    assertFileName(name);
    const p = join(this.dir, name);
    if (existsSync(p)) unlinkSync(p);
  }

  async insertArrowIPC(table: string, ipc: Uint8Array): Promise<void> {
    await appendArrowIPC(this.conn, table, ipc);
  }

  async interrupt(): Promise<void> {
    this.conn.interrupt();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.conn.closeSync();
    this.instance.closeSync();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
