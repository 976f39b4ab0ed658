/**
 * Demand-cell counts moved to another H3 resolution, for siting on a loaded demand-cell table
 * whose resolution differs from the Sites tab's: finer cells roll up to their parent, a coarser
 * cell's customers go to its centre child. Both approximate: H3 children do not tile their
 * parent exactly (a customer near a cell edge can lie in a neighbour of its child's parent),
 * and a coarse cell's customers are spread over its children, which the table no longer tells.
 */
import { cellToCenterChild, cellToParent } from 'h3-js';
import { bigintToH3, h3ToBigint } from '../../core/grid.ts';

export function cellsAtResolution(cells: BigUint64Array, counts: Float64Array, resolution: number): { cells: BigUint64Array; counts: Float64Array } {
  const out = new Map<bigint, number>();
  for (let i = 0; i < cells.length; i++) {
    const h = bigintToH3(cells[i]);
    const r = Number((cells[i] >> 52n) & 0xfn);
    const to = r > resolution ? cellToParent(h, resolution) : r < resolution ? cellToCenterChild(h, resolution) : h;
    const k = h3ToBigint(to);
    out.set(k, (out.get(k) ?? 0) + counts[i]);
  }
  return { cells: BigUint64Array.from(out.keys()), counts: Float64Array.from(out.values()) };
}
