/**
 * Cost files (demand_id, site_id, cost) through the loader's cost path (load-costs.ts), on both
 * engines: every bad row rejected with its line, column and reason code, valid rows kept,
 * rows read = kept + rejected; the formats the general loader reads (Chinese headers, `12,345.67`,
 * GBK, Excel, a title line, blank lines, quoted fields); appending; and, on seeded random files
 * full of defects, the very same report, rejects and table as the general loader's path.
 */
import { afterEach, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { mulberry32 } from '../core/rng.ts';
import { loadInputs, readRejects } from './load-inputs.ts';
import { COST_FILES } from './load-tabular.ts';
import { LoadError } from './errors.ts';
import type { LoadInput } from './types.ts';

const enc = new TextEncoder();
const costs = (text: string | Uint8Array, fileName = 'c.csv', extra: Partial<LoadInput> = {}): LoadInput => ({
  kind: 'costs', fileName, bytes: typeof text === 'string' ? enc.encode(text) : text, ...extra,
});
const asBlob = (text: string, fileName = 'c.csv'): LoadInput => ({ kind: 'costs', fileName, bytes: new Uint8Array(0), blob: new Blob([enc.encode(text)]) });

afterEach(() => {
  COST_FILES.lightPath = true;
});

describeOnEachEngine('cost files on $name', (conn) => {
  const table = async () => (await conn().query<{ demand_id: string; site_id: string; cost: number }>('SELECT * FROM costs')).map((r) => [r.demand_id, r.site_id, r.cost]);
  const rejects = async () => (await readRejects(conn())).filter((r) => r.kind === 'costs').map((r) => [r.line, r.column, r.code, r.reason, r.params, r.raw]);

  it('a clean file becomes the costs table as read: columns named, file order, nothing rejected', async () => {
    for (const input of [costs('demand_id,site_id,cost\nH1,Kb,20\nH1,Ka,5.5\nH2,Ka,0\n'), asBlob('demand_id,site_id,cost\r\nH1,Kb,20\r\nH1,Ka,5.5\r\nH2,Ka,0\r\n')]) {
      const r = await loadInputs(conn(), [input]);
      expect(r.files[0]).toMatchObject({ rowsRead: 3, rowsKept: 3, rowsRejected: 0, rejectsByCode: {} });
      expect(await table()).toEqual([['H1', 'Kb', 20], ['H1', 'Ka', 5.5], ['H2', 'Ka', 0]]);
      expect((await conn().query<{ column_name: string }>(`SELECT column_name FROM duckdb_columns() WHERE table_name = 'costs'`)).map((c) => c.column_name)).toEqual(['demand_id', 'site_id', 'cost']);
    }
  });

  it('rejects every bad row with line, column and reason; keeps the rest; read = kept + rejected', async () => {
    const file = [
      'demand_id,site_id,cost', // 1
      'H1,Ka,5', // 2 kept
      'H1,Kb,20', // 3 kept
      ',Ka,3', // 4 no demand id
      'H2,,4', // 5 no site id
      'H2,Ka,abc', // 6 not a number
      'H2,Kb,-1', // 7 negative
      'H1,Ka,7', // 8 repeats line 2's pair
      'H3,Ka', // 9 too few fields
      'H3,Kb,1,2', // 10 too many
      'H3,Kc,', // 11 no cost
      'H4,Ka,2,', // 12 a trailing extra field
      '合计,,41', // 13 a totals row
      ' H4 , Kb ,8', // 14 kept, ids trimmed
      'H5,Ka,1e999', // 15 not a finite number
      'H5,Kb,--', // 16 the missing marker: no cost
      '"H6","Kc","1,234.5"', // 17 kept: thousands separator
    ].join('\n') + '\n';
    for (const input of [costs(file), asBlob(file)]) {
      const r = await loadInputs(conn(), [input]);
      const f = r.files[0];
      expect(f).toMatchObject({ rowsRead: 16, rowsKept: 4, rowsRejected: 12 });
      expect(f.rowsKept + f.rowsRejected).toBe(f.rowsRead);
      expect(f.rejectsByCode).toEqual({ empty_required: 4, not_a_number: 2, out_of_range: 1, duplicate_id: 1, ragged_row: 3, totals_row: 1 });
      expect(await table()).toEqual([['H1', 'Ka', 5], ['H1', 'Kb', 20], ['H4', 'Kb', 8], ['H6', 'Kc', 1234.5]]);
      expect(await rejects()).toEqual([
        [4, 'demand_id', 'empty_required', 'empty', { column: 'demand_id' }, ',Ka,3'],
        [5, 'site_id', 'empty_required', 'empty', { column: 'site_id' }, 'H2,,4'],
        [6, 'cost', 'not_a_number', 'notNumber', { column: 'cost' }, 'H2,Ka,abc'],
        [7, 'cost', 'out_of_range', 'nonNegative', { column: 'cost' }, 'H2,Kb,-1'],
        [8, 'demand_id,site_id', 'duplicate_id', 'duplicateLine', { line: 2, column: 'demand_id + site_id' }, 'H1,Ka,7'],
        [9, null, 'ragged_row', 'ragged', { fields: 2, header: 3 }, 'H3,Ka'],
        [10, null, 'ragged_row', 'ragged', { fields: 4, header: 3 }, 'H3,Kb,1,2'],
        [11, 'cost', 'empty_required', 'empty', { column: 'cost' }, 'H3,Kc,'],
        [12, null, 'ragged_row', 'ragged', { fields: 4, header: 3 }, 'H4,Ka,2,'],
        [13, null, 'totals_row', 'totals', {}, '合计,,41'],
        [15, 'cost', 'not_a_number', 'notNumber', { column: 'cost' }, 'H5,Ka,1e999'],
        [16, 'cost', 'empty_required', 'empty', { column: 'cost' }, 'H5,Kb,--'],
      ]);
    }
  });

  it('a numeric file with bad rows: the same rejects, the bad rows gone from the table as read', async () => {
    const file = 'demand_id,site_id,cost\nH1,Ka,5\nH1,Kb,-2\n,Kb,3\nH1,Ka,6\nH2,Ka,1,\nH2,Kb\nH3,Ka,2\nH3,Kb,1e999\n';
    for (const input of [costs(file), asBlob(file)]) {
      const r = await loadInputs(conn(), [input]);
      expect(r.files[0]).toMatchObject({ rowsRead: 8, rowsKept: 2, rowsRejected: 6 });
      expect(await table()).toEqual([['H1', 'Ka', 5], ['H3', 'Ka', 2]]);
      expect(await rejects()).toEqual([
        [3, 'cost', 'out_of_range', 'nonNegative', { column: 'cost' }, 'H1,Kb,-2'],
        [4, 'demand_id', 'empty_required', 'empty', { column: 'demand_id' }, ',Kb,3'],
        [5, 'demand_id,site_id', 'duplicate_id', 'duplicateLine', { line: 2, column: 'demand_id + site_id' }, 'H1,Ka,6'],
        [6, null, 'ragged_row', 'ragged', { fields: 4, header: 3 }, 'H2,Ka,1,'],
        [7, null, 'ragged_row', 'ragged', { fields: 2, header: 3 }, 'H2,Kb'],
        [9, 'cost', 'not_a_number', 'notNumber', { column: 'cost' }, 'H3,Kb,1e999'],
      ]);
    }
  });

  it('reads Chinese headers, a title line, blank lines, quoted fields, other column orders and extra columns', async () => {
    const file = '路网通行成本\n\n终点,起点,路网距离(米),路线\nKa,H1,"1,200",甲\n\nKb,"H1",800,"乙,丙"\n"Kb","H2",,丁\nKa,H2,"350.5","多\n行"\n';
    const r = await loadInputs(conn(), [costs(file, 'od.csv')]);
    expect(r.files[0]).toMatchObject({ rowsRead: 4, rowsKept: 3, rowsRejected: 1, mapping: { demand_id: '起点', site_id: '终点', cost: '路网距离(米)' } });
    expect(await conn().query('SELECT * FROM costs')).toEqual([
      { demand_id: 'H1', site_id: 'Ka', cost: 1200, 路线: '甲' },
      { demand_id: 'H1', site_id: 'Kb', cost: 800, 路线: '乙,丙' },
      { demand_id: 'H2', site_id: 'Ka', cost: 350.5, 路线: '多\n行' },
    ]);
    // Physical lines: the title is line 1, the header line 3; blank lines count.
    expect(await rejects()).toEqual([[7, 'cost', 'empty_required', 'empty', { column: 'cost' }, '"Kb","H2",,丁']]);
  });

  it('reads GBK text and Excel', async () => {
    const gbk = iconv.encode('起点,终点,成本\n小区甲,网点一,12.5\n小区甲,网点一,3\n', 'gbk');
    const r = await loadInputs(conn(), [costs(new Uint8Array(gbk), 'gbk.csv')]);
    expect(r.files[0]).toMatchObject({ encoding: 'gbk', rowsRead: 2, rowsKept: 1, rejectsByCode: { duplicate_id: 1 } });
    expect(await table()).toEqual([['小区甲', '网点一', 12.5]]);
    expect(await rejects()).toEqual([[3, 'demand_id,site_id', 'duplicate_id', 'duplicateLine', { line: 2, column: 'demand_id + site_id' }, '小区甲,网点一,3']]);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('od');
    ws.addRow(['demand_id', 'site_id', 'cost']);
    ws.addRow(['H1', 'Ka', 4]);
    ws.addRow(['H1', 'Kb', -2]);
    ws.addRow(['H2', 'Ka', '5']);
    const x = await loadInputs(conn(), [costs(new Uint8Array(await wb.xlsx.writeBuffer()), 'od.xlsx')]);
    expect(x.files[0]).toMatchObject({ format: 'xlsx', rowsRead: 3, rowsKept: 2, rowsRejected: 1 });
    expect(await table()).toEqual([['H1', 'Ka', 4], ['H2', 'Ka', 5]]);
    expect(await rejects()).toEqual([[3, 'cost', 'out_of_range', 'nonNegative', { column: 'cost' }, 'H1,Kb,-2']]);
  });

  it('appending rejects a pair already loaded, naming it so', async () => {
    await loadInputs(conn(), [costs('demand_id,site_id,cost\nH1,Ka,5\nH1,Kb,6\n', 'a.csv')]);
    const r = await loadInputs(conn(), [costs('demand_id,site_id,cost\nH2,Ka,7\nH1,Kb,9\n', 'b.csv')], { append: ['costs'] });
    expect(r.files[0]).toMatchObject({ rowsRead: 2, rowsKept: 1, rejectsByCode: { duplicate_id: 1 } });
    expect(await table()).toEqual([['H1', 'Ka', 5], ['H1', 'Kb', 6], ['H2', 'Ka', 7]]);
    expect((await rejects()).filter((x) => x[5] === 'H1,Kb,9')).toEqual([[3, 'demand_id,site_id', 'duplicate_id', 'alreadyLoaded', { column: 'demand_id + site_id' }, 'H1,Kb,9']]);
  });

  it('a file with no usable row is a clear error that still lists every row', async () => {
    const err = (await loadInputs(conn(), [costs('demand_id,site_id,cost\nH1,Ka,-1\n,Kb,2\n')]).catch((e: unknown) => e)) as LoadError;
    expect(err).toBeInstanceOf(LoadError);
    expect(err.problems[0].message).toContain('has no usable rows (2 read, all rejected: 1 empty_required, 1 out_of_range)');
    expect(err.rejects.map((x) => x.line)).toEqual([2, 3]);
  });

  it('gives the general loader\'s report, rejects and table on random files full of defects', async () => {
    const rng = mulberry32(20261207);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
    const allIds = ['H1', 'H2', 'H3', ' H4', 'H5 ', '"H6"', '小区', ''];
    const sites = ['Ka', 'Kb', 'Kc', '"K,d"', 'S1', ''];
    const values = ['5', '0', '12.5', '-3', 'abc', '', '--', '1e999', '"1,234.5"', ' 7 ', 'Infinity', '3%'];
    for (let n = 0; n < 16; n++) {
      // Tidy files (trimmed ids, numbers only, the contract's columns) take the no-copy route.
      const tidy = rng() < 0.4;
      const ids = tidy ? ['H1', 'H2', 'H3', '"H6"', '小区', ''] : allIds;
      const lines = [tidy ? pick(['demand_id,site_id,cost', '起点,终点,成本']) : pick(['demand_id,site_id,cost', '起点,终点,成本', 'site_id,demand_id,cost,note'])];
      const extra = lines[0].endsWith('note');
      const clean = tidy || rng() < 0.3; // numbers only: the cost is read as a number
      for (let i = 0; i < 40; i++) {
        const u = rng();
        const v = clean ? String(Math.floor(rng() * 50) / 2) : pick(values);
        if (u < 0.05) lines.push('');
        else if (u < 0.1) lines.push(`${pick(ids)},${pick(sites)}`);
        else if (u < 0.14) lines.push(`${pick(ids)},${pick(sites)},${v},x,y`);
        else if (u < 0.17) lines.push(`${pick(ids)},${pick(sites)},${v}${extra ? ',n' : ''},`);
        else if (u < 0.19) lines.push(`合计,,${v}${extra ? ',' : ''}`);
        else lines.push(`${pick(ids)},${pick(sites)},${v}${extra ? `,"n${i}"` : ''}`);
      }
      const text = lines.join(rng() < 0.5 ? '\n' : '\r\n') + '\n';
      const inputs = () => [rng() < 0.5 ? costs(text) : asBlob(text)];
      const run = async (light: boolean) => {
        COST_FILES.lightPath = light;
        const r = await loadInputs(conn(), inputs()).then((x) => x.files[0], (e: { files?: unknown[]; problems?: unknown[] }) => ({ failed: e.problems }));
        const rows = 'failed' in r ? [] : await conn().query('SELECT * FROM costs');
        return { r, rows, rejects: 'failed' in r ? [] : await rejects() };
      };
      const general = await run(false);
      const light = await run(true);
      expect(light, text).toEqual(general);
      if (!('failed' in light.r)) expect(light.r.rowsKept + light.r.rowsRejected).toBe(light.r.rowsRead);
    }
  }, 120_000);
});
