/**
 * Small geometry helpers for the demo generator: geodesic ring area and a point-in-area
 * test with a bbox prefilter. Kept here (not in src/core) because only the generator and
 * its test need them.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { EARTH_RADIUS_M } from '../src/core/haversine.ts';

const RAD = Math.PI / 180;

/**
 * Area of a closed lon/lat ring on the sphere, in m², unsigned.
 * Chamberlain & Duquette (2007), "Some algorithms for polygons on a sphere" (JPL) — the
 * formula @turf/area uses; we use DESIGN.md's Earth radius (6,371,008.8 m) rather than
 * turf's equatorial one, a 0.1 % difference that does not matter at 0.1 km² rounding.
 */
export function ringAreaM2(ring: Position[]): number {
  const n = ring.length;
  if (n < 4) return 0;
  let total = 0;
  for (let i = 0; i < n - 1; i++) {
    const lower = ring[i];
    const middle = ring[(i + 1) % (n - 1)];
    const upper = ring[(i + 2) % (n - 1)];
    total += (upper[0] - lower[0]) * RAD * Math.sin(middle[1] * RAD);
  }
  return Math.abs((total * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2);
}

/** Signed shoelace sum in degree space: > 0 when the ring runs counter-clockwise. */
export function ringSignedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

/** Geodesic area of a Polygon or MultiPolygon in km²: exterior rings minus holes. */
export function geometryAreaKm2(geom: Polygon | MultiPolygon): number {
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  let m2 = 0;
  for (const rings of polys) rings.forEach((r, i) => (m2 += i === 0 ? ringAreaM2(r) : -ringAreaM2(r)));
  return m2 / 1e6;
}

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export function geometryBBox(geom: Polygon | MultiPolygon): BBox {
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polys)
    for (const [x, y] of rings[0]) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  return b;
}

/**
 * An area prepared for many point-in-polygon tests: rings flattened into typed arrays and
 * a bbox that rejects most misses cheaply. Hand-rolled ray casting because the generator
 * tests millions of points; the test checks its output with @turf/boolean-point-in-polygon.
 */
export interface PreparedArea {
  id: string;
  bbox: BBox;
  /** per polygon, per ring: interleaved lon, lat (closed). */
  polys: Float64Array[][];
}

export function prepareArea(id: string, geom: Polygon | MultiPolygon): PreparedArea {
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  return {
    id,
    bbox: geometryBBox(geom),
    polys: polys.map((rings) => rings.map((r) => Float64Array.from(r.flat()))),
  };
}

function inRing(xy: Float64Array, lon: number, lat: number): boolean {
  let inside = false;
  const n = xy.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = xy[2 * i];
    const yi = xy[2 * i + 1];
    const xj = xy[2 * j];
    const yj = xy[2 * j + 1];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function inArea(a: PreparedArea, lon: number, lat: number): boolean {
  const b = a.bbox;
  if (lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) return false;
  for (const rings of a.polys) {
    if (!inRing(rings[0], lon, lat)) continue;
    let inHole = false;
    for (let h = 1; h < rings.length && !inHole; h++) inHole = inRing(rings[h], lon, lat);
    if (!inHole) return true;
  }
  return false;
}

/** id of the first area containing the point, or undefined. */
export function areaOf(areas: PreparedArea[], lon: number, lat: number): string | undefined {
  for (const a of areas) if (inArea(a, lon, lat)) return a.id;
  return undefined;
}

const M_PER_DEG_LAT = 111_195; // π·R/180 with R = 6,371,008.8 m

/** Offset a point by (eastM, northM) metres — a local flat approximation, fine below ~50 km. */
export function offsetM(lon: number, lat: number, eastM: number, northM: number): [number, number] {
  return [lon + eastM / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180)), lat + northM / M_PER_DEG_LAT];
}
