/**
 * Words for the Risk tab: indicator names (data columns, `d:` changes, pf_ portfolio
 * columns), alert messages and config problems, all through the i18n dictionary.
 */
import { formatNumber, t, type MessageKey } from '../../i18n/i18n.svelte.ts';
import { areaName, columnLabel, columnUnit } from '../app/labels.svelte.ts';
import { app } from '../app/app-state.svelte.ts';
import { parseIndicatorRef } from '../../core/indicator-table.ts';
import type { ConfigIssue } from '../../core/config-issues.ts';
import type { Alert } from '../../core/early-warning.ts';
import type { Normalization } from '../../core/normalize.ts';

/** Name of a plain column: the manifest's label, or ours for portfolio columns. */
function baseLabel(column: string): string {
  if (column.startsWith('pf_')) {
    const key = `risk.pf.${column}` as MessageKey;
    const s = t(key);
    if (s !== key) return s;
  }
  return columnLabel(column);
}

/** `unemployment_rate` → "Unemployment rate"; `d:house_price_index:4` → "House price index, change over 4 periods". */
export function indicatorLabel(ref: string): string {
  const p = parseIndicatorRef(ref);
  if (!p) return ref;
  return p.lag > 0 ? t('risk.ind.change', { label: baseLabel(p.column), lag: p.lag }) : baseLabel(p.column);
}

/** Unit of a plain column; none for a change (an index's "2023Q1 = 100" would mislead). */
export function indicatorUnit(ref: string): string {
  const p = parseIndicatorRef(ref);
  if (!p || p.lag > 0) return '';
  if (p.column.startsWith('pf_')) {
    const key = `risk.pfunit.${p.column}` as MessageKey;
    const s = t(key);
    return s === key ? '' : s;
  }
  return columnUnit(p.column);
}

export function normalizationLabel(m: Normalization): string {
  return t(`risk.norm.${m}` as MessageKey);
}

/** The area's display name from its id. */
export function areaLabel(areaId: string): string {
  const ds = app.dataset;
  const i = ds?.areaIndex.get(areaId);
  return i === undefined || !ds ? areaId : areaName(ds.areas.features[i].properties) || areaId;
}

const fmtParam = (k: string, v: string | number): string => {
  if (typeof v !== 'number') return k === 'column' ? indicatorLabel(v) : v;
  if (k === 'change' || k === 'change_pct') return signedNumber(v, 2);
  return formatNumber(v, 2);
};

/** An alert's message in the current language, numbers formatted, columns named. */
export function alertText(a: Alert): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(a.params)) params[k] = fmtParam(k, v);
  return t(a.message_key as MessageKey, params);
}

/** A config problem in the current language, with the "did you mean" hint when there is one. */
export function issueText(issue: ConfigIssue): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(issue.params)) params[k] = typeof v === 'number' ? String(v) : v;
  // A credit-policy issue names its column by id: show the column's header instead.
  if (issue.key.startsWith('risk.policy.') && typeof issue.params.field === 'string') params.field = t(`risk.policy.${issue.params.field}` as MessageKey);
  const s = t(issue.key as MessageKey, params);
  return issue.params.suggestion ? `${s} ${t('risk.config.did_you_mean', { suggestion: String(issue.params.suggestion) })}` : s;
}

/** "+2.5", "−0.4", and "0" for a change that rounds to zero (never "-0"); "—" when missing. */
export function signedNumber(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '—';
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  if (r === 0) return formatNumber(0, digits);
  return (r > 0 ? '+' : '') + formatNumber(r, digits);
}
