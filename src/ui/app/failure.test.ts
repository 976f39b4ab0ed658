import { describe, expect, it } from 'vitest';
import { RAW_ENGINE_TEXT } from '../../data/engine-errors.ts';
import { failureView } from './failure.ts';

describe('failureView', () => {
  it('keeps our own sentences as they are, with no details', () => {
    const own = 'Demand from customers needs a customers file.';
    expect(failureView(own)).toEqual({ text: own, detail: null });
  });

  it('turns DuckDB text into a sentence and keeps the raw text only as the detail', () => {
    const raw = 'Catalog Error: Table with name indicators does not exist!\nDid you mean "pg_indexes"?';
    const v = failureView(raw);
    expect(v.detail).toBe(raw);
    expect(v.text).not.toMatch(RAW_ENGINE_TEXT);
    expect(v.text).not.toContain('Catalog');
    expect(v.text).toMatch(/unexpected problem/);
  });

  it('says out of memory in words when the engine ran out of it', () => {
    const v = failureView('Out of Memory Error: could not allocate block of size 256.0 KiB (3.1 GiB/3.1 GiB used)');
    expect(v.text).toMatch(/ran out of memory/);
    expect(v.text).not.toMatch(RAW_ENGINE_TEXT);
  });

  it('never shows a JS runtime error or a BigInt conversion as it is', () => {
    for (const raw of ["TypeError: Cannot read properties of undefined (reading 'h3')", 'Cannot convert v1 to a BigInt']) {
      const v = failureView(raw);
      expect(v.detail).toBe(raw);
      expect(v.text).not.toMatch(RAW_ENGINE_TEXT);
    }
  });
});

describe('failureView of a computation the DB worker died in', () => {
  it('says in the UI language that the engine stopped and was restarted, and what to do', async () => {
    const { DbWorkerDied } = await import('./workers.ts');
    const { i18n } = await import('../../i18n/i18n.svelte.ts');
    const message = new DbWorkerDied().message;
    const en = failureView(message);
    expect(en).toEqual({ text: expect.stringMatching(/^the data engine stopped during this computation \(out of memory or closed\) and was restarted with your data; run it again/), detail: null });
    i18n.locale = 'zh-CN';
    try {
      const zh = failureView(message).text;
      expect(zh).toMatch(/^数据引擎在本次计算中停止（内存不足或被关闭），已用您的数据重新启动；请重新运行/);
      expect(zh).not.toMatch(/[a-z]{4,}/);
    } finally {
      i18n.locale = 'en';
    }
  });
});

describe('failureView of a study grid that cannot be built', () => {
  it('says the study-cell limit and the coarser resolution in the UI language', async () => {
    const { buildStudyGrid } = await import('../../core/grid.ts');
    const { i18n } = await import('../../i18n/i18n.svelte.ts');
    const box = { type: 'Polygon' as const, coordinates: [[[110, 20], [120, 20], [120, 30], [110, 30], [110, 20]]] };
    let message = '';
    try {
      buildStudyGrid([{ geometry: box }], 8);
    } catch (e) {
      message = (e as Error).message;
    }
    const en = failureView(message);
    expect(en.text).toMatch(/^the study grid of these areas at H3 resolution 8 would have too many cells: about [\d,]+, where at most 250,000 are allowed; choose resolution 7 or coarser/);
    i18n.locale = 'zh-CN';
    try {
      expect(failureView(message).text).toMatch(/^在 H3 分辨率 8 下，这些区域约有 [\d,]+ 个研究网格，超过允许的 250,000 个；请选择分辨率 7/);
    } finally {
      i18n.locale = 'en';
    }
  });
});
