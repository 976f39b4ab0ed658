/**
 * What the Share panel calls a map layer. Deck.gl layer ids are internal names
 * (`hotspots-cells`); people read the layer's title in their language instead.
 */
import type { MessageKey } from '../../i18n/i18n.svelte.ts';

const TITLES: Record<string, MessageKey> = {
  'hotspots-cells': 'share.layer.hotspotsCells',
  'hotspot-cells': 'share.layer.hotspotsCells',
  'hotspots-heatmap': 'share.layer.hotspotsHeatmap',
  'hotspots-types': 'share.layer.hotspotsTypes',
  'hotspots-stability': 'share.layer.hotspotsStability',
  'hotspots-selected-cell': 'share.layer.selection',
  'hotspots-selected-area': 'share.layer.selection',
  'sites-cells': 'share.layer.sitesCells',
  'sites-access': 'share.layer.sitesAccess',
  'sites-closed': 'share.layer.sitesClosed',
  'sites-zones': 'share.layer.sitesZones',
  sites: 'share.layer.sites',
  'customer-cells': 'share.layer.customerCells',
  customers: 'share.layer.customers',
  'risk-index': 'share.layer.riskIndex',
  choropleth: 'share.layer.choropleth',
};

/** The message key of a layer's title; sub-layers (`sites-disc`) take their parent's. */
export function layerTitleKey(id: string): MessageKey {
  return TITLES[id] ?? TITLES[id.replace(/-(disc|label|outline|icon)$/, '')] ?? 'share.layer.other';
}
