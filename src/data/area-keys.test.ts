import { describe, expect, it } from 'vitest';
import { areaKey, closestNames, resolveAreaKeys } from './area-keys.ts';

const AREAS = [
  { area_id: '310101', name: '黄浦区', name_en: 'Huangpu' },
  { area_id: '310104', name: '徐汇区', name_en: 'Xuhui' },
  { area_id: '310115', name: '浦东新区', name_en: 'Pudong' },
  { area_id: '310151', name: '崇明区', name_en: 'Chongming District' },
  { area_id: '320583', name: '昆山市', name_en: 'Kunshan' },
];

describe('area keys by id or name', () => {
  it('strips 区, 新区, 县, 市 and District, case and spaces', () => {
    expect(areaKey('浦东新区')).toBe('浦东');
    expect(areaKey('黄浦区')).toBe('黄浦');
    expect(areaKey('Xuhui District')).toBe('xuhui');
    expect(areaKey('昆山市')).toBe('昆山');
    expect(areaKey('崇明县')).toBe('崇明');
    expect(areaKey('区')).toBe('区');
  });

  it('resolves ids, names with and without suffix, English names', () => {
    const keys = ['310101', '黄浦', '黄浦区', '浦东', '浦东新区', 'Xuhui District', 'xuhui', 'Chongming', '崇明县', '昆山', '静安区'];
    const r = resolveAreaKeys(keys, AREAS);
    expect(keys.map((k) => r.get(k)!.id)).toEqual(['310101', '310101', '310101', '310115', '310115', '310104', '310104', '310151', '310151', '320583', null]);
  });

  it('an unmatched key names the closest areas; a shared name is ambiguous', () => {
    const r = resolveAreaKeys(['黄埔区', 'Foo'], AREAS).get('黄埔区')!;
    expect(r).toEqual({ id: null, closest: expect.arrayContaining(['黄浦区']) });
    expect(closestNames('黄埔区', AREAS)[0]).toBe('黄浦区');
    const dup = resolveAreaKeys(['新城'], [{ area_id: 'a', name: '新城区' }, { area_id: 'b', name: '新城县' }]).get('新城')!;
    expect(dup).toEqual({ id: null, ambiguous: ['a', 'b'] });
  });
});
