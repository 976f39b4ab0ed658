/**
 * The grey merged cells of a safe export, clipped to the study area (see
 * src/pipeline/share/clip-cells.ts), as one deck.gl layer. Workflows whose safe variant
 * merges cells draw their kept cells as usual and add this layer for the parents.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { app } from '../app/app-state.svelte.ts';
import { clipCellsToAreas } from '../../pipeline/share/clip-cells.ts';
import { MERGED_CELL_ALPHA, MERGED_CELL_RGB } from '../../pipeline/share/safe-cells.ts';
import { markLayer } from './layer-privacy.ts';

/** Clipped merged cells of the loaded dataset's study area; null when there are none to draw. */
export function mergedCellsLayer(id: string, parents: readonly string[]): Layer | null {
  const areas = app.dataset?.areas;
  if (!areas || parents.length === 0) return null;
  const features = clipCellsToAreas(parents, areas as GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon>);
  if (!features.length) return null;
  const layer = new GeoJsonLayer({
    id: `${id}-merged`,
    data: { type: 'FeatureCollection', features },
    filled: true,
    stroked: false,
    pickable: false,
    getFillColor: [...MERGED_CELL_RGB, MERGED_CELL_ALPHA],
  });
  return markLayer(layer as unknown as Layer, 'aggregate');
}

/** The features of the merged layers among `layers` (tests check they stay inside the study area). */
export function mergedFeaturesOf(layers: readonly Layer[]): GeoJSON.Feature[] {
  return layers
    .filter((l) => l.id.endsWith('-merged'))
    .flatMap((l) => ((l.props as { data?: GeoJSON.FeatureCollection }).data?.features ?? []));
}
