import { afterEach, describe, expect, it } from 'vitest';
import { parseHotspotsShared } from './hotspot-params.ts';
import { applyShared, sharedState } from '../../ui/hotspots/hotspot-share.svelte.ts';
import { hotspots } from '../../ui/hotspots/hotspots.svelte.ts';

describe('hotspot parameters in links', () => {
  it('keeps every valid field and names each invalid one', () => {
    const { value, rejected } = parseHotspotsShared({
      statistic: 'moran', measure: 'sum', sumColumn: 'balance', segment: 'young', ageBand: '18-29', digital: '1', resolution: 9, rings: 2,
      fdr: true, permutations: 99, seed: 7, display: 'heatmap', extrude: true, siteType: 'atm', radiusM: 500, typologyK: 5, typologyOff: ['age'],
      quadrantRule: 'median',
    });
    expect(rejected).toEqual([]);
    expect(value).toMatchObject({ statistic: 'moran', resolution: 9, segment: 'young', permutations: 99, seed: 7, typologyOff: ['age'], quadrantRule: 'median' });
    expect(parseHotspotsShared({ quadrantRule: 'mean' }).rejected.map((r) => r.split(' ')[0])).toEqual(['quadrantRule']);

    const bad = parseHotspotsShared({ resolution: 12, rings: 1.5, permutations: 5, ageBand: '<script>', digital: 1, segment: 'x'.repeat(500), display: 'heatmap', evil: 1 });
    expect(bad.value).toEqual({ display: 'heatmap' });
    expect(bad.rejected.map((r) => r.split(' ')[0])).toEqual(['segment', 'ageBand', 'digital', 'resolution', 'rings', 'permutations', 'unknown']);
    expect(parseHotspotsShared('resolution=9').rejected).toEqual(['not an object of parameters']);
    expect(parseHotspotsShared(null).value).toEqual({});
  });
});

describe('hotspots state slice', () => {
  afterEach(() => Object.assign(hotspots, { resolution: 8, segment: '', rings: 1, display: 'classes', quadrantRule: 'significance' }));

  it('round-trips the controls and applies the valid part of a bad link before reporting the rest', () => {
    Object.assign(hotspots, { resolution: 9, segment: 'young', rings: 2, quadrantRule: 'median' });
    const shared = JSON.parse(JSON.stringify(sharedState()));
    Object.assign(hotspots, { resolution: 8, segment: '', rings: 1, quadrantRule: 'significance' });
    applyShared(shared);
    expect([hotspots.resolution, hotspots.segment, hotspots.rings, hotspots.quadrantRule]).toEqual([9, 'young', 2, 'median']);

    expect(() => applyShared({ resolution: 7, rings: 9, display: 'stability' })).toThrow(/hotspots: ignored rings 9/);
    expect([hotspots.resolution, hotspots.rings, hotspots.display]).toEqual([7, 2, 'stability']);
  });
});
