import { describe, expect, it } from 'vitest';
import { findHeaderRow, isTotalsRow } from './header-row.ts';

describe('findHeaderRow', () => {
  it('takes the first row when it names the columns', () => {
    expect(findHeaderRow([['customer_id', 'lon', 'lat'], ['c1', '121.4', '31.2']], 'customers')).toBe(0);
  });
  it('skips a merged title and a blank-ish date row above a Chinese header', () => {
    const title = Array(6).fill('2025年三季度 上海分行网点及自助设备清单');
    const rows = [title, ['制表日期：2025-10-08'], ['网点编号', '网点名称', '网点类型', '所属机构', '经度', '纬度'], ['S001', '陆家嘴支行', '支行', '本行', '121.5', '31.2']];
    expect(findHeaderRow(rows, 'sites')).toBe(2);
  });
  it('falls back to the first mostly filled text row, then to the first row', () => {
    expect(findHeaderRow([['报表'], ['甲', '乙', '丙'], ['1', '2', '3']], 'customers')).toBe(1);
    expect(findHeaderRow([['1', '2'], ['3', '4']], 'customers')).toBe(0);
  });
  it('never takes a data row with numbers for the header', () => {
    expect(findHeaderRow([['title'], ['lon', 'lat'], ['121.4', '31.2']], 'customers')).toBe(1);
  });
});

describe('isTotalsRow', () => {
  it.each([['合计'], ['总计：'], ['', '小计'], ['Total'], ['grand total 12'], ['TOTAL: all']])('%s is a totals row', (...cells) => {
    expect(isTotalsRow(cells)).toBe(true);
  });
  it.each([['Totally'], ['c1', '合计支行'], ['', '', '合计']])('%s is not', (...cells) => {
    expect(isTotalsRow(cells)).toBe(false);
  });
});
