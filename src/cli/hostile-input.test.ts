/**
 * Inputs from the fault campaign (issue 15) through the CLI as users run it: a header `rowid`
 * and a header with NUL, mixed line endings. Each must load with exit 0/1 and a sentence, never
 * an engine message or a stack.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOOD_FIXTURES } from '../../test/fixtures/index.ts';
import { QUEUED_TIMEOUT_MS, csvRecords, runCli, useTempDir } from './cli-test-helpers.ts';

const tempDir = useTempDir('hostile-cli-');

/** The good customers with a `rowid` column and a header holding NUL added. */
function hostileCustomers(): string {
  const [header, ...rows] = readFileSync(GOOD_FIXTURES.customers, 'utf8').trim().split('\n');
  return [`${header},rowid,"a\u0000b"`, ...rows.map((r, i) => `${r},${1000 + i},x${i}`)].join('\n') + '\n';
}

const NO_ENGINE_TEXT = /Error:|Binder|Parser|BigInt|state machine|\n\s+at /;

describe('hostile headers through the CLI', () => {
  it.concurrent('hotspots and sites run on customers with a rowid column and a NUL header', async () => {
    const customers = join(tempDir(), 'customers.csv');
    writeFileSync(customers, hostileCustomers());
    const hot = await runCli(['hotspots', '--areas', GOOD_FIXTURES.areas, '--customers', customers, '--out', join(tempDir(), 'hot.csv')]);
    expect(hot.stderr).not.toMatch(NO_ENGINE_TEXT);
    expect(hot.code, hot.stderr).toBe(0);
    expect(hot.stderr).toContain('was loaded as "rowid_2" (the name is reserved by the database)');
    expect(csvRecords(readFileSync(join(tempDir(), 'hot.csv'), 'utf8')).length).toBeGreaterThan(0);
    const sites = await runCli([
      'sites', '--areas', GOOD_FIXTURES.areas, '--customers', customers, '--sites', GOOD_FIXTURES.sites, '--k', '2', '--out', join(tempDir(), 'sites.csv'),
    ]);
    expect(sites.stderr).not.toMatch(NO_ENGINE_TEXT);
    expect(sites.code, sites.stderr).toBe(0);
    expect(csvRecords(readFileSync(join(tempDir(), 'sites.csv'), 'utf8'))).toHaveLength(2);
  }, QUEUED_TIMEOUT_MS);

  it.concurrent('a file mixing CRLF, LF and lone CR: the split row is rejected by field count, the rest kept', async () => {
    const file = join(tempDir(), 'mixed.csv');
    writeFileSync(file, 'customer_id,lon,lat\r\nC1,121.49,31.23\nC2,121.5\r31.3\r\nC3,121.48,31.22\rC4,121.47,31.21\n');
    const rejects = join(tempDir(), 'mixed-rejects.csv');
    const r = await runCli(['validate', '--customers', file, '--rejects', rejects]);
    expect(r.stderr).not.toMatch(NO_ENGINE_TEXT);
    expect(r.code).toBe(1); // rows were rejected
    expect(r.stderr).toContain('mixed.csv: 5 rows read, 3 kept, 2 rejected');
    const rows = csvRecords(readFileSync(rejects, 'utf8'));
    expect(rows.map((x) => [x.line, x.reason])).toEqual([
      ['3', 'row has 2 fields, the header has 3'],
      ['4', 'row has 1 field, the header has 3'],
    ]);
  }, QUEUED_TIMEOUT_MS);
});
