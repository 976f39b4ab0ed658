import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { inspectFile } from './import-inspect.ts';
import { BAD_FIXTURES_DIR, GOOD_FIXTURES, REAL_FIXTURES_DIR } from '../../test/fixtures/index.ts';

const blob = (bytes: Uint8Array | string) => new Blob([typeof bytes === 'string' ? bytes : (bytes as BlobPart)]);
const bad = (name: string) => blob(readFileSync(join(BAD_FIXTURES_DIR, name)));

describe('inspectFile', () => {
  it('finds the header under a title, in Excel and CSV, as the loader does', async () => {
    const x = await inspectFile(blob(readFileSync(join(REAL_FIXTURES_DIR, 'sites.xlsx'))), 'sites.xlsx');
    expect(x.headers).toEqual(['网点编号', '网点名称', '网点类型', '所属机构', '经度', '纬度']);
    expect(x.sample.slice(0, 3)).toEqual(['S001', '陆家嘴支行', '支行']);
    expect(x.rows).toBe(9);
    const csv = '2025年三季度 客户清单,,\n\n制表：零售部,,\ncustomer_id,lon,lat\nc1,121.4,31.2\nc2,121.5,31.3\n';
    const c = await inspectFile(blob(new TextEncoder().encode(csv)), 't.csv');
    expect(c.headers).toEqual(['customer_id', 'lon', 'lat']);
    expect(c.sample).toEqual(['c1', '121.4', '31.2']);
    expect(c.rows).toBe(2);
  });

  it('reads a CSV header as the loader does, with a sample row and the exact row count', async () => {
    const r = await inspectFile(blob(readFileSync(GOOD_FIXTURES.customers)), 'customers.csv');
    expect(r).toMatchObject({ format: 'csv', encoding: 'utf-8', rows: 60, rowsEstimated: false, gzip: false });
    expect(r.headers.slice(0, 3)).toEqual(['customer_id', 'lon', 'lat']);
    expect(r.sample[0]).toBe('C0001');
    expect(r.delimiter).toBeUndefined();
  });

  it('detects GBK text and converts the header', async () => {
    const r = await inspectFile(bad('gbk_chinese.csv'), 'gbk_chinese.csv');
    expect(r).toMatchObject({ format: 'csv', encoding: 'gbk' });
    expect(r.headers).toEqual(['客户号', '经度', '纬度', '客户分层']);
  });

  it('detects a semicolon delimiter; a BOM is not part of the first name', async () => {
    expect((await inspectFile(bad('semicolon.csv'), 'semicolon.csv')).delimiter).toBe(';');
    expect((await inspectFile(bad('utf8_bom.csv'), 'utf8_bom.csv')).headers[0]).toBe('customer_id');
  });

  it('reports empty and header-only files without throwing', async () => {
    expect(await inspectFile(bad('empty.csv'), 'empty.csv')).toMatchObject({ problem: 'empty', headers: [] });
    const h = await inspectFile(bad('header_only.csv'), 'header_only.csv');
    expect(h).toMatchObject({ rows: 0 });
    expect(h.headers.length).toBeGreaterThan(0);
  });

  it('estimates the rows of a CSV larger than the part it reads', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `c${String(i).padStart(6, '0')},121.${String(i % 1000).padStart(3, '0')},31.2`);
    const r = await inspectFile(blob(['customer_id,lon,lat', ...rows].join('\n') + '\n'), 'big.csv');
    expect(r.rowsEstimated).toBe(true);
    expect(Math.abs((r.rows ?? 0) - 20_000)).toBeLessThan(200);
  });

  it('inflates gzip and names the file without .gz', async () => {
    const r = await inspectFile(blob(gzipSync(readFileSync(GOOD_FIXTURES.sites))), 'sites.csv.gz');
    expect(r).toMatchObject({ format: 'csv', gzip: true, name: 'sites.csv', rows: 20 });
    expect(r.headers).toContain('owner');
  });

  it('lists the sheets of a workbook with their headers and rows', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['本文件为导出数据']);
    const ws = wb.addWorksheet('网点');
    ws.addRow(['网点编号', '经度', '纬度', '网点类型', '所属机构']);
    ws.addRow(['B1', 121.4, 31.2, 'branch', 'own']);
    ws.addRow(['B2', 121.5, 31.3, 'atm', 'own']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const r = await inspectFile(blob(bytes), 'book.xlsx');
    expect(r.format).toBe('xlsx');
    expect(r.sheets?.map((s) => [s.name, s.rows])).toEqual([['说明', 0], ['网点', 2]]);
    expect(r.sheets?.[1].headers).toEqual(['网点编号', '经度', '纬度', '网点类型', '所属机构']);
    expect(r.sheets?.[1].sample.slice(0, 2)).toEqual(['B1', '121.4']);
  });

  it('reads the fixture workbook and Parquet file', async () => {
    const x = await inspectFile(bad('customers_bad.xlsx'), 'customers_bad.xlsx');
    expect(x.headers.slice(0, 3)).toEqual(['customer_id', 'lon', 'lat']);
    const p = await inspectFile(bad('customers_bad.parquet'), 'customers_bad.parquet');
    expect(p).toMatchObject({ format: 'parquet', rows: 4, headers: ['customer_id', 'lon', 'lat'], sample: ['p1', '121.4', '31.2'] });
  });

  it('reads GeoJSON property names and tells broken JSON apart', async () => {
    const g = await inspectFile(blob(readFileSync(GOOD_FIXTURES.areas)), 'areas.geojson');
    expect(g).toMatchObject({ format: 'geojson', rows: 3 });
    expect(g.headers).toEqual(expect.arrayContaining(['area_id', 'name', 'name_en']));
    expect((await inspectFile(bad('invalid_json.geojson'), 'invalid_json.geojson')).problem).toBe('json');
    expect((await inspectFile(bad('not_feature_collection.geojson'), 'x.geojson')).problem).toBe('notFeatureCollection');
  });

  it('refuses Excel 97–2003 files with a clear problem', async () => {
    const r = await inspectFile(blob(Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)), 'old.xls');
    expect(r).toMatchObject({ format: null, problem: 'xls' });
  });
});
