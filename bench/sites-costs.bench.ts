/**
 * An 8M-row cost file (100k demand points × 80 candidates) through the loader on native
 * DuckDB (the CLI's path: read_csv, validation, duplicate-pair check) and into the cost
 * table (ids resolved to indices in DuckDB, three numeric columns to JS).
 * Prints `name<TAB>value<TAB>unit<TAB>target[<TAB>note]`.
 */
import { existsSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { NativeConnector } from '../src/db/native-connector.ts';
import { loadInputs } from '../src/data/load-inputs.ts';
import { readCosts, readDemandPoints } from '../src/pipeline/sites/sites-inputs.ts';
import { mulberry32 } from '../src/core/rng.ts';

const N = 100_000, C = 80;
const dir = process.env.BENCH_TMP ?? '/tmp';
const pointsCsv = `${dir}/bp-costs-points.csv`, candCsv = `${dir}/bp-costs-candidates.csv`, costsCsv = `${dir}/bp-costs-8m.csv`;
if (!existsSync(costsCsv)) {
  const rng = mulberry32(3);
  writeFileSync(pointsCsv, 'point_id,lon,lat,weight\n' + Array.from({ length: N }, (_, i) => `P${i},${(121.3 + rng() * 0.3).toFixed(6)},${(31.1 + rng() * 0.2).toFixed(6)},${1 + Math.floor(rng() * 9)}`).join('\n') + '\n');
  writeFileSync(candCsv, 'site_id,lon,lat\n' + Array.from({ length: C }, (_, j) => `K${j},${(121.3 + rng() * 0.3).toFixed(6)},${(31.1 + rng() * 0.2).toFixed(6)}`).join('\n') + '\n');
  const out = createWriteStream(costsCsv);
  out.write('demand_id,site_id,cost\n');
  for (let i = 0; i < N; i++) {
    let chunk = '';
    for (let j = 0; j < C; j++) chunk += `P${i},K${j},${(rng() * 60).toFixed(2)}\n`;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}
const conn = await NativeConnector.create();
const t0 = performance.now();
const report = await loadInputs(conn, [
  { kind: 'demand_points', fileName: 'points.csv', bytes: new Uint8Array(readFileSync(pointsCsv)) },
  { kind: 'candidates', fileName: 'candidates.csv', bytes: new Uint8Array(readFileSync(candCsv)) },
  { kind: 'costs', fileName: 'costs.csv', bytes: new Uint8Array(readFileSync(costsCsv)) },
]);
const t1 = performance.now();
const pts = await readDemandPoints(conn);
const t2 = performance.now();
const table = await readCosts(conn, 'demand_points', pts!.lon.length, C, 'branch', false);
const t3 = performance.now();
const rows = report.files.find((f) => f.kind === 'costs')!;
console.log(`sites.costs_8m_load_ms\t${(t1 - t0).toFixed(0)}\tms\t-\t${rows.rowsKept} of ${rows.rowsRead} rows kept; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
console.log(`sites.costs_8m_to_table_ms\t${(t3 - t2).toFixed(0)}\tms\t-\t${table.pairs} pairs`);
await conn.close();
