/**
 * The risk index configuration (DESIGN.md "Area risk index"): the JSON that the CLI's
 * `--config` reads and the UI saves and loads, plus its validator.
 *
 * ```json
 * { "period": "2025Q4", "normalization": "minmax",
 *   "indicators": [ { "column": "unemployment_rate", "weight": 3, "direction": "up" },
 *                   { "column": "d:house_price_index:4", "weight": 2, "direction": "down" } ],
 *   "tiers": [25, 50, 75],
 *   "policy": [ { "tier": 4, "max_ltv_pct": 50, "spread_bp": 100, "approval_level": "head_office",
 *                 "exposure_cap_cny": 1000000, "review_months": 3, "notes": "" } ],
 *   "alerts": [ { "id": "jump", "kind": "index_jump", "points": 10, "severity": "warning" } ] }
 * ```
 *
 * Defaults where a key is absent: `period` the latest period of the indicators file,
 * `normalization` "minmax", `direction` "up", `weight` 1, `tiers` [25, 50, 75]. `policy`
 * and `alerts` stay absent (the UI then shows the default credit policy of credit-policy.ts,
 * which it fills in for any tier the file leaves out, and uses `defaultAlertRules`).
 * A policy row is checked by `checkPolicy`: its errors (required, ranges) reject the config,
 * its warnings (a riskier tier with laxer terms) do not.
 */
import { checkIndicatorRef, checkUnknownKeys, isPlainObject, IssueList, type ConfigIssue } from './config-issues.ts';
import { parseAlertRules, type AlertRule } from './alert-rules.ts';
import { NORMALIZATIONS, type Normalization } from './normalize.ts';
import { checkPolicy, policyRowFromJson, policyRowToJson, POLICY_KEYS, type PolicyRow } from './credit-policy.ts';

export { NORMALIZATIONS, type Normalization };
export type { ConfigIssue, PolicyRow };
export type Direction = 'up' | 'down';

export interface IndicatorSpec {
  /** A column of the indicators file, or `d:COL:LAG` (change over LAG periods). */
  column: string;
  /** Relative weight ≥ 0; only ratios matter. */
  weight: number;
  /** `up`: a higher value is riskier; `down`: a lower value is riskier (score 1 − s). */
  direction: Direction;
}

export interface RiskConfig {
  /** Period to score; absent = the latest period of the file. */
  period?: string;
  normalization: Normalization;
  indicators: IndicatorSpec[];
  /** Ascending cut points on the 0–100 index; tier = 1 + number of cut points ≤ index. */
  tiers: number[];
  policy?: PolicyRow[];
  alerts?: AlertRule[];
}

export const DEFAULT_TIERS: readonly number[] = [25, 50, 75];

export type ParseResult<T> = { config: T; errors?: undefined; issues?: undefined } | { config?: undefined; errors: string[]; issues: ConfigIssue[] };

const TOP_KEYS = ['period', 'normalization', 'indicators', 'tiers', 'policy', 'alerts'];
const INDICATOR_KEYS = ['column', 'weight', 'direction'];

/**
 * Validate a config read from JSON against the indicators file it will be used with.
 *
 * @param availableColumns numeric indicator columns (plus any `pf_` portfolio columns added)
 * @param periods the file's distinct periods sorted by time
 * @returns `{config}` with defaults filled in, or `{errors, issues}`: every problem found
 *   (not just the first), in English and as i18n keys.
 */
export function parseRiskConfig(json: unknown, availableColumns: readonly string[], periods: readonly string[]): ParseResult<RiskConfig> {
  const out = new IssueList();
  if (!isPlainObject(json)) {
    out.add('risk.config.not_object', {}, 'The risk config must be a JSON object like {"normalization": "minmax", "indicators": [...], "tiers": [25, 50, 75]}');
    return { errors: out.errors, issues: out.issues };
  }
  checkUnknownKeys(json, TOP_KEYS, 'config', out);

  let period: string | undefined;
  if (json.period !== undefined) {
    if (typeof json.period !== 'string') out.add('risk.config.period_type', {}, `"period" must be a string such as "${periods.at(-1) ?? '2025Q4'}"`);
    else if (!periods.includes(json.period.trim())) {
      const range = periods.length ? `${periods[0]} … ${periods.at(-1)}` : 'none';
      out.add('risk.config.unknown_period', { period: json.period, first: periods[0] ?? '', last: periods.at(-1) ?? '' }, `Unknown period '${json.period}': the indicators file has ${range}`);
    } else period = json.period.trim();
  }
  if (periods.length === 0) out.add('risk.config.no_periods', {}, 'The indicators file has no periods: load an indicators file with rows first');
  const periodIndex = period !== undefined ? periods.indexOf(period) : periods.length - 1;

  let normalization: Normalization = 'minmax';
  if (json.normalization !== undefined) {
    if (typeof json.normalization === 'string' && (NORMALIZATIONS as readonly string[]).includes(json.normalization)) normalization = json.normalization as Normalization;
    else out.add('risk.config.bad_normalization', { value: String(json.normalization) }, `"normalization" must be one of minmax, zscore, rank; got ${JSON.stringify(json.normalization)}`);
  }

  const indicators: IndicatorSpec[] = [];
  if (!Array.isArray(json.indicators) || json.indicators.length === 0) {
    out.add('risk.config.no_indicators', {}, '"indicators" must be a non-empty list like [{"column": "unemployment_rate", "weight": 1, "direction": "up"}]');
  } else {
    const seen = new Set<string>();
    json.indicators.forEach((raw: unknown, i: number) => {
      const where = `indicators[${i}]`;
      if (!isPlainObject(raw)) {
        out.add('risk.config.indicator_not_object', { index: i }, `${where} must be an object with "column", "weight" and "direction"`);
        return;
      }
      checkUnknownKeys(raw, INDICATOR_KEYS, where, out);
      const spec = parseIndicatorSpec(raw, where, availableColumns, periods, periodIndex, out);
      if (!spec) return;
      if (seen.has(spec.column)) out.add('risk.config.duplicate_indicator', { index: i, column: spec.column }, `${where}: '${spec.column}' is listed twice; keep one entry and adjust its weight`);
      seen.add(spec.column);
      indicators.push(spec);
    });
    if (indicators.length === json.indicators.length && indicators.every((s) => s.weight === 0)) {
      out.add('risk.config.zero_weights', {}, 'All weights are 0: give at least one indicator a positive weight');
    }
  }

  let tiers = [...DEFAULT_TIERS];
  if (json.tiers !== undefined) {
    if (!Array.isArray(json.tiers) || !json.tiers.every((t) => typeof t === 'number' && Number.isFinite(t))) {
      out.add('risk.config.bad_tiers', {}, '"tiers" must be a list of numbers (cut points on the 0–100 index), e.g. [25, 50, 75]');
    } else {
      const t = json.tiers as number[];
      if (t.some((c, i) => i > 0 && c <= t[i - 1])) out.add('risk.config.tiers_not_increasing', { tiers: t.join(', ') }, `"tiers" cut points must be strictly increasing; got [${t.join(', ')}]`);
      else tiers = [...t];
    }
  }

  let policy: PolicyRow[] | undefined;
  if (json.policy !== undefined) policy = parsePolicy(json.policy, tiers.length + 1, out);

  const config: RiskConfig = { normalization, indicators, tiers };
  if (period !== undefined) config.period = period;
  if (policy) config.policy = policy;
  if (json.alerts !== undefined) {
    const r = parseAlertRules(json.alerts, availableColumns, periods, indicators, out);
    if (r) config.alerts = r;
  }
  return out.ok ? { config } : { errors: out.errors, issues: out.issues };
}

function parseIndicatorSpec(
  raw: Record<string, unknown>,
  where: string,
  availableColumns: readonly string[],
  periods: readonly string[],
  periodIndex: number,
  out: IssueList,
): IndicatorSpec | null {
  if (typeof raw.column !== 'string' || raw.column.trim() === '') {
    out.add('risk.config.missing_column', { where }, `${where}: "column" must name an indicator column, e.g. "unemployment_rate" or "d:house_price_index:4"`);
    return null;
  }
  const column = raw.column.trim();
  let ok = checkIndicatorRef(column, where, availableColumns, periods, periodIndex, out);
  let weight = 1;
  if (raw.weight !== undefined) {
    if (typeof raw.weight !== 'number' || !Number.isFinite(raw.weight)) {
      out.add('risk.config.bad_weight', { where, value: String(raw.weight) }, `${where}: "weight" must be a number ≥ 0; got ${JSON.stringify(raw.weight)}`);
      ok = false;
    } else if (raw.weight < 0) {
      out.add('risk.config.negative_weight', { where, column, value: raw.weight }, `${where} (${column}): weight ${raw.weight} is negative; use a weight ≥ 0 and "direction": "down" to reverse an indicator`);
      ok = false;
    } else weight = raw.weight;
  }
  let direction: Direction = 'up';
  if (raw.direction !== undefined) {
    if (raw.direction === 'up' || raw.direction === 'down') direction = raw.direction;
    else {
      out.add('risk.config.bad_direction', { where, value: String(raw.direction) }, `${where}: "direction" must be "up" (higher is riskier) or "down" (lower is riskier); got ${JSON.stringify(raw.direction)}`);
      ok = false;
    }
  }
  return ok ? { column, weight, direction } : null;
}

function parsePolicy(raw: unknown, tierCount: number, out: IssueList): PolicyRow[] | undefined {
  if (!Array.isArray(raw)) {
    out.add('risk.config.bad_policy', {}, '"policy" must be a list of rows like {"tier": 1, "max_ltv_pct": 80, "spread_bp": 0, "approval_level": "sub_branch", "exposure_cap_cny": 5000000, "review_months": 12, "notes": ""}');
    return undefined;
  }
  const rows: PolicyRow[] = [];
  const seen = new Set<number>();
  raw.forEach((r: unknown, i: number) => {
    const where = `policy[${i}]`;
    if (!isPlainObject(r)) {
      out.add('risk.config.policy_not_object', { index: i }, `${where} must be an object with "tier" and the policy fields`);
      return;
    }
    checkUnknownKeys(r, POLICY_KEYS, where, out);
    if (typeof r.tier !== 'number' || !Number.isInteger(r.tier) || r.tier < 1 || r.tier > tierCount) {
      out.add('risk.config.bad_policy_tier', { where, value: String(r.tier), max: tierCount }, `${where}: "tier" must be a whole number from 1 to ${tierCount} (the config has ${tierCount} tiers); got ${JSON.stringify(r.tier)}`);
      return;
    }
    if (seen.has(r.tier)) out.add('risk.config.duplicate_policy_tier', { where, tier: r.tier }, `${where}: tier ${r.tier} already has a policy row`);
    seen.add(r.tier);
    rows.push(policyRowFromJson(r, r.tier, where, out));
  });
  // Errors reject the config; warnings (laxer terms in a riskier tier) are the UI's to show.
  for (const issue of checkPolicy(rows)) if (issue.severity === 'error') out.add(issue.key, issue.params, `policy: ${issue.english}`);
  return rows.sort((a, b) => a.tier - b.tier);
}

/** The config as JSON text in the `--config` format (keys in DESIGN.md order, 2-space indent). */
export function serializeRiskConfig(config: RiskConfig): string {
  const o: Record<string, unknown> = {};
  if (config.period !== undefined) o.period = config.period;
  o.normalization = config.normalization;
  o.indicators = config.indicators.map((s) => ({ column: s.column, weight: s.weight, direction: s.direction }));
  o.tiers = config.tiers;
  if (config.policy) o.policy = config.policy.map(policyRowToJson);
  if (config.alerts) o.alerts = config.alerts;
  return JSON.stringify(o, null, 2) + '\n';
}
