import { describe, expect, it } from 'vitest';
import { cellToBoundary, latLngToCell } from 'h3-js';
import { mulberry32 as rng } from './rng.ts';
import { assignCells, ubigintToH3Array } from './grid.ts';

function viaAssign(res: number, lon: number[], lat: number[]): string[] {
  return ubigintToH3Array(assignCells(lon, lat, res));
}

/** Points scattered in a box, some of them repeated (as geocoded customers are). */
function scatter(seed: number, n: number, lon0: number, lat0: number, span: number): { lon: number[]; lat: number[] } {
  const r = rng(seed);
  const lon: number[] = [];
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    lon.push(lon0 + (r() - 0.5) * span);
    lat.push(lat0 + (r() - 0.5) * span);
  }
  return { lon, lat };
}

/**
 * Points just inside and just outside the edges of cells: on each edge of each cell, at a
 * random position along it, moved off it by 10⁻¹² … 10⁻³ degrees, both ways, and each vertex.
 */
function nearEdges(seed: number, cells: readonly string[]): { lon: number[]; lat: number[] } {
  const r = rng(seed);
  const lon: number[] = [];
  const lat: number[] = [];
  for (const h of cells) {
    const v = cellToBoundary(h);
    for (let e = 0; e < v.length; e++) {
      const [y1, x1] = v[e];
      const [y2, x2] = v[(e + 1) % v.length];
      lon.push(x1);
      lat.push(y1);
      for (let k = 0; k < 6; k++) {
        const t = r();
        const x = x1 + t * (x2 - x1);
        const y = y1 + t * (y2 - y1);
        const len = Math.hypot(x2 - x1, y2 - y1);
        const off = 10 ** -(3 + 9 * r());
        for (const side of [-1, 1]) {
          lon.push(x + (side * off * -(y2 - y1)) / len);
          lat.push(y + (side * off * (x2 - x1)) / len);
        }
      }
    }
  }
  return { lon, lat };
}

describe('assignCells gives exactly latLngToCell', () => {
  const places: [string, number, number][] = [
    ['Shanghai', 121.47, 31.23],
    ['Harbin', 126.63, 45.75],
    ['Singapore', 103.85, 1.29],
    ['Reykjavik', -21.9, 64.14],
    ['Buenos Aires', -58.38, -34.6],
    ['antimeridian (Fiji)', 179.99, -16.5],
  ];
  for (let res = 5; res <= 12; res++) {
    it(`at resolution ${res}: scattered points and points next to cell edges`, () => {
      for (const [, lon0, lat0] of places) {
        // a span of ~40 cells, so cells repeat and the per-cell cache is used
        const span = (40 * [8.5, 3.2, 1.2, 0.46, 0.17, 0.066, 0.025, 0.0094][res - 5]) / 111;
        const p = scatter(res * 1000 + Math.round(lon0), 4000, lon0, lat0, span);
        expect(viaAssign(res, p.lon, p.lat)).toEqual(p.lon.map((x, i) => latLngToCell(p.lat[i], x, res)));
        const cells = [...new Set(p.lon.slice(0, 40).map((x, i) => latLngToCell(p.lat[i], x, res)))];
        const q = nearEdges(res, cells);
        expect(viaAssign(res, q.lon, q.lat)).toEqual(q.lon.map((x, i) => latLngToCell(q.lat[i], x, res)));
      }
    });
  }

  it('a city of 200,000 points', () => {
    const p = scatter(7, 200_000, 121.47, 31.23, 0.6);
    expect(viaAssign(8, p.lon, p.lat)).toEqual(p.lon.map((x, i) => latLngToCell(p.lat[i], x, 8)));
  });

  it('non-finite coordinates give H3_NULL (0), poles and every resolution as h3-js', () => {
    const lon = [Number.NaN, 10, Infinity, 0, 45];
    const lat = [10, Number.NaN, 10, 89.9, -85];
    for (const res of [0, 4, 8, 13, 15]) {
      const cells = assignCells(lon, lat, res);
      expect(cells[0]).toBe(0n);
      expect(cells[1]).toBe(0n);
      expect(cells[2]).toBe(0n);
      expect(ubigintToH3Array(cells.subarray(3))).toEqual([latLngToCell(89.9, 0, res), latLngToCell(-85, 45, res)]);
    }
  });

  it('writes only its slice of the output', () => {
    const p = scatter(11, 5000, 121.47, 31.23, 0.3);
    const out = new BigUint64Array(5000);
    assignCells(p.lon, p.lat, 9, out, 1000, 4000);
    const h = ubigintToH3Array(out);
    for (let i = 0; i < 5000; i++) {
      expect(h[i]).toBe(i >= 1000 && i < 4000 ? latLngToCell(p.lat[i], p.lon[i], 9) : '0');
    }
  });
});
