/**
 * Loading data from the UI: the demo city or the user's files go to the DB worker, and on
 * success the UI's dataset is rebuilt from what the worker holds. A failed or cancelled load
 * leaves `app.dataset` (and the worker's tables) as they were.
 */
import type { DatasetMeta, LoadOutcome } from '../../pipeline/dataset/db-api.ts';
import type { LoadInput } from '../../data/types.ts';
import { app } from '../app/app-state.svelte.ts';
import { buildDataset } from '../../pipeline/dataset/dataset.ts';
import { runTask } from '../app/tasks.svelte.ts';
import { dbWorker } from '../app/workers.ts';

/** The outcome of the last load (report, rejects preview, problems) for the Data panel. */
export const lastLoad = $state({ outcome: null as LoadOutcome | null });

async function refresh(outcome: LoadOutcome | null): Promise<LoadOutcome | null> {
  if (!outcome) return null;
  lastLoad.outcome = outcome;
  if (!outcome.ok) return outcome;
  const db = dbWorker();
  const [areas, ind, sites] = await Promise.all([db.getAreas(), db.indicatorsArrow(), db.sitesArrow()]);
  app.setDataset(buildDataset(outcome.summary, areas ?? { type: 'FeatureCollection', features: [] }, ind, sites));
  return outcome;
}

export async function loadDemo(): Promise<LoadOutcome | null> {
  const db = dbWorker();
  const base = new URL(import.meta.env.BASE_URL + 'demo/', location.href).pathname;
  return refresh(await runTask<LoadOutcome>('task.loadDemo', (id, onProgress) => db.loadDemo(base, id, onProgress), (id) => db.cancel(id)));
}

export async function loadFiles(inputs: LoadInput[], meta: DatasetMeta): Promise<LoadOutcome | null> {
  const db = dbWorker();
  return refresh(
    await runTask<LoadOutcome>(
      'task.loadFiles',
      (id, onProgress) => db.loadFiles(inputs, meta, id, onProgress),
      (id) => db.cancel(id),
    ),
  );
}
