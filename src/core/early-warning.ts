/**
 * Early-warning rules on indicators and on the risk index, evaluated between periods.
 *
 * Rule kinds (all configurable, stored under `alerts` in the risk config):
 * - `threshold`: an indicator crosses X between the previous and the current period.
 *   `crossing: "above"` fires when prev < X ≤ cur; `"below"` when prev > X ≥ cur.
 * - `deterioration`: an indicator worsens by more than `amount` over `periods` periods
 *   (cur vs the value `periods` positions earlier). "Worse" is up for `worse: "up"` and down
 *   for `"down"` (default: the indicator's direction in the config, else up). `mode:
 *   "absolute"` compares the change in the indicator's units; `"relative"` compares
 *   100·change/|earlier value| in percent (no alert when the earlier value is 0).
 * - `index_jump`: the risk index rises by more than `points` between consecutive periods.
 * - `tier_up`: the tier rises by at least `min_steps` (default 1) between consecutive periods.
 *
 * Missing values never fire a rule. Each alert carries an i18n key and parameters, not
 * prose, because the UI speaks zh-CN and en:
 *   alert.threshold.above / alert.threshold.below   {column, threshold, from, to, from_period}
 *   alert.deterioration.absolute / .relative        {column, amount, change, change_pct, periods, from, to, from_period}
 *   alert.index_jump                                {points, from, to, change, from_period}
 *   alert.tier_up                                   {from, to, from_period}
 */
import { indicatorValues, parseIndicatorRef, type IndicatorTable } from './indicator-table.ts';
import { checkIndicatorRef, checkUnknownKeys, isPlainObject, type IssueList } from './config-issues.ts';
import type { IndicatorSpec, RiskConfig } from './risk-config.ts';
import { computeRiskSeries, type RiskResult } from './risk-index.ts';

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

export interface Alert {
  area_id: string;
  rule_id: string;
  rule_kind: AlertRuleKind;
  /** Indicator reference for indicator rules. */
  column?: string;
  /** Period at which the rule fired (the later period). */
  period: string;
  from_value: number;
  to_value: number;
  severity: Severity;
  message_key: string;
  params: Record<string, string | number>;
}

/**
 * A sensible default rule set for a config: index jump > 10 points (warning) and > 20 points
 * (critical), any tier rise (warning), and per plain indicator a relative deterioration of
 * more than 10 % over 4 periods (1 if the file has fewer than 5), in the config's direction
 * (info). Thresholds need domain values, so none are defaulted.
 */
export function defaultAlertRules(config: Pick<RiskConfig, 'indicators'>, periodCount = 5): AlertRule[] {
  const rules: AlertRule[] = [
    { id: 'index_jump_10', kind: 'index_jump', points: 10, severity: 'warning' },
    { id: 'index_jump_20', kind: 'index_jump', points: 20, severity: 'critical' },
    { id: 'tier_up', kind: 'tier_up', min_steps: 1, severity: 'warning' },
  ];
  const periods = periodCount >= 5 ? 4 : 1;
  for (const s of config.indicators) {
    if (parseIndicatorRef(s.column)?.lag !== 0) continue;
    rules.push({ id: `deteriorate_${s.column}`, kind: 'deterioration', column: s.column, periods, amount: 10, mode: 'relative', worse: s.direction, severity: 'info' });
  }
  return rules;
}

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
  indicators: readonly IndicatorSpec[],
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

export interface EvaluateOptions {
  /** Periods at which to evaluate (each against its predecessors); default the latest period. */
  periods?: readonly string[];
  /**
   * The risk index per period of `table` (from `computeRiskSeries`), if already computed;
   * computed from `config` when needed and absent.
   */
  series?: readonly RiskResult[];
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Evaluate `rules` (default `config.alerts`, else `defaultAlertRules(config)`) at the chosen
 * periods. Alerts are sorted by severity (critical first), then period, then area order,
 * then rule order.
 */
export function evaluateAlerts(table: IndicatorTable, config: RiskConfig, rules?: readonly AlertRule[], opts: EvaluateOptions = {}): Alert[] {
  const ruleList = rules ?? config.alerts ?? defaultAlertRules(config, table.periods.length);
  const at = (opts.periods ?? [table.periods.at(-1)]).map((p) => {
    const i = table.periods.indexOf(p ?? '');
    if (i < 0) throw new Error(`Unknown period '${p}'`);
    return i;
  });
  let series = opts.series;
  if (!series && ruleList.some((r) => r.kind === 'index_jump' || r.kind === 'tier_up')) series = computeRiskSeries(table, config);
  const alerts: (Alert & { _p: number; _i: number; _r: number })[] = [];
  const { areaIds, periods } = table;
  ruleList.forEach((rule, r) => {
    for (const p of at) {
      const emit = (i: number, from: number, to: number, key: string, params: Record<string, string | number>, column?: string) => {
        const a: Alert & { _p: number; _i: number; _r: number } = {
          area_id: areaIds[i], rule_id: rule.id, rule_kind: rule.kind, period: periods[p], from_value: from, to_value: to,
          severity: rule.severity, message_key: key, params, _p: p, _i: i, _r: r,
        };
        if (column !== undefined) a.column = column;
        alerts.push(a);
      };
      if (rule.kind === 'threshold') {
        if (p < 1) continue;
        const prev = indicatorValues(table, rule.column, p - 1);
        const cur = indicatorValues(table, rule.column, p);
        const X = rule.threshold;
        for (let i = 0; i < areaIds.length; i++) {
          const a = prev[i], b = cur[i];
          if (!(a === a && b === b)) continue;
          const fire = rule.crossing === 'above' ? a < X && b >= X : a > X && b <= X;
          if (fire) emit(i, a, b, `alert.threshold.${rule.crossing}`, { column: rule.column, threshold: X, from: a, to: b, from_period: periods[p - 1] }, rule.column);
        }
      } else if (rule.kind === 'deterioration') {
        if (p < rule.periods) continue;
        const base = indicatorValues(table, rule.column, p - rule.periods);
        const cur = indicatorValues(table, rule.column, p);
        for (let i = 0; i < areaIds.length; i++) {
          const a = base[i], b = cur[i];
          if (!(a === a && b === b)) continue;
          const worsening = rule.worse === 'up' ? b - a : a - b;
          let measure = worsening;
          if (rule.mode === 'relative') {
            if (a === 0) continue;
            measure = (100 * worsening) / Math.abs(a);
          }
          if (measure > rule.amount) {
            emit(i, a, b, `alert.deterioration.${rule.mode}`, {
              column: rule.column, amount: rule.amount, change: b - a, change_pct: a === 0 ? NaN : (100 * (b - a)) / Math.abs(a),
              periods: rule.periods, from: a, to: b, from_period: periods[p - rule.periods],
            }, rule.column);
          }
        }
      } else {
        if (p < 1 || !series) continue;
        const prev = series[p - 1], cur = series[p];
        for (let i = 0; i < areaIds.length; i++) {
          if (rule.kind === 'index_jump') {
            const a = prev.riskIndex[i], b = cur.riskIndex[i];
            if (a === a && b === b && b - a > rule.points) emit(i, a, b, 'alert.index_jump', { points: rule.points, from: a, to: b, change: b - a, from_period: periods[p - 1] });
          } else {
            const a = prev.tier[i], b = cur.tier[i];
            if (a === a && b === b && b - a >= rule.min_steps) emit(i, a, b, 'alert.tier_up', { from: a, to: b, from_period: periods[p - 1] });
          }
        }
      }
    }
  });
  alerts.sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || x._p - y._p || x._i - y._i || x._r - y._r);
  return alerts.map(({ _p, _i, _r, ...a }) => a);
}
