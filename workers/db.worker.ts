import * as Comlink from 'comlink';
import { DbApi } from '../src/pipeline/dataset/db-api.ts';
import { packBuffers, type AreaPack, type DisplayCrs } from '../src/pipeline/dataset/area-pack.ts';
import type { SqlParam } from '../src/db/connector.ts';
import { browserDbStorage, markKeptDatabase, openBrowserDuckDB, type BrowserDbStorage } from '../src/db/duckdb-browser.ts';

/** Fixed, never-resolving canary address (RFC 2606 `.invalid`): see `probeNetwork`. */
export const CANARY_URL = 'https://canary.invalid/branch-planner-db-worker';

async function fetchBytes(path: string): Promise<Uint8Array> {
  const res = await fetch(new URL(path, self.location.origin + import.meta.env.BASE_URL));
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Taken at start and never released: the browser frees it when this worker ends. */
const ALIVE: Promise<string> = new Promise((resolve, reject) => {
  const name = `branch-planner-db-alive-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  if (!navigator.locks) return reject(new Error('Web Locks are missing'));
  void navigator.locks.request(name, () => {
    resolve(name);
    return new Promise<never>(() => undefined);
  });
});
ALIVE.catch(() => undefined);

class BrowserDbApi extends DbApi {
  /**
   * Serve this API on the DB worker's end of the channel to the analysis worker (transferred
   * by the UI at start): the pipelines there read and write DuckDB without the UI thread.
   */
  connectAnalysis(port: MessagePort): void {
    Comlink.expose(this, port);
  }

  /**
   * The end-to-end test's proof that it sees every request this worker makes: one request
   * to an address that can never resolve. Nothing is sent but the request line; the app
   * itself never calls this.
   */
  async probeNetwork(): Promise<string> {
    try {
      await fetch(CANARY_URL, { mode: 'no-cors', cache: 'no-store' });
      return 'reached';
    } catch {
      return 'blocked';
    }
  }

  /** How the database is stored (OPFS file with spill, or memory): for the UI and tests. */
  async storageInfo(): Promise<BrowserDbStorage | null> {
    await this.init();
    return browserDbStorage();
  }

  /** Also name this worker's OPFS database as the kept one, so the next start reopens it. */
  override async keep(token: string): Promise<void> {
    await super.keep(token);
    await markKeptDatabase();
  }

  /**
   * The name of a Web Lock this worker holds until it ends: the UI requests it and is granted it
   * when the worker dies (killed, closed, crashed), then restarts it and reloads the dataset.
   */
  aliveLock(): Promise<string> {
    return ALIVE;
  }

  override async queryArrow(sql: string, params: readonly SqlParam[] = [], taskId?: number): Promise<Uint8Array> {
    const bytes = await super.queryArrow(sql, params, taskId);
    return Comlink.transfer(bytes, [bytes.buffer]);
  }

  override async columns(sql: string, params: readonly SqlParam[] = []) {
    const cols = await super.columns(sql, params);
    return Comlink.transfer(cols, Object.values(cols).map((c) => c.buffer as ArrayBuffer));
  }

  override async indicatorsArrow(): Promise<Uint8Array> {
    const bytes = await super.indicatorsArrow();
    return Comlink.transfer(bytes, [bytes.buffer]);
  }

  override getAreaPack(): AreaPack | null {
    const p = super.getAreaPack();
    return p && Comlink.transfer(p, packBuffers(p));
  }

  /**
   * `getAreaSources` as Blobs, made here: building a Blob copies its bytes (megabytes for
   * 20,000 areas, ~100 ms measured), and a Blob crosses to the page as a handle.
   */
  getAreaSourceBlobs(version: number, crs: DisplayCrs): { areas: Blob; labels: Blob } | null {
    const s = super.getAreaSources(version, crs);
    const blob = (b: Uint8Array) => new Blob([b as BlobPart], { type: 'application/geo+json' });
    return s && { areas: blob(s.areas), labels: blob(s.labels) };
  }

  override async sitesArrow(): Promise<Uint8Array> {
    const bytes = await super.sitesArrow();
    return Comlink.transfer(bytes, [bytes.buffer]);
  }
}

const api = new BrowserDbApi(() => openBrowserDuckDB(), fetchBytes);
Comlink.expose(api);
// Reachable from DevTools / CDP (the e2e tests and benchmarks query the worker's engine).
(globalThis as { __bpDb?: BrowserDbApi }).__bpDb = api;
export type { BrowserDbApi };
