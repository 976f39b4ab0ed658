/**
 * The CLI's command contract. A command is a module `src/cli/<name>.ts` exporting
 *
 *     export const spec: CommandSpec = { name, summary, options: { ...INPUT_OPTIONS, k: {...} } };
 *     export async function run(args: CliArgs, ctx: CliContext): Promise<number>;  // exit code
 *
 * and one line in src/cli/commands.ts. `run` reads options through `args` (typed getters that
 * throw UsageError → exit 2), loads data with `loadForCli(args, ctx)` (src/cli/common.ts;
 * a data problem throws DataError → exit 1), writes its table with `writeTable` (src/cli/output.ts,
 * CSV or JSON by the --out extension, stdout by default) and returns 0. Messages go to
 * `ctx.stderr`, never to stdout, which carries only the result.
 */
import type { CliArgs, OptionSpec } from './args.ts';

export interface CliContext {
  /** Result output (CSV/JSON when no --out). */
  stdout: (text: string) => void;
  /** Messages: summaries, warnings, errors. */
  stderr: (text: string) => void;
  /** Relative paths in options resolve against this directory. */
  cwd: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  options: Record<string, OptionSpec>;
}

export interface CommandModule {
  spec: CommandSpec;
  run(args: CliArgs, ctx: CliContext): Promise<number>;
}

/** The data could not be used (message names file, line, reason). Exit 1. */
export class DataError extends Error {
  override readonly name = 'DataError';
}
