import { describe, expect, it } from 'vitest';
import { closureFlows } from './closure-flows.ts';
import { EARTH_RADIUS_M } from './haversine.ts';
import { HuffModel } from './huff.ts';
import { mulberry32 } from './rng.ts';

const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

describe('closureFlows', () => {
  /**
   * On the equator (metres; haversine along it is exact): own A at 1000 (closed), own B at 500,
   * competitor C at −1000; Huff α 1, β 2, cut-off 1200 m.
   * P1 at 0, weight 60: d = 1000, 500, 1000 → U ∝ 1, 4, 1 → A 10, B 40, C 10. Without A:
   *   U ∝ 4, 1 → B 48, C 12: B picks up 8, C 2.
   * P2 at 1950, weight 10: only A (950 m) is within 1200 m (B 1450, C 2950) → A 10, and
   *   without A nothing is in reach: 10 unreached.
   */
  it('reassigns a hand-computed case', () => {
    const demand = { lon: [0, 1950].map(eqDeg), lat: [0, 0], weight: [60, 10] };
    const sites = { lon: [1000, 500, -1000].map(eqDeg), lat: [0, 0, 0], owner: ['own', 'own', 'BankC'] };
    const model = new HuffModel(demand, sites, { cutoffM: 1200 });
    const f = closureFlows(model, [1, 0, 0]);
    expect(f.catchment[0]).toBeCloseTo(10, 9);
    expect(f.catchment[1]).toBeCloseTo(10, 9);
    expect(f.released).toBeCloseTo(20, 9);
    expect(f.unreached).toBeCloseTo(10, 9);
    expect(f.gained[0]).toBe(0);
    expect(f.gained[1]).toBeCloseTo(8, 9);
    expect(f.gained[2]).toBeCloseTo(2, 9);
    expect([...f.mainRecipient]).toEqual([1, -1]);
  });

  it('leaves points the closed sites never reached alone', () => {
    const demand = { lon: [0, 5000].map(eqDeg), lat: [0, 0], weight: [5, 7] };
    const sites = { lon: [0, 5000].map(eqDeg), lat: [0, 0], owner: ['own', 'own'] };
    const f = closureFlows(new HuffModel(demand, sites, { cutoffM: 1000 }), [1, 0]);
    expect(f.catchment[0]).toBeCloseTo(5, 12);
    expect(f.catchment[1]).toBe(0);
    expect([...f.mainRecipient]).toEqual([-1, -1]);
    expect(f.unreached).toBeCloseTo(5, 12);
    expect(f.gained[1]).toBe(0);
  });

  it('agrees with the Huff model evaluated with and without the closed sites (random networks)', () => {
    const rnd = mulberry32(7);
    for (let trial = 0; trial < 20; trial++) {
      const N = 200, S = 12;
      const demand = { lon: Array.from({ length: N }, () => 121.4 + 0.1 * rnd()), lat: Array.from({ length: N }, () => 31.2 + 0.1 * rnd()), weight: Array.from({ length: N }, () => Math.floor(10 * rnd())) };
      const owner = Array.from({ length: S }, (_, j) => (j < 7 ? 'own' : j < 10 ? 'X' : 'Y'));
      const sites = { lon: Array.from({ length: S }, () => 121.4 + 0.1 * rnd()), lat: Array.from({ length: S }, () => 31.2 + 0.1 * rnd()), owner, attractiveness: Array.from({ length: S }, () => 0.5 + 2 * rnd()) };
      const model = new HuffModel(demand, sites, { cutoffM: 2500 });
      const closed = Array.from({ length: S }, (_, j) => (j < 7 && rnd() < 0.3 ? 1 : 0));
      if (!closed.some(Boolean)) closed[0] = 1;
      const before = model.evaluate(), after = model.evaluate(closed);
      const f = closureFlows(model, closed);
      let closedCaptured = 0, gains = 0;
      for (let j = 0; j < S; j++) {
        if (closed[j]) closedCaptured += before.siteCaptured[j];
        else expect(f.gained[j]).toBeCloseTo(after.siteCaptured[j] - before.siteCaptured[j], 8);
        gains += f.gained[j];
      }
      expect(f.released).toBeCloseTo(closedCaptured, 8);
      expect(gains + f.unreached).toBeCloseTo(f.released, 8);
      expect(f.unreached).toBeCloseTo(after.unreachedDemand - before.unreachedDemand, 8);
    }
  });

  it('checks the mask length', () => {
    const model = new HuffModel({ lon: [0], lat: [0], weight: [1] }, { lon: [0], lat: [0], owner: ['own'] });
    expect(() => closureFlows(model, [1, 0])).toThrow(/2 entries for 1 sites/);
  });
});
