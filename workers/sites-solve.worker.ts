/**
 * One site recommendation per message, off the analysis worker so a cancel can terminate
 * it (see sites-runner.ts). HiGHS is located through Vite's `?url` import of its wasm.
 */
import wasmUrl from 'highs/runtime?url';
import { inProcessExact } from '../src/pipeline/sites/sites-exact.ts';
import { SitesInputError } from '../src/pipeline/sites/sites-model.ts';
import { runSitesPipeline, type PipelineSource, type SitesRunRequest } from '../src/pipeline/sites/sites-pipeline.ts';
import type { SolveWorkerMessage } from '../src/pipeline/sites/sites-runner.ts';

const exact = inProcessExact({ locateFile: () => wasmUrl });
const post = (m: SolveWorkerMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

self.onmessage = async (e: MessageEvent<{ src: PipelineSource; req: SitesRunRequest }>) => {
  try {
    let last = 0;
    const output = await runSitesPipeline(e.data.src, e.data.req, {
      exact,
      onProgress: (progress) => {
        // Greedy steps report often; the UI needs a few updates a second.
        const now = performance.now();
        if (now - last < 100 && progress.done !== 0 && progress.done !== progress.total) return;
        last = now;
        post({ type: 'progress', progress });
      },
    });
    post({ type: 'done', output });
  } catch (err) {
    const x = err as Error;
    post({
      type: 'error', name: x?.name ?? 'Error', message: x?.message ?? String(err),
      ...(err instanceof SitesInputError ? { code: err.code, params: err.params } : {}),
    });
  }
};
