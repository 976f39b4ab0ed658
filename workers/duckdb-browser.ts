/**
 * Opens duckdb-wasm in the browser: the `eh` bundle only (the coi bundle needs COOP/COEP and
 * gave no gain on 2 cores; mvp hides SQL errors). Vite emits just the files imported here,
 * served from the app's own origin — nothing comes from a CDN. DuckDB runs in its own nested
 * worker, so this worker stays free to cancel a running query.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorkerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { tableToIPC } from 'apache-arrow';
import type { Connector, SqlParam } from '../src/db/connector.ts';

export async function openBrowserDuckDB(): Promise<Connector> {
  const worker = new Worker(ehWorkerUrl);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(ehWasmUrl);
  await db.open({ query: { castBigIntToDouble: false } });
  const conn = await db.connect();

  const run = async (sql: string, params?: readonly SqlParam[]) => {
    if (!params || params.length === 0) return conn.query(sql);
    const stmt = await conn.prepare(sql);
    try {
      return await stmt.query(...params);
    } finally {
      await stmt.close();
    }
  };

  return {
    engine: 'duckdb-wasm',
    async query<T>(sql: string, params?: readonly SqlParam[]) {
      const table = await run(sql, params);
      return table.toArray().map((r) => r.toJSON()) as T[];
    },
    async queryArrow(sql, params) {
      return tableToIPC(await run(sql, params), 'stream');
    },
    async exec(sql) {
      await conn.query(sql);
    },
    async registerFile(name, bytes) {
      await db.registerFileBuffer(name, bytes);
    },
    async dropFile(name) {
      await db.dropFile(name);
    },
    async insertArrowIPC(table, ipc) {
      await conn.insertArrowFromIPCStream(ipc, { name: table, create: true });
    },
    async interrupt() {
      await conn.cancelSent();
    },
    async close() {
      await conn.close();
      await db.terminate();
    },
  };
}
