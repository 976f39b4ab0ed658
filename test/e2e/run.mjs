// Runs the end-to-end suite (test/e2e/*.e2e.ts) with Node's test runner against dist/.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const files = readdirSync('test/e2e').filter((f) => f.endsWith('.e2e.ts')).sort().map((f) => `test/e2e/${f}`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
