/**
 * The Risk tab's long-lived effects, started with the app and kept alive across tab switches
 * and a collapsed panel: defaults for a new dataset, portfolio indicators from the DB worker,
 * prepared scores from the analysis worker, and the map view (choropleth of the index, the
 * tier or the change between two periods, with its legend and tooltip).
 */
import { untrack } from 'svelte';
import type { PickingInfo } from '@deck.gl/core';
import { app } from '../app/app-state.svelte.ts';
import { publishWhileShown, type LegendSpec } from '../map/workflow-map.svelte.ts';
import { analysisWorker, dbWorker } from '../app/workers.ts';
import { MC_CONCENTRATION, MC_DRAWS, MC_SEED, risk } from './risk-state.svelte.ts';
import { runTask } from '../app/tasks.svelte.ts';
import { fetchPortfolio } from '../../pipeline/risk/portfolio.ts';
import { CHANGE_COLORS, changeBreaks, indexClasses, tierBreaks } from './risk-model.ts';
import { areaLabel, normalizationLabel, signedNumber } from './risk-labels.svelte.ts';
import { areaName } from '../app/labels.svelte.ts';
import { choroplethLayer } from '../map/layers.ts';
import { markLayer } from '../share/layer-privacy.ts';
import { NO_DATA, sequential, type Rgb } from '../map/palette.ts';
import { formatNumber, t } from '../../i18n/i18n.svelte.ts';

/** Last error from the worker while preparing scores (shown in the panel). */
export const prepareStatus = $state({ error: '' });

/**
 * The tab's effects. Call inside an effect root that outlives the panel: the app starts them
 * once, at load (src/ui/app/start-features.svelte.ts).
 */
export function riskView(): void {
  $effect(() => {
    const ds = app.dataset;
    if (ds && risk.initializedFor !== ds) untrack(() => risk.resetFor(ds));
  });

  $effect(() => {
    const ds = app.dataset;
    if (!ds || risk.portfolioFor === ds) return;
    risk.portfolioFor = ds;
    risk.portfolio = null;
    void fetchPortfolio(dbWorker()).then((o) => {
      if (app.dataset === ds) risk.portfolio = o;
    });
  });

  $effect(() => {
    const table = risk.table;
    const columnsKey = risk.columnsKey;
    if (!table || columnsKey === '') return;
    const columns = columnsKey.split('\u0000');
    let stale = false;
    analysisWorker()
      .riskPrepareSeries(table, columns)
      .then((series) => {
        if (stale) return;
        prepareStatus.error = '';
        risk.prepared = { table, columnsKey, series };
      })
      .catch((e: unknown) => {
        if (!stale) prepareStatus.error = e instanceof Error ? e.message : String(e);
      });
    return () => {
      stale = true;
    };
  });

  $effect(() => publishWhileShown('risk', buildView));
}

function onHover(info: PickingInfo): void {
  const f = info.object as GeoJSON.Feature | undefined;
  const ds = app.dataset;
  const cur = risk.current;
  if (!f || !ds || !cur) return void (app.hover = null);
  const i = ds.areaIndex.get(String(f.properties?.area_id));
  if (i === undefined) return void (app.hover = null);
  const lines = [areaName(f.properties)];
  if (Number.isFinite(cur.riskIndex[i])) {
    lines.push(t('risk.tip.index', { index: formatNumber(cur.riskIndex[i], 1), tier: cur.tier[i], rank: cur.rank[i], n: ds.areaIds.length }));
  } else lines.push(t('risk.insufficient'));
  const ch = risk.change;
  if (risk.mapMode === 'change' && ch) {
    const d = ch.change.indexChange[i];
    lines.push(t('risk.tip.change', { from: ch.from, to: ch.to, change: signedNumber(d, 1) }));
  }
  app.hover = { x: info.x, y: info.y, lines };
}

function onClick(info: PickingInfo): void {
  const f = info.object as GeoJSON.Feature | undefined;
  if (!f) return;
  app.selectedAreaId = String(f.properties?.area_id);
  risk.profileOpen = true;
}

const range = (a: string, b: string) => `${a} – ${b}`;

function buildView() {
  const ds = app.dataset;
  const cur = risk.current;
  if (!ds || !cur) return null;
  const selectedIndex = app.selectedAreaId ? (ds.areaIndex.get(app.selectedAreaId) ?? -1) : -1;
  let values: Float64Array;
  let breaks: number[];
  let colors: Rgb[];
  let legend: LegendSpec;
  const missing = (v: Float64Array) => v.some((x) => !Number.isFinite(x));
  const note = `${cur.period} · ${normalizationLabel(cur.normalization)}`;
  const ch = risk.change;
  if (risk.mapMode === 'change' && ch) {
    values = ch.change.indexChange;
    breaks = changeBreaks(values);
    colors = [...CHANGE_COLORS];
    const f = (x: number) => signedNumber(x, 1);
    legend = {
      title: t('risk.legend.change'),
      note: `${ch.from} → ${ch.to} · ${normalizationLabel(cur.normalization)}`,
      items: colors.map((color, i) => ({
        color,
        label: i === 0 ? `< ${f(breaks[0])}` : i === breaks.length ? `> ${f(breaks[i - 1])}` : range(f(breaks[i - 1]), f(breaks[i])),
      })),
    };
  } else if (risk.mapMode === 'tier') {
    const T = risk.params.tiers.length + 1;
    values = cur.tier;
    breaks = tierBreaks(T);
    colors = sequential(T, 'ylorrd');
    const cuts = risk.params.tiers;
    legend = {
      title: t('risk.legend.tier'),
      note,
      items: colors.map((color, i) => ({
        color,
        label: t('risk.tierRange', { tier: i + 1, range: i === 0 ? `< ${cuts[0]}` : i === cuts.length ? `≥ ${cuts[i - 1]}` : range(String(cuts[i - 1]), String(cuts[i])) }),
      })),
    };
  } else {
    values = cur.riskIndex;
    const cuts = risk.params.tiers;
    ({ breaks, colors } = indexClasses(cuts, sequential(cuts.length + 1, 'ylorrd')));
    const f = (x: number) => formatNumber(x, 1);
    legend = {
      title: t('risk.legend.index'),
      note: `${note} · ${t('risk.legend.indexClasses', { cuts: cuts.join(', ') })}`,
      items: colors.map((color, i) => ({ color, label: range(f(i === 0 ? 0 : breaks[i - 1]), f(i === breaks.length ? 100 : breaks[i])) + (i % 2 === 1 ? ` · ${t('risk.tierShort', { tier: (i + 1) / 2 })}` : '') })),
    };
  }
  if (missing(values)) legend.items.push({ color: NO_DATA, label: t('risk.insufficient') });
  // The index per district (indicators of whole areas, no customer rows): an area aggregate.
  const layer = markLayer(choroplethLayer({ areas: ds.areas, values, breaks, colors, selectedIndex, onHover, onClick }), 'aggregate');
  return { layers: [layer], legend };
}

/** Select an area (from the ranking or the alerts) and open its profile. */
export function openProfile(areaId: string): void {
  app.selectedAreaId = areaId;
  risk.profileOpen = true;
}

export { areaLabel };

/**
 * Rank uncertainty for the current weights and period: the seeded Monte Carlo in the
 * analysis worker, shown in the status bar with progress and a cancel button.
 */
export async function runUncertainty(): Promise<void> {
  const p = risk.prepared;
  if (!p || p.columnsKey !== risk.columnsKey || p.table !== risk.table) return;
  const prep = p.series[risk.periodIndex];
  const key = risk.uncertaintyKey;
  const params = risk.params;
  const analysis = analysisWorker();
  try {
    const result = await runTask(
      'risk.task.mc',
      (id, onProgress) => analysis.riskUncertainty(prep, params, { draws: MC_DRAWS, seed: MC_SEED, concentration: MC_CONCENTRATION }, id, onProgress),
      (id) => analysis.cancel(id),
    );
    if (result) risk.uncertainty = { key, result };
  } catch {
    // runTask has put the error in the status bar.
  }
}
