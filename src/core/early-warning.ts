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
import type { AlertRule, AlertRuleKind, Severity } from './alert-rules.ts';
import type { RiskConfig } from './risk-config.ts';
import { computeRiskSeries, type RiskResult } from './risk-index.ts';


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
 * periods. An area gets one alert per event and period, from the most severe rule that
 * fired (see `eventKey`). Alerts are sorted by severity (critical first), then period, then
 * area order, then rule order.
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
  const kept = strongestPerEvent(alerts, ruleList);
  kept.sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || x._p - y._p || x._i - y._i || x._r - y._r);
  return kept.map(({ _p, _i, _r, ...a }) => a);
}

/**
 * Rules that watch the same thing (the same kind on the same indicator, crossing direction,
 * mode and window) are levels of one alarm: an index jump of 25 points passes both the
 * 10-point warning and the 20-point critical rule, but it is one event. Which rules
 * fired stays visible in the severity; counting it twice would inflate the alert counts.
 */
function eventKey(rule: AlertRule): string {
  switch (rule.kind) {
    case 'threshold': return `threshold\u0000${rule.column}\u0000${rule.crossing}`;
    case 'deterioration': return `deterioration\u0000${rule.column}\u0000${rule.mode}\u0000${rule.periods}`;
    default: return rule.kind;
  }
}

/** How demanding a rule is among rules of one event: a stricter level wins a severity tie. */
function strictness(rule: AlertRule): number {
  switch (rule.kind) {
    case 'threshold': return rule.crossing === 'above' ? rule.threshold : -rule.threshold;
    case 'deterioration': return rule.amount;
    case 'index_jump': return rule.points;
    case 'tier_up': return rule.min_steps;
  }
}

/** One alert per area, event and period: the one of highest severity, then the strictest rule. */
function strongestPerEvent<A extends Alert & { _p: number; _i: number; _r: number }>(alerts: A[], rules: readonly AlertRule[]): A[] {
  const best = new Map<string, A>();
  for (const a of alerts) {
    const key = `${a._i}\u0000${a._p}\u0000${eventKey(rules[a._r])}`;
    const b = best.get(key);
    const better = !b
      || SEVERITY_ORDER[a.severity] < SEVERITY_ORDER[b.severity]
      || (a.severity === b.severity && strictness(rules[a._r]) > strictness(rules[b._r]));
    if (better) best.set(key, a);
  }
  return [...best.values()];
}
