/**
 * The chunked scan must find exactly the records the whole-text scan finds (csv-scan.ts, itself
 * checked against DuckDB on both engines), wherever the chunks are cut, and report line endings,
 * digit underscores and ragged trailing-delimiter rows as a plain reading of the text would.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { recordBytes, scanCsvRecords, splitRecord } from './csv-scan.ts';
import { CsvStreamScanner, scanCsvStream } from './csv-stream-scan.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function scanInChunks(bytes: Uint8Array, cuts: number[], opts: ConstructorParameters<typeof CsvStreamScanner>[0]) {
  const s = new CsvStreamScanner(opts);
  let at = 0;
  for (const c of [...new Set(cuts)].filter((x) => x > 0 && x < bytes.length).sort((a, b) => a - b)) {
    s.push(bytes.subarray(at, c));
    at = c;
  }
  s.push(bytes.subarray(at));
  return s.end();
}

describe('CsvStreamScanner', () => {
  it('hand cases: records, lines and endings', () => {
    const r = scanCsvStream(enc('a,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n'), { delimiter: 44 });
    expect(Array.from(r.lines)).toEqual([1, 2, 5]);
    expect(Array.from(r.starts)).toEqual([0, 5, 17]);
    expect(r.endings).toEqual({ lf: 0, crlf: 4, cr: 0 });
    const mixed = scanCsvStream(enc('a,b\n1,2\r\n3,4\r5,6'), { delimiter: 44 });
    expect(mixed.endings).toEqual({ lf: 1, crlf: 1, cr: 1 });
    expect(Array.from(mixed.lines)).toEqual([1, 2, 3, 4]);
  });

  it('a BOM offset shifts record starts to file offsets', () => {
    const r = scanCsvStream(enc('a,b\n1,2\n'), { delimiter: 44, base: 3 });
    expect(Array.from(r.starts)).toEqual([3, 7]);
    expect(r.size).toBe(11);
  });

  it('digit-underscore-digit anywhere, also across a chunk end', () => {
    expect(scanCsvStream(enc('a,b\n1,1_2\n'), { delimiter: 44 }).digitUnderscore).toBe(true);
    expect(scanCsvStream(enc('a_b,c\n1,x_2\n'), { delimiter: 44 }).digitUnderscore).toBe(false);
    const bytes = enc('a,b\n1,31_5\n');
    for (let cut = 1; cut < bytes.length; cut++) expect(scanInChunks(bytes, [cut], { delimiter: 44 }).digitUnderscore).toBe(true);
  });

  it('suspects: data rows ending in the delimiter or a quote with a field count not the header\'s', () => {
    const r = scanCsvStream(enc('a,b\n1,2,\n3,\n4,"x",\n5,"y"\n6,7,8\n'), { delimiter: 44, headerFields: 2, fromRecord: 1 });
    expect(r.suspects).toEqual([
      { record: 1, fields: 3 },
      { record: 3, fields: 3 },
    ]);
  });

  it('equals the whole-text scan on random CSVs cut into random chunks', () => {
    const piece = fc.constantFrom('a', '1', '_', ',', ';', '"', '""', '\n', '\r\n', '\r', ' ', '中', 'x"y', '2_3');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), fc.array(fc.nat(400), { maxLength: 6 }), (parts, cuts) => {
        const bytes = enc(parts.join(''));
        const whole = scanCsvRecords(bytes, 44);
        const header = whole.count > 0 ? splitRecord(new TextDecoder().decode(recordBytes(bytes, whole, 0)), ',').length : 0;
        const r = scanInChunks(bytes, cuts, { delimiter: 44, headerFields: header, fromRecord: 1 });
        expect(r.count).toBe(whole.count);
        expect(Array.from(r.starts)).toEqual(Array.from(whole.starts));
        expect(Array.from(r.lines)).toEqual(Array.from(whole.lines));
        expect(r.size).toBe(bytes.length);
        // Reference for the rest: read the text plainly.
        const text = parts.join('');
        expect(r.digitUnderscore).toBe(/[0-9]_[0-9]/.test(text));
        const expected: { record: number; fields: number }[] = [];
        for (let i = 1; i < whole.count && header > 0; i++) {
          const raw = recordBytes(bytes, whole, i);
          const last = raw[raw.length - 1];
          const fields = splitRecord(new TextDecoder().decode(raw), ',').length;
          if ((last === 44 || last === 0x22) && fields !== header) expected.push({ record: i, fields });
        }
        expect(r.suspects).toEqual(expected);
      }),
      { numRuns: 3000, seed: 13 },
    );
  });
});
