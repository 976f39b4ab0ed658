/**
 * GCJ-02 / BD-09 → WGS84 (data geocoded with Chinese map services), through gcoord. gcoord
 * leaves points outside China unchanged, as GCJ-02 itself does. Its inverse of GCJ-02 is an
 * approximation good to ~1 m, far below the ~100 m precision of the demo boundaries.
 */
import gcoord from 'gcoord';
import type { Crs } from './types.ts';

const FROM = { gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export function toWgs84(lon: number, lat: number, crs: Crs): [number, number] {
  if (crs === 'wgs84') return [lon, lat];
  const [x, y] = gcoord.transform([lon, lat], FROM[crs], gcoord.WGS84) as [number, number];
  return [x, y];
}

/** Convert coordinate arrays in place. */
export function convertPointsToWgs84(lon: Float64Array, lat: Float64Array, crs: Crs): void {
  if (crs === 'wgs84') return;
  const from = FROM[crs];
  for (let i = 0; i < lon.length; i++) {
    const [x, y] = gcoord.transform([lon[i], lat[i]], from, gcoord.WGS84) as [number, number];
    lon[i] = x;
    lat[i] = y;
  }
}
