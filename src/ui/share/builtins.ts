/**
 * What the share workflow contributes itself through the public registries (the same API
 * Risk and Sites use): the area report for the selected district, the districts'
 * indicators as an aggregate table, and customers per H3 cell — the aggregate that a safe
 * export shares in place of customer points.
 */
import { app } from '../app/app-state.svelte.ts';
import { indicatorSlice } from '../../pipeline/dataset/dataset.ts';
import { areaName, columnLabel, columnUnit } from '../app/labels.svelte.ts';
import { dbWorker } from '../app/workers.ts';
import { formatNumber, localized, t } from '../../i18n/i18n.svelte.ts';
import { areaTrendFor, registerReport, type ReportSection } from './report-sections.ts';
import { shareLive, viewTab } from './share-state.svelte.ts';
import { registerAggregateTable } from './aggregates.ts';
import { countCustomersByCell } from '../../pipeline/share/customer-cells.ts';
import type { CountCell } from '../../pipeline/share/safe-cells.ts';

/** H3 resolution of the shared customer cells (DESIGN.md's default grid). */
export const CUSTOMER_CELL_RESOLUTION = 8;

function rankOf(values: Float64Array, i: number): { rank: number; of: number } | null {
  const v = values[i];
  if (!Number.isFinite(v)) return null;
  let rank = 1;
  let of = 0;
  for (const x of values) {
    if (!Number.isFinite(x)) continue;
    of++;
    if (x > v) rank++;
  }
  return { rank, of };
}

function pctChange(now: number, before: number): string {
  if (!Number.isFinite(now) || !Number.isFinite(before) || before === 0) return '—';
  const p = ((now - before) / Math.abs(before)) * 100;
  return `${p > 0 ? '+' : ''}${formatNumber(p, 1)} %`;
}

function selectedArea() {
  const ds = app.dataset;
  if (!ds || !app.selectedAreaId) return null;
  const i = ds.areaIndex.get(app.selectedAreaId);
  if (i === undefined) return null;
  return { ds, i, id: app.selectedAreaId, name: areaName(ds.areas.features[i].properties) };
}

function areaSections(): ReportSection[] {
  const a = selectedArea();
  if (!a) return [];
  const { ds, i } = a;
  const pi = ds.periods.indexOf(app.period);
  const prev = pi > 0 ? ds.periods[pi - 1] : '';
  // An id column read as a number is not an indicator.
  const columns = ds.summary.indicatorColumns.filter((c) => c !== 'area_id');
  const rows = columns.map((c) => {
    const now = indicatorSlice(ds, c, app.period);
    const before = prev ? indicatorSlice(ds, c, prev)[i] : NaN;
    const r = rankOf(now, i);
    const unit = columnUnit(c);
    return [
      unit ? `${columnLabel(c)} (${unit})` : columnLabel(c),
      formatNumber(now[i]),
      prev ? formatNumber(before) : '—',
      pctChange(now[i], before),
      r ? `${r.rank} / ${r.of}` : '—',
    ];
  });
  // The trend and the map caption follow what the map shows: the Risk tab's tiers or index,
  // not the base map's indicator.
  const tab = viewTab();
  const custom = areaTrendFor(tab)?.(a.id) ?? null;
  const trendPeriods = ds.periods.slice(Math.max(0, pi - 7), pi + 1);
  const trend = custom ?? {
    title: columnLabel(app.indicator),
    columns: [t('share.report.col.period'), columnLabel(app.indicator), t('share.report.col.change')],
    rows: trendPeriods.map((p, k) => {
      const v = indicatorSlice(ds, app.indicator, p)[i];
      const b = k > 0 ? indicatorSlice(ds, app.indicator, trendPeriods[k - 1])[i] : NaN;
      return [p, formatNumber(v), k > 0 ? pctChange(v, b) : '—'];
    }),
  };
  const shown = shareLive.legend?.title || columnLabel(app.indicator);
  const credits = ds.summary.credits ? localized(ds.summary.credits) : '';
  return [
    { kind: 'heading', text: a.name },
    { kind: 'paragraph', text: t('share.report.area.intro', { area: a.name, period: app.period, n: ds.areaIds.length }) },
    { kind: 'table', columns: [t('share.report.col.indicator'), app.period, prev || '—', t('share.report.col.change'), t('share.report.col.rank')], rows },
    { kind: 'map', caption: t('share.report.mapCaption', { what: shown, view: t(`tab.${tab}`), period: app.period }) },
    { kind: 'heading', level: 2, text: t('share.report.trend', { indicator: trend.title }) },
    { kind: 'table', columns: trend.columns, rows: trend.rows },
    ...(credits ? [{ kind: 'paragraph' as const, text: t('share.source.data', { source: credits }) }] : []),
  ];
}

let cellCache: { fingerprint: string; cells: CountCell[] } | null = null;

/** Customers per H3 cell of the loaded dataset (computed once per dataset). */
export async function customerCells(): Promise<CountCell[]> {
  const ds = app.dataset;
  if (!ds) return [];
  if (cellCache?.fingerprint === ds.summary.fingerprint) return cellCache.cells;
  const cols = await dbWorker().columns('SELECT lon::DOUBLE AS lon, lat::DOUBLE AS lat FROM customers');
  const cells = await countCustomersByCell(cols.lon as Float64Array, cols.lat as Float64Array, CUSTOMER_CELL_RESOLUTION);
  cellCache = { fingerprint: ds.summary.fingerprint, cells };
  return cells;
}

export function registerShareBuiltins(): void {
  registerReport({
    id: 'area',
    label: () => t('share.report.area'),
    title: () => t('share.report.area.title', { area: selectedArea()?.name ?? '' }),
    available: () => selectedArea() !== null,
    build: () => areaSections(),
  });
  registerAggregateTable({
    id: 'districts',
    label: () => t('share.table.districts'),
    kind: 'area-rows',
    columns: () => ['area_id', 'name', 'period', ...(app.dataset?.summary.indicatorColumns ?? [])],
    rows: () => {
      const ds = app.dataset;
      if (!ds) return [];
      const slices = ds.summary.indicatorColumns.map((c) => [c, indicatorSlice(ds, c, app.period)] as const);
      return ds.areaIds.map((id, i) => {
        const r: Record<string, string | number> = { area_id: id, name: areaName(ds.areas.features[i].properties), period: app.period };
        for (const [c, v] of slices) r[c] = v[i];
        return r;
      });
    },
  });
  registerAggregateTable({
    id: 'customer-cells',
    label: () => t('share.table.customerCells', { res: CUSTOMER_CELL_RESOLUTION }),
    kind: 'h3-counts',
    rows: () => customerCells(),
  });
}
