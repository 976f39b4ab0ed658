/**
 * What every benchmark prints, and the shared 1M-customer input: one tab-separated line per
 * figure (name, value, unit, target), which bench/run.ts collects.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export function line(name: string, value: number, unit: string, target = ''): void {
  console.log(`${name}\t${Number.isInteger(value) ? value : value.toFixed(1)}\t${unit}\t${target}`);
}

/** The demo generator's customers CSV at `csv` (made once, seeded, so runs compare). */
export function ensureCustomersCsv(csv: string, customers = 1_000_000): void {
  if (existsSync(csv)) return;
  console.log(`# generating ${csv}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'demo/generate.ts', '--customers', String(customers), '--out', csv], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(csv)) {
    console.error(`could not generate ${csv}`);
    process.exit(1);
  }
}
