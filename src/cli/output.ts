/**
 * Result tables for the CLI (DESIGN.md): CSV (UTF-8, header, comma, `.` decimals) or JSON, chosen
 * by the `--out` extension; stdout (CSV) when there is no --out. CSV comes from the app's one
 * export encoder (src/data/csv-write.ts), without a BOM: quoted, and text that a spreadsheet
 * would run as a formula neutralised, as in the browser's downloads.
 */
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { toCsv } from '../data/csv-write.ts';
import { type CliContext } from './types.ts';
import { UsageError } from './args.ts';

export type Row = Record<string, unknown>;

export function formatJson(columns: readonly string[], rows: readonly Row[]): string {
  const picked = rows.map((r) => Object.fromEntries(columns.map((c) => [c, jsonValue(r[c])])));
  return JSON.stringify(picked, null, 2) + '\n';
}

function jsonValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

/** Which format `--out` asks for; a usage error for other extensions. */
export function outputFormat(outPath: string | undefined): 'csv' | 'json' {
  if (outPath === undefined) return 'csv';
  const ext = extname(outPath).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  throw new UsageError(`--out ${outPath}: the file name must end in .csv or .json`);
}

/** Write a result table to `outPath` (relative to ctx.cwd) or, without one, as CSV to stdout. */
export function writeTable(ctx: CliContext, outPath: string | undefined, columns: readonly string[], rows: readonly Row[]): void {
  const format = outputFormat(outPath);
  const text = format === 'json' ? formatJson(columns, rows) : toCsv(columns, rows, { bom: false });
  if (outPath === undefined) ctx.stdout(text);
  else writeFileSync(resolve(ctx.cwd, outPath), text);
}
