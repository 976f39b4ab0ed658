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
import type { CliArgs } from './args.ts';

export interface CliContext {
  /** Result output (CSV/JSON when no --out). */
  stdout: (text: string) => void;
  /** Messages: summaries, warnings, errors. */
  stderr: (text: string) => void;
  /** Relative paths in options resolve against this directory. */
  cwd: string;
}

export type OptionType = 'string' | 'number' | 'boolean' | 'list';

export interface OptionSpec {
  type: OptionType;
  /** One line for --help; say the unit and the default ("metres; default 1500"). */
  description: string;
  /** Shown in --help as the value placeholder, e.g. FILE, N, COL=VALUE. */
  placeholder?: string;
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

/** Wrong invocation: unknown option, missing value, bad number, missing input file. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The data could not be used (message names file, line, reason). Exit 1. */
export class DataError extends Error {
  override readonly name = 'DataError';
}
