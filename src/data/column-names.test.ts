/**
 * Headers of every code point class through the whole loader on both engines: each becomes a
 * column that DuckDB stores exactly as `columnNames` named it, its values kept; `rowid` and the
 * loader's own names cannot shadow internal columns, so later steps (areas loaded afterwards,
 * the hotspot and sites SQL that read `rowid`) still work.
 */
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { columnNames, quoteIdent } from '../sql/ident.ts';
import { customerCoordsSql } from '../sql/hotspots.ts';
import { candidatesSql } from '../sql/sites.ts';
import { HEADER_CLASSES } from '../../test/fixtures/hostile-headers.ts';
import { tableColumns } from './table-columns.ts';
import { loadInputs } from './load-inputs.ts';
import type { InputKind, LoadInput } from './types.ts';
import { GOOD_FIXTURES } from '../../test/fixtures/index.ts';
import { warningText } from './load-warnings.ts';

const enc = new TextEncoder();
const csvField = (s: string) => '"' + s.replaceAll('"', '""') + '"';
const file = (kind: InputKind, fileName: string, text: string): LoadInput => ({ kind, fileName, bytes: enc.encode(text) });
const areas = (): LoadInput => ({ kind: 'areas', fileName: 'areas.geojson', bytes: new Uint8Array(readFileSync(GOOD_FIXTURES.areas)) });

describeOnEachEngine('hostile headers on $name', (conn) => {
  it('loads a header cell of every class as a column named by columnNames, values intact', async () => {
    const extra = Object.values(HEADER_CLASSES);
    const header = ['customer_id', 'lon', 'lat', ...extra].map(csvField).join(',');
    const rows = [0, 1, 2].map((r) => [`C${r}`, 121.45 + r / 100, 31.2, ...extra.map((_, i) => `v${r}_${i}`)].map(String).map(csvField).join(','));
    const report = await loadInputs(conn(), [file('customers', 'hostile.csv', [header, ...rows].join('\r\n') + '\r\n')]);
    expect(report.files[0].rowsKept).toBe(3);
    // The file is UTF-8: a lone surrogate arrives as U+FFFD, as any reader of the file sees it.
    const asRead = extra.map((h) => new TextDecoder().decode(enc.encode(h)));
    const expected = columnNames(['customer_id', 'lon', 'lat', ...asRead]).names.slice(3);
    const stored = (await tableColumns(conn(), 'customers')).map((c) => c.name);
    for (const name of expected) expect(stored).toContain(name);
    for (const [i, name] of expected.entries()) {
      const got = await conn().query<{ v: string }>(`SELECT ${quoteIdent(name)}::VARCHAR AS v FROM customers ORDER BY customer_id`);
      expect(got.map((g) => g.v), name).toEqual(['0', '1', '2'].map((r) => `v${r}_${i}`));
    }
    expect(report.warnings.map(warningText).join('\n')).toContain('column 4 was loaded as "ab" (control or invisible characters removed)');
    expect(report.warnings.map(warningText).join('\n')).toMatch(/was loaded as "rowid_2" \(the name is reserved by the database\)/);
  });

  it('a data column named rowid neither shadows the pseudo-column nor breaks a later areas load', async () => {
    const text = 'customer_id,lon,lat,rowid,__bp_line\nA,121.49809,31.23385,100,x\nB,121.4858,31.23196,200,y\n';
    await loadInputs(conn(), [file('customers', 'rowid.csv', text)]);
    const [first] = await conn().query<{ rid: bigint | number }>(`${customerCoordsSql({})} ORDER BY rid LIMIT 1`);
    expect(Number(first.rid)).toBe(0); // DuckDB's row number, not the file's 100
    const [kept] = await conn().query<{ r: string; l: string }>(`SELECT rowid_2::INTEGER::VARCHAR AS r, bp_line AS l FROM customers WHERE customer_id = 'B'`);
    expect(kept).toEqual({ r: '200', l: 'y' });
    // Areas after customers re-assign the loaded customers (a step that reads `rowid`).
    const report = await loadInputs(conn(), [areas()]);
    expect(report.tables).toContain('customers');
    const assigned = await conn().query<{ n: number }>(`SELECT count(area_id)::INTEGER AS n FROM customers`);
    expect(assigned[0].n).toBe(2);
    const sites = 'site_id,lon,lat,rowid\nS1,121.45,31.22,9\n';
    await loadInputs(conn(), [file('candidates', 'cand.csv', sites)]);
    const cands = await conn().query<{ site_id: string }>(candidatesSql('candidates'));
    expect(cands.map((c) => c.site_id)).toEqual(['S1']);
  });
});
