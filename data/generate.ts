/**
 * Regenerates the Shanghai demo city in public/demo/ — byte-identically, from SEED.
 *
 *   npm run demo:data
 *   node --import tsx data/generate.ts --customers 1000000 --out /tmp/customers-1m.csv
 *
 * The second form writes only a plain (uncompressed) customers CSV of the requested size,
 * for benchmarks; nothing in public/demo is touched.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadShanghai, type AreaCollection } from './boundaries.ts';
import { prepareArea } from './geo.ts';
import { generateIndicators, indicatorsToCsv } from './indicators.ts';
import { generateSites, sitesToCsv } from './sites.ts';

/** The one seed of the demo. Each part derives its own stream from it (see seedFor). */
export const SEED = 310000; // Shanghai's administrative code

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'demo');

/** One FeatureCollection, one feature per line: small, and diffs stay readable. */
export function areasToText(fc: AreaCollection): string {
  const lines = fc.features.map((f) => JSON.stringify(f));
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

function write(name: string, data: string | Uint8Array): void {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, name), data);
  console.log(`wrote public/demo/${name} (${data.length.toLocaleString('en')} ${typeof data === 'string' ? 'chars' : 'bytes'})`);
}

function main(): void {
  const areas = loadShanghai();
  write('areas.geojson', areasToText(areas));
  const prepared = areas.features.map((f) => prepareArea(f.properties.area_id, f.geometry));
  write('sites.csv', sitesToCsv(generateSites(prepared, SEED)));
  const indicators = generateIndicators(SEED);
  write('indicators.csv', indicatorsToCsv(indicators));
}

main();
