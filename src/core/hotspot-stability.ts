/**
 * Hotspot stability across H3 resolutions ("which hotspots persist across the
 * three resolutions"). A hotspot that only exists at one cell size is often an artefact of
 * where the grid happens to cut (the modifiable areal unit problem); one that persists from
 * res 9 (≈0.1 km²) to res 7 (≈5 km²) is a robust concentration of demand.
 *
 * Definitions (the coarsest input resolution, normally 7, is the *parent* resolution):
 * - Every study cell at a finer resolution is mapped to its parent with `cellToParent`
 *   (H3 parents contain their children only approximately — children along the edge stick
 *   out slightly — which is fine for a comparison of cell shares).
 * - At a resolution r, a parent is **hot** when its share of hot study cells at r is
 *   ≥ `minShare` (default 0.5, i.e. most of its area, cells being equal-area) and **cold**
 *   likewise with cold cells. "Hot" means a Gi* class at least as strong as `minLevel`
 *   (default 95: hot95 or hot99). At the parent resolution the share is 0 or 1 (the parent
 *   itself). A parent with no study cell at r is neither hot nor cold at r.
 * - **stable_hot**: hot at every resolution; **stable_cold**: cold at every resolution;
 *   **partial_hot** / **partial_cold**: hot (cold) at some but not all, and never the
 *   opposite; **mixed**: hot at some resolution and cold at another; **none**: neither.
 */
import { cellToParent, getResolution } from 'h3-js';
import { ubigintToH3Array } from './grid.ts';

export const STABILITY_CLASSES = ['stable_hot', 'partial_hot', 'stable_cold', 'partial_cold', 'mixed', 'none'] as const;
export type StabilityClass = (typeof STABILITY_CLASSES)[number];

/** Gi* classes of one resolution: cells and their class codes (indices into GI_CLASSES). */
export interface ResolutionClasses {
  resolution: number;
  cells: readonly string[] | BigUint64Array;
  classCode: Uint8Array;
}

export interface StabilityLevel {
  resolution: number;
  /** Study cells at this resolution per parent. */
  cellCount: Int32Array;
  /** Share of those cells that are hot / cold (NaN where cellCount is 0). */
  hotShare: Float64Array;
  coldShare: Float64Array;
}

export interface HotspotStability {
  parentResolution: number;
  /** Parent cells (h3 strings, ascending): every parent of any input cell. */
  parents: string[];
  /** One entry per input resolution, coarsest first. */
  levels: StabilityLevel[];
  /** Number of resolutions at which each parent is hot / cold. */
  hotCount: Uint8Array;
  coldCount: Uint8Array;
  /** Index into {@link STABILITY_CLASSES}. */
  stability: Uint8Array;
}

export function hotspotStability(
  byResolution: readonly ResolutionClasses[],
  options?: { minLevel?: 90 | 95 | 99; minShare?: number },
): HotspotStability {
  const minLevel = options?.minLevel ?? 95;
  const minShare = options?.minShare ?? 0.5;
  // GI_CLASSES = hot99 hot95 hot90 ns cold90 cold95 cold99
  const hotMax = minLevel === 99 ? 0 : minLevel === 95 ? 1 : 2;
  const coldMin = 6 - hotMax;
  const inputs = [...byResolution].sort((a, b) => a.resolution - b.resolution);
  if (inputs.length === 0) {
    return { parentResolution: NaN, parents: [], levels: [], hotCount: new Uint8Array(), coldCount: new Uint8Array(), stability: new Uint8Array() };
  }
  const parentRes = inputs[0].resolution;

  const parentsOf = inputs.map((inp) => {
    const cells = inp.cells instanceof BigUint64Array ? ubigintToH3Array(inp.cells) : inp.cells;
    if (cells.length !== inp.classCode.length) {
      throw new RangeError(`resolution ${inp.resolution}: ${cells.length} cells but ${inp.classCode.length} classes`);
    }
    return cells.map((c) => {
      const r = getResolution(c);
      if (r !== inp.resolution) throw new RangeError(`cell ${c} has resolution ${r}, expected ${inp.resolution}`);
      return r === parentRes ? c : cellToParent(c, parentRes);
    });
  });
  const parents = [...new Set(parentsOf.flat())].sort();
  const position = new Map(parents.map((p, i) => [p, i]));
  const m = parents.length;
  const hotCount = new Uint8Array(m);
  const coldCount = new Uint8Array(m);
  const levels: StabilityLevel[] = inputs.map((inp, l) => {
    const cellCount = new Int32Array(m);
    const hot = new Int32Array(m);
    const cold = new Int32Array(m);
    const ps = parentsOf[l];
    for (let i = 0; i < ps.length; i++) {
      const k = position.get(ps[i])!;
      cellCount[k]++;
      const c = inp.classCode[i];
      if (c <= hotMax) hot[k]++;
      else if (c >= coldMin) cold[k]++;
    }
    const hotShare = new Float64Array(m);
    const coldShare = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      hotShare[k] = cellCount[k] > 0 ? hot[k] / cellCount[k] : NaN;
      coldShare[k] = cellCount[k] > 0 ? cold[k] / cellCount[k] : NaN;
      if (hotShare[k] >= minShare) hotCount[k]++;
      else if (coldShare[k] >= minShare) coldCount[k]++;
    }
    return { resolution: inp.resolution, cellCount, hotShare, coldShare };
  });
  const L = inputs.length;
  const stability = new Uint8Array(m);
  for (let k = 0; k < m; k++) {
    const h = hotCount[k];
    const c = coldCount[k];
    stability[k] = h > 0 && c > 0 ? 4 : h === L ? 0 : h > 0 ? 1 : c === L ? 2 : c > 0 ? 3 : 5;
  }
  return { parentResolution: parentRes, parents, levels, hotCount, coldCount, stability };
}
