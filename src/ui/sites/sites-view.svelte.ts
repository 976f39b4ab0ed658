/**
 * The Sites tab's long-lived effects (started with the app, kept across tab switches): a new
 * dataset resets the tab, closure mode re-simulates when its choices change, and the map
 * shows the workflow — deck.gl layers and legend through `publishWhileShown`, and the
 * pointer (sites-pointer.ts) while the tab is shown.
 *
 * For end-to-end tests the current state is readable as plain data at `window.__bpSites`.
 */
import { untrack } from 'svelte';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { app } from '../app/app-state.svelte.ts';
import { publishWhileShown, type LegendSpec, type WorkflowView } from '../map/workflow-map.svelte.ts';
import { formatNumber, t } from '../../i18n/i18n.svelte.ts';
import { sites } from './sites.svelte.ts';
import { siteLabel } from './site-names.ts';
import { prefetchCustomers, refreshClosure } from './sites-run.svelte.ts';
import { attachSitesPointer, ownSitesOfType } from './sites-pointer.ts';
import {
  ACCESS_COLORS, EXISTING, OWN_RING, SHARE_BREAKS, UNCOVERED, accessColors, cellsLayer, closedLayer, coverageColors, demandColors, dragCoverageColors,
  demandPointsLayer, MAX_DRAWN_POINTS, markersLayers, pointsDrawnStride, movesLayer, nameLabelsLayer, newSiteColor, ringsLayer, shareColors, zonesLayer, type CellsInput, type MarkerDatum, type RingDatum,
} from './sites-layers.ts';
import { sequential } from '../map/palette.ts';
import { HUFF_FIELDS } from '../../pipeline/sites/sites-params.ts';
import { leaveOutWhenSafe, markLayer, type SafeVariant } from '../share/layer-privacy.ts';
import { safeCellSplit } from '../../pipeline/share/safe-cells.ts';
import { mergedCellsLayer } from '../share/merged-layer.ts';
import { closureMapLayers, closureLegendItems } from './closure-map.ts';

let colorVersion = 0;
let lastDataset: unknown = null;

/**
 * The tab's effects. Call inside an effect root that outlives the panel: the app starts them
 * once, at load (src/ui/app/start-features.svelte.ts).
 */
export function sitesView(): void {
  $effect(() => {
    const ds = app.dataset;
    if (!ds) return;
    untrack(() => {
      // Another dataset: forget results and edits. Not on the first one, whose parameters
      // may have just come from a link.
      if (lastDataset !== null && lastDataset !== ds) sites.reset();
      lastDataset = ds;
    });
  });

  $effect(() => {
    const ds = app.dataset;
    if (!ds || sites.mode !== 'closure' || app.tab !== 'sites') return;
    // Leakage and the rationalisation table are Huff numbers: the parameters count too
    // (refreshClosure refuses unusable ones and says so).
    void [sites.closeIds.join('\n'), sites.siteType, sites.measure, sites.accessDistanceM, sites.maxSharePct, sites.resolution, sites.radiusM, sites.blendPct];
    void HUFF_FIELDS.map((f) => sites.huff[f]);
    untrack(() => void refreshClosure(ds));
  });

  // The workers learn the dataset when the tab is first shown (not at app start: the Sites
  // context also points the shared study-grid engine at its areas).
  $effect(() => {
    const ds = app.dataset;
    if (!ds || app.tab !== 'sites') return;
    void sites.resolution;
    untrack(() => void prefetchCustomers(ds));
  });

  $effect(() => publishWhileShown('sites', buildView));

  $effect(() => {
    if (app.tab !== 'sites') return;
    return attachSitesPointer();
  });

  $effect(() => {
    if (typeof window === 'undefined') return;
    (window as unknown as { __bpSites?: unknown }).__bpSites = snapshot();
  });
}

// ----- map layers -------------------------------------------------------------------
//
// Every layer is marked for exports where it is built (src/ui/share/layer-privacy.ts). Rings,
// markers, moves, closed sites and exclusion zones are the bank's own network and plans:
// aggregate. Demand cells describe customers per H3 cell: drawn under the k rule when safe.

/**
 * Demand cells marked for exports. `customers` per cell under the k rule (safeCells: small
 * families merged into a grey parent, the rest hidden); null = not built from customers
 * (population), drawn as it is; 'unknown' = built from customers whose counts per cell this
 * view does not have (blend weights, closure access): left out of a safe export, fail closed.
 */
function markedCells(input: CellsInput, customers: ArrayLike<number> | null | 'unknown'): Layer {
  const layer = cellsLayer(input);
  if (customers === null) return markLayer(layer, 'aggregate');
  if (customers === 'unknown') return markLayer(layer, 'aggregate', { safeVariant: leaveOutWhenSafe<Layer> });
  return markLayer(layer, 'aggregate', { safeVariant: (k) => safeDemandCells(input, customers, k) });
}

function safeDemandCells(input: CellsInput, customers: ArrayLike<number>, k: number): SafeVariant<Layer> {
  const s = safeCellSplit(input.h3, customers, k);
  // Kept cells as they are; merged parents grey and clipped to the study area.
  const h3 = s.kept.map((i) => input.h3[i]);
  const colors = new Uint8Array(h3.length * 4);
  s.kept.forEach((i, j) => colors.set(input.colors.subarray(4 * i, 4 * i + 4), 4 * j));
  const merged = mergedCellsLayer(input.id, s.parents.map((p) => p.h3));
  return { layer: cellsLayer({ id: input.id, h3, colors, version: ++colorVersion }), extra: merged ? [merged] : [], merged: s.mergedInputs, hiddenCount: s.hiddenCount };
}

const network = <L extends Layer>(layer: L): L => markLayer(layer, 'aggregate');

/** The tab's layers and legend (exported for tests). */
export function buildView(): WorkflowView | null {
  if (!app.dataset) return null;
  return sites.mode === 'closure' ? closureView() : recommendView();
}

function recommendView(): WorkflowView {
  const run = sites.run;
  const sc = sites.scenario;
  const zones = sites.zones.length ? [network(zonesLayer(snapshotOf(sites.zones)))] : [];
  if (!run || !sc) {
    const restored = restoredView();
    return restored ? { ...restored, layers: [...zones, ...restored.layers] } : { layers: zones, legend: null, keepChoropleth: true };
  }
  const drag = sites.dragging;
  const dragAdded = drag?.ref.kind === 'added' ? drag.ref.index : -1;
  const dragOwn = drag?.ref.kind === 'own' ? drag.ref.index : -1;
  const R = run.radiusM;

  let colors: Uint8Array;
  let legend: LegendSpec;
  const stride = run.demand.at === 'points' ? pointsDrawnStride(run.demand.lon.length) : 1;
  const note = `${t(run.siteType === 'atm' ? 'site.atm' : 'site.branch')} · R = ${formatNumber(R, 0)} m · H3 r${run.request.resolution}`
    + (stride > 1 ? ` · ${t('sites.legend.sampled', { k: stride })}` : '');
  if (sites.colouring === 'huff') {
    colors = shareColors(sc.eval.ownProbability);
    const pal = sequential(5);
    legend = {
      title: t('sites.legend.huff'), note,
      items: pal.map((color, k) => ({ color, label: `${k === 0 ? 0 : SHARE_BREAKS[k - 1] * 100} – ${k === 4 ? 100 : SHARE_BREAKS[k] * 100} %` })),
    };
  } else if (sites.colouring === 'demand') {
    const d = demandColors(run.demand.weight);
    colors = d.colors;
    const pal = sequential(5, 'ylorrd');
    legend = {
      title: t('sites.legend.demand', { measure: t(`sites.measure.${run.request.demand.measure}`) }), note,
      items: pal.map((color, k) => ({ color, label: k === 0 ? `≤ ${formatNumber(d.breaks[0])}` : k === 4 ? `> ${formatNumber(d.breaks[3])}` : `${formatNumber(d.breaks[k - 1])} – ${formatNumber(d.breaks[k])}` })),
    };
  } else {
    colors = drag && sites.otherCover && sites.otherCover.length === sc.eval.coverBy.length
      ? dragCoverageColors({
        coverBy: sc.eval.coverBy, otherCover: sites.otherCover, lon: run.demand.lon, lat: run.demand.lat, radiusM: R,
        lonNow: drag.lon, latNow: drag.lat, draggedColor: dragAdded >= 0 ? newSiteColor(dragAdded) : EXISTING, draggedRank: dragAdded,
      })
      : coverageColors(sc.eval.coverBy);
    legend = {
      title: t('sites.legend.coverage'), note,
      items: [
        { color: newSiteColor(0), label: t('sites.legend.newlyCovered') },
        { color: EXISTING, label: t('sites.legend.existingCovered') },
        { color: UNCOVERED, label: t('sites.legend.uncovered') },
      ],
    };
  }
  colorVersion++;
  // With customers as the measure the demand weight is the customers per cell.
  const m = run.request.demand.measure;
  const customers = m === 'population' ? null : m === 'customers' ? run.demand.weight : 'unknown';
  // Exact points are drawn where they are; customers' own locations are individual data (left
  // out of safe exports), a demand-points file's compounds are aggregates already.
  const layers: Layer[] = [
    run.demand.at === 'points'
      ? markLayer(
        demandPointsLayer({ id: 'sites-points', lon: run.demand.lon, lat: run.demand.lat, colors, version: colorVersion, onHover: run.demand.count <= MAX_DRAWN_POINTS && !drag ? onCellHover : undefined }),
        run.demand.source === 'demand_points' ? 'aggregate' : 'individual',
      )
      : markedCells({ id: 'sites-cells', h3: run.demand.h3, colors, version: colorVersion, onHover: onCellHover }, customers),
  ];
  layers.push(...zones);

  const ownRings: RingDatum[] = [];
  const moves: { from: [number, number]; to: [number, number] }[] = [];
  const ds = app.dataset!;
  const idIndex = new Map(ds.sites.id.map((id, i) => [id, i]));
  run.own.id.forEach((id, q) => {
    if (!sc.ownOpen[q]) return;
    const lon = q === dragOwn ? drag!.lon : sc.ownLon[q];
    const lat = q === dragOwn ? drag!.lat : sc.ownLat[q];
    ownRings.push({ lon, lat, color: OWN_RING });
    const i = idIndex.get(id);
    if (i !== undefined && (ds.sites.lon[i] !== lon || ds.sites.lat[i] !== lat)) moves.push({ from: [ds.sites.lon[i], ds.sites.lat[i]], to: [lon, lat] });
  });
  layers.push(network(ringsLayer('sites-rings-own', ownRings, R, 1, 110)));
  const markers: MarkerDatum[] = sc.added.map((a, r) => ({
    lon: r === dragAdded ? drag!.lon : a.lon,
    lat: r === dragAdded ? drag!.lat : a.lat,
    color: newSiteColor(r),
    label: String(r + 1),
  }));
  layers.push(network(ringsLayer('sites-rings-new', markers, R, 2.5)));
  if (moves.length) layers.push(network(movesLayer('sites-moves', moves)));
  const ownMoved: MarkerDatum[] = moves.map((m) => ({ lon: m.to[0], lat: m.to[1], color: OWN_RING, label: '' }));
  if (ownMoved.length) layers.push(...markersLayers('sites-own-moved', ownMoved, 7).map(network));
  layers.push(...markersLayers('sites-new', markers, 11, onSiteHover).map(network));
  layers.push(network(nameLabelsLayer('sites-new-names', markers.map((m, r) => ({ ...m, name: siteLabel(sc.added[r]) })))));
  return { layers, legend };
}

/** A result restored from a link: the sites with their names, rings and numbers, no demand layer (nothing was recomputed). */
function restoredView(): WorkflowView | null {
  const r = sites.restored;
  if (!r) return null;
  const markers: MarkerDatum[] = r.sites.map((x, q) => ({ lon: x.lon, lat: x.lat, color: newSiteColor(q), label: String(q + 1) }));
  const layers: Layer[] = [
    network(ringsLayer('sites-rings-new', markers, r.radiusM, 2.5)),
    ...markersLayers('sites-new', markers, 11, onSiteHover).map(network),
    network(nameLabelsLayer('sites-new-names', markers.map((m, q) => ({ ...m, name: siteLabel(r.sites[q]) })))),
  ];
  return { layers, legend: null, keepChoropleth: true };
}

function onSiteHover(info: PickingInfo): void {
  const q = info.index;
  const row = q >= 0 ? (sites.run ? sites.scenario?.eval.rows[q] : sites.restored?.sites[q]) : undefined;
  if (!row) return void (app.hover = null);
  app.hover = {
    x: info.x, y: info.y,
    lines: [
      t('sites.hover.site', { rank: q + 1, name: siteLabel(row) }),
      `${t('sites.col.marginal')}: ${formatNumber(row.marginalDemand, 0)} · ${t('sites.col.cumulative')}: ${Number.isFinite(row.coveragePct) ? `${formatNumber(row.coveragePct, 2)} %` : '—'}`,
      row.id,
    ],
  };
}

function closureView(): WorkflowView {
  const cl = sites.closure;
  const closedIds = new Set(sites.closeIds);
  const closed = ownSitesOfType().filter((s) => closedIds.has(s.id));
  const layers: Layer[] = [];
  let legend: LegendSpec | null = null;
  if (cl) {
    colorVersion++;
    // The closure's demand points: with customers in the measure a cell here says customers
    // live there, and this view has no counts per cell to apply k. With population alone the
    // points are the populated study cells (population is spread over every cell of an area).
    // At exact points the customers stand where they live (individual data: left out of a
    // safe export); population cell centres among them are drawn too.
    layers.push(cl.map.at === 'points'
      ? markLayer(demandPointsLayer({ id: 'sites-access', lon: cl.map.lon, lat: cl.map.lat, colors: accessColors(cl.map.status), version: colorVersion }), 'individual')
      : markedCells({ id: 'sites-access', h3: cl.map.h3, colors: accessColors(cl.map.status), version: colorVersion }, sites.measure === 'population' ? null : 'unknown'));
    // Where the closed sites' customers go: their catchment (per-point demand: left out of a
    // safe export, like the access cells) and lines to the sites that pick them up.
    const [catchment, flows] = closureMapLayers(cl, colorVersion);
    layers.push(markLayer(catchment, 'aggregate', { safeVariant: leaveOutWhenSafe<Layer> }), network(flows));
    legend = {
      title: t('sites.legend.access', { distance: formatNumber(cl.access.distanceM, 0) }),
      items: [
        { color: ACCESS_COLORS[0], label: t('sites.legend.access.within') },
        { color: ACCESS_COLORS[1], label: t('sites.legend.access.beyond') },
        { color: ACCESS_COLORS[2], label: t('sites.legend.access.newly') },
        ...closureLegendItems(),
      ],
    };
  }
  if (closed.length) layers.push(network(closedLayer(closed)));
  return { layers, legend, keepChoropleth: !cl };
}

function snapshotOf<T>(v: T): T {
  return $state.snapshot(v) as T;
}

function onCellHover(info: PickingInfo): void {
  const i = (sites.run?.demand.at === 'points' ? (info.index >= 0 ? info.index : undefined) : info.object) as number | undefined;
  const run = sites.run;
  const sc = sites.scenario;
  if (i === undefined || i === null || !run || !sc) return void (app.hover = null);
  const c = sc.eval.coverBy[i];
  const cover = c === -2 ? t('sites.legend.uncovered') : c === -1 ? t('sites.legend.existingCovered') : t('sites.hover.newSite', { rank: c + 1 });
  app.hover = {
    x: info.x, y: info.y,
    lines: [
      run.demand.at === 'points' ? t(run.demand.source === 'demand_points' ? 'sites.hover.demandPoint' : 'sites.hover.customer') : `H3 ${run.demand.h3[i]}`,
      `${t('sites.hover.demand')}: ${formatNumber(run.demand.weight[i])}`,
      cover,
      `${t('sites.hover.share')}: ${formatNumber(100 * sc.eval.ownProbability[i], 1)} %`,
    ],
  };
}

// ----- test handle --------------------------------------------------------------------

function snapshot() {
  const run = sites.run;
  const sc = sites.scenario;
  const cl = sites.closure;
  return {
    mode: sites.mode,
    busy: sites.busy,
    error: sites.error,
    run: run && {
      runId: run.runId,
      objective: run.outcome.objective,
      solver: run.outcome.solver,
      siteType: run.siteType,
      radiusM: run.radiusM,
      demandPoints: run.demand.count,
      demandAt: run.demand.at,
      demandSource: run.demand.source,
      costs: run.costs,
      candidates: run.candidates.count,
      exact: run.outcome.exact,
      timings: run.timings,
    },
    scenario: sc && {
      version: sc.version,
      added: sc.added.map((a) => ({ id: a.id, lon: a.lon, lat: a.lat, origin: a.origin })),
      own: run ? run.own.id.map((id, q) => ({ id, lon: sc.ownLon[q], lat: sc.ownLat[q], open: sc.ownOpen[q] === 1 })) : [],
      rows: sc.eval.rows.map((r) => ({ ...r })),
      totals: sc.eval.totals,
    },
    restored: sites.restored,
    live: sites.live,
    dragging: sites.dragging,
    dragStats: sites.dragStats,
    dragSetupMs: sites.dragSetupMs,
    closure: cl && {
      closedIds: cl.closedIds, access: cl.access, leakedToCompetitors: cl.leakedToCompetitors, distance: cl.distance,
      ownCapturedBefore: cl.ownCapturedBefore, ownCapturedAfter: cl.ownCapturedAfter, closedSitesCaptured: cl.closedSitesCaptured, huff: cl.huff,
      mapAt: cl.map.at, mapPoints: cl.map.lon.length, mapCustomers: cl.map.customer.reduce((a, x) => a + x, 0),
    },
  };
}
