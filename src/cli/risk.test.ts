/**
 * `risk` as users run it: `node --import tsx src/cli/cli.ts risk …` in a child process, on a
 * six-area fixture whose numbers are worked out by hand below, plus the shared good dataset
 * with portfolio indicators, and the exit codes for usage (2) and data (1) errors.
 *
 * test/fixtures/risk/indicators.csv at 2024Q3 (the scored period; d:house_price_index:2
 * compares with 2024Q1, where every area had 100):
 *
 *   area  unemployment  Δ house price   npl
 *   A1        2             +4            1
 *   A2        4             −4            1
 *   A3        6              0            1
 *   A4        6           (missing)       1
 *   A5    (missing)         −8        (missing)
 *   A6    (missing)         −2            1
 *
 * minmax, weights 2 / 1 (down) / 1:
 *   s_u = 0, .5, 1, 1, –, –;  s_dh = 1 − (x+8)/12 = 0, 2/3, 1/3, –, 1, 1/2;  s_npl = 0.5 (constant)
 *   A1 = 100·(0 + 0 + .5)/4 = 12.5                 tier 1, rank 5
 *   A2 = 100·(1 + 2/3 + .5)/4 = 54.1667            tier 3, rank 3
 *   A3 = 100·(2 + 1/3 + .5)/4 = 70.8333            tier 3, rank 2
 *   A4 = 100·(2 + .5)/3 = 83.3333 (1/4 weight missing)  tier 4, rank 1
 *   A5 insufficient (3/4 of the weight missing)
 *   A6 = 100·(.5 + .5)/2 = 50 (exactly half missing is fine; 50 is on a cut point → tier 3), rank 4
 *
 * rank normalisation ((rank − 1)/(m − 1), ties averaged):
 *   s_u = 0, 1/3, 5/6, 5/6;  s_dh (down) = 0, .75, .25, –, 1, .5
 *   A1 = 12.5, A2 = 100·(2/3 + .75 + .5)/4 = 47.9167, A3 = 100·(5/3 + .25 + .5)/4 = 60.4167,
 *   A4 = 100·(5/3 + .5)/3 = 72.2222, A6 = 50  →  ranks A4 1, A3 2, A6 3, A2 4, A1 5
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOOD_FIXTURES } from '../../test/fixtures/index.ts';
import { ROOT, cliCommand, csvRecords, useTempDir } from './cli-test-helpers.ts';

const FIX = join(ROOT, 'test/fixtures/risk');
const cli = cliCommand('risk');
const tempDir = useTempDir('risk-cli-');

const base = ['--areas', join(FIX, 'areas.geojson'), '--indicators', join(FIX, 'indicators.csv')];

describe('cli risk', () => {
  it('writes the index, tier, rank, flags and scores as CSV on stdout (minmax, hand-computed)', async () => {
    const r = await cli([...base, '--config', join(FIX, 'config-minmax.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('area_id,risk_index,tier,rank,flags,s_unemployment_rate,s_d_house_price_index_2,s_npl_rate');
    const out = csvRecords(r.stdout);
    expect(out.map((x) => x.area_id)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6']); // the areas file's order
    const idx = Object.fromEntries(out.map((x) => [x.area_id, x.risk_index === '' ? NaN : Number(x.risk_index)]));
    expect(idx.A1).toBeCloseTo(12.5, 10);
    expect(idx.A2).toBeCloseTo(54.1666666667, 8);
    expect(idx.A3).toBeCloseTo(70.8333333333, 8);
    expect(idx.A4).toBeCloseTo(83.3333333333, 8);
    expect(idx.A6).toBeCloseTo(50, 10);
    expect(out.map((x) => x.tier)).toEqual(['1', '3', '3', '4', '', '3']);
    expect(out.map((x) => x.rank)).toEqual(['5', '3', '2', '1', '', '4']);
    expect(out.map((x) => x.flags)).toEqual([
      '', '', '', 'missing:d:house_price_index:2',
      'insufficient_data;missing:unemployment_rate;missing:npl_rate',
      'missing:unemployment_rate',
    ]);
    // empty cells for missing scores; direction "down" flips the change in house prices
    expect(out.find((x) => x.area_id === 'A5')).toMatchObject({ risk_index: '', s_unemployment_rate: '', s_d_house_price_index_2: '1', s_npl_rate: '' });
    expect(Number(out[1].s_d_house_price_index_2)).toBeCloseTo(2 / 3, 12);
    expect(out[0].s_npl_rate).toBe('0.5'); // a constant indicator scores 0.5
    expect(r.stderr).toMatch(/risk: 6 areas at 2024Q3 \(minmax, 3 indicators\); 5 scored, 1 with insufficient_data/);
  });

  it('uses the latest period when the config names none, and the config’s normalisation (rank), as JSON with --out', async () => {
    const dir = tempDir();
    const r = await cli([...base, '--config', join(FIX, 'config-rank.json'), '--out', join(dir, 'out.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as Record<string, unknown>[];
    expect(Object.keys(out[0])).toEqual(['area_id', 'risk_index', 'tier', 'rank', 'flags', 's_unemployment_rate', 's_d_house_price_index_2', 's_npl_rate']);
    const by = Object.fromEntries(out.map((x) => [x.area_id as string, x]));
    expect(by.A2.risk_index as number).toBeCloseTo(47.9166666667, 8);
    expect(by.A3.risk_index as number).toBeCloseTo(60.4166666667, 8);
    expect(by.A4.risk_index as number).toBeCloseTo(72.2222222222, 8);
    expect(by.A3.s_unemployment_rate as number).toBeCloseTo(5 / 6, 12); // tie of A3 and A4: average rank
    expect(out.map((x) => x.rank)).toEqual([5, 4, 2, 1, null, 3]);
    expect(by.A5).toMatchObject({ risk_index: null, tier: null, rank: null, s_unemployment_rate: null });
    expect(r.stderr).toMatch(/at 2024Q3 \(rank/);
  });

  it('computes portfolio indicators from --customers for pf_ columns', async () => {
    const dir = tempDir();
    const cfg = join(dir, 'pf.json');
    writeFileSync(cfg, JSON.stringify({ indicators: [{ column: 'pf_npl_rate', weight: 1 }, { column: 'unemployment_rate', weight: 1 }] }));
    const args = ['--areas', GOOD_FIXTURES.areas, '--indicators', GOOD_FIXTURES.indicators, '--config', cfg];
    const r = await cli([...args, '--customers', GOOD_FIXTURES.customers]);
    expect(r.code, r.stderr).toBe(0);
    const out = csvRecords(r.stdout);
    expect(Object.keys(out[0])).toContain('s_pf_npl_rate');
    expect(out.every((x) => x.s_pf_npl_rate !== '' && x.risk_index !== '')).toBe(true);
    // without customers the column does not exist: a data error that says what to add
    const bad = await cli(args);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/pf\.json: indicators\[0\]: unknown indicator column 'pf_npl_rate'/);
    expect(bad.stderr).toMatch(/add --customers FILE/);
  });

  it('exits 1 naming the file for a config that is not valid JSON or not a valid config', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.json'), '{ "indicators": [ ');
    const a = await cli([...base, '--config', join(dir, 'broken.json')]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/broken\.json: not valid JSON/);
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ indicators: [{ column: 'unemployment_rat', weight: -1 }], tiers: [50, 25] }));
    const b = await cli([...base, '--config', join(dir, 'typo.json')]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/typo\.json: indicators\[0\]: unknown indicator column 'unemployment_rat' \(did you mean 'unemployment_rate'\?\)/);
    expect(b.stderr).toMatch(/typo\.json: "tiers" cut points must be strictly increasing/);
    expect(b.stdout).toBe('');
  });

  it('exits 2 on usage errors: no --config, a missing file, a bad --out extension, an unknown option', async () => {
    const noConfig = await cli(base);
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toMatch(/--config is required/);
    const missing = await cli([...base, '--config', join(FIX, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);
    const ext = await cli([...base, '--config', join(FIX, 'config-minmax.json'), '--out', 'x.txt']);
    expect(ext.code).toBe(2);
    const unknown = await cli([...base, '--config', join(FIX, 'config-minmax.json'), '--weights', '1']);
    expect(unknown.code).toBe(2);
    const noAreas = await cli(['--indicators', join(FIX, 'indicators.csv'), '--config', join(FIX, 'config-minmax.json')]);
    expect(noAreas.code).toBe(2);
    expect(noAreas.stderr).toMatch(/--areas FILE is required/);
  });
});
