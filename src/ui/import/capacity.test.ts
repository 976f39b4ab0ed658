import { describe, expect, it } from 'vitest';
import { DEFAULT_CAP_BYTES, MAX_FILE_BYTES, checkCapacity, estimateNeed, isOutOfMemory, memoryCapBytes } from './capacity.ts';

const MB = 1024 * 1024;

describe('capacity estimate', () => {
  it('counts the text twice and 48 bytes a row with OPFS, 108 in memory (hand-computed)', () => {
    // 300 MB of CSV, 10M rows: 2 × 300 MB + 10M × 48 B = 600 MB + 480 MB.
    expect(estimateNeed([{ fileName: 'c.csv', kind: 'customers', bytes: 300e6, rows: 10e6 }], 'opfs')).toBe(600e6 + 480e6);
    expect(estimateNeed([{ fileName: 'c.csv', kind: 'customers', bytes: 300e6, rows: 10e6 }], 'memory')).toBe(600e6 + 1080e6);
  });

  it('estimates rows from the text when not counted, and expands compressed files', () => {
    // 30 MB gzip → 150 MB text → 5M rows: 300 MB + 240 MB.
    expect(estimateNeed([{ fileName: 'c.csv.gz', kind: 'customers', bytes: 30e6 }], 'opfs')).toBe(300e6 + 5e6 * 48);
  });

  it('lets a 12M-customer CSV (355 MB) through the default cap and refuses one past the cap', () => {
    const twelve = [{ fileName: 'c12m.csv', kind: 'customers' as const, bytes: 355e6, rows: 12e6 }];
    expect(checkCapacity(twelve, DEFAULT_CAP_BYTES, 'opfs')).toBeNull();
    const r = checkCapacity(twelve, 512 * MB, 'opfs');
    expect(r).toEqual({ file: 'c12m.csv', needBytes: 710e6 + 576e6, capBytes: 512 * MB, reason: 'estimate' });
  });

  it('names the largest file and refuses any single file over 2 GiB', () => {
    const r = checkCapacity(
      [{ fileName: 'a.geojson', kind: 'areas', bytes: 10 }, { fileName: 'huge.csv', kind: 'customers', bytes: MAX_FILE_BYTES, rows: 1 }],
      Number.MAX_SAFE_INTEGER,
      'opfs',
    );
    expect(r?.file).toBe('huge.csv');
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
