/**
 * The demo city read in Node the way the app counts it, for specs that recompute the app's
 * figures independently: customers inside a study cell (H3 resolution 8) of the demo areas,
 * and the branches of every owner (ours and competitors') from the sites file.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Geometry } from 'geojson';
import { latLngToCell } from 'h3-js';
import { studyCellsOf } from '../../src/pipeline/sites/sites-cells.ts';

const DEMO = 'public/demo';

/** Customers' positions, in file order, that fall in a study cell. */
export function demoCustomersInStudy(): { lon: number[]; lat: number[] } {
  const fc = JSON.parse(readFileSync(join(DEMO, 'areas.geojson'), 'utf8')) as GeoJSON.FeatureCollection;
  const study = new Set(studyCellsOf(fc.features.map((f) => f.geometry as Geometry), 8).h3);
  const lines = gunzipSync(readFileSync(join(DEMO, 'customers.csv.gz'))).toString().trim().split('\n');
  const head = lines[0].split(',');
  const li = head.indexOf('lon'), la = head.indexOf('lat');
  const lon: number[] = [], lat: number[] = [];
  for (const l of lines.slice(1)) {
    const f = l.split(',');
    const x = Number(f[li]), y = Number(f[la]);
    if (study.has(latLngToCell(y, x, 8))) { lon.push(x); lat.push(y); }
  }
  return { lon, lat };
}

/** The branches (type branch) of every owner, as columns. */
export function demoBranches(): { id: string[]; lon: number[]; lat: number[]; owner: string[]; attractiveness: number[] } {
  const rows = readFileSync(join(DEMO, 'sites.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const h = rows[0];
  const col = (name: string) => h.indexOf(name);
  const br = rows.slice(1).filter((r) => r[col('type')].toLowerCase() === 'branch');
  return {
    id: br.map((r) => r[col('site_id')]),
    lon: br.map((r) => Number(r[col('lon')])),
    lat: br.map((r) => Number(r[col('lat')])),
    owner: br.map((r) => r[col('owner')]),
    attractiveness: br.map((r) => Number(r[col('attractiveness')]) || 1),
  };
}
