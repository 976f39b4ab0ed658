import { describe, expect, it } from 'vitest';
import { sitePriorities, sitesLayer, vertexFillColors } from './layers.ts';
import type { IconAtlas } from './site-icons.ts';
import { packAreas } from '../../pipeline/dataset/area-pack.ts';
import { NO_DATA, type Rgb } from './palette.ts';

describe('sitesLayer', () => {
  it('draws our network and competitors facing the camera, without the depth test, competitors first', () => {
    const cell = { x: 0, y: 0, width: 64, height: 64, anchorY: 32, mask: false as const };
    const atlas: IconAtlas = { url: 'data:,', mapping: { ownBranch: cell, ownAtm: cell, competitor: cell } };
    const sites = {
      id: ['B1', 'X1', 'A1'], lon: Float64Array.from([121.4, 121.5, 121.6]), lat: Float64Array.from([31.2, 31.2, 31.2]),
      type: ['branch', 'branch', 'atm'], owner: ['own', 'ICBC', 'own'], name: ['', '', ''],
    };
    const l = sitesLayer(sites, { ownBranch: true, ownAtm: true, competitor: true }, atlas);
    const p = l.props as unknown as { billboard: boolean; parameters: unknown; data: { index: number }[]; beforeId: string };
    expect(p.billboard).toBe(true);
    // Beneath the district names.
    expect(p.beforeId).toBe('area-label');
    expect(p.parameters).toEqual({ depthCompare: 'always' });
    expect(p.data.map((d) => d.index)).toEqual([1, 0, 2]);
  });

  it('ranks our branches over ATMs over competitors for thinning, competitors further down when our network is the subject; draws only the kept sites', () => {
    const cell = { x: 0, y: 0, width: 64, height: 64, anchorY: 32, mask: false as const };
    const atlas: IconAtlas = { url: 'data:,', mapping: { ownBranch: cell, ownAtm: cell, competitor: cell } };
    const sites = {
      id: ['B1', 'X1', 'A1'], lon: Float64Array.from([121.4, 121.5, 121.6]), lat: Float64Array.from([31.2, 31.2, 31.2]),
      type: ['branch', 'branch', 'atm'], owner: ['own', 'ICBC', 'own'], name: ['', '', ''],
    };
    const plain = sitePriorities(sites);
    expect(plain[0]).toBeGreaterThan(plain[2]);
    expect(plain[2]).toBeGreaterThan(plain[1]);
    const own = sitePriorities(sites, true);
    expect(own[2] / own[1]).toBeGreaterThan(plain[2] / plain[1]);
    const all = { ownBranch: true, ownAtm: true, competitor: true };
    type P = { getSize: (d: { symbol: string }) => number; getColor: (d: { symbol: string }) => number[]; data: { index: number }[] };
    const l = sitesLayer(sites, all, atlas, undefined, { emphasiseOwn: true, keep: Uint8Array.from([1, 0, 1]) }).props as unknown as P;
    expect(l.data.map((d) => d.index)).toEqual([0, 2]);
    const p0 = sitesLayer(sites, all, atlas).props as unknown as P;
    expect(l.getSize({ symbol: 'competitor' })).toBeLessThan(p0.getSize({ symbol: 'competitor' }));
    expect(l.getColor({ symbol: 'competitor' })[3]).toBeLessThan(255);
    expect(l.getColor({ symbol: 'ownBranch' })[3]).toBe(255);
  });
});

describe('vertexFillColors', () => {
  it("gives every vertex of an area's polygons that area's colour at the fill opacity, the no-data grey where it has none", () => {
    const square = (x: number): number[][] => [[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]];
    const fc: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { area_id: 'A' }, geometry: { type: 'Polygon', coordinates: [square(0)] } },
        { type: 'Feature', properties: { area_id: 'B' }, geometry: { type: 'MultiPolygon', coordinates: [[square(2)], [square(4)]] } },
        { type: 'Feature', properties: { area_id: 'C' }, geometry: { type: 'Polygon', coordinates: [square(6)] } },
      ],
    };
    const d = packAreas(fc, 1).draw;
    const fills: Rgb[] = [[1, 2, 3], [4, 5, 6]]; // C has no colour
    const got = vertexFillColors(d, fills);
    // one RGBA per vertex of the fill: 4 polygons of 5 positions
    expect(got.length).toBe(4 * 5 * 4);
    const want = [[1, 2, 3], [4, 5, 6], [4, 5, 6], NO_DATA].flatMap((c) => Array.from({ length: 5 }, () => [...c, 190]).flat());
    expect(Array.from(got)).toEqual(want);
  });
});
