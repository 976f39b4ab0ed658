import { describe, expect, it } from 'vitest';
import { isQuotaError, mergeStored, restoreBatches, validStored, type StoredDataset, type StoredInput } from './persist-dataset.ts';

const input = (kind: StoredInput['kind'], fileName: string): StoredInput => ({ kind, fileName, crs: 'wgs84', mapping: {}, blob: new Blob([fileName]) });

describe('stored dataset record', () => {
  it('a first load on top of the demo keeps the demo underneath', () => {
    const r = mergeStored(null, [input('customers', 'c.csv')], { replaceAll: false, now: 1 });
    expect(r).toMatchObject({ version: 1, base: 'demo', savedAt: 1 });
    expect(r.inputs.map((i) => i.fileName)).toEqual(['c.csv']);
  });

  it('a later load replaces the files of the kinds it brings and keeps the others', () => {
    const first = mergeStored(null, [input('customers', 'c1.csv'), input('sites', 's.csv')], { replaceAll: false, name: 'A', now: 1 });
    const next = mergeStored(first, [input('customers', 'c2.csv')], { replaceAll: false, now: 2 });
    expect(next.inputs.map((i) => i.fileName).sort()).toEqual(['c2.csv', 's.csv']);
    expect(next).toMatchObject({ base: 'demo', name: 'A', savedAt: 2 });
  });

  it('an appended file is kept after the earlier file of its kind; a replace drops both', () => {
    const first = mergeStored(null, [input('customers', 'c1.csv'), input('sites', 's.csv')], { replaceAll: false, now: 1 });
    const added = mergeStored(first, [{ ...input('customers', 'c2.csv'), append: true }], { replaceAll: false, now: 2 });
    expect(added.inputs.map((i) => i.fileName)).toEqual(['c1.csv', 's.csv', 'c2.csv']);
    expect(validStored(added)).toBe(true);
    const replaced = mergeStored(added, [input('customers', 'c3.csv')], { replaceAll: false, now: 3 });
    expect(replaced.inputs.map((i) => i.fileName)).toEqual(['s.csv', 'c3.csv']);
  });

  it('restores replacements first, then appended files in order, one file per kind per load', () => {
    const a = (kind: StoredInput['kind'], name: string): StoredInput => ({ ...input(kind, name), append: true });
    const batches = restoreBatches([input('customers', 'c1.csv'), input('sites', 's.csv'), a('customers', 'c2.csv'), a('sites', 's2.csv'), a('customers', 'c3.csv')]);
    expect(batches.map((b) => b.map((i) => i.fileName))).toEqual([['c1.csv', 's.csv'], ['c2.csv', 's2.csv'], ['c3.csv']]);
    // Appended onto the demo: no replacement batch.
    expect(restoreBatches([a('customers', 'c2.csv')]).map((b) => b.map((i) => i.fileName))).toEqual([['c2.csv']]);
  });

  it('a new dataset forgets the demo and the earlier files', () => {
    const first = mergeStored(null, [input('customers', 'c1.csv')], { replaceAll: false, now: 1 });
    const next = mergeStored(first, [input('areas', 'a.geojson'), input('sites', 's.csv')], { replaceAll: true, name: { en: 'X' }, now: 2 });
    expect(next).toMatchObject({ base: 'none', name: { en: 'X' } });
    expect(next.inputs.map((i) => i.kind)).toEqual(['areas', 'sites']);
  });

  it('validates records read back (another version of the app may have written them)', () => {
    const ok: StoredDataset = { version: 1, base: 'none', savedAt: 1, inputs: [input('areas', 'a.geojson')] };
    expect(validStored(ok)).toBe(true);
    expect(validStored(null)).toBe(false);
    expect(validStored({ ...ok, version: 2 })).toBe(false);
    expect(validStored({ ...ok, inputs: [] })).toBe(false);
    expect(validStored({ ...ok, inputs: [{ ...input('areas', 'a'), kind: 'roads' }] })).toBe(false);
    expect(validStored({ ...ok, inputs: [{ ...input('areas', 'a'), blob: 'text' }] })).toBe(false);
    expect(validStored({ ...ok, inputs: [{ ...input('areas', 'a'), crs: 'epsg:3857' }] })).toBe(false);
  });
});

describe('a save that finds no room', () => {
  it('is told apart from other failures by the error name the browser gives', () => {
    expect(isQuotaError(new DOMException('The operation failed because it would cause the application to exceed its storage quota.', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError(new DOMException('A requested file or directory could not be found', 'NotFoundError'))).toBe(false);
    expect(isQuotaError(new Error('QuotaExceededError'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});
