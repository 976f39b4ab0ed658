import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M, haversineM } from './haversine.ts';
import { mulberry32 } from './rng.ts';
import { GridIndex, Hits } from './spatial-index.ts';

/** Degrees of longitude spanning `m` metres along the equator. */
const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

function randomPoints(seed: number, n: number, lon0: number, lat0: number, spanDeg: number) {
  const rng = mulberry32(seed);
  const lon = new Float64Array(n), lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lon[i] = lon0 + (rng() - 0.5) * spanDeg;
    lat[i] = Math.max(-90, Math.min(90, lat0 + (rng() - 0.5) * spanDeg));
    if (lon[i] > 180) lon[i] -= 360;
    if (lon[i] < -180) lon[i] += 360;
  }
  return { lon, lat };
}

function bruteWithin(p: { lon: Float64Array; lat: Float64Array }, lon: number, lat: number, r: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.lon.length; i++) if (haversineM(lon, lat, p.lon[i], p.lat[i]) <= r) out.push(i);
  return out;
}

describe('GridIndex.within', () => {
  it.each([
    ['Shanghai', 121.5, 31.2, 0.5, 1500],
    ['high latitude (Tromsø)', 18.9, 69.6, 0.8, 5000],
    ['across the antimeridian (Fiji)', 179.9, -17.7, 0.6, 8000],
    ['near the pole', 0, 89.9, 0.4, 20000],
  ])('matches brute force haversine ≤ R: %s', (_name, lon0, lat0, span, r) => {
    const pts = randomPoints(7, 3000, lon0, lat0, span);
    const index = new GridIndex(pts, r / 2);
    const queries = randomPoints(8, 60, lon0, lat0, span);
    const hits = new Hits(4);
    for (let q = 0; q < queries.lon.length; q++) {
      const n = index.within(queries.lon[q], queries.lat[q], r, hits);
      const got = Array.from(hits.index.subarray(0, n)).sort((a, b) => a - b);
      expect(got).toEqual(bruteWithin(pts, queries.lon[q], queries.lat[q], r));
      let maxErr = 0;
      for (let h = 0; h < n; h++) {
        const i = hits.index[h];
        maxErr = Math.max(maxErr, Math.abs(hits.distanceM[h] - haversineM(queries.lon[q], queries.lat[q], pts.lon[i], pts.lat[i])));
      }
      expect(maxErr).toBeLessThan(1e-6);
    }
  });

  it('includes a point at exactly distance R (distance ≤ R, as DESIGN.md says)', () => {
    const pts = { lon: new Float64Array([eqDeg(1500), eqDeg(1500.001)]), lat: new Float64Array([0, 0]) };
    const r = haversineM(0, 0, pts.lon[0], 0);
    const hits = new Hits();
    const n = new GridIndex(pts, 1000).within(0, 0, r, hits);
    expect(Array.from(hits.index.subarray(0, n))).toEqual([0]);
  });

  it('handles an empty index and a zero radius', () => {
    const hits = new Hits();
    expect(new GridIndex({ lon: [], lat: [] }).within(0, 0, 1000, hits)).toBe(0);
    const one = new GridIndex({ lon: [10], lat: [20] });
    expect(one.within(10, 20, 0, hits)).toBe(1);
    expect(one.within(10.001, 20, 0, hits)).toBe(0);
  });

  it('rejects arrays of different lengths and a non-positive cell', () => {
    expect(() => new GridIndex({ lon: [1, 2], lat: [1] })).toThrow(/lon has 2/);
    expect(() => new GridIndex({ lon: [1], lat: [1] }, 0)).toThrow(/cellM/);
  });
});

describe('GridIndex.withinByPosition', () => {
  it('gives the same hits in the same sequence as within(), as positions in `order`', () => {
    const { lon, lat } = randomPoints(12, 3000, 179.9, 10, 0.4);
    const idx = new GridIndex({ lon, lat }, 800);
    const a = new Hits(), b = new Hits();
    expect([...idx.order].sort((x, y) => x - y)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    const rng = mulberry32(2);
    for (let t = 0; t < 40; t++) {
      let x = 179.9 + (rng() - 0.5) * 0.4;
      if (x > 180) x -= 360;
      const y = 10 + (rng() - 0.5) * 0.4, r = 200 + rng() * 5000;
      const n = idx.within(x, y, r, a);
      expect(idx.withinByPosition(x, y, r, b)).toBe(n);
      for (let h = 0; h < n; h++) {
        expect(idx.order[b.index[h]]).toBe(a.index[h]);
        expect(b.distanceM[h]).toBe(a.distanceM[h]);
      }
    }
  });
});

describe('GridIndex.nearest', () => {
  it('finds the brute-force nearest, also far outside the first cell and with points skipped', () => {
    const pts = randomPoints(3, 500, 116.4, 39.9, 2);
    const index = new GridIndex(pts, 300);
    const skip = new Uint8Array(500);
    for (let i = 0; i < 500; i += 3) skip[i] = 1;
    const queries = randomPoints(4, 40, 116.4, 39.9, 5);
    for (let q = 0; q < 40; q++) {
      let best = -1, bestD = Infinity;
      for (let i = 0; i < 500; i++) {
        if (skip[i]) continue;
        const d = haversineM(queries.lon[q], queries.lat[q], pts.lon[i], pts.lat[i]);
        if (d < bestD) { bestD = d; best = i; }
      }
      expect(index.nearest(queries.lon[q], queries.lat[q], Infinity, skip)).toEqual({ index: best, distanceM: expect.closeTo(bestD, 6) });
    }
  });

  it('returns −1 / Infinity beyond maxDistanceM or when nothing is left', () => {
    const index = new GridIndex({ lon: [0], lat: [0] });
    expect(index.nearest(eqDeg(5000), 0, 4000)).toEqual({ index: -1, distanceM: Infinity });
    expect(index.nearest(eqDeg(5000), 0, Infinity, [1])).toEqual({ index: -1, distanceM: Infinity });
    expect(new GridIndex({ lon: [], lat: [] }).nearest(0, 0)).toEqual({ index: -1, distanceM: Infinity });
  });
});

describe('GridIndex.near', () => {
  it('returns every point within() finds (a superset, each once), across the antimeridian too', () => {
    const rng = mulberry32(21);
    for (const [lon0, lat0] of [[121.4, 31.2], [179.99, -16.5], [10, 70]]) {
      const n = 3000;
      const lon = Float64Array.from({ length: n }, () => { const x = lon0 + (rng() - 0.5) * 0.2; return x > 180 ? x - 360 : x; });
      const lat = Float64Array.from({ length: n }, () => lat0 + (rng() - 0.5) * 0.2);
      const index = new GridIndex({ lon, lat }, 500);
      const a = new Hits(), b = new Hits();
      let superset = 0;
      for (let q = 0; q < 200; q++) {
        const x = lon[q], y = lat[q], r = 100 + rng() * 1500;
        const na = index.within(x, y, r, a);
        const nb = index.near(x, y, r, b);
        const got = new Set(Array.from(b.index.subarray(0, nb)));
        expect(got.size).toBe(nb);
        for (let h = 0; h < na; h++) expect(got.has(a.index[h])).toBe(true);
        if (nb > na) superset++;
      }
      // it is unfiltered: the window's corners hold points beyond the radius
      expect(superset).toBeGreaterThan(0);
    }
  });
});
