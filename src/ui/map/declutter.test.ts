import { describe, expect, it } from 'vitest';
import { labelBox, thinPoints, worldPx } from './declutter.ts';

describe('thinPoints', () => {
  // Three points 0.001° apart in longitude at 31° N: ~95 m, i.e. ~0.5 px at zoom 9, ~62 px at zoom 16.
  const lon = [121.470, 121.471, 121.472];
  const lat = [31.23, 31.23, 31.23];

  it('keeps the highest priority of points that would overlap, and every point once zoomed in', () => {
    expect(Array.from(thinPoints(lon, lat, [1, 3, 2], 9, 14))).toEqual([0, 1, 0]);
    expect(Array.from(thinPoints(lon, lat, [1, 3, 2], 16, 14))).toEqual([1, 1, 1]);
  });

  it('breaks ties by file order, so the result is stable', () => {
    expect(Array.from(thinPoints(lon, lat, [1, 1, 1], 9, 14))).toEqual([1, 0, 0]);
  });

  it('keeps symbols off a district name, whatever their priority', () => {
    const keep = thinPoints(lon, lat, [1, 3, 2], 16, 14, [{ lon: 121.471, lat: 31.23, ...labelBox('Huangpu') }]);
    // "Huangpu" at 13 px is ~55 px wide: the middle point (0 px) is under it, its neighbours (~62 px away) are not.
    expect(Array.from(keep)).toEqual([1, 0, 1]);
  });

  it('measures distance in MapLibre pixels (512-pixel world)', () => {
    const [x0] = worldPx(0, 0, 0);
    const [x1] = worldPx(180, 0, 0);
    expect(x1 - x0).toBeCloseTo(256, 6);
  });

  it('handles no points', () => {
    expect(thinPoints([], [], [], 10, 14).length).toBe(0);
  });
});
