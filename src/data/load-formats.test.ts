/**
 * Formats and contract details not covered by one-file fixtures, on both engines: Excel sheets,
 * Parquet types, GeoJSON property mapping and id fallback, indicators checked against areas,
 * period formats, JSON given as a table, numeric NULLs through Arrow.
 */
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { Float64, Int32, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { loadInputs, readRejects } from './load-inputs.ts';
import { LoadError } from './errors.ts';
import type { InputKind, LoadInput } from './types.ts';
import { BAD_FIXTURES_DIR, GOOD_FIXTURES } from '../../test/fixtures/index.ts';
import { englishReason } from '../../test/fixtures/reason-text.ts';
import { warningText } from './load-warnings.ts';

const text = (kind: InputKind, fileName: string, content: string, extra: Partial<LoadInput> = {}): LoadInput => ({
  kind, fileName, bytes: new TextEncoder().encode(content), ...extra,
});
const square = (x: number, y: number, s: number) => [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]];

async function sitesWorkbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('说明').getCell('A1').value = 'read me';
  const ws = wb.addWorksheet('网点');
  ws.addRow(['网点编号', '经度', '纬度', '类型', '所属机构', '网点名称']);
  ws.addRow(['S1', 121.47, 31.23, 'branch', 'own', { richText: [{ text: '南京' }, { text: '东路' }] }]);
  ws.addRow(['S2', 121.48, 31.24, 'ATM', 'own', '人民广场']);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describeOnEachEngine('formats on $name', (conn) => {
  it('Excel: a named sheet, Chinese headers guessed, rich text read as text; a missing sheet names the sheets', async () => {
    const bytes = await sitesWorkbook();
    const r = await loadInputs(conn(), [{ kind: 'sites', fileName: 'sites.xlsx', bytes, sheet: '网点' }]);
    expect(r.files[0]).toMatchObject({ format: 'xlsx', rowsKept: 2, mapping: { site_id: '网点编号', lon: '经度', owner: '所属机构', name: '网点名称' } });
    expect(await conn().query('SELECT site_id, type, name, attractiveness FROM sites')).toEqual([
      { site_id: 'S1', type: 'branch', name: '南京东路', attractiveness: 1 },
      { site_id: 'S2', type: 'atm', name: '人民广场', attractiveness: 1 },
    ]);
    const err = await loadInputs(conn(), [{ kind: 'sites', fileName: 'sites.xlsx', bytes, sheet: 'Sheet9' }]).catch((e: unknown) => e);
    expect((err as LoadError).message).toBe('sites.xlsx: has no sheet named "Sheet9" (sheets: 说明, 网点)');
    // The first sheet (a note) has no usable columns.
    const first = await loadInputs(conn(), [{ kind: 'sites', fileName: 'sites.xlsx', bytes }]).catch((e: unknown) => e);
    expect((first as LoadError).problems[0].message).toContain('no data rows');
  });

  it('Excel with no usable row: a clear error, and every row still reported', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(['customer_id', 'lon', 'lat']);
    ws.addRow(['a', 121, 31, 'stray']);
    ws.addRow(['b', 121, 31, 'stray']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const err = await loadInputs(conn(), [{ kind: 'customers', fileName: 'x.xlsx', bytes }]).catch((e: unknown) => e);
    expect((err as LoadError).problems[0].message).toContain('has no usable rows (2 read, all rejected: 2 extra_values)');
    expect((err as LoadError).rejects.map((r) => [r.line, r.raw])).toEqual([[2, 'a,121,31,stray'], [3, 'b,121,31,stray']]);
  });

  it('Parquet: numeric and text columns, extra columns typed, nulls kept', async () => {
    const t = new Table({
      customer_id: vectorFromArray(['a', 'b', 'c'], new Utf8()),
      lng: vectorFromArray([121.4, 121.5, 121.6], new Float64()),
      latitude: vectorFromArray([31.2, 31.3, 31.4], new Float64()),
      age: vectorFromArray([30, null, 50], new Int32()),
      branch_code: vectorFromArray(['001', '002', null], new Utf8()),
      score: vectorFromArray([0.5, null, 1.5], new Float64()),
    });
    const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(t, 'stream')));
    const r = await loadInputs(conn(), [{ kind: 'customers', fileName: 'c.parquet', bytes }]);
    expect(r.files[0].extraColumns).toEqual([{ name: 'branch_code', type: 'VARCHAR' }, { name: 'score', type: 'DOUBLE' }]);
    expect(await conn().query('SELECT customer_id, lon, lat, age, branch_code, score FROM customers')).toEqual([
      { customer_id: 'a', lon: 121.4, lat: 31.2, age: 30, branch_code: '001', score: 0.5 },
      { customer_id: 'b', lon: 121.5, lat: 31.3, age: null, branch_code: '002', score: null },
      { customer_id: 'c', lon: 121.6, lat: 31.4, age: 50, branch_code: null, score: 1.5 },
    ]);
    // Nullable numbers also survive the trip out as Arrow.
    const back = tableFromIPC(await conn().queryArrow('SELECT age, score FROM customers'));
    expect(back.getChild('age')!.toJSON()).toEqual([30, null, 50]);
    expect(back.getChild('score')!.toJSON()).toEqual([0.5, null, 1.5]);
  });

  it('GeoJSON: area_id from a mapped property, or from feature ids; numeric properties become columns', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { adcode: 310101, 区名: '黄浦区', pop: 1, note: 'x' }, geometry: { type: 'Polygon', coordinates: square(121, 31, 0.1) } },
        { type: 'Feature', properties: { adcode: 310104, 区名: '徐汇区', pop: 2, note: 3 }, geometry: { type: 'Polygon', coordinates: square(121.2, 31, 0.1) } },
      ],
    };
    const r = await loadInputs(conn(), [text('areas', 'a.geojson', JSON.stringify(fc))]);
    expect(r.files[0].mapping).toMatchObject({ area_id: 'adcode', name: '区名' });
    expect(await conn().query('SELECT * FROM areas')).toEqual([
      { area_id: '310101', name: '黄浦区', name_en: null, pop: 1 },
      { area_id: '310104', name: '徐汇区', name_en: null, pop: 2 },
    ]);
    expect(r.areas!.features[0].properties).toMatchObject({ area_id: '310101', name: '黄浦区', note: 'x' });
    const byId = { type: 'FeatureCollection', features: [{ type: 'Feature', id: 'Z1', properties: {}, geometry: { type: 'Polygon', coordinates: square(121, 31, 0.1) } }] };
    const r2 = await loadInputs(conn(), [text('areas', 'b.geojson', JSON.stringify(byId))]);
    expect(r2.warnings.map(warningText).join()).toContain('"id" is used as area_id');
    expect(await conn().query('SELECT area_id FROM areas')).toEqual([{ area_id: 'Z1' }]);
  });

  it('indicators are checked against the areas (loaded together or before)', async () => {
    const csv = 'area_id,period,population\n310101,2024-01,1\n310101,2024-02,2\n999999,2024-01,3\n';
    await loadInputs(conn(), [{ kind: 'areas', fileName: 'areas.geojson', bytes: new Uint8Array(readFileSync(GOOD_FIXTURES.areas)) }]);
    const r = await loadInputs(conn(), [text('indicators', 'ind.csv', csv)]);
    expect(r.files[0]).toMatchObject({ rowsKept: 2, rejectsByCode: { unknown_area: 1 } });
    const [rej] = await readRejects(conn());
    expect(rej).toMatchObject({ line: 4, column: 'area_id', reason: 'unknownAreaClosest', params: { key: '999999' } });
    expect(englishReason(rej!)).toMatch(/^area_id "999999" is no area of the areas file \(by area_id, name or name_en\); closest: /);
    expect(await conn().query('SELECT period, period_index FROM indicators')).toEqual([
      { period: '2024-01', period_index: 0 },
      { period: '2024-02', period_index: 1 },
    ]);
  });

  it('periods: years and months sort by time, whatever the row order', async () => {
    await conn().exec('DROP TABLE IF EXISTS areas');
    const r = await loadInputs(conn(), [text('indicators', 'y.csv', 'area_id,period,x\nA,2025,1\nA,2023,2\nB, 2024 ,3\n')]);
    expect(r.files[0].rowsKept).toBe(3);
    expect(await conn().query('SELECT period, period_index FROM indicators ORDER BY period_index')).toEqual([
      { period: '2023', period_index: 0 },
      { period: '2024', period_index: 1 },
      { period: '2025', period_index: 2 },
    ]);
  });

  it('a JSON file given as a table is refused with a clear message', async () => {
    const err = await loadInputs(conn(), [{ kind: 'customers', fileName: 'c.geojson', bytes: new Uint8Array(readFileSync(GOOD_FIXTURES.areas)) }]).catch((e: unknown) => e);
    expect((err as LoadError).message).toContain('c.geojson: looks like JSON; customers must be CSV, Excel (.xlsx) or Parquet');
  });

  it('a file-level problem and a bad row in the same load: nothing committed, both reported', async () => {
    const err = await loadInputs(conn(), [
      { kind: 'customers', fileName: 'crlf.csv', bytes: new Uint8Array(readFileSync(`${BAD_FIXTURES_DIR}/crlf.csv`)) },
      text('sites', 's.csv', 'site_id,lon\nx,1\n'),
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as LoadError).problems).toEqual([{ kind: 'sites', file: 's.csv', message: expect.stringContaining('missing the required columns lat, type, owner') }]);
    expect((err as LoadError).files.map((f) => f.file)).toEqual(['crlf.csv']);
  });
});
