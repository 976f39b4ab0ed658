/**
 * deck.gl layers of the Sites tab, built from plain arrays so tests can check them as data:
 * demand cells coloured by catchment (which of our sites covers them first, or uncovered),
 * by our Huff share, or by demand; coverage rings (stroked circles in metres); the new
 * sites with their rank; moved sites; exclusion zones; closed sites in closure mode.
 * Cells sit beneath MapLibre's district outlines and labels, like the base choropleth.
 */
import { LineLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { haversineM } from '../../core/haversine.ts';
import { ALWAYS_ON_TOP, h3CellsLayer } from '../map/layers.ts';
import { SiteNamesLayer } from '../map/site-names-layer.ts';
import { sequential, type Rgb } from '../map/palette.ts';

/** New sites by rank (ColorBrewer Dark2 + Paired darks): saturated, apart from the pale cell classes. */
export const NEW_SITE_COLORS: readonly Rgb[] = [
  [27, 158, 119], [117, 112, 179], [231, 41, 138], [102, 166, 30], [230, 171, 2],
  [166, 118, 29], [217, 95, 2], [31, 120, 180], [51, 160, 44], [227, 26, 28],
];
export const UNCOVERED: Rgb = [246, 178, 148];
export const EXISTING: Rgb = [140, 182, 222];
export const OWN_RING: Rgb = [31, 95, 191];
export const CELL_ALPHA = 170;
/** Uncovered cells are most of a city: lighter, so covered ones stand out. */
export const UNCOVERED_ALPHA = 120;
export const NEW_ALPHA = 220;

export const newSiteColor = (r: number): Rgb => NEW_SITE_COLORS[((r % NEW_SITE_COLORS.length) + NEW_SITE_COLORS.length) % NEW_SITE_COLORS.length];

function put(out: Uint8Array, i: number, [r, g, b]: Rgb, a = CELL_ALPHA): void {
  out[4 * i] = r; out[4 * i + 1] = g; out[4 * i + 2] = b; out[4 * i + 3] = a;
}

/** RGBA per demand point from the scenario's coverBy (−2 uncovered, −1 existing, r new site r). */
export function coverageColors(coverBy: Int16Array, out = new Uint8Array(coverBy.length * 4)): Uint8Array {
  for (let i = 0; i < coverBy.length; i++) {
    const c = coverBy[i];
    if (c === -2) put(out, i, UNCOVERED, UNCOVERED_ALPHA);
    else put(out, i, c === -1 ? EXISTING : newSiteColor(c), c === -1 ? CELL_ALPHA : NEW_ALPHA);
  }
  return out;
}

/**
 * Colours while a site is dragged: a point our other sites cover keeps its colour (or the
 * existing-network colour when the dragged site had it first); an uncovered one within R
 * of the pointer takes the dragged site's colour; the rest is uncovered.
 */
export function dragCoverageColors(
  input: { coverBy: Int16Array; otherCover: Uint16Array; lon: Float64Array; lat: Float64Array; radiusM: number; lonNow: number; latNow: number; draggedColor: Rgb; draggedRank: number },
  out = new Uint8Array(input.coverBy.length * 4),
): Uint8Array {
  const { coverBy, otherCover, lon, lat, radiusM, lonNow, latNow } = input;
  // A cheap latitude/longitude window before the exact distance.
  const dLat = radiusM / 111_000 + 1e-6;
  const dLon = dLat / Math.max(0.05, Math.cos((latNow * Math.PI) / 180));
  for (let i = 0; i < coverBy.length; i++) {
    if (otherCover[i] > 0) {
      const c = coverBy[i];
      if (c >= 0 && c !== input.draggedRank) put(out, i, newSiteColor(c), NEW_ALPHA);
      else put(out, i, EXISTING);
    } else if (Math.abs(lat[i] - latNow) <= dLat && Math.abs(lon[i] - lonNow) <= dLon && haversineM(lon[i], lat[i], lonNow, latNow) <= radiusM) {
      put(out, i, input.draggedColor, NEW_ALPHA);
    } else put(out, i, UNCOVERED, UNCOVERED_ALPHA);
  }
  return out;
}

/** Our Huff share per cell in five classes of 20 % (YlGnBu). */
export const SHARE_BREAKS = [0.2, 0.4, 0.6, 0.8];
export function shareColors(p: Float32Array | Float64Array): Uint8Array {
  const pal = sequential(5);
  const out = new Uint8Array(p.length * 4);
  for (let i = 0; i < p.length; i++) {
    let k = 0;
    while (k < SHARE_BREAKS.length && p[i] >= SHARE_BREAKS[k]) k++;
    put(out, i, pal[k]);
  }
  return out;
}

/** Demand per cell in quintiles (YlOrRd); returns the colours and the class breaks. */
export function demandColors(w: Float64Array): { colors: Uint8Array; breaks: number[] } {
  const sorted = Float64Array.from(w).sort();
  const breaks = [0.2, 0.4, 0.6, 0.8].map((q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  const pal = sequential(5, 'ylorrd');
  const out = new Uint8Array(w.length * 4);
  for (let i = 0; i < w.length; i++) {
    let k = 0;
    while (k < breaks.length && w[i] > breaks[k]) k++;
    put(out, i, pal[k]);
  }
  return { colors: out, breaks };
}

/** Closure access status: 0 within the access distance, 1 beyond before and after, 2 newly beyond. */
export const ACCESS_COLORS: readonly Rgb[] = [[199, 233, 192], [217, 217, 217], [215, 48, 39]];
export function accessColors(status: Uint8Array): Uint8Array {
  const out = new Uint8Array(status.length * 4);
  for (let i = 0; i < status.length; i++) put(out, i, ACCESS_COLORS[status[i]] ?? ACCESS_COLORS[0], status[i] === 0 ? 110 : 190);
  return out;
}

export interface CellsInput {
  id: string;
  h3: readonly string[];
  /** RGBA, 4 per cell. */
  colors: Uint8Array;
  /** Changes whenever `colors` does (deck compares update triggers by value). */
  version: number;
  onHover?: (info: PickingInfo) => void;
}

export function cellsLayer(input: CellsInput): Layer {
  const c = input.colors;
  return h3CellsLayer(input.h3, {
    id: input.id,
    getFillColor: (i) => [c[4 * i], c[4 * i + 1], c[4 * i + 2], c[4 * i + 3]],
    extruded: false,
    pickable: !!input.onHover,
    onHover: input.onHover,
    updateTriggers: { getFillColor: [input.version] },
  });
}

/** Positions per run (keyed by its lon array): built once, not on every pointer move of a drag. */
const interleaved = new WeakMap<Float64Array, Float64Array>();
type PointsData = { length: number; attributes: { getPosition: { value: Float64Array; size: 2 }; getFillColor: { value: Uint8Array; size: 4; normalized: true } } };
/** One data object per set of points: deck.gl keeps the uploaded positions while it is the same, and reads the new colours (updateTriggers). */
const pointsData = new WeakMap<Float64Array, PointsData>();

export interface PointsInput {
  id: string;
  lon: Float64Array;
  lat: Float64Array;
  /** RGBA, 4 per point. */
  colors: Uint8Array;
  version: number;
  onHover?: (info: PickingInfo) => void;
}

/**
 * Most points a map draws of the demand at its exact locations. Every point counts in the
 * numbers; above this many, an even sample (every k-th point, k = {@link pointsDrawnStride}) is
 * drawn: 200k discs made each frame take seconds in software WebGL (headless Chromium, GPU-less
 * machines), and at city zoom 20,000 discs already fill the built-up area.
 */
export const MAX_DRAWN_POINTS = 20_000;

/** 1 when every point is drawn, else k: every k-th point is drawn. */
export function pointsDrawnStride(n: number): number {
  return n <= MAX_DRAWN_POINTS ? 1 : Math.ceil(n / MAX_DRAWN_POINTS);
}

/**
 * Demand at its exact locations (customers, compounds): small discs, 1.5 px at city zoom and
 * growing to 5 px in the street, in the same colours the cells would take (an even sample of
 * them past {@link MAX_DRAWN_POINTS}). Attributes come straight from typed arrays (deck.gl
 * binary data), so the points cost no objects. Give `onHover` only for a few thousand points:
 * hover picking redraws every point.
 */
export function demandPointsLayer(input: PointsInput): Layer {
  const stride = pointsDrawnStride(input.lon.length);
  const n = Math.ceil(input.lon.length / stride);
  let positions = interleaved.get(input.lon);
  if (!positions) {
    positions = new Float64Array(2 * n);
    for (let j = 0, i = 0; j < n; j++, i += stride) { positions[2 * j] = input.lon[i]; positions[2 * j + 1] = input.lat[i]; }
    interleaved.set(input.lon, positions);
  }
  let colors = input.colors;
  if (stride > 1) {
    colors = new Uint8Array(4 * n);
    for (let j = 0, i = 0; j < n; j++, i += stride) colors.set(input.colors.subarray(4 * i, 4 * i + 4), 4 * j);
  }
  // A new data object per rebuild made deck.gl upload every position again (a drag rebuilds
  // the layer at every pointer move): the same object, its colours replaced, uploads colours only.
  let data = pointsData.get(positions);
  if (!data) pointsData.set(positions, (data = { length: n, attributes: { getPosition: { value: positions, size: 2 }, getFillColor: { value: colors, size: 4, normalized: true } } }));
  data.attributes.getFillColor = { value: colors, size: 4, normalized: true };
  return new ScatterplotLayer({
    id: input.id,
    data,
    radiusUnits: 'meters',
    getRadius: 12,
    radiusMinPixels: 1.5,
    radiusMaxPixels: 5,
    stroked: false,
    pickable: !!input.onHover && stride === 1,
    onHover: input.onHover,
    updateTriggers: { getFillColor: [input.version] },
  });
}

export interface RingDatum {
  lon: number;
  lat: number;
  color: Rgb;
}

/** Coverage rings: stroked circles of `radiusM` metres. */
export function ringsLayer(id: string, rings: readonly RingDatum[], radiusM: number, widthPx: number, alpha = 220): Layer {
  return new ScatterplotLayer<RingDatum>({
    id,
    data: rings,
    getPosition: (d) => [d.lon, d.lat],
    getRadius: radiusM,
    radiusUnits: 'meters',
    stroked: true,
    filled: false,
    getLineColor: (d) => [...d.color, alpha] as [number, number, number, number],
    lineWidthUnits: 'pixels',
    getLineWidth: widthPx,
    updateTriggers: { getPosition: [rings], getLineColor: [rings] },
  });
}

export interface MarkerDatum {
  lon: number;
  lat: number;
  color: Rgb;
  label: string;
}

/**
 * New sites' names beside their discs, rank 1 first: placed where they overlap no other name
 * or disc at the current zoom, hidden where they cannot be (site-names-layer.ts).
 */
export function nameLabelsLayer(id: string, markers: readonly (MarkerDatum & { name: string })[]): Layer {
  return new SiteNamesLayer({ id, data: markers, markerRadiusPx: 13, fontPx: 12, pickable: true, ...ALWAYS_ON_TOP });
}

/** New sites: numbered discs, facing the camera and drawn over cells and extrusions when the map is pitched. */
export function markersLayers(id: string, markers: readonly MarkerDatum[], radiusPx = 11, onHover?: (info: PickingInfo) => void): Layer[] {
  return [
    new ScatterplotLayer<MarkerDatum>({
      id: `${id}-disc`,
      data: markers,
      getPosition: (d) => [d.lon, d.lat],
      getRadius: radiusPx,
      radiusUnits: 'pixels',
      stroked: true,
      filled: true,
      getFillColor: (d) => [...d.color, 255] as [number, number, number, number],
      getLineColor: [255, 255, 255, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      billboard: true,
      pickable: !!onHover,
      onHover,
      ...ALWAYS_ON_TOP,
      updateTriggers: { getPosition: [markers], getFillColor: [markers] },
    }),
    new TextLayer<MarkerDatum>({
      id: `${id}-label`,
      data: markers,
      getPosition: (d) => [d.lon, d.lat],
      getText: (d) => d.label,
      getSize: 12,
      getColor: [255, 255, 255, 255],
      fontWeight: 700,
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      billboard: true,
      ...ALWAYS_ON_TOP,
      updateTriggers: { getPosition: [markers], getText: [markers] },
    }),
  ];
}

/** A line from where each moved site was to where it is now. */
export function movesLayer(id: string, moves: readonly { from: [number, number]; to: [number, number] }[]): Layer {
  return new LineLayer<{ from: [number, number]; to: [number, number] }>({
    id,
    data: moves,
    getSourcePosition: (d) => d.from,
    getTargetPosition: (d) => d.to,
    getColor: [31, 95, 191, 200],
    getWidth: 2,
    widthUnits: 'pixels',
    updateTriggers: { getSourcePosition: [moves], getTargetPosition: [moves] },
  });
}

/** Exclusion zones: translucent red discs of their radius in metres. */
export function zonesLayer(zones: readonly { lon: number; lat: number; radiusM: number }[]): Layer {
  return new ScatterplotLayer<{ lon: number; lat: number; radiusM: number }>({
    id: 'sites-zones',
    data: zones,
    getPosition: (d) => [d.lon, d.lat],
    getRadius: (d) => d.radiusM,
    radiusUnits: 'meters',
    stroked: true,
    filled: true,
    getFillColor: [200, 30, 30, 45],
    getLineColor: [200, 30, 30, 220],
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
    updateTriggers: { getPosition: [zones], getRadius: [zones] },
  });
}

/** Closed sites: a thick red ring around the site symbol (the symbol layer draws on top). */
export function closedLayer(points: readonly { lon: number; lat: number }[]): Layer {
  return new ScatterplotLayer<{ lon: number; lat: number }>({
    id: 'sites-closed',
    data: points,
    getPosition: (d) => [d.lon, d.lat],
    getRadius: 14,
    radiusUnits: 'pixels',
    stroked: true,
    filled: true,
    getFillColor: [200, 20, 20, 90],
    getLineColor: [200, 20, 20, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: 3,
    billboard: true,
    ...ALWAYS_ON_TOP,
    updateTriggers: { getPosition: [points] },
  });
}
