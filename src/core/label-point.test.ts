import { describe, expect, it } from 'vitest';
import { labelPoint } from './label-point.ts';

describe('labelPoint', () => {
  it('is the centroid of a square', () => {
    const sq: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] };
    expect(labelPoint(sq)).toEqual([1, 1]);
  });
  it('stays inside a C shape whose centroid is outside', () => {
    // A "C": outer 0..3 × 0..3 minus the notch 1..3 × 1..2; centroid ≈ (1.36, 1.5) is in the notch.
    const c: GeoJSON.Polygon = {
      type: 'Polygon',
      coordinates: [[[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]],
    };
    const [x, y] = labelPoint(c)!;
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(1);
    expect(y).toBeCloseTo(1.5, 6);
  });
  it('uses the largest part of a MultiPolygon', () => {
    const mp: GeoJSON.MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [[[10, 10], [10.1, 10], [10.1, 10.1], [10, 10.1], [10, 10]]],
        [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]],
      ],
    };
    expect(labelPoint(mp)).toEqual([2, 2]);
  });
  it('returns null for a point', () => {
    expect(labelPoint({ type: 'Point', coordinates: [1, 2] })).toBeNull();
  });
});
