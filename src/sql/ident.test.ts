/**
 * The one audited path from a header cell to SQL text: `columnNames` then `quoteIdent`, over
 * every class of code point a file can put in a header. That DuckDB stores each result exactly
 * (on both engines) is checked in src/data/column-names.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HEADER_CLASSES } from '../../test/fixtures/hostile-headers.ts';
import { MAX_COLUMN_NAME, UnsafeIdentifierError, columnNames, quoteIdent } from './ident.ts';

describe('quoteIdent', () => {
  it('doubles double quotes and wraps the name', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('x"); DROP TABLE t; --')).toBe('"x""); DROP TABLE t; --"');
  });
  it('refuses what DuckDB cannot store as written: empty, NUL, lone surrogates', () => {
    for (const bad of ['', 'a\u0000b', 'a\uD800', '\uDC00b']) expect(() => quoteIdent(bad)).toThrow(UnsafeIdentifierError);
    expect(quoteIdent('😀')).toBe('"😀"');
  });
});

describe('columnNames over every code point class', () => {
  const cells = Object.values(HEADER_CLASSES);
  const { names, renamed } = columnNames(cells);

  it('gives one quotable, non-empty name per cell, unique ignoring case', () => {
    expect(names).toHaveLength(cells.length);
    for (const n of names) {
      expect(() => quoteIdent(n)).not.toThrow();
      expect(n.length).toBeGreaterThan(0);
      expect(n.length).toBeLessThanOrEqual(MAX_COLUMN_NAME + 4);
      // eslint-disable-next-line no-control-regex
      expect(n).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/);
    }
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  });

  it('keeps printable text as written and cleans the rest', () => {
    const by = (k: string) => names[Object.keys(HEADER_CLASSES).indexOf(k)];
    expect(by('doubleQuote')).toBe('say "hi"');
    expect(by('backslash')).toBe('C:\\path\\n');
    expect(by('cjk')).toBe('客户编号');
    expect(by('emoji')).toBe('客户😀');
    expect(by('combining')).toBe('e\u0301');
    expect(by('nul')).toBe('ab');
    expect(by('newline')).toBe('twolines');
    expect(by('rtlOverride')).toBe('evil');
    expect(by('bom')).toBe('id');
    expect(by('loneHigh')).toMatch(/^ab_\d+$/); // 'ab' is taken by the NUL sample
    expect(by('long')).toBe('x'.repeat(MAX_COLUMN_NAME));
    expect(by('empty')).toBe(`column_${Object.keys(HEADER_CLASSES).indexOf('empty') + 1}`);
  });

  it('never yields a reserved name: rowid (any case) and the loader prefix __bp_', () => {
    const by = (k: string) => names[Object.keys(HEADER_CLASSES).indexOf(k)];
    expect(by('rowid')).toBe('rowid_2');
    expect(by('rowidUpper')).toBe('ROWID_3');
    expect(by('internal')).toBe('bp_line');
    expect(by('internalK')).toBe('BP_k');
    expect(renamed.find((r) => r.from === 'rowid')).toMatchObject({ to: 'rowid_2', why: 'reserved' });
  });

  it('suffixes case-colliding duplicates and avoids names already taken', () => {
    expect(columnNames(['Name', 'name', 'NAME', 'name_2']).names).toEqual(['Name', 'name_2', 'NAME_3', 'name_2_2']);
    expect(columnNames(['area_id'], ['AREA_ID']).names).toEqual(['area_id_2']);
  });

  it('holds for any string (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...cells)), { maxLength: 40 }), (raw) => {
        const { names: out } = columnNames(raw);
        expect(out).toHaveLength(raw.length);
        expect(new Set(out.map((n) => n.toLowerCase())).size).toBe(out.length);
        for (const n of out) {
          expect(() => quoteIdent(n)).not.toThrow();
          expect(n.toLowerCase() === 'rowid' || n.toLowerCase().startsWith('__bp_')).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
