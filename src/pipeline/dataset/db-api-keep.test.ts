/**
 * A reload reopens the database file that still holds the kept dataset (the browser's OPFS
 * working file) instead of loading the kept files again: `keep(token)` tags the database, a new
 * DbApi over the same database brings the dataset back with `reopen(token)`, and a tag that no
 * longer describes the tables (another load since, an undo, another token) brings nothing back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorFactories } from '../../db/connector-factories.ts';
import type { Connector } from '../../db/connector.ts';
import { DbApi, type LoadOutcome } from './db-api.ts';

const csv = (s: string) => new TextEncoder().encode(s);
const AREAS = JSON.stringify({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { area_id: 'A' }, geometry: { type: 'Polygon', coordinates: [[[121, 31], [122, 31], [122, 32], [121, 32], [121, 31]]] } }],
});
const CUSTOMERS = 'customer_id,lon,lat\nC1,121.5,31.5\nC2,121.6,31.6\nC3,x,31.6\n';

describe.each(connectorFactories)('DbApi keep and reopen on $name', ({ create }) => {
  let conn: Connector;
  let api: DbApi;
  let loaded: LoadOutcome;
  /** A second DbApi over the same database: what a reloaded page's worker is. */
  const reloaded = () => new DbApi(async () => conn, async () => new Uint8Array());

  beforeAll(async () => {
    conn = await create();
    api = new DbApi(async () => conn, async () => new Uint8Array());
    loaded = await api.loadFiles(
      [
        { kind: 'areas', fileName: 'a.geojson', bytes: csv(AREAS) },
        { kind: 'customers', fileName: 'c.csv', bytes: csv(CUSTOMERS) },
      ],
      { name: 'Mine', replaceAll: true },
      1,
    );
  }, 120_000);
  afterAll(async () => conn.close());

  it('reopen brings back what the load gave: summary, areas, file reports, rejects', async () => {
    expect(loaded.ok).toBe(true);
    await api.keep('t1');
    const again = reloaded();
    const out = await again.reopen('t1');
    expect(out).toEqual({ ...loaded, warnings: [] });
    expect(again.getAreas()).toEqual(api.getAreas());
    expect(again.getSummary()?.counts).toMatchObject({ customers: 2, rejects: 1, areas: 1 });
    expect(out?.ok && out.rejects.map((r) => [r.line, r.code])).toEqual([[4, 'not_a_number']]);
  }, 60_000);

  it('another token, a later load or an undo leave nothing to reopen', async () => {
    await api.keep('t2');
    expect(await reloaded().reopen('t1')).toBeNull();
    expect((await reloaded().reopen('t2'))?.ok).toBe(true);
    await api.loadFiles([{ kind: 'customers', fileName: 'd.csv', bytes: csv('customer_id,lon,lat\nD1,121.5,31.5\n') }], {}, 2);
    expect(await reloaded().reopen('t2')).toBeNull();
    await api.keep('t3');
    await api.restorePrevious();
    expect(await reloaded().reopen('t3')).toBeNull();
  }, 60_000);
});
