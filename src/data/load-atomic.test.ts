/**
 * Loader behaviour beyond single files, on both engines: failed and cancelled loads leave the
 * previous tables intact; CRS conversion; gzip; areas given separately; re-assignment of
 * customers when boundaries change; rejects replaced per kind; progress.
 */
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import gcoord from 'gcoord';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { loadInputs, readRejects } from './load-inputs.ts';
import { LoadCancelled, LoadError } from './errors.ts';
import type { InputKind, LoadInput, LoadProgress } from './types.ts';
import { BAD_FIXTURES_DIR, GOOD_COUNTS, GOOD_FIXTURES } from '../../test/fixtures/index.ts';
import { warningText } from './load-warnings.ts';

const file = (kind: InputKind, path: string, extra: Partial<LoadInput> = {}): LoadInput => ({
  kind, fileName: path.split('/').pop()!, bytes: new Uint8Array(readFileSync(path)), ...extra,
});
const text = (kind: InputKind, fileName: string, content: string, extra: Partial<LoadInput> = {}): LoadInput => ({
  kind, fileName, bytes: new TextEncoder().encode(content), ...extra,
});
const good = () => [
  file('areas', GOOD_FIXTURES.areas),
  file('indicators', GOOD_FIXTURES.indicators),
  file('customers', GOOD_FIXTURES.customers),
  file('sites', GOOD_FIXTURES.sites),
];

function bigCustomers(rows: number): string {
  const out = ['customer_id,lon,lat,segment'];
  for (let i = 0; i < rows; i++) out.push(`X${i},${(121 + (i % 1000) / 2000).toFixed(5)},${(31 + (i % 997) / 2000).toFixed(5)},young`);
  return out.join('\n') + '\n';
}

describeOnEachEngine('loader on $name', (conn) => {
  const snapshot = async () => ({
    customers: await conn().query('SELECT customer_id, area_id FROM customers ORDER BY customer_id'),
    indicators: await conn().query('SELECT count(*)::INTEGER AS n FROM indicators'),
    rejects: await conn().query('SELECT count(*)::INTEGER AS n FROM rejects'),
  });

  it('a failed load changes nothing and reports every problem', async () => {
    await loadInputs(conn(), good());
    const before = await snapshot();
    const err = await loadInputs(conn(), [
      file('customers', `${BAD_FIXTURES_DIR}/duplicate_ids.csv`),
      file('indicators', `${BAD_FIXTURES_DIR}/mixed_periods.csv`),
      file('sites', `${BAD_FIXTURES_DIR}/header_only.csv`),
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as LoadError).problems.map((p) => p.file).sort()).toEqual(['header_only.csv', 'mixed_periods.csv']);
    // Row rejects are still reported for the files that were readable.
    const dupRejects = (err as LoadError).rejects.filter((r) => r.file === 'duplicate_ids.csv');
    expect(dupRejects.map((r) => r.line)).toEqual([4, 6]);
    expect(await snapshot()).toEqual(before);
    expect(await conn().query("SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, '__bp_')")).toEqual([]);
  });

  it('a cancelled load changes nothing (abort between steps)', async () => {
    await loadInputs(conn(), good());
    const before = await snapshot();
    const ac = new AbortController();
    const err = await loadInputs(conn(), [text('customers', 'big.csv', bigCustomers(20_000))], {}, {
      signal: ac.signal,
      onProgress: (p) => p.step === 'validate' && ac.abort(),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadCancelled);
    expect((err as Error).name).toBe('AbortError');
    expect(await snapshot()).toEqual(before);
  });

  it('a cancelled load changes nothing (abort while DuckDB reads)', async () => {
    const before = await snapshot();
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    const outcome = await loadInputs(conn(), [text('customers', 'bigger.csv', bigCustomers(400_000))], {}, {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.step === 'read' && !timer) timer = setTimeout(() => ac.abort(), 40);
      },
    }).catch((e: unknown) => e);
    if (Date.now() - started < 40) return; // finished before the abort: nothing to check
    expect(outcome).toBeInstanceOf(LoadCancelled);
    expect(await snapshot()).toEqual(before);
    // The connection is usable afterwards.
    expect(await conn().query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('an aborted signal before the start loads nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(loadInputs(conn(), good(), {}, { signal: ac.signal })).rejects.toBeInstanceOf(LoadCancelled);
  });

  it('progress is monotonic and ends at 1', async () => {
    const seen: LoadProgress[] = [];
    await loadInputs(conn(), good(), {}, { onProgress: (p) => seen.push(p) });
    const fractions = seen.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ step: 'done', fraction: 1 });
    expect(new Set(seen.map((p) => p.kind).filter(Boolean))).toEqual(new Set(['areas', 'indicators', 'customers', 'sites']));
  });

  it('converts GCJ-02 files to WGS84 (points and areas)', async () => {
    const toGcj = (lon: number, lat: number) => gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02) as number[];
    const wgs = readFileSync(GOOD_FIXTURES.customers, 'utf8').trim().split('\n');
    const gcj = [wgs[0], ...wgs.slice(1).map((l) => {
      const f = l.split(',');
      const [x, y] = toGcj(Number(f[1]), Number(f[2]));
      return [f[0], x.toFixed(8), y.toFixed(8), ...f.slice(3)].join(',');
    })].join('\n');
    const areas = JSON.parse(readFileSync(GOOD_FIXTURES.areas, 'utf8'));
    for (const f of areas.features) {
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const poly of polys) for (const ring of poly) for (const p of ring) [p[0], p[1]] = toGcj(p[0], p[1]);
    }
    const report = await loadInputs(conn(), [
      text('areas', 'areas-gcj.geojson', JSON.stringify(areas), { crs: 'gcj02' }),
      text('customers', 'customers-gcj.csv', gcj, { crs: 'gcj02' }),
    ]);
    expect(report.files.find((f) => f.kind === 'customers')?.outsideStudyArea).toBe(GOOD_COUNTS.customersOutside);
    expect(report.files.every((f) => f.crs === 'gcj02')).toBe(true);
    const got = await conn().query<{ customer_id: string; lon: number; lat: number }>('SELECT customer_id, lon, lat FROM customers ORDER BY customer_id');
    const expected = new Map(wgs.slice(1).map((l) => l.split(',')).map((f) => [f[0], [Number(f[1]), Number(f[2])]]));
    for (const r of got) {
      const [lon, lat] = expected.get(r.customer_id)!;
      expect(Math.abs(r.lon - lon)).toBeLessThan(2e-5); // ~2 m: gcoord's inverse is approximate
      expect(Math.abs(r.lat - lat)).toBeLessThan(2e-5);
    }
  });

  it('reads gzip-compressed CSV', async () => {
    const gz = new Uint8Array(gzipSync(readFileSync(GOOD_FIXTURES.customers)));
    const report = await loadInputs(conn(), [{ kind: 'customers', fileName: 'customers.csv.gz', bytes: gz }]);
    expect(report.files[0].rowsKept).toBe(GOOD_COUNTS.customers);
  });

  it('uses areas from an earlier load, and re-assigns customers when areas change', async () => {
    const first = await loadInputs(conn(), [file('areas', GOOD_FIXTURES.areas)]);
    const alone = await loadInputs(conn(), [file('customers', GOOD_FIXTURES.customers)]);
    expect(alone.files[0].outsideStudyArea).toBeUndefined();
    expect(alone.warnings.map(warningText).join()).toContain('not assigned to areas');
    expect(await conn().query('SELECT count(area_id)::INTEGER AS n FROM customers')).toEqual([{ n: 0 }]);
    const withAreas = await loadInputs(conn(), [file('customers', GOOD_FIXTURES.customers)], { areas: first.areas });
    expect(withAreas.files[0].outsideStudyArea).toBe(GOOD_COUNTS.customersOutside);
    // New boundaries: only 310101 → everyone else is now outside; customers were not reloaded.
    const one = JSON.parse(readFileSync(GOOD_FIXTURES.areas, 'utf8'));
    one.features = one.features.slice(0, 1);
    const r = await loadInputs(conn(), [text('areas', 'one.geojson', JSON.stringify(one))]);
    expect(r.tables).toContain('customers');
    expect(await conn().query('SELECT area_id, count(*)::INTEGER AS n FROM customers GROUP BY 1 ORDER BY 1 NULLS LAST')).toEqual([
      { area_id: '310101', n: 18 },
      { area_id: null, n: GOOD_COUNTS.customers - 18 },
    ]);
  });

  it('ids in rising order skip the duplicate search; a repeat among sorted ids is still rejected, naming the first line', async () => {
    // More rows than the rise test's first look (KEYS_RISE_SAMPLE), so both of its reads run.
    const ids = Array.from({ length: 70_000 }, (_, i) => `C${String(i + 1).padStart(6, '0')}`);
    const rows = (list: string[]) => `customer_id,lon,lat\n${list.map((id, i) => `${id},121.${String(4000 + (i % 1000))},31.2`).join('\n')}\n`;
    const sorted = await loadInputs(conn(), [text('customers', 'sorted.csv', rows(ids))]);
    expect(sorted.files[0]).toMatchObject({ rowsKept: 70_000, rowsRejected: 0 });
    // The same ids with one repeated at the end, then with two swapped: a duplicate each.
    const repeated = await loadInputs(conn(), [text('customers', 'repeat.csv', rows([...ids, ids[ids.length - 1]]))]);
    expect(repeated.files[0]).toMatchObject({ rowsKept: 70_000, rowsRejected: 1 });
    expect((await readRejects(conn())).map((r) => [r.line, r.code, r.params])).toEqual([[70_002, 'duplicate_id', { line: 70_001, column: 'customer_id' }]]);
    const late = [...ids.slice(0, 69_000), ids[5], ...ids.slice(69_000)];
    const unsorted = await loadInputs(conn(), [text('customers', 'late.csv', rows(late))]);
    expect(unsorted.files[0]).toMatchObject({ rowsKept: 70_000, rowsRejected: 1 });
    expect((await readRejects(conn())).map((r) => [r.line, r.code, r.params])).toEqual([[69_002, 'duplicate_id', { line: 7, column: 'customer_id' }]]);
  });

  it('replaces rejects per kind: other kinds keep theirs', async () => {
    await loadInputs(conn(), [file('customers', `${BAD_FIXTURES_DIR}/duplicate_ids.csv`)]);
    await loadInputs(conn(), [file('sites', `${BAD_FIXTURES_DIR}/sites_bad_values.csv`)]);
    const kinds = async () => (await readRejects(conn())).map((r) => r.kind);
    expect(await kinds()).toEqual(['customers', 'customers', 'sites', 'sites', 'sites', 'sites']);
    await loadInputs(conn(), [file('customers', GOOD_FIXTURES.customers)]);
    expect(await kinds()).toEqual(['sites', 'sites', 'sites', 'sites']);
  });

  it('column mapping: explicit choices override guesses; a bad mapping is a clear error', async () => {
    const csv = 'id,x,y,lng,lat\nc1,1,2,121.4,31.2\n';
    const r = await loadInputs(conn(), [text('customers', 'm.csv', csv, { mapping: { lon: 'lng', lat: 'lat' } })]);
    expect(r.files[0].mapping).toMatchObject({ customer_id: 'id', lon: 'lng', lat: 'lat' });
    expect(await conn().query('SELECT customer_id, lon, lat, x, y FROM customers')).toEqual([{ customer_id: 'c1', lon: 121.4, lat: 31.2, x: 1, y: 2 }]);
    const err = await loadInputs(conn(), [text('customers', 'm.csv', csv, { mapping: { lon: 'nope' } })]).catch((e: unknown) => e);
    expect((err as LoadError).message).toMatch(/m\.csv: column mapping lon → "nope"/);
  });
});
