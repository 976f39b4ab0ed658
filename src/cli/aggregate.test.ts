/**
 * `aggregate` → `hotspots --cells` on the demo city (public/demo areas; 20,000 customers from the
 * demo generator, seeded, so the machine's CLI runs stay short):
 * hotspots from the demand-cell table equal hotspots from the raw rows exactly, for counts, for
 * a filtered sum, at two resolutions, and from a warehouse-shaped table (integer h3, CSV, only
 * the columns needed). The raw-row CLI output is itself checked against the app's SQL route
 * (HotspotWorkflow: per-customer cells in DuckDB, `cellTotalsSql`), an independent computation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Geometry } from 'geojson';
import { DuckDBInstance } from '@duckdb/node-api';
import { cellToLatLng } from 'h3-js';
import { NativeConnector } from '../db/native-connector.ts';
import { loadInputs } from '../data/load-inputs.ts';
import { HotspotWorkflow } from '../pipeline/hotspots/hotspot-workflow.ts';
import { connectorDbPort } from '../pipeline/hotspots/hotspot-db-port.ts';
import { ROOT, QUEUED_TIMEOUT_MS, cliCommand, csvRecords, runCli, useTempDir } from './cli-test-helpers.ts';

const tempDir = useTempDir('aggregate-cli-');
const hotspots = cliCommand('hotspots');
const AREAS = join(ROOT, 'public/demo/areas.geojson');
const N = 20_000;
let CUSTOMERS: string;
const TIMEOUT = 2 * QUEUED_TIMEOUT_MS;

let dir: string;
let cells: string;

beforeAll(async () => {
  dir = tempDir();
  cells = join(dir, 'cells.parquet');
  CUSTOMERS = join(dir, 'customers.csv');
  const gen = spawnSync(process.execPath, ['--import', 'tsx', 'demo/generate.ts', '--customers', String(N), '--out', CUSTOMERS], { cwd: ROOT });
  expect(gen.status, String(gen.stderr)).toBe(0);
  const r = await runCli(['aggregate', '--areas', AREAS, '--customers', CUSTOMERS, '--resolution', '8,9', '--by', 'segment', '--out', cells]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(new RegExp(`aggregate: ${N} customers → \\d+ rows \\(h3, resolution, area_id, segment, count, sum_age, n_age, sum_balance, n_balance`));
}, TIMEOUT);

async function sameHotspots(raw: string[], fromCells: string[]): Promise<Record<string, string>[]> {
  const [a, b] = await Promise.all([hotspots(['--areas', AREAS, '--customers', CUSTOMERS, ...raw]), hotspots(['--areas', AREAS, '--cells', cells, ...fromCells])]);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  expect(b.stdout).toBe(a.stdout); // byte for byte: same cells, values, z, p, classes
  return csvRecords(a.stdout);
}

describe('cli aggregate → hotspots --cells (demo city)', () => {
  it('writes one row per (resolution, cell, segment) whose counts add up to the customers', async () => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (await db.runAndReadAll(
      `SELECT resolution, CAST(sum(count) AS INTEGER) AS n, CAST(count(DISTINCT h3) AS INTEGER) AS cells,
         CAST(count(*) FILTER (WHERE area_id IS NULL) AS INTEGER) AS outside, CAST(sum(n_balance) AS INTEGER) AS nb
       FROM read_parquet($1) GROUP BY 1 ORDER BY 1`, [cells])).getRowObjectsJS();
    expect(rows.map((r) => [r.resolution, r.n, r.nb])).toEqual([[8, N, N], [9, N, N]]);
    expect(Number(rows[1].cells)).toBeGreaterThan(Number(rows[0].cells));
    const dup = (await db.runAndReadAll(`SELECT count(*) - count(DISTINCT (resolution, h3, segment)) AS d FROM read_parquet($1)`, [cells])).getRowObjectsJS();
    expect(Number(dup[0].d)).toBe(0);
    db.closeSync();
  }, TIMEOUT);

  it('counts: equal to the raw rows and to the app\'s SQL route, exactly', async () => {
    const out = await sameHotspots([], []);
    // the independent route: per-customer cells stored in DuckDB, totals by SQL GROUP BY
    const conn = await NativeConnector.create();
    try {
      const report = await loadInputs(conn, [
        { kind: 'areas', fileName: 'areas.geojson', bytes: readFileSync(AREAS) },
        { kind: 'customers', fileName: 'customers.csv', bytes: readFileSync(CUSTOMERS) },
      ]);
      const wf = new HotspotWorkflow(connectorDbPort(conn));
      const ds = wf.open('demo', report.areas!.features.map((f) => f.geometry as Geometry));
      await ds.ensureAssigned(8);
      const r = await ds.compute({ resolution: 8, rings: 1, statistic: 'gi', measure: 'count', fdr: false, permutations: 0, seed: 1 }, { value: { kind: 'count' } });
      const h3 = ds.grid(8).h3;
      wf.dispose();
      expect(out.map((x) => x.h3)).toEqual(h3);
      expect(out.map((x) => Number(x.value))).toEqual(Array.from(r.values));
      expect(out.map((x) => Number(x.gi_z))).toEqual(Array.from(r.z));
      expect(out.filter((x) => x.class.startsWith('hot')).length).toBeGreaterThan(5);
    } finally {
      await conn.close();
    }
  }, TIMEOUT);

  it('a filtered sum at resolution 9: equal to the raw rows', async () => {
    const opts = ['--resolution', '9', '--value', 'balance', '--filter', 'segment=young', '--fdr'];
    const out = await sameHotspots(opts, opts);
    expect(out.some((x) => Number(x.value) > 0)).toBe(true);
  }, TIMEOUT);

  it('a warehouse-shaped table (integer h3, CSV, needed columns only): equal to the raw rows', async () => {
    const wh = join(dir, 'warehouse.csv');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    // what ClickHouse's geoToH3 (UInt64) or Spark's h3_longlatash3 (BIGINT) hand back
    await db.run(`COPY (SELECT CAST(('0x' || h3) AS UBIGINT) AS h3, resolution, count, sum_balance, n_balance FROM read_parquet('${cells.replaceAll("'", "''")}'))
      TO '${wh.replaceAll("'", "''")}' (FORMAT csv, HEADER true)`);
    db.closeSync();
    const opts = ['--value', 'balance'];
    const [a, b] = await Promise.all([hotspots(['--areas', AREAS, '--customers', CUSTOMERS, ...opts]), hotspots(['--areas', AREAS, '--cells', wh, ...opts])]);
    expect(b.code, b.stderr).toBe(0);
    const ra = csvRecords(a.stdout);
    const rb = csvRecords(b.stdout);
    expect(rb.map((x) => x.h3)).toEqual(ra.map((x) => x.h3));
    // sums over segments add in another order: equal to rounding, classes identical
    rb.forEach((x, i) => {
      expect(Number(x.value)).toBeCloseTo(Number(ra[i].value), 4);
      expect(Number(x.gi_z)).toBeCloseTo(Number(ra[i].gi_z), 9);
    });
    expect(rb.map((x) => x.class)).toEqual(ra.map((x) => x.class));
  }, TIMEOUT);

  it('sites --demand cells: the plan of weighted points at the cell centres, said to be approximate', async () => {
    const SITES = join(ROOT, 'public/demo/sites.csv');
    const base = ['sites', '--areas', AREAS, '--sites', SITES, '--k', '3'];
    // The same demand written independently as a demand-points file: one point per resolution-8
    // cell at its centre (h3-js), weighing its customers.
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const perCell = (await db.runAndReadAll(
      `SELECT h3, CAST(sum(count) AS INTEGER) AS n FROM read_parquet($1) WHERE resolution = 8 GROUP BY h3 ORDER BY h3`, [cells])).getRowObjectsJS();
    const points = join(dir, 'cell-points.csv');
    writeFileSync(points, 'point_id,lon,lat,weight\n' + perCell.map((r) => {
      const [lat, lon] = cellToLatLng(String(r.h3));
      return `${r.h3},${lon},${lat},${r.n}`;
    }).join('\n') + '\n');
    const [a, b] = await Promise.all([runCli([...base, '--demand-points', points]), runCli([...base, '--demand', 'cells', '--cells', cells])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const ra = csvRecords(a.stdout);
    const rb = csvRecords(b.stdout);
    expect(rb).toHaveLength(3);
    expect(rb.map((r) => r.site_id)).toEqual(ra.map((r) => r.site_id));
    rb.forEach((r, i) => expect(Number(r.covered_demand)).toBeCloseTo(Number(ra[i].covered_demand), 6));
    expect(b.stderr).toMatch(/demand from the demand-cell table at resolution 8: approximate — each cell's customers count at its centre \(cell edge ≈ [\d.]+ m\)/);
    const usage = await runCli([...base, '--demand', 'cells']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--demand cells and --cells FILE go together/);
  }, TIMEOUT);

  it('refuses unusable tables with sentences naming the file', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'h3,resolution,count\n8830982001fffff,8,3\nnot-a-cell,8,2\n8930982001fffff,8,1\n');
    const r = await hotspots(['--areas', AREAS, '--cells', bad]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/bad\.csv: line 3, column h3: "not-a-cell" is not an H3 cell index/);
    expect(r.stderr).toMatch(/bad\.csv: line 4, column h3: cell 8930982001fffff is not at resolution 8/);
    const none = await hotspots(['--areas', AREAS, '--cells', bad, '--resolution', '7']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/bad\.csv has no rows at resolution 7/);
    const noSum = await hotspots(['--areas', AREAS, '--cells', bad, '--value', 'balance']);
    expect(noSum.code).toBe(1);
    expect(noSum.stderr).toMatch(/bad\.csv: a demand-cell table needs the column\(s\) sum_balance, n_balance/);
    expect(noSum.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, TIMEOUT);
});
