/**
 * `hotspots` as users run it (`node --import tsx src/cli/cli.ts hotspots …` in a child process):
 * on the shared good fixture, and on a clustered city block written below, against the core
 * functions applied to the same CSV; filters (bound as parameters), the empty-filter S = 0
 * case, permutations + FDR, JSON output and the exit codes for usage (2) and data (1) errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { latLngToCell } from 'h3-js';
import type { Polygon } from 'geojson';
import { assignCells, buildStudyGrid, gridNeighbours, locateCells } from '../core/grid.ts';
import { aggregateByCell, customerMask } from '../core/demand.ts';
import { giStar, GI_CLASSES } from '../core/getis-ord.ts';
import { mulberry32 } from '../core/rng.ts';
import { GOOD_FIXTURES } from '../../test/fixtures/index.ts';
import { parseFilters } from './hotspots.ts';
import { cliCommand, csvRecords, useTempDir } from './cli-test-helpers.ts';

const cli = cliCommand('hotspots');
const tempDir = useTempDir('hotspots-cli-');

interface Customer { lon: number; lat: number; segment: string; balance: number }

function readCustomers(path: string): Customer[] {
  return csvRecords(readFileSync(path, 'utf8')).map((v) => ({ lon: Number(v.lon), lat: Number(v.lat), segment: v.segment, balance: Number(v.balance) }));
}

/** The core's answer on the same inputs: values and Gi* per study cell, ascending cell order. */
function reference(areasPath: string, customers: Customer[], opts: { segment?: string; sum?: boolean } = {}) {
  const fc = JSON.parse(readFileSync(areasPath, 'utf8')) as GeoJSON.FeatureCollection;
  const grid = buildStudyGrid(fc.features.map((f) => ({ geometry: f.geometry as Polygon })), 8);
  const { index } = locateCells(grid, assignCells(customers.map((c) => c.lon), customers.map((c) => c.lat), 8));
  const mask = opts.segment ? customerMask(customers.length, { segment: { values: customers.map((c) => c.segment), allowed: [opts.segment] } }) : undefined;
  const agg = aggregateByCell(index, grid.h3.length, { mask, value: opts.sum ? customers.map((c) => c.balance) : undefined });
  const g = giStar(agg.values, gridNeighbours(grid, 1));
  return { grid, values: agg.values, z: g.z, classes: Array.from(g.classCode, (c) => GI_CLASSES[c]), areaIds: fc.features.map((f) => String(f.properties?.area_id)) };
}

function expectMatches(out: Record<string, string>[], ref: ReturnType<typeof reference>): void {
  expect(out.map((r) => r.h3)).toEqual(ref.grid.h3);
  out.forEach((r, i) => {
    expect(r.area_id).toBe(ref.areaIds[ref.grid.areaIndex[i]]);
    expect(Number(r.value)).toBeCloseTo(ref.values[i], 6);
    if (Number.isNaN(ref.z[i])) expect(r.gi_z).toBe('');
    else expect(Number(r.gi_z)).toBeCloseTo(ref.z[i], 9);
    expect(r.class).toBe(ref.classes[i]);
  });
}

// A clustered block: 40 customers within ~100 m of (121.49, 31.23), 60 spread over the box.
const CLUSTER: [number, number] = [121.49, 31.23];
let dir: string;
let areas: string;
let customers: string;

beforeAll(() => {
  dir = tempDir();
  areas = join(dir, 'areas.geojson');
  customers = join(dir, 'customers.csv');
  writeFileSync(areas, JSON.stringify({
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { area_id: 'W' }, geometry: { type: 'Polygon', coordinates: [[[121.46, 31.2], [121.49, 31.2], [121.49, 31.25], [121.46, 31.25], [121.46, 31.2]]] } },
      { type: 'Feature', properties: { area_id: 'E' }, geometry: { type: 'Polygon', coordinates: [[[121.49, 31.2], [121.52, 31.2], [121.52, 31.25], [121.49, 31.25], [121.49, 31.2]]] } },
    ],
  }));
  const rng = mulberry32(11);
  const lines = ['customer_id,lon,lat,segment,balance'];
  for (let i = 0; i < 100; i++) {
    const near = i < 40;
    const lon = near ? CLUSTER[0] + (rng() - 0.5) * 0.002 : 121.46 + rng() * 0.06;
    const lat = near ? CLUSTER[1] + (rng() - 0.5) * 0.002 : 31.2 + rng() * 0.05;
    lines.push(`C${i},${lon.toFixed(6)},${lat.toFixed(6)},${near || i % 3 === 0 ? 'young' : 'senior'},${(1000 + i * 10).toFixed(2)}`);
  }
  writeFileSync(customers, lines.join('\n') + '\n');
});

describe('parseFilters', () => {
  it('splits at the first =', () => {
    expect(parseFilters(['segment=young', 'note=a=b', 'x='])).toEqual([
      { column: 'segment', value: 'young' }, { column: 'note', value: 'a=b' }, { column: 'x', value: '' },
    ]);
    expect(() => parseFilters(['segment'])).toThrow(/COLUMN=VALUE/);
    expect(() => parseFilters(['=young'])).toThrow(/COLUMN=VALUE/);
  });
});

describe('cli hotspots', () => {
  it('writes every study cell of the good fixture, zeros included, as the core computes them', async () => {
    const r = await cli(['--areas', GOOD_FIXTURES.areas, '--customers', GOOD_FIXTURES.customers]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('h3,area_id,value,gi_z,p_value,class');
    const out = csvRecords(r.stdout);
    const ref = reference(GOOD_FIXTURES.areas, readCustomers(GOOD_FIXTURES.customers));
    expectMatches(out, ref);
    expect(out.filter((x) => x.value === '0').length).toBeGreaterThan(out.length / 2);
    expect(out.reduce((s, x) => s + Number(x.value), 0)).toBe(54); // 60 customers, 6 outside
    expect(r.stderr).toMatch(/6 customers lie outside the study area/);
  });

  it('finds the hot cell of the cluster (count and sum of a column)', async () => {
    const cs = readCustomers(customers);
    const hot = latLngToCell(CLUSTER[1], CLUSTER[0], 8);
    for (const [args, sum] of [[[], false], [['--value', 'balance'], true]] as const) {
      const r = await cli(['--areas', areas, '--customers', customers, ...args]);
      expect(r.code, r.stderr).toBe(0);
      const out = csvRecords(r.stdout);
      expectMatches(out, reference(areas, cs, { sum }));
      expect(out.find((x) => x.h3 === hot)?.class).toBe('hot99');
    }
  });

  it('filters with bound parameters, text comparison', async () => {
    const r = await cli(['--areas', areas, '--customers', customers, '--filter', 'segment=young']);
    expect(r.code, r.stderr).toBe(0);
    expectMatches(csvRecords(r.stdout), reference(areas, readCustomers(customers), { segment: 'young' }));
    expect(r.stderr).toMatch(/after 1 filter/);
  });

  it('reports S = 0 when the filter matches nobody: zeros, empty z, all ns, a warning, exit 0', async () => {
    for (const f of ['segment=nobody', "segment=x' OR '1'='1"]) {
      const r = await cli(['--areas', areas, '--customers', customers, '--filter', f, '--fdr']);
      expect(r.code, r.stderr).toBe(0);
      const out = csvRecords(r.stdout);
      expect(out.length).toBeGreaterThan(10);
      for (const x of out) expect([x.value, x.gi_z, x.p_value, x.class, x.p_fdr]).toEqual(['0', '', '', 'ns', '']);
      expect(r.stderr).toMatch(/same value 0 \(did the filters match no customer\?\)/);
    }
  });

  it('adds p_fdr and p_sim, reproducibly for a seed, as JSON too', async () => {
    const args = ['--areas', areas, '--customers', customers, '--fdr', '--permutations', '99', '--seed', '3'];
    const [a, b] = await Promise.all([cli(args), cli(args)]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.split('\n')[0]).toBe('h3,area_id,value,gi_z,p_value,class,p_fdr,p_sim');
    expect(a.stdout).toBe(b.stdout);
    const out = csvRecords(a.stdout);
    for (const x of out) {
      expect(Number(x.p_sim)).toBeGreaterThanOrEqual(0.01);
      expect(Number(x.p_fdr)).toBeGreaterThanOrEqual(Number(x.p_sim));
    }
    const json = join(dir, 'out.json');
    const j = await cli([...args, '--out', json]);
    expect(j.code, j.stderr).toBe(0);
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>[];
    expect(parsed.length).toBe(out.length);
    expect(Object.keys(parsed[0])).toEqual(['h3', 'area_id', 'value', 'gi_z', 'p_value', 'class', 'p_fdr', 'p_sim']);
    expect(parsed[0].p_sim).toBe(Number(out[0].p_sim));
  });

  it('exits 2 on usage errors and 1 on data errors, naming the problem', async () => {
    const base = ['--areas', areas, '--customers', customers];
    const cases: [string[], number, RegExp][] = [
      [['--areas', areas], 2, /--customers FILE is required/],
      [[...base, '--filter', 'segment'], 2, /COLUMN=VALUE/],
      [[...base, '--resolution', '16'], 2, /--resolution must be a whole number ≥ 0 and ≤ 15/],
      [[...base, '--out', 'x.txt'], 2, /\.csv or \.json/],
      [[...base, '--value', 'nope'], 1, /customers\.csv: no column "nope" for --value/],
      [[...base, '--value', 'segment'], 1, /column "segment" is VARCHAR, not numeric/],
      [[...base, '--filter', 'colour=red'], 1, /customers\.csv: no column "colour" to filter on/],
    ];
    for (const [args, code, msg] of cases) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(code);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
  });
});
