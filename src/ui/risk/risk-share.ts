/**
 * The Risk tab in the share workflow: its parameters in permalinks and snapshots (a state
 * slice), a PDF report (method, map, ranking, alerts, credit policy per tier, the selected
 * area's drivers) and the index per area as an aggregate CSV next to exported pictures.
 * Registered at app start (src/ui/app/start-features.svelte.ts), with the view's effects, so
 * a link can be restored before the tab was ever opened.
 */
import { app } from '../app/app-state.svelte.ts';
import { risk } from './risk-state.svelte.ts';
import { alertText, areaLabel, indicatorLabel, normalizationLabel, signedNumber } from './risk-labels.svelte.ts';
import { weightShares } from './risk-model.ts';
import { policyReportTable } from './policy-table.ts';
import { registerStateSlice } from '../share/state-slices.ts';
import { registerAreaTrend, registerReport, type ReportSection } from '../share/report-sections.ts';
import { registerAggregateTable } from '../share/aggregates.ts';
import { formatNumber, t, type MessageKey } from '../../i18n/i18n.svelte.ts';

const fmt1 = (x: number) => (Number.isFinite(x) ? formatNumber(x, 1) : '—');
const signed = (x: number) => signedNumber(x, 1);

/** One sentence on how the index is built, for reports. */
export function methodText(): string {
  const cur = risk.current;
  if (!cur) return '';
  const shares = weightShares(cur.weights);
  const parts = cur.columns.map((c, k) => {
    const dir = risk.params.indicators[k]?.direction === 'down' ? '↓' : '↑';
    return `${indicatorLabel(c)} ${dir} ${formatNumber(100 * shares[k], 0)}%`;
  });
  return t('risk.report.method', { normalization: normalizationLabel(cur.normalization), indicators: parts.join('; '), tiers: risk.params.tiers.join(', ') });
}

function reportSections(): ReportSection[] {
  const cur = risk.current;
  const ds = app.dataset;
  if (!cur || !ds) return [];
  const ch = risk.change;
  const ranking = Array.from(cur.order, (i) => [
    Number.isFinite(cur.rank[i]) ? String(cur.rank[i]) : '—',
    areaLabel(cur.areaIds[i]),
    fmt1(cur.riskIndex[i]),
    Number.isFinite(cur.tier[i]) ? String(cur.tier[i]) : '—',
    ch ? signed(ch.change.indexChange[i]) : '—',
  ]);
  const counts = new Array(risk.tiers.length + 1).fill(0);
  for (const x of cur.tier) if (Number.isFinite(x)) counts[x - 1]++;
  const policy = policyReportTable(risk.policy, risk.tiers, counts);
  const alerts = risk.alerts.slice(0, 40).map((a) => [t(`risk.sev.${a.severity}` as MessageKey), areaLabel(a.area_id), alertText(a)]);
  const out: ReportSection[] = [
    { kind: 'heading', text: t('risk.report.title', { period: cur.period }) },
    { kind: 'paragraph', text: methodText() },
    { kind: 'map', caption: t(`risk.mode.${risk.mapMode}` as MessageKey) + (risk.mapMode === 'change' && ch ? ` ${ch.from} → ${ch.to}` : ` ${cur.period}`) },
    { kind: 'heading', level: 2, text: t('risk.ranking') },
    { kind: 'table', columns: ['#', t('risk.col.area'), t('risk.col.index'), t('risk.col.tier'), ch ? `Δ ${ch.from}` : 'Δ'], rows: ranking },
    { kind: 'heading', level: 2, text: t('risk.policy') },
    { kind: 'table', columns: policy.columns, rows: policy.rows },
    { kind: 'heading', level: 2, text: t('risk.alerts', { period: cur.period }) },
    alerts.length ? { kind: 'table', columns: [t('risk.rules.severity'), t('risk.col.area'), t('risk.report.alert')], rows: alerts } : { kind: 'paragraph', text: t('risk.alerts.none') },
  ];
  const i = app.selectedAreaId ? ds.areaIndex.get(app.selectedAreaId) : undefined;
  if (i !== undefined && Number.isFinite(cur.riskIndex[i])) {
    out.push(
      { kind: 'heading', level: 2, text: `${areaLabel(cur.areaIds[i])}: ${t('risk.profile.contributions')}` },
      {
        kind: 'table',
        columns: [t('risk.col.indicator'), t('risk.col.score'), t('risk.col.points')],
        rows: cur.columns.map((c, k) => [indicatorLabel(c), formatNumber(cur.scores[k][i], 2), fmt1(cur.contributions[k][i])]),
      },
    );
  }
  return out;
}

/** The area's index and tier over the last eight periods up to the one shown (area report). */
function areaTrend(areaId: string) {
  const series = risk.series;
  const cur = risk.current;
  if (!series?.length || !cur) return null;
  const end = series.findIndex((r) => r.period === cur.period);
  const shown = series.slice(Math.max(0, end - 7), end + 1);
  const valueOf = (r: (typeof series)[number]) => {
    const i = r.areaIds.indexOf(areaId);
    return { index: i >= 0 ? r.riskIndex[i] : NaN, tier: i >= 0 ? r.tier[i] : NaN };
  };
  return {
    title: t('risk.legend.index'),
    columns: [t('share.report.col.period'), t('risk.col.index'), t('risk.col.tier'), t('share.report.col.changePoints')],
    rows: shown.map((r, k) => {
      const v = valueOf(r);
      const before = k > 0 ? valueOf(shown[k - 1]).index : NaN;
      return [r.period, fmt1(v.index), Number.isFinite(v.tier) ? String(v.tier) : '—', k > 0 ? signed(v.index - before) : '—'];
    }),
  };
}

export function registerRiskShare(): void {
  registerAreaTrend('risk', areaTrend);
  registerStateSlice('risk', {
    // A dataset without indicators has no risk view to share (an empty config would not
    // validate when the link is opened).
    get: () => (app.dataset && risk.initializedFor === app.dataset && risk.config.indicators.length > 0 ? risk.shared() : undefined),
    set: (v) => risk.applyShared(v),
    describe: () => {
      const m = methodText();
      return m ? [m.replace(/[.。]$/, '')] : [];
    },
  });
  registerReport({
    id: 'risk',
    label: () => t('risk.report.label'),
    title: () => t('risk.report.title', { period: risk.current?.period ?? app.period }),
    available: () => risk.current !== null,
    build: () => reportSections(),
  });
  registerAggregateTable({
    id: 'risk-index',
    label: () => t('risk.report.table'),
    kind: 'area-rows',
    columns: () => ['area_id', 'name', 'period', 'risk_index', 'tier', 'rank', 'flags', ...(risk.current?.scoreColumns ?? [])],
    rows: () => {
      const cur = risk.current;
      if (!cur) return [];
      return cur.areaIds.map((id, i) => {
        const r: Record<string, string | number | null> = {
          area_id: id, name: areaLabel(id), period: cur.period,
          risk_index: Number.isFinite(cur.riskIndex[i]) ? cur.riskIndex[i] : null,
          tier: Number.isFinite(cur.tier[i]) ? cur.tier[i] : null,
          rank: Number.isFinite(cur.rank[i]) ? cur.rank[i] : null,
          flags: cur.flags[i],
        };
        cur.scoreColumns.forEach((c, k) => (r[c] = Number.isFinite(cur.scores[k][i]) ? cur.scores[k][i] : null));
        return r;
      });
    },
  });
}
