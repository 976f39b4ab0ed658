/**
 * The CLI as users run it: `node --import tsx src/cli/cli.ts validate …` in a child process, over
 * every bad fixture (exit codes, stdout rows, --rejects raw text, --report counts) and the good
 * dataset; plus usage errors (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BAD_FIXTURES_DIR, GOOD_COUNTS, GOOD_FIXTURES, badCases } from '../../test/fixtures/index.ts';
import { QUEUED_TIMEOUT_MS, parseCsv, runCli as cli, useTempDir } from './cli-test-helpers.ts';

const EXPECTED = badCases();
const tempDir = useTempDir('bp-cli-');

describe('cli validate over the bad fixtures', () => {
  it.concurrent.each(EXPECTED.map((c) => [c.file, c] as const))('%s', async (_n, c) => {
    const rejectsPath = join(tempDir(), `${c.file}.rejects.csv`);
    const reportPath = join(tempDir(), `${c.file}.report.json`);
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
    c.rejects!.forEach((x, i) => x.reason && expect(rows[i + 1][3], 'the English reason').toContain(x.reason));
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
    const out = join(tempDir(), 'good.json');
    const r = await cli([
      'validate', '--areas', GOOD_FIXTURES.areas, '--indicators', GOOD_FIXTURES.indicators, '--customers', GOOD_FIXTURES.customers,
      '--sites', GOOD_FIXTURES.sites, '--candidates', GOOD_FIXTURES.candidates, '--out', out, '--report', join(tempDir(), 'good-report.json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([]);
    expect(r.stderr).toContain(`${GOOD_COUNTS.customersOutside} outside the study area`);
    const report = JSON.parse(readFileSync(join(tempDir(), 'good-report.json'), 'utf8'));
    expect(report.totals.outsideStudyArea).toBe(GOOD_COUNTS.customersOutside);
  });

  it('--out json lists rejects as objects; --crs is accepted for point files', async () => {
    const out = join(tempDir(), 'dups.json');
    const r = await cli(['validate', '--customers', join(BAD_FIXTURES_DIR, 'duplicate_ids.csv'), '--crs', 'gcj02', '--out', out]);
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([
      { file: 'duplicate_ids.csv', line: 4, column: 'customer_id', reason: 'duplicate customer_id (first on line 2)' },
      { file: 'duplicate_ids.csv', line: 6, column: 'customer_id', reason: 'duplicate customer_id (first on line 3)' },
    ]);
  });

  it('--lang zh-CN says the reasons in Chinese on stdout and in --rejects, from the same codes', async () => {
    const rejectsPath = join(tempDir(), 'dups-zh.rejects.csv');
    const r = await cli(['validate', '--customers', join(BAD_FIXTURES_DIR, 'duplicate_ids.csv'), '--lang', 'zh-CN', '--rejects', rejectsPath]);
    expect(r.code, r.stderr).toBe(1);
    const said = parseCsv(r.stdout).slice(1).map((x) => x[3]);
    expect(said).toEqual(['customer_id 重复（首次出现在第 2 行）', 'customer_id 重复（首次出现在第 3 行）']);
    expect(parseCsv(readFileSync(rejectsPath, 'utf8')).slice(1).map((x) => x[3])).toEqual(said);
    const bad = await cli(['validate', '--customers', join(BAD_FIXTURES_DIR, 'duplicate_ids.csv'), '--lang', 'fr']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lang must be one of en, zh-CN');
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
