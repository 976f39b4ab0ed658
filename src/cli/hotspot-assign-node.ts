/**
 * Assignment helper workers under Node (benchmark, CLI): a worker_threads Worker running
 * workers/hotspot-assign-node-entry.mjs, adapted to the DOM-style interface AssignPool uses.
 * Node-only.
 */
import { Worker } from 'node:worker_threads';
import type { AssignRequest, AssignResponse, AssignWorkerLike } from '../pipeline/hotspots/hotspot-assign.ts';

export function spawnNodeAssignWorker(): AssignWorkerLike {
  const w = new Worker(new URL('./hotspot-assign-node-entry.mjs', import.meta.url));
  // an idle helper must not keep the process alive
  w.unref();
  return {
    postMessage: (message: AssignRequest, transfer: Transferable[]) => w.postMessage(message, transfer as never),
    addEventListener: ((type: 'message' | 'error', listener: (e: unknown) => void) => {
      if (type === 'message') w.on('message', (data: AssignResponse) => listener({ data }));
      else w.on('error', (err) => listener(err));
    }) as AssignWorkerLike['addEventListener'],
    terminate: () => void w.terminate(),
  };
}
