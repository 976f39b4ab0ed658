/**
 * Where a recommendation run executes. In the browser: a dedicated worker
 * (sites-solve.worker.ts) per run, terminated on cancel — the core solvers run
 * synchronously for up to seconds (p-median on the demo city: ~7 s), and neither an abort
 * nor any other analysis call could get through to a worker busy with them. In Node: the
 * same pipeline in-process.
 */
import type { SiteProgress } from '../../core/coverage.ts';
import { inProcessExact } from './sites-exact.ts';
import { SitesInputError } from './sites-model.ts';
import { runSitesPipeline, type PipelineSource, type SitesRunOutput, type SitesRunRequest } from './sites-pipeline.ts';

export type PipelineRunner = (src: PipelineSource, req: SitesRunRequest, signal: AbortSignal, onProgress: (p: SiteProgress) => void) => Promise<SitesRunOutput>;

/** Messages from sites-solve.worker.ts. */
export type SolveWorkerMessage =
  | { type: 'progress'; progress: SiteProgress }
  | { type: 'done'; output: SitesRunOutput }
  | { type: 'error'; name: string; message: string; code?: string; params?: Record<string, string | number> };

/** Lets the event loop run (messages, timers) between steps of an in-process run. */
export const yieldNow = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

export const localRunner: PipelineRunner = (src, req, signal, onProgress) =>
  runSitesPipeline(src, req, { exact: inProcessExact(), signal, onProgress, yieldNow });

interface WorkerLike {
  postMessage(m: unknown): void;
  terminate(): void;
  onmessage: ((e: MessageEvent) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

/** Runs each call in a worker from `spawn`; an idle worker is kept for the next run (HiGHS stays loaded). */
export function workerRunner(spawn: () => WorkerLike): PipelineRunner {
  let idle: WorkerLike | null = null;
  return (src, req, signal, onProgress) =>
    new Promise<SitesRunOutput>((resolve, reject) => {
      const w = idle ?? spawn();
      idle = null;
      const finish = (keep: boolean) => {
        w.onmessage = null;
        w.onerror = null;
        signal.removeEventListener('abort', onAbort);
        if (keep && !idle) idle = w;
        else w.terminate();
      };
      const onAbort = () => {
        finish(false);
        reject(new DOMException('Cancelled', 'AbortError'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      w.onmessage = (e: MessageEvent) => {
        const m = e.data as SolveWorkerMessage;
        if (m.type === 'progress') onProgress(m.progress);
        else if (m.type === 'done') {
          finish(true);
          resolve(m.output);
        } else {
          finish(true);
          reject(m.name === 'SitesInputError' ? new SitesInputError(m.code ?? 'error', m.message, m.params) : Object.assign(new Error(m.message), { name: m.name }));
        }
      };
      w.onerror = (e: ErrorEvent) => {
        finish(false);
        reject(new Error(`the site solver stopped: ${e.message}`));
      };
      w.postMessage({ src, req });
    });
}
