/**
 * Demand hotspots: the JS side of "1M customers assigned and aggregated at
 * resolution 8" (h3-js latLngToCell → UBIGINT, study-cell lookup, count per cell; the
 * DuckDB GROUP BY alternative is measured with the db worker), Gi* for 50k cells and 999
 * conditional permutations for 10k cells. Prints `name<TAB>value<TAB>unit<TAB>target`.
 */
import { gridDisk, latLngToCell } from 'h3-js';
import { buildStudyGrid, assignCells, locateCells, gridNeighbours, studyGridFromCells, type StudyGrid } from '../src/core/grid.ts';
import { aggregateByCell } from '../src/core/demand.ts';
import { giStar, giStarPermutationP } from '../src/core/getis-ord.ts';
import { mulberry32, randInt } from '../src/core/rng.ts';
import { line } from './report.ts';

// Shanghai's bounding box (WGS84), roughly the municipality including Chongming.
const WEST = 120.85;
const EAST = 122.2;
const SOUTH = 30.67;
const NORTH = 31.88;

// bench/run.ts starts Node with --expose-gc: collect before each timing so garbage from the
// previous step (1M h3 strings) is not billed to the next one
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function time<T>(f: () => T): [T, number] {
  gc();
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

function bboxArea(west: number, south: number, east: number, north: number) {
  return {
    geometry: {
      type: 'Polygon' as const,
      coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    },
  };
}

/** A hexagonal patch of 3k(k+1)+1 res-9 cells around People's Square. */
function diskGrid(k: number): StudyGrid {
  return studyGridFromCells(gridDisk(latLngToCell(31.23, 121.47, 9), k), 9);
}

const rng = mulberry32(42);
const N = 1_000_000;
const lon = new Float64Array(N);
const lat = new Float64Array(N);
for (let i = 0; i < N; i++) {
  lon[i] = WEST + rng() * (EAST - WEST);
  lat[i] = SOUTH + rng() * (NORTH - SOUTH);
}

const [grid8, tGrid] = time(() => buildStudyGrid([bboxArea(WEST, SOUTH, EAST, NORTH)], 8));
line('hotspots.study_grid_res8_bbox_ms', tGrid, 'ms', `${grid8.cells.length} cells`);
assignCells(lon, lat, 8, undefined, 0, 10_000); // warm-up
const [cells, tAssign] = time(() => assignCells(lon, lat, 8));
line('hotspots.assign_1M_res8_ms', tAssign, 'ms', 'part of 1500');
const [located, tLocate] = time(() => locateCells(grid8, cells));
line('hotspots.locate_1M_ms', tLocate, 'ms', 'part of 1500');
const [agg, tAgg] = time(() => aggregateByCell(located.index, grid8.cells.length));
line('hotspots.count_by_cell_1M_ms', tAgg, 'ms', 'part of 1500');
line('hotspots.assign_locate_count_1M_ms', tAssign + tLocate + tAgg, 'ms', '1500');
if (agg.used + agg.outside !== N) throw new Error('aggregation lost customers');

const g50 = diskGrid(129); // 50,311 cells
const [nb50, tNb] = time(() => gridNeighbours(g50, 1));
line('hotspots.gistar_cells', g50.cells.length, 'cells', '50000');
line('hotspots.neighbours_rings1_ms', tNb, 'ms', 'once per grid');
const x50 = Float64Array.from(g50.h3, () => randInt(rng, 50));
giStar(x50, nb50); // warm-up
const runs = 5;
let best = Infinity;
for (let r = 0; r < runs; r++) best = Math.min(best, time(() => giStar(x50, nb50))[1]);
line('hotspots.gistar_50k_ms', best, 'ms', '100');

const g10 = diskGrid(57); // 9,919 cells
const nb10 = gridNeighbours(g10, 1);
const x10 = Float64Array.from(g10.h3, () => randInt(rng, 50));
line('hotspots.permutation_cells', g10.cells.length, 'cells', '10000');
gc();
const t0 = performance.now();
await giStarPermutationP(x10, nb10, { permutations: 999, seed: 1 });
line('hotspots.gistar_999_permutations_10k_ms', performance.now() - t0, 'ms', '3000');
