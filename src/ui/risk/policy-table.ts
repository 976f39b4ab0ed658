/**
 * The credit-policy table as plain data for exports: the PDF report's table (formatted text
 * in the UI language) and the CSV download (numbers as numbers, machine ids plus their
 * label). The editor is PolicyTable.svelte; the rules live in src/core/credit-policy.ts.
 */
import { POLICY_FIELDS, type PolicyField, type PolicyRow } from '../../core/credit-policy.ts';
import { toCsv, type CsvValue } from '../../data/csv-write.ts';
import { formatNumber, t, type MessageKey } from '../../i18n/i18n.svelte.ts';

/** "< 25", "25 – 50", "≥ 75": the index range of tier i + 1. */
export function tierRange(i: number, cuts: readonly number[]): string {
  if (cuts.length === 0) return '0 – 100';
  return i === 0 ? `< ${cuts[0]}` : i === cuts.length ? `≥ ${cuts[i - 1]}` : `${cuts[i - 1]} – ${cuts[i]}`;
}

export const fieldLabel = (f: PolicyField): string => t(`risk.policy.${f}` as MessageKey);
export const levelLabel = (level: string): string => (level ? t(`risk.policy.level.${level}` as MessageKey) : '');

/** One cell as people read it: "80", "+20", "500", "Branch", "12". The cap shows in 万元 (CNY 10k), as its header says. */
export function policyCellText(r: PolicyRow, f: PolicyField): string {
  const v = r[f];
  if (f === 'approval_level') return levelLabel(r.approval_level) || '—';
  if (f === 'notes') return r.notes || '—';
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  if (f === 'spread_bp') return (v > 0 ? '+' : '') + formatNumber(v, 1);
  if (f === 'exposure_cap_cny') return formatNumber(v / 10_000, 1);
  return formatNumber(v, 1);
}

/**
 * The table for a report section: headers and formatted rows, tier first, areas now in each
 * tier last. Plain strings, so any PDF writer can lay it out.
 */
export function policyReportTable(policy: readonly PolicyRow[], cuts: readonly number[], areasPerTier: readonly number[]): { columns: string[]; rows: string[][] } {
  return {
    columns: [t('risk.policy.tier'), ...POLICY_FIELDS.map(fieldLabel), t('risk.report.areas')],
    rows: policy.map((r, i) => [
      t('risk.tierRange', { tier: r.tier, range: tierRange(i, cuts) }),
      ...POLICY_FIELDS.map((f) => policyCellText(r, f)),
      String(areasPerTier[i] ?? 0),
    ]),
  };
}

export const POLICY_CSV_COLUMNS = [
  'tier', 'index_from', 'index_to', 'areas', 'max_ltv_pct', 'spread_bp', 'approval_level', 'approval_level_label', 'exposure_cap_cny', 'review_months', 'notes',
] as const;

/**
 * The CSV download through the shared encoder (BOM for Excel, formula guard on notes):
 * index bounds as numbers (from inclusive, to exclusive, empty at the open ends), the cap in
 * CNY as the config stores it, the approval level as its config id and in the UI language.
 */
export function policyCsv(policy: readonly PolicyRow[], cuts: readonly number[], areasPerTier: readonly number[]): string {
  const rows = policy.map((r, i): Record<(typeof POLICY_CSV_COLUMNS)[number], CsvValue> => ({
    tier: r.tier,
    index_from: i === 0 ? 0 : cuts[i - 1],
    index_to: i < cuts.length ? cuts[i] : 100,
    areas: areasPerTier[i] ?? 0,
    max_ltv_pct: r.max_ltv_pct,
    spread_bp: r.spread_bp,
    approval_level: r.approval_level,
    approval_level_label: levelLabel(r.approval_level),
    exposure_cap_cny: r.exposure_cap_cny,
    review_months: r.review_months,
    notes: r.notes,
  }));
  return toCsv(POLICY_CSV_COLUMNS, rows);
}
