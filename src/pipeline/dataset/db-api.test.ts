import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { connectorFactories } from '../../db/connector-factories.ts';
import { DbApi, type LoadOutcome } from './db-api.ts';
import { GOOD_FIXTURES } from '../../../test/fixtures/index.ts';

/** The DB worker's contract, on both engines: the same class the browser worker exposes. */
describe.each(connectorFactories)('DbApi on $name', ({ create }) => {
  let api: DbApi;
  let demo: LoadOutcome;

  beforeAll(async () => {
    api = new DbApi(create, async (p) => new Uint8Array(await readFile('public/' + p)));
    demo = await api.loadDemo('demo/', 1);
  }, 120_000);
  afterAll(async () => (await api.init()).close());

  it('opens the database once for concurrent callers', async () => {
    const [a, b] = await Promise.all([api.init(), api.init()]);
    expect(a).toBe(b);
  });

  it('loads the demo city and describes it', () => {
    expect(demo.ok).toBe(true);
    if (!demo.ok) return;
    expect(demo.summary.counts).toMatchObject({ areas: 16, indicators: 192, sites: 390 });
    expect(demo.summary.counts.customers).toBeGreaterThan(190_000);
    expect(demo.summary.periods[0]).toBe('2023Q1');
    expect(demo.summary.periods.at(-1)).toBe('2025Q4');
    expect(demo.summary.indicatorColumns).toContain('unemployment_rate');
    expect(demo.summary.fingerprint).toMatch(/^[0-9a-f]{8}$/);
  });

  it('answers concurrent queries with their own results', async () => {
    const [ind, sites] = await Promise.all([api.indicatorsArrow(), api.sitesArrow()]);
    expect(tableFromIPC(ind).numRows).toBe(192);
    const st = tableFromIPC(sites);
    expect(st.numRows).toBe(390);
    expect(st.schema.fields.map((f) => f.name)).toEqual(['site_id', 'lon', 'lat', 'type', 'owner', 'name', 'attractiveness']);
  });

  it('returns numeric columns as typed arrays', async () => {
    const cols = await api.columns('SELECT lon, lat, 3::UBIGINT AS cell FROM sites ORDER BY site_id LIMIT 5');
    expect(cols.lon).toBeInstanceOf(Float64Array);
    expect(cols.cell).toBeInstanceOf(BigUint64Array);
    expect(cols.lon[0]).toBeGreaterThan(120);
  });

  it('keeps the previous data when a load fails, and reports why', async () => {
    const bad = await api.loadFiles(
      [{ kind: 'sites', fileName: 'sites.csv', bytes: new TextEncoder().encode('site_id,lon,lat\nA,121.4,31.2\n') }],
      {},
      2,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0].message).toMatch(/type|owner/);
    const [r] = await api.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM sites');
    expect(r.n).toBe(390);
  });

  it('replaces only the kinds loaded and assigns new customers to the known areas', async () => {
    const bytes = await readFile(GOOD_FIXTURES.customers);
    const out = await api.loadFiles([{ kind: 'customers', fileName: 'customers.csv', bytes: new Uint8Array(bytes) }], {}, 3);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.summary.counts.areas).toBe(16);
    expect(out.summary.counts.sites).toBe(390);
    expect(out.summary.counts.customers).toBeLessThan(1000);
  });
  it('cannot read outside upload/ or change the configuration once data is loaded', async () => {
    await expect(api.query("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(/disabled|Permission|not allowed/i);
    await expect(api.query('SET enable_external_access = true')).rejects.toThrow(/lock|Cannot change/i);
  });
});
