/**
 * `validate`: load the given inputs exactly as the app would and list every problem as
 * file,line,column,reason — file-level problems (no line) first, then rejected rows. Exit 0 when
 * every row is usable, 1 when anything was rejected or a file is unusable (DESIGN.md).
 */
import { formatProblem } from '../data/errors.ts';
import { readRejects } from '../data/load-inputs.ts';
import type { CliArgs } from './args.ts';
import { INPUT_OPTIONS, OUT_OPTION, loadFilesForCli } from './common.ts';
import { writeTable, outputFormat, type Row } from './output.ts';
import { writeNormalized } from './normalized.ts';
import { basename, resolve } from 'node:path';
import type { CliContext, CommandSpec } from './types.ts';
import type { RejectRow } from '../data/types.ts';
import { cliLang, rejectSayer } from './reject-text.ts';

export const spec: CommandSpec = {
  name: 'validate',
  summary: 'Check input files against the data contract; list rejected rows (file, line, column, reason).',
  options: {
    ...INPUT_OPTIONS,
    ...OUT_OPTION,
    normalized: { type: 'string', placeholder: 'DIR', description: 'write the cleaned tables (customers.csv, sites.csv, indicators.csv, candidates.csv) with contract names, WGS84, kept rows, plain numbers' },
  },
};

const COLUMNS = ['file', 'line', 'column', 'reason'];

export async function run(args: CliArgs, ctx: CliContext): Promise<number> {
  const out = args.string('out');
  outputFormat(out); // a bad --out is a usage error before any work
  const say = rejectSayer(cliLang(args));
  const row = (r: RejectRow): Row => ({ file: r.file, line: r.line, column: r.column, reason: say(r) });
  const outcome = await loadFilesForCli(args, ctx);
  try {
    if (outcome.ok) {
      const dir = args.string('normalized');
      if (dir !== undefined) {
        const paths = await writeNormalized(outcome.dataset.conn, outcome.dataset.report, resolve(ctx.cwd, dir));
        ctx.stderr(`validate: wrote ${paths.map((p) => basename(p)).join(', ')} to ${dir}\n`);
      }
      const rejects = await readRejects(outcome.dataset.conn);
      writeTable(ctx, out, COLUMNS, rejects.map(row));
      return rejects.length === 0 ? 0 : 1;
    }
    const problemRows: Row[] = outcome.problems.map((p) => ({ file: p.file, line: p.line ?? null, column: null, reason: p.message }));
    writeTable(ctx, out, COLUMNS, [...problemRows, ...outcome.rejects.map(row)]);
    ctx.stderr(`validate: ${outcome.problems.length} file problem(s); nothing would be loaded:\n${outcome.problems.map((p) => '  ' + formatProblem(p)).join('\n')}\n`);
    return 1;
  } finally {
    await (outcome.ok ? outcome.dataset.close() : outcome.conn.close());
  }
}
