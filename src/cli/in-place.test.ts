/**
 * The one-pass route (in-place.ts) against the general one (BP_IN_PLACE=0: the customers table,
 * then aggregateCustomers): on a Parquet file with every kind of bad row — a totals row, empty
 * ids, 0/0, out-of-range coordinates, a missing latitude, an impossible age, unreadable
 * balances (NaN, ∞: emptied and counted), extra columns (a code with leading zeros stays text) —
 * both must write the same bytes: hotspots, demand cells, rejects (with their raw text, in both
 * languages) and the --report JSON. A repeated customer_id and a bad option take the general
 * way, with the same results. Customers from the demo generator (seeded) on the demo areas.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { HashSet64 } from './in-place.ts';
import { ROOT, QUEUED_TIMEOUT_MS, runCli, useTempDir, type CliRun } from './cli-test-helpers.ts';

const tempDir = useTempDir('in-place-cli-');
const AREAS = join(ROOT, 'public/demo/areas.geojson');
const N = 20_000;
const TIMEOUT = 2 * QUEUED_TIMEOUT_MS;
let dir: string;
let messy: string;
let dups: string;

beforeAll(async () => {
  dir = tempDir();
  const csv = join(dir, 'customers.csv');
  const gen = spawnSync(process.execPath, ['--import', 'tsx', 'demo/generate.ts', '--customers', String(N), '--out', csv], { cwd: ROOT });
  expect(gen.status, String(gen.stderr)).toBe(0);
  messy = join(dir, 'messy.parquet');
  dups = join(dir, 'dups.parquet');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(`CREATE TABLE c AS SELECT * FROM read_csv($1)`, [csv]);
  await db.run(`CREATE TABLE m AS SELECT *, lpad(CAST(rowid % 3 AS VARCHAR), 3, '0') AS branch_code, CAST(rowid % 97 AS DOUBLE) / 10 AS score FROM c ORDER BY rowid`);
  for (const sql of [
    `UPDATE m SET lon = 0, lat = 0 WHERE rowid % 997 = 5`,
    `UPDATE m SET lon = 200 WHERE rowid % 1009 = 7`,
    `UPDATE m SET balance = 'NaN'::DOUBLE WHERE rowid % 503 = 3`,
    `UPDATE m SET balance = 'inf'::DOUBLE WHERE rowid % 701 = 3`,
    `UPDATE m SET age = 150 WHERE rowid % 809 = 1`,
    `UPDATE m SET customer_id = '  ' WHERE rowid % 1201 = 2`,
    `UPDATE m SET customer_id = '合计' WHERE rowid = 1500`,
    `UPDATE m SET lat = NULL WHERE rowid % 1103 = 4`,
  ]) await db.run(sql);
  await db.run(`COPY (SELECT * FROM m ORDER BY rowid) TO '${messy}' (FORMAT parquet)`);
  await db.run(`UPDATE m SET customer_id = (SELECT customer_id FROM m WHERE rowid = 10) WHERE rowid % 4001 = 11`);
  await db.run(`COPY (SELECT * FROM m ORDER BY rowid) TO '${dups}' (FORMAT parquet)`);
  db.closeSync();
}, TIMEOUT);

/** Both routes on the same arguments; output files get a per-route suffix. */
async function bothRoutes(args: (tag: string) => string[]): Promise<{ inPlace: CliRun; general: CliRun }> {
  const [inPlace, general] = await Promise.all([
    runCli(args('a'), { BP_SQL_TRACE: '1' }),
    runCli(args('b'), { BP_IN_PLACE: '0' }),
  ]);
  return { inPlace, general };
}

/** stderr without the trace lines (`[…]`) and the timings of `aggregate`. */
const said = (r: CliRun) => r.stderr.split('\n').filter((l) => !l.startsWith('[')).join('\n').replace(/read and counted in [\d.]+ s, written in [\d.]+ s/, '');
const file = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('cli: customers counted in one pass equal the customers table route', () => {
  it('hotspots (a filtered sum): same cells, rejects and report, byte for byte', async () => {
    const { inPlace, general } = await bothRoutes((t) => [
      'hotspots', '--areas', AREAS, '--customers', messy, '--value', 'balance', '--filter', 'segment=family', '--resolution', '9',
      '--out', join(dir, `hs-${t}.csv`), '--rejects', join(dir, `rej-${t}.csv`), '--report', join(dir, `rep-${t}.json`),
    ]);
    expect(inPlace.code, inPlace.stderr).toBe(0);
    expect(general.code, general.stderr).toBe(0);
    expect(inPlace.stderr).toMatch(/\[in-place: 20000 rows in one pass\]/);
    expect(file('hs-a.csv')).toBe(file('hs-b.csv'));
    expect(file('rej-a.csv')).toBe(file('rej-b.csv'));
    expect(file('rep-a.json')).toBe(file('rep-b.json'));
    expect(said(inPlace)).toBe(said(general));
    // the file really has each kind of problem, and the soft values were counted
    const report = JSON.parse(file('rep-a.json'));
    const customers = report.files.find((f: { kind: string }) => f.kind === 'customers');
    expect(Object.keys(customers.rejectsByCode).sort()).toEqual(['coord_empty', 'empty_required', 'out_of_range', 'totals_row', 'zero_zero']);
    expect(customers.warnings.map((w: { code: string }) => w.code)).toContain('unreadNumbers');
    expect(customers.extraColumns).toEqual([{ name: 'branch_code', type: 'VARCHAR' }, { name: 'score', type: 'DOUBLE' }]);
    expect(file('rej-a.csv')).toMatch(/^messy\.parquet,1502,,.*"合计,/m); // a whole-row reject: no column
  }, TIMEOUT);

  it('aggregate (two resolutions, two group columns, extras summed): same table and rejects in Chinese', async () => {
    const { inPlace, general } = await bothRoutes((t) => [
      'aggregate', '--areas', AREAS, '--customers', messy, '--resolution', '8,9', '--by', 'segment,branch_code', '--lang', 'zh-CN',
      '--out', join(dir, `ag-${t}.csv`), '--rejects', join(dir, `agrej-${t}.csv`),
    ]);
    expect(inPlace.code, inPlace.stderr).toBe(0);
    expect(general.code, general.stderr).toBe(0);
    expect(inPlace.stderr).toMatch(/\[in-place: 20000 rows in one pass\]/);
    expect(file('ag-a.csv')).toBe(file('ag-b.csv'));
    expect(file('agrej-a.csv')).toBe(file('agrej-b.csv'));
    expect(said(inPlace)).toBe(said(general));
    expect(file('ag-a.csv').split('\n')[0]).toBe('h3,resolution,area_id,segment,branch_code,count,sum_age,n_age,sum_balance,n_balance,sum_loan_balance,n_loan_balance,sum_default_flag,n_default_flag,sum_digital_active,n_digital_active,sum_score,n_score');
  }, TIMEOUT);

  it('a repeated customer_id goes the general way: its later rows are rejected, not counted', async () => {
    const { inPlace, general } = await bothRoutes((t) => [
      'hotspots', '--areas', AREAS, '--customers', dups, '--out', join(dir, `dup-${t}.csv`), '--rejects', join(dir, `duprej-${t}.csv`),
    ]);
    expect(inPlace.code, inPlace.stderr).toBe(0);
    expect(inPlace.stderr).toMatch(/\[in-place: the file repeats a customer_id; the general way\]/);
    expect(file('dup-a.csv')).toBe(file('dup-b.csv'));
    expect(file('duprej-a.csv')).toBe(file('duprej-b.csv'));
    expect(file('duprej-a.csv')).toMatch(/duplicate customer_id \(first on line 12\)/);
    expect(said(inPlace)).toBe(said(general));
  }, TIMEOUT);

  it('a bad option is named after the file summary, as on the general way', async () => {
    const { inPlace, general } = await bothRoutes(() => ['aggregate', '--areas', AREAS, '--customers', messy, '--by', 'nosuch', '--out', join(dir, 'x.csv')]);
    expect(inPlace.code).toBe(1);
    expect(general.code).toBe(1);
    expect(said(inPlace)).toBe(said(general));
    expect(said(inPlace)).toMatch(/messy\.parquet: 20000 rows read[\s\S]*no column "nosuch" to group by/);
  }, TIMEOUT);
});

describe('HashSet64', () => {
  it('tells a key seen before, across probing chains, the zero key included', () => {
    const set = new HashSet64(100);
    const seen = new Set<string>();
    let repeats = 0;
    // 3,500 distinct keys, 20,000 adds: keys collide on purpose (few distinct low bits), so the
    // answers depend on the probing being right.
    for (let i = 0; i < 20_000; i++) {
      const lo = (i % 500) * 65536;
      const hi = i % 7;
      const key = `${lo}:${hi}`;
      const had = seen.has(key);
      seen.add(key);
      if (had) repeats++;
      expect(set.add(lo, hi)).toBe(had);
    }
    expect(seen.size).toBe(3500);
    expect(repeats).toBeGreaterThan(0);
    expect(set.add(0, 0)).toBe(true); // the zero key (i = 0) is kept apart from empty slots
    const fresh = new HashSet64(10);
    expect(fresh.add(0, 0)).toBe(false);
    expect(fresh.add(0, 0)).toBe(true);
    expect(fresh.add(0, 1)).toBe(false);
    expect(fresh.add(1, 0)).toBe(false);
    expect(fresh.add(0, 1)).toBe(true);
  });

  it('staged keys: every extra sighting is reported once, across queue flushes and regions', () => {
    // 200,000 keys over 32 regions, queues of 64: a key's sightings land in different flushes
    // (and the first may still be queued when the second comes), the zero key included.
    const set = new HashSet64(200_000, 64);
    const want: string[] = [];
    const seen = new Set<string>();
    let x = 12345;
    for (let i = 0; i < 200_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      // about one key in four is one of 3,000 repeated ones (few distinct low bits)
      const lo = x % 4 === 0 ? (x >>> 8) % 3000 * 4096 : x;
      const hi = x % 4 === 0 ? 7 : i;
      const key = `${lo}:${hi}`;
      if (seen.has(key)) want.push(key);
      seen.add(key);
      set.stage(lo, hi);
    }
    set.stage(0, 0);
    set.stage(0, 0);
    want.push('0:0');
    const got = set.drain().map((k) => `${Number(k & 0xffffffffn)}:${Number(k >> 32n)}`);
    expect(got.length).toBeGreaterThan(40_000);
    expect(got.sort()).toEqual(want.sort());
    // drained: the keys are in the set, and nothing more is reported
    expect(set.add(want[0].split(':').map(Number)[0], 7)).toBe(true);
    expect(set.drain()).toEqual([]);
  });

  it('a region that fills up throws instead of probing forever', () => {
    const set = new HashSet64(10, 8);
    // more keys than the 65,536 slots of its 8 regions
    expect(() => {
      for (let i = 1; i <= 70_000; i++) set.add(i, 0);
    }).toThrow(/region full/);
  });
});

