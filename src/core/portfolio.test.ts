import { describe, expect, it } from 'vitest';
import { indicatorTableFromRows } from './indicator-table.ts';
import { addPortfolioColumns, computePortfolio, PORTFOLIO_COLUMNS, type PortfolioRow } from './portfolio.ts';
import { computeRiskIndex } from './risk-index.ts';
import { PORTFOLIO_CUSTOMERS, PORTFOLIO_POPULATION } from '../../test/fixtures/portfolio.ts';

/** The hand-computed case: see test/fixtures/portfolio.ts. */
const customers = PORTFOLIO_CUSTOMERS;
const population = PORTFOLIO_POPULATION;

describe('computePortfolio', () => {
  it('hand-computed per area', () => {
    const [x, y, z] = computePortfolio(customers, population, ['Z']);
    // X: borrowers c1, c3 → NPL 1/2; balance (100 + 300)/2; 2 loans / 3 customers; 1500/3; 1000·3/2000; digital 2/3
    expect(x).toEqual({
      area_id: 'X', pf_customers: 3, pf_npl_rate: 0.5, pf_avg_balance: 200, pf_loans_per_customer: 2 / 3,
      pf_loan_balance_per_customer: 500, pf_customers_per_1000: 1.5, pf_digital_share: 2 / 3,
    });
    // Y: no borrower → NPL empty; 1000·1/400
    expect(y).toMatchObject({ area_id: 'Y', pf_customers: 1, pf_npl_rate: NaN, pf_loans_per_customer: 0, pf_customers_per_1000: 2.5, pf_digital_share: NaN });
    // Z: no customers
    expect(z).toMatchObject({ area_id: 'Z', pf_customers: 0, pf_npl_rate: NaN, pf_avg_balance: NaN, pf_loans_per_customer: NaN, pf_customers_per_1000: 0 });
  });

  it('without loan_balance every customer counts as a borrower for the NPL rate', () => {
    const noLoans = customers.map(({ loan_balance: _, ...c }) => c);
    const [x, y] = computePortfolio(noLoans, population);
    expect(x.pf_npl_rate).toBeCloseTo(1 / 3, 15);
    expect(y.pf_npl_rate).toBe(1);
    expect(x.pf_loans_per_customer).toBeNaN();
  });

  it('handles no customers at all', () => {
    expect(computePortfolio([], population)).toEqual([]);
  });
});

describe('addPortfolioColumns', () => {
  const table = indicatorTableFromRows([
    { area_id: 'X', period: '2024', u: 1 },
    { area_id: 'Y', period: '2024', u: 2 },
    { area_id: 'X', period: '2025', u: 3 },
    { area_id: 'Y', period: '2025', u: 1 },
  ]);
  const rows: PortfolioRow[] = computePortfolio(customers, population);

  it('repeats the snapshot in every period by default; "latest" only in the last', () => {
    const t = addPortfolioColumns(table, rows);
    expect(Object.keys(t.values)).toEqual(['u', ...PORTFOLIO_COLUMNS]);
    expect(Array.from(t.values.pf_npl_rate[0])).toEqual([0.5, NaN]);
    expect(Array.from(t.values.pf_npl_rate[1])).toEqual([0.5, NaN]);
    const latest = addPortfolioColumns(table, rows, { periods: 'latest' });
    expect(Array.from(latest.values.pf_customers[0])).toEqual([NaN, NaN]);
    expect(Array.from(latest.values.pf_customers[1])).toEqual([3, 1]);
    expect(table.values.pf_customers).toBeUndefined();
  });

  it('makes pf_ columns usable in the index', () => {
    const t = addPortfolioColumns(table, rows);
    const r = computeRiskIndex(t, { normalization: 'minmax', indicators: [{ column: 'u', weight: 1, direction: 'up' }, { column: 'pf_customers_per_1000', weight: 1, direction: 'down' }], tiers: [50] });
    // 2025: u 3, 1 → 1, 0; per 1000: 1.5, 2.5 → 0, 1 → down 1, 0 → X 100, Y 0
    expect(Array.from(r.riskIndex)).toEqual([100, 0]);
    expect(r.scoreColumns).toEqual(['s_u', 's_pf_customers_per_1000']);
  });
});
