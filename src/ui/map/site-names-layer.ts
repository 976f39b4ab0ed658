/**
 * Names beside numbered site markers, placed so they never overlap (label-placement.ts): on
 * every change of zoom, bearing or pitch the layer projects the sites with the current
 * viewport and places the names again, higher-ranked sites first (data order); a name that
 * does not fit is hidden and comes back as the user zooms in. The markers and their rank
 * numbers are other layers and always drawn. Text in the app's CJK-capable font stack, with
 * glyphs built on demand (characterSet 'auto').
 */
import { CompositeLayer, type DefaultProps, type LayerProps, type UpdateParameters } from '@deck.gl/core';
import { TextLayer } from '@deck.gl/layers';
import { FONT_STACK } from '../share/canvas-text.ts';
import { estimateTextWidth, placeLabels, type LabelAnchor, type Placement } from './label-placement.ts';

export interface NamedSite {
  lon: number;
  lat: number;
  name: string;
}

export interface SiteNamesLayerProps {
  data: readonly NamedSite[];
  /** Radius of the marker discs the names sit beside, in pixels (outline included). */
  markerRadiusPx?: number;
  /** Font size, in pixels. */
  fontPx?: number;
}

interface Placed extends NamedSite {
  anchor: LabelAnchor;
  /** Index in `data` (its rank − 1). */
  index: number;
}

const OUTLINE_PX = 3;
const GAP_PX = 4;
const PADDING_PX = 2;

const ANCHOR_PROPS: Record<LabelAnchor, { offset: (r: number) => [number, number]; text: 'start' | 'middle' | 'end'; baseline: 'top' | 'center' | 'bottom' }> = {
  right: { offset: (r) => [r + GAP_PX, 0], text: 'start', baseline: 'center' },
  left: { offset: (r) => [-r - GAP_PX, 0], text: 'end', baseline: 'center' },
  above: { offset: (r) => [0, -r - GAP_PX], text: 'middle', baseline: 'bottom' },
  below: { offset: (r) => [0, r + GAP_PX], text: 'middle', baseline: 'top' },
};

let measureCtx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null | undefined;

/** Width of `text` in pixels at `fontPx` in the layer's font (canvas measure; an estimate without a canvas). */
function textWidth(text: string, fontPx: number): number {
  if (measureCtx === undefined) {
    try {
      measureCtx = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1).getContext('2d') : null;
    } catch {
      measureCtx = null;
    }
  }
  if (!measureCtx) return estimateTextWidth(text, fontPx);
  measureCtx.font = `${fontPx}px ${FONT_STACK}`;
  return measureCtx.measureText(text).width;
}

interface State {
  widths: number[];
  /** Zoom, bearing, pitch and size of the viewport the names were last placed at. */
  key: string;
  placed: Placed[];
  /** Per site (data order): where its name went, or null when hidden (tests read it). */
  placements: (Placement | null)[];
  [key: string]: unknown;
}

const defaultProps: DefaultProps<SiteNamesLayerProps> = {
  markerRadiusPx: 13,
  fontPx: 12,
};

export class SiteNamesLayer extends CompositeLayer<SiteNamesLayerProps> {
  /** The layer's state, typed (deck.gl's is a plain record). */
  private get s(): State {
    return this.state as State;
  }
  static override layerName = 'SiteNamesLayer';
  static override defaultProps = defaultProps;

  override initializeState(): void {
    this.setState({ widths: [], key: '', placed: [], placements: [] });
  }

  override shouldUpdateState({ changeFlags }: UpdateParameters<this>): boolean {
    return changeFlags.somethingChanged;
  }

  override updateState({ props, oldProps, changeFlags }: UpdateParameters<this>): void {
    const dataChanged = changeFlags.dataChanged || props.fontPx !== oldProps.fontPx || props.markerRadiusPx !== oldProps.markerRadiusPx;
    if (dataChanged) this.setState({ widths: props.data.map((d) => textWidth(d.name, props.fontPx!) + 2 * OUTLINE_PX) });
    const v = this.context.viewport as { zoom: number; bearing?: number; pitch?: number; width: number; height: number };
    // Positions move together when the map pans: place again only when their spacing changes.
    const key = `${v.zoom.toFixed(3)}|${(v.bearing ?? 0).toFixed(1)}|${(v.pitch ?? 0).toFixed(1)}|${v.width}x${v.height}`;
    if (!dataChanged && key === this.s.key) return;
    this.place(key);
  }

  private place(key: string): void {
    const { data, markerRadiusPx, fontPx } = this.props;
    const viewport = this.context.viewport;
    const xs = new Float64Array(data.length), ys = new Float64Array(data.length);
    data.forEach((d, i) => {
      const [x, y] = viewport.project([d.lon, d.lat]);
      xs[i] = x;
      ys[i] = y;
    });
    const placements = placeLabels(xs, ys, this.s.widths, { markerRadiusPx: markerRadiusPx!, textHeightPx: fontPx! + 2 * OUTLINE_PX, gapPx: GAP_PX, paddingPx: PADDING_PX });
    const placed: Placed[] = [];
    placements.forEach((p, i) => {
      if (p) placed.push({ ...data[i], anchor: p.anchor, index: i });
    });
    this.setState({ key, placed, placements });
  }

  override renderLayers() {
    const r = this.props.markerRadiusPx!;
    return new TextLayer<Placed>(
      this.getSubLayerProps({
        id: 'text',
        data: this.s.placed,
        getPosition: (d: Placed) => [d.lon, d.lat],
        getText: (d: Placed) => d.name,
        characterSet: 'auto',
        fontFamily: FONT_STACK,
        getSize: this.props.fontPx,
        getColor: [33, 37, 41, 255],
        getPixelOffset: (d: Placed) => ANCHOR_PROPS[d.anchor].offset(r),
        getTextAnchor: (d: Placed) => ANCHOR_PROPS[d.anchor].text,
        getAlignmentBaseline: (d: Placed) => ANCHOR_PROPS[d.anchor].baseline,
        outlineWidth: OUTLINE_PX,
        outlineColor: [255, 255, 255, 230],
        fontSettings: { sdf: true },
        billboard: true,
        updateTriggers: { getPosition: [this.s.placed], getText: [this.s.placed], getPixelOffset: [this.s.placed], getTextAnchor: [this.s.placed], getAlignmentBaseline: [this.s.placed] },
      } as LayerProps),
    );
  }
}
