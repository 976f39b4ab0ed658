import { describe, expect, it } from 'vitest';
import { unitMessage } from './unit-labels.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { format } from '../../i18n/format.ts';

const zh = (u: string) => {
  const m = unitMessage(u);
  return m ? format(zhCN[m.key as keyof typeof zhCN], m.params) : u;
};

describe('unitMessage', () => {
  it('shows the demo manifest’s English unit words in Chinese', () => {
    expect(zh('persons')).toBe('人');
    expect(zh('CNY/yr')).toBe('元/年');
    expect(zh('firms')).toBe('家');
    expect(zh('fraction (age 15–34)')).toBe('15–34 岁人口占比');
  });
  it('leaves symbols and the data’s own words as they are', () => {
    for (const u of ['%', 'km²', '2023Q1 = 100', '0/1']) expect(unitMessage(u)).toBeNull();
  });
});
