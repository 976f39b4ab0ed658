/**
 * What the import workflow asks of the DB worker, on both engines: files merged into the current
 * dataset keep the other kinds; a new dataset (`replaceAll`) keeps nothing of the previous one;
 * stored inputs loaded again give the same dataset (the restore after a reload).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorFactories } from '../db/connector-factories.ts';
import { DbApi, type LoadOutcome } from '../pipeline/dataset/db-api.ts';
import { GOOD_COUNTS, GOOD_FIXTURES } from '../../test/fixtures/index.ts';
import type { InputKind, LoadInput } from './types.ts';

const good = async (kind: Exclude<InputKind, 'demand_points' | 'costs' | 'demand_cells'>): Promise<LoadInput> => ({
  kind, fileName: GOOD_FIXTURES[kind].split('/').pop()!, bytes: new Uint8Array(await readFile(GOOD_FIXTURES[kind])),
});

function counts(o: LoadOutcome) {
  if (!o.ok) throw new Error(o.problems.map((p) => `${p.file}: ${p.message}`).join('\n'));
  return o.summary.counts;
}

describe.each(connectorFactories)('import loads on $name', ({ create }) => {
  let api: DbApi;
  let task = 1;

  beforeAll(async () => {
    api = new DbApi(create, async (p) => new Uint8Array(await readFile('public/' + p)));
  }, 60_000);
  afterAll(async () => (await api.init()).close());

  it('merges kinds into the current dataset, and a new dataset drops the kinds it does not bring', async () => {
    const all = await Promise.all((['areas', 'indicators', 'customers', 'sites', 'candidates'] as const).map(good));
    const full = counts(await api.loadFiles(all, { name: 'all' }, task++));
    expect(full).toMatchObject({ areas: 3, customers: GOOD_COUNTS.customers, sites: 20, indicators: 12, outside: GOOD_COUNTS.customersOutside });

    // Customers alone: the other kinds stay, the customers are assigned to the loaded areas.
    const merged = counts(await api.loadFiles([await good('customers')], {}, task++));
    expect(merged).toMatchObject({ areas: 3, customers: 60, sites: 20, indicators: 12, outside: 6 });

    const fresh = await api.loadFiles([await good('areas'), await good('sites')], { name: 'fresh', replaceAll: true }, task++);
    expect(counts(fresh)).toMatchObject({ areas: 3, customers: 0, sites: 20, indicators: 0, outside: 0 });
    if (fresh.ok) expect(fresh.files.map((f) => f.kind).sort()).toEqual(['areas', 'sites']);
    const tables = await api.query<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1`);
    // The dataset holds only what the fresh load brought; what it replaced or dropped is kept
    // once, as prev_*, for "Restore the previous data" (until the next load).
    expect(tables.map((r) => r.t).filter((t) => !t.startsWith('prev_'))).toEqual(['areas', 'rejects', 'sites']);
    expect(tables.map((r) => r.t).filter((t) => t.startsWith('prev_'))).toEqual(['prev_areas', 'prev_candidates', 'prev_customers', 'prev_indicators', 'prev_rejects', 'prev_sites']);
  });

  it('an optional column set to "not used" stays unused (the guess does not bring it back)', async () => {
    const csv = new TextEncoder().encode('客户号,经度,纬度,年龄\nk1,121.48,31.22,30\n');
    const o = await api.loadFiles(
      [{ kind: 'customers', fileName: 'k.csv', bytes: csv, mapping: { customer_id: '客户号', lon: '经度', lat: '纬度', age: '' } }],
      {},
      task++,
    );
    if (!o.ok) throw new Error(o.problems[0].message);
    const f = o.files.find((x) => x.kind === 'customers')!;
    expect(f.mapping).toEqual({ customer_id: '客户号', lon: '经度', lat: '纬度' });
    expect(f.extraColumns.map((c) => c.name)).toContain('年龄');
    const [r] = await api.query<{ age: number | null }>('SELECT age FROM customers');
    expect(r.age).toBeNull();
  });

  it('a failed new dataset leaves the previous one complete', async () => {
    const all = await Promise.all((['areas', 'indicators', 'customers', 'sites'] as const).map(good));
    counts(await api.loadFiles(all, { name: 'all' }, task++));
    const bad = await api.loadFiles(
      [await good('areas'), { kind: 'sites', fileName: 's.csv', bytes: new TextEncoder().encode('site_id,lon,lat\nA,121.4,31.2\n') }],
      { replaceAll: true },
      task++,
    );
    expect(bad.ok).toBe(false);
    const [r] = await api.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM customers');
    expect(r.n).toBe(60);
    expect(api.getSummary()?.counts).toMatchObject({ customers: 60, indicators: 12 });
  });
});
