import { describe, expect, it } from 'vitest';
import { applyAffine, fromDisplay, gcjAffine, geojsonToDisplay, toDisplay, wgsToGcj } from './display-crs.ts';
import { haversineM } from '../../core/haversine.ts';
import { presetStyle, refusedOrigins } from './basemap-presets.ts';
import { basemapCrs, parseChoice } from './basemap-settings.svelte.ts';

describe('GCJ-02 display shift', () => {
  it('moves a Shanghai point by the published GCJ-02 offset (hundreds of metres) and back within a few centimetres', () => {
    // People's Square: GCJ-02 is ~ +0.0045° east, −0.002° north here (gcoord; cf. AMap's own converter).
    const [gx, gy] = toDisplay('gcj02', 121.4737, 31.2304);
    const off = haversineM(121.4737, 31.2304, gx, gy);
    expect(off).toBeGreaterThan(300);
    expect(off).toBeLessThan(700);
    const [x, y] = fromDisplay('gcj02', gx, gy);
    expect(haversineM(x, y, 121.4737, 31.2304)).toBeLessThan(0.05);
  });

  it('leaves WGS84 basemaps alone', () => {
    expect(toDisplay('wgs84', 121.5, 31.2)).toEqual([121.5, 31.2]);
    const fc: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
    expect(geojsonToDisplay('wgs84', fc)).toBe(fc);
  });

  it('shifts GeoJSON exactly and does not touch the input', () => {
    const fc: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { a: 1 }, geometry: { type: 'Polygon', coordinates: [[[121.4, 31.2], [121.5, 31.2], [121.5, 31.3], [121.4, 31.2]]] } }],
    };
    const out = geojsonToDisplay('gcj02', fc);
    expect((fc.features[0].geometry as GeoJSON.Polygon).coordinates[0][0]).toEqual([121.4, 31.2]);
    const p = (out.features[0].geometry as GeoJSON.Polygon).coordinates[0][1];
    const [gx, gy] = wgsToGcj(121.5, 31.2);
    expect(p[0]).toBeCloseTo(gx, 9);
    expect(p[1]).toBeCloseTo(gy, 9);
    expect(out.features[0].properties).toEqual({ a: 1 });
  });

  it('fits the offset over a street-level view to under a metre and a district view to a few metres (sub-pixel at those zooms)', () => {
    // A district view (~10 km across, zoom ~12, ~30 m per pixel): a few metres.
    expect(gcjAffine({ west: 121.42, south: 31.19, east: 121.52, north: 31.27 }).maxErrorM).toBeLessThan(5);
    // A street view (~2.5 km across, zoom ~14–16).
    const view = { west: 121.46, south: 31.22, east: 121.485, north: 31.24 };
    const fit = gcjAffine(view);
    expect(fit.maxErrorM).toBeLessThan(1);
    // An independent check off the fitting grid.
    for (const [lon, lat] of [[121.4633, 31.2211], [121.4817, 31.2361], [121.47, 31.23]]) {
      const [ax, ay] = applyAffine(fit.matrix, lon, lat);
      const [gx, gy] = wgsToGcj(lon, lat);
      expect(haversineM(ax, ay, gx, gy)).toBeLessThan(1);
    }
    const city = gcjAffine({ west: 120.85, south: 30.67, east: 122.2, north: 31.88 });
    expect(city.maxErrorM).toBeGreaterThan(5);
    expect(city.maxErrorM).toBeLessThan(60);
  });

  it('is the identity outside China, where GCJ-02 equals WGS84', () => {
    const fit = gcjAffine({ west: 2.2, south: 48.8, east: 2.5, north: 48.9 });
    expect(fit.maxErrorM).toBeLessThan(1e-6);
    const [x, y] = applyAffine(fit.matrix, 2.35, 48.85);
    expect(x).toBeCloseTo(2.35, 9);
    expect(y).toBeCloseTo(48.85, 9);
  });
});

describe('basemap presets', () => {
  const self = 'http://127.0.0.1:5188';
  it('AMap and Tencent are GCJ-02, Tianditu and the built-in basemap WGS84', () => {
    expect(basemapCrs({ kind: 'amap' })).toBe('gcj02');
    expect(basemapCrs({ kind: 'tencent' })).toBe('gcj02');
    expect(basemapCrs({ kind: 'tianditu', key: 'k' })).toBe('wgs84');
    expect(basemapCrs({ kind: 'offline' })).toBe('wgs84');
    expect(basemapCrs({ kind: 'tiles', url: 'x', crs: 'gcj02' })).toBe('gcj02');
  });

  it('refuses a preset none of whose servers the deployment allows', () => {
    expect(presetStyle('amap', { lang: 'zh', key: '', allowed: [], self })).toBeNull();
    expect(refusedOrigins(['https://webrd01.is.autonavi.com', self], [], self)).toEqual(['https://webrd01.is.autonavi.com']);
  });

  it('builds Tianditu vec + cva with the key, from the allowed subdomains only', () => {
    const style = presetStyle('tianditu', { lang: 'zh', key: 'abc&d', allowed: ['https://t3.tianditu.gov.cn', 'https://t5.tianditu.gov.cn'], self });
    expect(style).not.toBeNull();
    const vec = style!.sources['tianditu-vec'] as { tiles: string[] };
    const cva = style!.sources['tianditu-cva'] as { tiles: string[] };
    expect(vec.tiles.map((u) => new URL(u).origin)).toEqual(['https://t3.tianditu.gov.cn', 'https://t5.tianditu.gov.cn']);
    expect(vec.tiles[0]).toContain('LAYER=vec');
    expect(cva.tiles[0]).toContain('LAYER=cva');
    // The key is URL-encoded, not spliced raw into the query.
    expect(vec.tiles[0]).toContain('tk=abc%26d');
    expect(style!.layers.map((l) => l.id)).toEqual(['background', 'tianditu-vec', 'tianditu-cva']);
  });

  it('reads Tencent tile rows from the south (TMS) and AMap labels in the UI language', () => {
    const allowed = ['https://rt0.map.gtimg.com', 'https://rt1.map.gtimg.com', 'https://rt2.map.gtimg.com', 'https://rt3.map.gtimg.com'];
    const t = presetStyle('tencent', { lang: 'zh', key: '', allowed, self })!;
    expect((t.sources.tencent as { scheme: string }).scheme).toBe('tms');
    const a = presetStyle('amap', { lang: 'en', key: '', allowed: ['https://webrd02.is.autonavi.com'], self })!;
    expect((a.sources.amap as { tiles: string[] }).tiles).toEqual(['https://webrd02.is.autonavi.com/appmaptile?lang=en&size=1&scale=1&style=8&x={x}&y={y}&z={z}']);
  });

  it('reads stored settings defensively', () => {
    expect(parseChoice({ kind: 'tianditu', key: 'k' })).toEqual({ kind: 'tianditu', key: 'k' });
    expect(parseChoice({ kind: 'tianditu' })).toBeNull();
    expect(parseChoice({ kind: 'style', url: 'https://x/s.json' })).toEqual({ kind: 'style', url: 'https://x/s.json', crs: 'wgs84' });
    expect(parseChoice({ kind: 'tiles', url: '/t/{z}/{x}/{y}.png', crs: 'gcj02' })).toEqual({ kind: 'tiles', url: '/t/{z}/{x}/{y}.png', crs: 'gcj02' });
    expect(parseChoice({ kind: 'evil' })).toBeNull();
    expect(parseChoice('x')).toBeNull();
  });
});
