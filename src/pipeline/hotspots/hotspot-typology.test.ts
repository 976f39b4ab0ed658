import { describe, expect, it } from 'vitest';
import { adviseType, customerVariables, distinctive, highRiskShares, profileMatrix } from './hotspot-typology.ts';

describe('area typology helpers', () => {
  it('derives customer variables per area, NaN where undefined', () => {
    const vars = customerVariables(
      {
        customers: Float64Array.of(100, 0),
        sums: { digital_active: [Float64Array.of(60, 0), Float64Array.of(100, 0)], age: [Float64Array.of(4000, 0), Float64Array.of(100, 0)] },
        segments: { young: Float64Array.of(25, 0) },
      },
      Float64Array.of(50_000, 1000),
    );
    const byId = Object.fromEntries(vars.map((v) => [v.id, Array.from(v.values)]));
    expect(Object.keys(byId)).toEqual(['cust_per_1000', 'digital_share', 'mean_age', 'seg:young']);
    expect(byId.cust_per_1000).toEqual([2, 0]);
    expect(byId.digital_share[0]).toBe(0.6);
    expect(byId.digital_share[1]).toBeNaN();
    expect(byId.mean_age[0]).toBe(40);
    expect(byId['seg:young'][0]).toBe(0.25);
  });

  it('lays profiles out row-major, areas × variables', () => {
    const m = profileMatrix([{ id: 'a', values: Float64Array.of(1, 2, 3) }, { id: 'b', values: Float64Array.of(4, 5, 6) }], 3);
    expect(Array.from(m)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('names the distinctive variables, strongest first', () => {
    expect(distinctive([0.2, -1.5, 0.9, 2], ['a', 'b', 'c', 'd'], 3)).toEqual([{ id: 'd', z: 2 }, { id: 'b', z: -1.5 }, { id: 'c', z: 0.9 }]);
    expect(distinctive([0.1, -0.2], ['a', 'b'])).toEqual([]);
  });

  describe('advice from each type’s profile', () => {
    // Hand-made type centres over the variables a demo city offers.
    const ids = ['cust_per_1000', 'pop_density', 'digital_share', 'seg:young', 'mean_age', 'seg:elderly', 'avg_income', 'mean_balance', 'business_count'];
    const type = (z: Partial<Record<string, number>>, highRiskShare = 0) => ({ centre: ids.map((id) => z[id] ?? 0), ids, highRiskShare });

    it('holds a high-risk type back whatever its demand', () => {
      const a = adviseType(type({ cust_per_1000: 1.8, pop_density: 1.5, avg_income: 1 }, 0.75));
      expect(a).toMatchObject({ format: 'hold', reason: 'risk', because: [] });
      expect(a.dims.demand).toBeCloseTo(1.65, 12);
      // exactly half the areas high-risk is enough; a quarter is not
      expect(adviseType(type({ cust_per_1000: 1.8 }, 0.5)).format).toBe('hold');
      expect(adviseType(type({ cust_per_1000: 1.8, pop_density: 1.5 }, 0.25)).format).toBe('full');
    });

    it('a dense, affluent, low-risk centre gets a full-service branch, naming its strongest variables', () => {
      const a = adviseType(type({ cust_per_1000: 1.2, pop_density: 2.0, avg_income: 1.4, mean_balance: 0.9, business_count: 0.3 }));
      expect(a.format).toBe('full');
      expect(a.reason).toBe('demand'); // demand 1.6 > affluence 1.15
      expect(a.because).toEqual([{ id: 'pop_density', z: 2 }, { id: 'cust_per_1000', z: 1.2 }, { id: 'avg_income', z: 1.4 }, { id: 'mean_balance', z: 0.9 }]);
    });

    it('young and digital → digital-first; old → community branch; the stronger of the two wins', () => {
      expect(adviseType(type({ digital_share: 1.3, 'seg:young': 0.9, mean_age: -1 }))).toMatchObject({ format: 'digital', because: [{ id: 'digital_share', z: 1.3 }, { id: 'seg:young', z: 0.9 }] });
      expect(adviseType(type({ mean_age: 1.4, 'seg:elderly': 1.0, digital_share: -0.8 }))).toMatchObject({ format: 'community', reason: 'age' });
      expect(adviseType(type({ mean_age: 1.5, digital_share: 0.6 })).format).toBe('community');
    });

    it('thin demand → self-service only, unless the type is digital (app) or older (counters)', () => {
      const a = adviseType(type({ cust_per_1000: -1.1, pop_density: -0.7, avg_income: 0.8 }));
      expect(a).toMatchObject({ format: 'atm', reason: 'demand', because: [{ id: 'cust_per_1000', z: -1.1 }, { id: 'pop_density', z: -0.7 }] });
      expect(adviseType(type({ cust_per_1000: -1.1, pop_density: -0.7, digital_share: 1 })).format).toBe('digital');
      expect(adviseType(type({ cust_per_1000: -1.1, pop_density: -0.7, mean_age: 0.9, 'seg:elderly': 0.7 })).format).toBe('community');
    });

    it('an average type gets a light branch; missing dimensions never match', () => {
      expect(adviseType(type({ cust_per_1000: 0.3, digital_share: 0.2 }))).toMatchObject({ format: 'light', reason: null });
      const bare = adviseType({ centre: [2], ids: ['unemployment_rate'], highRiskShare: NaN });
      expect(bare.format).toBe('light');
      expect(Number.isNaN(bare.dims.demand)).toBe(true);
    });

    it('gives four distinct formats to four distinct hand-made types', () => {
      const formats = [
        type({ cust_per_1000: 1.5, avg_income: 1.2 }),
        type({ mean_age: 1.1, 'seg:elderly': 1.3 }),
        type({ cust_per_1000: -1, pop_density: -1.2 }),
        type({ cust_per_1000: 0.8 }, 1),
      ].map((p) => adviseType(p).format);
      expect(formats).toEqual(['full', 'community', 'atm', 'hold']);
    });

    it('counts the share of high-risk areas per type, skipping areas without a tier', () => {
      const labels = [0, 0, 1, 1, 1, 2];
      const tiers = [4, 1, 3, NaN, 1, NaN];
      expect(highRiskShares(labels, 3, (a) => (Number.isFinite(tiers[a]) ? tiers[a] >= 3 : null))).toEqual([0.5, 0.5, NaN]);
    });
  });
});
