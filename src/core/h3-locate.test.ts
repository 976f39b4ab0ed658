import { describe, expect, it } from 'vitest';
import { cellToBoundary, cellToLatLng, getPentagons, latLngToCell } from 'h3-js';
import { locatePoints } from './h3-locate.ts';
import { mulberry32 } from './rng.ts';

const DEG = 180 / Math.PI;

/** Every point's located cell equals latLngToCell's. */
function expectSameAsH3(lon: ArrayLike<number>, lat: ArrayLike<number>, resolutions: number[]): ReturnType<typeof locatePoints> {
  const got = locatePoints({ lon, lat }, resolutions);
  got.forEach((g, t) => {
    expect(g.resolution).toBe(resolutions[t]);
    let wrong = 0;
    const first: string[] = [];
    for (let i = 0; i < lon.length; i++) {
      const want = latLngToCell(lat[i], lon[i], resolutions[t]);
      if (g.cells[g.cellOf[i]] !== want) { wrong++; if (first.length < 3) first.push(`${lat[i]},${lon[i]} res ${resolutions[t]}: ${g.cells[g.cellOf[i]]} ≠ ${want}`); }
    }
    expect(first).toEqual([]);
    expect(wrong).toBe(0);
    // Cells are distinct and numbered in first-seen order.
    expect(new Set(g.cells).size).toBe(g.cells.length);
    let next = 0;
    for (let i = 0; i < lon.length; i++) if (g.cellOf[i] === next) next++; else expect(g.cellOf[i]).toBeLessThan(next);
    expect(next).toBe(g.cells.length);
  });
  return got;
}

describe('locatePoints', () => {
  it('equals latLngToCell on random points over the whole globe at every resolution', () => {
    const rng = mulberry32(11);
    const n = 4000;
    const lon = new Float64Array(n), lat = new Float64Array(n);
    for (let i = 0; i < n; i++) { lon[i] = rng() * 360 - 180; lat[i] = Math.asin(2 * rng() - 1) * DEG; }
    expectSameAsH3(lon, lat, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('asks h3-js once per distinct cell for clustered points (the cache works)', () => {
    const rng = mulberry32(3);
    const n = 30_000;
    const lon = new Float64Array(n), lat = new Float64Array(n);
    for (let i = 0; i < n; i++) { lon[i] = 121.4 + rng() * 0.05; lat[i] = 31.2 + rng() * 0.05; }
    const [r9, r8] = expectSameAsH3(lon, lat, [9, 8]);
    // Points within 1e-6 units² of a boundary go to h3-js too: a handful at most.
    expect(r9.lookups).toBeLessThan(r9.cells.length + 20);
    expect(r8.lookups).toBeLessThan(r8.cells.length + 20);
    expect(r9.lookups).toBeLessThan(n / 10);
  });

  it('equals latLngToCell on and next to cell edges and vertices', () => {
    const rng = mulberry32(5);
    const lon: number[] = [], lat: number[] = [];
    for (const res of [3, 8, 9, 12, 15]) {
      for (let c = 0; c < 40; c++) {
        const h = latLngToCell(Math.asin(2 * rng() - 1) * DEG, rng() * 360 - 180, res);
        const b = cellToBoundary(h);
        for (let e = 0; e < b.length; e++) {
          const [y0, x0] = b[e], [y1, x1] = b[(e + 1) % b.length];
          for (const t of [0, 0.5, 0.25]) {
            // the vertex, points along the edge, and those nudged across it by tiny amounts
            let dx = x1 - x0;
            if (dx > 180) dx -= 360; else if (dx < -180) dx += 360;
            const y = y0 + t * (y1 - y0), x = x0 + t * dx;
            for (const d of [0, 1e-13, -1e-13, 1e-11, -1e-9, 1e-7]) {
              lat.push(Math.max(-90, Math.min(90, y + d)));
              lon.push(((x - d + 540) % 360) - 180);
            }
          }
        }
      }
      const got = expectSameAsH3(lon, lat, [res]);
      // The points on the edges are decided by h3-js (near a boundary), yet every answer matches.
      expect(got[0].lookups).toBeGreaterThan(0);
      lon.length = 0; lat.length = 0;
    }
  });

  it('equals latLngToCell across icosahedron face edges, around the pentagons and at the poles', () => {
    const rng = mulberry32(9);
    const vertices = getPentagons(0).map((h) => cellToLatLng(h));
    const lon: number[] = [], lat: number[] = [];
    for (const [y, x] of vertices) {
      for (let q = 0; q < 300; q++) {
        const s = 10 ** (-1 - 6 * rng());
        lat.push(Math.max(-90, Math.min(90, y + (rng() - 0.5) * s)));
        lon.push(((x + (rng() - 0.5) * s + 540) % 360) - 180);
      }
    }
    // Midpoints of the icosahedron's edges (on the boundary between two faces) and points near them.
    for (let a = 0; a < 12; a++) for (let b = a + 1; b < 12; b++) {
      const [ya, xa] = vertices[a], [yb, xb] = vertices[b];
      const va = [Math.cos(ya / DEG) * Math.cos(xa / DEG), Math.cos(ya / DEG) * Math.sin(xa / DEG), Math.sin(ya / DEG)];
      const vb = [Math.cos(yb / DEG) * Math.cos(xb / DEG), Math.cos(yb / DEG) * Math.sin(xb / DEG), Math.sin(yb / DEG)];
      if (va[0] * vb[0] + va[1] * vb[1] + va[2] * vb[2] < 0) continue;
      for (const t of [0.5, 0.3, 0.7]) {
        const m = va.map((v, k) => v * (1 - t) + vb[k] * t);
        const l = Math.hypot(m[0], m[1], m[2]);
        const my = Math.asin(m[2] / l) * DEG, mx = Math.atan2(m[1], m[0]) * DEG;
        for (let q = 0; q < 40; q++) {
          const s = q === 0 ? 0 : 10 ** (-2 - 10 * rng());
          lat.push(my + (rng() - 0.5) * s);
          lon.push(mx + (rng() - 0.5) * s);
        }
      }
    }
    for (let q = 0; q < 400; q++) {
      lat.push((q % 2 ? 1 : -1) * (90 - 10 ** (-8 * rng())));
      lon.push(rng() * 360 - 180);
    }
    lat.push(90, -90, 0, 0); lon.push(0, 180, 180, -180);
    expectSameAsH3(lon, lat, [0, 1, 2, 5, 9, 10, 15]);
  });

  it('names a cell once when points reach it from two faces or first through its boundary', () => {
    const rng = mulberry32(21);
    const vertices = getPentagons(0).map((h) => cellToLatLng(h));
    const lon: number[] = [], lat: number[] = [];
    // Dense clusters on icosahedron edge midpoints and around two pentagons: cells there are
    // seen from both faces, many points each.
    for (let a = 0; a < 12; a++) for (let b = a + 1; b < 12; b++) {
      const [ya, xa] = vertices[a], [yb, xb] = vertices[b];
      const va = [Math.cos(ya / DEG) * Math.cos(xa / DEG), Math.cos(ya / DEG) * Math.sin(xa / DEG), Math.sin(ya / DEG)];
      const vb = [Math.cos(yb / DEG) * Math.cos(xb / DEG), Math.cos(yb / DEG) * Math.sin(xb / DEG), Math.sin(yb / DEG)];
      if (va[0] * vb[0] + va[1] * vb[1] + va[2] * vb[2] < 0 || lon.length > 40_000) continue;
      const m = va.map((v, k) => (v + vb[k]) / 2);
      const l = Math.hypot(m[0], m[1], m[2]);
      const my = Math.asin(m[2] / l) * DEG, mx = Math.atan2(m[1], m[0]) * DEG;
      for (let q = 0; q < 4000; q++) { lat.push(my + (rng() - 0.5) * 0.03); lon.push(mx + (rng() - 0.5) * 0.03); }
    }
    for (const [y, x] of vertices.slice(0, 2)) {
      for (let q = 0; q < 4000; q++) { lat.push(y + (rng() - 0.5) * 0.03); lon.push(x + (rng() - 0.5) * 0.03); }
    }
    // Cells in the demo city's region whose first points are their vertices (decided by h3-js),
    // then their centres and insides.
    for (let c = 0; c < 30; c++) {
      const h = latLngToCell(31.1 + rng() * 0.2, 121.3 + rng() * 0.3, 9);
      for (const [y, x] of cellToBoundary(h)) { lat.push(y); lon.push(x); }
      const [y, x] = cellToLatLng(h);
      for (let q = 0; q < 20; q++) { lat.push(y + (rng() - 0.5) * 1e-3); lon.push(x + (rng() - 0.5) * 1e-3); }
    }
    const got = expectSameAsH3(lon, lat, [9, 10, 7]);
    // Still about one h3-js call per cell.
    for (const g of got) expect(g.lookups).toBeLessThan(1.2 * g.cells.length + 400);
  });

  it('throws on coordinates latLngToCell rejects, as it does', () => {
    expect(() => locatePoints({ lon: [121.4, NaN], lat: [31.2, 31.2] }, [9])).toThrow();
    expect(() => locatePoints({ lon: [121.4], lat: [Infinity] }, [9])).toThrow();
    expect(() => locatePoints({ lon: [121.4], lat: [31.2] }, [16])).toThrow(RangeError);
  });
});
