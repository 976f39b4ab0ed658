import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { allowedOutsideCircles, generateCandidates, maskWithin, pointCells } from './candidates.ts';
import { mulberry32 } from './rng.ts';
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

describe('pointCells', () => {
  it.each([
    ['Shanghai, res 9', 121.45, 31.2, 0.3, 9],
    ['Shanghai, res 10', 121.45, 31.2, 0.1, 10],
    ['Oslo, res 8', 10.75, 59.9, 0.5, 8],
    ['Reykjavík at 64° N, res 9', -21.9, 64.1, 0.2, 9],
    ['across the antimeridian, res 9', 179.95, -16.5, 0.2, 9],
    ['around the res-9 pentagon 89740000003ffff (2.30° N 5.25° W)', -5.245390296777323, 2.3008821116267595, 0.05, 9],
    ['around the res-9 pentagon 89300000003ffff (39.1° N 122.3° E), res 9', 122.30000040778702, 39.10000003397594, 0.05, 9],
    ['Svalbard at 78° N, res 9', 15.6, 78.2, 0.3, 9],
    ['beyond 80° N, res 9', 20, 81, 0.3, 9],
    ['around the North Pole, res 7', 0, 89.9, 0.2, 7],
  ])('assigns every point the cell latLngToCell gives it, in first-seen order (%s)', (_name, lon0, lat0, span, res) => {
    const rng = mulberry32(Math.round(lon0 * 100 + lat0));
    const n = 20_000;
    const lon = new Float64Array(n), lat = new Float64Array(n), weight = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // dense clusters (many points per cell) and a sprinkle everywhere
      const c = i % 3 === 0 ? 0 : (i % 7) / 7;
      let x = lon0 + (rng() - 0.5) * span * (c === 0 ? 1 : 0.1) + c * span * 0.3;
      if (x > 180) x -= 360;
      lon[i] = x;
      lat[i] = lat0 + (rng() - 0.5) * span * (c === 0 ? 1 : 0.1);
      weight[i] = 1 + (i % 4);
    }
    const got = pointCells({ lon, lat, weight }, res);
    // The reference: latLngToCell for every point, cells numbered as the points first reach them.
    const cells: string[] = [];
    const index = new Map<string, number>();
    const sums: number[] = [];
    for (let i = 0; i < n; i++) {
      const h = latLngToCell(lat[i], lon[i], res);
      let k = index.get(h);
      if (k === undefined) { k = cells.length; index.set(h, k); cells.push(h); sums.push(0); }
      expect(got.cellOf[i]).toBe(k);
      sums[k] += weight[i];
    }
    expect(got.cells).toEqual(cells);
    expect(Array.from(got.weight)).toEqual(sums);
  });
});
