/**
 * Import throughput: a 1M-row customers CSV (48 MB class, Shanghai's bounding box)
 * through `loadInputs` — the whole validated load, not just `read_csv` — on native DuckDB (the
 * CLI) and on duckdb-wasm under Node (the browser's engine; Chromium measured ~1.4× faster than
 * Node for read_csv, DESIGN.md). With and without assigning customers to the 16 demo districts.
 * Prints `name<TAB>value<TAB>unit<TAB>target` (rows/s from wall time; CPU time alongside, since
 * these machines are shared); the CSV is cached in /tmp between runs.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NativeConnector } from '../src/db/native-connector.ts';
import { createNodeWasmConnector } from '../src/db/node-wasm.ts';
import type { Connector } from '../src/db/connector.ts';
import { loadInputs } from '../src/data/load-inputs.ts';
import type { LoadInput, LoadProgress } from '../src/data/types.ts';
import { mulberry32 } from '../src/core/rng.ts';
import { line } from './report.ts';

const ROWS = 1_000_000;
const CSV_PATH = `/tmp/bp-bench-customers-${ROWS}.csv`;
const AREAS_PATH = join(import.meta.dirname, '..', 'public', 'demo', 'areas.geojson');
const WEST = 120.85;
const EAST = 122.2;
const SOUTH = 30.67;
const NORTH = 31.88;

function makeCsv(): Uint8Array {
  if (existsSync(CSV_PATH)) return new Uint8Array(readFileSync(CSV_PATH));
  const rnd = mulberry32(42);
  const segments = ['young', 'family', 'senior', 'sme', 'affluent'];
  const parts = ['customer_id,lon,lat,segment,age,balance,loan_balance,default_flag,digital_active\n'];
  for (let i = 0; i < ROWS; i++) {
    const lon = (WEST + (EAST - WEST) * rnd()).toFixed(6);
    const lat = (SOUTH + (NORTH - SOUTH) * rnd()).toFixed(6);
    parts.push(
      `C${String(i + 1).padStart(8, '0')},${lon},${lat},${segments[i % 5]},${18 + Math.floor(rnd() * 70)},${(rnd() * 500000).toFixed(2)},${rnd() < 0.3 ? (rnd() * 800000).toFixed(2) : '0'},${rnd() < 0.02 ? 1 : 0},${rnd() < 0.6 ? 1 : 0}\n`,
    );
  }
  const bytes = new TextEncoder().encode(parts.join(''));
  writeFileSync(CSV_PATH, bytes);
  return bytes;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function measure(engine: string, open: () => Promise<Connector>, inputs: LoadInput[], label: string, target: string) {
  const conn = await open();
  try {
    gc();
    const steps: Record<string, number> = {};
    let last = performance.now();
    let lastStep = 'start';
    const onProgress = (p: LoadProgress) => {
      const now = performance.now();
      steps[lastStep] = (steps[lastStep] ?? 0) + now - last;
      last = now;
      lastStep = p.step;
    };
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await loadInputs(conn, inputs, {}, { onProgress });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const customers = report.files.find((f) => f.kind === 'customers')!;
    if (customers.rowsKept !== ROWS) throw new Error(`expected ${ROWS} rows kept, got ${customers.rowsKept}`);
    line(`load.${engine}.${label}.rows_per_s`, Math.round(ROWS / (ms / 1000)), 'rows/s', target);
    line(`load.${engine}.${label}.total`, ms, 'ms', '');
    // CPU time of the whole process (all DuckDB and worker threads): steadier than wall time
    // on a shared machine.
    line(`load.${engine}.${label}.cpu`, (cpu.user + cpu.system) / 1000, 'ms', '');
    // Time between progress events, named by the step that started the interval.
    for (const [step, t] of Object.entries(steps)) if (step !== 'start') line(`load.${engine}.${label}.step.${step}`, t, 'ms', '');
  } finally {
    await conn.close();
  }
}

const csv = makeCsv();
const areas = new Uint8Array(readFileSync(AREAS_PATH));
const customers: LoadInput = { kind: 'customers', fileName: 'customers-1m.csv', bytes: csv };
const withAreas: LoadInput[] = [{ kind: 'areas', fileName: 'areas.geojson', bytes: areas }, customers];
line('load.csv_size', csv.length / 1e6, 'MB', '');
await measure('native', () => NativeConnector.create(), [customers], 'customers', '>= 500000');
await measure('native', () => NativeConnector.create(), withAreas, 'customers+areas', '>= 400000');
await measure('wasm', createNodeWasmConnector, [customers], 'customers', '>= 250000');
await measure('wasm', createNodeWasmConnector, withAreas, 'customers+areas', '>= 200000');
