/**
 * duckdb-wasm under Node, for tests and benchmarks that must run the browser's engine.
 * Node-only (imports node:module): the browser builds its AsyncDuckDB in the DB worker.
 *
 * Why the async API in a `web-worker` thread rather than the blocking API: it is the exact code
 * path the browser uses (worker protocol, pending queries, cancelSent), so interrupt and error
 * behaviour are tested as shipped. The `eh` bundle: the `mvp` bundle hides SQL errors under Node.
 */
import { createRequire } from 'node:module';
import { AsyncDuckDB, VoidLogger } from '@duckdb/duckdb-wasm';
import Worker from 'web-worker';
import { WasmConnector } from './wasm-connector.ts';

const require = createRequire(import.meta.url);

export async function createNodeWasmConnector(): Promise<WasmConnector> {
  const workerPath = require.resolve('./wasm-node-worker.cjs');
  const wasmPath = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm');
  // `type: 'module'` makes web-worker import() the file; as a classic script it would be run
  // without `module`/`require` and the CommonJS worker bundle would fail to start.
  const worker = new Worker(workerPath, { type: 'module' });
  const db = new AsyncDuckDB(new VoidLogger(), worker as unknown as globalThis.Worker);
  try {
    await db.instantiate(wasmPath);
    await db.open({ query: { castBigIntToDouble: false } });
  } catch (e) {
    await db.terminate();
    throw e;
  }
  return WasmConnector.create(db, () => db.terminate());
}
