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
 *         // optional: the layer to draw instead when safe, e.g. over safeCells(cells, k)
 *         safeVariant: (k) => hotspotLayer(safeCells(cells, k).cells),
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

interface Mark {
  privacy: LayerPrivacy;
  safeVariant?: (k: number) => unknown;
}

const marks = new WeakMap<object, Mark>();
const declared = new Map<string, LayerPrivacy>();

/** Mark a layer instance; returns the same layer so it can wrap a constructor call. */
export function markLayer<L extends LayerLike>(layer: L, privacy: LayerPrivacy, opts: { safeVariant?: (k: number) => L | null } = {}): L {
  marks.set(layer, { privacy, safeVariant: opts.safeVariant });
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
  /** Layers left out, with why: 'individual' or 'unmarked'. */
  left: Array<{ id: string; reason: 'individual' | 'unmarked' }>;
  /** Ids of layers drawn through their safe variant. */
  substituted: string[];
}

/**
 * The layers an export may draw. With `safe` off, all of them. With `safe` on, aggregate
 * layers only, each replaced by its safe variant for `k` when it has one (a variant that
 * returns null leaves the layer out).
 */
export function layersForExport<L extends LayerLike>(layers: readonly L[], opts: { safe: boolean; k: number }): ExportLayers<L> {
  if (!opts.safe) return { layers: [...layers], left: [], substituted: [] };
  const out: L[] = [];
  const left: ExportLayers<L>['left'] = [];
  const substituted: string[] = [];
  for (const layer of layers) {
    const p = privacyOf(layer);
    if (p !== 'aggregate') {
      left.push({ id: layer.id, reason: p === 'individual' ? 'individual' : 'unmarked' });
      continue;
    }
    const variant = marks.get(layer)?.safeVariant;
    if (variant) {
      const v = variant(opts.k) as L | null;
      substituted.push(layer.id);
      if (v) out.push(v);
      continue;
    }
    out.push(layer);
  }
  return { layers: out, left, substituted };
}

// The base view's layers (src/map/layers.ts): district indicators are area aggregates, and
// bank sites are the bank's and competitors' public network, not customer data.
declareLayerPrivacy('choropleth', 'aggregate');
declareLayerPrivacy('sites', 'aggregate');
