import { describe, expect, it } from 'vitest';
import { sitesLayer } from './layers.ts';
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
    const p = l.props as unknown as { billboard: boolean; parameters: unknown; data: { index: number }[] };
    expect(p.billboard).toBe(true);
    expect(p.parameters).toEqual({ depthCompare: 'always' });
    expect(p.data.map((d) => d.index)).toEqual([1, 0, 2]);
  });
});
