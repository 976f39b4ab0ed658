import { describe, expect, it } from 'vitest';
import { englishWords, untranslated } from './untranslated.ts';

describe('englishWords (what the zh-CN walk fails on)', () => {
  it('passes Chinese text with numbers, units, codes, ids, file names and acronyms', () => {
    for (const ok of [
      '浦东新区',
      '1,234 人（占 12.5%）',
      '半径 1500 m，距离 2.3 km，面积 12 km²，利差 25 bp',
      'H3 单元 8831aa5b0dfffff',
      '网点 BR001 · 2025Q4 · 指标 avg_income 与 s_d_house_price_index_4',
      '已读取 customers.csv（3 行被拒绝），导出 风险报告-2025Q4.pdf',
      'PDF · PNG · CSV · ATM · LTV · GCJ-02 · WGS84 · CNY',
      'Huff 模型 α 1、β 2；Getis-Ord Gi* 热点；Jenks 自然断点；HiGHS 精确求解',
      '密钥在 lbs.tianditu.gov.cn 申请；样式 https://example.org/style.json',
      '方案 A 与 B 之差：z ≥ 1.96，p < 0.05',
      '−3.2 个百分点',
      '已加载：竞争对手网点.csv。',
      '按 Esc 结束；底图数据 © Natural Earth；Google Earth 使用 WGS84',
    ]) expect(englishWords(ok), ok).toEqual([]);
  });

  it('finds English words, alone or in a Chinese sentence', () => {
    expect(englishWords('Language')).toEqual(['Language']);
    expect(englishWords('常住人口（persons）')).toEqual(['persons']);
    expect(englishWords('1 areas')).toEqual(['areas']);
    expect(englishWords('Show 12 more')).toEqual(['Show', 'more']);
    expect(englishWords('customers.csv: line 3, column lat: not a number')).toEqual(['line', 'column', 'not', 'number']);
    expect(englishWords('hotspots-cells: 已隐藏')).toEqual(['hotspots', 'cells']); // an internal layer id is no data
    expect(englishWords('GBK encoding detected')).toEqual(['encoding', 'detected']);
  });

  it('lets data values through only when the test names them', () => {
    expect(englishWords('客群：senior')).toEqual(['senior']);
    expect(englishWords('客群：senior', new Set(['senior']))).toEqual([]);
  });
});

describe('untranslated', () => {
  it('reports each text once per place, with its words', () => {
    const f = untranslated([
      { where: 'risk-panel', text: 'Tier 1' },
      { where: 'risk-panel', text: 'Tier 1' },
      { where: 'risk-panel', text: '第 1 档' },
      { where: 'share', text: 'Tier 1' },
    ]);
    expect(f).toEqual([
      { where: 'risk-panel', text: 'Tier 1', words: ['Tier'] },
      { where: 'share', text: 'Tier 1', words: ['Tier'] },
    ]);
  });
});
