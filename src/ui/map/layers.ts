/**
 * deck.gl layers of the base view, built from plain data so tests can check them as data.
 * The choropleth sits below MapLibre's district outlines and labels (`beforeId`).
 */
import { GeoJsonLayer, IconLayer, SolidPolygonLayer } from '@deck.gl/layers';
import { H3HexagonLayer, type H3HexagonLayerProps } from '@deck.gl/geo-layers';
import { CompositeLayer, type DefaultProps, type GetPickingInfoParams, type Layer, type PickingInfo } from '@deck.gl/core';
import type { AreaDrawPack, AreaPack } from '../../pipeline/dataset/area-pack.ts';
import { areaPackOf } from './area-geometry.ts';
import { classOf } from '../../core/classify.ts';
import { NO_DATA, type Rgb } from './palette.ts';
import { siteSymbol, type IconAtlas, type SiteSymbol } from './site-icons.ts';
import type { Sites } from '../../pipeline/dataset/dataset.ts';

export const AREA_OUTLINE_LAYER = 'area-outline';
/** MapLibre's district name layer: the network symbols draw beneath it, so no name is covered. */
export const AREA_LABEL_LAYER = 'area-label';

/**
 * MapboxOverlay's interleaved `beforeId` (draw beneath the district outlines and labels);
 * not in every layer's prop types, so spread in.
 */
export const BENEATH_OUTLINES = { beforeId: AREA_OUTLINE_LAYER } as object;

/**
 * Props of point symbols that must stay readable over everything: no depth test (deck.gl 9
 * / luma.gl 9 spelling; deck's default is 'less-equal'), so extruded hexagons standing in
 * front of a site on a pitched map do not hide it, and flat cells at the same height do not
 * z-fight with it. The layer order then decides: symbols go last.
 */
export const ALWAYS_ON_TOP = { parameters: { depthCompare: 'always' } } as const;

export interface ChoroplethInput {
  areas: GeoJSON.FeatureCollection;
  values: Float64Array;
  breaks: number[];
  colors: Rgb[];
  selectedIndex: number;
  onHover?: (info: PickingInfo) => void;
  onClick?: (info: PickingInfo) => void;
}

/** Fill colour per area index; −1 class (missing value) is grey. */
export function choroplethColors(values: Float64Array, breaks: number[], colors: Rgb[]): Rgb[] {
  return Array.from(values, (v) => {
    const c = classOf(v, breaks);
    return c < 0 ? NO_DATA : colors[Math.min(c, colors.length - 1)];
  });
}

/** The choropleth's fill opacity (0–255). */
const FILL_ALPHA = 190;

/**
 * The fill colour of every vertex of the packed fill (RGBA, 4 bytes per vertex): the colour
 * of the area its polygon belongs to (`fills`, by area index; the no-data grey where there is
 * none), at FILL_ALPHA. A binary attribute for deck.gl: no accessor called per polygon and no
 * per-vertex copy on the UI thread (20,000 areas: tens of ms per frame when colours change).
 */
export function vertexFillColors(d: AreaDrawPack, fills: readonly Rgb[]): Uint8Array {
  const out = new Uint8Array((d.polygonStarts[d.polygonStarts.length - 1] ?? 0) * 4);
  for (let p = 0; p + 1 < d.polygonStarts.length; p++) {
    const [r, g, b] = fills[d.polygonFeature[p]] ?? NO_DATA;
    for (let v = d.polygonStarts[p]; v < d.polygonStarts[p + 1]; v++) {
      out[v * 4] = r;
      out[v * 4 + 1] = g;
      out[v * 4 + 2] = b;
      out[v * 4 + 3] = FILL_ALPHA;
    }
  }
  return out;
}

const sameFills = (a: readonly Rgb[], b: readonly Rgb[]): boolean =>
  a === b || (a.length === b.length && a.every((c, i) => c === b[i] || (c[0] === b[i][0] && c[1] === b[i][1] && c[2] === b[i][2])));

/** The packed fill as deck.gl binary data (SolidPolygonLayer, `_normalize: false`). */
interface AreaFillGeometry {
  length: number;
  startIndices: Uint32Array;
  getPolygon: { value: Float64Array; size: 2 };
  indices: Uint32Array;
}

interface AreaFillProps {
  areas: GeoJSON.FeatureCollection;
  pack: AreaPack;
  fills: Rgb[];
  selectedIndex: number;
}

/**
 * The choropleth of areas brought as a pack (area-geometry.ts): the fill from the worker's
 * triangles and typed arrays (nothing tessellated on the UI thread), the selected area's
 * outline as a one-feature layer. The other outlines are MapLibre's (`AREA_OUTLINE_LAYER`):
 * a deck.gl path per area edge would cost the GPU seconds per frame for a 50,000-vertex ring.
 * Picks report the area's feature and index, as the GeoJsonLayer it replaces did.
 */
class AreaFillLayer extends CompositeLayer<AreaFillProps> {
  static override layerName = 'AreaFillLayer';
  static override defaultProps: DefaultProps<AreaFillProps> = {
    areas: { type: 'object', value: { type: 'FeatureCollection', features: [] } },
    pack: { type: 'object', value: null as unknown as AreaPack },
    fills: { type: 'array', value: [] },
    selectedIndex: -1,
  };

  declare state: { geometry: AreaFillGeometry | null; colors: { value: Uint8Array; size: 4; normalized: true } | null };

  override initializeState() {
    this.state = { geometry: null, colors: null };
  }

  /**
   * The fill's binary data, rebuilt only when its input changed: the geometry per pack, the
   * vertex colours when the areas' colours differ (the App rebuilds `fills` on every change
   * of its layers, a selection too; recolouring 20,000 areas for nothing costs a frame).
   */
  override updateState({ props, oldProps }: { props: AreaFillProps; oldProps: Partial<AreaFillProps> }) {
    const d = props.pack.draw;
    const newPack = props.pack !== oldProps.pack || !this.state.geometry;
    const geometry = newPack
      ? { length: d.polygonStarts.length - 1, startIndices: d.polygonStarts, getPolygon: { value: d.positions, size: 2 }, indices: d.triangles }
      : this.state.geometry!;
    const colors = newPack || !this.state.colors || !sameFills(props.fills, oldProps.fills ?? [])
      // No value for an area (e.g. a dataset with areas but no indicators yet): the no-data grey.
      ? { value: vertexFillColors(d, props.fills), size: 4 as const, normalized: true as const }
      : this.state.colors;
    this.setState({ geometry, colors });
  }

  override renderLayers() {
    const { selectedIndex, areas } = this.props;
    const { geometry: g, colors } = this.state;
    if (!g || !colors) return [];
    const fill = new SolidPolygonLayer<unknown>(this.getSubLayerProps({
      id: 'fill',
      data: { length: g.length, startIndices: g.startIndices, attributes: { getPolygon: g.getPolygon, indices: g.indices, getFillColor: colors } },
      // The same geometry is the same data: new colours replace the colour attribute only
      // (the trigger makes deck.gl read it), without tessellating and uploading the positions again.
      dataComparator: (a: { attributes: { getPolygon: unknown } }, b: { attributes: { getPolygon: unknown } }) => a.attributes.getPolygon === b.attributes.getPolygon,
      updateTriggers: { getFillColor: colors },
      _normalize: false,
      filled: true,
      extruded: false,
    }));
    const f = selectedIndex >= 0 ? areas.features[selectedIndex] : undefined;
    const outline = f ? new GeoJsonLayer(this.getSubLayerProps({
      id: 'selected',
      data: { type: 'FeatureCollection', features: [f] },
      pickable: false,
      filled: false,
      stroked: true,
      getLineColor: [20, 20, 20, 255],
      getLineWidth: 3,
      lineWidthUnits: 'pixels',
    })) : null;
    return [fill, outline];
  }

  override getPickingInfo({ info }: GetPickingInfoParams): PickingInfo {
    if (info.index >= 0) {
      const fi = this.props.pack.draw.polygonFeature[info.index];
      info.index = fi;
      info.object = this.props.areas.features[fi];
    }
    return info;
  }
}

export function choroplethLayer(input: ChoroplethInput): Layer {
  const fills = choroplethColors(input.values, input.breaks, input.colors);
  const pack = areaPackOf(input.areas);
  if (pack && pack.count === input.areas.features.length) {
    return new AreaFillLayer({
      id: 'choropleth',
      areas: input.areas,
      pack,
      fills,
      selectedIndex: input.selectedIndex,
      ...BENEATH_OUTLINES,
      pickable: true,
      onHover: input.onHover,
      onClick: input.onClick,
    }) as unknown as Layer;
  }
  const index = new Map(input.areas.features.map((f, i) => [f, i]));
  return new GeoJsonLayer({
    id: 'choropleth',
    data: input.areas,
    beforeId: AREA_OUTLINE_LAYER,
    pickable: true,
    stroked: true,
    filled: true,
    // No value for an area (e.g. a dataset with areas but no indicators yet): the no-data grey.
    getFillColor: (f) => [...(fills[index.get(f as GeoJSON.Feature) ?? 0] ?? NO_DATA), 190] as [number, number, number, number],
    getLineColor: (f) => (index.get(f as GeoJSON.Feature) === input.selectedIndex ? [20, 20, 20, 255] : [0, 0, 0, 0]),
    getLineWidth: (f) => (index.get(f as GeoJSON.Feature) === input.selectedIndex ? 3 : 0),
    lineWidthUnits: 'pixels',
    updateTriggers: { getFillColor: [fills], getLineColor: [input.selectedIndex], getLineWidth: [input.selectedIndex] },
    onHover: input.onHover,
    onClick: input.onClick,
  });
}

export interface SiteDatum {
  index: number;
  symbol: SiteSymbol;
}

/** Indices of sites per symbol, in file order. */
export function siteData(sites: Sites, visible: Record<SiteSymbol, boolean>): SiteDatum[] {
  const out: SiteDatum[] = [];
  for (let i = 0; i < sites.id.length; i++) {
    const symbol = siteSymbol(sites.type[i], sites.owner[i]);
    if (visible[symbol]) out.push({ index: i, symbol });
  }
  return out;
}

const SIZE: Record<SiteSymbol, number> = { ownBranch: 16, ownAtm: 9, competitor: 13 };

/**
 * Which symbol survives where two overlap: our branches, then our ATMs, then competitors.
 * When a workflow is about our own network (Sites), competitors drop further behind.
 */
const PRIORITY: Record<SiteSymbol, number> = { ownBranch: 3, ownAtm: 2, competitor: 1 };

export interface SitesLayerOptions {
  /** Our own sites matter in this workflow: theirs shrink and fade, ours stay full size on top. */
  emphasiseOwn?: boolean;
  /** Per site (file order), 1 to draw it: the thinning at the current zoom (declutter.ts). */
  keep?: Uint8Array | null;
}

/** Thinning priority of each site (file order) for declutter.ts. */
export function sitePriorities(sites: Sites, emphasiseOwn = false): Float64Array {
  return Float64Array.from(sites.id, (_, i) => {
    const s = siteSymbol(sites.type[i], sites.owner[i]);
    return PRIORITY[s] * (emphasiseOwn && s !== 'competitor' ? 10 : 1);
  });
}

/**
 * The network: one symbol per site, thinned where symbols would overlap (`keep`, by
 * PRIORITY: at city zoom a few hundred sites would otherwise be one blot covering the
 * districts), all of them shown again as the user zooms in. Drawn beneath the district names
 * (`beforeId`), so a name is never covered by a marker.
 */
export function sitesLayer(
  sites: Sites,
  visible: Record<SiteSymbol, boolean>,
  atlas: IconAtlas,
  onHover?: (info: PickingInfo) => void,
  opts: SitesLayerOptions = {},
): Layer {
  // Competitors first so our own network draws on top.
  const keep = opts.keep;
  const data = siteData(sites, visible).filter((d) => !keep || keep[d.index] === 1).sort((a, b) => Number(b.symbol === 'competitor') - Number(a.symbol === 'competitor'));
  const own = opts.emphasiseOwn ?? false;
  return new IconLayer<SiteDatum>({
    id: 'sites',
    data,
    pickable: true,
    iconAtlas: atlas.url,
    iconMapping: atlas.mapping,
    getIcon: (d) => d.symbol,
    getPosition: (d) => [sites.lon[d.index], sites.lat[d.index]],
    getSize: (d) => (own && d.symbol === 'competitor' ? 9 : SIZE[d.symbol]),
    getColor: (d) => [0, 0, 0, own && d.symbol === 'competitor' ? 150 : 255],
    sizeUnits: 'pixels',
    billboard: true,
    ...ALWAYS_ON_TOP,
    ...({ beforeId: AREA_LABEL_LAYER } as object),
    updateTriggers: { getSize: [own], getColor: [own] },
    onHover,
  });
}

// One index array per cell list: a new `data` array would make deck.gl re-tessellate every
// hexagon, where a colour change only needs the colour attribute (every drag frame).
const indexArrays = new WeakMap<readonly string[], number[]>();
function indicesFor(h3: readonly string[]): number[] {
  let a = indexArrays.get(h3);
  if (!a) indexArrays.set(h3, (a = Array.from({ length: h3.length }, (_, i) => i)));
  return a;
}

/**
 * Filled H3 cells beneath the district outlines, like the choropleth. `data` is the cell
 * indices, so the accessors in `props` (fill colour, elevation...) read the caller's arrays.
 */
export function h3CellsLayer(h3: readonly string[], props: Omit<H3HexagonLayerProps<number>, 'data' | 'getHexagon'> & { id: string }): Layer {
  return new H3HexagonLayer<number>({
    data: indicesFor(h3),
    ...BENEATH_OUTLINES,
    getHexagon: (i) => h3[i],
    // exact cell outlines: neighbours share their edges, so no hairline seams between them
    // (the instanced hexagon of 'auto' mode leaves gaps at high zoom)
    highPrecision: true,
    stroked: false,
    filled: true,
    ...props,
    updateTriggers: { ...props.updateTriggers, getHexagon: [h3] },
  });
}
