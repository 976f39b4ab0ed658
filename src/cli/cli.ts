/**
 * Headless entry point: `npm run --silent cli -- <command> [options]` (DESIGN.md, Headless CLI).
 * Runs the browser's pipeline on native DuckDB; see src/cli/types.ts for adding commands.
 */
import { main } from './main.ts';

const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
});
process.exitCode = code;
