/**
 * CLI dispatch: `<command> [options]` → exit code (0 ok, 1 data error, 2 usage error; DESIGN.md).
 * Separate from src/cli/cli.ts so tests can run it in-process with their own context.
 */
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
    if (e instanceof DataError || e instanceof LoadError) {
      ctx.stderr(`error: ${e.message}\n`);
      return 1;
    }
    // An engine or runtime failure outside loading: a sentence; its text only with BP_DEBUG=1.
    const f = describeEngineError(e);
    const detail = process.env.BP_DEBUG ? `\ndetails: ${(e as Error)?.stack ?? f.detail}` : '\n(set BP_DEBUG=1 to see the details)';
    ctx.stderr(`error: ${command}: the input ${f.message}${detail}\n`);
    return 1;
  }
}
