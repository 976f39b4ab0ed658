/**
 * SQL for the portfolio indicators per area (definitions in `src/core/portfolio.ts`), over
 * the loader's tables `customers(customer_id, lon, lat, area_id, segment, age, balance,
 * loan_balance, default_flag, digital_active)` and `indicators(area_id, period, period_index,
 * <numeric>…)`. Pure text building: identifiers quoted, values bound as parameters; the same
 * text runs on duckdb-wasm and native DuckDB (plain aggregates, FILTER and arg_max only).
 *
 * Optional customer columns may be absent from the table: pass the columns that exist and
 * the metrics needing a missing one come out empty (NULL). Every metric is DOUBLE, so no
 * BIGINT/HUGEINT reaches JS.
 */
import { quoteIdent as q } from './ident.ts';
import type { SqlParam } from './ident.ts';

export interface PortfolioSqlOptions {
  /** Columns present in the customers table (e.g. from DESCRIBE). */
  customerColumns: readonly string[];
  /** Columns present in the indicators table. */
  indicatorColumns: readonly string[];
  /** Indicator column holding residents; default "population". */
  populationColumn?: string;
  /**
   * Take the population of this period for every area; default: per area, the latest period
   * with a population value.
   */
  populationPeriod?: string;
  customersTable?: string;
  indicatorsTable?: string;
}

/** The statement and its bound parameters; result columns: area_id, then PORTFOLIO_COLUMNS. */
export function portfolioSql(opts: PortfolioSqlOptions): { sql: string; params: SqlParam[] } {
  const cust = q(opts.customersTable ?? 'customers');
  const ind = q(opts.indicatorsTable ?? 'indicators');
  const has = (c: string) => opts.customerColumns.includes(c);
  const popCol = opts.populationColumn ?? 'population';
  const hasPop = opts.indicatorColumns.includes(popCol);
  const params: SqlParam[] = [];
  const dbl = (c: string) => (has(c) ? `TRY_CAST(${q(c)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)');
  const loan = dbl('loan_balance');

  let pop: string;
  if (!hasPop) pop = `SELECT CAST(NULL AS VARCHAR) AS area_id, CAST(NULL AS DOUBLE) AS population WHERE false`;
  else if (opts.populationPeriod !== undefined) {
    params.push(opts.populationPeriod);
    pop = `SELECT CAST(${q('area_id')} AS VARCHAR) AS area_id, max(TRY_CAST(${q(popCol)} AS DOUBLE)) AS population
    FROM ${ind} WHERE ${q('period')} = $${params.length} GROUP BY 1`;
  } else {
    pop = `SELECT CAST(${q('area_id')} AS VARCHAR) AS area_id, arg_max(TRY_CAST(${q(popCol)} AS DOUBLE), ${q('period_index')}) AS population
    FROM ${ind} WHERE ${q(popCol)} IS NOT NULL GROUP BY 1`;
  }

  const sql = `WITH loan_known AS (
  SELECT count(${loan}) > 0 AS known FROM ${cust}
), pop AS (
  ${pop}
), per_area AS (
  SELECT CAST(c.${q('area_id')} AS VARCHAR) AS area_id,
    CAST(count(*) AS DOUBLE) AS n_customers,
    CAST(count(*) FILTER (WHERE ${loan} > 0) AS DOUBLE) AS n_borrowers,
    avg(${dbl('default_flag')}) FILTER (WHERE NOT lk.known OR ${loan} > 0) AS npl_rate,
    avg(${dbl('balance')}) AS avg_balance,
    coalesce(sum(${loan}), 0) AS loan_sum,
    avg(${dbl('digital_active')}) AS digital_share
  FROM ${cust} AS c CROSS JOIN loan_known AS lk
  WHERE c.${q('area_id')} IS NOT NULL
  GROUP BY 1
), areas AS (
  SELECT CAST(${q('area_id')} AS VARCHAR) AS area_id FROM ${ind} WHERE ${q('area_id')} IS NOT NULL
  UNION
  SELECT area_id FROM per_area
)
SELECT a.area_id,
  coalesce(p.n_customers, 0) AS pf_customers,
  p.npl_rate AS pf_npl_rate,
  p.avg_balance AS pf_avg_balance,
  CASE WHEN (SELECT known FROM loan_known) THEN coalesce(p.n_borrowers, 0) / p.n_customers END AS pf_loans_per_customer,
  CASE WHEN (SELECT known FROM loan_known) THEN coalesce(p.loan_sum, 0) / p.n_customers END AS pf_loan_balance_per_customer,
  CASE WHEN pop.population > 0 THEN 1000 * coalesce(p.n_customers, 0) / pop.population END AS pf_customers_per_1000,
  p.digital_share AS pf_digital_share
FROM areas AS a
LEFT JOIN per_area AS p ON p.area_id = a.area_id
LEFT JOIN pop ON pop.area_id = a.area_id
ORDER BY a.area_id`;
  return { sql, params };
}
