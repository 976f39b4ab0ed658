/**
 * Adding files to a loaded dataset (DESIGN.md › Real exports): append keeps keys unique (a key
 * already loaded is a `duplicate_id` reject with its file and line), replaced tables are kept as
 * `prev_<kind>` for one undo, and any later load drops them.
 */
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { loadInputs, readRejects } from './load-inputs.ts';
import type { InputKind, LoadInput } from './types.ts';
import { GOOD_COUNTS, GOOD_FIXTURES } from '../../test/fixtures/index.ts';

const file = (kind: InputKind, path: string): LoadInput => ({ kind, fileName: path.split('/').pop()!, bytes: new Uint8Array(readFileSync(path)) });
const text = (kind: InputKind, fileName: string, content: string): LoadInput => ({ kind, fileName, bytes: new TextEncoder().encode(content) });
const good = () => [file('areas', GOOD_FIXTURES.areas), file('indicators', GOOD_FIXTURES.indicators), file('customers', GOOD_FIXTURES.customers), file('sites', GOOD_FIXTURES.sites)];

const MORE_CUSTOMERS = 'customer_id,lon,lat,segment\nN1,121.49,31.23,young\nC0002,121.48,31.23,senior\nN2,121.485,31.232,family\n';

describeOnEachEngine('appending on $name', (conn) => {
  const n = async (sql: string) => Number((await conn().query<{ n: number }>(sql))[0].n);

  it('appends new customers, rejects an id already loaded, keeps the earlier rejects', async () => {
    const first = await loadInputs(conn(), good());
    const rejectsBefore = await n('SELECT count(*)::INTEGER AS n FROM rejects');
    const report = await loadInputs(conn(), [text('customers', 'more.csv', MORE_CUSTOMERS)], { areas: first.areas, append: ['customers'] });
    expect(report.files[0]).toMatchObject({ rowsRead: 3, rowsKept: 2, rowsRejected: 1 });
    expect(await n('SELECT count(*)::INTEGER AS n FROM customers')).toBe(GOOD_COUNTS.customers + 2);
    expect(await n("SELECT count(*)::INTEGER AS n FROM customers WHERE customer_id IN ('N1', 'N2')")).toBe(2);
    // C0002 is the original row, not the appended one (lon 121.4858, not 121.48).
    expect((await conn().query<{ lon: number }>("SELECT lon FROM customers WHERE customer_id = 'C0002'")).map((r) => r.lon)).toEqual([121.4858]);
    const rej = (await readRejects(conn())).filter((r) => r.file === 'more.csv');
    expect(rej).toMatchObject([{ kind: 'customers', line: 3, column: 'customer_id', code: 'duplicate_id', reason: 'alreadyLoaded', params: { column: 'customer_id' } }]);
    expect(rej[0].raw).toContain('C0002');
    expect(await n('SELECT count(*)::INTEGER AS n FROM rejects')).toBe(rejectsBefore + 1);
    // New customers are assigned to the loaded areas like the first ones.
    expect(await n("SELECT count(*)::INTEGER AS n FROM customers WHERE customer_id = 'N1' AND area_id IS NOT NULL")).toBe(1);
  });

  it('replace (no append) swaps the table; keepPrevious keeps the old one until the next load', async () => {
    const first = await loadInputs(conn(), good());
    await loadInputs(conn(), [text('customers', 'more.csv', MORE_CUSTOMERS)], { areas: first.areas, keepPrevious: true });
    expect(await n('SELECT count(*)::INTEGER AS n FROM customers')).toBe(3);
    expect(await n('SELECT count(*)::INTEGER AS n FROM prev_customers')).toBe(GOOD_COUNTS.customers);
    expect(await n('SELECT count(*)::INTEGER AS n FROM prev_rejects')).toBeGreaterThanOrEqual(0);
    // Kinds not loaded are not copied.
    expect(await n("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'prev_sites'")).toBe(0);
    await loadInputs(conn(), [text('customers', 'more.csv', MORE_CUSTOMERS)], { areas: first.areas });
    expect(await n("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE starts_with(table_name, 'prev_')")).toBe(0);
  });

  it('appends sites and indicators by their keys; period_index spans all periods', async () => {
    const first = await loadInputs(conn(), good());
    const [site] = await conn().query<{ site_id: string }>('SELECT site_id FROM sites ORDER BY site_id LIMIT 1');
    const sites = `site_id,lon,lat,type,owner\n${site.site_id},121.49,31.23,branch,own\nNEW1,121.49,31.23,atm,own\n`;
    const ind = await conn().query<{ area_id: string }>('SELECT DISTINCT area_id FROM indicators ORDER BY area_id');
    const cols = (await conn().query<{ c: string }>("SELECT column_name AS c FROM duckdb_columns() WHERE table_name = 'indicators' AND column_name NOT IN ('area_id', 'period', 'period_index') ORDER BY column_index"))[0].c;
    const indicators = `area_id,period,${cols}\n${ind[0].area_id},2024Q4,1\n${ind[0].area_id},2025Q1,2\n${ind[1].area_id},2025Q1,3\n`;
    const report = await loadInputs(conn(), [text('sites', 's2.csv', sites), text('indicators', 'i2.csv', indicators)], { areas: first.areas, append: ['sites', 'indicators'] });
    expect(report.files.map((f) => [f.kind, f.rowsKept, f.rowsRejected])).toEqual([['indicators', 2, 1], ['sites', 1, 1]]);
    expect(await n(`SELECT count(*)::INTEGER AS n FROM sites WHERE site_id = '${site.site_id}'`)).toBe(1);
    expect(await n('SELECT count(*)::INTEGER AS n FROM indicators')).toBe(GOOD_COUNTS.indicators + 2);
    const periods = await conn().query<{ period: string; i: number }>('SELECT DISTINCT period, period_index AS i FROM indicators ORDER BY i');
    expect(periods).toEqual([...GOOD_COUNTS.periods, '2025Q1'].map((period, i) => ({ period, i })));
    const rej = (await readRejects(conn())).filter((r) => r.file === 'i2.csv');
    expect(rej).toMatchObject([{ line: 2, code: 'duplicate_id', reason: 'alreadyLoaded', params: { column: 'area_id + period' } }]);
  });

  it('append of a kind not loaded yet simply loads it', async () => {
    await conn().exec('DROP TABLE IF EXISTS customers'); // the connection is shared between tests
    const first = await loadInputs(conn(), [file('areas', GOOD_FIXTURES.areas)]);
    await loadInputs(conn(), [text('customers', 'more.csv', MORE_CUSTOMERS)], { areas: first.areas, append: ['customers'] });
    expect(await n('SELECT count(*)::INTEGER AS n FROM customers')).toBe(3);
  });
});
