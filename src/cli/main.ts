/**
 * CLI dispatch: `<command> [options]` → exit code (0 ok, 1 data error, 2 usage error; DESIGN.md).
 * Separate from src/cli/cli.ts so tests can run it in-process with their own context.
 */
import { StudyGridError } from '../core/grid.ts';
import { LoadError } from '../data/errors.ts';
import { describeEngineError } from '../data/engine-errors.ts';
import { parseArgs, usage, UsageError } from './args.ts';
import { COMMANDS } from './commands.ts';
import { DataError, type CliContext } from './types.ts';

export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    ctx.stdout(`usage: npm run --silent cli -- <command> [options]\n\ncommands: ${Object.keys(COMMANDS).join(', ')}\n` +
      'run a command with --help for its options\n');
    return command === undefined ? 2 : 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    ctx.stderr(`error: unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  const mod = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.stdout(usage(mod.spec));
    return 0;
  }
  try {
    const args = parseArgs(command, rest, mod.spec.options);
    if (args.positionals.length) throw new UsageError(`${command}: unexpected argument "${args.positionals[0]}"`);
    return await mod.run(args, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.stderr(`error: ${e.message}\n(run with --help for the options)\n`);
      return 2;
    }
    if (e instanceof StudyGridError) {
      ctx.stderr(`error: ${command}: ${e.message.replace('use resolution', 'use --resolution')}\n`);
      return 1;
    }
    if (e instanceof DataError || e instanceof LoadError) {
      ctx.stderr(`error: ${e.message}\n`);
      return 1;
    }
    // An engine or runtime failure outside loading: a sentence, never a stack trace or raw engine
    // text (BP_DEBUG=1 shows it for a bug report). The CLI can say what to change.
    const f = describeEngineError(e);
    const why = f.key === 'outOfMemory'
      ? 'DuckDB ran out of memory; raise its limit with BP_MEMORY_LIMIT (e.g. BP_MEMORY_LIMIT=8GB) or free disk space for it to spill to'
      : /no space left/i.test(f.detail)
        ? 'the disk is full (DuckDB spills to the temporary directory); free space and run it again'
        : f.key === 'internal'
          ? 'an unexpected internal problem stopped it; run it again with BP_DEBUG=1 and report the output'
          : `the input ${f.message}`;
    const detail = process.env.BP_DEBUG ? `\ndetails: ${(e as Error)?.stack ?? f.detail}` : '';
    ctx.stderr(`error: ${command}: ${why}${detail}\n`);
    return 1;
  }
}
