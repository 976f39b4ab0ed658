/**
 * Helper worker of the hotspot assignment: assigns one slice of the customers to H3 cells
 * (`assignCells`) so the analysis worker and this one each do half of the ~1 µs-per-point
 * `latLngToCell` work (src/pipeline/hotspots/hotspot-assign.ts). Plain messages, no comlink: one request,
 * one transferable answer.
 */
import { assignCells } from '../src/core/grid.ts';
import type { AssignRequest, AssignResponse } from '../src/pipeline/hotspots/hotspot-assign.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<AssignRequest>) => void) | null;
  postMessage(message: AssignResponse, transfer: Transferable[]): void;
};

scope.onmessage = (e) => {
  const { id, lon, lat, resolution } = e.data;
  try {
    const cells = assignCells(lon, lat, resolution);
    scope.postMessage({ id, cells }, [cells.buffer]);
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) }, []);
  }
};
