import { describe, expect, it } from 'vitest';
import {
  crsFromName, explicitMapping, guessKind, initialChoice, kindFromName, kindsFor, mappingNeedsReview, missingRequired, pendingProblems,
  setMappingColumn, sniffFormat,
} from './import-detect.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('sniffFormat', () => {
  it('trusts magic numbers over names', () => {
    expect(sniffFormat('data.csv', Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0))).toBe('xlsx');
    expect(sniffFormat('x.bin', enc('PAR1....'))).toBe('parquet');
    expect(sniffFormat('c.csv.gz', Uint8Array.of(0x1f, 0x8b, 8, 0))).toBe('gzip');
    expect(sniffFormat('old.xls', Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1))).toBe('xls');
  });
  it('tells GeoJSON from CSV by the first non-blank character, BOM allowed', () => {
    expect(sniffFormat('areas.txt', enc('\uFEFF  \n{"type":'))).toBe('geojson');
    expect(sniffFormat('areas.geojson', enc('id,lon'))).toBe('geojson');
    expect(sniffFormat('c.csv', enc('\uFEFFcustomer_id,lon,lat'))).toBe('csv');
    expect(sniffFormat('客户.txt', enc('客户号,经度'))).toBe('csv');
  });
  it('reports an empty file', () => {
    expect(sniffFormat('e.csv', enc(' \r\n'))).toBe('empty');
    expect(sniffFormat('e.csv', new Uint8Array())).toBe('empty');
  });
});

describe('guessKind', () => {
  it('recognises each kind of the data contract from its columns', () => {
    expect(guessKind('csv', ['customer_id', 'lon', 'lat', 'segment'], 'a.csv')).toEqual({ kind: 'customers', complete: true });
    expect(guessKind('csv', ['site_id', 'lon', 'lat', 'type', 'owner', 'name'], 'a.csv')).toEqual({ kind: 'sites', complete: true });
    expect(guessKind('csv', ['site_id', 'lon', 'lat', 'cost'], 'a.csv')).toEqual({ kind: 'candidates', complete: true });
    expect(guessKind('csv', ['area_id', 'period', 'population'], 'a.csv')).toEqual({ kind: 'indicators', complete: true });
    expect(guessKind('geojson', [], 'a.json')).toEqual({ kind: 'areas', complete: true });
  });
  it('recognises Chinese and English synonyms', () => {
    expect(guessKind('xlsx', ['网点编号', '经度', '纬度', '网点类型', '所属机构', '网点名称'], 'book.xlsx').kind).toBe('sites');
    expect(guessKind('csv', ['客户号', '经度', '纬度', '客户分层'], 'export.csv').kind).toBe('customers');
    expect(guessKind('csv', ['id', 'lng', 'latitude'], 'export.csv').kind).toBe('customers');
  });
  it('lets the file name decide between kinds that both fit', () => {
    // id/lon/lat fits customers and candidates alike.
    expect(guessKind('csv', ['id', 'lon', 'lat'], 'candidates_2025.csv').kind).toBe('candidates');
    expect(guessKind('csv', ['id', 'lon', 'lat'], '候选网点.csv').kind).toBe('candidates');
    expect(guessKind('csv', ['id', 'lon', 'lat'], 'x.csv').kind).toBe('customers');
  });
  it('falls back on the name, then on the best partial match', () => {
    expect(guessKind('csv', ['foo', 'bar'], 'branches.csv')).toEqual({ kind: 'sites', complete: false });
    expect(guessKind('csv', ['区划代码', '人口'], 'x.csv')).toEqual({ kind: 'indicators', complete: false });
  });
});

describe('mapping helpers', () => {
  it('lists missing required columns; GeoJSON feature ids can stand in for area_id', () => {
    expect(missingRequired('customers', { customer_id: 'id', lon: 'x' })).toEqual(['lat']);
    expect(missingRequired('areas', {})).toEqual(['area_id']);
    expect(missingRequired('areas', {}, true)).toEqual([]);
  });
  it('asks for a review when a name differs from the contract or something is missing', () => {
    expect(mappingNeedsReview('customers', { customer_id: 'customer_id', lon: 'lon', lat: 'lat' })).toBe(false);
    expect(mappingNeedsReview('customers', { customer_id: 'Customer ID', lon: 'LON', lat: 'lat' })).toBe(false);
    expect(mappingNeedsReview('customers', { customer_id: '客户号', lon: '经度', lat: '纬度' })).toBe(true);
    expect(mappingNeedsReview('customers', { customer_id: 'customer_id', lon: 'lon' })).toBe(true);
  });
  it('uses a source for one column only', () => {
    const m = { customer_id: 'id', lon: 'x', lat: 'y' };
    expect(setMappingColumn(m, 'lat', 'x')).toEqual({ customer_id: 'id', lat: 'x' });
    expect(setMappingColumn(m, 'segment', '')).toEqual(m);
    expect(setMappingColumn(m, 'lon', '')).toEqual({ customer_id: 'id', lat: 'y' });
    expect(m).toEqual({ customer_id: 'id', lon: 'x', lat: 'y' }); // not mutated
  });
  it('opens the mapping step for Chinese headers with the guesses filled in', () => {
    const c = initialChoice('csv', ['客户号', '经度', '纬度', '客户分层'], 'gbk_chinese.csv');
    expect(c).toMatchObject({ kind: 'customers', recognised: true, mappingOpen: true });
    expect(c.mapping).toEqual({ customer_id: '客户号', lon: '经度', lat: '纬度', segment: '客户分层' });
    const same = initialChoice('csv', ['customer_id', 'lon', 'lat'], 'c.csv');
    expect(same.mappingOpen).toBe(false);
    const forced = initialChoice('csv', ['customer_id', 'lon', 'lat'], 'c.csv', { kind: 'candidates' });
    expect(forced).toMatchObject({ kind: 'candidates', mappingOpen: true, mapping: { lon: 'lon', lat: 'lat' } });
  });
  it('hands the loader every contract column, empty for "not used", once the headers are known', () => {
    expect(explicitMapping('candidates', { site_id: 'id', lon: 'x', lat: 'y' }, true)).toEqual({ site_id: 'id', lon: 'x', lat: 'y', cost: '', name: '' });
    expect(explicitMapping('candidates', { site_id: 'id' }, false)).toEqual({ site_id: 'id' });
  });
  it('offers the kinds a format can hold', () => {
    expect(kindsFor('geojson')).toEqual(['areas']);
    expect(kindsFor('csv')).not.toContain('areas');
    expect(kindsFor(null)).toContain('areas');
  });
  it('reads a CRS hint from the name', () => {
    expect(crsFromName('客户_高德.csv')).toBe('gcj02');
    expect(crsFromName('sites_bd09.xlsx')).toBe('bd09');
    expect(crsFromName('Baidu export.csv')).toBe('bd09');
    expect(crsFromName('customers.csv')).toBe('wgs84');
    expect(kindFromName('网点.xlsx')).toBe('sites');
  });
});

describe('pendingProblems', () => {
  const f = (id: number, kind: 'customers' | 'sites', mapping: Record<string, string>, extra = {}) => ({
    id, name: `f${id}.csv`, kind, mapping, headersKnown: true, ...extra,
  });
  it('is empty when every file can be loaded', () => {
    expect(pendingProblems([f(1, 'customers', { customer_id: 'a', lon: 'b', lat: 'c' })])).toEqual([]);
  });
  it('wants files, one per kind, and required columns mapped', () => {
    expect(pendingProblems([])).toEqual([{ code: 'noFiles' }]);
    const p = pendingProblems([f(1, 'customers', { customer_id: 'a', lon: 'b' }), f(2, 'customers', { customer_id: 'a', lon: 'b', lat: 'c' })]);
    expect(p).toContainEqual({ code: 'duplicateKind', kind: 'customers', files: ['f1.csv', 'f2.csv'] });
    expect(p).toContainEqual({ code: 'missingColumns', id: 1, file: 'f1.csv', columns: ['lat'] });
  });
  it('waits for the answer to the coordinate-system question', () => {
    const ok = { customer_id: 'a', lon: 'b', lat: 'c' };
    expect(pendingProblems([f(1, 'customers', ok, { crsUnanswered: true })])).toEqual([{ code: 'crsUnanswered', id: 1, file: 'f1.csv' }]);
    expect(pendingProblems([f(1, 'customers', ok, { crsUnanswered: false })])).toEqual([]);
  });
  it('leaves unreadable headers to the loader, but waits for inspection and refuses .xls', () => {
    expect(pendingProblems([f(1, 'customers', {}, { headersKnown: false })])).toEqual([]);
    expect(pendingProblems([f(1, 'customers', {}, { inspecting: true })])).toEqual([{ code: 'inspecting', file: 'f1.csv' }]);
    expect(pendingProblems([f(1, 'customers', {}, { unsupported: true, headersKnown: false })])).toEqual([{ code: 'unsupported', file: 'f1.csv' }]);
  });
});
