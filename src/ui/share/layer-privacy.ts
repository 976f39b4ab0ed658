/**
 * Which map layers may leave the app. Every exported picture (PNG, PDF, snapshot thumbnail)
 * is drawn from the layers this module lets through: with safe sharing on, only layers
 * marked `aggregate`; layers marked `individual` (customer points, a customer's
 * catchment...) and layers nobody marked are left out — unmarked fails closed.
 *
 * A workflow marks the layers it publishes:
 *
 *     layers: [
 *       markLayer(new H3HexagonLayer({ id: 'hotspot-cells', ... }), 'aggregate', {
 *         // optional: what to draw instead when safe, e.g. the cells of safeCellSplit(..., k)
 *         safeVariant: (k) => ({ layer: hotspotLayer(safeCellsOf(k)), merged, hiddenCount }),
 *       }),
 *       markLayer(new ScatterplotLayer({ id: 'customers', ... }), 'individual'),
 *     ]
 *
 * or declares a layer id once: `declareLayerPrivacy('risk-areas', 'aggregate')`.
 * An aggregate layer built from customer counts per small cell should give a `safeVariant`,
 * so no cell under k customers is drawn; without one it is drawn as it is.
 *
 * Pure: works on any object with an `id` (deck.gl layers in the app, plain objects in tests).
 */

export type LayerPrivacy = 'aggregate' | 'individual';

export interface LayerLike {
  id: string;
}

/**
 * What a safe variant draws in place of its layer (null: nothing it may draw, and the layer
 * is listed as left out), and the cells it merged or hid: the export says so next to the
 * picture (k-suppression is never silent).
 */
export interface SafeVariant<L> {
  layer: L | null;
  /** More layers drawn with it, e.g. the merged parents clipped to the study area (merged-layer.ts). */
  extra?: L[];
  /** Input cells merged into larger (parent) cells. */
  merged: number;
  /** Customers in cells left out because they stayed below k. */
  hiddenCount: number;
}

export type SafeVariantFn<L> = (k: number) => SafeVariant<L>;

/** A safe variant for an aggregate whose counts per cell are unknown: fail closed. */
export const leaveOutWhenSafe = <L>(): SafeVariant<L> => ({ layer: null, merged: 0, hiddenCount: 0 });

interface Mark {
  privacy: LayerPrivacy;
  safeVariant?: SafeVariantFn<unknown>;
}

const marks = new WeakMap<object, Mark>();
const declared = new Map<string, LayerPrivacy>();

/** Mark a layer instance; returns the same layer so it can wrap a constructor call. */
export function markLayer<L extends LayerLike>(layer: L, privacy: LayerPrivacy, opts: { safeVariant?: SafeVariantFn<L> } = {}): L {
  marks.set(layer, { privacy, safeVariant: opts.safeVariant as SafeVariantFn<unknown> | undefined });
  return layer;
}

/** Declare the privacy of every layer with this exact id (for layers built in many places). */
export function declareLayerPrivacy(id: string, privacy: LayerPrivacy): void {
  declared.set(id, privacy);
}

export function privacyOf(layer: LayerLike): LayerPrivacy | 'unmarked' {
  return marks.get(layer)?.privacy ?? declared.get(layer.id) ?? 'unmarked';
}

export interface ExportLayers<L> {
  layers: L[];
  /**
   * Layers left out, with why: 'individual', 'unmarked', or 'suppressed' (an aggregate whose
   * safe variant had nothing it could draw, e.g. cells whose customer counts are unknown).
   */
  left: Array<{ id: string; reason: 'individual' | 'unmarked' | 'suppressed' }>;
  /** Ids of layers drawn through their safe variant. */
  substituted: string[];
  /** Safe variants that merged or hid cells, and how many (for the notice and legend). */
  suppressed: Array<{ id: string; merged: number; hiddenCount: number }>;
}

/**
 * The layers an export may draw. With `safe` off, all of them. With `safe` on, aggregate
 * layers only, each replaced by its safe variant for `k` when it has one (a variant without
 * a layer leaves it out, listed as 'suppressed'; the cells variants merged or hid are
 * reported in `suppressed`).
 */
export function layersForExport<L extends LayerLike>(layers: readonly L[], opts: { safe: boolean; k: number }): ExportLayers<L> {
  if (!opts.safe) return { layers: [...layers], left: [], substituted: [], suppressed: [] };
  const out: L[] = [];
  const left: ExportLayers<L>['left'] = [];
  const substituted: string[] = [];
  const suppressed: ExportLayers<L>['suppressed'] = [];
  for (const layer of layers) {
    const p = privacyOf(layer);
    if (p !== 'aggregate') {
      left.push({ id: layer.id, reason: p === 'individual' ? 'individual' : 'unmarked' });
      continue;
    }
    const variant = marks.get(layer)?.safeVariant;
    if (variant) {
      const v = variant(opts.k) as SafeVariant<L>;
      substituted.push(layer.id);
      if (v.merged > 0 || v.hiddenCount > 0) suppressed.push({ id: layer.id, merged: v.merged, hiddenCount: v.hiddenCount });
      if (v.layer) out.push(v.layer, ...(v.extra ?? []));
      else left.push({ id: layer.id, reason: 'suppressed' });
      continue;
    }
    out.push(layer);
  }
  return { layers: out, left, substituted, suppressed };
}

// The base view's layers (src/ui/map/layers.ts): district indicators are area aggregates, and
// bank sites are the bank's and competitors' public network, not customer data.
declareLayerPrivacy('choropleth', 'aggregate');
declareLayerPrivacy('sites', 'aggregate');
