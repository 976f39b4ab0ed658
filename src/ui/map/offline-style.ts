/**
 * The built-in basemap: water as the background colour, Natural Earth land from
 * public/basemap/land.geojson (built by scripts/basemap.ts). It makes no request outside
 * the app's origin. No `glyphs`: MapLibre ≥ 5.11 draws labels with the system's local
 * fonts, so Chinese labels need no glyph server.
 */
import type { StyleSpecification } from 'maplibre-gl';

export const WATER = '#cfe3f0';
export const LAND = '#f4f1ea';

export function offlineStyle(baseUrl: string): StyleSpecification {
  return {
    version: 8,
    name: 'branch-planner-offline',
    sources: {
      land: { type: 'geojson', data: new URL('basemap/land.geojson', baseUrl).href, attribution: 'Natural Earth' },
    },
    layers: [
      { id: 'water', type: 'background', paint: { 'background-color': WATER } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': LAND, 'fill-outline-color': '#b9c7cf' } },
    ],
  };
}
