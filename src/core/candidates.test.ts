import { describe, expect, it } from 'vitest';
import { allowedOutsideCircles, generateCandidates, maskWithin } from './candidates.ts';
import { EARTH_RADIUS_M, haversineM } from './haversine.ts';

const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

describe('generateCandidates', () => {
  it('keeps cell centres farther than R/2 from every existing site', () => {
    const xs = [0, 500, 749, 751, 1000, 3000];
    const cells = { lon: xs.map(eqDeg), lat: xs.map(() => 0) };
    const g = generateCandidates(cells, { lon: [0], lat: [0] }, 1500);
    expect(Array.from(g.cellIndex)).toEqual([3, 4, 5]);
    expect(Array.from(g.lon)).toEqual([751, 1000, 3000].map(eqDeg));
  });

  it('drops a centre at exactly R/2: "farther than" is strict', () => {
    const cells = { lon: [eqDeg(750)], lat: [0] };
    const radiusM = 2 * haversineM(0, 0, cells.lon[0], 0);
    expect(generateCandidates(cells, { lon: [0], lat: [0] }, radiusM).cellIndex.length).toBe(0);
    expect(generateCandidates(cells, { lon: [0], lat: [0] }, radiusM - 1e-6).cellIndex.length).toBe(1);
  });

  it('takes every centre when there are no existing sites, none when there are no cells', () => {
    expect(generateCandidates({ lon: [1, 2], lat: [3, 4] }, { lon: [], lat: [] }, 1500).cellIndex).toEqual(new Int32Array([0, 1]));
    expect(generateCandidates({ lon: [], lat: [] }, { lon: [0], lat: [0] }, 1500).cellIndex.length).toBe(0);
    expect(() => generateCandidates({ lon: [], lat: [] }, { lon: [], lat: [] }, -1)).toThrow(/radiusM/);
  });
});

describe('masks', () => {
  it('maskWithin takes one distance or one per site', () => {
    const pts = { lon: [0, 400, 900].map(eqDeg), lat: [0, 0, 0] };
    expect(Array.from(maskWithin(pts, { lon: [0], lat: [0] }, 500))).toEqual([1, 1, 0]);
    expect(Array.from(maskWithin(pts, { lon: [0, eqDeg(900)], lat: [0, 0] }, [100, 10]))).toEqual([1, 0, 1]);
  });

  it('allowedOutsideCircles excludes candidates inside any zone', () => {
    const pts = { lon: [0, 400, 900, 3000].map(eqDeg), lat: [0, 0, 0, 0] };
    expect(Array.from(allowedOutsideCircles(pts, { lon: [0, eqDeg(3000)], lat: [0, 0], radiusM: [450, 1] }))).toEqual([0, 0, 1, 0]);
  });
});
