import { describe, expect, it } from 'vitest';
import { customerVariables, distinctive, profileMatrix, suggestFormat } from './hotspot-typology.ts';

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

  it('suggests a format from the type centre', () => {
    const ids = ['young_share', 'digital_share', 'avg_income', 'elderly_share', 'cust_per_1000', 'pop_density'];
    expect(suggestFormat([1.5, 1.2, 0, -1, 0.2, 0.3], ids)).toEqual({ format: 'digital', because: ['young_share', 'digital_share'] });
    expect(suggestFormat([-0.5, -0.4, 1.8, 0, 0.5, 0.5], ids).format).toBe('full');
    expect(suggestFormat([0, 0, -0.2, 0.3, -1.5, -1.2], ids)).toEqual({ format: 'atm', because: ['cust_per_1000', 'pop_density'] });
    expect(suggestFormat([0.1, 0, 0.2, 0.1, 0, 0], ids)).toEqual({ format: 'light', because: [] });
  });
});
