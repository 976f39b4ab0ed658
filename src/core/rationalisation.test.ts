import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M } from './haversine.ts';
import { HuffModel, type HuffSites } from './huff.ts';
import { rationalise } from './rationalisation.ts';

const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

/**
 * Equator, metres. Own A at 0 and own A2 at 300 (overlapping), own B at 5000, competitor X
 * at 2500. Demand (weight) at 0 (10), 1000 (20), 1700 (40), 5000 (30), 6200 (5).
 * Radius 1500: A covers 0, 1000; A2 covers 0, 1000, 1700; B covers 5000 and 6200.
 * Unique: A none, A2 the 1700 point (40), B both of its points (35).
 */
function net(): { demand: { lon: number[]; lat: number[]; weight: number[] }; sites: HuffSites } {
  const xs = [0, 1000, 1700, 5000, 6200];
  return {
    demand: { lon: xs.map(eqDeg), lat: xs.map(() => 0), weight: [10, 20, 40, 30, 5] },
    sites: { lon: [0, 300, 5000, 2500].map(eqDeg), lat: [0, 0, 0, 0], owner: ['own', 'own', 'own', 'X'] },
  };
}

describe('rationalise', () => {
  it('finds the demand only each own site covers', () => {
    const rows = rationalise({ ...net(), radiusM: 1500 });
    expect(rows.map((r) => [r.site, r.coveredDemand, r.uniqueDemand])).toEqual([[0, 30, 0], [1, 70, 40], [2, 35, 35]]);
    expect(rows[0].overlapPct).toBe(100);
    expect(rows[1].overlapPct).toBeCloseTo((100 * 30) / 70, 12);
  });

  it('the Huff loss if closed equals a re-run of Huff without the site, and adds up', () => {
    const { demand, sites } = net();
    const model = new HuffModel(demand, sites);
    const all = model.evaluate();
    const rows = rationalise({ demand, sites, model });
    for (const r of rows) {
      const closed = new Uint8Array(4);
      closed[r.site] = 1;
      const without = model.evaluate(closed);
      expect(r.huffCapturedDemand).toBeCloseTo(all.siteCaptured[r.site], 9);
      expect(r.lossIfClosed).toBeCloseTo(all.ownCapturedDemand - without.ownCapturedDemand, 9);
      expect(r.leakedToCompetitors).toBeCloseTo(without.siteCaptured[3] - all.siteCaptured[3], 9);
      expect(r.recapturedByOwn + r.leakedToCompetitors + r.becomesUnreached).toBeCloseTo(r.huffCapturedDemand, 9);
    }
    // A and A2 stand 300 m apart: closing A loses far less than its capture.
    expect(rows[0].lossIfClosed).toBeLessThan(0.5 * rows[0].huffCapturedDemand);
  });

  it('handles a network without own sites', () => {
    expect(rationalise({ demand: { lon: [0], lat: [0], weight: [1] }, sites: { lon: [0], lat: [0], owner: ['X'] } })).toEqual([]);
  });
});
