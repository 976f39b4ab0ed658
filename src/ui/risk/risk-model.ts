/**
 * Plain helpers of the Risk tab (no Svelte, no DOM, tested in Node): the indicator table as
 * the core sees it, presets, weight schemes on the slider scale, tiers text, the policy table in the config,
 * colours and class breaks of the risk maps.
 */
import type { Dataset } from '../../pipeline/dataset/dataset.ts';
import { parseIndicatorRef, type IndicatorTable } from '../../core/indicator-table.ts';
import type { IndicatorSpec, PolicyRow, RiskConfig } from '../../core/risk-config.ts';
import { checkPolicy } from '../../core/credit-policy.ts';
import { PORTFOLIO_DIRECTIONS, type PortfolioColumn } from '../../core/portfolio.ts';
import type { Rgb } from '../map/palette.ts';

/** Sliders run from 0 to this; only ratios of weights matter. */
export const WEIGHT_MAX = 10;

/**
 * The dataset's indicators as an IndicatorTable. No copy: each period is a subarray of the
 * dataset's [period × area] column.
 */
export function tableFromDataset(ds: Pick<Dataset, 'areaIds' | 'periods' | 'indicators'>, columns?: readonly string[]): IndicatorTable {
  const n = ds.areaIds.length;
  const values: Record<string, Float64Array[]> = {};
  for (const c of columns ?? Object.keys(ds.indicators)) {
    const all = ds.indicators[c];
    if (all) values[c] = ds.periods.map((_, p) => all.subarray(p * n, (p + 1) * n));
  }
  return { areaIds: ds.areaIds, periods: ds.periods, values };
}

/** Whether `ref` can be scored on this table: known column and, for `d:`, a lag shorter than the file. */
export function refAvailable(ref: string, columns: readonly string[], periodCount: number): boolean {
  const p = parseIndicatorRef(ref);
  return !!p && columns.includes(p.column) && p.lag < periodCount;
}

export type PresetId = 'design' | 'macro' | 'housing' | 'portfolio';
export const PRESET_IDS: readonly PresetId[] = ['design', 'macro', 'housing', 'portfolio'];

/**
 * Preset indicator sets. Each lists candidates; only those the data has are used, so a
 * preset on a city without house prices still makes sense. `design` is DESIGN.md's example
 * config plus the regional NPL ratio (the demo city's README tells its story with it).
 */
const PRESETS: Record<PresetId, IndicatorSpec[]> = {
  design: [
    { column: 'unemployment_rate', weight: 3, direction: 'up' },
    { column: 'd:house_price_index:4', weight: 2, direction: 'down' },
    { column: 'npl_rate', weight: 2, direction: 'up' },
  ],
  macro: [
    { column: 'unemployment_rate', weight: 3, direction: 'up' },
    { column: 'd:unemployment_rate:4', weight: 2, direction: 'up' },
    { column: 'avg_income', weight: 2, direction: 'down' },
    { column: 'd:business_count:4', weight: 1, direction: 'down' },
  ],
  housing: [
    { column: 'house_price_index', weight: 2, direction: 'down' },
    { column: 'd:house_price_index:4', weight: 3, direction: 'down' },
    { column: 'd:house_price_index:1', weight: 1, direction: 'down' },
    { column: 'npl_rate', weight: 1, direction: 'up' },
  ],
  portfolio: [
    { column: 'pf_npl_rate', weight: 3, direction: 'up' },
    { column: 'pf_loans_per_customer', weight: 1, direction: PORTFOLIO_DIRECTIONS.pf_loans_per_customer },
    { column: 'pf_loan_balance_per_customer', weight: 1, direction: PORTFOLIO_DIRECTIONS.pf_loan_balance_per_customer },
    { column: 'pf_avg_balance', weight: 1, direction: PORTFOLIO_DIRECTIONS.pf_avg_balance },
    { column: 'npl_rate', weight: 2, direction: 'up' },
  ],
};

/** The preset's indicators that this data can score (weights on the 0–10 slider scale). */
export function presetIndicators(id: PresetId, columns: readonly string[], periodCount: number): IndicatorSpec[] {
  return PRESETS[id].filter((s) => refAvailable(s.column, columns, periodCount)).map((s) => ({ ...s }));
}

/** Starting indicators: the `design` preset, else the first three numeric columns (up, weight 1). */
export function defaultIndicators(columns: readonly string[], periodCount: number): IndicatorSpec[] {
  const d = presetIndicators('design', columns, periodCount);
  if (d.length > 0) return d;
  return columns.filter((c) => c !== 'population' && c !== 'area_km2').slice(0, 3).map((column) => ({ column, weight: 1, direction: 'up' as const }));
}

/** A sensible direction for a newly added column: portfolio columns know theirs, others are "up". */
export function defaultDirection(ref: string): 'up' | 'down' {
  const p = parseIndicatorRef(ref);
  const col = p?.column ?? ref;
  if (col in PORTFOLIO_DIRECTIONS) return PORTFOLIO_DIRECTIONS[col as PortfolioColumn];
  if (/income|price|business|balance|digital/i.test(col)) return 'down';
  return 'up';
}

/** Equal weights on the slider scale (only ratios matter; the middle of the slider). */
export function equalSliderWeights(k: number): number[] {
  return Array.from({ length: k }, () => WEIGHT_MAX / 2);
}

/**
 * Weights that sum to 1 (PCA) onto the slider scale: the largest at WEIGHT_MAX, the rest in
 * proportion, unrounded, so the ratios — all that matters — are exactly the PCA ones.
 */
export function toSliderScale(weights: readonly number[]): number[] {
  const max = Math.max(0, ...weights);
  return weights.map((w) => (max > 0 ? (WEIGHT_MAX * w) / max : 0));
}

/** Each weight's share of the total, 0–1 (NaN when all are 0). */
export function weightShares(weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => (total > 0 ? w / total : NaN));
}

/**
 * Tier cut points typed as text ("25, 50, 75"): numbers separated by commas or spaces,
 * strictly increasing, within 0–100. Returns null when the text is not that.
 */
export function parseTiersText(text: string): number[] | null {
  const parts = text.split(/[\s,，;；]+/).filter((p) => p !== '');
  if (parts.length === 0) return null;
  const cuts = parts.map(Number);
  if (cuts.some((c) => !Number.isFinite(c) || c < 0 || c > 100)) return null;
  if (cuts.some((c, i) => i > 0 && c <= cuts[i - 1])) return null;
  return cuts;
}

/**
 * The policy table as the config saves it: every row, when it has no errors (warnings do
 * not stop it); undefined otherwise, so a saved file or link always loads again.
 */
export function policyForConfig(policy: readonly PolicyRow[]): PolicyRow[] | undefined {
  return checkPolicy(policy).some((i) => i.severity === 'error') ? undefined : policy.map((r) => ({ ...r }));
}

/** The config the UI state describes, in the `--config` shape (period always explicit). */
export function buildConfig(s: {
  period: string;
  normalization: RiskConfig['normalization'];
  indicators: readonly IndicatorSpec[];
  tiers: readonly number[];
  policy: readonly PolicyRow[];
  alerts: RiskConfig['alerts'] | null;
}): RiskConfig {
  const c: RiskConfig = {
    period: s.period,
    normalization: s.normalization,
    indicators: s.indicators.map((x) => ({ column: x.column, weight: x.weight, direction: x.direction })),
    tiers: [...s.tiers],
  };
  const policy = policyForConfig(s.policy);
  if (policy) c.policy = policy;
  if (s.alerts) c.alerts = s.alerts.map((r) => ({ ...r }));
  return c;
}

// ---- colours and classes of the risk maps ----

/**
 * Classes of the index map, aligned to the tiers: every tier cut is a class boundary and each
 * tier is split at its midpoint, so no class straddles two tiers. Colours: the tier's own
 * colour (as on the tier map) for its upper half, the same colour mixed 45 % with white for
 * its lower half. Fixed by the cuts, so colours move only when the index does.
 *
 * @param cuts ascending tier cut points on the 0–100 index
 * @param tierColors one colour per tier (cuts.length + 1)
 */
export function indexClasses(cuts: readonly number[], tierColors: readonly Rgb[]): { breaks: number[]; colors: Rgb[] } {
  const bounds = [0, ...cuts, 100];
  const breaks: number[] = [];
  const colors: Rgb[] = [];
  for (let k = 0; k < bounds.length - 1; k++) {
    const c = tierColors[Math.min(k, tierColors.length - 1)];
    breaks.push((bounds[k] + bounds[k + 1]) / 2);
    // classOf puts v ≤ break in the lower class; a tier starts AT its cut (DESIGN.md), so the
    // boundary sits just below the cut and an index of exactly 50 is coloured as tier 3.
    if (k < cuts.length) breaks.push(cuts[k] - 1e-9);
    colors.push(c.map((v) => Math.round(v + 0.45 * (255 - v))) as unknown as Rgb, c);
  }
  return { breaks, colors };
}

/** Tier map: values are tiers 1..T; breaks at the half steps put tier t in class t − 1. */
export function tierBreaks(tierCount: number): number[] {
  return Array.from({ length: tierCount - 1 }, (_, i) => i + 1.5);
}

/**
 * Diverging RdBu (ColorBrewer, 7 classes) reversed: blue = risk fell, red = risk rose,
 * the neutral middle class = little change.
 */
export const CHANGE_COLORS: readonly Rgb[] = [
  [33, 102, 172],
  [103, 169, 207],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [239, 138, 98],
  [178, 24, 43],
];

/** A "nice" step ≥ x: 1, 2 or 5 × 10^k. */
export function niceStep(x: number): number {
  if (!(x > 0)) return 1;
  const e = 10 ** Math.floor(Math.log10(x));
  const f = x / e;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * e;
}

/**
 * Symmetric breaks for the change map, 7 classes centred on 0: ±s/2, ±3s/2, ±5s/2, with s a
 * nice step (1, 2, 5 × 10^k) near the 90th percentile of |change| / 2.5. Basing s on a high
 * percentile rather than the maximum keeps one outlier (a shock) from washing every other
 * area into the neutral class; the outlier still lands in the outer class.
 */
export function changeBreaks(changes: ArrayLike<number>): number[] {
  const abs: number[] = [];
  for (let i = 0; i < changes.length; i++) if (Number.isFinite(changes[i])) abs.push(Math.abs(changes[i]));
  abs.sort((a, b) => a - b);
  const p90 = abs.length ? abs[Math.min(abs.length - 1, Math.ceil(0.9 * abs.length) - 1)] : 0;
  const s = niceStep(p90 / 2.5);
  return [-2.5 * s, -1.5 * s, -0.5 * s, 0.5 * s, 1.5 * s, 2.5 * s];
}

/** Median of the finite values, NaN if none (for the "all areas" line in small multiples). */
export function finiteMedian(values: ArrayLike<number>): number {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) v.push(values[i]);
  if (v.length === 0) return NaN;
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}
