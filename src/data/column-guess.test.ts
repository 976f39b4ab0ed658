/** guessMapping and column planning: pure, no DuckDB. */
import { describe, expect, it } from 'vitest';
import { guessMapping, normalizeName } from './column-guess.ts';
import { planExtras, resolveMapping } from './column-plan.ts';
import { FileProblemError } from './errors.ts';
import { warningText } from './load-warnings.ts';

describe('guessMapping', () => {
  it('keeps contract names (any case, spacing)', () => {
    expect(guessMapping(['Customer ID', 'LON', 'lat'], 'customers')).toEqual({ customer_id: 'Customer ID', lon: 'LON', lat: 'lat' });
  });

  it('maps Chinese headers from core banking exports', () => {
    expect(guessMapping(['客户号', '经度', '纬度', '年龄', '存款余额', '贷款余额', '是否违约'], 'customers')).toEqual({
      customer_id: '客户号', lon: '经度', lat: '纬度', age: '年龄', balance: '存款余额', loan_balance: '贷款余额', default_flag: '是否违约',
    });
    expect(guessMapping(['网点编号', '网点名称', '经度(GCJ-02)', '纬度(GCJ-02)', '类型', '所属机构'], 'sites')).toEqual({
      site_id: '网点编号', name: '网点名称', lon: '经度(GCJ-02)', lat: '纬度(GCJ-02)', type: '类型', owner: '所属机构',
    });
    expect(guessMapping(['区划代码', '季度', '人口'], 'indicators')).toEqual({ area_id: '区划代码', period: '季度' });
    expect(guessMapping(['adcode', 'name'], 'areas')).toEqual({ area_id: 'adcode', name: 'name' });
  });

  it('English synonyms, and specific names beat generic ones', () => {
    expect(guessMapping(['id', 'cust_id', 'lng', 'latitude'], 'customers')).toEqual({ customer_id: 'cust_id', lon: 'lng', lat: 'latitude' });
    expect(guessMapping(['x', 'y', 'longitude', 'latitude', 'id'], 'candidates')).toEqual({ site_id: 'id', lon: 'longitude', lat: 'latitude' });
    expect(guessMapping(['x', 'y', 'id'], 'candidates')).toEqual({ site_id: 'id', lon: 'x', lat: 'y' });
    expect(guessMapping(['area_code', 'period', 'id'], 'indicators')).toEqual({ area_id: 'area_code', period: 'period' });
  });

  it('uses each source column once and leaves unknown columns out', () => {
    const m = guessMapping(['id', 'foo', 'bar'], 'sites');
    expect(m).toEqual({ site_id: 'id' });
    expect(guessMapping([], 'customers')).toEqual({});
  });

  it('normalizeName folds case, width, brackets and separators', () => {
    expect(normalizeName(' Customer-ID ')).toBe('customerid');
    expect(normalizeName('ＬＯＮ')).toBe('lon');
    expect(normalizeName('经度（WGS84）')).toBe('经度');
  });
});

describe('resolveMapping / planExtras', () => {
  it('names every missing required column and the columns found', () => {
    try {
      resolveMapping('sites', ['site_id', 'lon'], {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FileProblemError);
      expect((e as Error).message).toContain('columns lat, type, owner');
      expect((e as Error).message).toContain('columns found: site_id, lon');
    }
  });

  it('an explicit mapping wins and frees the guessed source', () => {
    const r = resolveMapping('customers', ['id', 'lon', 'lat', 'lon2'], { lon: 'lon2' });
    expect(r.mapping).toEqual({ customer_id: 'id', lon: 'lon2', lat: 'lat' });
    // The file's own `lon` column is not loaded as an extra: its name belongs to the contract.
    expect(r.extraSources).toEqual([]);
    expect(r.warnings.map(warningText).join()).toContain('"lon" was not loaded');
  });

  it('extras: numbers are DOUBLE, codes with leading zeros and text are VARCHAR', () => {
    const p = (present: number, nonNumeric: number, leadingZero = 0) => ({ present, nonNumeric, leadingZero });
    const { columns } = planExtras('customers', ['a', 'b', 'c', 'd'], [0, 1, 2, 3], [p(5, 0), p(5, 0, 2), p(5, 1), p(0, 0)], 'f.csv');
    expect(columns.map((c) => c.rule)).toEqual(['number', 'text', 'text', 'text']);
  });

  it('indicators: a mostly numeric column rejects bad values; an all-text column is kept as text with a warning', () => {
    const r = planExtras('indicators', ['pop', 'label'], [0, 1], [{ present: 5, nonNumeric: 1, leadingZero: 0 }, { present: 5, nonNumeric: 5, leadingZero: 0 }], 'ind.csv');
    expect(r.columns.map((c) => c.rule)).toEqual(['number', 'text']);
    expect(warningText(r.warnings[0])).toContain('"label" has no numbers');
  });
});

describe('Chinese exports', () => {
  it('guesses the headers of a bank site list, a customer list and district indicators', () => {
    expect(guessMapping(['网点编号', '网点名称', '网点类型', '所属机构', '经度', '纬度'], 'sites')).toEqual({
      site_id: '网点编号', name: '网点名称', type: '网点类型', owner: '所属机构', lon: '经度', lat: '纬度',
    });
    expect(guessMapping(['客户编号', '经度(GCJ-02)', '纬度(GCJ-02)', '年龄', '存款余额（元）', '贷款余额'], 'customers')).toEqual({
      customer_id: '客户编号', lon: '经度(GCJ-02)', lat: '纬度(GCJ-02)', age: '年龄', balance: '存款余额（元）', loan_balance: '贷款余额',
    });
    // A district name is the area key when there is no code; with a code it is the name.
    expect(guessMapping(['区县', '时间', '常住人口'], 'indicators')).toEqual({ area_id: '区县', period: '时间' });
    expect(guessMapping(['地区', '季度'], 'indicators')).toEqual({ area_id: '地区', period: '季度' });
    expect(guessMapping(['区划代码', '区县', '期间'], 'indicators')).toEqual({ area_id: '区划代码', name: '区县', period: '期间' });
  });
});
