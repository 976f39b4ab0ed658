/**
 * Portfolio indicators (pf_…) for the Risk tab: `portfolioSql` run in the DB worker over the
 * loaded customers, turned into rows the core adds to the indicator table.
 */
import { portfolioRowsFromQuery, type PortfolioRow } from '../../core/portfolio.ts';
import { tableColumns, type QueryPort } from '../../data/table-columns.ts';
import { portfolioSql } from '../../sql/portfolio.ts';

export type PortfolioOutcome =
  | { status: 'ok'; rows: PortfolioRow[]; customers: number }
  /** No customers loaded, or customers not yet assigned to areas (no area_id column). */
  | { status: 'no_customers' | 'no_area_id' }
  | { status: 'error'; message: string };

/** Never rejects: a failure becomes `{status: 'error'}` and the index works without pf_ columns. */
export async function fetchPortfolio(db: QueryPort): Promise<PortfolioOutcome> {
  try {
    return await fetchPortfolioRows(db);
  } catch (e) {
    return { status: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}

async function fetchPortfolioRows(db: QueryPort): Promise<PortfolioOutcome> {
  const customerColumns = (await tableColumns(db, 'customers')).map((c) => c.name);
  if (!customerColumns.includes('customer_id')) return { status: 'no_customers' };
  if (!customerColumns.includes('area_id')) return { status: 'no_area_id' };
  const [{ n }] = (await db.query('SELECT count(*)::INTEGER AS n FROM customers WHERE area_id IS NOT NULL')) as { n: number }[];
  if (!(Number(n) > 0)) return { status: 'no_customers' };
  const indicatorColumns = (await tableColumns(db, 'indicators')).map((c) => c.name);
  const { sql, params } = portfolioSql({ customerColumns, indicatorColumns });
  const rows = portfolioRowsFromQuery((await db.query(sql, params)) as Record<string, unknown>[]);
  return { status: 'ok', rows, customers: Number(n) };
}
