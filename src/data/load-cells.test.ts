/**
 * A customers load also stores each customer's H3 cell at the hotspot map's first resolution
 * (points.ts, LOAD_CELLS_RESOLUTION) as the pipeline's derived table, committed with the
 * customers: the cells are exactly `assignCells` of the stored coordinates, row k for customer
 * k; a commit that changes the customers drops every cell table computed for the old ones.
 */
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import type { Connector } from '../db/connector.ts';
import { loadInputs } from './load-inputs.ts';
import { POINT_SLICES } from './points.ts';
import type { InputKind, LoadInput } from './types.ts';
import { assignCells } from '../core/grid.ts';
import { LOAD_CELLS_RESOLUTION, CELLS_TABLES_SQL } from '../sql/hotspots.ts';
import { GOOD_COUNTS, GOOD_FIXTURES } from '../../test/fixtures/index.ts';

const file = (kind: InputKind, crs?: 'gcj02'): LoadInput => ({
  kind, fileName: `${kind}.dat`, bytes: new Uint8Array(readFileSync(GOOD_FIXTURES[kind as keyof typeof GOOD_FIXTURES])), ...(crs ? { crs } : {}),
});
const MORE = 'customer_id,lon,lat,segment\nN1,121.49,31.23,young\nN2,121.485,31.232,family\n';

async function cellTables(conn: Connector): Promise<string[]> {
  return (await conn.query<{ name: string }>(CELLS_TABLES_SQL)).map((r) => r.name).sort();
}

/** The stored cells equal a fresh assignment of the stored coordinates, row by row. */
async function expectCellsOfCustomers(conn: Connector): Promise<void> {
  const rows = await conn.query<{ rowid: bigint; lon: number; lat: number; rid: bigint; cell: bigint }>(
    `SELECT c.rowid AS rowid, c.lon, c.lat, d.rid, d.cell FROM customers c POSITIONAL JOIN derived_h3_r${LOAD_CELLS_RESOLUTION} d`,
  );
  expect(rows.length).toBe(GOOD_COUNTS.customers);
  const want = assignCells(rows.map((r) => r.lon), rows.map((r) => r.lat), LOAD_CELLS_RESOLUTION);
  rows.forEach((r, i) => {
    expect(r.rid).toBe(r.rowid);
    expect(BigInt(r.cell)).toBe(want[i]);
  });
  expect(new Set(want).size).toBeGreaterThan(1);
}

describeOnEachEngine('customers cells at load on $name', (conn) => {
  it('stores the cells of the converted coordinates with the customers, in slices too', async () => {
    await loadInputs(conn(), [file('areas'), file('customers', 'gcj02')]);
    expect(await cellTables(conn())).toEqual([`derived_h3_r${LOAD_CELLS_RESOLUTION}`]);
    await expectCellsOfCustomers(conn());
    const whole = await conn().query('SELECT * FROM derived_h3_r8');
    const before = POINT_SLICES.lines;
    POINT_SLICES.lines = 7;
    try {
      await loadInputs(conn(), [file('areas'), file('customers', 'gcj02')]);
    } finally {
      POINT_SLICES.lines = before;
    }
    expect(await conn().query('SELECT * FROM derived_h3_r8')).toEqual(whole);
    expect(await conn().query("SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, '__bp_')")).toEqual([]);
  }, 120_000);

  it('drops the cells of replaced customers; new areas bring fresh cells; appended rows none', async () => {
    const first = await loadInputs(conn(), [file('areas'), file('customers')]);
    // An assignment made later at another resolution, for these customers.
    await conn().exec('CREATE TABLE derived_h3_r9 AS SELECT * FROM derived_h3_r8');
    await loadInputs(conn(), [file('customers')], { areas: first.areas });
    expect(await cellTables(conn())).toEqual(['derived_h3_r8']);
    await expectCellsOfCustomers(conn());
    // Areas alone: the customers are assigned to them again, their cells made again.
    await conn().exec('CREATE TABLE derived_h3_r9 AS SELECT * FROM derived_h3_r8');
    await loadInputs(conn(), [file('areas')], { areas: first.areas });
    expect(await cellTables(conn())).toEqual(['derived_h3_r8']);
    await expectCellsOfCustomers(conn());
    // Appended customers change the rows: no cells until the pipeline assigns them all.
    await loadInputs(conn(), [{ kind: 'customers', fileName: 'more.csv', bytes: new TextEncoder().encode(MORE) }], { areas: first.areas, append: ['customers'] });
    expect(await cellTables(conn())).toEqual([]);
  }, 120_000);

  it('makes no cells without areas (no coordinate round trip) and drops the old ones', async () => {
    await loadInputs(conn(), [file('areas'), file('customers')]);
    await loadInputs(conn(), [file('customers')]);
    expect(await cellTables(conn())).toEqual([]);
  }, 120_000);

  it('a failed load keeps the cells of the customers it did not replace', async () => {
    const first = await loadInputs(conn(), [file('areas'), file('customers')]);
    const bad: LoadInput = { kind: 'customers', fileName: 'bad.csv', bytes: new TextEncoder().encode('customer_id,lon,lat\n') };
    await expect(loadInputs(conn(), [bad], { areas: first.areas })).rejects.toThrow();
    expect(await cellTables(conn())).toEqual(['derived_h3_r8']);
    await expectCellsOfCustomers(conn());
  }, 120_000);
});
