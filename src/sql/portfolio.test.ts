/** The portfolio SQL on both engines, against the TypeScript reference `computePortfolio`. */
import { describe, expect, it } from 'vitest';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import type { Connector } from '../db/connector.ts';
import { computePortfolio, PORTFOLIO_COLUMNS, portfolioRowsFromQuery, type CustomerLike } from '../core/portfolio.ts';
import { mulberry32 } from '../core/rng.ts';
import { PORTFOLIO_CUSTOMERS as HAND, PORTFOLIO_POPULATION } from '../../test/fixtures/portfolio.ts';
import { portfolioSql } from './portfolio.ts';

const CUSTOMERS_DDL = `CREATE OR REPLACE TABLE customers (customer_id VARCHAR, lon DOUBLE, lat DOUBLE, area_id VARCHAR, segment VARCHAR,
  age INTEGER, balance DOUBLE, loan_balance DOUBLE, default_flag INTEGER, digital_active INTEGER)`;
const INDICATORS_DDL = 'CREATE OR REPLACE TABLE indicators (area_id VARCHAR, period VARCHAR, period_index INTEGER, population DOUBLE, income DOUBLE)';

const lit = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v)}'`);

async function load(db: Connector, customers: readonly CustomerLike[], indicators: [string, string, number, number | null][]): Promise<void> {
  await db.exec(CUSTOMERS_DDL);
  await db.exec(INDICATORS_DDL);
  if (customers.length) {
    const values = customers.map((c, i) => `(${lit(`c${i}`)}, 121.4, 31.2, ${lit(c.area_id)}, NULL, 40, ${lit(c.balance)}, ${lit(c.loan_balance)}, ${lit(c.default_flag)}, ${lit(c.digital_active)})`);
    await db.exec(`INSERT INTO customers VALUES ${values.join(',')}`);
  }
  if (indicators.length) await db.exec(`INSERT INTO indicators VALUES ${indicators.map(([a, p, i, pop]) => `(${lit(a)}, ${lit(p)}, ${i}, ${lit(pop)}, 1.0)`).join(',')}`);
}

// Y's population is missing in the latest period: its latest known value (400) is used.
const HAND_IND: [string, string, number, number | null][] = [
  ['X', '2024', 0, 1500], ['Y', '2024', 0, 400], ['Z', '2024', 0, 900],
  ['X', '2025', 1, 2000], ['Y', '2025', 1, null], ['Z', '2025', 1, 1000],
];
const ALL = ['customer_id', 'lon', 'lat', 'area_id', 'segment', 'age', 'balance', 'loan_balance', 'default_flag', 'digital_active'];
const IND_COLS = ['area_id', 'period', 'period_index', 'population', 'income'];

function expectRowsClose(actual: Record<string, unknown>[], expected: Record<string, unknown>[]): void {
  expect(actual.map((r) => r.area_id)).toEqual(expected.map((r) => r.area_id));
  actual.forEach((r, i) => {
    for (const c of PORTFOLIO_COLUMNS) {
      const a = r[c] as number;
      const e = expected[i][c] as number;
      if (Number.isNaN(e)) expect(a, `${r.area_id} ${c}`).toBeNaN();
      else expect(a, `${r.area_id} ${c}`).toBeCloseTo(e, 9);
    }
  });
}

describe('portfolioSql text', () => {
  it('quotes identifiers from options and binds values', () => {
    const { sql, params } = portfolioSql({ customerColumns: ['area_id'], indicatorColumns: ['area_id', 'period', 'pop "x"'], populationColumn: 'pop "x"', customersTable: 'cust;x', populationPeriod: "2024'; --" });
    expect(sql).toContain('"pop ""x"""');
    expect(sql).toContain('FROM "cust;x"');
    expect(sql).not.toContain("2024'");
    expect(params).toEqual(["2024'; --"]);
  });
});

describeOnEachEngine('portfolioSql on $name', (conn) => {
  it('is accepted by EXPLAIN', async () => {
    await load(conn(), [], []);
    const { sql, params } = portfolioSql({ customerColumns: ALL, indicatorColumns: IND_COLS });
    expect(params).toEqual([]);
    await conn().query(`EXPLAIN ${sql}`);
  });

  it('matches the hand-computed case and the TypeScript reference', async () => {
    await load(conn(), HAND, HAND_IND);
    const { sql, params } = portfolioSql({ customerColumns: ALL, indicatorColumns: IND_COLS });
    const got = portfolioRowsFromQuery(await conn().query(sql, params));
    const ref = computePortfolio(HAND, PORTFOLIO_POPULATION, ['Z']);
    expectRowsClose(got, ref);
    expect(got[0]).toMatchObject({ area_id: 'X', pf_customers: 3, pf_npl_rate: 0.5, pf_customers_per_1000: 1.5 });
    expect(got[2]).toMatchObject({ area_id: 'Z', pf_customers: 0, pf_customers_per_1000: 0 });
  });

  it('binds the population period as a parameter', async () => {
    await load(conn(), HAND, HAND_IND);
    const { sql, params } = portfolioSql({ customerColumns: ALL, indicatorColumns: IND_COLS, populationPeriod: '2024' });
    expect(params).toEqual(['2024']);
    const got = portfolioRowsFromQuery(await conn().query(sql, params));
    // 2024 populations: X 1500 → 1000·3/1500 = 2; Z 900 → 0
    expect(got.map((r) => r.pf_customers_per_1000)).toEqual([2, 2.5, 0]);
  });

  it('copes with absent optional columns (no loan_balance: NPL over all customers)', async () => {
    await load(conn(), HAND, HAND_IND);
    await conn().exec('ALTER TABLE customers DROP COLUMN loan_balance');
    await conn().exec('ALTER TABLE indicators DROP COLUMN population');
    const { sql, params } = portfolioSql({ customerColumns: ALL.filter((c) => c !== 'loan_balance'), indicatorColumns: IND_COLS.filter((c) => c !== 'population') });
    const got = portfolioRowsFromQuery(await conn().query(sql, params));
    const ref = computePortfolio(HAND.map(({ loan_balance: _, ...c }) => c), new Map(), ['Z']);
    expectRowsClose(got, ref);
    expect(got[0].pf_npl_rate).toBeCloseTo(1 / 3, 12);
  });

  it('agrees with the reference on 3,000 random customers, quotes and CJK in area ids', async () => {
    const rng = mulberry32(99);
    const areas = ['A-1', "O'Hare", '徐汇区', 'B "2"', 'C;DROP'];
    const pick = <T,>(p: number, v: () => T): T | null => (rng() < p ? null : v());
    const cs: CustomerLike[] = Array.from({ length: 3000 }, () => ({
      area_id: pick(0.02, () => areas[Math.floor(rng() * areas.length)]),
      balance: pick(0.1, () => Math.round(rng() * 1e5) / 100),
      loan_balance: pick(0.2, () => (rng() < 0.5 ? 0 : Math.round(rng() * 1e6) / 100)),
      default_flag: pick(0.05, () => (rng() < 0.1 ? 1 : 0)),
      digital_active: pick(0.05, () => (rng() < 0.6 ? 1 : 0)),
    }));
    const ind: [string, string, number, number | null][] = areas.map((a, i) => [a, '2025', 0, i === 4 ? null : 1000 + i * 500]);
    const sqlSafe = cs.map((c) => ({ ...c, area_id: c.area_id === null ? null : c.area_id.replaceAll("'", "''") }));
    await load(conn(), sqlSafe, ind.map(([a, p, i, pop]) => [a.replaceAll("'", "''"), p, i, pop]));
    const { sql, params } = portfolioSql({ customerColumns: ALL, indicatorColumns: IND_COLS });
    const got = portfolioRowsFromQuery(await conn().query(sql, params));
    const pop = new Map(ind.filter((r) => r[3] !== null).map((r) => [r[0], r[3] as number]));
    const ref = computePortfolio(cs, pop, areas);
    // both sides ordered by area_id in code-point order
    expectRowsClose(got, ref);
  });
});
