/**
 * The long fuzz run of the loader (issue 15): `npm run fuzz -- [cases] [seed] [max seconds]`
 * (default 10,000 cases, seed 1, no time limit; with a limit it stops early and says so). Same
 * generators and properties as src/data/loader-fuzz.test.ts: CSV (with the clean-load
 * comparison), .xlsx, Parquet and GeoJSON areas in turn, on native DuckDB, and a sampled share
 * (1 case in FUZZ_WASM_EVERY, default 40; 0 = none) loaded again on duckdb-wasm, the browser's
 * engine, with the same checks. FUZZ_FROM=k starts at case k of the same sequence (a run cut
 * short by its time limit is continued later with the same cases and seed). Prints the figures
 * (cases per format and engine, refused files, CPU per case, failures with their counterexample)
 * and exits 1 when a property failed. A benchmark-like script: run it alone under `nice -n 19`,
 * not in `npm test`.
 *
 * What a case costs (profiled on the shared 2-core box): ~110 ms of CPU on native DuckDB, almost
 * all of it the loader's ~35 SQL statements per file (a CSV case loads twice: the noisy file and
 * the clean one); the generators are < 15 ms. Cost per case stays flat over thousands of cases
 * (nothing is left behind: each case checks that no staging table or view remains), so the run
 * keeps one database and starts a fresh one every BATCH cases only to bound what a leak in the
 * engine could do. A case running past HANG_MS is a failure (a hang), interrupted, and the
 * database replaced.
 */
import fc from 'fast-check';
import type { Connector } from '../src/db/connector.ts';
import { NativeConnector } from '../src/db/native-connector.ts';
import { createNodeWasmConnector } from '../src/db/node-wasm.ts';
import { checkAgainstClean, checkAreas, checkLoad, genAreas, genFile, HANG_MS, toCsv, toParquet, toXlsx, withinHangLimit, type GenFile } from '../test/fuzz/loader-fuzz.ts';

const cases = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 1);
const maxSeconds = Number(process.argv[4] ?? Infinity);
const wasmEvery = Number(process.env.FUZZ_WASM_EVERY ?? 40);
const from = Number(process.env.FUZZ_FROM ?? 0);
const BATCH = 1_000;

type Kind = 'csv' | 'xlsx' | 'parquet' | 'areas';
// One case = one format of one generated file, round-robin: csv, csv, xlsx, parquet, areas.
const ORDER: readonly Kind[] = ['csv', 'csv', 'xlsx', 'parquet', 'areas'];

const nativeConn = () => NativeConnector.create({ threads: 1 });
let conn: Connector = await nativeConn();
let wasm: Connector | null = null;
const counts = { csv: 0, xlsx: 0, parquet: 0, areas: 0, wasm: 0, refused: 0, failures: 0, hangs: 0, batches: 1 };
const cpuMs: Record<Kind | 'wasm', number> = { csv: 0, xlsx: 0, parquet: 0, areas: 0, wasm: 0 };
let slowest = { ms: 0, i: -1, kind: '' };
const started = Date.now();
const failures: string[] = [];

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function runCase(c: Connector, kind: Kind, f: GenFile, areasCase: Parameters<typeof checkAreas>[1]): Promise<boolean> {
  if (kind === 'areas') return (await checkAreas(c, areasCase)).ok;
  const bytes = kind === 'csv' ? toCsv(f) : kind === 'xlsx' ? await toXlsx(f) : toParquet(f);
  const out = await checkLoad(c, f, bytes, kind);
  if (out.ok && kind === 'csv') await checkAgainstClean(c, f);
  return out.ok;
}

const files = fc.sample(genFile, { numRuns: cases, seed });
const areas = fc.sample(genAreas, { numRuns: Math.ceil(cases / ORDER.length), seed });
let run = 0;
for (let i = from; i < cases; i++) {
  if ((Date.now() - started) / 1000 > maxSeconds) break;
  run++;
  const kind = ORDER[i % ORDER.length];
  const f = files[i];
  const a = areas[Math.floor(i / ORDER.length)];
  const onWasm = wasmEvery > 0 && i % wasmEvery === wasmEvery - 1;
  const engines: Array<[Connector, 'native' | 'wasm']> = [[conn, 'native']];
  if (onWasm) engines.push([(wasm ??= await createNodeWasmConnector()), 'wasm']);
  for (const [c, engine] of engines) {
    const t0 = cpuNow();
    const w0 = Date.now();
    try {
      if (!(await withinHangLimit(c, runCase(c, kind, f, a)))) counts.refused++;
    } catch (e) {
      const message = (e as Error).message;
      counts.failures++;
      if (message.startsWith('hang:')) {
        counts.hangs++;
        // The interrupted engine may still be busy: leave it and carry on with a fresh one.
        if (engine === 'native') conn = await nativeConn();
        else wasm = null;
      }
      if (failures.length < 20) failures.push(`case ${i} (${kind}, ${engine}): ${message.slice(0, 300)}\n  input: ${JSON.stringify(kind === 'areas' ? a : f).slice(0, 600)}`);
    }
    const wall = Date.now() - w0;
    if (wall > slowest.ms) slowest = { ms: wall, i, kind: `${kind}, ${engine}` };
    cpuMs[engine === 'wasm' ? 'wasm' : kind] += cpuNow() - t0;
    if (engine === 'wasm') counts.wasm++;
  }
  counts[kind]++;
  if ((i + 1) % BATCH === 0 && i + 1 < cases) {
    await conn.close();
    conn = await nativeConn();
    counts.batches++;
  }
  if ((i + 1) % 250 === 0) console.error(`${i + 1}/${cases} cases, ${counts.failures} failures, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
await conn.close();
await wasm?.close();
const perCase = (k: Kind | 'wasm') => (counts[k] ? (cpuMs[k] / counts[k]).toFixed(0) : '-');
console.log(`loader fuzz: ${run} of ${cases} cases run (seed ${seed}${from ? `, from case ${from}` : ''})${from + run < cases ? `, stopped by the time limit at case ${from + run}` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s wall`);
console.log(`  native: csv ${counts.csv}, xlsx ${counts.xlsx}, parquet ${counts.parquet}, areas ${counts.areas} (${counts.batches} databases of ≤ ${BATCH} cases); also on duckdb-wasm: ${counts.wasm} (1 in ${wasmEvery || '∞'})`);
console.log(`  CPU ms per case: csv ${perCase('csv')} (noisy + clean load), xlsx ${perCase('xlsx')}, parquet ${perCase('parquet')}, areas ${perCase('areas')}, wasm ${perCase('wasm')}; slowest case ${(slowest.ms / 1000).toFixed(1)} s wall (#${slowest.i}, ${slowest.kind})`);
console.log(`  files refused as a whole (no usable rows): ${counts.refused}`);
console.log(`  property failures: ${counts.failures} (hangs over ${HANG_MS / 1000} s: ${counts.hangs})`);
for (const f of failures) console.log('  ' + f);
process.exitCode = counts.failures ? 1 : 0;
