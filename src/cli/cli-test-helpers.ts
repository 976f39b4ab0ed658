/**
 * What the CLI tests share: running the CLI as users do (`node --import tsx src/cli/cli.ts …` in
 * a child process), a temporary folder per test file, and a reader for the CSV it writes.
 * Test-only (Node); nothing in the app imports it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** The repository root: the CLI runs from here, as `npm run cli` does. */
export const ROOT = resolve(import.meta.dirname, '../..');

export interface CliRun { code: number; stdout: string; stderr: string }

// Each run starts Node, tsx and DuckDB (~1 s of CPU): more than two at once on these 2-core
// machines only makes every one slower, so runs wait their turn.
const MAX_RUNNING = 2;
let running = 0;
const waiting: (() => void)[] = [];

/**
 * A test's time includes its wait for a turn: tests that start many runs at once
 * (`it.concurrent`) need this longer timeout.
 */
export const QUEUED_TIMEOUT_MS = 240_000;

/** Run the CLI with `args` (command first), `env` added to the environment; the exit code, never a throw. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  if (running >= MAX_RUNNING) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await spawnCli(args, env);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnCli(args: readonly string[], extra: Record<string, string>): Promise<CliRun> {
  return new Promise((done) => {
    // HOME elsewhere: DuckDB writes its extension cache under $HOME/.duckdb.
    const env = { ...process.env, HOME: join(ROOT, '.duckdb-home'), ...extra };
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', ...args], { cwd: ROOT, env, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A runner for one command: `cliCommand('risk')(['--areas', …])`. */
export function cliCommand(command: string): (args: readonly string[]) => Promise<CliRun> {
  return (args) => runCli([command, ...args]);
}

/** A fresh temporary folder for the test file, made before its tests and removed after them. */
export function useTempDir(prefix: string): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error('useTempDir: the folder exists only while the tests run');
    return dir;
  };
}

/** RFC 4180 reader for checking our own output (quoted fields may hold commas and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

/** CSV text as one object per line, keyed by the header. */
export function csvRecords(text: string): Record<string, string>[] {
  const [head, ...lines] = parseCsv(text);
  if (!head) return [];
  return lines.map((l) => Object.fromEntries(l.map((v, i) => [head[i], v])));
}
