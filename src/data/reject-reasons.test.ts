import { describe, expect, it } from 'vitest';
import { buildCheckSql, type Rule } from '../sql/load-validate.ts';
import { REASON_CODES, parseParams, paramsJson, reasonText } from './reject-reasons.ts';

const RULES: Rule[] = [
  'id', 'required_text', 'text', 'known_area', 'lon', 'lat', 'number', 'soft_number', 'age', 'amount', 'soft_flag01', 'flag01',
  'positive_default1', 'nonneg', 'nonneg_default1', 'required_nonneg', 'site_type', 'owner',
];

describe('reject reasons as codes', () => {
  it('every check the SQL validation builds names a known reason code, with its column as a parameter', () => {
    const { checks } = buildCheckSql({
      raw: 'r', lines: 'l', out: 'o', areaRef: 'a', totalsSources: [0],
      columns: RULES.map((rule, j) => ({ out: `c${j}`, src: j, rule, label: `col ${j}` })),
    });
    expect(checks.length).toBeGreaterThan(20);
    for (const c of checks) {
      expect(REASON_CODES, c.reason).toContain(c.reason);
      if (c.column !== null && c.code !== 'zero_zero') expect(c.params.column).toBe(c.column);
    }
  });

  it('keeps parameters as JSON text and reads back only texts and numbers', () => {
    const p = { column: '客户 "编号"\n', min: -90, line: 12 };
    expect(parseParams(paramsJson(p))).toEqual(p);
    expect(parseParams(null)).toEqual({});
    expect(parseParams('not json')).toEqual({});
    expect(parseParams('[1,2]')).toEqual({});
    expect(parseParams('{"a":{"b":1},"c":true,"d":"x"}')).toEqual({ d: 'x' });
  });

  it('composes a geometry reason from its part and its flaw, each looked up by key', () => {
    const said: string[] = [];
    const text = reasonText({ reason: 'flawUnrepaired', params: { feature: 1, polygon: 2, flaw: 'holeOutside', hole: 1 } }, (key, params) => {
      said.push(key);
      return `${key}(${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(',')})`;
    });
    expect(said).toEqual(['import.reason.where', 'import.flaw.holeOutside', 'import.reason.flawUnrepaired']);
    expect(text).toContain('where=import.reason.where(polygon=2)');
    expect(text).toContain('flaw=import.flaw.holeOutside(');
  });
});
