/**
 * Checks the committed demo city in public/demo/ against the data contract (DESIGN.md) and
 * against the story it is meant to tell. Point-in-polygon uses @turf/boolean-point-in-polygon,
 * independent of the generator's own ray casting.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import turfBbox from '@turf/bbox';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { haversineM } from '../src/core/haversine.ts';
import { areasToText, loadShanghai } from './boundaries.ts';
import { prepareArea } from './geo.ts';
import { generateIndicators, indicatorsToCsv } from './indicators.ts';
import { SEED } from './seed.ts';
import { generateSites, sitesToCsv } from './sites.ts';

const DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'demo');
const text = (name: string) => readFileSync(join(DEMO, name), 'utf8');

/** Our files never quote fields (checked below), so a split is a faithful parse. */
function parseCsv(src: string): { header: string[]; rows: string[][] } {
  const lines = src.trimEnd().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

type AreaFeature = Feature<Polygon | MultiPolygon, { area_id: string; name: string; name_en: string; area_km2: number }>;
const areas = JSON.parse(text('areas.geojson')) as FeatureCollection<Polygon | MultiPolygon, AreaFeature['properties']>;
const boxes = areas.features.map((f) => turfBbox(f));
function areaIdOf(lon: number, lat: number): string | undefined {
  for (let i = 0; i < areas.features.length; i++) {
    const [x0, y0, x1, y1] = boxes[i];
    if (lon < x0 || lon > x1 || lat < y0 || lat > y1) continue;
    if (booleanPointInPolygon([lon, lat], areas.features[i])) return areas.features[i].properties.area_id;
  }
  return undefined;
}

/** 2020 census resident population (第七次全国人口普查), per district. */
const CENSUS_2020: Record<string, number> = {
  '310101': 662030, '310104': 1113078, '310105': 693051, '310106': 975707, '310107': 1239800,
  '310109': 757498, '310110': 1242548, '310112': 2653489, '310113': 2235218, '310114': 1834258,
  '310115': 5681512, '310116': 822776, '310117': 1909713, '310118': 1271424, '310120': 1140872,
  '310151': 637921,
};

describe('areas.geojson', () => {
  it('has the 16 districts with unique 6-digit ids and names in both languages', () => {
    expect(areas.type).toBe('FeatureCollection');
    const ids = areas.features.map((f) => f.properties.area_id);
    expect(new Set(ids).size).toBe(16);
    expect([...ids].sort()).toEqual(Object.keys(CENSUS_2020).sort());
    for (const f of areas.features) {
      expect(f.properties.name).toMatch(/区$/);
      expect(f.properties.name_en).toMatch(/^[A-Z]/);
      expect(f.properties.area_km2).toBeGreaterThan(15);
    }
    expect(areas.features.find((f) => f.properties.area_id === '310151')?.properties.name).toBe('崇明区');
  });

  it('has closed rings with plausible Shanghai WGS84 coordinates', () => {
    for (const f of areas.features) {
      const polys: Position[][][] = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const ring of polys.flat()) {
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        for (const [lon, lat] of ring) {
          expect(lon).toBeGreaterThan(120.8);
          expect(lon).toBeLessThan(122.2);
          expect(lat).toBeGreaterThan(30.6);
          expect(lat).toBeLessThan(31.9);
        }
      }
    }
  });

  it('puts known landmarks in their districts (decode and GCJ-02 → WGS84 are right)', () => {
    expect(areaIdOf(121.475, 31.232)).toBe('310101'); // 人民广场
    expect(areaIdOf(121.502, 31.238)).toBe('310115'); // 陆家嘴
    expect(areaIdOf(121.437, 31.195)).toBe('310104'); // 徐家汇
    expect(areaIdOf(121.514, 31.301)).toBe('310110'); // 五角场
    expect(areaIdOf(121.397, 31.627)).toBe('310151'); // 崇明 城桥
  });

  it('has a land area close to the official figures for districts without much water', () => {
    const km2 = Object.fromEntries(areas.features.map((f) => [f.properties.area_id, f.properties.area_km2]));
    expect(km2['310101']).toBeCloseTo(20.5, 0); // official 20.46 km²
    expect(km2['310104']).toBeGreaterThan(52); // official 54.76 km²
    expect(km2['310104']).toBeLessThan(57);
  });
});

describe('indicators.csv', () => {
  const { header, rows } = parseCsv(text('indicators.csv'));
  const col = (name: string) => header.indexOf(name);
  const get = (id: string, period: string, name: string) => Number(rows.find((r) => r[0] === id && r[1] === period)![col(name)]);

  it('has one row per district per quarter 2023Q1–2025Q4', () => {
    expect(header).toEqual([
      'area_id', 'period', 'population', 'avg_income', 'unemployment_rate', 'house_price_index',
      'npl_rate', 'young_share', 'elderly_share', 'business_count',
    ]);
    expect(rows).toHaveLength(192);
    expect(new Set(rows.map((r) => `${r[0]}|${r[1]}`)).size).toBe(192);
    const periods = [...new Set(rows.map((r) => r[1]))].sort();
    expect(periods).toHaveLength(12);
    expect(periods[0]).toBe('2023Q1');
    expect(periods[11]).toBe('2025Q4');
    for (const r of rows) for (let c = 2; c < r.length; c++) expect(Number.isFinite(Number(r[c]))).toBe(true);
  });

  it('anchors population on the 2020 census', () => {
    for (const [id, census] of Object.entries(CENSUS_2020)) {
      expect(Math.abs(get(id, '2023Q1', 'population') / census - 1)).toBeLessThan(0.05);
      expect(Math.abs(get(id, '2025Q4', 'population') / census - 1)).toBeLessThan(0.08);
    }
  });

  it('keeps every indicator in a plausible range, with house prices indexed to 2023Q1 = 100', () => {
    for (const r of rows) {
      const v = (name: string) => Number(r[col(name)]);
      expect(v('avg_income')).toBeGreaterThan(50_000);
      expect(v('avg_income')).toBeLessThan(200_000);
      expect(v('unemployment_rate')).toBeGreaterThan(1);
      expect(v('unemployment_rate')).toBeLessThan(10);
      expect(v('npl_rate')).toBeGreaterThan(0);
      expect(v('npl_rate')).toBeLessThan(5);
      expect(v('young_share')).toBeGreaterThan(0.05);
      expect(v('elderly_share')).toBeLessThan(0.5);
      expect(v('young_share') + v('elderly_share')).toBeLessThan(1);
      expect(Number.isInteger(v('business_count'))).toBe(true);
      if (r[1] === '2023Q1') expect(v('house_price_index')).toBe(100);
    }
  });

  it('has 宝山, 金山 and 崇明 deteriorating steadily, and the others not', () => {
    const bad = ['310113', '310116', '310151'];
    for (const id of bad) {
      expect(get(id, '2025Q4', 'unemployment_rate') - get(id, '2023Q1', 'unemployment_rate')).toBeGreaterThan(1);
      expect(get(id, '2025Q4', 'npl_rate') - get(id, '2023Q1', 'npl_rate')).toBeGreaterThan(0.8);
      expect(get(id, '2025Q4', 'house_price_index')).toBeLessThan(85);
    }
    for (const id of Object.keys(CENSUS_2020).filter((i) => !bad.includes(i) && i !== '310110')) {
      expect(get(id, '2025Q4', 'unemployment_rate') - get(id, '2023Q1', 'unemployment_rate')).toBeLessThan(0.5);
      expect(get(id, '2025Q4', 'house_price_index')).toBeGreaterThan(85);
    }
  });

  it('has 杨浦 breaking sharply in the last two quarters only', () => {
    const npl = (p: string) => get('310110', p, 'npl_rate');
    expect(Math.abs(npl('2025Q2') - npl('2023Q1'))).toBeLessThan(0.2);
    expect(npl('2025Q4') - npl('2025Q2')).toBeGreaterThan(1);
    expect(get('310110', '2025Q4', 'unemployment_rate') - get('310110', '2025Q2', 'unemployment_rate')).toBeGreaterThan(1);
  });
});

describe('sites.csv', () => {
  const { header, rows } = parseCsv(text('sites.csv'));
  const sites = rows.map((r) => ({ id: r[0], lon: +r[1], lat: +r[2], type: r[3], owner: r[4], name: r[5], attractiveness: +r[6] }));

  it('has our branches and ATMs and two competitors, with unique ids', () => {
    expect(header).toEqual(['site_id', 'lon', 'lat', 'type', 'owner', 'name', 'attractiveness']);
    expect(rows.every((r) => r.length === 7)).toBe(true);
    expect(new Set(sites.map((s) => s.id)).size).toBe(sites.length);
    const count = (owner: string, type: string) => sites.filter((s) => s.owner === owner && s.type === type).length;
    expect(count('own', 'branch')).toBe(60);
    expect(count('own', 'atm')).toBe(200);
    expect(count('ICBC', 'branch')).toBe(80);
    expect(count('CMB', 'branch')).toBe(50);
    expect(sites).toHaveLength(390);
  });

  it('has names and attractiveness 1–3 (ATMs 1), and every site inside a district', () => {
    for (const s of sites) {
      expect(s.name.length).toBeGreaterThan(0);
      expect([1, 2, 3]).toContain(s.attractiveness);
      if (s.type === 'atm') expect(s.attractiveness).toBe(1);
      expect(areaIdOf(s.lon, s.lat)).toBeDefined();
    }
  });

  it('has overlapping own branches and an uncovered growing suburb', () => {
    const own = sites.filter((s) => s.owner === 'own' && s.type === 'branch');
    let closePairs = 0;
    for (let i = 0; i < own.length; i++)
      for (let j = i + 1; j < own.length; j++) if (haversineM(own[i].lon, own[i].lat, own[j].lon, own[j].lat) < 500) closePairs++;
    expect(closePairs).toBeGreaterThanOrEqual(3);
    const lingang = [121.928, 30.905] as const;
    const near = (owner: string) => sites.filter((s) => s.owner === owner && haversineM(s.lon, s.lat, lingang[0], lingang[1]) < 5000);
    expect(near('own')).toHaveLength(0);
    expect(near('ICBC').length).toBeGreaterThan(0);
  });
});

describe('customers.csv.gz', () => {
  const { header, rows } = parseCsv(gunzipSync(readFileSync(join(DEMO, 'customers.csv.gz'))).toString('utf8'));

  it('has ~200,000 rows with the contract columns and unique ids', () => {
    expect(header).toEqual(['customer_id', 'lon', 'lat', 'segment', 'age', 'balance', 'loan_balance', 'default_flag', 'digital_active']);
    expect(rows.length).toBeGreaterThan(190_000);
    expect(rows.length).toBeLessThan(210_000);
    expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
  });

  it('has valid values in every row', () => {
    const segments = new Set(['young', 'family', 'senior', 'sme', 'affluent']);
    for (const r of rows) {
      if (r.length !== 9 || !segments.has(r[3]) || (r[7] !== '0' && r[7] !== '1') || (r[8] !== '0' && r[8] !== '1'))
        throw new Error(`bad row ${r.join(',')}`);
      const age = Number(r[4]);
      if (!(age >= 18 && age <= 100) || !(Number(r[5]) >= 0) || !(Number(r[6]) >= 0) || (r[7] === '1' && Number(r[6]) === 0))
        throw new Error(`bad value in ${r.join(',')}`);
    }
  });

  it('places a sample of 5,000 customers inside the districts', () => {
    const step = Math.floor(rows.length / 5000);
    let outside = 0;
    for (let i = 0; i < rows.length; i += step) if (!areaIdOf(Number(rows[i][1]), Number(rows[i][2]))) outside++;
    expect(outside).toBe(0);
  });

  it('is dense at the commercial centres and sparse on 崇明', () => {
    const within = (lon: number, lat: number, m: number) => rows.filter((r) => haversineM(lon, lat, +r[1], +r[2]) < m).length;
    const lujiazui = within(121.502, 31.238, 1000);
    const chongming = within(121.6, 31.6, 1000);
    const cityMeanPerKm2 = rows.length / 7400;
    expect(lujiazui / Math.PI).toBeGreaterThan(10 * cityMeanPerKm2);
    expect(chongming).toBeLessThan(lujiazui / 20);
  });
});

describe('manifest.json', () => {
  const m = JSON.parse(text('manifest.json'));
  it('names existing files, the CRS and labels in both languages', () => {
    expect(m.crs).toBe('wgs84');
    for (const f of Object.values(m.files) as string[]) expect(() => readFileSync(join(DEMO, f))).not.toThrow();
    expect(Object.keys(m.labels['zh-CN']).sort()).toEqual(Object.keys(m.labels.en).sort());
    expect(m.credits.en).toMatch(/echarts 4\.9\.0/);
  });
});

describe('generator', () => {
  it('reproduces the committed areas, sites and indicators byte for byte', () => {
    const fc = loadShanghai();
    expect(areasToText(fc)).toBe(text('areas.geojson'));
    const prepared = fc.features.map((f) => prepareArea(f.properties.area_id, f.geometry));
    expect(sitesToCsv(generateSites(prepared, SEED))).toBe(text('sites.csv'));
    expect(indicatorsToCsv(generateIndicators(SEED))).toBe(text('indicators.csv'));
  });
});
