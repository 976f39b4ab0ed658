/**
 * The long fuzz run of the loader (issue 15): `npm run fuzz -- [cases] [seed] [max seconds]`
 * (default 10,000 cases, seed 1, no time limit; with a limit it stops early and says so). Same generators and properties as src/data/loader-fuzz.test.ts, on native
 * DuckDB: CSV (with the clean-load comparison), .xlsx, Parquet and GeoJSON areas in turn. Prints
 * the figures (cases per format, refused files, failures with their counterexample) and exits 1
 * when a property failed. A benchmark-like script: run it alone, not in `npm test`.
 */
import fc from 'fast-check';
import { NativeConnector } from '../src/db/native-connector.ts';
import { checkAgainstClean, checkAreas, checkLoad, genAreas, genFile, toCsv, toParquet, toXlsx } from '../test/fuzz/loader-fuzz.ts';

const cases = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 1);
const maxSeconds = Number(process.argv[4] ?? Infinity);
const conn = await NativeConnector.create({ threads: 1 });
const counts = { csv: 0, xlsx: 0, parquet: 0, areas: 0, refused: 0, failures: 0 };
const started = Date.now();
const failures: string[] = [];

// One case = one format of one generated file, round-robin: csv, csv, xlsx, parquet, areas.
const ORDER = ['csv', 'csv', 'xlsx', 'parquet', 'areas'] as const;
const files = fc.sample(genFile, { numRuns: cases, seed });
const areas = fc.sample(genAreas, { numRuns: Math.ceil(cases / ORDER.length), seed });
let run = 0;
for (let i = 0; i < cases; i++) {
  if ((Date.now() - started) / 1000 > maxSeconds) break;
  run++;
  const kind = ORDER[i % ORDER.length];
  const f = files[i];
  try {
    if (kind === 'areas') {
      const out = await checkAreas(conn, areas[Math.floor(i / ORDER.length)]);
      if (!out.ok) counts.refused++;
      counts.areas++;
    } else {
      const bytes = kind === 'csv' ? toCsv(f) : kind === 'xlsx' ? await toXlsx(f) : toParquet(f);
      const out = await checkLoad(conn, f, bytes, kind);
      if (out.ok && kind === 'csv') await checkAgainstClean(conn, f);
      if (!out.ok) counts.refused++;
      counts[kind]++;
    }
  } catch (e) {
    counts.failures++;
    if (failures.length < 20) failures.push(`case ${i} (${kind}): ${(e as Error).message.slice(0, 300)}\n  input: ${JSON.stringify(kind === 'areas' ? areas[Math.floor(i / ORDER.length)] : f).slice(0, 600)}`);
  }
  if ((i + 1) % 250 === 0) console.error(`${i + 1}/${cases} cases, ${counts.failures} failures, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
await conn.close();
console.log(`loader fuzz: ${run} of ${cases} cases run (seed ${seed})${run < cases ? ', stopped by the time limit' : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`  csv ${counts.csv}, xlsx ${counts.xlsx}, parquet ${counts.parquet}, areas ${counts.areas}; files refused as a whole (no usable rows): ${counts.refused}`);
console.log(`  property failures: ${counts.failures}`);
for (const f of failures) console.log('  ' + f);
process.exitCode = counts.failures ? 1 : 0;
