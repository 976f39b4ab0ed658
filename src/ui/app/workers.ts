/** The UI's handles on its two workers, created once and shared. */
import * as Comlink from 'comlink';
import type { AnalysisApi, DbWorkerApi } from '../../../workers/contracts.ts';

export type DbRemote = Comlink.Remote<DbWorkerApi>;
export type AnalysisRemote = Comlink.Remote<AnalysisApi>;

let db: DbRemote | null = null;
let analysis: AnalysisRemote | null = null;

export function dbWorker(): DbRemote {
  db ??= Comlink.wrap<DbWorkerApi>(new Worker(new URL('../../../workers/db.worker.ts', import.meta.url), { type: 'module', name: 'db' }));
  return db;
}

export function analysisWorker(): AnalysisRemote {
  analysis ??= Comlink.wrap<AnalysisApi>(
    new Worker(new URL('../../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' }),
  );
  return analysis;
}

export { Comlink };
