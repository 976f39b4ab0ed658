/**
 * The loader under generated input (fast-check; properties in test/fuzz/loader-fuzz.ts): CSV
 * with hostile headers, bad numbers, wrong field counts, duplicates, BOM, mixed line endings
 * and delimiters; the same rows as .xlsx and Parquet; broken GeoJSON areas. A few cases per
 * format here (CI time); `npm run fuzz` runs 10,000 by default (bench/loader-fuzz.ts).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import fc from 'fast-check';
import { NativeConnector } from '../db/native-connector.ts';
import type { Connector } from '../db/connector.ts';
import { checkAgainstClean, checkAreas, checkLoad, genAreas, genFile, toCsv, toParquet, toXlsx } from '../../test/fuzz/loader-fuzz.ts';

let conn: Connector;
beforeAll(async () => {
  conn = await NativeConnector.create({ threads: 1 });
});
afterAll(async () => {
  await conn.close();
});

const SEED = Number(process.env.FUZZ_SEED ?? 15);

describe('loader fuzz (native DuckDB)', () => {
  it('CSV: every row kept or rejected with a reason, bad ones rejected, good ones equal a clean load', async () => {
    await fc.assert(
      fc.asyncProperty(genFile, async (f) => {
        const out = await checkLoad(conn, f, toCsv(f), 'csv');
        if (out.ok) await checkAgainstClean(conn, f);
      }),
      { numRuns: 15, seed: SEED },
    );
  }, 240_000);

  it('xlsx and Parquet of the same rows', async () => {
    await fc.assert(
      fc.asyncProperty(genFile, async (f) => {
        await checkLoad(conn, f, await toXlsx(f), 'xlsx');
        await checkLoad(conn, f, toParquet(f), 'parquet');
      }),
      { numRuns: 6, seed: SEED },
    );
  }, 240_000);

  it('GeoJSON areas with broken features', async () => {
    await fc.assert(fc.asyncProperty(genAreas, async (a) => void (await checkAreas(conn, a))), { numRuns: 15, seed: SEED });
  }, 240_000);
});
