import { describe, expect, it } from 'vitest';
import { OWN_WORDS, TYPE_WORDS, mapOwner, mapSiteType, valueMapText } from './value-map.ts';

describe('site value dictionary (DESIGN.md › Real exports)', () => {
  it.each([
    ['支行', 'branch'], ['分行', 'branch'], ['营业部', 'branch'], ['二级支行', 'branch'], ['分理处', 'branch'], ['网点', 'branch'], ['Branch', 'branch'],
    ['ATM', 'atm'], ['atm', 'atm'], ['自助银行', 'atm'], ['离行式ATM', 'atm'], ['在行式 ATM', 'atm'], ['存取款一体机', 'atm'], ['CRS', 'atm'], ['ＡＴＭ', 'atm'],
  ] as const)('type %s → %s', (word, to) => expect(mapSiteType(word)).toBe(to));

  it('an unknown type is null (rejected by name); the user mapping comes first', () => {
    expect(mapSiteType('柜台')).toBeNull();
    expect(mapSiteType('bank')).toBeNull();
    expect(mapSiteType('柜台', { 柜台: 'branch' })).toBe('branch');
    expect(mapSiteType('ATM', { atm: 'branch' })).toBe('branch');
  });

  it('owner words are own; anything else is a competitor name kept as written', () => {
    for (const w of ['本行', '我行', '本机构', 'own', 'OWN', ' Own ']) expect(mapOwner(w), w).toBe('own');
    expect(mapOwner('工商银行')).toBe('工商银行');
    expect(mapOwner('总行', { 总行: 'own' })).toBe('own');
    expect(mapOwner('工行', { 工行: '工商银行' })).toBe('工商银行');
    expect(mapOwner('本行', { 本行: '' })).toBe('own');
  });

  it('lists exactly the words of DESIGN.md', () => {
    expect(TYPE_WORDS.branch).toEqual(['branch', '支行', '分行', '营业部', '二级支行', '分理处', '网点']);
    expect(TYPE_WORDS.atm).toEqual(['ATM', '自助银行', '离行式ATM', '在行式ATM', '存取款一体机', 'CRS']);
    expect(OWN_WORDS).toEqual(['own', '本行', '我行', '本机构']);
  });

  it('report line', () => {
    expect(valueMapText({ column: 'type', from: '支行', to: 'branch', rows: 30 })).toBe('支行 → branch: 30 rows');
    expect(valueMapText({ column: 'owner', from: '我行', to: 'own', rows: 1 })).toBe('我行 → own: 1 row');
  });
});
