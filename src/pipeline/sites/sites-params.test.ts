import { describe, expect, it } from 'vitest';
import { HUFF_DEFAULTS } from '../../core/huff.ts';
import { huffIssues, parseShared, usableHuff } from './sites-params.ts';

describe('parseShared', () => {
  it('keeps every valid field', () => {
    const v = {
      mode: 'closure', siteType: 'atm', k: 7, radiusM: 600, objective: 'huff', solver: 'exact', timeLimitS: 20, targetPct: 80, measure: 'blend',
      blendPct: 30, resolution: 9, minSpacingM: 400, replicates: 0, zones: [{ lon: 121.4, lat: 31.2, radiusM: 800 }], pinned: ['K1'], excluded: ['8830995839fffff'],
      extraCandidates: [{ id: 'new-1', lon: 121.5, lat: 31.3 }], closeIds: ['BR001'], accessDistanceM: 2000, maxSharePct: 10, colouring: 'huff',
      huff: { alpha: 0.5, beta: 1.5, cutoffM: 8000, minDistanceM: 50 }, ran: true,
    };
    expect(parseShared(JSON.parse(JSON.stringify(v)))).toEqual(v);
  });

  it('drops what does not fit, field by field', () => {
    const p = parseShared({
      mode: 'delete', siteType: 'bus', k: -1, radiusM: 'far', objective: '__proto__', resolution: 99, replicates: 1e9,
      zones: [{ lon: 500, lat: 31, radiusM: 100 }, { lon: 121, lat: 31, radiusM: 100 }, 'x'],
      pinned: ['ok', 42], closeIds: 'BR001', extraCandidates: [{ id: 'x'.repeat(500), lon: 121, lat: 31 }], ran: 'yes',
      huff: { alpha: -1, beta: 2.5, cutoffM: 1e9, minDistanceM: '100', extra: 1 },
    });
    expect(p).toEqual({ zones: [{ lon: 121, lat: 31, radiusM: 100 }], extraCandidates: [], huff: { beta: 2.5 } });
    expect(parseShared({ huff: [1, 2] })).toEqual({});
    expect(parseShared({ huff: { alpha: NaN, beta: Infinity, cutoffM: null } })).toEqual({ huff: {} });
    expect(parseShared(null)).toEqual({});
    expect(parseShared([1, 2])).toEqual({});
  });
});

describe('Huff parameters', () => {
  it('accepts the defaults and the range ends', () => {
    expect(huffIssues(HUFF_DEFAULTS)).toEqual([]);
    expect(huffIssues({ alpha: 0, beta: 5, cutoffM: 200, minDistanceM: 1 })).toEqual([]);
    expect(huffIssues({ alpha: 5, beta: 0, cutoffM: 20_000, minDistanceM: 2_000 })).toEqual([]);
  });

  it('names each unusable field, an empty input included', () => {
    expect(huffIssues({ alpha: -0.1, beta: null, cutoffM: 20_001, minDistanceM: 0 })).toEqual(['alpha', 'beta', 'cutoffM', 'minDistanceM']);
    expect(huffIssues({ alpha: 1, beta: 2, cutoffM: 500, minDistanceM: 500 })).toEqual(['minDistanceM']);
  });

  it('puts unusable fields back to their defaults, the floor below the cut-off', () => {
    expect(usableHuff({ alpha: 2, beta: 7, cutoffM: 3000, minDistanceM: 50 })).toEqual({ alpha: 2, beta: 2, cutoffM: 3000, minDistanceM: 50 });
    expect(usableHuff({ alpha: 1, beta: 2, cutoffM: 300, minDistanceM: 1000 })).toEqual({ alpha: 1, beta: 2, cutoffM: 300, minDistanceM: 100 });
  });
});
