import { describe, expect, it } from 'vitest';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { assignPointsToAreas, buildAreaIndex, locatePoint, type AreaPolygons } from './point-in-area.ts';
import { mulberry32 } from './rng.ts';

const square = (x0: number, y0: number, s: number): number[][] => [
  [x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0],
];

describe('point-in-area', () => {
  it('handles holes and multipolygons (hand-checked)', () => {
    const withHole: AreaPolygons = [[square(0, 0, 10), square(4, 4, 2)]];
    const twoParts: AreaPolygons = [[square(20, 0, 2)], [square(30, 0, 2)]];
    const idx = buildAreaIndex([withHole, twoParts]);
    expect(locatePoint(idx, 1, 1)).toBe(0);
    expect(locatePoint(idx, 5, 5)).toBe(-1); // in the hole
    expect(locatePoint(idx, 21, 1)).toBe(1);
    expect(locatePoint(idx, 31, 1)).toBe(1);
    expect(locatePoint(idx, 25, 1)).toBe(-1); // between the parts
    expect(locatePoint(idx, -50, 80)).toBe(-1);
  });

  it('first area in input order wins where areas overlap', () => {
    const idx = buildAreaIndex([[[square(0, 0, 10)]], [[square(5, 5, 10)]]]);
    expect(locatePoint(idx, 7, 7)).toBe(0);
    expect(locatePoint(idx, 12, 12)).toBe(1);
  });

  it('empty input: every point is outside', () => {
    const idx = buildAreaIndex([]);
    expect(Array.from(assignPointsToAreas(idx, [1, 2], [3, 4]))).toEqual([-1, -1]);
  });

  it('agrees with turf on a jagged star polygon with a hole (10k random points)', () => {
    const rnd = mulberry32(7);
    const star: number[][] = [];
    for (let i = 0; i < 200; i++) {
      const a = (i / 200) * 2 * Math.PI;
      const r = i % 2 === 0 ? 0.05 : 0.02 + 0.02 * rnd();
      star.push([121.4 + r * Math.cos(a), 31.2 + r * Math.sin(a)]);
    }
    star.push(star[0]);
    const hole = square(121.395, 31.195, 0.01).reverse();
    const areas: AreaPolygons[] = [[[star, hole]]];
    const idx = buildAreaIndex(areas);
    const poly = { type: 'Polygon' as const, coordinates: [star, hole] };
    let mismatches = 0;
    let inside = 0;
    for (let i = 0; i < 10_000; i++) {
      const p = [121.34 + 0.12 * rnd(), 31.14 + 0.12 * rnd()];
      const ours = locatePoint(idx, p[0], p[1]) === 0;
      const turf = booleanPointInPolygon(p, poly, { ignoreBoundary: true });
      if (ours !== turf) mismatches++;
      if (ours) inside++;
    }
    expect(mismatches).toBe(0);
    expect(inside).toBeGreaterThan(500);
  });
});
