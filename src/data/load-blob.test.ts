/**
 * The browser hands the loader a File (a Blob), and a plain UTF-8 CSV is then scanned in chunks
 * and read by DuckDB in place (source-csv.ts). Every fixture, good and bad, must load from a
 * Blob exactly as from its bytes: the same report, tables, rejects (line, column, reason, raw)
 * and file problems, on both engines. Files the in-place route cannot read (GBK, UTF-16, mixed
 * line endings) take the in-memory route, so they must match too.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { quoteIdent } from '../sql/ident.ts';
import { loadInputs, readRejects } from './load-inputs.ts';
import { LoadError } from './errors.ts';
import type { InputKind, LoadInput } from './types.ts';
import { BAD_FIXTURES_DIR, GOOD_FIXTURES, badCases } from '../../test/fixtures/index.ts';
import type { Connector } from '../db/connector.ts';
import { CSV_SCAN, readCsvSource } from './source-csv.ts';

const DEFAULT_CHUNK = CSV_SCAN.chunkBytes;
import { FileProblemError } from './errors.ts';

const fromBytes = (kind: InputKind, path: string): LoadInput => ({ kind, fileName: path.split('/').pop()!, bytes: new Uint8Array(readFileSync(path)) });
const fromBlob = (kind: InputKind, path: string): LoadInput => ({
  kind, fileName: path.split('/').pop()!, bytes: new Uint8Array(0), blob: new Blob([readFileSync(path)]),
});

/** Everything a load leaves behind that the user sees: report, rejects, the tables' rows. */
async function outcome(conn: Connector, inputs: LoadInput[]): Promise<unknown> {
  try {
    const report = await loadInputs(conn, inputs);
    const tables: Record<string, unknown[]> = {};
    for (const t of report.tables) tables[t] = await conn.query(`SELECT * FROM ${quoteIdent(t)} ORDER BY ALL`);
    return { report: { ...report, durationMs: 0 }, rejects: await readRejects(conn), tables };
  } catch (e) {
    if (e instanceof LoadError) return { problems: e.problems, rejects: e.rejects, files: e.files };
    throw e;
  }
}

describeOnEachEngine('loading from a Blob equals loading from bytes on $name', (conn) => {
  it.each(badCases().map((c) => [c.file, c] as const))('%s', async (_name, c) => {
    const path = join(BAD_FIXTURES_DIR, c.file);
    const bytes = await outcome(conn(), [fromBytes(c.kind, path)]);
    const blob = await outcome(conn(), [fromBlob(c.kind, path)]);
    expect(blob).toEqual(bytes);
  });

  it('the good dataset', async () => {
    const kinds = ['areas', 'indicators', 'customers', 'sites', 'candidates'] as const;
    const bytes = await outcome(conn(), kinds.map((k) => fromBytes(k, GOOD_FIXTURES[k])));
    const blob = await outcome(conn(), kinds.map((k) => fromBlob(k, GOOD_FIXTURES[k])));
    expect(blob).toEqual(bytes);
  });

  it('CRLF, a BOM, quoted line breaks and rejects spread over many scan chunks', async () => {
    // Big enough that the in-place scan reads it in several chunks (lowered for the test).
    CSV_SCAN.chunkBytes = 1024 * 1024;
    const rows: string[] = ['\ufeffcustomer_id,lon,lat,note,segment'];
    const note = 'n'.repeat(100);
    for (let i = 0; i < 40_000; i++) {
      const seg = i % 997 === 0 ? `"two\r\nlines ${i}"` : `seg${i % 7}`;
      const lon = i % 50_021 === 0 ? 'x' : (121 + (i % 1000) / 2000).toFixed(5);
      rows.push(`c${i},${lon},${(31 + (i % 777) / 2000).toFixed(5)},${note},${seg}${i % 80_000 === 5 ? ',extra' : ''}`);
    }
    const text = rows.join('\r\n') + '\r\n';
    const bytesIn: LoadInput = { kind: 'customers', fileName: 'big.csv', bytes: new TextEncoder().encode(text) };
    const blobIn: LoadInput = { kind: 'customers', fileName: 'big.csv', bytes: new Uint8Array(0), blob: new Blob([text]) };
    expect(bytesIn.bytes.length).toBeGreaterThan(2 * CSV_SCAN.chunkBytes);
    const bytes = (await outcome(conn(), [bytesIn])) as { report: { files: { rowsKept: number; rowsRejected: number }[] } };
    expect(bytes.report.files[0].rowsRejected).toBe(1 + 1); // 1 bad lon, 1 row with an extra field
    expect(bytes.report.files[0].rowsKept).toBe(40_000 - 2);
    expect(await outcome(conn(), [blobIn])).toEqual(bytes);
    CSV_SCAN.chunkBytes = DEFAULT_CHUNK;
  }, 240_000);

  it('DuckDB reads while the file is scanned, and again when the scan finds digit separators the head did not show', async () => {
    // `1_21.5` past the first megabyte (the head): read_csv would take it for 121.5, so the early
    // read (numbers typed) is dropped and the file read again with numbers as text.
    const rows: string[] = ['customer_id,lon,lat,segment'];
    for (let i = 0; i < 60_000; i++) rows.push(`c${i},${i === 50_000 ? '1_21.5' : (121 + (i % 1000) / 2000).toFixed(5)},31.2,young`);
    const text = rows.join('\n') + '\n';
    expect(text.indexOf('1_21.5')).toBeGreaterThan(1024 * 1024);
    const bytesIn: LoadInput = { kind: 'customers', fileName: 'sep.csv', bytes: new TextEncoder().encode(text) };
    const blobIn: LoadInput = { kind: 'customers', fileName: 'sep.csv', bytes: new Uint8Array(0), blob: new Blob([text]) };
    const bytes = (await outcome(conn(), [bytesIn])) as { report: { files: { rowsKept: number }[] }; rejects: { line: number; code: string; column: string }[] };
    expect(bytes.report.files[0].rowsKept).toBe(60_000 - 1);
    expect(bytes.rejects.map((r) => [r.line, r.code, r.column])).toEqual([[50_002, 'not_a_number', 'lon']]);
    expect(await outcome(conn(), [blobIn])).toEqual(bytes);
  }, 240_000);

  describe('the in-place route', () => {
    const names = { raw: '__bp_t_raw', file: 'upload/t-inplace.csv', rejects: '__bp_t_rej', rejectScans: '__bp_t_scan' };
    const typing = (h: readonly string[]) => ({ types: h.map(() => 'VARCHAR' as const), labels: [...h], coordinates: h.map(() => false) });
    const big = (ending: (i: number) => string) => {
      const parts = ['customer_id,lon,lat' + ending(0)];
      for (let i = 1; i <= 60_000; i++) parts.push(`c${i},121.${i % 1000},31.${i % 500}${ending(i)}`);
      return new Blob([parts.join('')]);
    };

    it('reports the bytes scanned as it goes, and stops between chunks when cancelled', async () => {
      const blob = big(() => '\n');
      const seen: number[] = [];
      const src = await readCsvSource(conn(), 'customers', 'p.csv', blob, names, typing, { chunkBytes: 100_000, onScan: (f) => seen.push(f) });
      expect(src.rowsRead).toBe(60_000);
      expect(seen.length).toBeGreaterThan(10);
      expect(seen.at(-1)).toBe(1);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      await conn().exec('DROP TABLE __bp_t_raw');
      let calls = 0;
      const cancelled = readCsvSource(conn(), 'customers', 'p.csv', blob, names, typing, {
        chunkBytes: 100_000,
        checkAbort: () => {
          if (++calls > 1) throw new Error('cancelled');
        },
      });
      await expect(cancelled).rejects.toThrow('cancelled');
    });

    it('a file that needs converting is converted below the limit and refused in words above it', async () => {
      const mixed = big((i) => (i % 2 ? '\r\n' : '\n'));
      const ok = await readCsvSource(conn(), 'customers', 'm.csv', mixed, names, typing, {});
      expect(ok.rowsRead).toBe(60_000);
      expect(ok.readerRejects).toEqual([]);
      await conn().exec('DROP TABLE __bp_t_raw');
      const refused = await readCsvSource(conn(), 'customers', 'm.csv', mixed, names, typing, { normalizeMaxBytes: 1024 * 1024 }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(FileProblemError);
      expect((refused as Error).message).toMatch(/^is 1\.[0-9] MB of text with mixed line endings, which must be converted before loading; files over 1\.0 MB are read only as UTF-8/);
      const gbk = new Blob([new Uint8Array([...new TextEncoder().encode('customer_id,lon,lat,name\n'), 0xc9, 0xcf, 0xba, 0xa3, ...new TextEncoder().encode(',1,2,x\n'.repeat(200_000))])]);
      const refusedGbk = await readCsvSource(conn(), 'customers', 'g.csv', gbk, names, typing, { normalizeMaxBytes: 1024 * 1024 }).catch((e: unknown) => e);
      expect((refusedGbk as Error).message).toMatch(/^is 1\.[0-9] MB of text that is not UTF-8, which must be converted/);
      const staging = await conn().query(`SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, '__bp_t')`);
      expect(staging).toEqual([]);
    });
  });
});
