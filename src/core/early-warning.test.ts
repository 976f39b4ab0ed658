import { describe, expect, it } from 'vitest';
import { defaultAlertRules, evaluateAlerts } from './early-warning.ts';
import type { AlertRule } from './alert-rules.ts';
import { indicatorTableFromRows, type IndicatorTable } from './indicator-table.ts';
import type { RiskConfig } from './risk-config.ts';
import { computeRiskSeries } from './risk-index.ts';

/**
 * u (unemployment, up = worse) and h (house prices, down = worse) for three areas:
 *          2024Q1  Q2   Q3   Q4
 *   u  A     4     5    6    9      A crosses 8 in Q4; +80 % (+4) over Q1→Q4
 *      B     8     7    7    7.5    B is above 8 in Q1 and falls below; no upward crossing
 *      C     5     5    5    5
 *   h  A   100   100  100  100
 *      B   100    98   96   90      B: −10 % over Q1→Q4
 *      C   100   101  102  null
 */
function table(): IndicatorTable {
  const u = { A: [4, 5, 6, 9], B: [8, 7, 7, 7.5], C: [5, 5, 5, 5] };
  const h = { A: [100, 100, 100, 100], B: [100, 98, 96, 90], C: [100, 101, 102, null] };
  const rows = [];
  for (const [p, period] of ['2024Q1', '2024Q2', '2024Q3', '2024Q4'].entries()) {
    for (const a of ['A', 'B', 'C'] as const) rows.push({ area_id: a, period, u: u[a][p], h: h[a][p] });
  }
  return indicatorTableFromRows(rows);
}

const config: RiskConfig = {
  normalization: 'minmax',
  indicators: [
    { column: 'u', weight: 1, direction: 'up' },
    { column: 'h', weight: 1, direction: 'down' },
  ],
  tiers: [25, 50, 75],
};

const run = (rules: AlertRule[], periods?: string[]) => evaluateAlerts(table(), config, rules, { periods });
const who = (alerts: { area_id: string; period: string }[]) => alerts.map((a) => `${a.area_id}@${a.period}`);

describe('threshold rule', () => {
  it('fires when crossing above between the previous and the current period', () => {
    const alerts = run([{ id: 'u8', kind: 'threshold', column: 'u', threshold: 8, crossing: 'above', severity: 'critical' }]);
    // A: 6 → 9 crosses 8; B: 7 → 7.5 stays below; C flat
    expect(alerts).toEqual([
      {
        area_id: 'A', rule_id: 'u8', rule_kind: 'threshold', column: 'u', period: '2024Q4', from_value: 6, to_value: 9, severity: 'critical',
        message_key: 'alert.threshold.above', params: { column: 'u', threshold: 8, from: 6, to: 9, from_period: '2024Q3' },
      },
    ]);
  });
  it('does not fire for a value already above, and fires below-crossings only for the "below" rule', () => {
    // at Q2 with X = 7.5: B 8 → 7 crosses below; nobody crosses above (A 4 → 5, C 5 → 5)
    expect(run([{ id: 'a', kind: 'threshold', column: 'u', threshold: 7.5, crossing: 'above', severity: 'info' }], ['2024Q2'])).toEqual([]);
    expect(who(run([{ id: 'b', kind: 'threshold', column: 'u', threshold: 7.5, crossing: 'below', severity: 'info' }], ['2024Q2']))).toEqual(['B@2024Q2']);
    // reaching the threshold exactly counts as crossing: B 7 → 7.5 at Q4 (and A 6 → 9)
    expect(who(run([{ id: 'c', kind: 'threshold', column: 'u', threshold: 7.5, crossing: 'above', severity: 'info' }]))).toEqual(['A@2024Q4', 'B@2024Q4']);
  });
  it('never fires at the first period or on missing values', () => {
    expect(run([{ id: 'x', kind: 'threshold', column: 'u', threshold: 0, crossing: 'above', severity: 'info' }], ['2024Q1'])).toEqual([]);
    expect(run([{ id: 'x', kind: 'threshold', column: 'h', threshold: 0, crossing: 'below', severity: 'info' }])).toEqual([]);
  });
});

describe('deterioration rule', () => {
  it('absolute, direction up: u rises by more than 3 over 3 periods', () => {
    // A: 9 − 4 = 5 > 3 fires; B: 7.5 − 8 = −0.5; C: 0
    const a = run([{ id: 'd', kind: 'deterioration', column: 'u', periods: 3, amount: 3, mode: 'absolute', worse: 'up', severity: 'warning' }]);
    expect(who(a)).toEqual(['A@2024Q4']);
    expect(a[0]).toMatchObject({ from_value: 4, to_value: 9, message_key: 'alert.deterioration.absolute', params: { change: 5, periods: 3, from_period: '2024Q1' } });
    // exactly the amount does not fire ("more than")
    expect(run([{ id: 'd', kind: 'deterioration', column: 'u', periods: 3, amount: 5, mode: 'absolute', worse: 'up', severity: 'warning' }])).toEqual([]);
  });
  it('relative, direction down: h falls by more than 5 % over 3 periods', () => {
    // B: (90 − 100)/100 = −10 % → worsening 10 % > 5 %; A 0 %; C missing at Q4
    const a = run([{ id: 'h', kind: 'deterioration', column: 'h', periods: 3, amount: 5, mode: 'relative', worse: 'down', severity: 'info' }]);
    expect(who(a)).toEqual(['B@2024Q4']);
    expect(a[0].params.change_pct).toBe(-10);
    // the same fall is an improvement for worse: "up"
    expect(run([{ id: 'h', kind: 'deterioration', column: 'h', periods: 3, amount: 5, mode: 'relative', worse: 'up', severity: 'info' }])).toEqual([]);
  });
  it('over 1 period, evaluated at every period', () => {
    // u worse by more than 0.9 in one step: A Q3→Q4 (+3), A Q1→Q2 (+1), A Q2→Q3 (+1)
    const a = run([{ id: 'd1', kind: 'deterioration', column: 'u', periods: 1, amount: 0.9, mode: 'absolute', worse: 'up', severity: 'info' }], ['2024Q2', '2024Q3', '2024Q4']);
    expect(who(a)).toEqual(['A@2024Q2', 'A@2024Q3', 'A@2024Q4']);
  });
});

describe('index rules', () => {
  // Risk index per period (minmax, u up, h down, equal weights):
  // Q3: u 6, 7, 5 → A .5, B 1, C 0; h 100, 96, 102 → down: A 1/3, B 1, C 0 → A 41.7, B 100, C 0
  // Q4: u 9, 7.5, 5 → A 1, B .625, C 0; h 100, 90, — → down: A 0, B 1, C — → A 50, B 81.25, C 0 (C has half the weight)
  it('index jump fires above the threshold only', () => {
    const series = computeRiskSeries(table(), config);
    expect(series[2].riskIndex[0]).toBeCloseTo(125 / 3, 12);
    expect(series[3].riskIndex[0]).toBeCloseTo(50, 12);
    // A: +8.33
    expect(who(evaluateAlerts(table(), config, [{ id: 'j', kind: 'index_jump', points: 8, severity: 'warning' }], { series }))).toEqual(['A@2024Q4']);
    expect(evaluateAlerts(table(), config, [{ id: 'j', kind: 'index_jump', points: 8.5, severity: 'warning' }], { series })).toEqual([]);
  });
  it('tier up fires when the tier rises (A: tier 2 → 3 as 41.7 → 50 hits the cut point)', () => {
    const a = run([{ id: 't', kind: 'tier_up', min_steps: 1, severity: 'warning' }]);
    expect(a).toEqual([
      { area_id: 'A', rule_id: 't', rule_kind: 'tier_up', period: '2024Q4', from_value: 2, to_value: 3, severity: 'warning', message_key: 'alert.tier_up', params: { from: 2, to: 3, from_period: '2024Q3' } },
    ]);
    expect(run([{ id: 't', kind: 'tier_up', min_steps: 2, severity: 'warning' }])).toEqual([]);
  });
});

describe('evaluateAlerts', () => {
  it('sorts by severity, then period, area and rule', () => {
    const a = run([
      { id: 'info', kind: 'deterioration', column: 'u', periods: 1, amount: 0.9, mode: 'absolute', worse: 'up', severity: 'info' },
      { id: 'crit', kind: 'threshold', column: 'u', threshold: 8, crossing: 'above', severity: 'critical' },
    ], ['2024Q2', '2024Q4']);
    expect(a.map((x) => `${x.rule_id}:${x.area_id}@${x.period}`)).toEqual(['crit:A@2024Q4', 'info:A@2024Q2', 'info:A@2024Q4']);
  });
  it('lists one jump once, at the highest severity of the rules it passes', () => {
    // A's index rises 41.67 → 50 (+8.33) at Q4: it passes a 5-point and an 8-point rule.
    const jump = (id: string, points: number, severity: AlertRule['severity']): AlertRule => ({ id, kind: 'index_jump', points, severity });
    const a = run([jump('j5', 5, 'warning'), jump('j8', 8, 'critical'), { id: 't', kind: 'tier_up', min_steps: 1, severity: 'warning' }]);
    // The tier rise (2 → 3) is another event and stays.
    expect(a.map((x) => `${x.rule_id}:${x.severity}:${x.area_id}@${x.period}`)).toEqual(['j8:critical:A@2024Q4', 't:warning:A@2024Q4']);
    expect(a[0].params).toMatchObject({ points: 8 });
    // The more severe rule wins even when it is the less strict one ...
    expect(run([jump('j5', 5, 'critical'), jump('j8', 8, 'warning')]).map((x) => `${x.rule_id}:${x.severity}`)).toEqual(['j5:critical']);
    // ... and among equals the stricter level names the alert.
    expect(run([jump('j8', 8, 'warning'), jump('j5', 5, 'warning')]).map((x) => x.rule_id)).toEqual(['j8']);
    // The same event in two periods is two alerts. Q2: u 5, 7, 5 → A 0; h 100, 98, 101 → down:
    // A 1 − 2/3 → A 16.67, so A jumps +25 at Q3 and +8.33 at Q4; B stays at 100 → 100.
    expect(who(run([jump('j5', 5, 'warning'), jump('j8', 8, 'critical')], ['2024Q3', '2024Q4']))).toEqual(['A@2024Q3', 'A@2024Q4']);
  });
  it('keeps crossings of one indicator in different directions, and of different indicators, apart', () => {
    // A: u 6 → 9 crosses 7 and 8 upwards (one event, the 8 level); B: u 7 → 7.5 crosses 7.2 upwards.
    const up = (id: string, threshold: number): AlertRule => ({ id, kind: 'threshold', column: 'u', threshold, crossing: 'above', severity: 'warning' });
    expect(run([up('u7', 7), up('u8', 8), up('u72', 7.2)]).map((x) => `${x.rule_id}:${x.area_id}`)).toEqual(['u8:A', 'u72:B']);
    const a = run([
      up('u8', 8),
      { id: 'd', kind: 'deterioration', column: 'u', periods: 1, amount: 2, mode: 'absolute', worse: 'up', severity: 'warning' },
    ]);
    expect(a.map((x) => x.rule_id)).toEqual(['u8', 'd']);
  });
  it('uses config.alerts, else the default rule set', () => {
    const defaults = defaultAlertRules(config, 4);
    expect(defaults.map((r) => r.id)).toEqual(['index_jump_10', 'index_jump_20', 'tier_up', 'deteriorate_u', 'deteriorate_h']);
    // 4 periods → deterioration over 1 period; h's default "worse" follows its direction (down)
    expect(defaults[4]).toMatchObject({ periods: 1, worse: 'down', mode: 'relative', amount: 10 });
    // u: A +50 % (6 → 9) fires deteriorate_u; tier_up fires for A; h: B −6.25 % stays under 10 %
    expect(evaluateAlerts(table(), config).map((x) => x.rule_id).sort()).toEqual(['deteriorate_u', 'tier_up']);
    expect(evaluateAlerts(table(), { ...config, alerts: [] })).toEqual([]);
  });
  it('handles a table with one period and rejects an unknown period', () => {
    const t = indicatorTableFromRows([{ area_id: 'A', period: '2024', u: 1, h: 1 }]);
    expect(evaluateAlerts(t, config)).toEqual([]);
    expect(() => evaluateAlerts(t, config, [], { periods: ['2030'] })).toThrow(/Unknown period/);
  });
});
