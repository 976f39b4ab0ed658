import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorFactories } from '../../db/connector-factories.ts';
import { DbApi, type LoadOutcome } from './db-api.ts';
import { CELLS_TABLES_SQL } from '../../sql/hotspots.ts';

const csv = (s: string) => new TextEncoder().encode(s);
/** Two new customers and one the demo has already (C0000002). */
const MORE = 'customer_id,lon,lat\nN1,121.47,31.23\nC0000002,121.48,31.23\nN2,121.49,31.23\n';

/** Adding files to the loaded demo through the DB worker's API: append, replace, one undo. */
describe.each(connectorFactories)('DbApi append and undo on $name', ({ create }) => {
  let api: DbApi;
  let demoCustomers = 0;
  const count = (o: LoadOutcome | null) => (o?.ok ? o.summary.counts.customers : -1);

  beforeAll(async () => {
    api = new DbApi(create, async (p) => new Uint8Array(await readFile('public/' + p)));
    demoCustomers = count(await api.loadDemo('demo/', 1));
  }, 120_000);
  afterAll(async () => (await api.init()).close());

  it('appends customers to the demo (an id already loaded is rejected), then restores the demo', async () => {
    expect(demoCustomers).toBeGreaterThan(190_000);
    expect(api.canRestorePrevious()).toBe(false);
    const out = await api.loadFiles([{ kind: 'customers', fileName: 'more.csv', bytes: csv(MORE) }], { append: ['customers'] }, 2);
    expect(count(out)).toBe(demoCustomers + 2);
    expect(out.rejects.filter((r) => r.file === 'more.csv')).toMatchObject([{ line: 3, code: 'duplicate_id', reason: 'alreadyLoaded', params: { column: 'customer_id' } }]);
    expect(out.ok && out.summary.counts.areas).toBe(16);
    // The report keeps the demo's customers file and adds the appended one; the name stays.
    expect(out.files.filter((f) => f.kind === 'customers').map((f) => f.rowsKept).sort((a, b) => a - b)).toEqual([2, demoCustomers]);
    expect(out.ok && out.summary.name).toMatchObject({ en: 'Shanghai (demo)' });
    expect(api.canRestorePrevious()).toBe(true);
    const back = await api.restorePrevious();
    expect(count(back)).toBe(demoCustomers);
    expect(back?.rejects.some((r) => r.file === 'more.csv')).toBe(false);
    expect(api.canRestorePrevious()).toBe(false);
    const [{ n }] = await api.query<{ n: number }>("SELECT count(*)::INTEGER AS n FROM customers WHERE customer_id IN ('N1', 'N2')");
    expect(n).toBe(0);
  }, 120_000);

  it('a replace can be undone too, and only until the next load', async () => {
    const out = await api.loadFiles([{ kind: 'customers', fileName: 'more.csv', bytes: csv(MORE) }], {}, 3);
    expect(count(out)).toBe(3);
    await api.loadFiles([{ kind: 'sites', fileName: 's.csv', bytes: csv('site_id,lon,lat,type,owner\nS1,121.47,31.23,branch,own\n') }], {}, 4);
    // The undo now restores the sites before s.csv, not the demo's customers.
    const back = await api.restorePrevious();
    expect(back?.ok && back.summary.counts).toMatchObject({ customers: 3, sites: 390 });
    expect(await api.restorePrevious()).toBeNull();
  }, 120_000);

  it('undoing a customers load drops the cells computed for the undone customers', async () => {
    await api.loadDemo('demo/', 5);
    const cells = async () => (await api.query<{ name: string }>(CELLS_TABLES_SQL)).map((r) => r.name).sort();
    // The demo's customers got their cells at load.
    expect(await cells()).toEqual(['derived_h3_r8']);
    await api.loadFiles([{ kind: 'customers', fileName: 'more.csv', bytes: csv(MORE) }], {}, 6);
    expect(await cells()).toEqual(['derived_h3_r8']);
    // An assignment the hotspot map made for more.csv's customers at another resolution.
    await api.query('CREATE TABLE derived_h3_r9 AS SELECT * FROM derived_h3_r8');
    const back = await api.restorePrevious();
    expect(count(back)).toBe(demoCustomers);
    expect(await cells()).toEqual([]);
  }, 120_000);
});
