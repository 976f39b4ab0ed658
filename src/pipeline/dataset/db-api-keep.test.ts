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

  it('a kept record of many pieces (a 20,000-position ring) and one kept as a single row both reopen', async () => {
    const ring: number[][] = [];
    for (let i = 0; i < 20_000; i++) {
      const t = (2 * Math.PI * i) / 20_000;
      ring.push([+(121.47 + 0.1 * Math.cos(t)).toFixed(7), +(31.23 + 0.1 * Math.sin(t)).toFixed(7)]);
    }
    ring.push(ring[0]);
    const big = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { area_id: 'BIG' }, geometry: { type: 'Polygon', coordinates: [ring] } }] });
    const out = await api.loadFiles([{ kind: 'areas', fileName: 'big.geojson', bytes: csv(big) }], { replaceAll: true }, 3);
    expect(out.ok).toBe(true);
    await api.keep('t4');
    const pieces = await conn.query<{ part: number; meta: string }>('SELECT part, meta FROM kept_dataset_meta ORDER BY part');
    expect(pieces.length).toBeGreaterThan(1);
    const again = reloaded();
    expect((await again.reopen('t4'))?.ok).toBe(true);
    expect(again.getAreas()).toEqual(api.getAreas());
    // as a database kept before the pieces holds it: one row, one column
    await conn.exec('CREATE OR REPLACE TABLE kept_dataset_meta (meta VARCHAR)');
    await conn.query('INSERT INTO kept_dataset_meta VALUES ($1::VARCHAR)', [pieces.map((p) => p.meta).join('')]);
    const old = reloaded();
    expect((await old.reopen('t4'))?.ok).toBe(true);
    expect(old.getAreas()).toEqual(api.getAreas());
  }, 120_000);
});
