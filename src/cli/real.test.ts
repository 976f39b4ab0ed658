/**
 * The real-shaped exports (test/fixtures/real) through the CLI as users run it: the same rows
 * kept and rejected as real/expected.json says, the value mapping printed, `--value` editing the
 * dictionary, and `validate --normalized DIR` writing the cleaned tables.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REAL_FIXTURES_DIR, realCases } from '../../test/fixtures/index.ts';
import { QUEUED_TIMEOUT_MS, parseCsv, runCli as cli, useTempDir } from './cli-test-helpers.ts';

const tempDir = useTempDir('bp-cli-real-');
const AREAS = join(REAL_FIXTURES_DIR, 'areas.geojson');

describe('cli validate over the real-shaped exports', () => {
  it.concurrent.each(realCases().map((c) => [c.file, c] as const))('%s', async (_n, c) => {
    const reportPath = join(tempDir(), `${c.file}.report.json`);
    const r = await cli(['validate', '--areas', AREAS, `--${c.kind}`, join(REAL_FIXTURES_DIR, c.file), '--report', reportPath]);
    expect(r.code, r.stderr).toBe(1);
    const rows = parseCsv(r.stdout).slice(1).filter((x) => x[0] === c.file);
    expect(rows.map(([, line, column]) => [line, column])).toEqual(c.rejects!.map((x) => [String(x.line), x.column ?? '']));
    c.rejects!.forEach((x, i) => x.reason && expect(rows[i][3]).toContain(x.reason));
    const file = JSON.parse(readFileSync(reportPath, 'utf8')).files.find((f: { kind: string }) => f.kind === c.kind);
    expect(file).toMatchObject({ rowsRead: c.read, rowsKept: c.kept, rowsRejected: c.rejects!.length });
    for (const line of c.valueMap ?? []) expect(r.stderr).toContain(`${c.file}: ${line.startsWith('本行') || line.startsWith('我行') ? 'owner' : 'type'} ${line}`);
  }, QUEUED_TIMEOUT_MS);

  it('--normalized writes contract names, WGS84, kept rows and plain numbers', async () => {
    const dir = join(tempDir(), 'norm');
    const r = await cli([
      'validate', '--areas', AREAS, '--indicators', join(REAL_FIXTURES_DIR, 'indicators_gbk.csv'),
      '--customers', join(REAL_FIXTURES_DIR, 'customers.csv'), '--sites', join(REAL_FIXTURES_DIR, 'sites.xlsx'), '--normalized', dir,
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['customers.csv', 'indicators.csv', 'sites.csv']);
    const ind = parseCsv(readFileSync(join(dir, 'indicators.csv'), 'utf8'));
    expect(ind[0]).toEqual(['area_id', 'period', '常住人口', '失业率']);
    expect(ind[1]).toEqual(['310101', '2024Q1', '645440', '3.56']);
    expect(ind.length - 1).toBe(9);
    const cust = parseCsv(readFileSync(join(dir, 'customers.csv'), 'utf8'));
    expect(cust[0].slice(0, 7)).toEqual(['customer_id', 'lon', 'lat', 'segment', 'age', 'balance', 'loan_balance']);
    expect(cust.slice(1).map((x) => [x[0], x[4], x[5], x[6]])).toEqual([
      ['K0001', '35', '311033.07', ''], ['K0002', '42', '1250', '500000'], ['K0004', '28', '12345.67', '0'], ['K0005', '61', '', '80000'],
      ['K0006', '', '3000', ''], ['K0008', '33', '', '0'], ['K0009', '33', '1234.5', ''],
    ]);
    expect(cust[1][1]).toBe('121.4737');
    const sites = parseCsv(readFileSync(join(dir, 'sites.csv'), 'utf8'));
    expect(sites.slice(1).map((x) => [x[0], x[3], x[4]])).toEqual([
      ['S001', 'branch', 'own'], ['S002', 'branch', 'own'], ['S003', 'branch', 'own'], ['S004', 'atm', 'own'], ['S005', 'atm', 'own'],
      ['S006', 'branch', '工商银行'], ['S007', 'atm', '工商银行'],
    ]);
  }, QUEUED_TIMEOUT_MS);

  it('--value edits the value mapping; a malformed one is a usage error', async () => {
    const dir = join(tempDir(), 'value');
    const r = await cli(['validate', '--sites', join(REAL_FIXTURES_DIR, 'sites.xlsx'), '--value', 'type:柜台=branch', '--value', 'owner:工商银行=ICBC', '--normalized', dir]);
    expect(r.stderr).toContain('sites.xlsx: type 柜台 → branch: 1 row');
    expect(r.stderr).toContain('sites.xlsx: owner 工商银行 → ICBC: 2 rows');
    const sites = parseCsv(readFileSync(join(dir, 'sites.csv'), 'utf8'));
    expect(sites.slice(1).map((x) => x[0])).toContain('S008');
    expect(sites.slice(1).filter((x) => x[4] === 'ICBC').length).toBe(2);
    const bad = await cli(['validate', '--sites', join(REAL_FIXTURES_DIR, 'sites.xlsx'), '--value', 'type:柜台=bank']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('a type is read as branch or atm');
  }, QUEUED_TIMEOUT_MS);
});
