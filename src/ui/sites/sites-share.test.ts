/**
 * The Sites slice of a link: a plan of hundreds of sites travels whole; one too long for a link
 * is left out (never cut short) and the Share panel is told why, in the UI language.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { sites } from './sites.svelte.ts';
import { linkNote, sharedState } from './sites-share.ts';
import { unpackResult } from '../../pipeline/sites/sites-link.ts';
import { MAX_SLICE_CHARS } from '../../pipeline/share/permalink.ts';
import type { RestoredResult } from '../../pipeline/sites/sites-params.ts';

/** `n` sites on a 0.01° lattice over Shanghai, each named after its own branch (names do not repeat). */
function plan(n: number): RestoredResult {
  return {
    objective: 'coverage', solver: 'greedy', siteType: 'atm', radiusM: 500, at: 'points', costs: false, demandPoints: 200_000, totalDemand: 200_000,
    existingCoveredDemand: 40_000, coveredDemand: 40_000 + 100 * n, coveragePct: (100 * (40_000 + 100 * n)) / 200_000, ownSharePct: 30,
    sites: Array.from({ length: n }, (_, i) => {
      const cell = latLngToCell(31.0 + 0.01 * Math.floor(i / 40), 121.2 + 0.01 * (i % 40), 9);
      const [lat, lon] = cellToLatLng(cell);
      const covered = 40_000 + 100 * (i + 1);
      return {
        id: cell, lon, lat, names: { en: `Pudong · Branch${i} NE 1.2 km`, 'zh-CN': `浦东新区 · 支行${i} 东北 1.2 km` }, origin: 'recommended' as const, moved: false,
        marginalDemand: 100, coveredDemand: covered, coveragePct: (100 * covered) / 200_000, huffCaptured: 50, totalCost: NaN, meanCost: NaN,
      };
    }),
  };
}

afterEach(() => {
  sites.restored = null;
});

describe('the Sites slice of a link', () => {
  it('carries a plan of 300 sites whole, with nothing to say under the link', () => {
    sites.restored = plan(300);
    const s = sharedState({ safe: false, k: 10 });
    expect(s.rp).toBeDefined();
    expect(encodeURIComponent(JSON.stringify(s)).length).toBeLessThanOrEqual(MAX_SLICE_CHARS);
    expect(unpackResult(s.rp)!.sites.map((x) => x.names.en)).toEqual(sites.restored.sites.map((x) => x.names.en));
    expect(linkNote()).toBeUndefined();
  });

  it('leaves out a plan too long for a link and says so, instead of a link cut short', () => {
    sites.restored = plan(1000);
    const s = sharedState({ safe: false, k: 10 });
    expect(s.rp).toBeUndefined();
    expect(s.ran).toBe(true);
    expect(linkNote()).toMatch(/1,000\).*too many for a link.*16,000 characters/);
    sites.restored = plan(5);
    sharedState({ safe: false, k: 10 });
    expect(linkNote()).toBeUndefined();
  });
});
