// Node entry of the hotspot assignment helper (benchmark, CLI): worker_threads do not inherit
// tsx's `--import` hooks on Node 20, so register them here before importing TypeScript.
// Same work as workers/hotspot-assign.worker.ts, over parentPort instead of `self`.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { assignCells } = await import('../core/grid.ts');

parentPort.on('message', ({ id, lon, lat, resolution }) => {
  try {
    const cells = assignCells(lon, lat, resolution);
    parentPort.postMessage({ id, cells }, [cells.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
