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

  it('keeps symbols off every one of thousands of names (the bucketed boxes), exactly as a test of each box would', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const n = 400;
    const sLon = Array.from({ length: n }, () => 121.3 + rnd() * 0.3);
    const sLat = Array.from({ length: n }, () => 31.1 + rnd() * 0.3);
    const obstacles = Array.from({ length: 5000 }, (_, i) => ({ lon: 121.3 + rnd() * 0.3, lat: 31.1 + rnd() * 0.3, ...labelBox(`square ${i}`) }));
    for (const zoom of [9, 12, 15, 20]) { // at 20 the spread is wider than 512 cells of 128 px
      const kept = thinPoints(sLon, sLat, new Array(n).fill(1), zoom, 14, obstacles);
      // the reference: a point is under a name when it is inside any box; thinning among the rest
      const boxes = obstacles.map((o) => {
        const [x, y] = worldPx(o.lon, o.lat, zoom);
        return [x - o.halfW, x + o.halfW, y - o.halfH, y + o.halfH];
      });
      const free = sLon.map((lo, i) => {
        const [x, y] = worldPx(lo, sLat[i], zoom);
        return !boxes.some(([x0, x1, y0, y1]) => x >= x0 && x <= x1 && y >= y0 && y <= y1);
      });
      const freeIdx = free.flatMap((f, i) => (f ? [i] : []));
      const alone = thinPoints(freeIdx.map((i) => sLon[i]), freeIdx.map((i) => sLat[i]), new Array(freeIdx.length).fill(1), zoom, 14);
      const want = new Uint8Array(n);
      freeIdx.forEach((i, k) => (want[i] = alone[k]));
      expect(Array.from(kept)).toEqual(Array.from(want));
      if (zoom === 15) expect(freeIdx.length).toBeGreaterThan(0);
      if (zoom === 9) expect(freeIdx.length).toBeLessThan(n);
    }
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

describe('labelBox', () => {
  it('counts a CJK character (ideographs, compatibility ideographs, full-width forms) about twice as wide as a Latin one', () => {
    expect(labelBox('ab')).toEqual({ halfW: (2 * 13 * 0.6) / 2 + 4, halfH: 13 / 2 + 4 });
    expect(labelBox('黄浦区')).toEqual({ halfW: (3 * 13) / 2 + 4, halfH: 13 / 2 + 4 });
    expect(labelBox('\u2e80\uf900\uff01\u2e7f\ufff0', 10).halfW).toBeCloseTo((3 * 10 + 2 * 6) / 2 + 4, 9);
    // one code point outside the BMP counts once, as a Latin-width character
    expect(labelBox('\u{20000}', 10).halfW).toBeCloseTo(6 / 2 + 4, 9);
  });
});
