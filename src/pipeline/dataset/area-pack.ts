/**
 * The loaded areas packed for the page in typed arrays (issue 15: the UI thread never stalls
 * while loading areas). A FeatureCollection of 20,000 areas costs seconds of structured clone
 * on the page and seconds more to tessellate there; typed arrays cross as transferables, so
 * the DB worker does the heavy work once and the page only rebuilds plain objects in slices.
 *
 * - `geometry`: every position exactly as loaded, flat, to rebuild `Dataset.areas` on the
 *   page (exact: Float64 in, Float64 out).
 * - `draw`: the fill the map draws (deck.gl), triangulated here with earcut (the triangulator
 *   deck.gl itself uses) after a Douglas–Peucker pass at DRAW_TOLERANCE_M, under a pixel up
 *   to street zoom. The outlines and labels MapLibre draws come from `areaSourcesJson` at
 *   full precision: MapLibre simplifies those per tile in its own worker.
 * - label points (core/label-point.ts) and the bounds the map fits to.
 */
import simplify from 'simplify-js';
import { earcut } from '@math.gl/polygon';
import gcoord from 'gcoord';
import { labelPoint } from '../../core/label-point.ts';

/** Fill geometry is simplified to this many metres: under a pixel up to zoom 17 (street level). */
export const DRAW_TOLERANCE_M = 1;
const M_PER_DEG = 111_320;

export interface AreaGeometryPack {
  /** lon, lat of every position of every ring, in file order. */
  positions: Float64Array;
  /** Position index where each ring starts (length rings + 1). */
  ringStarts: Uint32Array;
  /** Ring index where each polygon starts (length polygons + 1); its first ring is the shell. */
  polygonRings: Uint32Array;
  /** Polygon index where each feature starts (length features + 1). */
  featurePolygons: Uint32Array;
  /** 1 where the feature is a MultiPolygon. */
  multi: Uint8Array;
}

export interface AreaDrawPack {
  /** lon, lat of the simplified rings, polygon after polygon (rings of a polygon contiguous). */
  positions: Float64Array;
  /** Position index where each polygon starts (length polygons + 1). */
  polygonStarts: Uint32Array;
  /** Triangles as position indices into `positions`. */
  triangles: Uint32Array;
  /** The feature each polygon belongs to. */
  polygonFeature: Uint32Array;
}

export interface AreaPack {
  /** Identifies the areas packed: `areaSourcesJson` answers only for the same. */
  version: number;
  count: number;
  geometry: AreaGeometryPack;
  draw: AreaDrawPack;
  /** A label point per feature (lon, lat), NaN where there is none. */
  labels: Float64Array;
  /** [west, south, east, north], null without positions. */
  bbox: [number, number, number, number] | null;
}

type Rings = number[][][];

function polygonsOf(g: GeoJSON.Geometry | null): Rings[] {
  if (!g) return [];
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  return [];
}

/**
 * True when the pack rebuilds these areas exactly: Polygon/MultiPolygon geometries with 2D
 * positions (what the loader produces); anything else goes the slow, generic way.
 */
export function packable(fc: GeoJSON.FeatureCollection): boolean {
  for (const f of fc.features) {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return false;
    for (const p of polygonsOf(g)) for (const r of p) for (const q of r) if (q.length !== 2) return false;
  }
  return true;
}

/** The transferable buffers of a pack (for postMessage). */
export function packBuffers(p: AreaPack): ArrayBuffer[] {
  const arrays = [p.geometry.positions, p.geometry.ringStarts, p.geometry.polygonRings, p.geometry.featurePolygons, p.geometry.multi,
    p.draw.positions, p.draw.polygonStarts, p.draw.triangles, p.draw.polygonFeature, p.labels];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** Simplified copy of a closed ring; the ring itself when simplifying would collapse it. */
function drawRing(ring: number[][], tolDeg: number): number[][] {
  if (ring.length <= 8) return ring;
  const s = simplify(ring.map(([x, y]) => ({ x, y })), tolDeg, true);
  return s.length >= 4 ? s.map((p) => [p.x, p.y]) : ring;
}

export function packAreas(fc: GeoJSON.FeatureCollection, version: number): AreaPack {
  let positions = 0, rings = 0, polygons = 0;
  for (const f of fc.features)
    for (const p of polygonsOf(f.geometry)) {
      polygons++;
      rings += p.length;
      for (const r of p) positions += r.length;
    }
  const geometry: AreaGeometryPack = {
    positions: new Float64Array(positions * 2),
    ringStarts: new Uint32Array(rings + 1),
    polygonRings: new Uint32Array(polygons + 1),
    featurePolygons: new Uint32Array(fc.features.length + 1),
    multi: new Uint8Array(fc.features.length),
  };
  const labels = new Float64Array(fc.features.length * 2).fill(NaN);
  const drawPos: number[] = [];
  const drawStarts: number[] = [0];
  const triangles: number[] = [];
  const polygonFeature: number[] = [];
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  let pi = 0, ri = 0, vi = 0;
  const tolDeg = DRAW_TOLERANCE_M / M_PER_DEG;
  fc.features.forEach((f, fi) => {
    geometry.featurePolygons[fi] = pi;
    geometry.multi[fi] = f.geometry?.type === 'MultiPolygon' ? 1 : 0;
    for (const p of polygonsOf(f.geometry)) {
      geometry.polygonRings[pi++] = ri;
      const flat: number[] = [];
      const holes: number[] = [];
      p.forEach((r, k) => {
        geometry.ringStarts[ri++] = vi;
        for (const [x, y] of r) {
          geometry.positions[vi * 2] = x;
          geometry.positions[vi * 2 + 1] = y;
          vi++;
          if (x < w) w = x;
          if (x > e) e = x;
          if (y < s) s = y;
          if (y > n) n = y;
        }
        if (k > 0) holes.push(flat.length / 2);
        for (const q of drawRing(r, tolDeg)) flat.push(q[0], q[1]);
      });
      const base = drawPos.length / 2;
      for (const t of earcut(flat, holes.length ? holes : undefined, 2)) triangles.push(t + base);
      for (const v of flat) drawPos.push(v);
      drawStarts.push(drawPos.length / 2);
      polygonFeature.push(fi);
    }
    const lp = f.geometry ? labelPoint(f.geometry) : null;
    if (lp) [labels[fi * 2], labels[fi * 2 + 1]] = lp;
  });
  geometry.featurePolygons[fc.features.length] = pi;
  geometry.polygonRings[pi] = ri;
  geometry.ringStarts[ri] = vi;
  return {
    version,
    count: fc.features.length,
    geometry,
    draw: {
      positions: Float64Array.from(drawPos),
      polygonStarts: Uint32Array.from(drawStarts),
      triangles: Uint32Array.from(triangles),
      polygonFeature: Uint32Array.from(polygonFeature),
    },
    labels,
    bbox: Number.isFinite(w) ? [w, s, e, n] : null,
  };
}

/** Feature `i`'s geometry rebuilt from the pack: equal to the one packed. */
export function unpackGeometry(g: AreaGeometryPack, i: number): GeoJSON.Polygon | GeoJSON.MultiPolygon {
  const polys: Rings[] = [];
  for (let p = g.featurePolygons[i]; p < g.featurePolygons[i + 1]; p++) {
    const rings: Rings = [];
    for (let r = g.polygonRings[p]; r < g.polygonRings[p + 1]; r++) {
      const ring: number[][] = new Array(g.ringStarts[r + 1] - g.ringStarts[r]);
      for (let v = g.ringStarts[r], k = 0; v < g.ringStarts[r + 1]; v++, k++) ring[k] = [g.positions[v * 2], g.positions[v * 2 + 1]];
      rings.push(ring);
    }
    polys.push(rings);
  }
  return g.multi[i] ? { type: 'MultiPolygon', coordinates: polys } : { type: 'Polygon', coordinates: polys[0] ?? [] };
}

export type DisplayCrs = 'wgs84' | 'gcj02';

/** An area's outline is drawn once the area is this many pixels across (smaller: a grey mesh). */
export const OUTLINE_MIN_PX = 8;
/** An area's name is placed once the area is this many pixels across. */
export const LABEL_MIN_PX = 16;

/**
 * The zoom from which feature `i` is `px` pixels across on MapLibre's 512-px tiles, from the
 * larger of its width and its Mercator-stretched height (0 for an area that big at zoom 0).
 * 20,000 small areas would otherwise put 20,000 outlines and names through the GPU every frame
 * where each is a few pixels: seconds per frame in software GL.
 */
function minZoomFor(g: AreaGeometryPack, i: number, px: number): number {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const from = g.ringStarts[g.polygonRings[g.featurePolygons[i]]];
  const to = g.ringStarts[g.polygonRings[g.featurePolygons[i + 1]]];
  for (let v = from; v < to; v++) {
    const x = g.positions[v * 2], y = g.positions[v * 2 + 1];
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  if (!(e > w || n > s)) return 24;
  const side = Math.max(e - w, (n - s) / Math.cos((((n + s) / 2) * Math.PI) / 180));
  return Math.max(0, Math.round(Math.log2((px * 360) / (512 * side)) * 10) / 10);
}

/**
 * The GeoJSON MapLibre draws (outlines and the land fill; one label point per area), as UTF-8
 * JSON for a blob: URL its worker fetches and parses, in the basemap's datum (GCJ-02 vertex by
 * vertex over AMap/Tencent; the data itself stays WGS84). Each feature carries the zoom from
 * which its outline (`_outline_z`) or name (`_label_z`) is drawn: see OUTLINE_MIN_PX.
 */
export function areaSourcesJson(fc: GeoJSON.FeatureCollection, pack: AreaPack, crs: DisplayCrs): { areas: Uint8Array; labels: Uint8Array } {
  const shift = (x: number, y: number): number[] => (crs === 'gcj02' ? (gcoord.transform([x, y], gcoord.WGS84, gcoord.GCJ02) as number[]) : [x, y]);
  const shiftRings = (rings: Rings): Rings => rings.map((r) => r.map(([x, y]) => shift(x, y)));
  const areas = {
    type: 'FeatureCollection',
    features: fc.features.map((f, i) => {
      const g = f.geometry;
      const geometry = crs === 'wgs84' || !g ? g
        : g.type === 'Polygon' ? { type: 'Polygon', coordinates: shiftRings(g.coordinates) }
        : g.type === 'MultiPolygon' ? { type: 'MultiPolygon', coordinates: g.coordinates.map(shiftRings) } : g;
      return { type: 'Feature', properties: { ...f.properties, _outline_z: minZoomFor(pack.geometry, i, OUTLINE_MIN_PX) }, geometry };
    }),
  };
  const labels = { type: 'FeatureCollection', features: [] as object[] };
  fc.features.forEach((f, i) => {
    const x = pack.labels[i * 2], y = pack.labels[i * 2 + 1];
    if (Number.isFinite(x)) labels.features.push({ type: 'Feature', properties: { ...f.properties, _label_z: minZoomFor(pack.geometry, i, LABEL_MIN_PX) }, geometry: { type: 'Point', coordinates: shift(x, y) } });
  });
  const enc = new TextEncoder();
  return { areas: enc.encode(JSON.stringify(areas)), labels: enc.encode(JSON.stringify(labels)) };
}
