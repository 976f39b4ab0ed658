/**
 * The CLI's CSV files are safe to open in a spreadsheet: on test/fixtures/hostile, whose area_id
 * and a candidate's site_id are `=HYPERLINK("http://x")`, another candidate's site_id is the text
 * "-1.5", and a rejected customer row starts with `=cmd|' /C calc'!A0`, every such text cell is
 * written with a leading apostrophe, while numbers (a negative Gi* z included) stay numbers.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../test/fixtures/index.ts';
import { csvRecords, runCli, useTempDir } from './cli-test-helpers.ts';

const FIX = join(FIXTURES_DIR, 'hostile');
const HYPERLINK = '=HYPERLINK("http://x")';
const tempDir = useTempDir('bp-guard-');

describe('CLI CSV outputs neutralise formulas', () => {
  it('hotspots: the area_id, and --rejects: the rejected row', async () => {
    const rejects = join(tempDir(), 'rejects.csv');
    const r = await runCli(['hotspots', '--areas', join(FIX, 'areas.geojson'), '--customers', join(FIX, 'customers.csv'), '--rejects', rejects]);
    expect(r.code, r.stderr).toBe(0);
    const out = csvRecords(r.stdout);
    expect(out.length).toBeGreaterThan(10);
    for (const x of out) expect(x.area_id).toBe(`'${HYPERLINK}`);
    expect(r.stdout).toContain(`,"'=HYPERLINK(""http://x"")",`);
    // Numbers are not text: a negative z is written as the number it is.
    expect(out.some((x) => /^-\d/.test(x.gi_z))).toBe(true);

    const text = readFileSync(rejects, 'utf8');
    expect(text).toBe(`file,line,column,reason,raw\ncustomers.csv,17,lon,lon is not a number,"'=cmd|' /C calc'!A0,abc,31.2,a"\n`);
  });

  it('sites: the candidates\' site_id, formula or text that looks like a number', async () => {
    const r = await runCli([
      'sites', '--areas', join(FIX, 'areas.geojson'), '--customers', join(FIX, 'customers.csv'), '--sites', join(FIX, 'sites.csv'),
      '--candidates', join(FIX, 'candidates.csv'), '--k', '2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout).map((x) => [x.rank, x.site_id, x.marginal_demand])).toEqual([['1', `'${HYPERLINK}`, '10'], ['2', "'-1.5", '5']]);
  });
});
