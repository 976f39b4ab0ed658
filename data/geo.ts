/**
 * Small geometry helpers for the demo generator: geodesic ring area and a point-in-area
 * test with a bbox prefilter. Kept here (not in src/core) because only the generator and
 * its test need them.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
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

/** An area prepared for many point-in-polygon tests (the bbox rejects most misses cheaply). */
export interface PreparedArea {
  id: string;
  bbox: BBox;
  feature: Feature<Polygon | MultiPolygon>;
}

export function prepareArea(id: string, feature: Feature<Polygon | MultiPolygon>): PreparedArea {
  return { id, bbox: geometryBBox(feature.geometry), feature };
}

export function inArea(a: PreparedArea, lon: number, lat: number): boolean {
  const b = a.bbox;
  if (lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) return false;
  return booleanPointInPolygon([lon, lat], a.feature);
}

/** id of the first area containing the point, or undefined. */
export function areaOf(areas: PreparedArea[], lon: number, lat: number): string | undefined {
  for (const a of areas) if (inArea(a, lon, lat)) return a.id;
  return undefined;
}
