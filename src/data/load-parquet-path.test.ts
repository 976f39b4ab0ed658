/**
 * Parquet read by native DuckDB from disk (LoadInput.path, the CLI's route for files of any size)
 * gives exactly what the bytes route (parquet-wasm → Arrow, the route of the browser and of the
 * CLI until now) gives: the same report, the same live tables row for row, the same rejects with
 * the same raw text — on every tabular fixture (good, bad, real), each written as Parquet, and
 * on the Parquet fixture itself; also split into a glob of several files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { NativeConnector } from '../db/native-connector.ts';
import { quoteIdent } from '../sql/ident.ts';
import { loadInputs, readRejects } from './load-inputs.ts';
import { LoadError } from './errors.ts';
import type { InputKind, LoadInput } from './types.ts';
import { BAD_FIXTURES_DIR, GOOD_FIXTURES, REAL_FIXTURES_DIR, badCases } from '../../test/fixtures/index.ts';
import { warningText } from './load-warnings.ts';

let dir: string;
let duck: DuckDBConnection;
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parquet-path-'));
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => {
  duck.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

/** The fixture as Parquet (all columns text, as a CSV holds them); null when DuckDB cannot parse it. */
async function asParquet(path: string, name: string): Promise<string | null> {
  if (path.endsWith('.parquet')) return path;
  const out = join(dir, name + '.parquet');
  // Parquet text is UTF-8: a GBK export (as Excel in China writes) is converted first, as a user would.
  const bytes = readFileSync(path);
  let csv = path;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    csv = join(dir, name + '.utf8.csv');
    writeFileSync(csv, iconv.decode(bytes, 'gb18030'));
  }
  try {
    await duck.run(`COPY (FROM read_csv(${lit(csv)}, all_varchar = true, header = true)) TO ${lit(out)} (FORMAT parquet)`);
    return out;
  } catch {
    return null; // ragged, badly quoted or non-UTF-8 files are CSV problems, not Parquet ones
  }
}

interface Outcome {
  report: unknown;
  tables: Record<string, unknown[]>;
  rejects: unknown[];
}

async function load(kind: InputKind, name: string, how: { bytes: Uint8Array } | { path: string }, areas: string | null): Promise<Outcome> {
  const conn = await NativeConnector.create();
  try {
    const inputs: LoadInput[] = [{ kind, fileName: name, ...('bytes' in how ? { bytes: how.bytes } : { bytes: new Uint8Array(0), path: how.path }) }];
    if (areas) inputs.push({ kind: 'areas', fileName: 'areas.geojson', bytes: readFileSync(areas) });
    let report: unknown;
    try {
      const r = await loadInputs(conn, inputs);
      report = { files: r.files, warnings: r.warnings.map(warningText), tables: r.tables, rowsRejected: r.rowsRejected };
    } catch (e) {
      if (!(e instanceof LoadError)) throw e;
      return { report: { problems: e.problems, files: e.files }, tables: {}, rejects: e.rejects };
    }
    const tables: Record<string, unknown[]> = {};
    for (const t of [kind, 'rejects']) {
      tables[t] = await conn.query(`SELECT * FROM ${quoteIdent(t)} ORDER BY ALL`);
    }
    return { report, tables, rejects: await readRejects(conn) };
  } finally {
    await conn.close();
  }
}

const CASES: { kind: InputKind; file: string; areas: string | null }[] = [
  { kind: 'customers', file: GOOD_FIXTURES.customers, areas: GOOD_FIXTURES.areas },
  { kind: 'sites', file: GOOD_FIXTURES.sites, areas: null },
  { kind: 'candidates', file: GOOD_FIXTURES.candidates, areas: null },
  { kind: 'indicators', file: GOOD_FIXTURES.indicators, areas: GOOD_FIXTURES.areas },
  { kind: 'customers', file: join(REAL_FIXTURES_DIR, 'customers.csv'), areas: join(REAL_FIXTURES_DIR, 'areas.geojson') },
  ...badCases()
    .filter((c) => c.kind !== 'areas' && /\.(csv|parquet)$/.test(c.file))
    .map((c) => ({ kind: c.kind, file: join(BAD_FIXTURES_DIR, c.file), areas: null })),
];

describe('Parquet from disk (native DuckDB) = Parquet from bytes (parquet-wasm)', () => {
  it.each(CASES.map((c) => [c.file.split('/').slice(-2).join('/'), c] as const))('%s', async (label, c) => {
    const name = label.replace('/', '_').replace(/\.\w+$/, '');
    const pq = await asParquet(c.file, name);
    expect(pq, 'DuckDB writes the fixture as Parquet').not.toBeNull();
    if (pq === null) return;
    const fileName = name + '.parquet';
    const fromBytes = await load(c.kind, fileName, { bytes: new Uint8Array(readFileSync(pq)) }, c.areas);
    const fromDisk = await load(c.kind, fileName, { path: pq }, c.areas);
    expect(fromDisk).toEqual(fromBytes);
  }, 60_000);

  it('numeric Parquet columns (read as numbers, not through text) give the same tables and rejects as the bytes route', async () => {
    // typed columns with every awkward value: NaN, ±inf, out of range, 0/0, negative amounts,
    // ages past 120, flags other than 0/1, a float, a decimal, big integers, nulls, a numeric id
    const pq = join(dir, 'typed.parquet');
    await duck.run(`COPY (SELECT * FROM (VALUES
      (1001, 121.47::DOUBLE, 31.23::FLOAT, 'young', 35::BIGINT, 1200.5::DECIMAL(12,2), 0::INTEGER, 1::TINYINT),
      (1002, 'NaN'::DOUBLE, 31.2::FLOAT, 'old', 70, 10, 0, 0),
      (1003, 121.5, 'inf'::FLOAT, 'old', 70, 10, 0, 0),
      (1004, 0, 0, 'old', 70, 10, 0, 0),
      (1005, 200, 31.2, 'old', 70, 10, 0, 0),
      (1006, 121.4, 31.1, 'old', -3, 10, 0, 0),
      (1007, 121.4, 31.1, NULL, 130, -5, 0, 0),
      (1008, 121.4, 31.1, 'old', NULL, NULL, 2, 0),
      (1009, NULL, 31.1, 'old', 9007199254740993, 1e300, 1, 1),
      (1010, 121.4, 31.1, 'old', 40, '-inf'::DOUBLE, 1, 1),
      (1001, 121.41, 31.21, 'young', 36, 0.1, 0, 1)
    ) t(customer_id, lon, lat, segment, age, balance, default_flag, digital_active)) TO ${lit(pq)} (FORMAT parquet)`);
    const fromBytes = await load('customers', 'typed.parquet', { bytes: new Uint8Array(readFileSync(pq)) }, GOOD_FIXTURES.areas);
    const fromDisk = await load('customers', 'typed.parquet', { path: pq }, GOOD_FIXTURES.areas);
    expect(fromDisk).toEqual(fromBytes);
    // and the rows were really checked (one reject per row, its first failed check): NaN lon and
    // inf lat are not numbers, lon 200, age −3 and age 130 out of range, a flag of 2, the repeated
    // id; −inf balance is an unreadable amount, emptied and counted, the row kept
    const rejects = (fromDisk.rejects as { line: number; code: string }[]).map((r) => [r.line, r.code]);
    expect(rejects.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [3, 'not_a_number'], [4, 'not_a_number'], [5, 'zero_zero'], [6, 'out_of_range'], [7, 'out_of_range'],
      [8, 'out_of_range'], [9, 'bad_value'], [10, 'coord_empty'], [12, 'duplicate_id'],
    ]);
    expect(JSON.stringify(fromDisk.report)).toMatch(/balance/);
  }, 60_000);

  it('reads a glob of files as one input, rows numbered across them in file-name order', async () => {
    const pq = (await asParquet(GOOD_FIXTURES.customers, 'glob_src'))!;
    const parts = join(dir, 'parts');
    await duck.run(`CREATE TABLE src AS SELECT *, row_number() OVER () AS __n FROM read_parquet(${lit(pq)})`);
    // three files of 20 rows (the fixture has 60); a bad coordinate in the middle file
    mkdirSync(parts);
    for (let k = 0; k < 3; k++) {
      await duck.run(`COPY (SELECT * EXCLUDE (__n) REPLACE (CASE WHEN __n = 25 THEN 'x' ELSE lon END AS lon) FROM src
        WHERE __n > ${k * 20} AND __n <= ${(k + 1) * 20} ORDER BY __n) TO ${lit(join(parts, `part-${k}.parquet`))} (FORMAT parquet)`);
    }
    expect(readdirSync(parts)).toHaveLength(3);
    const out = await load('customers', 'part-*.parquet', { path: join(parts, 'part-*.parquet') }, GOOD_FIXTURES.areas);
    const file = (out.report as { files: { rowsRead: number; rowsKept: number }[] }).files.find((f) => f.rowsRead === 60);
    expect(file?.rowsKept).toBe(59);
    const rejects = out.rejects as { line: number; column: string; code: string; raw: string }[];
    expect(rejects.map((r) => [r.line, r.column, r.code])).toEqual([[26, 'lon', 'not_a_number']]);
    expect(rejects[0].raw.split(',')[1]).toBe('x');
    expect((out.report as { warnings: string[] }).warnings.join('\n')).toMatch(/across the matched files \(3\), in file-name order/);
    const cut = join(dir, 'cut.parquet');
    writeFileSync(cut, readFileSync(pq).subarray(0, 400)); // a copy that stopped early
    const damaged = await load('customers', 'cut.parquet', { path: cut }, null);
    expect(JSON.stringify(damaged.report)).toMatch(/cut\.parquet.*could not be read as Parquet: the file is damaged or not Parquet/);
    const none = await load('customers', 'nothing-*.parquet', { path: join(parts, 'nothing-*.parquet') }, null);
    expect(JSON.stringify(none.report)).toMatch(/matches no file/);
  }, 60_000);
});
