/**
 * The JS record scan that gives rows their physical lines: hand-checked cases, and a seeded
 * fuzz test against DuckDB itself on both engines (every generated row is rejected on purpose,
 * so the reported line of each row can be compared with the line it was written on).
 */
import { describe, expect, it } from 'vitest';
import { detectDelimiter, recordAt, recordBytes, scanCsvRecords, splitRecord } from './csv-scan.ts';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { loadInputs, readRejects } from './load-inputs.ts';
import { mulberry32 } from '../core/rng.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const scanLines = (s: string, d = ',') => Array.from(scanCsvRecords(enc(s), d.charCodeAt(0)).lines);

describe('scanCsvRecords', () => {
  it('plain LF and CRLF files: one record per non-empty line', () => {
    expect(scanLines('a,b\n1,2\n3,4\n')).toEqual([1, 2, 3]);
    expect(scanLines('a,b\r\n1,2\r\n\r\n3,4')).toEqual([1, 2, 4]);
    expect(scanLines('\n\na,b\n1,2')).toEqual([3, 4]);
  });

  it('quoted newlines belong to their record; lines keep counting inside quotes', () => {
    expect(scanLines('a,b\n1,"x\ny"\n2,z\n')).toEqual([1, 2, 4]);
    expect(scanLines('a,b\r\n1,"x\r\ny\r\nz"\r\n2,w\r\n')).toEqual([1, 2, 5]);
  });

  it('a quote opens a quoted field only at the start of a field (as DuckDB reads it)', () => {
    expect(scanLines('a,b\n1,x"y\n2,z\n')).toEqual([1, 2, 3]);
    expect(scanLines('a,b\n1,"x""\ny"\n2,z\n')).toEqual([1, 2, 4]);
  });

  it('lone CR ends a record', () => {
    expect(scanLines('a,b\r1,2\r3,"4\r5"\r6,7')).toEqual([1, 2, 3, 5]);
  });

  it('whitespace-only lines are records (DuckDB rejects them), empty ones are not', () => {
    expect(scanLines('a,b\n  \n1,2\n')).toEqual([1, 2, 3]);
  });

  it('recordAt and recordBytes find records by byte offset', () => {
    const bytes = enc('a,b\n1,"x\ny"\n2,z\n\n');
    const scan = scanCsvRecords(bytes, 44);
    expect(recordAt(scan, 0)).toBe(0);
    expect(recordAt(scan, 6)).toBe(1);
    expect(new TextDecoder().decode(recordBytes(bytes, scan, 1))).toBe('1,"x\ny"');
    expect(new TextDecoder().decode(recordBytes(bytes, scan, 2))).toBe('2,z');
  });

  it('splitRecord and detectDelimiter', () => {
    expect(splitRecord('a,"b,c","d""e",', ',')).toEqual(['a', 'b,c', 'd"e', '']);
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a,b;c,d')).toBe(',');
    expect(detectDelimiter('"a;b",c')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
  });
});

/** A CSV whose data rows are all rejected (lon is never a number), with each row's line. */
function fuzzCsv(seed: number, rows: number, crlf: boolean): { csv: string; lines: number[]; ragged: Set<number> } {
  const rnd = mulberry32(seed);
  const nl = crlf ? '\r\n' : '\n';
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const field = () =>
    pick([
      () => 'plain',
      () => '"with, comma"',
      () => `"multi${nl}line${nl}field"`,
      () => '"quote "" inside"',
      () => '',
      () => 'x"y',
      () => '中文',
      () => `"${nl}"`,
    ])();
  let line = 2; // the header is line 1
  const parts = ['customer_id,lon,lat,note' + nl];
  const lines: number[] = [];
  const ragged = new Set<number>();
  for (let i = 0; i < rows; i++) {
    if (rnd() < 0.1) {
      parts.push(nl); // blank line
      line++;
    }
    const fields = [`id${i}`, 'not-a-number', '31.2', field()];
    if (rnd() < 0.1) fields.push(field());
    const text = fields.join(',');
    if (fields.length !== 4) ragged.add(line);
    lines.push(line);
    parts.push(text + nl);
    line += text.split(nl).length;
  }
  return { csv: parts.join(''), lines, ragged };
}

describeOnEachEngine('physical lines agree with DuckDB on $name', (conn) => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i', async (seed) => {
    const { csv, lines, ragged } = fuzzCsv(seed, 150, seed % 2 === 0);
    const err = await loadInputs(conn(), [{ kind: 'customers', fileName: 'fuzz.csv', bytes: enc(csv) }]).catch((e) => e);
    // Every row is unusable, so the load fails — with every row rejected at its own line.
    expect(err?.name).toBe('LoadError');
    const rejects = err.rejects as Awaited<ReturnType<typeof readRejects>>;
    expect(rejects.map((r) => r.line)).toEqual(lines);
    for (const r of rejects) expect(r.code).toBe(ragged.has(r.line!) ? 'ragged_row' : 'not_a_number');
    // raw is the row's text as written (line endings inside quotes included).
    const byLine = new Map(rejects.map((r) => [r.line, r.raw]));
    const first = csv.split(/\r?\n/).findIndex((l) => l.startsWith(`id0,`));
    expect(byLine.get(lines[0])?.startsWith(csv.split(/\r?\n/)[first])).toBe(true);
  });
});
