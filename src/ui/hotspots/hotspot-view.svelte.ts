/**
 * The Hotspots tab's long-lived effects (started with the app, kept across tab switches): options
 * for a new dataset, a new result whenever the controls change, the stability, typology and
 * quadrant views when shown, and the map view — deck.gl layers, legend, text tooltip.
 *
 * For end-to-end tests and debugging the shown result is also readable as plain data at
 * `window.__bpHotspots` (cells, classes, values; no customer rows), like `__bpMap`.
 */
import { untrack } from 'svelte';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { app } from '../app/app-state.svelte.ts';
import { publishWhileShown, type LegendSpec } from '../map/workflow-map.svelte.ts';
import { hotspots } from './hotspots.svelte.ts';
import { computeQuadrants, computeStability, computeTypology, isReady, loadCustomerOptions, refresh, shownSpec } from './hotspot-run.svelte.ts';
import { cellColors, cellLayer, densityLayer, type CellLayerInput, elevations, safeCellLayer, safeDensityLayer, selectedAreaLayer, selectedCellLayer, typeLayer } from './hotspot-layers.ts';
import { measureNeedsCustomers } from '../../pipeline/hotspots/hotspot-pipeline.ts';
import { markLayer } from '../share/layer-privacy.ts';
import { GI_CLASS_COLORS, MORAN_COLORS, QUADRANT_COLORS, STABILITY_COLORS, TYPE_COLORS } from './hotspot-palette.ts';
import { classLabel, hoverLines, legendFor, typeName } from './hotspot-labels.svelte.ts';
import { GI_CLASSES, GI_NS } from '../../core/getis-ord.ts';
import { MORAN_QUADRANTS } from '../../core/local-moran.ts';
import { areaName } from '../app/labels.svelte.ts';

/**
 * The tab's effects. Call inside an effect root that outlives the panel: the app starts them
 * once, at load (src/ui/app/start-features.svelte.ts).
 */
export function hotspotsView(): void {
  // a new dataset: forget results, learn what the customers offer
  $effect(() => {
    const ds = app.dataset;
    if (!ds) return;
    untrack(() => {
      hotspots.resetResults();
      void loadCustomerOptions(ds).catch((e: unknown) => (hotspots.error = e instanceof Error ? e.message : String(e)));
    });
  });

  // the controls (or the options of a new dataset) changed: a new result, skipped when
  // the shown one is for the same spec. Only while the result can be seen (its tab, or the
  // Share tab that may show it): the app does not place 200k customers on a grid at start
  // for a user who never opens Hotspots.
  $effect(() => {
    const ds = app.dataset;
    const key = hotspots.specKey;
    void hotspots.options;
    if (app.tab !== 'hotspots' && app.tab !== 'share') return;
    if (!ds || !isReady(ds) || (hotspots.result && key === untrack(shownSpec))) return;
    untrack(() => void refresh(ds));
  });

  $effect(() => {
    const ds = app.dataset;
    if (ds && hotspots.display === 'stability' && hotspots.result) {
      void hotspots.specKey;
      untrack(() => void computeStability(ds));
    }
  });

  $effect(() => {
    const ds = app.dataset;
    if (ds && hotspots.display === 'typology' && hotspots.options) {
      void [hotspots.typologyK, hotspots.typologyOff, app.period];
      untrack(() => void computeTypology(ds));
    }
  });

  $effect(() => {
    const ds = app.dataset;
    if (ds && hotspots.display === 'quadrants') {
      void [hotspots.result, hotspots.grid, app.period, hotspots.quadrantRule];
      computeQuadrants(ds);
    }
  });

  $effect(() => publishWhileShown('hotspots', buildView));

  $effect(() => {
    const g = hotspots.grid;
    const r = hotspots.result;
    if (typeof window === 'undefined') return;
    (window as unknown as { __bpHotspots?: unknown }).__bpHotspots = g && r ? snapshot() : null;
  });
}

/** The shown result as plain data (tests, debugging). */
function snapshot() {
  const g = hotspots.grid!;
  const r = hotspots.result!;
  const names = r.statistic === 'gi' ? GI_CLASSES : MORAN_QUADRANTS;
  return {
    /** The controls this result was computed for (not the controls now: a run may be under way). */
    spec: shownSpec(),
    resolution: r.resolution,
    statistic: r.statistic,
    measure: r.measure,
    cells: g.h3,
    classes: Array.from(r.classCode, (c) => names[c]),
    values: Array.from(r.values),
    z: Array.from(r.z),
    display: hotspots.display,
  };
}

function onCellHover(info: PickingInfo): void {
  const i = info.object as number | undefined;
  if (i === undefined || i === null) return void (app.hover = null);
  app.hover = { x: info.x, y: info.y, lines: hoverLines(i) };
}

function onCellClick(info: PickingInfo): void {
  const i = info.object as number | undefined;
  const ds = app.dataset;
  const g = hotspots.grid;
  if (i === undefined || i === null || !ds || !g) return;
  hotspots.selected = i;
  app.selectedAreaId = ds.areaIds[g.areaIndex[i]] ?? null;
  app.panelOpen = true;
}

function onAreaHover(info: PickingInfo): void {
  const f = info.object as GeoJSON.Feature | undefined;
  const ds = app.dataset;
  const ty = hotspots.typology;
  if (!f || !ds || !ty) return void (app.hover = null);
  const a = ds.areaIndex.get(String(f.properties?.area_id));
  const label = a === undefined ? -1 : ty.result.labels[a];
  app.hover = { x: info.x, y: info.y, lines: [areaName(f.properties), label >= 0 ? typeName(label) : ''] };
}

function selectionLayers(): Layer[] {
  const ds = app.dataset;
  const g = hotspots.grid;
  const i = hotspots.selected;
  if (!ds || !g || i < 0 || i >= g.h3.length) return [];
  // Outlines of one cell and one district: they show where the user looked, no count.
  const out: Layer[] = [markLayer(selectedCellLayer(g.h3[i]), 'aggregate')];
  const area = ds.areas.features[g.areaIndex[i]];
  if (area) out.unshift(markLayer(selectedAreaLayer(area), 'aggregate'));
  return out;
}

/**
 * A cell layer marked for exports: an aggregate of the customers per H3 cell, drawn under
 * the k rule when safe (`safeCellLayer`); without customer counts (population potential,
 * which is district population spread over cells) it is drawn as it is.
 */
function markedCells(input: CellLayerInput, customers: ArrayLike<number> | null): Layer {
  const layer = cellLayer(input);
  return markLayer(layer, 'aggregate', customers ? { safeVariant: (k) => safeCellLayer(input, customers, k) } : {});
}

/** The tab's layers and legend for the current display (exported for tests). */
export function buildView(): { layers: Layer[]; legend: LegendSpec | null } | null {
  const ds = app.dataset;
  const g = hotspots.grid;
  const r = hotspots.result;
  if (!ds) return null;
  const d = hotspots.display;
  if (d === 'typology') {
    // Districts coloured by type: area aggregates, like the base choropleth.
    const ty = hotspots.typology;
    return { layers: ty ? [markLayer(typeLayer(ds.areas, ty.result.labels, TYPE_COLORS, onAreaHover), 'aggregate')] : [], legend: legendFor('typology') };
  }
  if (d === 'stability') {
    const s = hotspots.stability;
    if (!s) return { layers: [], legend: null };
    const colors = cellColors(s.result.stability, STABILITY_COLORS, STABILITY_COLORS.length - 1);
    return { layers: [markedCells({ id: 'hotspots-stability', h3: s.result.parents, colors, onHover: onStabilityHover }, s.customers)], legend: legendFor('stability') };
  }
  if (!g || !r || r.values.length !== g.h3.length) return { layers: [], legend: null };
  const customers = measureNeedsCustomers(r.measure) ? r.customers : null;
  if (d === 'heatmap') {
    // Built from cell totals at cell centres, never from customer points: an aggregate once
    // cells under k are merged (see safeDensityLayer).
    const additive = r.measure !== 'penetration';
    const heat = markLayer(densityLayer(g.lon, g.lat, r.values), 'aggregate', customers
      ? { safeVariant: (k) => safeDensityLayer(g.h3, g.lon, g.lat, r.values, customers, k, additive) }
      : {});
    return { layers: [heat, ...selectionLayers()], legend: legendFor('heatmap') };
  }
  let colors;
  if (d === 'quadrants') {
    const q = hotspots.quadrants;
    if (!q) return { layers: [], legend: null };
    colors = cellColors(q.result.quadrant, QUADRANT_COLORS, QUADRANT_COLORS.length - 1);
  } else {
    colors = r.statistic === 'gi' ? cellColors(r.classCode, GI_CLASS_COLORS, GI_NS) : cellColors(r.classCode, MORAN_COLORS, 0);
  }
  const layer = markedCells({
    id: 'hotspots-cells', h3: g.h3, colors, elevation: hotspots.extrude ? elevations(r.values) : null, onHover: onCellHover, onClick: onCellClick,
  }, customers);
  return { layers: [layer, ...selectionLayers()], legend: legendFor(d) };
}

function onStabilityHover(info: PickingInfo): void {
  const k = info.object as number | undefined;
  const s = hotspots.stability?.result;
  if (k === undefined || k === null || !s) return void (app.hover = null);
  app.hover = { x: info.x, y: info.y, lines: [`H3 ${s.parents[k]}`, classLabel('stability', s.stability[k])] };
}
