/**
 * `--map KIND:COLUMN=HEADER` in a child process: it overrides the header guess, and a malformed
 * one is a usage error (exit 2) before anything is read.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUEUED_TIMEOUT_MS, parseCsv, runCli as cli, useTempDir } from './cli-test-helpers.ts';

const tempDir = useTempDir('bp-map-');

describe('cli --map', () => {
  it.concurrent('maps a column the guess would not take, and unmaps one', async () => {
    const file = join(tempDir(), 'c.csv');
    // `经度` is a decoy the guess would take for lon; the user says the real one is `GPS_E`.
    writeFileSync(file, '客户编号,经度,GPS_E,纬度,年龄\nk1,0,121.4,31.2,abc\nk2,0,121.5,31.3,40\n');
    const r = await cli(['validate', '--customers', file, '--map', 'customers:lon=GPS_E', '--map', 'customers:age=', '--report', join(tempDir(), 'r.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(parseCsv(r.stdout)).toEqual([['file', 'line', 'column', 'reason']]);
  }, QUEUED_TIMEOUT_MS);

  it.concurrent.each([
    ['customers-lon=x', 'KIND:COLUMN=HEADER'],
    ['shops:lon=x', 'unknown kind'],
    ['customers:longitude=x', 'no column "longitude"'],
    ['sites:lon=x', 'no --sites file'],
  ])('--map %s is a usage error', async (map, message) => {
    const file = join(tempDir(), `u-${map.replace(/[^a-z]/g, '_')}.csv`);
    writeFileSync(file, 'customer_id,lon,lat\nc1,121.4,31.2\n');
    const r = await cli(['validate', '--customers', file, '--map', map]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  }, QUEUED_TIMEOUT_MS);
});
