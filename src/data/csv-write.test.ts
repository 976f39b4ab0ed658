import { describe, expect, it } from 'vitest';
import { csvCell, quoteCsvField, toCsv, type CsvValue } from './csv-write.ts';

describe('csvCell', () => {
  it('quotes commas, quotes, CR and LF (RFC 4180) and leaves plain text alone', () => {
    expect(csvCell('宝山')).toBe('宝山');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell('')).toBe('');
  });

  it('neutralises text a spreadsheet would evaluate, with a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://x","click")')).toBe('"\'=HYPERLINK(""http://x"",""click"")"');
    expect(csvCell("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(csvCell('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    // Only the first character counts: a formula sign later in the text is harmless.
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('writes numbers as numbers (a negative number is not guarded) and text digits as text', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell('-1.5')).toBe("'-1.5");
    expect(csvCell(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvCell(NaN)).toBe('');
    expect(csvCell(-Infinity)).toBe('');
    expect(csvCell(-12345678901234567890n)).toBe('-12345678901234567890');
    expect(csvCell(2n ** 64n)).toBe('18446744073709551616');
  });

  it('writes null and undefined as empty, booleans, dates and objects as text', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(false)).toBe('false');
    expect(csvCell(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T03:04:05.000Z');
    expect(csvCell({ a: 1n, b: 'x,y' })).toBe('"{""a"":""1"",""b"":""x,y""}"');
  });
});

describe('quoteCsvField', () => {
  it('quotes only, never guards (for a row\'s own text)', () => {
    expect(quoteCsvField('=1+1')).toBe('=1+1');
    expect(quoteCsvField('a"b')).toBe('"a""b"');
  });
});

describe('toCsv', () => {
  it('writes a header, LF line endings and a BOM unless told not to', () => {
    const rows = [{ a: '=HYPERLINK("x")', b: 1.5 }, { a: '宝山, "north"', b: null }, { a: '-3', b: -3 }];
    expect(toCsv(['a', 'b'], rows)).toBe('\uFEFFa,b\n"\'=HYPERLINK(""x"")",1.5\n"宝山, ""north""",\n\'-3,-3\n');
    expect(toCsv(['a', 'b'], rows, { bom: false })).toBe('a,b\n"\'=HYPERLINK(""x"")",1.5\n"宝山, ""north""",\n\'-3,-3\n');
  });

  it('picks the columns in order and leaves missing ones empty; no rows gives the header alone', () => {
    const rows: Array<Record<string, CsvValue>> = [{ a: 1, b: 2 }];
    expect(toCsv(['b', 'c'], rows, { bom: false })).toBe('b,c\n2,\n');
    expect(toCsv(['x', 'y'], [], { bom: false })).toBe('x,y\n');
  });
});
