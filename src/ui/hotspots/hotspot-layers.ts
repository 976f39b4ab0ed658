/**
 * deck.gl layers of the Hotspots tab, built from plain arrays so tests can check them as
 * data: H3 cells coloured by class (optionally extruded by value), the density heatmap,
 * parent cells of the stability view, areas coloured by type, and the selection outlines.
 * Hexagons sit beneath MapLibre's district outlines and labels (`beforeId`), like the base
 * choropleth.
 *
 * Each cell layer also has its privacy-safe form for exports (`safeCellLayer`,
 * `safeDensityLayer`): no cell under k customers is drawn (see src/pipeline/share/safe-cells.ts).
 */
import { cellToLatLng } from 'h3-js';
import { H3HexagonLayer } from '@deck.gl/geo-layers';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { AREA_OUTLINE_LAYER, BENEATH_OUTLINES, h3CellsLayer } from '../map/layers.ts';
import type { Rgb } from '../map/palette.ts';
import { FILL_ALPHA, NS_ALPHA, withAlpha, type Rgba } from './hotspot-palette.ts';
import { safeCellSplit } from '../../pipeline/share/safe-cells.ts';
import { mergedCellsLayer } from '../share/merged-layer.ts';
import type { SafeVariant } from '../share/layer-privacy.ts';

/** Colour per cell from class codes: `palette[code]`, the `nsCode` class faint. */
export function cellColors(codes: Uint8Array, palette: readonly Rgb[], nsCode: number): Rgba[] {
  const byCode = palette.map((c, k) => withAlpha(c, k === nsCode ? NS_ALPHA : FILL_ALPHA));
  return Array.from(codes, (c) => byCode[c] ?? byCode[nsCode]);
}

/** Elevation per cell in metres: value / max × `maxM` (0 for non-positive values). */
export function elevations(values: Float64Array, maxM = 3000): Float64Array {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return Float64Array.from(values, (v) => (max > 0 && v > 0 ? (v / max) * maxM : 0));
}

export interface CellLayerInput {
  id: string;
  h3: readonly string[];
  colors: readonly Rgba[];
  /** Metres per cell; omit for flat cells. */
  elevation?: Float64Array | null;
  onHover?: (info: PickingInfo) => void;
  onClick?: (info: PickingInfo) => void;
}

/** One hexagon per study cell. */
export function cellLayer(input: CellLayerInput): Layer {
  return h3CellsLayer(input.h3, {
    id: input.id,
    getFillColor: (i) => input.colors[i],
    extruded: !!input.elevation,
    getElevation: (i) => input.elevation?.[i] ?? 0,
    elevationScale: 1,
    pickable: true,
    autoHighlight: true,
    highlightColor: [0, 0, 0, 60],
    onHover: input.onHover,
    onClick: input.onClick,
    updateTriggers: { getFillColor: [input.colors], getElevation: [input.elevation] },
  });
}

/** Thick dark outline of one cell (the clicked one). */
export function selectedCellLayer(h3: string): Layer {
  return new H3HexagonLayer<string>({
    id: 'hotspots-selected-cell',
    data: [h3],
    getHexagon: (c) => c,
    filled: false,
    stroked: true,
    extruded: false,
    getLineColor: [20, 20, 20, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: 2.5,
  });
}

/** Outline of the selected area. */
export function selectedAreaLayer(feature: GeoJSON.Feature): Layer {
  return new GeoJsonLayer({
    id: 'hotspots-selected-area',
    data: { type: 'FeatureCollection', features: [feature] },
    filled: false,
    stroked: true,
    getLineColor: [20, 20, 20, 220],
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
  });
}

/** Density of the measure: a heatmap of cell centres weighted by value (not a significance test). */
export function densityLayer(lon: Float64Array, lat: Float64Array, values: Float64Array): Layer {
  const data: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] > 0) data.push(i);
  return new HeatmapLayer<number>({
    id: 'hotspots-heatmap',
    data,
    ...BENEATH_OUTLINES,
    getPosition: (i) => [lon[i], lat[i]],
    getWeight: (i) => values[i],
    radiusPixels: 35,
    intensity: 1,
    threshold: 0.05,
    aggregation: 'SUM',
    updateTriggers: { getWeight: [values], getPosition: [lon] },
  });
}

/** Areas filled by type (label per area; −1 = no type). */
export function typeLayer(areas: GeoJSON.FeatureCollection, labels: Int32Array, palette: readonly Rgb[], onHover?: (info: PickingInfo) => void): Layer {
  const index = new Map(areas.features.map((f, i) => [f, i]));
  return new GeoJsonLayer({
    id: 'hotspots-types',
    data: areas,
    beforeId: AREA_OUTLINE_LAYER,
    filled: true,
    stroked: false,
    pickable: true,
    getFillColor: (f) => {
      const l = labels[index.get(f as GeoJSON.Feature) ?? -1] ?? -1;
      return l >= 0 ? withAlpha(palette[l % palette.length], 190) : [200, 200, 200, 80];
    },
    onHover,
    updateTriggers: { getFillColor: [labels] },
  });
}

// ----- safe export forms (k rule) ------------------------------------------------------

/**
 * The safe-export form of a cell layer, by `safeCells`: cells whose H3 family has no member
 * under k customers keep their colour (and height); a family with a small member is drawn as
 * its parent, grey, flat and clipped to the study area — the merged group has no class of its own, and a height would
 * let a viewer subtract the big siblings; what stays under k at resolution 5 is not drawn.
 * `customers` are the customers behind each cell (those that passed the filters).
 */
export function safeCellLayer(input: CellLayerInput, customers: ArrayLike<number>, k: number): SafeVariant<Layer> {
  const s = safeCellSplit(input.h3, customers, k);
  // Kept cells as they are; merged parents grey, flat and clipped to the study area.
  const h3 = s.kept.map((i) => input.h3[i]);
  const colors = s.kept.map((i) => input.colors[i]);
  const el = input.elevation;
  const elevation = el ? Float64Array.from(s.kept, (i) => el[i]) : null;
  const merged = mergedCellsLayer(input.id, s.parents.map((p) => p.h3));
  return { layer: cellLayer({ id: input.id, h3, colors, elevation }), extra: merged ? [merged] : [], merged: s.mergedInputs, hiddenCount: s.hiddenCount };
}

/**
 * The safe-export form of the heatmap. The heatmap is already built from H3 cell totals at
 * their centres, not from customer points, so once cells under k are merged it is an
 * aggregate like the class map: kept cells weigh at their centre, and for an additive
 * measure (counts, sums) a merged family weighs its summed value at its parent's centre.
 * A ratio (penetration) cannot be summed: merged families are then left out.
 */
export function safeDensityLayer(
  h3: readonly string[], lon: Float64Array, lat: Float64Array, values: Float64Array, customers: ArrayLike<number>, k: number, additive: boolean,
): SafeVariant<Layer> {
  const s = safeCellSplit(h3, customers, k, additive ? values : undefined);
  const parents = additive ? s.parents : [];
  const n = s.kept.length + parents.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const v = new Float64Array(n);
  s.kept.forEach((i, j) => ((x[j] = lon[i]), (y[j] = lat[i]), (v[j] = values[i])));
  parents.forEach((p, q) => {
    const [plat, plon] = cellToLatLng(p.h3);
    const j = s.kept.length + q;
    x[j] = plon;
    y[j] = plat;
    v[j] = Number(p.value) || 0;
  });
  return { layer: densityLayer(x, y, v), merged: s.mergedInputs, hiddenCount: s.hiddenCount };
}
