/**
 * The early-warning rules of a risk config (`alerts`): their kinds, and their validation with
 * defaults. What each kind means and how rules are evaluated: early-warning.ts.
 */
import { checkIndicatorRef, checkUnknownKeys, isPlainObject, type IssueList } from './config-issues.ts';

export type Severity = 'info' | 'warning' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

interface RuleBase {
  /** Unique within the config; shown in alerts. */
  id: string;
  severity: Severity;
}
export interface ThresholdRule extends RuleBase {
  kind: 'threshold';
  column: string;
  threshold: number;
  crossing: 'above' | 'below';
}
export interface DeteriorationRule extends RuleBase {
  kind: 'deterioration';
  column: string;
  /** Compared against this many periods earlier (≥ 1). */
  periods: number;
  /** Alert when the worsening exceeds this (indicator units, or percent for `relative`). */
  amount: number;
  mode: 'absolute' | 'relative';
  worse: 'up' | 'down';
}
export interface IndexJumpRule extends RuleBase {
  kind: 'index_jump';
  /** Alert when the index rises by more than this many points (0–100 scale). */
  points: number;
}
export interface TierUpRule extends RuleBase {
  kind: 'tier_up';
  min_steps: number;
}
export type AlertRule = ThresholdRule | DeteriorationRule | IndexJumpRule | TierUpRule;
export type AlertRuleKind = AlertRule['kind'];

const KEYS: Record<AlertRuleKind, string[]> = {
  threshold: ['id', 'kind', 'severity', 'column', 'threshold', 'crossing'],
  deterioration: ['id', 'kind', 'severity', 'column', 'periods', 'amount', 'mode', 'worse'],
  index_jump: ['id', 'kind', 'severity', 'points'],
  tier_up: ['id', 'kind', 'severity', 'min_steps'],
};

/**
 * Validate the `alerts` list of a config (called by `parseRiskConfig`, which passes its issue
 * list). Defaults: `id` `<kind>_<n>`, `severity` warning, `crossing` above, `mode` absolute,
 * `periods` 1, `worse` the indicator's config direction (else up), `min_steps` 1.
 */
export function parseAlertRules(
  raw: unknown,
  availableColumns: readonly string[],
  periods: readonly string[],
  indicators: readonly { column: string; direction?: 'up' | 'down' }[],
  out: IssueList,
): AlertRule[] | undefined {
  if (!Array.isArray(raw)) {
    out.add('risk.alerts.not_list', {}, '"alerts" must be a list of rules like {"kind": "index_jump", "points": 10, "severity": "warning"}');
    return undefined;
  }
  const rules: AlertRule[] = [];
  const ids = new Set<string>();
  raw.forEach((r: unknown, i: number) => {
    const where = `alerts[${i}]`;
    if (!isPlainObject(r)) {
      out.add('risk.alerts.not_object', { index: i }, `${where} must be an object with a "kind"`);
      return;
    }
    const kind = r.kind as AlertRuleKind;
    if (!(kind in KEYS)) {
      out.add('risk.alerts.bad_kind', { where, value: String(r.kind) }, `${where}: "kind" must be one of threshold, deterioration, index_jump, tier_up; got ${JSON.stringify(r.kind)}`);
      return;
    }
    checkUnknownKeys(r, KEYS[kind], where, out);
    const id = r.id === undefined ? `${kind}_${i + 1}` : typeof r.id === 'string' && r.id.trim() ? r.id.trim() : null;
    if (id === null) out.add('risk.alerts.bad_id', { where }, `${where}: "id" must be non-empty text`);
    else if (ids.has(id)) out.add('risk.alerts.duplicate_id', { where, id }, `${where}: rule id '${id}' is used twice`);
    let severity: Severity = 'warning';
    if (r.severity !== undefined) {
      if (SEVERITIES.includes(r.severity as Severity)) severity = r.severity as Severity;
      else out.add('risk.alerts.bad_severity', { where, value: String(r.severity) }, `${where}: "severity" must be info, warning or critical; got ${JSON.stringify(r.severity)}`);
    }
    const num = (key: string, dflt: number | undefined, check: (v: number) => boolean, what: string): number | null => {
      const v = r[key] ?? dflt;
      if (typeof v === 'number' && Number.isFinite(v) && check(v)) return v;
      out.add('risk.alerts.bad_number', { where, key, what }, `${where}: "${key}" must be ${what}; got ${JSON.stringify(r[key])}`);
      return null;
    };
    const column = (): string | null => {
      if (typeof r.column !== 'string' || !r.column.trim()) {
        out.add('risk.alerts.missing_column', { where }, `${where}: "column" must name an indicator column`);
        return null;
      }
      return checkIndicatorRef(r.column.trim(), where, availableColumns, periods, -1, out) ? r.column.trim() : null;
    };
    const base = { id: id ?? '', severity };
    let rule: AlertRule | null = null;
    if (kind === 'threshold') {
      const col = column();
      const threshold = num('threshold', undefined, () => true, 'a number');
      const crossing = r.crossing ?? 'above';
      if (crossing !== 'above' && crossing !== 'below') out.add('risk.alerts.bad_crossing', { where }, `${where}: "crossing" must be "above" or "below"`);
      else if (col !== null && threshold !== null) rule = { ...base, kind, column: col, threshold, crossing };
    } else if (kind === 'deterioration') {
      const col = column();
      const n = num('periods', 1, (v) => Number.isInteger(v) && v >= 1, 'a whole number of periods ≥ 1');
      const amount = num('amount', undefined, (v) => v >= 0, 'a number ≥ 0');
      const mode = r.mode ?? 'absolute';
      if (mode !== 'absolute' && mode !== 'relative') out.add('risk.alerts.bad_mode', { where }, `${where}: "mode" must be "absolute" or "relative" (percent)`);
      const worse = r.worse ?? indicators.find((s) => s.column === col)?.direction ?? 'up';
      if (worse !== 'up' && worse !== 'down') out.add('risk.alerts.bad_worse', { where }, `${where}: "worse" must be "up" or "down"`);
      else if (col !== null && n !== null && amount !== null && (mode === 'absolute' || mode === 'relative')) rule = { ...base, kind, column: col, periods: n, amount, mode, worse };
    } else if (kind === 'index_jump') {
      const points = num('points', undefined, (v) => v >= 0, 'a number of index points ≥ 0');
      if (points !== null) rule = { ...base, kind, points };
    } else {
      const steps = num('min_steps', 1, (v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1');
      if (steps !== null) rule = { ...base, kind, min_steps: steps };
    }
    if (id !== null) ids.add(id);
    if (rule && id !== null) rules.push(rule);
  });
  return rules;
}

