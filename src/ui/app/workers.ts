/**
 * The UI's handles on its two workers, created once and shared. At start the UI joins them
 * with a MessageChannel (the DB worker serves its DbApi on one end, the analysis worker wraps
 * the other), so the pipelines in the analysis worker read DuckDB directly: big arrays go
 * worker → worker and the UI thread sends parameters and receives results.
 */
import * as Comlink from 'comlink';
import type { AnalysisApi, DbWorkerApi } from '../../../workers/contracts.ts';
import type { Dataset } from '../../pipeline/dataset/dataset.ts';

export type DbRemote = Comlink.Remote<DbWorkerApi>;
export type AnalysisRemote = Comlink.Remote<AnalysisApi>;

let workers: { db: DbRemote; analysis: AnalysisRemote } | null = null;

function start(): { db: DbRemote; analysis: AnalysisRemote } {
  if (workers) return workers;
  const db = Comlink.wrap<DbWorkerApi>(new Worker(new URL('../../../workers/db.worker.ts', import.meta.url), { type: 'module', name: 'db' }));
  const analysis = Comlink.wrap<AnalysisApi>(new Worker(new URL('../../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' }));
  // Messages wait in a port until its worker listens, so neither side has to be ready first.
  const channel = new MessageChannel();
  void db.connectAnalysis(Comlink.transfer(channel.port1, [channel.port1]));
  void analysis.connectDb(Comlink.transfer(channel.port2, [channel.port2]));
  workers = { db, analysis };
  return workers;
}

export function dbWorker(): DbRemote {
  return start().db;
}

export function analysisWorker(): AnalysisRemote {
  return start().analysis;
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
    void analysisWorker().hotspotsOpen(key, ds.areas.features.map((f) => f.geometry));
  }
  return key;
}

export { Comlink };
