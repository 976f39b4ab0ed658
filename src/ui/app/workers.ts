/**
 * The UI's handles on its two workers, created once and shared. At start the UI joins them
 * with a MessageChannel (the DB worker serves its DbApi on one end, the analysis worker wraps
 * the other), so the pipelines in the analysis worker read DuckDB directly: big arrays go
 * worker → worker and the UI thread sends parameters and receives results.
 */
import * as Comlink from 'comlink';
import type { AnalysisApi, DbWorkerApi } from '../../../workers/contracts.ts';
import type { Dataset } from '../../pipeline/dataset/dataset.ts';
import { areaGeometryCopy } from '../map/area-geometry.ts';

export type DbRemote = Comlink.Remote<DbWorkerApi>;
export type AnalysisRemote = Comlink.Remote<AnalysisApi>;

interface Started {
  db: DbRemote;
  analysis: AnalysisRemote;
  dbWorker: Worker;
  analysisWorker: Worker;
  /** Rejects with DbWorkerDied when this DB worker is found dead (never resolves). */
  died: Promise<never>;
  die: (e: DbWorkerDied) => void;
}

/** DbWorkerDied's message: what a panel's error note recognises and says in the user's language. */
export const DB_WORKER_DIED_MESSAGE = 'the data engine stopped while working (out of memory or closed)';

/**
 * A call to either worker that was running when the DB worker died: it would never answer (the
 * analysis worker is replaced too, its channel pointed at the dead one).
 */
export class DbWorkerDied extends Error {
  override readonly name = 'DbWorkerDied';
  constructor() {
    super(DB_WORKER_DIED_MESSAGE);
  }
}

let workers: Started | null = null;
/** Called once each time the DB worker is found dead and both workers were started afresh. */
let onRestart: (() => void) | null = null;

function start(): Started {
  if (workers) return workers;
  const dbW = new Worker(new URL('../../../workers/db.worker.ts', import.meta.url), { type: 'module', name: 'db' });
  const analysisW = new Worker(new URL('../../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });
  const db = Comlink.wrap<DbWorkerApi>(dbW);
  const analysis = Comlink.wrap<AnalysisApi>(analysisW);
  // Messages wait in a port until its worker listens, so neither side has to be ready first.
  const channel = new MessageChannel();
  void db.connectAnalysis(Comlink.transfer(channel.port1, [channel.port1]));
  void analysis.connectDb(Comlink.transfer(channel.port2, [channel.port2]));
  let die: (e: DbWorkerDied) => void = () => undefined;
  const died = new Promise<never>((_, reject) => (die = reject));
  died.catch(() => undefined); // only the calls raced against it care
  const started: Started = { db, analysis, dbWorker: dbW, analysisWorker: analysisW, died, die };
  workers = started;
  watch(started);
  // For the e2e: what a crash looks like, at any moment (a busy worker cannot run self.close()).
  (globalThis as { __bpKillDbWorker?: () => void }).__bpKillDbWorker = () => dbW.terminate();
  return started;
}

/**
 * Notice the DB worker's death (terminated, closed, crashed): it holds a Web Lock for its whole
 * life (`aliveLock`), and the browser releases a worker's locks when it ends, so our request for
 * that lock is granted exactly then — no polling, no false alarm while the worker is busy with a
 * long load. Both workers are then replaced (the analysis worker's channel pointed at the dead
 * one) and `onRestart` reloads the dataset.
 */
function watch(started: Started): void {
  if (typeof navigator === 'undefined' || !navigator.locks) return;
  void started.db
    .aliveLock()
    .then((name) =>
      navigator.locks.request(name, () => {
        if (workers !== started) return;
        started.dbWorker.terminate();
        started.analysisWorker.terminate();
        workers = null;
        open = null;
        started.die(new DbWorkerDied());
        onRestart?.();
      }),
    )
    .catch(() => undefined);
}

/** What to do after the DB worker was found dead and restarted (reload the dataset, tell the user). */
export function onDbWorkerRestart(fn: () => void): void {
  onRestart = fn;
}

/**
 * A handle that always reaches the current worker, so modules may keep it in a constant and
 * still talk to the replacement after a restart. Every call through it is raced against the
 * death of the DB worker it went to: a load, an analysis or any other call running then rejects
 * with DbWorkerDied instead of waiting forever (comlink's promise never settles once the worker
 * is gone), so its panel can say so. A caller that ignores the result (`void worker.cancel(id)`)
 * gets no unhandled rejection.
 */
function stable<T extends object>(pick: (w: Started) => T): T {
  return new Proxy({} as T, {
    get: (_t, prop) => {
      const w = start();
      const member: unknown = Reflect.get(pick(w), prop);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const result: unknown = member(...args);
        if (!(result instanceof Promise)) return result;
        const raced = Promise.race([result, w.died]);
        raced.catch(() => undefined);
        return raced;
      };
    },
  });
}

const dbHandle = stable((w) => w.db);
const analysisHandle = stable((w) => w.analysis);

export function dbWorker(): DbRemote {
  return dbHandle;
}



export function analysisWorker(): AnalysisRemote {
  return analysisHandle;
}

const keys = new WeakMap<Dataset, string>();
let loads = 0;
let open: Dataset | null = null;

/**
 * The analysis worker's name for a loaded dataset, (re)opened there with its study areas
 * when it is not the open one. Every tab uses the same name, so customers are fetched and
 * placed on the grid once per dataset; each load has its own name, so the worker's caches
 * never mix two loads and calls left over from another dataset end as cancelled.
 */
export function analysisDataset(ds: Dataset): string {
  let key = keys.get(ds);
  if (key === undefined) keys.set(ds, (key = `${ds.summary.fingerprint}#${++loads}`));
  if (open !== ds) {
    open = ds;
    // The areas' packed geometry when they came as one (a copy, transferred: cloning 20,000
    // GeoJSON geometries would hold the UI thread for a second).
    const copy = areaGeometryCopy(ds.areas);
    if (copy) {
      void analysisWorker().hotspotsOpenPacked(key, Comlink.transfer(copy, Object.values(copy).map((a) => a.buffer as ArrayBuffer)));
    } else void analysisWorker().hotspotsOpen(key, ds.areas.features.map((f) => f.geometry));
  }
  return key;
}

export { Comlink };
