import { describe, expect, it } from 'vitest';
import { checkPeriods, parsePeriod } from './periods.ts';

describe('parsePeriod', () => {
  it('reads Chinese and dashed labels as exports write them', () => {
    const q3 = { format: 'quarter', ordinal: 2024 * 12 + 6 };
    for (const l of ['2024年第3季度', '2024年3季度', '2024年三季度', '2024年第三季度', '2024-Q3', '2024 年 第 3 季度', '２０２４年第３季度']) expect(parsePeriod(l), l).toEqual(q3);
    expect(parsePeriod('2024年第1季度')).toEqual({ format: 'quarter', ordinal: 2024 * 12 });
    expect(parsePeriod('2024年9月')).toEqual({ format: 'month', ordinal: 2024 * 12 + 8 });
    expect(parsePeriod('2024年09月')).toEqual({ format: 'month', ordinal: 2024 * 12 + 8 });
    expect(parsePeriod('2024年')).toEqual({ format: 'year', ordinal: 2024 * 12 });
    for (const l of ['2024年第5季度', '2024年13月', '2024年五季度', '2024/2', '2024-Q0']) expect(parsePeriod(l), l).toBeNull();
  });

  it('reads the three formats and orders them in time', () => {
    expect(parsePeriod('2024Q3')).toEqual({ format: 'quarter', ordinal: 2024 * 12 + 6 });
    expect(parsePeriod('2024-09')).toEqual({ format: 'month', ordinal: 2024 * 12 + 8 });
    expect(parsePeriod('2024')).toEqual({ format: 'year', ordinal: 2024 * 12 });
  });
  it('rejects anything else', () => {
    for (const s of ['2024Q5', '2024-13', '24Q1', '', 'Q1 2024', '2024-9']) expect(parsePeriod(s)).toBeNull();
  });
});

describe('checkPeriods', () => {
  it('sorts distinct periods by time, not by text', () => {
    const r = checkPeriods(['2024Q4', '2023Q1', '2024Q1', '2023Q1']);
    expect(r).toEqual({ ok: true, format: 'quarter', sorted: ['2023Q1', '2024Q1', '2024Q4'] });
  });
  it('names the first label of a second format', () => {
    expect(checkPeriods(['2024Q1', '2024Q2', '2024-07'])).toEqual({
      ok: false, index: 2, label: '2024-07', reason: 'mixed', expected: 'quarter',
    });
  });
  it('handles an empty list', () => {
    expect(checkPeriods([])).toEqual({ ok: true, format: null, sorted: [] });
  });
});
