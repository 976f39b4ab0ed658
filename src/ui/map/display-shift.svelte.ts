/**
 * The live display shift (display-crs.ts): while the basemap is drawn in GCJ-02, the deck.gl
 * layers carry a `modelMatrix` fitted to the visible area (refitted by MapView after every
 * move), and positions read off the map are converted back to WGS84 before they reach data.
 */
import type { Layer } from '@deck.gl/core';
import type maplibregl from 'maplibre-gl';
import { basemap, basemapCrs } from './basemap-settings.svelte.ts';
import { fromDisplay, gcjAffine, toDisplay, type LonLat } from './display-crs.ts';
import type { BasemapCrs } from './basemap-presets.ts';

export const displayShift = $state({ matrix: null as Float64Array | null, maxErrorM: 0 });

/** The map's zoom after the last zoom gesture, in quarter steps (symbol thinning follows it). */
export const mapZoom = $state({ value: 9 });

export function noteZoom(m: maplibregl.Map): void {
  const z = Math.round(m.getZoom() * 4) / 4;
  if (z !== mapZoom.value) mapZoom.value = z;
}

/** The datum the map is drawn in now. */
export function displayCrs(): BasemapCrs {
  return basemapCrs(basemap.choice);
}

/** Refit the shift to what `m` shows (a no-op, and no shift, over a WGS84 basemap). */
export function refitShift(m: maplibregl.Map): void {
  if (displayCrs() !== 'gcj02') {
    displayShift.matrix = null;
    return;
  }
  const b = m.getBounds();
  // The fit is over data (WGS84) coordinates: the view's corners taken back from GCJ-02.
  const [w, s] = fromDisplay('gcj02', Math.max(-180, b.getWest()), Math.max(-85, b.getSouth()));
  const [e, n] = fromDisplay('gcj02', Math.min(180, b.getEast()), Math.min(85, b.getNorth()));
  const fit = gcjAffine({ west: w, south: s, east: e, north: n });
  displayShift.matrix = Float64Array.from(fit.matrix);
  displayShift.maxErrorM = fit.maxErrorM;
}

/** The layers as drawn: shifted into the basemap's datum when it is GCJ-02. */
export function shiftForDisplay(layers: Layer[]): Layer[] {
  const matrix = displayShift.matrix;
  if (!matrix || displayCrs() !== 'gcj02') return layers;
  return layers.map((l) => l.clone({ modelMatrix: matrix }));
}

/** Screen position (map container pixels) of a WGS84 point as drawn. */
export function projectData(m: maplibregl.Map, lon: number, lat: number): { x: number; y: number } {
  return m.project(toDisplay(displayCrs(), lon, lat));
}

/** The WGS84 point under a screen position (map container pixels). */
export function unprojectData(m: maplibregl.Map, x: number, y: number): LonLat {
  const ll = m.unproject([x, y]);
  return fromDisplay(displayCrs(), ll.lng, ll.lat);
}

/** The WGS84 point of a map event's position. */
export function eventLonLat(e: { lngLat: { lng: number; lat: number } }): LonLat {
  return fromDisplay(displayCrs(), e.lngLat.lng, e.lngLat.lat);
}
