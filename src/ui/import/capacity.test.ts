import { describe, expect, it } from 'vitest';
import { DEFAULT_CAP_BYTES, MAX_FILE_BYTES, checkCapacity, estimateNeed, isOutOfMemory, loadRoute, memoryCapBytes } from './capacity.ts';

const MB = 1024 * 1024;

describe('capacity estimate', () => {
  it('in place (a dropped CSV): the app, a fixed 350 MB and 240 bytes a row; the file size itself does not count (hand-computed)', () => {
    // 300 MB of CSV, 10M rows: 400 MB + 350 MB + 10M × 240 B; in memory (no OPFS) + 10M × 120 B.
    expect(estimateNeed([{ fileName: 'c.csv', kind: 'customers', bytes: 300e6, rows: 10e6 }], 'opfs')).toBe(400e6 + 350e6 + 2400e6);
    expect(estimateNeed([{ fileName: 'c.csv', kind: 'customers', bytes: 300e6, rows: 10e6 }], 'memory')).toBe(400e6 + 350e6 + 2400e6 + 1200e6);
    expect(estimateNeed([{ fileName: 'c.csv', kind: 'customers', bytes: 3000e6, rows: 10e6 }], 'opfs')).toBe(400e6 + 350e6 + 2400e6);
    // the fixed part counts once for several files
    expect(estimateNeed([{ fileName: 'a.csv', kind: 'customers', bytes: 1, rows: 1e6 }, { fileName: 'b.txt', kind: 'sites', bytes: 1, rows: 1e6 }], 'opfs')).toBe(400e6 + 350e6 + 480e6);
  });

  it('in memory (gzip, Excel, Parquet): the expanded text three times and 48 bytes a row; rows estimated from the text when not counted', () => {
    expect(loadRoute({ fileName: 'c.csv.gz', kind: 'customers' })).toBe('in-memory');
    expect(loadRoute({ fileName: 'c.CSV', kind: 'customers' })).toBe('in-place');
    expect(loadRoute({ fileName: 'a.csv', kind: 'areas' })).toBe('in-memory');
    // 30 MB gzip → 150 MB text → 5M rows: 400 MB + 350 MB + 450 MB + 240 MB.
    expect(estimateNeed([{ fileName: 'c.csv.gz', kind: 'customers', bytes: 30e6 }], 'opfs')).toBe(400e6 + 350e6 + 450e6 + 5e6 * 48);
    // 100 MB Parquet → 300 MB → 10M rows counted: 400 MB + 350 MB + 900 MB + 480 MB.
    expect(estimateNeed([{ fileName: 'c.parquet', kind: 'customers', bytes: 100e6, rows: 10e6 }], 'opfs')).toBe(400e6 + 350e6 + 900e6 + 480e6);
    // the measured in-memory loads: 1M (59 MB of CSV) 974–1,122 MB, 12M (703 MB) 3.2–3.8 GB: within their ranges
    const gz = (mb: number, rows: number) => estimateNeed([{ fileName: 'c.csv.gz', kind: 'customers', bytes: (mb * 1e6) / 5, rows }], 'opfs');
    expect(gz(58.7, 1e6)).toBeGreaterThanOrEqual(974e6 * 0.99);
    expect(gz(58.7, 1e6)).toBeLessThanOrEqual(1122e6);
    expect(gz(703, 12e6)).toBeGreaterThanOrEqual(3.2e9);
    expect(gz(703, 12e6)).toBeLessThanOrEqual(3.8e9);
  });

  it('matches the measured in-place peaks (1M 966 MB, 3M 1,430 MB) within 5 %, lets 12M through, refuses 20M and anything past a set cap', () => {
    const inPlace = (rows: number) => estimateNeed([{ fileName: 'c.csv', kind: 'customers', bytes: rows * 58.7, rows }], 'opfs');
    expect(Math.abs(inPlace(1e6) / 966e6 - 1)).toBeLessThan(0.05);
    expect(Math.abs(inPlace(3e6) / 1429.5e6 - 1)).toBeLessThan(0.05);
    const twelve = [{ fileName: 'c12m.csv', kind: 'customers' as const, bytes: 703e6, rows: 12e6 }];
    expect(checkCapacity(twelve, DEFAULT_CAP_BYTES, 'opfs')).toBeNull();
    // In memory (no OPFS) the tables stay in the wasm heap too: 12M did not fit there.
    expect(checkCapacity(twelve, DEFAULT_CAP_BYTES, 'memory')?.reason).toBe('estimate');
    expect(checkCapacity([{ fileName: 'c20m.csv', kind: 'customers', bytes: 1172e6, rows: 20e6 }], DEFAULT_CAP_BYTES, 'opfs')?.file).toBe('c20m.csv');
    // the same 12M book gzipped goes through memory: three copies of 3.5 GB do not fit
    expect(checkCapacity([{ fileName: 'c12m.csv.gz', kind: 'customers', bytes: 703e6, rows: 12e6 }], DEFAULT_CAP_BYTES, 'opfs')?.reason).toBe('estimate');
    const r = checkCapacity(twelve, 512 * MB, 'opfs');
    expect(r).toEqual({ file: 'c12m.csv', needBytes: 400e6 + 350e6 + 12e6 * 240, capBytes: 512 * MB, reason: 'estimate' });
  });

  it('refuses an in-memory file over 2 GiB (one ArrayBuffer), not a CSV read in place', () => {
    const areas = { fileName: 'a.geojson', kind: 'areas' as const, bytes: 10 };
    expect(checkCapacity([areas, { fileName: 'huge.parquet', kind: 'customers', bytes: MAX_FILE_BYTES, rows: 1 }], Number.MAX_SAFE_INTEGER, 'opfs')?.file).toBe('huge.parquet');
    expect(checkCapacity([areas, { fileName: 'huge.csv', kind: 'customers', bytes: MAX_FILE_BYTES, rows: 1 }], Number.MAX_SAFE_INTEGER, 'opfs')).toBeNull();
  });

  it('reads the cap from the URL first, then localStorage, ignoring junk', () => {
    expect(memoryCapBytes('?memoryCapMB=64', '999')).toBe(64 * MB);
    expect(memoryCapBytes('', '128')).toBe(128 * MB);
    expect(memoryCapBytes('?memoryCapMB=abc', '-1')).toBe(DEFAULT_CAP_BYTES);
    expect(memoryCapBytes('', null)).toBe(DEFAULT_CAP_BYTES);
  });

  it('recognises the engine out-of-memory messages and nothing else', () => {
    expect(isOutOfMemory(new Error('Out of Memory Error: could not allocate block of size 256.0 KiB (3.1 GiB/3.1 GiB used)'))).toBe(true);
    expect(isOutOfMemory(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(isOutOfMemory(new Error('Binder Error: column not found'))).toBe(false);
  });
});
