/**
 * Long calls across the worker boundary: AbortSignal cannot cross postMessage, so each call
 * carries a task id and the UI cancels by id. Progress is a callback the UI passes wrapped in
 * `Comlink.proxy`.
 */
export interface Progress {
  /** i18n key of the step, e.g. 'load.customers'. */
  step: string;
  /** 0..1, or null when the step cannot estimate. */
  fraction: number | null;
}
export type ProgressFn = (p: Progress) => void;

export class TaskRegistry {
  private readonly controllers = new Map<number, AbortController>();

  start(taskId: number): AbortSignal {
    const c = new AbortController();
    this.controllers.set(taskId, c);
    return c.signal;
  }

  cancel(taskId: number): boolean {
    const c = this.controllers.get(taskId);
    c?.abort(new DOMException('Cancelled', 'AbortError'));
    return c !== undefined;
  }

  end(taskId: number): void {
    this.controllers.delete(taskId);
  }

  /** Run `fn` as task `taskId`, always unregistering it. */
  async run<T>(taskId: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = this.start(taskId);
    try {
      return await fn(signal);
    } finally {
      this.end(taskId);
    }
  }
}
