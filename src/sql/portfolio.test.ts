/**
 * The portfolio SQL on both engines, against the TypeScript reference `computePortfolio`.
 * The tiny adapters below stand in for the shared Connector until it lands; they only run
 * statements and return plain rows.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { computePortfolio, PORTFOLIO_COLUMNS, portfolioRowsFromQuery, type CustomerLike } from '../core/portfolio.ts';
import { mulberry32 } from '../core/rng.ts';
import type { SqlParam } from './ident.ts';
import { portfolioSql } from './portfolio.ts';

interface MiniDb {
  engine: string;
  exec(sql: string): Promise<void>;
  query(sql: string, params?: readonly SqlParam[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const SETTINGS = 'SET autoload_known_extensions = false; SET autoinstall_known_extensions = false;';

async function nativeDb(): Promise<MiniDb> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(SETTINGS);
  return {
    engine: 'duckdb-native',
    exec: async (sql) => void (await conn.run(sql)),
    query: async (sql, params = []) => (await conn.runAndReadAll(sql, [...params])).getRowObjectsJS() as Record<string, unknown>[],
    close: async () => conn.closeSync(),
  };
}

async function wasmDb(): Promise<MiniDb> {
  const require = createRequire(import.meta.url);
  const { createDuckDB, NODE_RUNTIME, VoidLogger } = require('@duckdb/duckdb-wasm/blocking');
  const bundles = {
    mvp: { mainModule: require.resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm'), mainWorker: '' },
    eh: { mainModule: require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'), mainWorker: '' },
  };
  const db = await createDuckDB(bundles, new VoidLogger(), NODE_RUNTIME);
  await db.instantiate();
  db.open({});
  const conn = db.connect();
  conn.query(SETTINGS);
  const rows = (t: { toArray(): { toJSON(): Record<string, unknown> }[] }) => t.toArray().map((r) => ({ ...r.toJSON() }));
  return {
    engine: 'duckdb-wasm',
    exec: async (sql) => void conn.query(sql),
    query: async (sql, params = []) => {
      if (params.length === 0) return rows(conn.query(sql));
      const st = conn.prepare(sql);
      try {
        return rows(st.query(...params));
      } finally {
        st.close();
      }
    },
    close: async () => conn.close(),
  };
}

const CUSTOMERS_DDL = `CREATE OR REPLACE TABLE customers (customer_id VARCHAR, lon DOUBLE, lat DOUBLE, area_id VARCHAR, segment VARCHAR,
  age INTEGER, balance DOUBLE, loan_balance DOUBLE, default_flag INTEGER, digital_active INTEGER)`;
const INDICATORS_DDL = 'CREATE OR REPLACE TABLE indicators (area_id VARCHAR, period VARCHAR, period_index INTEGER, population DOUBLE, income DOUBLE)';

const lit = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v)}'`);

async function load(db: MiniDb, customers: CustomerLike[], indicators: [string, string, number, number | null][]): Promise<void> {
  await db.exec(CUSTOMERS_DDL);
  await db.exec(INDICATORS_DDL);
  if (customers.length) {
    const values = customers.map((c, i) => `(${lit(`c${i}`)}, 121.4, 31.2, ${lit(c.area_id)}, NULL, 40, ${lit(c.balance)}, ${lit(c.loan_balance)}, ${lit(c.default_flag)}, ${lit(c.digital_active)})`);
    await db.exec(`INSERT INTO customers VALUES ${values.join(',')}`);
  }
  if (indicators.length) await db.exec(`INSERT INTO indicators VALUES ${indicators.map(([a, p, i, pop]) => `(${lit(a)}, ${lit(p)}, ${i}, ${lit(pop)}, 1.0)`).join(',')}`);
}

const HAND: CustomerLike[] = [
  { area_id: 'X', loan_balance: 1000, default_flag: 1, balance: 100, digital_active: 1 },
  { area_id: 'X', loan_balance: 0, default_flag: 0, balance: 300, digital_active: 0 },
  { area_id: 'X', loan_balance: 500, default_flag: 0, balance: null, digital_active: 1 },
  { area_id: 'Y', loan_balance: 0, default_flag: 1, balance: 50, digital_active: null },
  { area_id: null, loan_balance: 900, default_flag: 1, balance: 1, digital_active: 1 },
];
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

describe.each([
  ['duckdb-native', nativeDb],
  ['duckdb-wasm', wasmDb],
])('portfolioSql on %s', (_name, factory) => {
  let db: MiniDb;
  beforeAll(async () => {
    db = await factory();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('is accepted by EXPLAIN', async () => {
    await load(db, [], []);
    const { sql, params } = portfolioSql({ customerColumns: ALL, indicatorColumns: IND_COLS });
    expect(params).toEqual([]);
    await db.query(`EXPLAIN ${sql}`);
  });

  it('matches the hand-computed case and the TypeScript reference', async () => {
    await load(db, HAND, HAND_IND);
    const { sql, params } = portfolioSql({ customerColumns: ALL, indicatorColumns: IND_COLS });
    const got = portfolioRowsFromQuery(await db.query(sql, params));
    const ref = computePortfolio(HAND, new Map([['X', 2000], ['Y', 400], ['Z', 1000]]), ['Z']);
    expectRowsClose(got, ref);
    expect(got[0]).toMatchObject({ area_id: 'X', pf_customers: 3, pf_npl_rate: 0.5, pf_customers_per_1000: 1.5 });
    expect(got[2]).toMatchObject({ area_id: 'Z', pf_customers: 0, pf_customers_per_1000: 0 });
  });

  it('binds the population period as a parameter', async () => {
    await load(db, HAND, HAND_IND);
    const { sql, params } = portfolioSql({ customerColumns: ALL, indicatorColumns: IND_COLS, populationPeriod: '2024' });
    expect(params).toEqual(['2024']);
    const got = portfolioRowsFromQuery(await db.query(sql, params));
    // 2024 populations: X 1500 → 1000·3/1500 = 2; Z 900 → 0
    expect(got.map((r) => r.pf_customers_per_1000)).toEqual([2, 2.5, 0]);
  });

  it('copes with absent optional columns (no loan_balance: NPL over all customers)', async () => {
    await load(db, HAND, HAND_IND);
    await db.exec('ALTER TABLE customers DROP COLUMN loan_balance');
    await db.exec('ALTER TABLE indicators DROP COLUMN population');
    const { sql, params } = portfolioSql({ customerColumns: ALL.filter((c) => c !== 'loan_balance'), indicatorColumns: IND_COLS.filter((c) => c !== 'population') });
    const got = portfolioRowsFromQuery(await db.query(sql, params));
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
    await load(db, sqlSafe, ind.map(([a, p, i, pop]) => [a.replaceAll("'", "''"), p, i, pop]));
    const { sql, params } = portfolioSql({ customerColumns: ALL, indicatorColumns: IND_COLS });
    const got = portfolioRowsFromQuery(await db.query(sql, params));
    const pop = new Map(ind.filter((r) => r[3] !== null).map((r) => [r[0], r[3] as number]));
    const ref = computePortfolio(cs, pop, areas);
    // both sides ordered by area_id in code-point order
    expectRowsClose(got, ref);
  });
});
