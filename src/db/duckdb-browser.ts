/**
 * Opens duckdb-wasm in the browser: the `eh` bundle only (the coi bundle needs COOP/COEP and
 * gave no gain on 2 cores; mvp hides SQL errors). Vite emits just the files imported here,
 * served from the app's own origin — nothing comes from a CDN. DuckDB runs in its own nested
 * worker, so this worker stays free to cancel a running query.
 *
 * Where the data lives: in a database file of this tab's own in the Origin Private File System
 * (`opfs://branch-planner/work-<id>.duckdb`), not in wasm memory only. DuckDB's buffer manager
 * then writes table blocks to that file and evicts them under its memory limit, so a dataset
 * larger than the wasm heap (4 GiB at most) can be loaded; intermediates of big joins and sorts,
 * and a load's scratch tables (TEMP: src/data/source.ts `scratch`), spill to a temporary directory
 * beside it. Each tab (and each restart of a crashed worker)
 * takes a file of its own — OPFS gives one writer per file — and holds a Web Lock named after
 * it for as long as it lives; files whose lock nobody holds are left over from closed tabs and
 * are deleted at the next start — except the one named in `kept-db.txt`: the working file of the
 * tab that last saved the kept dataset (`markKeptDatabase`). The next worker to start adopts that
 * file when no live tab holds it, so a reload reopens the tables in place (DbApi.reopen) instead
 * of loading the kept files again. The kept files themselves are stored apart (persist-dataset.ts)
 * and remain the fallback. Without OPFS (old browsers, some private modes) DuckDB runs in
 * memory, as before, and `storageInfo()` says so.
 */
import { AsyncDuckDB, DuckDBAccessMode, VoidLogger } from '@duckdb/duckdb-wasm';
import ehWasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorkerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { WasmConnector } from './wasm-connector.ts';
import type { Connector } from './connector.ts';

/** How the current database is stored (for the capacity estimate, the UI and tests). */
export interface BrowserDbStorage {
  mode: 'opfs' | 'memory';
  /** The database file, e.g. `opfs://branch-planner/work-….duckdb`; null in memory. */
  path: string | null;
  /** Where intermediates spill; null when they cannot. */
  tempDirectory: string | null;
  /** DuckDB's memory limit in bytes (what the buffer manager keeps in wasm memory). */
  memoryLimitBytes: number;
  /** Why OPFS is not used (shown to nobody; for tests and the benchmark). */
  fallbackReason?: string;
  /** The working file of an earlier worker (the kept dataset's) was opened again. */
  adopted?: boolean;
}

/** The folder of OPFS this app writes to (working databases and the kept dataset's files). */
export const OPFS_DIR = 'branch-planner';
const LOCK_PREFIX = 'branch-planner-work-';
/** Holds the id of the working database that holds the kept dataset. */
const KEPT_MARKER = 'kept-db.txt';

/**
 * DuckDB's memory limit in the browser. The wasm heap is capped at 4 GiB and never shrinks;
 * the page, the analysis worker and the DB worker's JS heap (the scan's record offsets, one
 * slice of coordinates) come on top. At 2 GiB a 12M-customer load peaked at 2.64 GB of renderer
 * memory (over the 2.5 GB budget). At 1.5 GiB the buffer pool filled up during that load: the
 * wasm heap stood at 1.7 GB resident, the app's renderer at 2.19 GB after the load and 2.44 GB
 * after Sites. At 1.25 GiB the buffer manager writes table blocks to the OPFS database and spills
 * intermediates sooner: wasm 1.40 GB, renderer 1.92 GB after the load and 2.14 GB after Sites,
 * load time unchanged (104.7 vs 103.6 s). At 1 GiB that load failed (its final table did not fit).
 * Figures from bench/scale-browser.bench.ts.
 */
export const BROWSER_MEMORY_LIMIT = 1.25 * 1024 ** 3;

/** The id of the working database this worker opened (null in memory). */
let workId: string | null = null;

export interface OpenOptions {
  /** Use OPFS when available (default true); false forces an in-memory database. */
  opfs?: boolean;
}

let storage: BrowserDbStorage | null = null;

/** How the database opened by the last `openBrowserDuckDB` is stored. */
export function browserDbStorage(): BrowserDbStorage | null {
  return storage;
}

export async function openBrowserDuckDB(options: OpenOptions = {}): Promise<Connector> {
  const db = new AsyncDuckDB(new VoidLogger(), new Worker(ehWorkerUrl));
  await db.instantiate(ehWasmUrl);
  const query = { castBigIntToDouble: false };
  let fallbackReason: string | undefined;
  if (options.opfs !== false) {
    const work = await claimWorkFile().catch((e: unknown) => {
      fallbackReason = `no OPFS: ${e instanceof Error ? e.message : String(e)}`;
      return null;
    });
    if (work) {
      try {
        await db.open({ path: `opfs://${work.file}`, accessMode: DuckDBAccessMode.READ_WRITE, query, opfs: { fileHandling: 'auto' } });
        const conn = await WasmConnector.create(db, async () => {
          await db.terminate();
          work.release();
        });
        // Directories are ours (constants and a random id), never data.
        await conn.exec(
          `SET memory_limit = '${BROWSER_MEMORY_LIMIT}B'; SET temp_directory = 'opfs://${work.temp}'; SET preserve_insertion_order = true;`,
        );
        storage = { mode: 'opfs', path: `opfs://${work.file}`, tempDirectory: `opfs://${work.temp}`, memoryLimitBytes: BROWSER_MEMORY_LIMIT, adopted: work.adopted };
        workId = work.id;
        return conn;
      } catch (e) {
        fallbackReason = `OPFS database could not be opened: ${e instanceof Error ? e.message : String(e)}`;
        work.release();
        await db.reset().catch(() => undefined);
      }
    }
  } else {
    fallbackReason = 'OPFS not requested';
  }
  await db.open({ query });
  const conn = await WasmConnector.create(db, () => db.terminate());
  await conn.exec(`SET memory_limit = '${BROWSER_MEMORY_LIMIT}B'`);
  storage = { mode: 'memory', path: null, tempDirectory: null, memoryLimitBytes: BROWSER_MEMORY_LIMIT, fallbackReason };
  return conn;
}

interface WorkFile {
  id: string;
  /** OPFS path of the database, relative to the root. */
  file: string;
  temp: string;
  /** An earlier worker's file (the kept dataset's), not a fresh one. */
  adopted: boolean;
  release: () => void;
}

/**
 * Name this worker's database as the one holding the kept dataset (after DbApi.keep): the next
 * worker to start adopts it instead of a fresh file. False when there is no OPFS database.
 */
export async function markKeptDatabase(): Promise<boolean> {
  if (!workId) return false;
  const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(OPFS_DIR, { create: true });
  const w = await (await dir.getFileHandle(KEPT_MARKER, { create: true })).createWritable();
  await w.write(workId);
  await w.close();
  return true;
}

async function readMarker(dir: FileSystemDirectoryHandle): Promise<string | null> {
  try {
    const text = (await (await dir.getFileHandle(KEPT_MARKER)).getFile()).text();
    const id = (await text).trim();
    // Ids are ours (see claimWorkFile); anything else is not used as a file name.
    return /^[a-z0-9]+-[a-z0-9]+$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/**
 * Hold the Web Lock `name` until `release` is called; null when another holder has it (after
 * waiting up to `waitMs` for it to be let go).
 */
async function tryLock(name: string, waitMs = 0): Promise<(() => void) | null> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const options: LockOptions = waitMs > 0 ? { signal: AbortSignal.timeout(waitMs) } : { ifAvailable: true };
  const granted = await new Promise<boolean>((resolve, reject) => {
    navigator.locks
      .request(name, options, (lock) => {
        resolve(!!lock);
        return lock ? held : undefined;
      })
      .catch((e: unknown) => (e instanceof DOMException && (e.name === 'AbortError' || e.name === 'TimeoutError') ? resolve(false) : reject(e)));
  });
  return granted ? release : null;
}

/**
 * How long a starting worker waits for the kept database's lock. On a reload the page before
 * lets its worker go only after the new one starts (seen at 6M customers: the kept file was
 * loaded again, 145 s, instead of the database reopened); a second live tab keeps it, and this
 * one then starts on a fresh file after the wait.
 */
const KEPT_LOCK_WAIT_MS = 8_000;

/**
 * A fresh working database name for this worker, locked for its lifetime, after deleting the
 * files of workers that are gone (their locks are free).
 */
async function claimWorkFile(): Promise<WorkFile> {
  if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory) throw new Error('navigator.storage.getDirectory is missing');
  if (!navigator.locks) throw new Error('Web Locks are missing');
  const root = await navigator.storage.getDirectory();
  const dir = await root.getDirectoryHandle(OPFS_DIR, { create: true });
  const kept = await readMarker(dir);
  let id: string | null = null;
  let release: (() => void) | null = null;
  // The kept dataset's database, when no live tab has it open.
  if (kept) release = await tryLock(LOCK_PREFIX + kept, KEPT_LOCK_WAIT_MS);
  if (release) id = kept;
  else {
    id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    release = await tryLock(LOCK_PREFIX + id);
    if (!release) throw new Error('work lock refused');
  }
  await removeStaleWorkFiles(dir, kept).catch(() => undefined);
  return { id: id!, file: `${OPFS_DIR}/work-${id}.duckdb`, temp: `${OPFS_DIR}/tmp-${id}`, adopted: id === kept, release };
}

/** Delete `work-<id>.duckdb(.wal)` and `tmp-<id>/` whose lock no live worker holds (but the kept database). */
async function removeStaleWorkFiles(dir: FileSystemDirectoryHandle, kept: string | null): Promise<void> {
  const { held = [] } = await navigator.locks.query();
  const live = new Set(held.map((l) => l.name).filter((n): n is string => !!n?.startsWith(LOCK_PREFIX)).map((n) => n.slice(LOCK_PREFIX.length)));
  const stale: string[] = [];
  for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) {
    const m = /^(?:work-(.+?)\.duckdb(?:\.wal)?|tmp-(.+))$/.exec(name);
    const id = m?.[1] ?? m?.[2];
    // The kept database stays (its temp directory is only scratch).
    if (id && !live.has(id) && !(id === kept && m?.[1])) stale.push(name);
  }
  for (const name of stale) await dir.removeEntry(name, { recursive: true }).catch(() => undefined);
}
