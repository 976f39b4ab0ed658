/**
 * The hotspot workflow's state (DESIGN.md § Demand hotspots): study grids and neighbour lists
 * per resolution, the customers' coordinates, the assignment of customers to cells, and the
 * statistics. HotspotWorkflow owns one and runs the pipeline's DuckDB steps around it.
 *
 * Data flow (in the browser all of it between the DB and analysis workers):
 *   DuckDB `customerCoordsSql` → Arrow IPC → `setCustomers` (decoded once per dataset)
 *   → `assign(res)` (all cores, AssignPool) → Arrow IPC (rid BIGINT, cell UBIGINT) → DuckDB
 *   `putDerived('derived_h3_r<res>')` → `cellTotalsSql` per filter change → `compute`.
 */
import { makeVector, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { buildStudyGrid, cellCentres, gridNeighbours, locateCells, type GridArea, type Neighbours, type StudyGrid } from '../../core/grid.ts';
import { hotspotStability, STABILITY_CLASSES } from '../../core/hotspot-stability.ts';
import { kmeans } from '../../core/kmeans.ts';
import { AssignPool, type AssignWorkerLike } from './hotspot-assign.ts';
import { computeStatistic, measureValues, type HotspotNote, type MeasureInput, type StatisticOptions, type StatisticResult } from './hotspot-stats.ts';

export interface GridView {
  resolution: number;
  /** Study cells as h3-js strings, ascending. */
  h3: string[];
  /** Owning area of each cell (index into the areas given to `setAreas`). */
  areaIndex: Int32Array;
  /** Cell centres, degrees. */
  lon: Float64Array;
  lat: Float64Array;
  /** Study cells per area. */
  areaCellCount: Int32Array;
}

export interface AssignResult {
  /** Arrow IPC stream: rid BIGINT (the customer's rowid), cell UBIGINT. */
  ipc: Uint8Array;
  rows: number;
  /** Customers whose cell is not a study cell (invalid coordinates included). */
  outside: number;
  /** Customers without usable coordinates. */
  invalid: number;
  ms: number;
}

export interface ComputeRequest extends MeasureInput, Omit<StatisticOptions, 'signal' | 'onProgress'> {
  resolution: number;
  /** Neighbourhood: grid distance ≤ rings (default 1). */
  rings: number;
}

export interface ComputeResult extends StatisticResult {
  resolution: number;
  rings: number;
  measure: MeasureInput['measure'];
  values: Float64Array;
  /** Customers per study cell that passed the filters (zeros for population measures). */
  customers: Float64Array;
  /** Neighbours per cell, i included (W_i). */
  neighbourCount: Uint16Array;
  nearestSiteM: Float64Array | null;
  customersUsed: number;
  customersOutside: number;
  ms: number;
}

export interface StabilityResult {
  parentResolution: number;
  /** Parent cells (h3 strings). */
  parents: string[];
  /** Index into STABILITY_CLASSES. */
  stability: Uint8Array;
  hotCount: Uint8Array;
  coldCount: Uint8Array;
  /** Parents per class, in STABILITY_CLASSES order. */
  counts: number[];
}

export interface TypologyResult {
  k: number;
  labels: Int32Array;
  sizes: Int32Array;
  /** Centres in standardised units (k × dims). */
  centres: Float64Array;
  centresOriginal: Float64Array;
  silhouette: number;
  /** Mean silhouette for k = 2..kMax (index k − 2), to help choose k. */
  silhouetteByK: number[];
  imputed: number;
}

export interface EngineOptions {
  /** Creates one assignment helper worker; omit to assign in this thread only. */
  spawnAssignWorker?: () => AssignWorkerLike;
  /** Helper workers; default 1 (two cores: this worker and one helper). */
  assignHelpers?: number;
}

interface Customers {
  key: string;
  rid: BigInt64Array;
  lon: Float64Array;
  lat: Float64Array;
  invalid: number;
}

export class HotspotEngine {
  private areasKey = '';
  private areas: GridArea[] = [];
  private readonly grids = new Map<number, { grid: StudyGrid; centres: { lon: Float64Array; lat: Float64Array } }>();
  private readonly neighbours = new Map<string, Neighbours>();
  private customers: Customers | null = null;
  private readonly pool: AssignPool;

  constructor(options: EngineOptions = {}) {
    this.pool = new AssignPool(options.spawnAssignWorker ?? null, options.assignHelpers ?? 1);
  }

  /** The study areas (file order); grids are rebuilt when `key` changes. */
  setAreas(key: string, geometries: readonly Geometry[]): void {
    if (key === this.areasKey) return;
    geometries.forEach((g, i) => {
      if (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon') throw new TypeError(`area ${i + 1}: geometry must be a Polygon or MultiPolygon, got ${g?.type}`);
    });
    this.areasKey = key;
    this.areas = geometries.map((g) => ({ geometry: g as Polygon | MultiPolygon }));
    this.grids.clear();
    this.neighbours.clear();
  }

  private studyGrid(resolution: number) {
    let g = this.grids.get(resolution);
    if (!g) {
      const grid = buildStudyGrid(this.areas, resolution);
      g = { grid, centres: cellCentres(grid) };
      this.grids.set(resolution, g);
    }
    return g;
  }

  private nb(resolution: number, rings: number): Neighbours {
    const key = `${resolution}:${rings}`;
    let nb = this.neighbours.get(key);
    if (!nb) {
      nb = gridNeighbours(this.studyGrid(resolution).grid, rings);
      this.neighbours.set(key, nb);
    }
    return nb;
  }

  /** The study grid for the map (copies: safe to transfer). */
  grid(resolution: number): GridView {
    const { grid, centres } = this.studyGrid(resolution);
    return {
      resolution,
      h3: grid.h3,
      areaIndex: grid.areaIndex.slice(),
      lon: centres.lon.slice(),
      lat: centres.lat.slice(),
      areaCellCount: grid.areaCellCount.slice(),
    };
  }

  hasCustomers(key: string): boolean {
    return this.customers?.key === key;
  }

  /** Decode the customers' `rid, lon, lat` (Arrow IPC from `customerCoordsSql`), once per dataset. */
  setCustomers(key: string, ipc: Uint8Array): { rows: number; invalid: number } {
    const t = tableFromIPC(ipc);
    const n = t.numRows;
    const col = (name: string) => {
      const v = t.getChild(name);
      if (!v) throw new Error(`customer coordinates lack the column ${name}`);
      return v;
    };
    const rid = BigInt64Array.from(col('rid').toArray() as ArrayLike<bigint>);
    const lon = new Float64Array(n);
    const lat = new Float64Array(n);
    const lonV = col('lon');
    const latV = col('lat');
    // toArray() gives a Float64Array of the data; nulls read as 0 there, so mark them NaN
    lon.set(lonV.toArray() as Float64Array);
    lat.set(latV.toArray() as Float64Array);
    let invalid = 0;
    if (lonV.nullCount > 0 || latV.nullCount > 0) {
      for (let i = 0; i < n; i++) {
        if (!lonV.isValid(i)) lon[i] = NaN;
        if (!latV.isValid(i)) lat[i] = NaN;
      }
    }
    for (let i = 0; i < n; i++) if (!Number.isFinite(lon[i]) || !Number.isFinite(lat[i])) invalid++;
    this.customers = { key, rid, lon, lat, invalid };
    return { rows: n, invalid };
  }

  /** Assign every customer to its cell at `resolution`; the result is the derived table's IPC. */
  async assign(resolution: number, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<AssignResult> {
    const c = this.customers;
    if (!c) throw new Error('internal: hotspot customers not set (call setCustomers first)');
    const t0 = performance.now();
    const cells = await this.pool.assign(c.lon, c.lat, resolution, { signal, onProgress });
    const { outside } = locateCells(this.studyGrid(resolution).grid, cells);
    const ipc = tableToIPC(new Table({ rid: makeVector(c.rid), cell: makeVector(cells) }), 'stream');
    return { ipc, rows: cells.length, outside, invalid: c.invalid, ms: performance.now() - t0 };
  }

  /** Customers whose cell is not a study cell at `resolution`, from customers per distinct cell. */
  outsideCount(resolution: number, cells: BigUint64Array, counts: Float64Array): number {
    const { index } = locateCells(this.studyGrid(resolution).grid, cells);
    let outside = 0;
    for (let i = 0; i < index.length; i++) if (index[i] < 0) outside += counts[i];
    return outside;
  }

  /** The measure and the statistic for every study cell. */
  async compute(req: ComputeRequest, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<ComputeResult> {
    const t0 = performance.now();
    const { grid, centres } = this.studyGrid(req.resolution);
    const nb = this.nb(req.resolution, req.rings);
    const m = measureValues(grid, centres, req);
    const s = await computeStatistic(m.values, nb, { ...req, signal, onProgress });
    const neighbourCount = new Uint16Array(grid.cells.length);
    for (let i = 0; i < neighbourCount.length; i++) neighbourCount[i] = nb.offsets[i + 1] - nb.offsets[i];
    const notes: HotspotNote[] = [...m.notes, ...s.notes];
    return {
      ...s, notes, resolution: req.resolution, rings: req.rings, measure: req.measure, values: m.values, customers: m.customers, neighbourCount,
      nearestSiteM: m.nearestSiteM, customersUsed: m.customersUsed, customersOutside: m.customersOutside, ms: performance.now() - t0,
    };
  }

  /** Which hotspots persist across resolutions (class codes per resolution, in grid order). */
  stability(inputs: readonly { resolution: number; classCode: Uint8Array }[], minLevel: 90 | 95 | 99 = 95): StabilityResult {
    const s = hotspotStability(
      inputs.map((i) => ({ resolution: i.resolution, cells: this.studyGrid(i.resolution).grid.cells, classCode: i.classCode })),
      { minLevel },
    );
    const counts = STABILITY_CLASSES.map(() => 0);
    for (const c of s.stability) counts[c]++;
    return { parentResolution: s.parentResolution, parents: s.parents, stability: s.stability, hotCount: s.hotCount, coldCount: s.coldCount, counts };
  }

  /** Per-area sums of per-cell columns (e.g. DuckDB profile sums); cells outside the study grid are dropped. */
  rollupToAreas(resolution: number, cells: BigUint64Array, columns: readonly Float64Array[]): Float64Array[] {
    const { grid } = this.studyGrid(resolution);
    const { index } = locateCells(grid, cells);
    const areaCount = grid.areaCellCount.length;
    return columns.map((col) => {
      const out = new Float64Array(areaCount);
      for (let r = 0; r < index.length; r++) {
        const i = index[r];
        if (i >= 0 && Number.isFinite(col[r])) out[grid.areaIndex[i]] += col[r];
      }
      return out;
    });
  }

  /** k-means on standardised profiles (row-major n × dims), with the silhouette for every k up to kMax. */
  typology(profiles: Float64Array, dims: number, k: number, seed = 1, kMax = 8): TypologyResult {
    const n = profiles.length / dims;
    const r = kmeans(profiles, dims, { k, seed });
    const silhouetteByK: number[] = [];
    for (let kk = 2; kk <= Math.min(kMax, n - 1); kk++) silhouetteByK.push(kk === k ? r.silhouette : kmeans(profiles, dims, { k: kk, seed }).silhouette);
    return {
      k, labels: r.labels, sizes: r.sizes, centres: r.centres, centresOriginal: r.centresOriginal,
      silhouette: r.silhouette, silhouetteByK, imputed: r.imputed,
    };
  }

  dispose(): void {
    this.pool.terminate();
  }
}

/** Buffers of a result, for Comlink.transfer (never a buffer the engine keeps). */
export function resultBuffers(r: ComputeResult): ArrayBuffer[] {
  const arrays = [r.values, r.z, r.p, r.pFdr, r.pSim, r.classCode, r.moranI, r.neighbourCount, r.nearestSiteM];
  const out: ArrayBuffer[] = [];
  for (const a of arrays) if (a && !out.includes(a.buffer as ArrayBuffer)) out.push(a.buffer as ArrayBuffer);
  return out;
}
