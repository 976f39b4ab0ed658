/**
 * Shanghai's 16 district boundaries for the demo, from the echarts 4.9.0 province map
 * (AMap-derived, GCJ-02, "UTF8Encoding"-compressed). Decoded here and converted to WGS84
 * so the demo obeys the same contract as user files (DESIGN.md: coordinates are WGS84).
 * Precision is demo-grade (~100 m): 1/1024° quantisation plus the simplification in the
 * source. Not for measurement.
 */
import { createRequire } from 'node:module';
import gcoord from 'gcoord';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { geometryAreaKm2, ringSignedArea } from './geo.ts';

/** English names; the source only has Chinese. */
const NAME_EN: Record<string, string> = {
  '310101': 'Huangpu',
  '310104': 'Xuhui',
  '310105': 'Changning',
  '310106': "Jing'an",
  '310107': 'Putuo',
  '310109': 'Hongkou',
  '310110': 'Yangpu',
  '310112': 'Minhang',
  '310113': 'Baoshan',
  '310114': 'Jiading',
  '310115': 'Pudong',
  '310116': 'Jinshan',
  '310117': 'Songjiang',
  '310118': 'Qingpu',
  '310120': 'Fengxian',
  '310151': 'Chongming',
};

/** 崇明区 became a district in 2016 and the echarts file gives it no id; 310151 is its code. */
const MISSING_IDS: Record<string, string> = { 崇明区: '310151' };

export interface AreaProps {
  area_id: string;
  name: string;
  name_en: string;
  area_km2: number;
}
export type AreaFeature = Feature<Polygon | MultiPolygon, AreaProps>;
export type AreaCollection = FeatureCollection<Polygon | MultiPolygon, AreaProps>;

interface EncodedFeature {
  id?: string;
  properties: { name: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown; encodeOffsets: unknown };
}
interface EncodedMap {
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
  features: EncodedFeature[];
}

/**
 * echarts' ring encoding: each vertex is two chars; code − 64 is a zig-zag encoded delta
 * from the previous vertex (the first from `offset`), in units of 1/scale degree.
 * Mirrors echarts/lib/coord/geo/parseGeoJson.js decodePolygon.
 */
export function decodeRing(encoded: string, offset: [number, number], scale: number): Position[] {
  const out: Position[] = [];
  let px = offset[0];
  let py = offset[1];
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    px += x;
    py += y;
    out.push([px / scale, py / scale]);
  }
  return out;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** GCJ-02 → WGS84, rounded to 6 decimals (~0.1 m), ring closed, consecutive duplicates removed. */
function toWgs84Ring(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const [lon, lat] = gcoord.transform([p[0], p[1]] as [number, number], gcoord.GCJ02, gcoord.WGS84);
    const q = [round6(lon), round6(lat)];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
  return out;
}

/** RFC 7946 winding: exterior counter-clockwise, holes clockwise. */
function wind(rings: Position[][]): Position[][] {
  return rings.map((r, i) => {
    const ccw = ringSignedArea(r) > 0;
    return (i === 0) === ccw ? r : [...r].reverse();
  });
}

/** Decode the echarts map JSON into a WGS84 FeatureCollection with our area properties. */
export function decodeShanghai(json: EncodedMap): AreaCollection {
  if (!json.UTF8Encoding) throw new Error('expected an echarts UTF8Encoding map; this file is plain GeoJSON');
  const scale = json.UTF8Scale ?? 1024;
  const features: AreaFeature[] = json.features.map((f) => {
    const name = f.properties.name;
    const id = f.id ?? MISSING_IDS[name];
    if (!id) throw new Error(`feature ${name} has no id and no known code`);
    const g = f.geometry;
    let geometry: Polygon | MultiPolygon;
    if (g.type === 'Polygon') {
      const rings = g.coordinates as string[];
      const offs = g.encodeOffsets as [number, number][];
      geometry = { type: 'Polygon', coordinates: wind(rings.map((r, i) => toWgs84Ring(decodeRing(r, offs[i], scale)))) };
    } else {
      const polys = g.coordinates as string[][];
      const offs = g.encodeOffsets as [number, number][][];
      geometry = {
        type: 'MultiPolygon',
        coordinates: polys.map((rings, p) => wind(rings.map((r, i) => toWgs84Ring(decodeRing(r, offs[p][i], scale))))),
      };
    }
    const area_km2 = Math.round(geometryAreaKm2(geometry) * 10) / 10;
    return { type: 'Feature', properties: { area_id: id, name, name_en: NAME_EN[id] ?? id, area_km2 }, geometry };
  });
  features.sort((a, b) => a.properties.area_id.localeCompare(b.properties.area_id));
  return { type: 'FeatureCollection', features };
}

export function loadShanghai(): AreaCollection {
  const require = createRequire(import.meta.url);
  return decodeShanghai(require('echarts/map/json/province/shanghai.json') as EncodedMap);
}

/** One FeatureCollection, one feature per line: small, and diffs stay readable. */
export function areasToText(fc: AreaCollection): string {
  const lines = fc.features.map((f) => JSON.stringify(f));
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}
