/**
 * State of the Risk tab (Svelte 5 runes): the index configuration the user edits, the
 * prepared scores from the analysis worker, and everything derived from them — the index
 * for every period, alerts, the change between two periods.
 *
 * Where the work happens, and why: preparing (resolving `d:` indicators, normalising with
 * all three methods) runs in the analysis worker when the indicator set or the data
 * changes (16–35 ms for 12 periods × 500 areas × 10 indicators). Scoring — weights,
 * directions, method, tiers — is ~0.3 ms per period at that size, so it runs here,
 * synchronously, on every slider move, for the periods on screen only (current, previous
 * for the alerts, the comparison period): ~2 ms per move, no round trip between the slider
 * and the map (bench/risk-ui.bench.ts).
 */
import { app } from '../app/app-state.svelte.ts';
import type { Dataset } from '../../pipeline/dataset/dataset.ts';
import { tableFromDataset, defaultIndicators, buildConfig } from './risk-model.ts';
import { defaultPolicy, resizePolicy } from '../../core/credit-policy.ts';
import type { PortfolioOutcome } from '../../pipeline/risk/portfolio.ts';
import { addPortfolioColumns, PORTFOLIO_COLUMNS } from '../../core/portfolio.ts';
import { DEFAULT_TIERS, parseRiskConfig, type IndicatorSpec, type PolicyRow, type RiskConfig } from '../../core/risk-config.ts';
import { isPlainObject } from '../../core/config-issues.ts';
import type { Normalization } from '../../core/normalize.ts';
import { riskChange, scoreRisk, type PreparedRisk, type RiskChange, type RiskResult, type ScoreParams } from '../../core/risk-index.ts';
import { defaultAlertRules, evaluateAlerts, type Alert } from '../../core/early-warning.ts';
import type { AlertRule } from '../../core/alert-rules.ts';
import type { UncertaintyResult } from '../../core/risk-uncertainty.ts';
import type { PcaWeights } from '../../core/weights.ts';
import type { IndicatorTable } from '../../core/indicator-table.ts';

export type RiskMapMode = 'index' | 'tier' | 'change';

/** How the current weights came about, for the note under the sliders. */
export type WeightOrigin =
  | { kind: 'manual' }
  | { kind: 'preset'; id: string }
  | { kind: 'equal' }
  | { kind: 'pca'; pca: PcaWeights; period: string; columns: string[] };

export interface PreparedSeries {
  table: IndicatorTable;
  columnsKey: string;
  series: PreparedRisk[];
}

export const MC_DRAWS = 1000;
export const MC_SEED = 1;
export const MC_CONCENTRATION = 50;

class RiskState {
  // ---- what the user edits (saved in the config) ----
  indicators = $state<IndicatorSpec[]>([]);
  normalization = $state<Normalization>('minmax');
  tiers = $state<number[]>([...DEFAULT_TIERS]);
  policy = $state<PolicyRow[]>(defaultPolicy(DEFAULT_TIERS.length + 1));
  /** null: the default rules for the current indicators (not saved). */
  alertRules = $state<AlertRule[] | null>(null);

  // ---- view ----
  mapMode = $state<RiskMapMode>('index');
  compareFrom = $state('');
  profileOpen = $state(false);
  weightOrigin = $state.raw<WeightOrigin>({ kind: 'manual' });

  // ---- data from the workers ----
  portfolio = $state.raw<PortfolioOutcome | null>(null);
  portfolioFor: Dataset | null = null;
  initializedFor: Dataset | null = null;
  prepared = $state.raw<PreparedSeries | null>(null);
  uncertainty = $state.raw<{ key: string; result: UncertaintyResult } | null>(null);
  /** Shared state (a permalink or snapshot) that arrived before the dataset was ready. */
  pendingShared: unknown = null;

  /** The indicator table with portfolio columns when the customers allow them. */
  readonly table = $derived.by((): IndicatorTable | null => {
    const ds = app.dataset;
    if (!ds) return null;
    const base = tableFromDataset(ds, ds.summary.indicatorColumns);
    const pf = this.portfolio;
    return pf?.status === 'ok' && this.portfolioFor === ds ? addPortfolioColumns(base, pf.rows) : base;
  });

  /** Columns an indicator can use (data columns, then pf_ columns when available). */
  readonly columns = $derived.by((): string[] => {
    const ds = app.dataset;
    if (!ds) return [];
    const pf = this.portfolio?.status === 'ok' && this.portfolioFor === ds ? [...PORTFOLIO_COLUMNS] : [];
    return [...ds.summary.indicatorColumns, ...pf];
  });

  readonly columnsKey = $derived(this.indicators.map((s) => s.column).join('\u0000'));

  readonly periodIndex = $derived.by(() => {
    const ps = app.dataset?.periods ?? [];
    const i = ps.indexOf(app.period);
    return i >= 0 ? i : ps.length - 1;
  });

  /** Plain (unproxied) parameters for scoring and for the worker. */
  readonly params = $derived<ScoreParams>({
    normalization: this.normalization,
    indicators: this.indicators.map((s) => ({ column: s.column, weight: s.weight, direction: s.direction })),
    tiers: [...this.tiers],
  });

  #lastScoring: { prepared: PreparedSeries; params: ScoreParams } | null = null;
  #memo = new WeakMap<object, RiskResult[]>();

  /**
   * Prepared scores and the parameters to score them with. While the worker prepares a new
   * indicator set, the last matching pair stays (each result names its own columns), so the
   * map never blanks.
   */
  readonly scoring = $derived.by((): { prepared: PreparedSeries; params: ScoreParams } | null => {
    const p = this.prepared;
    const params = this.params;
    if (p && p.table === this.table && p.columnsKey === this.columnsKey) this.#lastScoring = { prepared: p, params };
    return this.#lastScoring;
  });

  /**
   * The index at period `i`, scored on first use for the current parameters. A slider move
   * scores only what is on screen — the current period, its predecessor for the alerts, the
   * comparison period — not every period (the profile asks for the rest).
   */
  scoreAt(i: number): RiskResult | null {
    const s = this.scoring;
    if (!s || i < 0 || i >= s.prepared.series.length) return null;
    let done = this.#memo.get(s);
    if (!done) this.#memo.set(s, (done = []));
    return (done[i] ??= scoreRisk(s.prepared.series[i], s.params));
  }

  readonly current = $derived(this.scoreAt(this.periodIndex));

  /** The index for every period (for the profile's time series and reports). */
  readonly series = $derived.by((): RiskResult[] | null => {
    const s = this.scoring;
    return s ? s.prepared.series.map((_, i) => this.scoreAt(i)!) : null;
  });

  /**
   * The rules in force: the user's, else the core's defaults minus trend rules on pf_
   * columns (the portfolio is one snapshot repeated in every period: they never fire).
   */
  readonly rules = $derived<AlertRule[]>(
    this.alertRules ?? defaultAlertRules(this.params, app.dataset?.periods.length ?? 0).filter((r) => !('column' in r) || !r.column.startsWith('pf_')),
  );

  /** Alert rules whose columns the table has (a config may name pf_ columns before the portfolio is in). */
  readonly usableRules = $derived.by((): AlertRule[] => {
    const values = this.table?.values ?? {};
    return this.rules.filter((r) => !('column' in r) || r.column.replace(/^d:(.+):\d+$/, '$1') in values);
  });

  #evaluate(periods: number[], series: RiskResult[]): Alert[] {
    const table = this.table;
    if (!table || periods.length === 0) return [];
    // evaluateAlerts reads the config only for default rules, which are passed explicitly.
    return evaluateAlerts(table, this.params as RiskConfig, this.usableRules, { periods: periods.map((p) => table.periods[p]), series });
  }

  /** Alerts at the current period, severity first. */
  readonly alerts = $derived.by((): Alert[] => {
    const p = this.periodIndex;
    const cur = this.current;
    const prev = this.scoreAt(p - 1);
    if (p < 1 || !cur || !prev) return [];
    const series: RiskResult[] = [];
    series[p - 1] = prev;
    series[p] = cur;
    return this.#evaluate([p], series);
  });

  /** Alerts at every period (each against its predecessors), for an area's history. */
  readonly allAlerts = $derived.by((): Alert[] => {
    const series = this.series;
    if (!series || series.length < 2) return [];
    return this.#evaluate(series.map((_, i) => i).slice(1), series);
  });

  readonly change = $derived.by((): { from: string; to: string; change: RiskChange } | null => {
    const ds = app.dataset;
    const cur = this.current;
    if (!ds || !cur) return null;
    const f = ds.periods.indexOf(this.compareFrom);
    const from = this.scoreAt(f);
    if (!from) return null;
    return { from: ds.periods[f], to: ds.periods[this.periodIndex], change: riskChange(from, cur) };
  });

  /** The config in the `--config` format, period explicit. */
  readonly config = $derived<RiskConfig>(
    buildConfig({
      period: app.dataset?.periods[this.periodIndex] ?? app.period,
      normalization: this.normalization,
      indicators: this.params.indicators,
      tiers: this.tiers,
      policy: this.policy,
      alerts: this.alertRules,
    }),
  );

  /** Identifies the inputs of a Monte Carlo run; a result for other inputs is outdated. */
  readonly uncertaintyKey = $derived(JSON.stringify([this.params, this.periodIndex, this.columns.length, app.dataset?.summary.fingerprint]));

  /** Fresh defaults for a newly loaded dataset. */
  resetFor(ds: Dataset): void {
    this.initializedFor = ds;
    this.indicators = defaultIndicators(ds.summary.indicatorColumns, ds.periods.length);
    this.normalization = 'minmax';
    this.tiers = [...DEFAULT_TIERS];
    this.policy = defaultPolicy(DEFAULT_TIERS.length + 1);
    this.alertRules = null;
    this.compareFrom = ds.periods[Math.max(0, ds.periods.length - 5)] ?? '';
    this.weightOrigin = { kind: 'preset', id: 'design' };
    this.uncertainty = null;
    this.prepared = null;
    this.#lastScoring = null;
    const pending = this.pendingShared;
    this.pendingShared = null;
    if (pending !== null) this.applyShared(pending);
  }

  /** The parameters a permalink or snapshot carries (the config without the period, and the view). */
  shared(): { config: unknown; mode: RiskMapMode; from: string } {
    const { period: _period, ...config } = this.config;
    return { config, mode: this.mapMode, from: this.compareFrom };
  }

  /**
   * Apply shared parameters. The value may come from an edited link: it is validated as a
   * config file is, and rejected whole (with the reasons) when it does not fit the data.
   */
  applyShared(v: unknown): void {
    const ds = app.dataset;
    if (!ds || this.initializedFor !== ds) {
      this.pendingShared = v;
      return;
    }
    if (!isPlainObject(v)) throw new Error('risk: expected an object with "config"');
    const r = parseRiskConfig(v.config, this.columns, ds.periods);
    if (r.errors) throw new Error(`risk: ${r.errors.join('; ')}`);
    const period = app.period;
    this.applyConfig(r.config);
    app.period = period; // the period travels with the app's own state
    if (v.mode === 'index' || v.mode === 'tier' || v.mode === 'change') this.mapMode = v.mode;
    if (typeof v.from === 'string' && ds.periods.includes(v.from)) this.compareFrom = v.from;
  }

  setTiers(tiers: number[]): void {
    this.tiers = tiers;
    this.policy = resizePolicy(this.policy, tiers.length + 1);
  }

  /** Apply a config that `parseRiskConfig` accepted. */
  applyConfig(c: RiskConfig): void {
    this.indicators = c.indicators.map((s) => ({ ...s }));
    this.normalization = c.normalization;
    this.tiers = [...c.tiers];
    this.policy = resizePolicy(c.policy ?? [], c.tiers.length + 1);
    this.alertRules = c.alerts ? c.alerts.map((r) => ({ ...r })) : null;
    if (c.period) app.period = c.period;
    else if (app.dataset) app.period = app.dataset.periods.at(-1) ?? app.period;
    this.weightOrigin = { kind: 'manual' };
  }
}

export const risk = new RiskState();
