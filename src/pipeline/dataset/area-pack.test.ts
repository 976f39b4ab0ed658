import { describe, expect, it } from 'vitest';
import { DRAW_TOLERANCE_M, areaSourcesJson, packAreas, packable, unpackGeometry } from './area-pack.ts';
import { labelPoint } from '../../core/label-point.ts';

const square = (x: number, y: number, d: number) => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];
const fc: GeoJSON.FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { area_id: 'A', name: '甲' }, geometry: { type: 'Polygon', coordinates: [square(121, 31, 0.1), square(121.02, 31.02, 0.01).reverse()] } },
    { type: 'Feature', properties: { area_id: 'B', name: 'b' }, geometry: { type: 'MultiPolygon', coordinates: [[square(122, 31, 0.05)], [square(122.1, 31, 0.02)]] } },
  ],
};

/** Area of triangles (shoelace) over `pos`, in squared degrees. */
function triangleArea(pos: Float64Array, tri: Uint32Array): number {
  let a = 0;
  for (let i = 0; i < tri.length; i += 3) {
    const [p, q, r] = [tri[i], tri[i + 1], tri[i + 2]];
    a += Math.abs((pos[q * 2] - pos[p * 2]) * (pos[r * 2 + 1] - pos[p * 2 + 1]) - (pos[r * 2] - pos[p * 2]) * (pos[q * 2 + 1] - pos[p * 2 + 1])) / 2;
  }
  return a;
}

describe('area pack', () => {
  it('rebuilds every geometry exactly', () => {
    const p = packAreas(fc, 1);
    expect(p.count).toBe(2);
    fc.features.forEach((f, i) => expect(unpackGeometry(p.geometry, i)).toEqual(f.geometry));
  });

  it('triangulates the fill with holes left out, per feature', () => {
    const p = packAreas(fc, 1);
    // 0.1² − 0.01² for A, 0.05² + 0.02² for B: hand-computed.
    expect(triangleArea(p.draw.positions, p.draw.triangles)).toBeCloseTo(0.01 - 0.0001 + 0.0025 + 0.0004, 12);
    expect([...p.draw.polygonFeature]).toEqual([0, 1, 1]);
    expect(p.bbox).toEqual([121, 31, 122.1 + 0.02, 31.1]);
  });

  it('label points are core/label-point.ts ones', () => {
    const p = packAreas(fc, 1);
    fc.features.forEach((f, i) => expect([p.labels[i * 2], p.labels[i * 2 + 1]]).toEqual(labelPoint(f.geometry!)));
  });

  it('simplifies the drawn fill within the stated tolerance and keeps tiny rings whole', () => {
    const n = 20_000;
    const ring: number[][] = [];
    for (let i = 0; i < n; i++) {
      const t = (2 * Math.PI * i) / n;
      const r = 0.1 + (i % 2 ? 2e-6 : -2e-6); // ±0.2 m wobble: under the tolerance
      ring.push([121 + r * Math.cos(t), 31 + r * Math.sin(t)]);
    }
    ring.push(ring[0]);
    const p = packAreas({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }] }, 1);
    expect(p.geometry.positions.length).toBe((n + 1) * 2);
    expect(p.draw.positions.length / 2).toBeLessThan(n / 10);
    // Every kept position is an input position; the area matches the circle's within the tolerance band.
    const circle = Math.PI * 0.1 * 0.1;
    const band = 2 * Math.PI * 0.1 * (DRAW_TOLERANCE_M / 111_320 + 2e-6);
    expect(Math.abs(triangleArea(p.draw.positions, p.draw.triangles) - circle)).toBeLessThan(band);
    const tiny = packAreas(fc, 1);
    expect(tiny.draw.positions.length).toBe(tiny.geometry.positions.length);
  });

  it('refuses what it cannot rebuild exactly', () => {
    expect(packable(fc)).toBe(true);
    expect(packable({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[1, 2, 3], [2, 2, 3], [2, 3, 3], [1, 2, 3]]] } }] })).toBe(false);
  });

  it('writes the MapLibre sources, shifted vertex by vertex over GCJ-02', () => {
    const p = packAreas(fc, 1);
    const dec = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));
    const wgs = areaSourcesJson(fc, p, 'wgs84');
    const areas = dec(wgs.areas);
    expect(areas.features.map((f: GeoJSON.Feature) => f.geometry)).toEqual(fc.features.map((f) => f.geometry));
    expect(dec(wgs.labels).features.map((f: GeoJSON.Feature) => f.properties?.area_id)).toEqual(['A', 'B']);
    // A is 0.1° square at 31.05° N: its Mercator height 0.1 / cos 31.05° = 0.1168° is the larger
    // side; 8 px at 512·2^z/360 px per degree from z = log2(8·360 / (512·0.1168)) = 5.59; its name
    // (16 px) from 6.59. B spans 0.12° of longitude (two parts): log2(2880 / 61.44) = 5.55.
    expect(areas.features.map((f: GeoJSON.Feature) => f.properties?._outline_z)).toEqual([5.6, 5.6]);
    expect(dec(wgs.labels).features[0].properties._label_z).toBe(6.6);
    const gcj = dec(areaSourcesJson(fc, p, 'gcj02').areas);
    const [x, y] = gcj.features[0].geometry.coordinates[0][0];
    // GCJ-02 moves Shanghai a few hundred metres: east and north by 0.002–0.006°.
    expect(x - 121).toBeGreaterThan(0.002);
    expect(x - 121).toBeLessThan(0.006);
    expect(y - 31).toBeLessThan(0);
  });
});
