/**
 * Engine failures become sentences: the known patterns map to their keys, and files the engines
 * cannot read (damaged Parquet, xlsx, JSON) come back from the loader as problems naming the
 * file, with the engine's text only in `detail`.
 */
import { describe, expect, it } from 'vitest';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { RAW_ENGINE_TEXT, describeEngineError } from './engine-errors.ts';
import { LoadError } from './errors.ts';
import { loadInputs } from './load-inputs.ts';
import type { InputKind } from './types.ts';

describe('describeEngineError', () => {
  it.each([
    ['Out of Memory Error: failed to allocate data of size 16.0 MiB (3.1 GiB/3.1 GiB used)', 'outOfMemory'],
    ['RangeError: Array buffer allocation failed', 'outOfMemory'],
    ["Invalid Input Error: The CSV Parser state machine reached an invalid state.\nPossible fixes: * Disable the parser's strict mode", 'csvUnreadable'],
    ['parquet: External format error: Invalid Parquet file. Corrupt footer', 'parquetUnreadable'],
    ["xlsx: End of data reached (data length = 12, asked index = 30). Corrupted zip ?", 'xlsxUnreadable'],
    ['JSON: Unexpected token } in JSON at position 4', 'jsonUnreadable'],
    ['RangeError: Invalid string length', 'tooLarge'],
    ['Binder Error: Referenced column "rowid" not found', 'internal'],
  ])('%s → %s', (text, key) => {
    const f = describeEngineError(new Error(text));
    expect(f.key).toBe(key);
    expect(f.message).not.toMatch(RAW_ENGINE_TEXT);
    expect(f.detail).toContain(text.split('\n')[0]);
  });
});

describeOnEachEngine('unreadable files on $name', (conn) => {
  const cases: [InputKind, string, Uint8Array, string][] = [
    ['customers', 'broken.parquet', new Uint8Array([0x50, 0x41, 0x52, 0x31, 1, 2, 3, 4, 5, 6, 7, 8, 0x50, 0x41, 0x52, 0x31]), 'parquetUnreadable'],
    ['sites', 'broken.xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9, 9, 9, 9, 9]), 'xlsxUnreadable'],
    ['areas', 'broken.geojson', new TextEncoder().encode('{"type": "FeatureCollection", "features": [}'), 'jsonUnreadable'],
  ];
  it.each(cases)('%s %s: a sentence naming the file, the engine text only as detail', async (kind, fileName, bytes, key) => {
    const err = await loadInputs(conn(), [{ kind, fileName, bytes }]).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    const [p] = (err as LoadError).problems;
    expect(p).toMatchObject({ file: fileName, code: key });
    expect(p.message).not.toMatch(RAW_ENGINE_TEXT);
    expect(p.detail!.length).toBeGreaterThan(0);
    expect((err as LoadError).message).toContain(fileName);
  });
});
