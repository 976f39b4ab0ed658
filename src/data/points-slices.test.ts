/**
 * The coordinates round trip of point files runs in slices of lines (points.ts), so a 12M-row
 * file never crosses to JS at once. Slicing must not change anything: the good dataset loaded
 * with slices of 7 lines (customers also GCJ-02, so every coordinate is converted) equals the
 * one-slice load, tables and report, on both engines.
 */
import { afterEach, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import type { Connector } from '../db/connector.ts';
import { loadInputs } from './load-inputs.ts';
import { POINT_SLICES } from './points.ts';
import { SCRATCH } from './source.ts';
import type { InputKind, LoadInput } from './types.ts';
import { GOOD_FIXTURES } from '../../test/fixtures/index.ts';

const DEFAULT = POINT_SLICES.lines;
const TEMP_MAX = SCRATCH.tempMaxBytes;
const input = (kind: InputKind, crs?: 'gcj02'): LoadInput => ({
  kind, fileName: `${kind}.dat`, bytes: new Uint8Array(readFileSync(GOOD_FIXTURES[kind as keyof typeof GOOD_FIXTURES])), ...(crs ? { crs } : {}),
});

async function loadAll(conn: Connector): Promise<unknown> {
  const report = await loadInputs(conn, [input('areas'), input('customers', 'gcj02'), input('sites')]);
  return {
    files: report.files,
    customers: await conn.query('SELECT * FROM customers'),
    sites: await conn.query('SELECT * FROM sites'),
  };
}

describeOnEachEngine('point files in slices on $name', (conn) => {
  afterEach(() => {
    POINT_SLICES.lines = DEFAULT;
    SCRATCH.tempMaxBytes = TEMP_MAX;
  });

  it('scratch tables in the database file (files over SCRATCH.tempMaxBytes) give the same tables as TEMP ones', async () => {
    const temp = await loadAll(conn());
    SCRATCH.tempMaxBytes = 0;
    POINT_SLICES.lines = 7;
    expect(await loadAll(conn())).toEqual(temp);
  }, 120_000);

  it('slices of 7 lines give the same tables, in the same order, as one slice', async () => {
    const whole = await loadAll(conn());
    POINT_SLICES.lines = 7;
    const sliced = await loadAll(conn());
    expect(sliced).toEqual(whole);
    expect((whole as { customers: unknown[] }).customers.length).toBeGreaterThan(20);
  }, 120_000);
});
