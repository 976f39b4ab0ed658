/**
 * Areas files from the fault campaign (issue 15) through the CLI: `hotspots` crashed on a hole
 * bigger than its shell ("operation failed … code: 1") and on a whole-world polygon ("Memory
 * allocation failed (code: 13)"), and a 10° × 10° area stalled on 1.7M study cells. Each now
 * ends with exit 0/1 and sentences: the bad feature rejected with its reason or repaired with a
 * warning, the rest analysed; the big area refused before work starts, naming the resolution
 * that fits. Fixtures: test/fixtures/polygons.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, GOOD_FIXTURES } from '../../test/fixtures/index.ts';
import { QUEUED_TIMEOUT_MS, csvRecords, runCli, useTempDir } from './cli-test-helpers.ts';

const tempDir = useTempDir('polygon-cli-');
const fixture = (name: string) => join(FIXTURES_DIR, 'polygons', name);
const NO_ENGINE_TEXT = /Error:|code: \d|operation failed|Memory allocation|\n\s+at /;

async function hotspots(areas: string, extra: string[] = []) {
  // it.concurrent: one output file per fixture, or two tests write the same file at once.
  const out = join(tempDir(), `hot-${areas}-${extra.join('_')}.csv`);
  const r = await runCli(['hotspots', '--areas', fixture(areas), '--customers', GOOD_FIXTURES.customers, '--out', out, ...extra]);
  expect(r.stderr).not.toMatch(NO_ENGINE_TEXT);
  return { ...r, rows: r.code === 0 ? csvRecords(readFileSync(out, 'utf8')) : [] };
}

async function rejects(areas: string): Promise<Record<string, string>[]> {
  const file = join(tempDir(), `rejects-${areas}.csv`);
  const r = await runCli(['validate', '--areas', fixture(areas), '--rejects', file]);
  expect(r.stderr).not.toMatch(NO_ENGINE_TEXT);
  return csvRecords(readFileSync(file, 'utf8'));
}

describe('hostile polygons through the CLI', () => {
  it.concurrent('a hole bigger than its shell: rejected with the reason; a hole leaving a sliver: repaired; hotspots runs', async () => {
    const r = await hotspots('hole-bigger-than-shell.geojson');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('hole-bigger-than-shell.geojson: 3 features read, 2 kept, 1 rejected (1 bad_geometry)');
    expect(r.stderr).toMatch(/features\[2\] \(area_id H2\): rings crossing each other or misplaced holes were made valid by a polygon union \(0\.0 → 0\.17 km²\)/);
    // the 0.17 km² sliver holds no resolution-8 cell centre, so only the valid area has study cells
    expect(new Set(r.rows.map((x) => x.area_id))).toEqual(new Set(['310101']));
    const rej = await rejects('hole-bigger-than-shell.geojson');
    expect(rej.map((x) => [x.column, x.reason])).toEqual([
      ['features[1].geometry', 'features[1]: hole 1 is bigger than its outer ring: nothing of the area is left once its holes are taken out'],
    ]);
  }, QUEUED_TIMEOUT_MS);

  it.concurrent('a whole-world polygon and one across the antimeridian: rejected, told to split at ±180°', async () => {
    const r = await hotspots('world.geojson');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('world.geojson: 3 features read, 1 kept, 2 rejected (2 bad_geometry)');
    expect(new Set(r.rows.map((x) => x.area_id))).toEqual(new Set(['310101']));
    const rej = await rejects('world.geojson');
    expect(rej.map((x) => x.column)).toEqual(['features[1].geometry', 'features[2].geometry']);
    for (const x of rej) expect(x.reason).toMatch(/runs across the ±180° meridian .* split it at ±180° into a MultiPolygon$/);
  }, QUEUED_TIMEOUT_MS);

  it.concurrent('a bow-tie and an open clockwise ring: repaired, each named with what was done', async () => {
    const r = await hotspots('bowtie-open-clockwise.geojson');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('3 features read, 3 kept, 0 rejected');
    expect(r.stderr).toMatch(/features\[1\] \(area_id B\): rings crossing each other or misplaced holes were made valid by a polygon union \(0\.0 → 53/);
    expect(r.stderr).toContain('features[2] (area_id O): a ring was not closed; it was closed by repeating its first position');
    expect(r.stderr).toContain('1 feature had rings wound against RFC 7946 and were rewound (features 2)');
    expect(new Set(r.rows.map((x) => x.area_id))).toEqual(new Set(['310101', 'B', 'O']));
  }, QUEUED_TIMEOUT_MS);

  it.concurrent('a 10° × 10° area at resolution 8: refused at once, naming the resolution that fits', async () => {
    const t0 = Date.now();
    const r = await hotspots('ten-degrees.geojson');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: hotspots: the areas would have about 1,6\d\d,\d{3} study cells at H3 resolution 8, more than the 250,000 allowed; use --resolution 7 or coarser/);
    expect(Date.now() - t0).toBeLessThan(QUEUED_TIMEOUT_MS);
  }, QUEUED_TIMEOUT_MS);
});
