/**
 * Big customer files for the CLI scale benchmarks, made once by native DuckDB SQL (no JS loop)
 * and cached in /tmp: the demo city's 200,000 customers repeated with a ±150 m jitter, so the
 * spread over Shanghai's 16 districts is realistic. Deterministic: the jitter and the ids come
 * from `hash(row, salt)`, not from a random generator, so every run makes the same rows (their
 * order in the file may differ: sorting 100M rows would double the time to make it).
 * 100M rows ≈ 2.5 GB of Parquet and a few minutes of two cores.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export const SCALE_DIR = '/tmp/bp-bench-scale';
const DEMO = new URL('../public/demo/customers.csv.gz', import.meta.url).pathname;

/** Path of the n-row customers Parquet file, generated when missing. */
export async function ensureScaleParquet(n: number): Promise<string> {
  mkdirSync(SCALE_DIR, { recursive: true });
  const out = join(SCALE_DIR, `customers-${n}.parquet`);
  if (existsSync(out)) return out;
  console.log(`# generating ${out}`);
  const t0 = performance.now();
  const db = await (await DuckDBInstance.create(':memory:', { temp_directory: join(SCALE_DIR, 'tmp') })).connect();
  // the demo's columns as lists, indexed per row: a projection over range() keeps its order
  // (no join, no sort), so the file is the same on every run
  await db.run(`CREATE TABLE demo AS SELECT list(lon) AS lon, list(lat) AS lat, list(segment) AS segment, list(age) AS age,
    list(balance) AS balance, list(loan_balance) AS loan_balance, list(default_flag) AS default_flag, list(digital_active) AS digital_active
    FROM read_csv('${DEMO}', header = true)`);
  const u = (salt: number) => `((hash(r.range, ${salt}) % 1000000)::DOUBLE / 1000000.0 - 0.5)`;
  const tmp = out + '.part';
  await db.run(`COPY (
    SELECT 'B' || lpad(CAST(r.range AS VARCHAR), 10, '0') AS customer_id,
      round(d.lon[i] + CASE WHEN r.range < 200000 THEN 0 ELSE ${u(1)} * 0.003 END, 6) AS lon,
      round(d.lat[i] + CASE WHEN r.range < 200000 THEN 0 ELSE ${u(2)} * 0.003 END, 6) AS lat,
      d.segment[i] AS segment, d.age[i] AS age, d.balance[i] AS balance, d.loan_balance[i] AS loan_balance,
      d.default_flag[i] AS default_flag, d.digital_active[i] AS digital_active
    FROM (SELECT range, CAST(range % 200000 + 1 AS INTEGER) AS i FROM range(${n})) r, demo d
  ) TO '${tmp}' (FORMAT parquet, COMPRESSION zstd)`);
  db.closeSync();
  renameSync(tmp, out);
  console.log(`# generated ${n} rows in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return out;
}
