/**
 * `npm run bench`: runs every bench/*.bench.ts in its own Node process (so one benchmark's
 * heap does not skew the next) and prints their result lines. Each benchmark prints lines of
 * the form `name<TAB>value<TAB>unit<TAB>target` to stdout. Targets are reported, not
 * asserted: these machines are shared and noisy, so compare ratios measured in one run.
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') || f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`# ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, f)], {
    stdio: 'inherit',
    env: { ...process.env, HOME: join(here, '..', '.duckdb-home') },
  });
  if (r.status !== 0) failed++;
}
if (failed) {
  console.error(`${failed} benchmark file(s) failed`);
  process.exit(1);
}
