import { describe, expect, it } from 'vitest';
import { parseShared } from './sites-params.ts';

describe('parseShared', () => {
  it('keeps every valid field', () => {
    const v = {
      mode: 'closure', siteType: 'atm', k: 7, radiusM: 600, objective: 'huff', solver: 'exact', timeLimitS: 20, targetPct: 80, measure: 'blend',
      blendPct: 30, resolution: 9, minSpacingM: 400, replicates: 0, zones: [{ lon: 121.4, lat: 31.2, radiusM: 800 }], pinned: ['K1'], excluded: ['8830995839fffff'],
      extraCandidates: [{ id: 'new-1', lon: 121.5, lat: 31.3 }], closeIds: ['BR001'], accessDistanceM: 2000, maxSharePct: 10, colouring: 'huff', ran: true,
    };
    expect(parseShared(JSON.parse(JSON.stringify(v)))).toEqual(v);
  });

  it('drops what does not fit, field by field', () => {
    const p = parseShared({
      mode: 'delete', siteType: 'bus', k: -1, radiusM: 'far', objective: '__proto__', resolution: 99, replicates: 1e9,
      zones: [{ lon: 500, lat: 31, radiusM: 100 }, { lon: 121, lat: 31, radiusM: 100 }, 'x'],
      pinned: ['ok', 42], closeIds: 'BR001', extraCandidates: [{ id: 'x'.repeat(500), lon: 121, lat: 31 }], ran: 'yes',
    });
    expect(p).toEqual({ zones: [{ lon: 121, lat: 31, radiusM: 100 }], extraCandidates: [] });
    expect(parseShared(null)).toEqual({});
    expect(parseShared([1, 2])).toEqual({});
  });
});
