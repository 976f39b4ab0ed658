import { describe, expect, it } from 'vitest';
import { demandRiskQuadrants, emptyReasons, isHighRisk, isHotDemand, QUADRANTS, type QuadrantInput } from './hotspot-quadrants.ts';

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

  // Four areas, each with three cells. Risk index 10, 20, 40, 45: with tiers 25/50/75 none is
  // high risk, so under the significance rule caution and watch are empty — the demo city's
  // situation when all its hot spots sit in the low tiers.
  const city: QuadrantInput = {
    statistic: 'gi',
    classCode: Uint8Array.of(0, 3, 3, 1, 3, 3, 0, 3, 6, 3, 3, 6),
    values: Float64Array.of(50, 4, 0, 30, 6, 2, 40, 9, 0, 12, 3, 0),
    cellArea: Int32Array.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3),
    riskIndex: Float64Array.of(10, 20, 40, 45),
    tier: Float64Array.of(1, 1, 2, 2),
    tierCount: 4,
  };

  it('significance rule: empty caution and watch are explained with the riskiest area', () => {
    const r = demandRiskQuadrants(city);
    expect(r).toMatchObject({ rule: 'significance', counts: [3, 0, 0, 9], hotCells: 3, areasWithIndex: 4, highRiskAreas: 0 });
    expect(emptyReasons(r, city.riskIndex, city.tier)).toEqual([
      { quadrant: 'caution', code: 'noHighRisk', params: { area: 3, riskIndex: 45, tier: 2 } },
      { quadrant: 'watch', code: 'noHighRisk', params: { area: 3, riskIndex: 45, tier: 2 } },
    ]);
  });

  it('median rule: demand above the median of cells with demand, risk above the median index', () => {
    const r = demandRiskQuadrants({ ...city, rule: 'median' });
    // demand > 0: 50 4 30 6 2 40 9 12 3 → median 9; risk median (20 + 40) / 2 = 30
    expect(r.demandThreshold).toBe(9);
    expect(r.riskThreshold).toBe(30);
    expect(Array.from(r.quadrant, (q) => QUADRANTS[q])).toEqual([
      'opportunity', 'other', 'other', 'opportunity', 'other', 'other', 'caution', 'watch', 'watch', 'caution', 'watch', 'watch',
    ]);
    expect(r.counts).toEqual([2, 2, 4, 4]);
    expect(r.highRiskAreas).toBe(2);
    expect(emptyReasons(r, city.riskIndex, city.tier)).toEqual([]);
  });

  it('explains each empty quadrant: no hot cells, all hot cells high risk, hot only in low-risk areas', () => {
    const cold = { ...city, classCode: new Uint8Array(12).fill(3), tier: Float64Array.of(1, 1, 2, 4) };
    const r = demandRiskQuadrants(cold);
    expect(emptyReasons(r, cold.riskIndex, cold.tier).map((e) => `${e.quadrant}:${e.code}`)).toEqual(['opportunity:noHot', 'caution:noHot']);
    const allHigh = { ...city, tier: Float64Array.of(3, 4, 3, 4) };
    expect(emptyReasons(demandRiskQuadrants(allHigh), allHigh.riskIndex, allHigh.tier)).toEqual([{ quadrant: 'opportunity', code: 'allHotHigh', params: { hot: 3 } }]);
    // area 3 is high risk but has no hot cell: the riskiest area WITH hot cells is area 2
    const onlyLow = { ...city, tier: Float64Array.of(1, 1, 2, 4) };
    expect(emptyReasons(demandRiskQuadrants(onlyLow), onlyLow.riskIndex, onlyLow.tier)).toEqual([
      { quadrant: 'caution', code: 'hotOnlyLow', params: { hot: 3, area: 2, riskIndex: 40, tier: 2 } },
    ]);
    const none = { ...city, riskIndex: new Float64Array(4).fill(NaN), tier: new Float64Array(4).fill(NaN) };
    expect(emptyReasons(demandRiskQuadrants(none), none.riskIndex, none.tier).map((e) => e.code)).toEqual(['noRisk', 'noRisk', 'noRisk']);
  });
});
