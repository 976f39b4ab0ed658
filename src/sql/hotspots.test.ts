/**
 * The hotspot SQL on both engines (native DuckDB and duckdb-wasm), against the plain reducers
 * of src/core/demand.ts: same customers, same filters, same per-cell totals.
 */
import { describe, expect, it } from 'vitest';
import { makeVector, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import type { Connector } from '../db/connector.ts';
import { aggregateByCell, customerMask } from '../core/demand.ts';
import { mulberry32 } from '../core/rng.ts';
import {
  alignmentSql, cellProfileSql, cellTotalsSql, type CellJoin, cellsTableName, customerCoordsSql, distinctValuesSql, filterClause,
  type HotspotFilter, type HotspotValue,
} from './hotspots.ts';

interface Customer {
  segment: string | null;
  age: number | null;
  balance: number | null;
  digital_active: number | null;
  /** Index of the customer's cell in CELLS. */
  cell: number;
}

const CELLS = [0x882a100d63fffffn, 0x882a100d65fffffn, 0x882a100d67fffffn, 0x882a100d61fffffn];

const lit = (v: unknown) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);

async function load(conn: Connector, customers: Customer[], resolution = 8, reversed = false): Promise<void> {
  await conn.exec(`CREATE OR REPLACE TABLE customers (customer_id VARCHAR, lon DOUBLE, lat DOUBLE, segment VARCHAR, age INTEGER, balance DOUBLE, digital_active INTEGER, "odd ""col""" VARCHAR)`);
  if (customers.length) {
    const rows = customers.map((c, i) => `('c${i}', ${121 + i / 1000}, 31.2, ${lit(c.segment)}, ${lit(c.age)}, ${lit(c.balance)}, ${lit(c.digital_active)}, ${lit(i % 2 ? 'x' : "it's")})`);
    await conn.exec(`INSERT INTO customers VALUES ${rows.join(',')}`);
  }
  // rowids as DuckDB reports them, cells in the same order
  const coords = tableFromIPC(await conn.queryArrow(customerCoordsSql()));
  const rid = coords.getChild('rid')!.toArray() as BigInt64Array;
  const lon = coords.getChild('lon')!.toArray() as Float64Array;
  const cells = new BigUint64Array(rid.length);
  // customer i has lon 121 + i/1000: recover i to find its cell whatever the row order
  for (let r = 0; r < rid.length; r++) cells[r] = CELLS[customers[Math.round((lon[r] - 121) * 1000)].cell];
  await conn.exec(`DROP TABLE IF EXISTS ${cellsTableName(resolution)}`);
  // reversed: the derived rows in another order than the customers (only the rowid join is exact)
  const order = (a: BigInt64Array | BigUint64Array) => (reversed ? a.slice().reverse() : a);
  await conn.insertArrowIPC(cellsTableName(resolution), tableToIPC(new Table({ rid: makeVector(order(rid)), cell: makeVector(order(cells)) }), 'stream'));
}

/** Reference: the core reducers over the same customers. */
function reference(customers: Customer[], value: HotspotValue, filter?: HotspotFilter): Map<bigint, { customers: number; value: number; missing: number }> {
  const n = customers.length;
  const mask = customerMask(n, {
    segment: filter?.segments ? { values: customers.map((c) => c.segment), allowed: filter.segments } : undefined,
    age: filter?.age ? { values: customers.map((c) => c.age ?? NaN), bands: [{ label: 'band', ...filter.age }] } : undefined,
    digitalActive: filter?.digitalActive !== undefined ? { values: customers.map((c) => c.digital_active ?? NaN), equals: filter.digitalActive } : undefined,
  });
  const cellIndex = Int32Array.from(customers, (c) => c.cell);
  const count = aggregateByCell(cellIndex, CELLS.length, { mask });
  const sum = value.kind === 'sum' ? aggregateByCell(cellIndex, CELLS.length, { mask, value: customers.map((c) => c.balance ?? NaN) }) : count;
  const missing = new Float64Array(CELLS.length);
  if (value.kind === 'sum') customers.forEach((c, i) => mask[i] && c.balance === null && missing[c.cell]++);
  const out = new Map<bigint, { customers: number; value: number; missing: number }>();
  for (let k = 0; k < CELLS.length; k++) {
    // a cell where every passing customer lacks the value still has a row (customers > 0)
    const customersK = count.values[k];
    if (customersK > 0) out.set(CELLS[k], { customers: customersK, value: sum.values[k], missing: missing[k] });
  }
  return out;
}

async function totals(conn: Connector, value: HotspotValue, filter?: HotspotFilter, join: CellJoin = 'rowid') {
  const { sql, params } = cellTotalsSql(8, value, filter, {}, join);
  const rows = await conn.query<{ cell: bigint; customers: number; value: number; missing: number }>(sql, params);
  return new Map(rows.map((r) => [BigInt(r.cell), { customers: r.customers, value: r.value, missing: r.missing }]));
}

describe('hotspot SQL text', () => {
  it('quotes identifiers and binds every value', () => {
    const { sql, params } = cellTotalsSql(8, { kind: 'sum', column: 'bal"ance' }, {
      segments: ["young'; DROP TABLE x; --"], age: { minYears: 18, maxYears: 30 }, digitalActive: 1,
      equals: [{ column: 'odd "col"', value: "it's" }],
    }, { customersTable: 'cust omers' });
    expect(sql).toContain('"bal""ance"');
    expect(sql).toContain('"odd ""col"""');
    expect(sql).toContain('FROM "cust omers" AS c JOIN "derived_h3_r8"');
    expect(sql).not.toContain('young');
    expect(sql).not.toContain("it's");
    expect(params).toEqual(["young'; DROP TABLE x; --", 18, 30, 1, "it's"]);
  });

  it('matches nobody with an empty segment list and everybody without filters', () => {
    expect(filterClause({ segments: [] }, [])).toBe('false');
    expect(filterClause(undefined, [])).toBe('true');
    expect(filterClause({ age: {} }, [])).toBe('true');
  });

  it('names derived tables by resolution and rejects bad ones', () => {
    expect(cellsTableName(9)).toBe('derived_h3_r9');
    expect(() => cellsTableName(16)).toThrow(RangeError);
    expect(() => cellsTableName(7.5)).toThrow(RangeError);
  });
});

describeOnEachEngine('hotspot SQL on $name', (conn) => {
  const HAND: Customer[] = [
    { segment: 'young', age: 25, balance: 100, digital_active: 1, cell: 0 },
    { segment: 'young', age: 29, balance: null, digital_active: 1, cell: 0 },
    { segment: 'senior', age: 70, balance: 5000, digital_active: 0, cell: 0 },
    { segment: 'young', age: 30, balance: 50, digital_active: 0, cell: 1 },
    { segment: null, age: null, balance: 7, digital_active: null, cell: 2 },
    { segment: 'family', age: 41, balance: 900.5, digital_active: 1, cell: 2 },
  ];

  it('is accepted by EXPLAIN, with every option', async () => {
    await load(conn(), HAND);
    const { sql, params } = cellTotalsSql(8, { kind: 'sum', column: 'balance' }, {
      segments: ['young', 'family'], age: { minYears: 18 }, digitalActive: 0, equals: [{ column: 'odd "col"', value: 'x' }],
    });
    await conn().query(`EXPLAIN ${sql}`, params);
    const p = cellProfileSql(8, ['age', 'balance'], ['young', "it's"]);
    await conn().query(`EXPLAIN ${p.sql}`, p.params);
    const d = distinctValuesSql('segment');
    await conn().query(`EXPLAIN ${d.sql}`, d.params);
  });

  it('counts and sums per cell as computed by hand', async () => {
    await load(conn(), HAND);
    expect(await totals(conn(), { kind: 'count' })).toEqual(new Map([
      [CELLS[0], { customers: 3, value: 3, missing: 0 }],
      [CELLS[1], { customers: 1, value: 1, missing: 0 }],
      [CELLS[2], { customers: 2, value: 2, missing: 0 }],
    ]));
    expect(await totals(conn(), { kind: 'sum', column: 'balance' })).toEqual(new Map([
      [CELLS[0], { customers: 3, value: 5100, missing: 1 }],
      [CELLS[1], { customers: 1, value: 50, missing: 0 }],
      [CELLS[2], { customers: 2, value: 907.5, missing: 0 }],
    ]));
    // young, 18 ≤ age < 30, digital: the first two customers, one of them without a balance
    expect(await totals(conn(), { kind: 'sum', column: 'balance' }, { segments: ['young'], age: { minYears: 18, maxYears: 30 }, digitalActive: 1 }))
      .toEqual(new Map([[CELLS[0], { customers: 2, value: 100, missing: 1 }]]));
  });

  it('returns no row when a filter matches nobody (every cell 0: S = 0)', async () => {
    await load(conn(), HAND);
    expect((await totals(conn(), { kind: 'count' }, { segments: [] })).size).toBe(0);
    expect((await totals(conn(), { kind: 'count' }, { segments: ['nobody'] })).size).toBe(0);
    expect((await totals(conn(), { kind: 'count' }, { equals: [{ column: 'segment', value: "x' OR '1'='1" }] })).size).toBe(0);
  });

  it('compares --filter columns as text, numbers included', async () => {
    await load(conn(), HAND);
    const got = await totals(conn(), { kind: 'count' }, { equals: [{ column: 'digital_active', value: '1' }, { column: 'odd "col"', value: "it's" }] });
    // digital_active = 1 and an even index ("it's"): customer 0 only (1 and 5 are odd)
    expect(got).toEqual(new Map([[CELLS[0], { customers: 1, value: 1, missing: 0 }]]));
  });

  it('handles an empty customers table', async () => {
    await load(conn(), []);
    expect((await totals(conn(), { kind: 'sum', column: 'balance' })).size).toBe(0);
  });

  it('agrees with the core reducers on 2,000 random customers and filters', async () => {
    const rng = mulberry32(7);
    const segs = ['young', 'family', 'senior', "o'neil", '小微'];
    const pick = <T,>(p: number, v: () => T): T | null => (rng() < p ? null : v());
    const cs: Customer[] = Array.from({ length: 2000 }, () => ({
      segment: pick(0.03, () => segs[Math.floor(rng() * segs.length)]),
      age: pick(0.03, () => 18 + Math.floor(rng() * 70)),
      balance: pick(0.1, () => Math.round(rng() * 1e6) / 100),
      digital_active: pick(0.03, () => (rng() < 0.6 ? 1 : 0)),
      cell: Math.floor(rng() * CELLS.length),
    }));
    await load(conn(), cs);
    const filters: (HotspotFilter | undefined)[] = [
      undefined,
      { segments: ['young', "o'neil"] },
      { segments: ['小微'], digitalActive: 0 },
      { age: { minYears: 30, maxYears: 45 } },
      { age: { minYears: 60 }, digitalActive: 1 },
    ];
    const [check] = await conn().query<{ rows: number; misaligned: number }>(alignmentSql(8));
    expect(check).toEqual({ rows: 2000, misaligned: 0 });
    for (const f of filters) {
      for (const [v, join] of [[{ kind: 'count' }, 'rowid'], [{ kind: 'sum', column: 'balance' }, 'rowid'], [{ kind: 'count' }, 'positional'], [{ kind: 'sum', column: 'balance' }, 'positional']] as [HotspotValue, CellJoin][]) {
        const got = await totals(conn(), v, f, join);
        const want = reference(cs, v, f);
        expect([...got.keys()].sort(), JSON.stringify(f)).toEqual([...want.keys()].sort());
        for (const [cell, w] of want) {
          const g = got.get(cell)!;
          expect(g.customers).toBe(w.customers);
          expect(g.missing).toBe(w.missing);
          expect(g.value).toBeCloseTo(w.value, 6);
        }
      }
    }
  });

  it('detects a derived table out of step with the customers; the rowid join stays exact', async () => {
    await load(conn(), HAND, 8, true);
    const [check] = await conn().query<{ rows: number; misaligned: number }>(alignmentSql(8));
    expect(check.rows).toBe(6);
    expect(check.misaligned).toBeGreaterThan(0);
    expect(await totals(conn(), { kind: 'count' }, undefined, 'rowid')).toEqual(new Map([
      [CELLS[0], { customers: 3, value: 3, missing: 0 }],
      [CELLS[1], { customers: 1, value: 1, missing: 0 }],
      [CELLS[2], { customers: 2, value: 2, missing: 0 }],
    ]));
    // a table of another length is misaligned too
    await conn().exec(`INSERT INTO ${cellsTableName(8)} VALUES (99, 1)`);
    const [longer] = await conn().query<{ rows: number; misaligned: number }>(alignmentSql(8));
    expect(longer.misaligned).toBeGreaterThan(0);
  });

  it('profiles cells: counts, sums and segment counts', async () => {
    await load(conn(), HAND);
    const { sql, params } = cellProfileSql(8, ['age', 'balance'], ['young', 'family'], {}, 'positional');
    const rows = await conn().query<Record<string, number | bigint>>(sql + ' ORDER BY cell', params);
    expect(rows.map((r) => BigInt(r.cell))).toEqual([CELLS[0], CELLS[1], CELLS[2]].sort((a, b) => (a < b ? -1 : 1)));
    const byCell = new Map(rows.map((r) => [BigInt(r.cell), r]));
    expect(byCell.get(CELLS[0])).toMatchObject({ customers: 3, sum_0: 124, n_0: 3, sum_1: 5100, n_1: 2, seg_0: 2, seg_1: 0 });
    expect(byCell.get(CELLS[2])).toMatchObject({ customers: 2, sum_0: 41, n_0: 1, seg_1: 1 });
  });

  it('lists distinct values', async () => {
    await load(conn(), HAND);
    const d = distinctValuesSql('segment');
    expect(await conn().query(d.sql, d.params)).toEqual([
      { value: 'young', n: 3 }, { value: 'family', n: 1 }, { value: 'senior', n: 1 },
    ]);
  });
});
