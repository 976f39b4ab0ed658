import { describe, expect, it } from 'vitest';
import { simulateClosure } from './closure.ts';
import { EARTH_RADIUS_M, haversineM } from './haversine.ts';
import type { HuffSites } from './huff.ts';

const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

/**
 * Toy network on the equator (metres): own A at 0, own B at 2000, competitor "BankX" at
 * 4000; demand points at 0, 1000, 2000, 3000, 4000, 10 customers and 100 people each.
 * Nearest own site before: 0, 1000, 0, 1000, 2000 m; after closing B: 0, 1000, 2000, 3000, 4000 m.
 */
function toy() {
  const xs = [0, 1000, 2000, 3000, 4000];
  const demand = { lon: xs.map(eqDeg), lat: xs.map(() => 0), weight: xs.map(() => 10) };
  const sites = { lon: [0, 2000, 4000].map(eqDeg), lat: [0, 0, 0], owner: ['own', 'own', 'BankX'] };
  return { demand, sites, population: xs.map(() => 100), customers: xs.map(() => 10) };
}

/** Independent brute-force Huff (α 1, β 2, 100 m floor, 5 km cut-off), for checking. */
function bruteCaptured(demand: ReturnType<typeof toy>['demand'], sites: { lon: number[]; lat: number[] }, open: boolean[]): number[] {
  const cap = sites.lon.map(() => 0);
  demand.lon.forEach((lon, i) => {
    const u = sites.lon.map((slon, j) => {
      const d = haversineM(lon, demand.lat[i], slon, sites.lat[j]);
      return open[j] && d <= 5000 ? Math.max(d, 100) ** -2 : 0;
    });
    const D = u.reduce((t, x) => t + x, 0);
    if (D > 0) u.forEach((x, j) => (cap[j] += (demand.weight[i] * x) / D));
  });
  return cap;
}

describe('simulateClosure on a toy network', () => {
  it('reallocates the closed branch by Huff: recaptured + leaked + unreached = what it had', () => {
    const { demand, sites } = toy();
    const r = simulateClosure({ demand, sites, close: [1] });
    const before = bruteCaptured(demand, sites, [true, true, true]);
    const after = bruteCaptured(demand, sites, [true, false, true]);
    expect(r.closedSitesCaptured).toBeCloseTo(before[1], 9);
    expect(r.recapturedByOwn).toBeCloseTo(after[0] - before[0], 9);
    expect(r.leakedToCompetitors).toBeCloseTo(after[2] - before[2], 9);
    expect(r.leakageByCompetitor).toEqual([{ owner: 'BankX', demand: expect.closeTo(after[2] - before[2], 9) }]);
    expect(r.becomesUnreached).toBeCloseTo(0, 12);
    expect(r.recapturedByOwn + r.leakedToCompetitors + r.becomesUnreached).toBeCloseTo(r.closedSitesCaptured, 9);
    expect(r.ownCapturedBefore - r.ownCapturedAfter).toBeCloseTo(r.closedSitesCaptured - r.recapturedByOwn, 9);
  });

  it('measures the distance change for the customers whose nearest branch closed', () => {
    const { demand, sites } = toy();
    const r = simulateClosure({ demand, sites, close: [1] });
    // Points at 2000, 3000, 4000 each get 2000 m farther; the point at 1000 is as close to A as it was to B.
    expect(r.distance.affectedPoints).toBe(3);
    expect(r.distance.affectedDemand).toBe(30);
    expect(r.distance.meanIncreaseM).toBeCloseTo(2000, 6);
    expect(r.distance.maxIncreaseM).toBeCloseTo(2000, 6);
    expect(r.distance.meanBeforeM).toBeCloseTo(1000, 6);
    expect(r.distance.meanAfterM).toBeCloseTo(3000, 6);
  });

  it('flags an access breach: people beyond 1.6 km go from 20 % to 60 %', () => {
    const { demand, sites, population, customers } = toy();
    const r = simulateClosure({ demand, sites, close: [1], access: { population, customers, maxShareBeyond: 0.25 } });
    expect(r.access.limitPct).toBe(25);
    expect(r.access.population).toEqual({ beforePct: 20, afterPct: 60, breached: true, overLimit: true });
    expect(r.access.customers).toEqual({ beforePct: 20, afterPct: 60, breached: true, overLimit: true });
    // With the default 5 % limit the network was already over before: over, but not broken by this closure.
    const d = simulateClosure({ demand, sites, close: [1], access: { population } });
    expect(d.access.population).toEqual({ beforePct: 20, afterPct: 60, breached: false, overLimit: true });
    expect(d.access.customers).toBeNull();
    // A rural standard of 4.8 km per point: nobody beyond, before or after.
    const rural = simulateClosure({ demand, sites, close: [1], access: { population, distanceM: population.map(() => 4800) } });
    expect(rural.access.population).toEqual({ beforePct: 0, afterPct: 0, breached: false, overLimit: false });
  });

  it('only counts the chosen site type for access, and closing nothing changes nothing', () => {
    const { demand, sites, population } = toy();
    // If B is an ATM and only branches count, closing B does not move anyone's nearest branch.
    const r = simulateClosure({ demand, sites, close: [1], accessSites: [1, 0, 0], access: { population } });
    expect(r.distance.affectedPoints).toBe(0);
    expect(r.distance.meanIncreaseM).toBeNaN();
    expect(r.access.population?.afterPct).toBe(r.access.population?.beforePct);
    const none = simulateClosure({ demand, sites, close: [] });
    expect([none.closedSitesCaptured, none.leakedToCompetitors, none.distance.affectedPoints]).toEqual([0, 0, 0]);
  });

  it('reports demand left with no own site and no Huff site at all', () => {
    const demand = { lon: [0, eqDeg(20000)], lat: [0, 0], weight: [5, 7] };
    const sites: HuffSites = { lon: [eqDeg(20000)], lat: [0], owner: ['own'] };
    const r = simulateClosure({ demand, sites, close: [0] });
    expect(r.becomesUnreached).toBe(7);
    expect(r.distance.meanIncreaseM).toBe(Infinity);
    expect(r.warnings).toContainEqual({ code: 'no_own_site_left' });
  });

  it('refuses to close a competitor or an unknown site', () => {
    const { demand, sites } = toy();
    expect(() => simulateClosure({ demand, sites, close: [2] })).toThrow(/belongs to "BankX"/);
    expect(() => simulateClosure({ demand, sites, close: [9] })).toThrow(/not in 0..2/);
  });
});
