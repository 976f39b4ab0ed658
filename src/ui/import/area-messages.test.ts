/**
 * Every sentence the areas loader writes about polygons (repairs, refusals, limits) reaches a
 * zh-CN screen in Chinese: run the real loader on the polygon fixtures and read each warning and
 * reject reason back into a message.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../../test/fixtures/index.ts';
import { validateAreas } from '../../data/geojson.ts';
import type { LoadWarning } from '../../data/load-warnings.ts';
import { importMessages } from '../../i18n/import.ts';
import { format } from '../../i18n/format.ts';
import { loadProblemMessage, loadWarningMessage, type LoadMessage } from './load-messages.ts';
import { chineseReason, englishReason } from '../../../test/fixtures/reason-text.ts';

const zh = (m: LoadMessage | null) => (m ? format(importMessages['zh-CN'][m.key as keyof typeof importMessages.en], m.params) : null);
const load = (name: string) => validateAreas(readFileSync(join(FIXTURES_DIR, 'polygons', name), 'utf8'), name);

describe('polygon repairs and refusals in zh-CN', () => {
  it('translates each repair warning with its feature and id', () => {
    const { warnings } = load('bowtie-open-clockwise.geojson');
    expect(warnings).toHaveLength(3);
    const said = warnings.map((w) => zh(loadWarningMessage(w)));
    expect(said).toEqual([
      expect.stringMatching(/^bowtie-open-clockwise\.geojson：要素 1（area_id B）的环相交或内环位置错误，已通过多边形合并修复（0\.0 → 53\.\d\d 平方公里）$/),
      'bowtie-open-clockwise.geojson：要素 2（area_id O）有未闭合的环，已重复首点使其闭合',
      'bowtie-open-clockwise.geojson：1 个要素的环方向不符合 RFC 7946，已调整（要素 2）',
    ]);
  });

  it('says each refusal in Chinese from its code, with the ring, positions and MultiPolygon part', () => {
    const rejects = [...load('world.geojson').rejects, ...load('hole-bigger-than-shell.geojson').rejects];
    expect(rejects.map((r) => r.reason)).toEqual(['antimeridian', 'antimeridian', 'holesLeaveNothing']);
    expect(rejects.map(chineseReason)).toEqual([
      expect.stringMatching(/^要素 1：环 0 在第 \d+ 与第 \d+ 个点之间跨越 ±180° 经线（覆盖全球或跨越日界线）；请在 ±180° 处拆分为 MultiPolygon$/),
      expect.stringMatching(/^要素 2：(第 \d+ 个多边形，)?环 \d+ 在第 \d+ 与第 \d+ 个点之间跨越 ±180° 经线/),
      expect.stringMatching(/^要素 1：(第 \d+ 个多边形，)?内环 1 比外环还大：扣除内环（洞）后区域不剩任何部分$/),
    ]);
    // The English says the same, word for word as before reasons were codes.
    expect(englishReason(rejects[2])).toMatch(/^features\[1\]: (polygon \d+, )?hole 1 is bigger than its outer ring: nothing of the area is left once its holes are taken out$/);
  });

  it('translates the simplification note and the per-file position limit', () => {
    const w: LoadWarning = { code: 'areaSimplified', params: { file: 'a.geojson', feature: 4, id: 'X', before: '200,001', after: '49,880', tolerance: '3' } };
    expect(zh(loadWarningMessage(w))).toBe('a.geojson：要素 4（area_id X）的 200,001 个点已简化为 49,880 个（Douglas–Peucker，容差 3 米）');
    let problem = '';
    const ring = Array.from({ length: 40_001 }, (_, i) => [121 + 0.4 * Math.cos((2 * Math.PI * i) / 40_000), 31 + 0.4 * Math.sin((2 * Math.PI * i) / 40_000)]);
    ring[40_000] = ring[0];
    const features = Array.from({ length: 26 }, (_, i) => ({ type: 'Feature', properties: { area_id: `A${i}` }, geometry: { type: 'Polygon', coordinates: [ring] } }));
    try {
      validateAreas(JSON.stringify({ type: 'FeatureCollection', features }), 'big.geojson');
    } catch (e) {
      problem = (e as Error).message;
    }
    expect(problem).toMatch(/^has 1,040,026 positions in its kept areas .* more than the 1,000,000 an areas file may have/);
    expect(zh(loadProblemMessage(problem))).toBe('区域共有 1,040,026 个点，超过单个区域文件允许的 1,000,000 个；请先简化（例如用 mapshaper）后重新加载');
  });
});
