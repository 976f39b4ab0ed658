/**
 * Result tables for the CLI (DESIGN.md): CSV (UTF-8, header, comma, `.` decimals) or JSON, chosen
 * by the `--out` extension; stdout (CSV) when there is no --out. Text is written as is — CSV
 * quoting protects structure, nothing is interpreted.
 */
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { type CliContext } from './types.ts';
import { UsageError } from './args.ts';

export type Row = Record<string, unknown>;

/** One CSV field: quoted when it holds a comma, quote, CR or LF. Null/undefined → empty. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (typeof v === 'number') s = Number.isFinite(v) ? String(v) : '';
  else if (typeof v === 'bigint') s = v.toString();
  else if (v instanceof Date) s = v.toISOString();
  else if (typeof v === 'object') s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  else s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function formatCsv(columns: readonly string[], rows: readonly Row[]): string {
  const out = [columns.map(csvField).join(',')];
  for (const r of rows) out.push(columns.map((c) => csvField(r[c])).join(','));
  return out.join('\n') + '\n';
}

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
  const text = format === 'json' ? formatJson(columns, rows) : formatCsv(columns, rows);
  if (outPath === undefined) ctx.stdout(text);
  else writeFileSync(resolve(ctx.cwd, outPath), text);
}
