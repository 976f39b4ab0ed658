/**
 * Builds the offline basemap's land layer: Natural Earth 1:10m land (npm `world-atlas`,
 * public domain) clipped to the Yangtze delta, written as small GeoJSON to
 * public/basemap/land.geojson. Water is the map background colour, so land over water is
 * all the basemap needs; district boundaries and labels come from the dataset itself.
 *
 *   node --import tsx scripts/basemap.ts [west south east north]
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

const require = createRequire(import.meta.url);
const [west, south, east, north] = process.argv.slice(2).map(Number).length === 4
  ? process.argv.slice(2).map(Number)
  : [117.5, 28.5, 125.5, 34.0];

type Ring = Position[];

/** Sutherland–Hodgman clip of one closed ring against the box; may return a degenerate ring. */
function clipRing(ring: Ring): Ring {
  const edges: Array<[(p: Position) => boolean, (a: Position, b: Position) => Position]> = [
    [(p) => p[0] >= west, (a, b) => [west, a[1] + ((b[1] - a[1]) * (west - a[0])) / (b[0] - a[0])]],
    [(p) => p[0] <= east, (a, b) => [east, a[1] + ((b[1] - a[1]) * (east - a[0])) / (b[0] - a[0])]],
    [(p) => p[1] >= south, (a, b) => [a[0] + ((b[0] - a[0]) * (south - a[1])) / (b[1] - a[1]), south]],
    [(p) => p[1] <= north, (a, b) => [a[0] + ((b[0] - a[0]) * (north - a[1])) / (b[1] - a[1]), north]],
  ];
  let out = ring.slice(0, -1);
  for (const [inside, cut] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cut(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(cut(prev, cur));
    }
    if (out.length === 0) return [];
  }
  const rounded = out.map((p) => [Math.round(p[0] * 1e4) / 1e4, Math.round(p[1] * 1e4) / 1e4]);
  return rounded.length >= 3 ? [...rounded, rounded[0]] : [];
}

const topo = JSON.parse(readFileSync(require.resolve('world-atlas/land-10m.json'), 'utf8')) as Topology;
const land = feature(topo, topo.objects.land as GeometryCollection);
const polygons: Position[][][] = [];
for (const f of land.features as Feature<Polygon | MultiPolygon>[]) {
  const parts = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const rings of parts) {
    const clipped = rings.map(clipRing);
    if (clipped[0].length >= 4) polygons.push(clipped.filter((r) => r.length >= 4));
  }
}
const out = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { source: 'Natural Earth 1:10m land via world-atlas' }, geometry: { type: 'MultiPolygon', coordinates: polygons } }],
};
mkdirSync('public/basemap', { recursive: true });
writeFileSync('public/basemap/land.geojson', JSON.stringify(out));
console.log(`land: ${polygons.length} polygons, ${JSON.stringify(out).length} bytes`);
