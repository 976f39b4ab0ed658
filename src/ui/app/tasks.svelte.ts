/**
 * Long work the status bar shows: one task at a time per kind, with progress and a cancel
 * button. Workers get a task id and cancel by it (an AbortSignal cannot cross postMessage).
 */
import { Comlink } from './workers.ts';
import type { Progress } from '../../pipeline/tasks.ts';
import type { MessageKey } from '../../i18n/i18n.svelte.ts';

export interface TaskState {
  id: number;
  label: MessageKey;
  step: string | null;
  fraction: number | null;
  cancel: () => void;
}

export const status = $state({
  task: null as TaskState | null,
  /** Last outcome worth telling the user: an error message or a cancellation. */
  message: null as { kind: 'error' | 'cancelled'; text: string } | null,
  /**
   * A workflow of several steps still running (restoring a dataset: the demo, then each batch of
   * files, then saving the record): shown between its tasks, so the bar never says Ready before
   * the whole of it is done. Not cancellable as a whole.
   */
  busy: null as MessageKey | null,
});

let busyDepth = 0;

/** Run `work` with the status bar busy under `label` until it settles (nested calls keep the outer label). */
export async function whileBusy<T>(label: MessageKey, work: () => Promise<T>): Promise<T> {
  if (busyDepth++ === 0) status.busy = label;
  try {
    return await work();
  } finally {
    if (--busyDepth === 0) status.busy = null;
  }
}

let nextId = 1;

export function isAbort(e: unknown): boolean {
  const msg = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return /AbortError|Cancelled|INTERRUPT|interrupted/i.test(msg);
}

/**
 * Run `work(taskId, onProgress)` as the visible task. `cancel(taskId)` is the worker's cancel.
 * Resolves to the result, or to null when the user cancelled.
 */
export async function runTask<T>(
  label: MessageKey,
  work: (taskId: number, onProgress: (p: Progress) => void) => Promise<T>,
  cancel: (taskId: number) => unknown,
): Promise<T | null> {
  const id = nextId++;
  status.message = null;
  status.task = {
    id, label, step: null, fraction: null,
    cancel: () => void cancel(id),
  };
  const onProgress = Comlink.proxy((p: Progress) => {
    if (status.task?.id === id) {
      status.task.step = p.step;
      status.task.fraction = p.fraction;
    }
  });
  try {
    return await work(id, onProgress);
  } catch (e) {
    if (isAbort(e)) {
      status.message = { kind: 'cancelled', text: '' };
      return null;
    }
    status.message = { kind: 'error', text: e instanceof Error ? e.message : String(e) };
    throw e;
  } finally {
    if (status.task?.id === id) status.task = null;
  }
}
