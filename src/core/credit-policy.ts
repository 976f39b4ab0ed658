/**
 * The credit-policy table of the risk config: one row per risk tier (tier 1 = lowest risk),
 * the terms a retail lender applies to new lending in areas of that tier.
 *
 * | field | unit | range (error outside) | across tiers (warning when broken) |
 * |---|---|---|---|
 * | `max_ltv_pct` | % of appraised collateral value | 0–100 | non-increasing |
 * | `spread_bp` | basis points over the LPR | −500…1,500 | non-decreasing |
 * | `approval_level` | one of APPROVAL_LEVELS, lowest authority first | required | non-decreasing |
 * | `exposure_cap_cny` | CNY, total exposure to one borrower | > 0, ≤ 10¹⁰ | non-increasing |
 * | `review_months` | months between reviews, whole | 1–60 | non-increasing |
 * | `notes` | free text | ≤ 500 characters, optional | — |
 *
 * Every numeric field and the approval level are required. A riskier tier normally gets the
 * same or stricter terms; a table that breaks this is allowed (a bank may mean it — e.g. a
 * product cap) but each break is a warning naming both tiers. An LTV above 85 % is also a
 * warning: since May 2024 the minimum down payment for a first home in China is 15 %.
 *
 * Defaults (DEFAULT_POLICY_4) are those of a mid-sized Chinese retail bank's area overlay:
 * 80/70/60/50 % LTV, LPR +0/+20/+50/+100 bp, sub-branch → branch → branch credit committee
 * → head-office approval, 500/300/200/100 万元 per borrower, yearly → quarterly review.
 * Other tier counts interpolate between the first and last of these.
 */
import type { IssueList } from './config-issues.ts';

/** Approval authorities, lowest first: 支行, 分行, 分行贷审会, 总行. */
export const APPROVAL_LEVELS = ['sub_branch', 'branch', 'branch_committee', 'head_office'] as const;
export type ApprovalLevel = (typeof APPROVAL_LEVELS)[number];

export interface PolicyRow {
  tier: number;
  /** Maximum loan-to-value, % of the collateral's appraised value (NaN while empty in the editor). */
  max_ltv_pct: number;
  /** Pricing spread over the Loan Prime Rate, basis points. */
  spread_bp: number;
  /** Lowest authority that may approve; '' while not chosen. */
  approval_level: ApprovalLevel | '';
  /** Cap on the total exposure to one borrower, CNY. */
  exposure_cap_cny: number;
  /** Months between credit reviews of the exposures. */
  review_months: number;
  notes: string;
}

export const POLICY_FIELDS = ['max_ltv_pct', 'spread_bp', 'approval_level', 'exposure_cap_cny', 'review_months', 'notes'] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];
type NumericField = 'max_ltv_pct' | 'spread_bp' | 'exposure_cap_cny' | 'review_months';

/** Inclusive ranges; `integer` where only whole numbers make sense. */
export const POLICY_RANGES: Record<NumericField, { min: number; max: number; integer: boolean; minExclusive?: boolean }> = {
  max_ltv_pct: { min: 0, max: 100, integer: false },
  spread_bp: { min: -500, max: 1500, integer: false },
  exposure_cap_cny: { min: 0, max: 1e10, integer: false, minExclusive: true },
  review_months: { min: 1, max: 60, integer: true },
};

export const NOTES_MAX = 500;
/** A first home needs at least 15 % down (PBoC/NFRA, May 2024): LTV above this is a warning. */
export const LTV_WARN_PCT = 85;

/** The four-tier default (tiers 25/50/75). */
export const DEFAULT_POLICY_4: readonly Omit<PolicyRow, 'tier'>[] = [
  { max_ltv_pct: 80, spread_bp: 0, approval_level: 'sub_branch', exposure_cap_cny: 5_000_000, review_months: 12, notes: '' },
  { max_ltv_pct: 70, spread_bp: 20, approval_level: 'branch', exposure_cap_cny: 3_000_000, review_months: 12, notes: '' },
  { max_ltv_pct: 60, spread_bp: 50, approval_level: 'branch_committee', exposure_cap_cny: 2_000_000, review_months: 6, notes: '' },
  { max_ltv_pct: 50, spread_bp: 100, approval_level: 'head_office', exposure_cap_cny: 1_000_000, review_months: 3, notes: '' },
];

const REVIEW_STEPS = [12, 6, 3, 1];

/**
 * The default row of `tier` among `tierCount` tiers: the four-tier table itself for 4 tiers,
 * else a linear interpolation along it (LTV and spread rounded to 5, the cap to 100,000 CNY,
 * review and approval to the nearest default step), so every default table is monotonic.
 */
export function defaultPolicyRow(tier: number, tierCount: number): PolicyRow {
  const pos = tierCount > 1 ? ((tier - 1) / (tierCount - 1)) * 3 : 0;
  const lo = Math.floor(pos), hi = Math.min(3, lo + 1), f = pos - lo;
  const lerp = (k: NumericField) => DEFAULT_POLICY_4[lo][k] + f * (DEFAULT_POLICY_4[hi][k] - DEFAULT_POLICY_4[lo][k]);
  const round = (x: number, step: number) => Math.round(x / step) * step;
  const near = DEFAULT_POLICY_4[Math.round(pos)];
  return {
    tier,
    max_ltv_pct: round(lerp('max_ltv_pct'), 5),
    spread_bp: round(lerp('spread_bp'), 5),
    approval_level: near.approval_level,
    exposure_cap_cny: round(lerp('exposure_cap_cny'), 100_000),
    review_months: REVIEW_STEPS.reduce((best, m) => (Math.abs(m - lerp('review_months')) < Math.abs(best - lerp('review_months')) ? m : best)),
    notes: '',
  };
}

/** The default table for `tierCount` tiers. */
export function defaultPolicy(tierCount: number): PolicyRow[] {
  return Array.from({ length: tierCount }, (_, i) => defaultPolicyRow(i + 1, tierCount));
}

/** One row per tier 1..tierCount: rows of tiers that still exist are kept, new tiers get defaults. */
export function resizePolicy(policy: readonly PolicyRow[], tierCount: number): PolicyRow[] {
  const byTier = new Map(policy.map((r) => [r.tier, r]));
  return Array.from({ length: tierCount }, (_, i) => ({ ...(byTier.get(i + 1) ?? defaultPolicyRow(i + 1, tierCount)) }));
}

export interface PolicyIssue {
  severity: 'error' | 'warning';
  tier: number;
  field: PolicyField;
  /** i18n key and parameters; `english` for the CLI and tests. */
  key: string;
  params: Record<string, string | number>;
  english: string;
}

const FIELD_EN: Record<PolicyField, string> = {
  max_ltv_pct: 'max LTV %',
  spread_bp: 'pricing spread (bp)',
  approval_level: 'approval level',
  exposure_cap_cny: 'exposure cap (CNY)',
  review_months: 'review frequency (months)',
  notes: 'notes',
};

/** Direction a field must keep as the tier rises: −1 non-increasing, +1 non-decreasing. */
const MONOTONIC: ReadonlyArray<[Exclude<PolicyField, 'notes'>, 1 | -1]> = [
  ['max_ltv_pct', -1],
  ['spread_bp', 1],
  ['approval_level', 1],
  ['exposure_cap_cny', -1],
  ['review_months', -1],
];

const rank = (r: PolicyRow, f: Exclude<PolicyField, 'notes'>): number =>
  f === 'approval_level' ? (r.approval_level === '' ? NaN : APPROVAL_LEVELS.indexOf(r.approval_level)) : r[f];

/**
 * Every problem of a policy table: errors (required, range, whole number, unknown level) and
 * warnings (a riskier tier with laxer terms than the tier below it; LTV above 85 %). Rows are
 * read in tier order; the monotonic check compares neighbouring tiers that both have a valid value.
 */
export function checkPolicy(policy: readonly PolicyRow[]): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  const rows = [...policy].sort((a, b) => a.tier - b.tier);
  const bad = new Set<string>();
  const err = (r: PolicyRow, field: PolicyField, key: string, params: Record<string, string | number>, english: string) => {
    bad.add(`${r.tier}:${field}`);
    out.push({ severity: 'error', tier: r.tier, field, key: `risk.policy.err.${key}`, params: { tier: r.tier, field, ...params }, english: `Tier ${r.tier}, ${FIELD_EN[field]}: ${english}` });
  };
  for (const r of rows) {
    for (const f of Object.keys(POLICY_RANGES) as NumericField[]) {
      const v = r[f];
      const { min, max, integer, minExclusive } = POLICY_RANGES[f];
      if (typeof v !== 'number' || Number.isNaN(v)) err(r, f, 'required', {}, 'required');
      else if (!Number.isFinite(v) || (minExclusive ? v <= min : v < min) || v > max) {
        err(r, f, minExclusive ? 'rangeAbove' : 'range', { min, max, value: v }, minExclusive ? `${v} must be above ${min} and at most ${max}` : `${v} is outside ${min}…${max}`);
      } else if (integer && !Number.isInteger(v)) err(r, f, 'integer', { value: v }, `${v} must be a whole number`);
    }
    if (r.approval_level === '') err(r, 'approval_level', 'required', {}, 'required');
    else if (!APPROVAL_LEVELS.includes(r.approval_level)) err(r, 'approval_level', 'level', { value: String(r.approval_level) }, `'${r.approval_level}' is not one of ${APPROVAL_LEVELS.join(', ')}`);
    if (typeof r.notes !== 'string') err(r, 'notes', 'text', {}, 'must be text');
    else if (r.notes.length > NOTES_MAX) err(r, 'notes', 'long', { max: NOTES_MAX }, `longer than ${NOTES_MAX} characters`);
    if (!bad.has(`${r.tier}:max_ltv_pct`) && r.max_ltv_pct > LTV_WARN_PCT) {
      out.push({ severity: 'warning', tier: r.tier, field: 'max_ltv_pct', key: 'risk.policy.warn.ltvHigh', params: { tier: r.tier, value: r.max_ltv_pct, limit: LTV_WARN_PCT }, english: `Tier ${r.tier}: max LTV ${r.max_ltv_pct} % is above ${LTV_WARN_PCT} %, the most a first-home mortgage may lend in China (15 % minimum down payment)` });
    }
  }
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1], b = rows[i];
    for (const [f, dir] of MONOTONIC) {
      if (bad.has(`${a.tier}:${f}`) || bad.has(`${b.tier}:${f}`)) continue;
      const x = rank(a, f), y = rank(b, f);
      if (!Number.isFinite(x) || !Number.isFinite(y) || (y - x) * dir >= 0) continue;
      out.push({
        severity: 'warning', tier: b.tier, field: f, key: `risk.policy.warn.${f}`, params: { tier: b.tier, prev: a.tier },
        english: `Tier ${b.tier} has laxer ${FIELD_EN[f]} than tier ${a.tier}: a riskier tier normally gets the same or ${dir < 0 ? 'a lower' : 'a higher'} value`,
      });
    }
  }
  return out;
}

const LEGACY: Record<string, NumericField | 'notes'> = { ltv_cap: 'max_ltv_pct', pricing_addon_bp: 'spread_bp', note: 'notes' };
export const POLICY_KEYS = ['tier', ...POLICY_FIELDS, ...Object.keys(LEGACY)];

/** "70%", "+25", " 60 " → number; anything else NaN. For the first config format's text cells. */
function legacyNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN;
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*(?:%|bp)?\s*$/i.exec(v);
  return m ? Number(m[1]) : NaN;
}

/**
 * One policy row from config JSON (its tier already checked). Fields keep their JSON value
 * when it has the right type; a missing or mistyped one becomes NaN / '' and `checkPolicy`
 * reports it. The first format's keys (`ltv_cap` "70%", `pricing_addon_bp` "+25", `note`)
 * are read too, so configs saved before the table had numbers still load.
 */
export function policyRowFromJson(r: Record<string, unknown>, tier: number, where: string, out: IssueList): PolicyRow {
  const row: PolicyRow = { tier, max_ltv_pct: NaN, spread_bp: NaN, approval_level: '', exposure_cap_cny: NaN, review_months: NaN, notes: '' };
  for (const [old, now] of Object.entries(LEGACY)) {
    if (r[old] === undefined || r[now] !== undefined) continue;
    if (now === 'notes') row.notes = typeof r[old] === 'string' ? r[old] : String(r[old]);
    else row[now] = legacyNumber(r[old]);
  }
  for (const f of ['max_ltv_pct', 'spread_bp', 'exposure_cap_cny', 'review_months'] as const) {
    const v = r[f];
    if (v === undefined || v === null) continue;
    if (typeof v === 'number') row[f] = v;
    else out.add('risk.config.policy_not_number', { where, key: f, value: JSON.stringify(v) }, `${where}: "${f}" must be a number; got ${JSON.stringify(v)}`);
  }
  if (typeof r.approval_level === 'string') row.approval_level = r.approval_level as ApprovalLevel;
  else if (r.approval_level !== undefined && r.approval_level !== null) out.add('risk.config.policy_not_text', { where, key: 'approval_level' }, `${where}: "approval_level" must be text`);
  if (typeof r.notes === 'string') row.notes = r.notes;
  else if (r.notes !== undefined && r.notes !== null) out.add('risk.config.policy_not_text', { where, key: 'notes' }, `${where}: "notes" must be text`);
  return row;
}

/** A row as it goes into the config file: fields in table order. */
export function policyRowToJson(r: PolicyRow): Record<string, unknown> {
  return { tier: r.tier, max_ltv_pct: r.max_ltv_pct, spread_bp: r.spread_bp, approval_level: r.approval_level, exposure_cap_cny: r.exposure_cap_cny, review_months: r.review_months, notes: r.notes };
}
