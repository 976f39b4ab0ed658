import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { areaGeometryCopy, areaKeysOf, areaPackOf, fetchAreas, type AreaSourceWorker } from './area-geometry.ts';
import { packAreas } from '../../pipeline/dataset/area-pack.ts';
import { buildDataset } from '../../pipeline/dataset/dataset.ts';
import type { DatasetSummary } from '../../pipeline/dataset/db-api.ts';

/** `n` areas, every 7th a MultiPolygon; the id of area 5 repeated at area 2500 (the last wins). */
function areas(n: number): GeoJSON.FeatureCollection {
  const sq = (x: number, y: number): number[][] => [[x, y], [x + 0.5, y], [x + 0.5, y + 0.5], [x, y + 0.5], [x, y]];
  return {
    type: 'FeatureCollection',
    features: Array.from({ length: n }, (_, i): GeoJSON.Feature => ({
      type: 'Feature',
      properties: { area_id: i === 2500 ? 'A5' : `A${i}`, name: `area ${i}` },
      geometry: i % 7 ? { type: 'Polygon', coordinates: [sq(i, 0)] } : { type: 'MultiPolygon', coordinates: [[sq(i, 0)], [sq(i, 1)]] },
    })),
  };
}

/** The DB worker's side, as db-api.ts answers it (a fresh copy of everything, as after postMessage). */
function worker(fc: GeoJSON.FeatureCollection): AreaSourceWorker & { calls: number } {
  const pack = packAreas(fc, 3);
  const w = {
    calls: 0,
    getAreas: async () => structuredClone(fc),
    getAreaPack: async () => structuredClone(pack),
    getAreaProperties: async (version: number, start: number, end: number) => {
      w.calls++;
      return version === 3 ? structuredClone(fc.features.slice(start, end).map((f) => f.properties)) : null;
    },
    getAreaSourceBlobs: async () => null,
  };
  return w;
}

describe('fetchAreas', () => {
  it("rebuilds the worker's areas exactly, in slices, with their keys gathered as they arrive", async () => {
    const fc = areas(3001);
    const w = worker(fc);
    const got = await fetchAreas(w);
    expect(got).toEqual(fc);
    expect(w.calls).toBe(4); // slices of at most 1,000 areas
    expect(areaPackOf(got)?.count).toBe(3001);
    // the keys buildDataset would compute from the areas themselves
    const empty = tableToIPC(tableFromArrays({ x: Float64Array.from([]) }));
    const summary = { periods: [], indicatorColumns: [] } as unknown as DatasetSummary;
    const computed = buildDataset(summary, fc, empty, empty);
    const keys = areaKeysOf(got)!;
    expect(keys.areaIds).toEqual(computed.areaIds);
    expect([...keys.areaIndex]).toEqual([...computed.areaIndex]);
    expect(keys.areaIndex.get('A5')).toBe(2500);
    expect(buildDataset(summary, got!, empty, empty, keys).areaIds).toBe(keys.areaIds);
  });

  it('hands out copies of the packed geometry to transfer elsewhere, never the buffers it keeps', async () => {
    const got = (await fetchAreas(worker(areas(30))))!;
    const g = areaPackOf(got)!.geometry;
    const first = areaGeometryCopy(got)!;
    const second = areaGeometryCopy(got)!;
    for (const copy of [first, second]) {
      expect(copy).toEqual(g);
      expect(copy.positions.buffer).not.toBe(g.positions.buffer);
    }
    expect(second.positions.buffer).not.toBe(first.positions.buffer);
    expect(areaGeometryCopy({ type: 'FeatureCollection', features: [] })).toBeUndefined();
  });
});
