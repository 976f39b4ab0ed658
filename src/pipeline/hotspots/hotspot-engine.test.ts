import { afterAll, describe, expect, it } from 'vitest';
import { Float64, makeVector, Table, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { cellToParent, latLngToCell } from 'h3-js';
import type { Polygon } from 'geojson';
import { assignCells, buildStudyGrid, gridNeighbours, h3ToUbigintArray, locateCells } from '../../core/grid.ts';
import { aggregateByCell } from '../../core/demand.ts';
import { giStar, GI_CLASSES } from '../../core/getis-ord.ts';
import { STABILITY_CLASSES } from '../../core/hotspot-stability.ts';
import { mulberry32 } from '../../core/rng.ts';
import { HotspotEngine, resultBuffers } from './hotspot-engine.ts';
import { AssignPool, type AssignWorkerLike } from './hotspot-assign.ts';
import { spawnNodeAssignWorker } from '../../cli/hotspot-assign-node.ts';

const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
// two neighbouring boxes around People's Square, ~5 × 4 km each
const AREAS = [box(121.42, 31.21, 121.47, 31.25), box(121.47, 31.21, 121.52, 31.25)];

/** Customers clustered at (121.49, 31.235) plus a uniform background, and a few outside / invalid. */
function customers(n: number, seed = 1) {
  const rng = mulberry32(seed);
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (rng() < 0.4) {
      lon[i] = 121.49 + (rng() - 0.5) * 0.01;
      lat[i] = 31.235 + (rng() - 0.5) * 0.01;
    } else {
      lon[i] = 121.42 + rng() * 0.1;
      lat[i] = 31.21 + rng() * 0.04;
    }
  }
  lon[0] = 122.5; // far outside
  lon[1] = NaN; // invalid
  return { lon, lat };
}

function coordsIpc(lon: Float64Array, lat: Float64Array): Uint8Array {
  const rid = BigInt64Array.from({ length: lon.length }, (_, i) => BigInt(i));
  const lonV = vectorFromArray(Array.from(lon, (x) => (Number.isNaN(x) ? null : x)), new Float64());
  return tableToIPC(new Table({ rid: makeVector(rid), lon: lonV, lat: makeVector(lat) }), 'stream');
}

describe('HotspotEngine', () => {
  const engine = new HotspotEngine();
  engine.setAreas('test', AREAS);
  const { lon, lat } = customers(5000);

  it('builds the study grid with owners and centres', () => {
    const g = engine.grid(8);
    const ref = buildStudyGrid(AREAS.map((geometry) => ({ geometry })), 8);
    expect(g.h3).toEqual(ref.h3);
    expect([...g.areaIndex]).toEqual([...ref.areaIndex]);
    expect(g.lon.length).toBe(ref.h3.length);
    expect(g.areaCellCount[0] + g.areaCellCount[1]).toBe(ref.h3.length);
  });

  it('decodes coordinates (NULL → invalid) and assigns every customer like assignCells', async () => {
    expect(engine.hasCustomers('k1')).toBe(false);
    expect(engine.setCustomers('k1', coordsIpc(lon, lat))).toEqual({ rows: 5000, invalid: 1 });
    expect(engine.hasCustomers('k1')).toBe(true);
    const r = await engine.assign(8);
    const t = tableFromIPC(r.ipc);
    expect(t.schema.fields.map((f: { name: string; type: unknown }) => `${f.name}:${String(f.type)}`)).toEqual(['rid:Int64', 'cell:Uint64']);
    const cells = t.getChild('cell')!.toArray() as BigUint64Array;
    const ref = assignCells(lon, lat, 8);
    expect(cells).toEqual(ref);
    expect(t.getChild('rid')!.get(4999)).toBe(4999n);
    const grid = buildStudyGrid(AREAS.map((geometry) => ({ geometry })), 8);
    expect(r.outside).toBe(locateCells(grid, ref).outside);
    expect(r.outside).toBeGreaterThanOrEqual(2); // the far one and the invalid one
    expect(r.invalid).toBe(1);
  });

  it('computes Gi* over every study cell with the hot cluster at its centre', async () => {
    const grid = buildStudyGrid(AREAS.map((geometry) => ({ geometry })), 8);
    const { index } = locateCells(grid, assignCells(lon, lat, 8));
    const counts = aggregateByCell(index, grid.h3.length);
    // DuckDB's GROUP BY result: cells with customers only, plus an outside cell
    const withCustomers = [...grid.cells].map((c, i) => [c, counts.values[i]] as const).filter(([, v]) => v > 0);
    const cells = BigUint64Array.from([...withCustomers.map(([c]) => c), h3ToUbigintArray([latLngToCell(31.24, 122.5, 8)])[0]]);
    const n = Float64Array.from([...withCustomers.map(([, v]) => v), 1]);
    const r = await engine.compute({
      resolution: 8, rings: 1, statistic: 'gi', measure: 'count', fdr: false, permutations: 0, seed: 1,
      totals: { cells, customers: n, value: n, missing: new Float64Array(n.length) },
    });
    expect(r.values).toEqual(counts.values);
    expect(r.z).toEqual(giStar(counts.values, gridNeighbours(grid, 1)).z);
    expect(r.customersOutside).toBe(1);
    const hot = grid.h3.indexOf(latLngToCell(31.235, 121.49, 8));
    expect(GI_CLASSES[r.classCode[hot]]).toBe('hot99');
    expect(r.neighbourCount[hot]).toBe(7);
    // every buffer of the result may be transferred: none is shared with the engine's caches
    expect(new Set(resultBuffers(r)).size).toBe(resultBuffers(r).length);
    expect(engine.grid(8).areaIndex.buffer).not.toBe(engine.grid(8).areaIndex.buffer);
  });

  it('maps each resolution\'s classes onto parents for the stability view', () => {
    // hot: every cell inside one res-7 parent at all three resolutions; cold: another parent at res 9 only
    const hotParent = latLngToCell(31.235, 121.49, 7);
    const g9 = engine.grid(9);
    const coldParent = cellToParent(g9.h3.find((c) => cellToParent(c, 7) !== hotParent)!, 7);
    const inputs = [7, 8, 9].map((res) => {
      const g = engine.grid(res);
      const classCode = Uint8Array.from(g.h3, (c) => {
        const p = res === 7 ? c : cellToParent(c, 7);
        return p === hotParent ? 0 : p === coldParent && res === 9 ? 6 : 3;
      });
      return { resolution: res, classCode };
    });
    const s = engine.stability(inputs, 95);
    expect(s.parentResolution).toBe(7);
    expect(s.counts.reduce((a, b) => a + b, 0)).toBe(s.parents.length);
    expect(STABILITY_CLASSES[s.stability[s.parents.indexOf(hotParent)]]).toBe('stable_hot');
    expect(STABILITY_CLASSES[s.stability[s.parents.indexOf(coldParent)]]).toBe('partial_cold');
  });

  it('rolls per-cell sums up to areas', () => {
    const g = engine.grid(8);
    const a0 = g.h3[g.areaIndex.indexOf(0)];
    const a1 = g.h3[g.areaIndex.indexOf(1)];
    const cells = h3ToUbigintArray([a0, a1, a1, latLngToCell(31.24, 122.5, 8)]);
    const [s] = engine.rollupToAreas(8, cells, [Float64Array.of(1, 2, 3, 100)]);
    expect([...s]).toEqual([1, 5]);
  });

  it('types profiles with k-means and reports the silhouette for each k', () => {
    const profiles = Float64Array.of(0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1, 20, 0, 20.1, 0);
    const t = engine.typology(profiles, 2, 3, 1, 6);
    expect(t.labels.length).toBe(8);
    expect(new Set(t.labels).size).toBe(3);
    expect(t.silhouette).toBeGreaterThan(0.9);
    expect(t.silhouetteByK.length).toBe(5); // k = 2..6
    expect(t.silhouetteByK[1]).toBe(t.silhouette);
  });

  it('refuses areas that are not polygons', () => {
    expect(() => new HotspotEngine().setAreas('x', [{ type: 'Point', coordinates: [0, 0] }])).toThrow(/area 1: geometry must be a Polygon/);
  });
});

describe('AssignPool', () => {
  const { lon, lat } = customers(70_000, 2);
  const ref = assignCells(lon, lat, 9);
  const pools: AssignPool[] = [];
  afterAll(() => pools.forEach((p) => p.terminate()));

  it('gives the same cells with a helper worker as in one thread, and reports progress', async () => {
    const pool = new AssignPool(spawnNodeAssignWorker, 1);
    pools.push(pool);
    const seen: number[] = [];
    expect(await pool.assign(lon, lat, 9, { onProgress: (d) => seen.push(d) })).toEqual(ref);
    expect(seen.at(-1)).toBe(70_000);
    // the pool's buffers were copies: the caller's coordinates are intact
    expect(lon.length).toBe(70_000);
    expect(await pool.assign(lon, lat, 9)).toEqual(ref);
  });

  it('does the work itself when a helper cannot start or fails', async () => {
    const throwing = new AssignPool(() => {
      throw new Error('no workers here');
    }, 2);
    expect(await throwing.assign(lon, lat, 9)).toEqual(ref);
    const failing: AssignWorkerLike = {
      postMessage: () => setTimeout(() => onError?.(new Event('error')), 5),
      addEventListener: ((type: string, l: (e: Event) => void) => {
        if (type === 'error') onError = l;
      }) as AssignWorkerLike['addEventListener'],
      terminate: () => {},
    };
    let onError: ((e: Event) => void) | undefined;
    expect(await new AssignPool(() => failing, 1).assign(lon, lat, 9)).toEqual(ref);
  });

  it('stops when cancelled', async () => {
    const c = new AbortController();
    const pool = new AssignPool(null, 0);
    const p = pool.assign(lon, lat, 9, { signal: c.signal });
    c.abort(new DOMException('Cancelled', 'AbortError'));
    await expect(p).rejects.toThrow(/Cancelled/);
  });
});
