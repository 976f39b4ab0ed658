/**
 * How a workflow (Risk, Hotspots, Sites, ...) puts its results on the map: it publishes
 * deck.gl layers and a legend under its tab. While that tab is active, its layers replace
 * the base district choropleth (the network symbols stay on top) and its legend is shown.
 */
import type { Layer } from '@deck.gl/core';
import type { Rgb } from '../map/palette.ts';
import type { Tab } from './app-state.svelte.ts';

export interface LegendItem {
  color: Rgb;
  label: string;
}

export interface LegendSpec {
  title: string;
  items: LegendItem[];
  /** Optional second line under the title: method, resolution, correction... */
  note?: string;
}

export interface WorkflowView {
  layers: Layer[];
  legend: LegendSpec | null;
  /** Keep the base choropleth beneath the workflow's layers (e.g. point layers). */
  keepChoropleth?: boolean;
}

export const workflowMap = $state({ views: {} as Partial<Record<Tab, WorkflowView>> });

export function publishView(tab: Tab, view: WorkflowView | null): void {
  if (view) workflowMap.views[tab] = view;
  else delete workflowMap.views[tab];
}
