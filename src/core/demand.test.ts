import { describe, expect, it } from 'vitest';
import { gridDisk, latLngToCell } from 'h3-js';
import {
  DEFAULT_AGE_BANDS, aggregateByCell, totalsByStudyCell, customerMask, nearestSiteDistanceM, penetration, populationPotential, underServedDemand,
} from './demand.ts';
import { giStar } from './getis-ord.ts';
import { h3ToUbigintArray, neighboursFromLists, studyCellIndexOf, studyGridFromCells } from './grid.ts';
import { haversineM } from './haversine.ts';
import { mulberry32 } from './rng.ts';

// Six customers over three study cells; customer 4 is outside the study area (−1).
const cellIndex = Int32Array.of(0, 0, 2, 1, -1, 2);
const balance = Float64Array.of(100, 50, 10, NaN, 999, 5);
const segment = ['retail', 'sme', 'retail', 'retail', 'retail', null];
const age = Float64Array.of(22, 35, 64, 29, 40, NaN);
const digital = Float64Array.of(1, 0, 1, 1, 1, 0);

describe('aggregateByCell', () => {
  it('counts customers per cell, zeros included, and reports those outside', () => {
    const r = aggregateByCell(cellIndex, 4);
    expect(Array.from(r.values)).toEqual([2, 1, 2, 0]);
    expect(r).toMatchObject({ used: 5, outside: 1, filteredOut: 0, missingValue: 0 });
  });
  it('sums a column, leaving out (and counting) missing values', () => {
    const r = aggregateByCell(cellIndex, 3, { value: balance });
    expect(Array.from(r.values)).toEqual([150, 0, 15]);
    expect(r).toMatchObject({ used: 4, outside: 1, missingValue: 1 });
  });
  it('applies a mask', () => {
    const mask = Uint8Array.of(1, 0, 1, 1, 1, 0);
    const r = aggregateByCell(cellIndex, 3, { mask });
    expect(Array.from(r.values)).toEqual([1, 1, 1]);
    expect(r).toMatchObject({ used: 3, outside: 1, filteredOut: 2 });
  });
  it('no customers at all: every cell 0', () => {
    expect(Array.from(aggregateByCell(new Int32Array(0), 2).values)).toEqual([0, 0]);
  });
  it('rejects columns of the wrong length', () => {
    expect(() => aggregateByCell(cellIndex, 3, { value: [1, 2] })).toThrow(/2 rows/);
  });
});

describe('totalsByStudyCell (the DuckDB GROUP BY path)', () => {
  it('scatters totals onto the grid, zeros included, and sums what falls outside', () => {
    const centre = latLngToCell(31.23, 121.47, 8);
    const grid = studyGridFromCells(gridDisk(centre, 1), 8);
    const outsideCell = gridDisk(centre, 2).find((c) => studyCellIndexOf(grid, c) < 0)!;
    const r = totalsByStudyCell(grid, h3ToUbigintArray([centre, outsideCell, grid.h3[0]]), [12, 5, 3]);
    expect(r.values.length).toBe(7);
    expect(r.values[studyCellIndexOf(grid, centre)]).toBe(12);
    expect(r.values[0]).toBe(grid.h3[0] === centre ? 15 : 3);
    expect(r.values.reduce((a, b) => a + b, 0)).toBe(15);
    expect(r).toMatchObject({ outsideCells: 1, outsideTotal: 5 });
  });
});

describe('customerMask', () => {
  it('keeps everyone without filters', () => {
    expect(Array.from(customerMask(3))).toEqual([1, 1, 1]);
  });
  it('filters by segment (a missing segment fails)', () => {
    expect(Array.from(customerMask(6, { segment: { values: segment, allowed: ['retail'] } }))).toEqual([1, 0, 1, 1, 1, 0]);
  });
  it('filters by age band, lower bound inclusive, upper exclusive, NaN fails', () => {
    const young = DEFAULT_AGE_BANDS.filter((b) => b.label === '18-29');
    expect(Array.from(customerMask(6, { age: { values: age, bands: young } }))).toEqual([1, 0, 0, 1, 0, 0]);
    const two = [{ label: '30-44', minYears: 30, maxYears: 45 }, { label: '60+', minYears: 60 }];
    expect(Array.from(customerMask(6, { age: { values: age, bands: two } }))).toEqual([0, 1, 1, 0, 1, 0]);
    expect(Array.from(customerMask(2, { age: { values: [29.99, 30], bands: young } }))).toEqual([1, 0]);
  });
  it('combines filters with AND', () => {
    const m = customerMask(6, {
      segment: { values: segment, allowed: ['retail'] },
      digitalActive: { values: digital, equals: 1 },
      age: { values: age, bands: DEFAULT_AGE_BANDS.slice(0, 2) },
    });
    expect(Array.from(m)).toEqual([1, 0, 0, 1, 1, 0]);
  });
  it('a filter that matches nothing gives all-zero cells, which Gi* reports as S = 0', () => {
    const mask = customerMask(6, { segment: { values: segment, allowed: ['private-banking'] } });
    const agg = aggregateByCell(cellIndex, 3, { mask });
    expect(Array.from(agg.values)).toEqual([0, 0, 0]);
    expect(agg.filteredOut).toBe(6);
    const g = giStar(agg.values, neighboursFromLists([[0, 1], [0, 1, 2], [1, 2]]));
    expect(g.warnings[0].code).toBe('zero_variance');
    expect(Array.from(g.classCode)).toEqual([3, 3, 3]);
  });
});

describe('population potential and penetration', () => {
  it('spreads each area population evenly over its study cells', () => {
    // area 0 has cells 0, 1, 3; area 1 has cell 2; area 2 has no population figure
    const pot = populationPotential(Int32Array.of(0, 0, 1, 0, 2), [300, 50, NaN]);
    expect(Array.from(pot.subarray(0, 4))).toEqual([100, 100, 50, 100]);
    expect(Number.isNaN(pot[4])).toBe(true);
  });
  it('penetration = customers / potential, NaN where potential is 0 or missing', () => {
    const p = penetration([10, 5, 3, 1], [100, 0, NaN, 4]);
    expect(p[0]).toBe(0.1);
    expect(Number.isNaN(p[1])).toBe(true);
    expect(Number.isNaN(p[2])).toBe(true);
    expect(p[3]).toBe(0.25);
  });
});

describe('nearest site and under-served demand', () => {
  it('nearest distance equals brute force on random points', () => {
    const rng = mulberry32(9);
    const px = Float64Array.from({ length: 300 }, () => 121 + rng());
    const py = Float64Array.from({ length: 300 }, () => 31 + rng());
    const sx = Float64Array.from({ length: 40 }, () => 121 + rng());
    const sy = Float64Array.from({ length: 40 }, () => 31 + rng());
    const d = nearestSiteDistanceM(px, py, sx, sy);
    for (let i = 0; i < 300; i++) {
      let best = Infinity;
      for (let j = 0; j < 40; j++) best = Math.min(best, haversineM(px[i], py[i], sx[j], sy[j]));
      expect(d[i]).toBe(best);
    }
  });
  it('counts demand farther than R, a cell exactly at R being served', () => {
    // one site at the origin of a small east-west line of cells
    const site = [121.5, 31.2];
    const lon = [121.5, 121.51, 121.52, 121.53];
    const lat = [31.2, 31.2, 31.2, 31.2];
    const atCell2 = haversineM(site[0], site[1], lon[2], lat[2]);
    const r = underServedDemand(lon, lat, [5, 6, 7, 8], [site[0]], [site[1]], atCell2);
    expect(Array.from(r.underServed)).toEqual([0, 0, 0, 8]);
    expect(r.underServedTotal).toBe(8);
    expect(r.demandTotal).toBe(26);
    expect(r.nearestSiteM[2]).toBe(atCell2);
  });
  it('without sites every demand is under-served', () => {
    const r = underServedDemand([121], [31], [4], [], [], 1500);
    expect(r.nearestSiteM[0]).toBe(Infinity);
    expect(r.underServedTotal).toBe(4);
  });
  it('rejects a negative or missing radius', () => {
    expect(() => underServedDemand([121], [31], [4], [], [], -1)).toThrow(/metres/);
    expect(() => underServedDemand([121], [31], [4], [], [], NaN)).toThrow(/metres/);
  });
});
