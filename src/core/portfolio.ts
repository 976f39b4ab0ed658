/**
 * Portfolio indicators per area, derived from our own customers, for use in the risk index
 * as extra indicator columns named `pf_…`. The SQL in `src/sql/portfolio.ts` computes them
 * in DuckDB; `computePortfolio` here is the same definition in plain TypeScript, used as the
 * independent reference in tests and for small in-memory inputs.
 *
 * Definitions (customers with an empty area_id, i.e. outside the study area, are left out):
 * - pf_customers: number of customers in the area.
 * - pf_npl_rate: mean of `default_flag` (0/1) over the area's borrowers, a share in [0, 1].
 *   Borrowers are customers with `loan_balance > 0` when the file has any `loan_balance`
 *   value at all; when it has none (column absent or empty), all customers count as
 *   borrowers. Customers with an empty default_flag are left out of the mean. Empty when
 *   the area has no borrower with a default_flag.
 * - pf_avg_balance: mean `balance` over customers with a balance.
 * - pf_loans_per_customer: borrowers / customers (each customer row holds at most one
 *   loan_balance, so "loans per customer" is the share of customers with a loan). An empty
 *   loan_balance counts as no loan. Empty when the file has no loan_balance values.
 * - pf_loan_balance_per_customer: Σ loan_balance / customers (loan volume per customer).
 * - pf_customers_per_1000: 1000 · customers / population, population being the area's
 *   `population` in the latest period where the area has one (normally the file's latest
 *   period). Empty without a positive population.
 * - pf_digital_share: mean of `digital_active` (0/1).
 *
 * Customers carry no period, so the portfolio is a snapshot: `addPortfolioColumns` repeats
 * it in every period by default. Consequently `d:pf_…` indicators are 0 and trend alerts on
 * `pf_` columns never fire; index time series see the portfolio as constant. That keeps the
 * index composition identical across periods, so index-jump alerts are not triggered by an
 * indicator appearing only in the latest period.
 */
import type { IndicatorTable } from './indicator-table.ts';

export const PORTFOLIO_COLUMNS = [
  'pf_customers',
  'pf_npl_rate',
  'pf_avg_balance',
  'pf_loans_per_customer',
  'pf_loan_balance_per_customer',
  'pf_customers_per_1000',
  'pf_digital_share',
] as const;
export type PortfolioColumn = (typeof PORTFOLIO_COLUMNS)[number];

/** Suggested index direction per portfolio column (UI presets): which way is riskier. */
export const PORTFOLIO_DIRECTIONS: Record<PortfolioColumn, 'up' | 'down'> = {
  pf_customers: 'down',
  pf_npl_rate: 'up',
  pf_avg_balance: 'down',
  pf_loans_per_customer: 'up',
  pf_loan_balance_per_customer: 'up',
  pf_customers_per_1000: 'down',
  pf_digital_share: 'down',
};

export type PortfolioRow = { area_id: string } & Record<PortfolioColumn, number>;

export interface CustomerLike {
  area_id: string | null;
  balance?: number | null;
  loan_balance?: number | null;
  default_flag?: number | null;
  digital_active?: number | null;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : NaN);

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN;
}

/**
 * Reference implementation of the definitions above. `population` maps area_id → residents;
 * `areaIds` (optional) adds areas without customers (pf_customers 0). Rows sorted by area_id.
 */
export function computePortfolio(customers: readonly CustomerLike[], population: ReadonlyMap<string, number>, areaIds: readonly string[] = []): PortfolioRow[] {
  const loanKnown = customers.some((c) => Number.isFinite(num(c.loan_balance)));
  const groups = new Map<string, CustomerLike[]>();
  for (const a of areaIds) groups.set(a, []);
  for (const c of customers) {
    if (c.area_id === null || c.area_id === undefined) continue;
    const g = groups.get(c.area_id);
    if (g) g.push(c);
    else groups.set(c.area_id, [c]);
  }
  const rows: PortfolioRow[] = [];
  for (const [area_id, cs] of groups) {
    const n = cs.length;
    const isBorrower = (c: CustomerLike) => (loanKnown ? num(c.loan_balance) > 0 : true);
    const borrowers = cs.filter((c) => num(c.loan_balance) > 0).length;
    const loanSum = cs.reduce((s, c) => s + (Number.isFinite(num(c.loan_balance)) ? num(c.loan_balance) : 0), 0);
    const pop = population.get(area_id);
    const finite = (xs: number[]) => xs.filter(Number.isFinite);
    rows.push({
      area_id,
      pf_customers: n,
      pf_npl_rate: mean(finite(cs.filter(isBorrower).map((c) => num(c.default_flag)))),
      pf_avg_balance: mean(finite(cs.map((c) => num(c.balance)))),
      pf_loans_per_customer: loanKnown && n > 0 ? borrowers / n : NaN,
      pf_loan_balance_per_customer: loanKnown && n > 0 ? loanSum / n : NaN,
      pf_customers_per_1000: pop !== undefined && pop > 0 ? (1000 * n) / pop : NaN,
      pf_digital_share: mean(finite(cs.map((c) => num(c.digital_active)))),
    });
  }
  return rows.sort((a, b) => (a.area_id < b.area_id ? -1 : a.area_id > b.area_id ? 1 : 0));
}

/** Convert query rows (null, bigint) to PortfolioRows (NaN for empty). */
export function portfolioRowsFromQuery(rows: readonly Record<string, unknown>[]): PortfolioRow[] {
  return rows.map((r) => {
    const row = { area_id: String(r.area_id) } as PortfolioRow;
    for (const c of PORTFOLIO_COLUMNS) row[c] = num(r[c]);
    return row;
  });
}

/**
 * A new table with the portfolio columns added (the input is not modified; its own columns
 * are shared, not copied). `periods: "all"` (default) repeats the snapshot in every period;
 * `"latest"` puts it in the latest period only. Areas without a portfolio row get NaN.
 */
export function addPortfolioColumns(table: IndicatorTable, rows: readonly PortfolioRow[], opts: { periods?: 'all' | 'latest' } = {}): IndicatorTable {
  const mode = opts.periods ?? 'all';
  const n = table.areaIds.length;
  const at = new Map(table.areaIds.map((a, i) => [a, i]));
  const values = { ...table.values };
  for (const c of PORTFOLIO_COLUMNS) {
    const snap = new Float64Array(n).fill(NaN);
    for (const r of rows) {
      const i = at.get(r.area_id);
      if (i !== undefined) snap[i] = Number.isFinite(r[c]) ? r[c] : NaN;
    }
    const last = table.periods.length - 1;
    values[c] = table.periods.map((_, p) => (mode === 'all' || p === last ? snap : new Float64Array(n).fill(NaN)));
  }
  return { ...table, values };
}
