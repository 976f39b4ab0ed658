import { describe, expect, it } from 'vitest';
import { layerTitleKey } from './layer-titles.ts';
import { shareMessages } from '../../i18n/share.ts';

describe('layerTitleKey', () => {
  it('names the aggregate layers by their titles, in both languages', () => {
    for (const id of ['hotspots-cells', 'sites-cells', 'customer-cells', 'risk-index', 'sites-disc']) {
      const key = layerTitleKey(id) as keyof typeof shareMessages.en;
      expect(key, id).not.toBe('share.layer.other');
      expect(shareMessages.en[key], id).not.toMatch(/-cells|-disc/);
      expect(shareMessages['zh-CN'][key], id).toBeTruthy();
    }
    expect(shareMessages['zh-CN'][layerTitleKey('hotspots-cells') as keyof typeof shareMessages.en]).toBe('需求热点（Gi* 网格）');
  });
  it('never shows an unknown id: it says "a map layer"', () => {
    expect(layerTitleKey('debug-thing')).toBe('share.layer.other');
  });
});
