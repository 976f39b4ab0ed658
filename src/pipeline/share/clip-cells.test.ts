import { describe, expect, it } from 'vitest';
import { cellToBoundary, cellToLatLng, latLngToCell } from 'h3-js';
import type { FeatureCollection, Polygon } from 'geojson';
import { clipCellsToAreas } from './clip-cells.ts';

const square = (w: number, s: number, e: number, n: number, id: string) => ({
  type: 'Feature' as const, properties: { area_id: id },
  geometry: { type: 'Polygon' as const, coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
});

/** Shoelace area in square degrees (fine for comparing shapes this small). */
function ringArea(ring: number[][]): number {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return Math.abs(a / 2);
}

describe('clipCellsToAreas', () => {
  // A resolution-6 cell (~36 km²) centred on the edge x = 121.5 of a study area that lies west of it.
  const cell = latLngToCell(31.2, 121.5, 6);
  const [lat0, x] = cellToLatLng(cell);
  const areas: FeatureCollection<Polygon> = { type: 'FeatureCollection', features: [square(x - 0.3, lat0 - 0.2, x, lat0 + 0.2, 'west')] };

  it('keeps only the part of a merged cell inside the study area', () => {
    const [f] = clipCellsToAreas([cell], areas);
    expect(f.properties.h3).toBe(cell);
    const pts = f.geometry.coordinates.flat(2);
    for (const [lon] of pts) expect(lon).toBeLessThanOrEqual(x + 1e-9);
    const whole = ringArea(cellToBoundary(cell, true));
    const kept = f.geometry.coordinates.reduce((s, poly) => s + ringArea(poly[0]), 0);
    // The edge runs through the cell's centre: about half of it is kept.
    expect(kept / whole).toBeGreaterThan(0.35);
    expect(kept / whole).toBeLessThan(0.65);
  });

  it('gives one feature with a part per area the cell crosses, and drops cells wholly outside', () => {
    const two: FeatureCollection<Polygon> = { type: 'FeatureCollection', features: [square(x - 0.3, lat0 - 0.2, x, lat0 + 0.2, 'w'), square(x, lat0 - 0.2, x + 0.3, lat0, 'se')] };
    const [f] = clipCellsToAreas([cell], two);
    expect(f.geometry.coordinates.length).toBe(2);
    const far = latLngToCell(40, 116.4, 6);
    expect(clipCellsToAreas([far], two)).toEqual([]);
  });
});
