import { describe, expect, it } from 'vitest';
import { parseRiskConfig, serializeRiskConfig } from './risk-config.ts';
import { defaultPolicy } from './credit-policy.ts';

const columns = ['unemployment_rate', 'house_price_index', 'income', 'population'];
const periods = ['2024Q4', '2025Q1', '2025Q2', '2025Q3', '2025Q4'];

const design = {
  period: '2025Q4',
  normalization: 'minmax',
  indicators: [
    { column: 'unemployment_rate', weight: 3, direction: 'up' },
    { column: 'd:house_price_index:4', weight: 2, direction: 'down' },
  ],
  tiers: [25, 50, 75],
};

function errorsOf(json: unknown): string[] {
  const r = parseRiskConfig(json, columns, periods);
  expect(r.config).toBeUndefined();
  return r.errors ?? [];
}

describe('parseRiskConfig', () => {
  it('accepts the DESIGN.md example unchanged', () => {
    expect(parseRiskConfig(design, columns, periods)).toEqual({ config: design });
  });

  it('fills defaults: latest period (left absent), minmax, weight 1, up, tiers 25/50/75', () => {
    const r = parseRiskConfig({ indicators: [{ column: 'income' }] }, columns, periods);
    expect(r.config).toEqual({ normalization: 'minmax', indicators: [{ column: 'income', weight: 1, direction: 'up' }], tiers: [25, 50, 75] });
  });

  it('round-trips through serializeRiskConfig, policy table included', () => {
    const policy = defaultPolicy(4).map((r) => (r.tier === 2 ? { ...r, notes: 'no new 经营贷, "A" only' } : r));
    const cfg = parseRiskConfig({ ...design, policy }, columns, periods).config!;
    expect(cfg.policy).toEqual(policy);
    const text = serializeRiskConfig(cfg);
    expect(parseRiskConfig(JSON.parse(text), columns, periods).config).toEqual(cfg);
    expect(Object.keys(JSON.parse(text).policy[0])).toEqual(['tier', 'max_ltv_pct', 'spread_bp', 'approval_level', 'exposure_cap_cny', 'review_months', 'notes']);
  });

  it('reads the first policy format (text cells) into numbers', () => {
    const row = { tier: 2, ltv_cap: '70%', pricing_addon_bp: '+25', approval_level: 'branch', exposure_cap_cny: 3e6, review_months: 12, note: 'legacy' };
    expect(parseRiskConfig({ ...design, policy: [row] }, columns, periods).config?.policy).toEqual([
      { tier: 2, max_ltv_pct: 70, spread_bp: 25, approval_level: 'branch', exposure_cap_cny: 3e6, review_months: 12, notes: 'legacy' },
    ]);
  });

  it('rejects a policy row with missing, out-of-range or mistyped cells, naming tier and field', () => {
    const [ok] = defaultPolicy(4);
    const errs = errorsOf({ ...design, policy: [{ ...ok, max_ltv_pct: 120, spread_bp: '20', review_months: 2.5, approval_level: 'board', exposure_cap_cny: undefined }] });
    expect(errs).toEqual([
      'policy[0]: "spread_bp" must be a number; got "20"',
      'policy: Tier 1, max LTV %: 120 is outside 0…100',
      'policy: Tier 1, pricing spread (bp): required',
      'policy: Tier 1, exposure cap (CNY): required',
      'policy: Tier 1, review frequency (months): 2.5 must be a whole number',
      "policy: Tier 1, approval level: 'board' is not one of sub_branch, branch, branch_committee, head_office",
    ]);
  });

  it('accepts a policy whose riskier tier has laxer terms (a warning, not an error)', () => {
    const p = defaultPolicy(4).map((r) => (r.tier === 4 ? { ...r, max_ltv_pct: 75 } : r));
    expect(parseRiskConfig({ ...design, policy: p }, columns, periods).config?.policy?.[3].max_ltv_pct).toBe(75);
  });

  it('names an unknown column with a hint', () => {
    const [e] = errorsOf({ indicators: [{ column: 'unemployment_rat', weight: 1 }] });
    expect(e).toMatch(/indicators\[0\]: unknown indicator column 'unemployment_rat' \(did you mean 'unemployment_rate'\?\)/);
  });

  it('rejects a negative weight and says what to do instead', () => {
    expect(errorsOf({ indicators: [{ column: 'income', weight: -1 }] })[0]).toMatch(/weight -1 is negative.*direction": "down"/);
  });

  it('rejects malformed d: references', () => {
    for (const column of ['d:income', 'd:income:0', 'd:income:x', 'd::2', 'd:income:1.5']) {
      expect(errorsOf({ indicators: [{ column }] })[0]).toMatch(/not a valid change indicator; write d:COLUMN:LAG/);
    }
    expect(errorsOf({ indicators: [{ column: 'd:incom:1' }] })[0]).toMatch(/unknown indicator column 'incom'/);
  });

  it('rejects a lag longer than the periods before the scored period', () => {
    // 2025Q2 is position 2: two earlier periods
    expect(errorsOf({ period: '2025Q2', indicators: [{ column: 'd:income:3' }] })[0]).toMatch(/needs 3 earlier period\(s\) before 2025Q2, but the file has only 2/);
    expect(parseRiskConfig({ period: '2025Q2', indicators: [{ column: 'd:income:2' }] }, columns, periods).config).toBeDefined();
  });

  it('rejects an unknown period, naming the file range', () => {
    expect(errorsOf({ period: '2026Q1', indicators: [{ column: 'income' }] })[0]).toBe("Unknown period '2026Q1': the indicators file has 2024Q4 … 2025Q4");
  });

  it('reports every problem at once, also as i18n keys', () => {
    const r = parseRiskConfig(
      { normalisation: 'rank', normalization: 'l2', indicators: [{ column: 'income', weight: 'x' }, { column: 'income', direction: 'sideways' }], tiers: [50, 25] },
      columns,
      periods,
    );
    expect(r.issues?.map((i) => i.key)).toEqual([
      'risk.config.unknown_key',
      'risk.config.bad_normalization',
      'risk.config.bad_weight',
      'risk.config.bad_direction',
      'risk.config.tiers_not_increasing',
    ]);
    expect(r.errors?.[0]).toMatch(/unknown key 'normalisation' \(did you mean 'normalization'\?\)/);
  });

  it('rejects duplicates, all-zero weights, an empty list and non-objects', () => {
    expect(errorsOf({ indicators: [{ column: 'income' }, { column: 'income' }] })[0]).toMatch(/listed twice/);
    expect(errorsOf({ indicators: [{ column: 'income', weight: 0 }] })[0]).toMatch(/All weights are 0/);
    expect(errorsOf({ indicators: [] })[0]).toMatch(/non-empty list/);
    expect(errorsOf([])[0]).toMatch(/must be a JSON object/);
    expect(errorsOf(null)[0]).toMatch(/must be a JSON object/);
  });

  it('validates the policy table against the number of tiers', () => {
    const [row] = defaultPolicy(2);
    expect(errorsOf({ indicators: [{ column: 'income' }], tiers: [50], policy: [{ ...row, tier: 3 }] })[0]).toMatch(/"tier" must be a whole number from 1 to 2/);
    expect(errorsOf({ indicators: [{ column: 'income' }], policy: [row, row] })[0]).toMatch(/tier 1 already has a policy row/);
  });

  it('validates alert rules and fills their defaults', () => {
    const r = parseRiskConfig(
      {
        indicators: [{ column: 'house_price_index', direction: 'down' }],
        alerts: [
          { kind: 'deterioration', column: 'house_price_index', amount: 5, mode: 'relative', periods: 4 },
          { id: 'u8', kind: 'threshold', column: 'unemployment_rate', threshold: 8, severity: 'critical' },
          { kind: 'index_jump', points: 10 },
          { kind: 'tier_up' },
        ],
      },
      columns,
      periods,
    );
    expect(r.config?.alerts).toEqual([
      { id: 'deterioration_1', severity: 'warning', kind: 'deterioration', column: 'house_price_index', periods: 4, amount: 5, mode: 'relative', worse: 'down' },
      { id: 'u8', severity: 'critical', kind: 'threshold', column: 'unemployment_rate', threshold: 8, crossing: 'above' },
      { id: 'index_jump_3', severity: 'warning', kind: 'index_jump', points: 10 },
      { id: 'tier_up_4', severity: 'warning', kind: 'tier_up', min_steps: 1 },
    ]);
    const bad = parseRiskConfig(
      { indicators: [{ column: 'income' }], alerts: [{ kind: 'spike' }, { id: 'x', kind: 'index_jump' }, { id: 'x', kind: 'threshold', column: 'nope', threshold: 1 }] },
      columns,
      periods,
    );
    expect(bad.errors).toEqual([
      'alerts[0]: "kind" must be one of threshold, deterioration, index_jump, tier_up; got "spike"',
      'alerts[1]: "points" must be a number of index points ≥ 0; got undefined',
      "alerts[2]: rule id 'x' is used twice",
      "alerts[2]: unknown indicator column 'nope'; the indicators file has unemployment_rate, house_price_index, income, population",
    ]);
  });
});
