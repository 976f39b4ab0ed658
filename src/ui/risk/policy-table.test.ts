import { describe, expect, it } from 'vitest';
import { policyCsv, policyReportTable, tierRange } from './policy-table.ts';
import { defaultPolicy } from '../../core/credit-policy.ts';

describe('credit-policy table as export data', () => {
  const policy = defaultPolicy(4).map((r) => (r.tier === 4 ? { ...r, notes: '=new lending by exception, "A" only' } : r));

  it('writes the CSV through the shared encoder: BOM, numbers as numbers, index bounds, formula-guarded notes', () => {
    const lines = policyCsv(policy, [25, 50, 75], [3, 5, 4, 4]).split('\n');
    expect(lines[0]).toBe('\uFEFFtier,index_from,index_to,areas,max_ltv_pct,spread_bp,approval_level,approval_level_label,exposure_cap_cny,review_months,notes');
    expect(lines[1]).toBe('1,0,25,3,80,0,sub_branch,Sub-branch,5000000,12,');
    expect(lines[4]).toBe(`4,75,100,4,50,100,head_office,Head office,1000000,3,"'=new lending by exception, ""A"" only"`);
    expect(lines).toHaveLength(6); // header, 4 rows, trailing newline
  });

  it('gives the report plain formatted text: cap in 万元, signed spread, level label', () => {
    const t = policyReportTable(policy, [25, 50, 75], [3, 5, 4, 4]);
    expect(t.columns).toEqual(['Tier (index range)', 'Max LTV (%)', 'Spread over LPR (bp)', 'Approval level', 'Exposure cap per borrower (CNY 10k)', 'Review every (months)', 'Notes', 'Areas']);
    expect(t.rows[0]).toEqual(['Tier 1 (< 25)', '80', '0', 'Sub-branch', '500', '12', '—', '3']);
    expect(t.rows[2]).toEqual(['Tier 3 (50 – 75)', '60', '+50', 'Branch credit committee', '200', '6', '—', '4']);
    expect(t.rows[3][6]).toBe('=new lending by exception, "A" only');
  });

  it('names tier ranges with open ends', () => {
    expect([0, 1, 2].map((i) => tierRange(i, [30, 60]))).toEqual(['< 30', '30 – 60', '≥ 60']);
  });
});
