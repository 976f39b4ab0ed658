import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { streamRowSlices } from './src/cli/native-batches.ts';
const cpu = () => { const st = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(st[11]) + Number(st[12])) / 100; };
const c = await (await DuckDBInstance.create(':memory:')).connect();
const sql = `SELECT CAST(0 AS INTEGER) a, hash(customer_id) b, lon::DOUBLE c, lat::DOUBLE d FROM read_parquet('/tmp/bp-bench-scale/customers-10000000.parquet')`;
const mode = process.argv[2];
const t0 = cpu(); const w0 = Date.now(); let n = 0, chunks = 0;
if (mode === 'api') {
  const r = await c.stream(sql);
  for (;;) { const ch = await r.fetchChunk(); if (!ch || ch.rowCount === 0) break; for (let j = 0; j < 4; j++) (ch.getColumnVector(j) as any).items.subarray(0, ch.rowCount); n += ch.rowCount; chunks++; }
} else if (mode === 'gen') {
  for await (const s of streamRowSlices(c, sql, [], 1 << 20)) { for (let j = 0; j < 4; j++) s.column(j); n += s.take; chunks++; }
} else {
  const r = await c.stream(sql);
  for (;;) { const ch = await r.fetchChunk(); if (!ch || ch.rowCount === 0) break; n += ch.rowCount; chunks++; }
}
console.log(mode, n, chunks, 'main cpu', (cpu() - t0).toFixed(2), 'wall', (Date.now() - w0) / 1000, 'proc', (process.cpuUsage().user + process.cpuUsage().system) / 1e6);
