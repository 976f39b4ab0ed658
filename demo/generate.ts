/**
 * Regenerates the Shanghai demo city in public/demo/ — byte-identically, from SEED.
 *
 *   npm run demo:data
 *   node --import tsx demo/generate.ts --customers 1000000 --out /tmp/customers-1m.csv
 *
 * The second form writes only a plain (uncompressed) customers CSV of the requested size,
 * for benchmarks; nothing in public/demo is touched.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { areasToText, loadShanghai } from './boundaries.ts';
import { generateCustomers } from './customers.ts';
import { prepareArea, type PreparedArea } from './geo.ts';
import { generateIndicators, indicatorsToCsv, type IndicatorRow } from './indicators.ts';
import { manifest } from './manifest.ts';
import { DEMO_CUSTOMERS, SEED } from './seed.ts';
import { generateSites, sitesToCsv } from './sites.ts';


const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'demo');

function write(name: string, data: string | Uint8Array): void {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, name), data);
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  console.log(`wrote public/demo/${name} (${bytes.toLocaleString('en')} bytes)`);
}

/**
 * gzip that depends only on its input: Node writes mtime 0 already; the OS byte is pinned
 * to 255 ("unknown") so the header does not depend on the platform zlib was built for.
 */
function gzipDeterministic(text: string): Buffer {
  const gz = gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
  gz[9] = 0xff;
  return gz;
}

function customersText(prepared: PreparedArea[], indicators: IndicatorRow[], count: number): string {
  const chunks: string[] = [];
  generateCustomers(prepared, indicators, { count, seed: SEED, onChunk: (t) => chunks.push(t) });
  return chunks.join('');
}

function main(): void {
  const { values } = parseArgs({ options: { customers: { type: 'string' }, out: { type: 'string' } } });
  const areas = loadShanghai();
  const prepared = areas.features.map((f) => prepareArea(f.properties.area_id, f.geometry));
  const indicators = generateIndicators(SEED);

  if (values.customers !== undefined || values.out !== undefined) {
    const count = Number(values.customers);
    if (!values.out || !Number.isInteger(count) || count <= 0) {
      console.error('usage: node --import tsx demo/generate.ts --customers <positive integer> --out <file.csv>');
      process.exit(2);
    }
    const fd = openSync(values.out, 'w');
    generateCustomers(prepared, indicators, { count, seed: SEED, onChunk: (t) => writeSync(fd, t) });
    closeSync(fd);
    console.log(`wrote ${values.out} (${count.toLocaleString('en')} customers, plain CSV)`);
    return;
  }

  write('areas.geojson', areasToText(areas));
  write('sites.csv', sitesToCsv(generateSites(prepared, SEED)));
  write('indicators.csv', indicatorsToCsv(indicators));
  write('customers.csv.gz', gzipDeterministic(customersText(prepared, indicators, DEMO_CUSTOMERS)));
  write('manifest.json', JSON.stringify(manifest(), null, 2) + '\n');
}

main();
