/**
 * The demo city as the sites benchmarks read it: customers at their exact locations, the
 * site network (public/demo/sites.csv) and the study cells of the demo areas at res 8.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Geometry } from 'geojson';
import type { NetworkSites, StudyCells } from '../src/pipeline/sites/sites-model.ts';
import { studyCellsOf } from '../src/pipeline/sites/sites-cells.ts';

/** `customer_id,lon,lat,…` rows → coordinates (the generator's CSV; no quoting). */
export function parseCustomers(text: string): { lon: Float64Array; lat: Float64Array } {
  const lines = text.split('\n');
  const lon: number[] = [], lat: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if (!l) continue;
    const a = l.indexOf(','), b = l.indexOf(',', a + 1), c = l.indexOf(',', b + 1);
    lon.push(Number(l.slice(a + 1, b)));
    lat.push(Number(l.slice(b + 1, c < 0 ? undefined : c)));
  }
  return { lon: Float64Array.from(lon), lat: Float64Array.from(lat) };
}

export function demoNetwork(): NetworkSites {
  const rows = readFileSync('public/demo/sites.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  return {
    id: rows.map((r) => r[0]), lon: Float64Array.from(rows, (r) => Number(r[1])), lat: Float64Array.from(rows, (r) => Number(r[2])),
    type: rows.map((r) => r[3]), owner: rows.map((r) => r[4]), attractiveness: Float64Array.from(rows, (r) => Number(r[6]) || 1),
  };
}

export function demoCells(): StudyCells {
  const areas = JSON.parse(readFileSync('public/demo/areas.geojson', 'utf8')) as { features: { geometry: Geometry }[] };
  return studyCellsOf(areas.features.map((f) => f.geometry), 8);
}

export function demoCustomers(): { lon: Float64Array; lat: Float64Array } {
  return parseCustomers(gunzipSync(readFileSync('public/demo/customers.csv.gz')).toString('utf8'));
}

/** `name<TAB>value<TAB>unit<TAB>target[<TAB>note]`, the line bench/run.ts collects. */
export function line(name: string, value: number, unit: string, target: string, note = ''): void {
  const v = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 1);
  console.log(`${name}\t${v}\t${unit}\t${target}${note ? `\t${note}` : ''}`);
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Wall and CPU (user + system) time of f; the machine is shared, so CPU time is what the code costs. */
export async function measure<T>(f: () => T | Promise<T>): Promise<{ r: T; wallMs: number; cpuMs: number }> {
  gc();
  const c = process.cpuUsage();
  const t = performance.now();
  const r = await f();
  const d = process.cpuUsage(c);
  return { r, wallMs: performance.now() - t, cpuMs: (d.user + d.system) / 1000 };
}
