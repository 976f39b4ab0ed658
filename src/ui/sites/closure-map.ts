/**
 * The closure's catchment and flows for the Sites map, from the worker's ClosureView and the
 * dataset's site positions (the layers themselves are in closure-layers.ts).
 */
import type { Layer } from '@deck.gl/core';
import { app } from '../app/app-state.svelte.ts';
import { t } from '../../i18n/i18n.svelte.ts';
import type { LegendItem } from '../map/workflow-map.svelte.ts';
import type { ClosureView } from '../../pipeline/sites/sites-engine.ts';
import { CATCHMENT, FLOW_COMPETITOR, FLOW_OWN, catchmentCells, catchmentLayer, catchmentPoints, catchmentPointsLayer, flowData, flowsLayer } from './closure-layers.ts';

export function closureMapLayers(cl: ClosureView, version: number): [Layer, Layer] {
  const s = app.dataset?.sites;
  const at = new Map<string, { lon: number; lat: number }>();
  if (s) for (let i = 0; i < s.id.length; i++) at.set(s.id[i], { lon: s.lon[i], lat: s.lat[i] });
  const closed = cl.closedIds.map((id) => at.get(id)).filter((p): p is { lon: number; lat: number } => !!p);
  const flows = flowData(closed, cl.flows.recipients.map((r) => ({ at: at.get(r.id), demand: r.demand, own: r.owner === 'own' })));
  const catchment = cl.map.at === 'points'
    ? catchmentPointsLayer(catchmentPoints(cl.map.lon, cl.map.lat, cl.map.catchment), version)
    : catchmentLayer(catchmentCells(cl.map.h3, cl.map.catchment), version);
  return [catchment, flowsLayer(flows)];
}

export function closureLegendItems(): LegendItem[] {
  return [
    { color: CATCHMENT, label: t('sites.legend.catchment') },
    { color: FLOW_OWN, label: t('sites.legend.flowOwn') },
    { color: FLOW_COMPETITOR, label: t('sites.legend.flowCompetitor') },
  ];
}
