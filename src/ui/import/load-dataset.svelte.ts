/**
 * Loading data from the UI: the demo city or the user's files go to the DB worker, and on
 * success the UI's dataset is rebuilt from what the worker holds. A failed or cancelled load
 * leaves `app.dataset` (and the worker's tables) as they were.
 *
 * Before user files are read, their size is checked against what this browser can hold
 * (capacity.ts): a load that cannot fit is refused up front with a message in the user's
 * language, and an engine that runs out of memory anyway ends in the same message, never in
 * DuckDB's own text. Either way nothing is committed and the dataset on screen stays.
 */
import type { DatasetMeta, LoadOutcome } from '../../pipeline/dataset/db-api.ts';
import type { LoadInput } from '../../data/types.ts';
import { app } from '../app/app-state.svelte.ts';
import { buildDataset } from '../../pipeline/dataset/dataset.ts';
import { runTask, whileBusy } from '../app/tasks.svelte.ts';
import { dbWorker, DbWorkerDied } from '../app/workers.ts';
import { areaKeysOf, fetchAreas } from '../map/area-geometry.ts';
import { checkCapacity, isOutOfMemory, memoryCapBytes, type CapacityFile, type Refusal } from './capacity.ts';

/** The outcome of the last load (report, rejects preview, problems) for the Data panel. */
export const lastLoad = $state({ outcome: null as LoadOutcome | null, refusal: null as Refusal | null });

/** Thrown by `loadFiles` when the engine ran out of memory; `lastLoad.refusal` says it in words. */
export class CapacityRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(`${refusal.file} does not fit in this browser`);
    this.name = 'CapacityRefused';
  }
}

async function refresh(outcome: LoadOutcome | null): Promise<LoadOutcome | null> {
  if (!outcome) return null;
  lastLoad.outcome = outcome;
  if (!outcome.ok) return outcome;
  const db = dbWorker();
  // Areas in slices from typed arrays: a big areas file never stalls the UI (issue 15).
  const [areas, ind, sites] = await Promise.all([fetchAreas(db), db.indicatorsArrow(), db.sitesArrow()]);
  app.setDataset(buildDataset(outcome.summary, areas ?? { type: 'FeatureCollection', features: [] }, ind, sites, areaKeysOf(areas)));
  return outcome;
}

/**
 * Refuse `files` before any byte is read when this browser cannot hold them: sets
 * `lastLoad.refusal` and returns true. Clears an earlier refusal otherwise.
 */
export async function refuseIfTooBig(files: readonly CapacityFile[]): Promise<boolean> {
  lastLoad.refusal = null;
  const info = await dbWorker().storageInfo().catch(() => null);
  const refusal = checkCapacity(files, memoryCapBytes(), info?.mode ?? 'memory');
  lastLoad.refusal = refusal;
  return refusal !== null;
}

export async function loadDemo(): Promise<LoadOutcome | null> {
  const db = dbWorker();
  const base = new URL(import.meta.env.BASE_URL + 'demo/', location.href).pathname;
  // Busy until the map's data is read back too, not only until the worker's load ends.
  return whileBusy('task.loadDemo', async () =>
    refresh(await runTask<LoadOutcome>('task.loadDemo', (id, onProgress) => db.loadDemo(base, id, onProgress), (id) => db.cancel(id))),
  );
}

/**
 * Show the kept dataset straight from the database file that still holds it (after a reload),
 * when it does: null when it does not (the caller loads the kept files again).
 */
export async function reopenKept(token: string): Promise<LoadOutcome | null> {
  const outcome = await dbWorker().reopen(token).catch(() => null);
  return outcome ? refresh(outcome) : null;
}

/** Tag the database as holding the kept dataset `token` (best effort: a reload then reopens it). */
export function tagKept(token: string): void {
  void dbWorker().keep(token).catch(() => undefined);
}

/** Undo the last load of files in the DB worker and show the data as it was before it (busy meanwhile). */
export async function restorePrevious(): Promise<LoadOutcome | null> {
  return whileBusy('import.undo.busy', async () => refresh(await dbWorker().restorePrevious()));
}

const OUT_OF_MEMORY = Symbol('out of memory');
const DIED = Symbol('DB worker died');

export async function loadFiles(inputs: LoadInput[], meta: DatasetMeta): Promise<LoadOutcome | null> {
  return whileBusy('task.loadFiles', () => loadFilesTask(inputs, meta));
}

async function loadFilesTask(inputs: LoadInput[], meta: DatasetMeta): Promise<LoadOutcome | null> {
  const db = dbWorker();
  const files = inputs.map((i) => ({ fileName: i.fileName, bytes: i.blob?.size ?? i.bytes.length }));
  const outcome = await runTask<LoadOutcome | typeof OUT_OF_MEMORY | typeof DIED>(
    'task.loadFiles',
    (id, onProgress) =>
      db.loadFiles(inputs, meta, id, onProgress).catch((e: unknown) => {
        // Said in words below; the engine's text never reaches the status bar. A dead worker
        // first: its message says "out of memory or closed", which is not the engine's refusal.
        if (e instanceof DbWorkerDied) return DIED;
        if (isOutOfMemory(e)) return OUT_OF_MEMORY;
        throw e;
      }),
    (id) => db.cancel(id),
  );
  if (outcome === OUT_OF_MEMORY) {
    const largest = [...files].sort((a, b) => b.bytes - a.bytes)[0];
    const refusal: Refusal = { file: largest?.fileName ?? '', needBytes: 0, capBytes: memoryCapBytes(), reason: 'engine' };
    lastLoad.refusal = refusal;
    throw new CapacityRefused(refusal);
  }
  // The import panel says it in words; dataset-sync reloads the kept dataset.
  if (outcome === DIED) throw new DbWorkerDied();
  return refresh(outcome);
}
