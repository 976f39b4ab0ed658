/**
 * Keeping the dataset on screen trustworthy when something outside this tab's control happens:
 * - the DB worker dies (killed, out of memory): workers.ts notices and restarts it; here the
 *   dataset is reloaded from this browser's store (or the demo city when nothing is kept) and
 *   the user is told;
 * - another tab changes or clears the kept dataset: this tab says so and offers to load it,
 *   rather than keep showing its own data as if it were still the kept one.
 */
import { onDbWorkerRestart } from '../app/workers.ts';
import { status } from '../app/tasks.svelte.ts';
import { importSession } from './import-session.svelte.ts';
import { loadDemo } from './load-dataset.svelte.ts';
import { onStoreChangedElsewhere, readStoredDataset, type StoreChange } from './persist-dataset.ts';

export const datasetNotices = $state({
  /** The DB worker was restarted: 'reloading', then whether the dataset came back. */
  restarted: null as null | 'reloading' | 'ok' | 'failed',
  /** The last change another tab made to the kept dataset, until the user acts on it. */
  otherTab: null as StoreChange | null,
});

let started = false;

export function startDatasetSync(): void {
  if (started) return;
  started = true;
  onDbWorkerRestart(() => void recover());
  onStoreChangedElsewhere((change) => (datasetNotices.otherTab = change));
}

async function recover(): Promise<void> {
  datasetNotices.restarted = 'reloading';
  // Calls to the dead worker never answer: the task it ran is over.
  status.task = null;
  let ok: boolean;
  const rec = await readStoredDataset().catch(() => null);
  if (rec) {
    await importSession.restore(rec).catch(() => undefined);
    ok = !importSession.restoreFailed;
  } else {
    ok = (await loadDemo().catch(() => null))?.ok === true;
  }
  datasetNotices.restarted = ok ? 'ok' : 'failed';
}

/** Load the kept dataset (as another tab left it) into this tab. */
export async function loadKeptHere(): Promise<void> {
  datasetNotices.otherTab = null;
  await importSession.restore();
}

export function dismissOtherTab(): void {
  datasetNotices.otherTab = null;
}

export function dismissRestarted(): void {
  datasetNotices.restarted = null;
}
