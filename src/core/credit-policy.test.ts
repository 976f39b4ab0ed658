import { describe, expect, it } from 'vitest';
import { checkPolicy, DEFAULT_POLICY_4, defaultPolicy, defaultPolicyRow, resizePolicy, type PolicyRow } from './credit-policy.ts';

const keys = (p: readonly PolicyRow[]) => checkPolicy(p).map((i) => `${i.severity}:${i.tier}:${i.field}:${i.key.split('.').at(-1)}`);

describe('default credit policy', () => {
  it('is the four-tier table for 4 tiers, valid and without warnings', () => {
    expect(defaultPolicy(4)).toEqual(DEFAULT_POLICY_4.map((r, i) => ({ tier: i + 1, ...r })));
    expect(checkPolicy(defaultPolicy(4))).toEqual([]);
  });

  it('interpolates other tier counts monotonically, same ends', () => {
    for (const n of [1, 2, 3, 5, 6, 8]) {
      const p = defaultPolicy(n);
      expect(p.map((r) => r.tier)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(checkPolicy(p), `tiers ${n}`).toEqual([]);
      expect(p[0].max_ltv_pct).toBe(80);
      if (n > 1) expect(p[n - 1]).toEqual({ ...DEFAULT_POLICY_4[3], tier: n });
    }
    // 3 tiers: the middle one sits halfway along the 4-tier table (position 1.5).
    expect(defaultPolicyRow(2, 3)).toEqual({ tier: 2, max_ltv_pct: 65, spread_bp: 35, approval_level: 'branch_committee', exposure_cap_cny: 2_500_000, review_months: 12, notes: '' });
  });

  it('resizes to a new tier count, keeping edited rows and filling new tiers with defaults', () => {
    const edited = defaultPolicy(4).map((r) => (r.tier === 2 ? { ...r, notes: 'kept' } : r));
    const five = resizePolicy(edited, 5);
    expect(five[1].notes).toBe('kept');
    expect(five[4]).toEqual(defaultPolicyRow(5, 5));
    expect(resizePolicy(edited, 3).map((r) => r.tier)).toEqual([1, 2, 3]);
  });
});

describe('checkPolicy', () => {
  it('flags empty and out-of-range cells as errors, with the range', () => {
    const p = defaultPolicy(4);
    p[0] = { ...p[0], max_ltv_pct: NaN, spread_bp: 1600, approval_level: '', exposure_cap_cny: 0, review_months: 0.5 };
    expect(keys(p)).toEqual([
      'error:1:max_ltv_pct:required',
      'error:1:spread_bp:range',
      'error:1:exposure_cap_cny:rangeAbove',
      'error:1:review_months:range',
      'error:1:approval_level:required',
    ]);
    const [range] = checkPolicy(p).filter((i) => i.field === 'spread_bp');
    expect(range.params).toEqual({ tier: 1, field: 'spread_bp', min: -500, max: 1500, value: 1600 });
    expect(range.english).toBe('Tier 1, pricing spread (bp): 1600 is outside -500…1500');
  });

  it('accepts the range ends and a negative spread', () => {
    const p = defaultPolicy(1);
    p[0] = { ...p[0], max_ltv_pct: 0, spread_bp: -500, review_months: 60, exposure_cap_cny: 1 };
    expect(checkPolicy(p)).toEqual([]);
  });

  it('warns, naming both tiers, when a riskier tier has laxer terms', () => {
    const p = defaultPolicy(4);
    p[2] = { ...p[2], max_ltv_pct: 75, spread_bp: 10, approval_level: 'sub_branch', exposure_cap_cny: 4e6, review_months: 24 };
    // tier 3 against tier 2 (laxer on all five) and tier 4 against tier 3 (stricter: fine)
    expect(keys(p)).toEqual([
      'warning:3:max_ltv_pct:max_ltv_pct',
      'warning:3:spread_bp:spread_bp',
      'warning:3:approval_level:approval_level',
      'warning:3:exposure_cap_cny:exposure_cap_cny',
      'warning:3:review_months:review_months',
    ]);
    expect(checkPolicy(p)[0].params).toEqual({ tier: 3, prev: 2 });
  });

  it('equal terms in neighbouring tiers are fine; an invalid cell is not compared', () => {
    const p = defaultPolicy(4).map((r) => ({ ...r, max_ltv_pct: 60 }));
    expect(checkPolicy(p)).toEqual([]);
    p[1] = { ...p[1], spread_bp: NaN };
    expect(keys(p)).toEqual(['error:2:spread_bp:required']);
  });

  it('warns above 85 % LTV (China first-home minimum down payment 15 %), not at 85', () => {
    const p = defaultPolicy(4);
    p[0] = { ...p[0], max_ltv_pct: 85 };
    expect(checkPolicy(p)).toEqual([]);
    p[0] = { ...p[0], max_ltv_pct: 90 };
    expect(keys(p)).toEqual(['warning:1:max_ltv_pct:ltvHigh']);
  });

  it('checks rows in tier order whatever order they come in', () => {
    const p = defaultPolicy(3).reverse();
    expect(checkPolicy(p)).toEqual([]);
  });
});
