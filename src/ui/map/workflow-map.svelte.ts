/**
 * How a workflow (Risk, Hotspots, Sites, ...) puts its results on the map: it publishes
 * deck.gl layers and a legend under its tab. While that tab is active, its layers replace
 * the base district choropleth (the network symbols stay on top) and its legend is shown.
 */
import type { Layer } from '@deck.gl/core';
import type { Rgb } from './palette.ts';
import { app, type Tab } from '../app/app-state.svelte.ts';

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

/**
 * Publish a workflow's view only while it is on screen: its own tab, or the Share tab, which
 * shows the previous tab's view. deck.gl finalizes the layers it stops drawing, and a
 * finalized instance handed back to it when the tab returns fails to initialise
 * ("assertion failed"); leaving the tab drops the view, and coming back builds fresh
 * instances. Call it inside an effect: it tracks the tab and whatever `build` reads.
 */
export function publishWhileShown(tab: Tab, build: () => WorkflowView | null): void {
  publishView(tab, app.tab === tab || app.tab === 'share' ? build() : null);
}
