import { describe, expect, it } from 'vitest';
import { sitePriorities, sitesLayer } from './layers.ts';
import type { IconAtlas } from './site-icons.ts';

describe('sitesLayer', () => {
  it('draws our network and competitors facing the camera, without the depth test, competitors first', () => {
    const cell = { x: 0, y: 0, width: 64, height: 64, anchorY: 32, mask: false as const };
    const atlas: IconAtlas = { url: 'data:,', mapping: { ownBranch: cell, ownAtm: cell, competitor: cell } };
    const sites = {
      id: ['B1', 'X1', 'A1'], lon: Float64Array.from([121.4, 121.5, 121.6]), lat: Float64Array.from([31.2, 31.2, 31.2]),
      type: ['branch', 'branch', 'atm'], owner: ['own', 'ICBC', 'own'], name: ['', '', ''],
    };
    const l = sitesLayer(sites, { ownBranch: true, ownAtm: true, competitor: true }, atlas);
    const p = l.props as unknown as { billboard: boolean; parameters: unknown; data: { index: number }[]; beforeId: string };
    expect(p.billboard).toBe(true);
    // Beneath the district names.
    expect(p.beforeId).toBe('area-label');
    expect(p.parameters).toEqual({ depthCompare: 'always' });
    expect(p.data.map((d) => d.index)).toEqual([1, 0, 2]);
  });

  it('ranks our branches over ATMs over competitors for thinning, competitors further down when our network is the subject; draws only the kept sites', () => {
    const cell = { x: 0, y: 0, width: 64, height: 64, anchorY: 32, mask: false as const };
    const atlas: IconAtlas = { url: 'data:,', mapping: { ownBranch: cell, ownAtm: cell, competitor: cell } };
    const sites = {
      id: ['B1', 'X1', 'A1'], lon: Float64Array.from([121.4, 121.5, 121.6]), lat: Float64Array.from([31.2, 31.2, 31.2]),
      type: ['branch', 'branch', 'atm'], owner: ['own', 'ICBC', 'own'], name: ['', '', ''],
    };
    const plain = sitePriorities(sites);
    expect(plain[0]).toBeGreaterThan(plain[2]);
    expect(plain[2]).toBeGreaterThan(plain[1]);
    const own = sitePriorities(sites, true);
    expect(own[2] / own[1]).toBeGreaterThan(plain[2] / plain[1]);
    const all = { ownBranch: true, ownAtm: true, competitor: true };
    type P = { getSize: (d: { symbol: string }) => number; getColor: (d: { symbol: string }) => number[]; data: { index: number }[] };
    const l = sitesLayer(sites, all, atlas, undefined, { emphasiseOwn: true, keep: Uint8Array.from([1, 0, 1]) }).props as unknown as P;
    expect(l.data.map((d) => d.index)).toEqual([0, 2]);
    const p0 = sitesLayer(sites, all, atlas).props as unknown as P;
    expect(l.getSize({ symbol: 'competitor' })).toBeLessThan(p0.getSize({ symbol: 'competitor' }));
    expect(l.getColor({ symbol: 'competitor' })[3]).toBeLessThan(255);
    expect(l.getColor({ symbol: 'ownBranch' })[3]).toBe(255);
  });
});
