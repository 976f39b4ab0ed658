/**
 * Opens duckdb-wasm in the browser: the `eh` bundle only (the coi bundle needs COOP/COEP and
 * gave no gain on 2 cores; mvp hides SQL errors). Vite emits just the files imported here,
 * served from the app's own origin — nothing comes from a CDN. DuckDB runs in its own nested
 * worker, so this worker stays free to cancel a running query.
 */
import { AsyncDuckDB, VoidLogger } from '@duckdb/duckdb-wasm';
import ehWasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorkerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { WasmConnector } from './wasm-connector.ts';
import type { Connector } from './connector.ts';

export async function openBrowserDuckDB(): Promise<Connector> {
  const db = new AsyncDuckDB(new VoidLogger(), new Worker(ehWorkerUrl));
  await db.instantiate(ehWasmUrl);
  await db.open({ query: { castBigIntToDouble: false } });
  return WasmConnector.create(db, () => db.terminate());
}
