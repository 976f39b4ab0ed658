/**
 * The CLI as users run it: `node --import tsx src/cli/cli.ts validate …` in a child process, over
 * every bad fixture (exit codes, stdout rows, --rejects raw text, --report counts) and the good
 * dataset; plus usage errors (exit 2).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BAD_FIXTURES_DIR, GOOD_COUNTS, GOOD_FIXTURES, badCases } from '../../test/fixtures/index.ts';

const EXPECTED = badCases();

const ROOT = resolve(import.meta.dirname, '../..');

interface Run { code: number; stdout: string; stderr: string }

// Each run starts Node, tsx and DuckDB (~1 s of CPU): more than two at once on these 2-core
// machines only makes every one slower.
// A test's time includes its wait in this queue, hence the longer timeout.
const QUEUED_TIMEOUT_MS = 240_000;
let running = 0;
const waiting: (() => void)[] = [];
async function cli(args: string[]): Promise<Run> {
  if (running >= 2) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await spawnCli(args);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnCli(args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, HOME: join(ROOT, '.duckdb-home') }, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** RFC 4180 reader for checking our own output (quoted fields may hold commas and newlines). */
function parseCsv(text: string): string[][] {
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

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'bp-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cli validate over the bad fixtures', () => {
  it.concurrent.each(EXPECTED.map((c) => [c.file, c] as const))('%s', async (_n, c) => {
    const rejectsPath = join(tmp, `${c.file}.rejects.csv`);
    const reportPath = join(tmp, `${c.file}.report.json`);
    const r = await cli(['validate', `--${c.kind}`, join(BAD_FIXTURES_DIR, c.file), '--rejects', rejectsPath, '--report', reportPath]);
    const rows = parseCsv(r.stdout);
    expect(rows[0]).toEqual(['file', 'line', 'column', 'reason']);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    if (c.error) {
      expect(r.code, r.stderr).toBe(1);
      expect(rows[1][0]).toBe(c.file);
      expect(rows[1][1]).toBe(c.errorLine !== undefined ? String(c.errorLine) : '');
      expect(rows[1][3]).toContain(c.error);
      expect(r.stderr).toContain(`${c.file}`);
      expect(r.stderr).toContain(c.error);
      expect(report.ok).toBe(false);
      expect(report.problems[0].message).toContain(c.error);
      return;
    }
    expect(r.code, r.stderr).toBe(c.rejects!.length > 0 ? 1 : 0);
    expect(rows.slice(1).map(([file, line, column]) => [file, line, column])).toEqual(
      c.rejects!.map((x) => [c.file, x.line === null ? '' : String(x.line), x.column ?? '']),
    );
    const written = parseCsv(readFileSync(rejectsPath, 'utf8'));
    expect(written[0]).toEqual(['file', 'line', 'column', 'reason', 'raw']);
    expect(written.length - 1).toBe(c.rejects!.length);
    for (const { line, raw } of c.raw ?? []) expect(written.find((w) => w[1] === String(line))?.[4]).toBe(raw);
    expect(report).toMatchObject({ ok: true, totals: { rowsRead: c.read, rowsKept: c.kept, rowsRejected: c.rejects!.length } });
    expect(r.stderr).toContain(`${c.file}: ${c.read}`);
  }, QUEUED_TIMEOUT_MS);
});

describe('cli validate, good data and usage', () => {
  it('the good dataset validates clean (exit 0) and --out json writes an empty array', async () => {
    const out = join(tmp, 'good.json');
    const r = await cli([
      'validate', '--areas', GOOD_FIXTURES.areas, '--indicators', GOOD_FIXTURES.indicators, '--customers', GOOD_FIXTURES.customers,
      '--sites', GOOD_FIXTURES.sites, '--candidates', GOOD_FIXTURES.candidates, '--out', out, '--report', join(tmp, 'good-report.json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([]);
    expect(r.stderr).toContain(`${GOOD_COUNTS.customersOutside} outside the study area`);
    const report = JSON.parse(readFileSync(join(tmp, 'good-report.json'), 'utf8'));
    expect(report.totals.outsideStudyArea).toBe(GOOD_COUNTS.customersOutside);
  });

  it('--out json lists rejects as objects; --crs is accepted for point files', async () => {
    const out = join(tmp, 'dups.json');
    const r = await cli(['validate', '--customers', join(BAD_FIXTURES_DIR, 'duplicate_ids.csv'), '--crs', 'gcj02', '--out', out]);
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([
      { file: 'duplicate_ids.csv', line: 4, column: 'customer_id', reason: 'duplicate customer_id (first on line 2)' },
      { file: 'duplicate_ids.csv', line: 6, column: 'customer_id', reason: 'duplicate customer_id (first on line 3)' },
    ]);
  });

  it.concurrent.each([
    [[], /usage/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['validate'], /give at least one input/],
    [['validate', '--customer', 'x.csv'], /unknown option --customer\b/],
    [['validate', '--customers'], /--customers needs a value/],
    [['validate', '--customers', 'no/such/file.csv'], /no such file/],
    [['validate', '--customers', 'test/fixtures/good/customers.csv', '--crs', 'utm'], /--crs must be one of wgs84, gcj02, bd09/],
    [['validate', '--customers', 'test/fixtures/good/customers.csv', '--out', 'x.txt'], /must end in \.csv or \.json/],
    [['validate', 'stray'], /unexpected argument "stray"/],
  ] as const)('usage error %j → exit 2', async (args, message) => {
    const r = await cli([...args]);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(message);
  }, QUEUED_TIMEOUT_MS);

  it('--help prints the options and exits 0', async () => {
    const r = await cli(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--rejects FILE');
  });
});
