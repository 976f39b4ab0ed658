import { describe, expect, it } from 'vitest';
import { demandRiskQuadrants, isHighRisk, isHotDemand, QUADRANTS } from './hotspot-quadrants.ts';

describe('demand × risk quadrants', () => {
  it('calls the upper half of the tiers high risk, the middle of an odd count low', () => {
    expect([1, 2, 3, 4].map((t) => isHighRisk(t, 4))).toEqual([false, false, true, true]);
    expect([1, 2, 3].map((t) => isHighRisk(t, 3))).toEqual([false, false, true]);
    expect([1, 2].map((t) => isHighRisk(t, 2))).toEqual([false, true]);
    expect(isHighRisk(NaN, 4)).toBe(false);
  });

  it('counts Gi* 95/99 % hot and Moran HH as hot demand, not 90 %', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((c) => isHotDemand(c, 'gi'))).toEqual([true, true, false, false, false, false, false]);
    expect([0, 1, 2, 3, 4].map((c) => isHotDemand(c, 'moran'))).toEqual([false, true, false, false, false]);
  });

  it('classes cells by hand and lists areas, opportunities first', () => {
    // areas: 0 low risk (tier 1), 1 high risk (tier 4), 2 no index
    const r = demandRiskQuadrants({
      statistic: 'gi',
      classCode: Uint8Array.of(0, 1, 3, 0, 6, 3, 0),
      values: Float64Array.of(10, 8, 1, 12, 0, 2, 9),
      cellArea: Int32Array.of(0, 0, 0, 1, 1, 1, 2),
      riskIndex: Float64Array.of(10, 90, NaN),
      tier: Float64Array.of(1, 4, NaN),
      tierCount: 4,
    });
    expect(Array.from(r.quadrant, (q) => QUADRANTS[q])).toEqual(['opportunity', 'opportunity', 'other', 'caution', 'watch', 'watch', 'other']);
    expect(r.counts).toEqual([2, 1, 2, 2]);
    // area 2 is listed for its hot cell although it has no risk index
    expect(r.rows.map((x) => x.area)).toEqual([0, 1, 2]);
    expect(r.rows[2]).toMatchObject({ hotCells: 1, opportunityCells: 0, highRisk: false });
    expect(r.rows[0]).toMatchObject({ cells: 3, hotCells: 2, opportunityCells: 2, cautionCells: 0, highRisk: false });
    expect(r.rows[0].hotShare).toBeCloseTo(18 / 19, 12);
    expect(r.rows[1]).toMatchObject({ hotCells: 1, cautionCells: 1, highRisk: true, hotShare: 12 / 14 });
  });

  it('handles no cells', () => {
    const r = demandRiskQuadrants({ statistic: 'moran', classCode: new Uint8Array(), values: new Float64Array(), cellArea: new Int32Array(), riskIndex: [], tier: [], tierCount: 4 });
    expect(r.counts).toEqual([0, 0, 0, 0]);
    expect(r.rows).toEqual([]);
  });
});
