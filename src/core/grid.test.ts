import { describe, expect, it } from 'vitest';
import { cellToParent, gridDisk, latLngToCell, polygonToCells } from 'h3-js';
import type { Polygon } from 'geojson';
import {
  assignCells, bigintToH3, buildStudyGrid, cellCentres, gridNeighbours, h3ToBigint, h3ToUbigintArray,
  locateCells, neighboursFromLists, studyCellIndexOf, studyGridFromCells, ubigintToH3Array, withoutSelf,
} from './grid.ts';
import { mulberry32 } from './rng.ts';

/** A lon/lat rectangle as a GeoJSON polygon (counter-clockwise outer ring). */
function rect(west: number, south: number, east: number, north: number): Polygon {
  return { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] };
}
const sortedCells = (cells: string[]) => [...new Set(cells)].sort();

describe('cell conversions', () => {
  const cell = latLngToCell(31.2304, 121.4737, 8);
  it('round-trips h3 strings and UBIGINT bigints', () => {
    expect(h3ToBigint(cell)).toBe(BigInt('0x' + cell));
    expect(bigintToH3(h3ToBigint(cell))).toBe(cell);
  });
  it('converts arrays without BigInt arithmetic, at every resolution', () => {
    const cells = [0, 1, 5, 8, 9, 15].map((r) => latLngToCell(31.2304, 121.4737, r));
    const big = h3ToUbigintArray(cells);
    expect(Array.from(big)).toEqual(cells.map((c) => BigInt('0x' + c)));
    expect(ubigintToH3Array(big)).toEqual(cells);
    expect(h3ToUbigintArray([])).toEqual(new BigUint64Array(0));
  });
});

describe('assignCells', () => {
  it('equals latLngToCell for random points, and writes 0 for unusable coordinates', () => {
    const rng = mulberry32(5);
    const lon = Float64Array.from({ length: 500 }, () => 120.9 + rng() * 1.2);
    const lat = Float64Array.from({ length: 500 }, () => 30.7 + rng() * 1.1);
    lon[7] = NaN;
    lat[9] = Infinity;
    const out = assignCells(lon, lat, 8);
    for (let i = 0; i < 500; i++) {
      const want = i === 7 || i === 9 ? 0n : BigInt('0x' + latLngToCell(lat[i], lon[i], 8));
      expect(out[i]).toBe(want);
    }
  });
  it('fills only [start, end) of a given output (for splitting work between workers)', () => {
    const out = new BigUint64Array(4);
    assignCells([121.4, 121.5, 121.6, 121.7], [31.1, 31.2, 31.3, 31.4], 7, out, 1, 3);
    expect(out[0]).toBe(0n);
    expect(out[1]).toBe(h3ToBigint(latLngToCell(31.2, 121.5, 7)));
    expect(out[3]).toBe(0n);
  });
  it('rejects a bad resolution or mismatched columns', () => {
    expect(() => assignCells([1], [1], 16)).toThrow(/0 to 15/);
    expect(() => assignCells([1, 2], [1], 8)).toThrow(/differ in length/);
  });
});

describe('buildStudyGrid', () => {
  const a = rect(121.40, 31.20, 121.45, 31.24);
  it('is polygonToCells of the area, ascending, each cell once', () => {
    const g = buildStudyGrid([{ geometry: a }], 8);
    const want = sortedCells(polygonToCells(a.coordinates, 8, true));
    expect(want.length).toBeGreaterThan(10);
    expect(g.h3).toEqual(want);
    expect(ubigintToH3Array(g.cells)).toEqual(want);
    expect(g.resolution).toBe(8);
    expect(Array.from(g.areaCellCount)).toEqual([want.length]);
  });
  it('defaults to resolution 8', () => {
    expect(buildStudyGrid([{ geometry: a }]).resolution).toBe(8);
  });
  it('gives a cell produced by two areas to the first in file order', () => {
    const b = rect(121.43, 31.20, 121.48, 31.24); // overlaps a on 121.43–121.45
    const g = buildStudyGrid([{ geometry: a }, { geometry: b }], 8);
    const cellsA = new Set(polygonToCells(a.coordinates, 8, true));
    const cellsB = new Set(polygonToCells(b.coordinates, 8, true));
    const shared = [...cellsA].filter((c) => cellsB.has(c));
    expect(shared.length).toBeGreaterThan(0);
    expect(g.h3).toEqual(sortedCells([...cellsA, ...cellsB]));
    g.h3.forEach((c, i) => expect(g.areaIndex[i]).toBe(cellsA.has(c) ? 0 : 1));
    // and the other way round when the file order is reversed
    const g2 = buildStudyGrid([{ geometry: b }, { geometry: a }], 8);
    for (const c of shared) expect(g2.areaIndex[studyCellIndexOf(g2, c)]).toBe(0);
    expect(g.areaCellCount[0] + g.areaCellCount[1]).toBe(g.h3.length);
  });
  it('handles a MultiPolygon part by part and respects holes', () => {
    const hole = [[121.415, 31.21], [121.415, 31.23], [121.435, 31.23], [121.435, 31.21], [121.415, 31.21]];
    const withHole: Polygon = { type: 'Polygon', coordinates: [a.coordinates[0], hole] };
    const far = rect(121.60, 31.30, 121.63, 31.33);
    const g = buildStudyGrid([{ geometry: { type: 'MultiPolygon', coordinates: [withHole.coordinates, far.coordinates] } }], 8);
    const want = sortedCells([...polygonToCells(withHole.coordinates, 8, true), ...polygonToCells(far.coordinates, 8, true)]);
    expect(g.h3).toEqual(want);
    const holeCells = polygonToCells([hole], 8, true);
    expect(holeCells.length).toBeGreaterThan(0);
    for (const c of holeCells) expect(studyCellIndexOf(g, c)).toBe(-1);
  });
  it('an area smaller than a cell has no study cell (and is counted as such)', () => {
    const tiny = rect(121.5, 31.5, 121.5001, 31.5001);
    const g = buildStudyGrid([{ geometry: a }, { geometry: tiny }], 8);
    expect(g.areaCellCount[1]).toBe(0);
  });
  it('empty input gives an empty grid; a non-polygon geometry is an error naming the area', () => {
    expect(buildStudyGrid([], 8).cells.length).toBe(0);
    expect(() => buildStudyGrid([{ geometry: a }, { geometry: { type: 'Point', coordinates: [0, 0] } as never }], 8)).toThrow(/area 2: .*Point/);
  });
});

describe('locateCells and studyCellIndexOf', () => {
  const centre = latLngToCell(31.23, 121.47, 8);
  const g = studyGridFromCells(gridDisk(centre, 2), 8);
  it('finds every study cell and counts the rest as outside', () => {
    const inside = gridDisk(centre, 2);
    const outsideCells = gridDisk(centre, 4).filter((c) => !inside.includes(c));
    const other = [cellToParent(centre, 7), latLngToCell(31.23, 121.47, 9)]; // other resolutions
    const query = h3ToUbigintArray([...inside, ...outsideCells, ...other]);
    const withNull = new BigUint64Array(query.length + 1);
    withNull.set(query);
    const r = locateCells(g, withNull);
    inside.forEach((c, i) => expect(g.h3[r.index[i]]).toBe(c));
    for (let i = inside.length; i < withNull.length; i++) expect(r.index[i]).toBe(-1);
    expect(r.outside).toBe(outsideCells.length + other.length + 1);
  });
  it('looks up strings and bigints', () => {
    expect(g.h3[studyCellIndexOf(g, centre)]).toBe(centre);
    expect(g.h3[studyCellIndexOf(g, h3ToBigint(centre))]).toBe(centre);
    expect(studyCellIndexOf(g, cellToParent(centre, 7))).toBe(-1);
  });
  it('refuses a cell of another resolution when building from cells', () => {
    expect(() => studyGridFromCells([centre, cellToParent(centre, 7)], 8)).toThrow(/not an H3 cell of resolution 8/);
  });
});

describe('gridNeighbours', () => {
  const centre = latLngToCell(31.23, 121.47, 8);
  const g = studyGridFromCells(gridDisk(centre, 2), 8); // 19 cells
  const row = (nb: ReturnType<typeof gridNeighbours>, i: number) => Array.from(nb.indices.subarray(nb.offsets[i], nb.offsets[i + 1]));
  it('includes self, is sorted, and is restricted to study cells', () => {
    const nb = gridNeighbours(g, 1);
    expect(nb.offsets.length).toBe(20);
    const c = studyCellIndexOf(g, centre);
    expect(row(nb, c).map((j) => g.h3[j])).toEqual([...gridDisk(centre, 1)].sort());
    for (let i = 0; i < 19; i++) {
      const r = row(nb, i);
      expect(r).toContain(i);
      expect(r).toEqual([...r].sort((x, y) => x - y));
    }
    // the 12 cells of ring 2 are at the border: 4 (corners) or 5 neighbours + self... all < 7
    const ring2 = gridDisk(centre, 2).filter((x) => !gridDisk(centre, 1).includes(x));
    for (const x of ring2) expect(row(nb, studyCellIndexOf(g, x)).length).toBeLessThan(7);
  });
  it('rings = 2 reaches the whole patch from the centre; rings = 0 is self only', () => {
    expect(row(gridNeighbours(g, 2), studyCellIndexOf(g, centre)).length).toBe(19);
    const nb0 = gridNeighbours(g, 0);
    for (let i = 0; i < 19; i++) expect(row(nb0, i)).toEqual([i]);
    expect(() => gridNeighbours(g, -1)).toThrow(/rings/);
  });
  it('defaults to one ring; withoutSelf and neighboursFromLists round-trip', () => {
    const nb = gridNeighbours(g);
    const lists = Array.from({ length: 19 }, (_, i) => row(nb, i).filter((j) => j !== i));
    const ns = withoutSelf(nb);
    expect(ns).toEqual(neighboursFromLists(lists));
  });
  it('cellCentres gives lon/lat in degrees near the patch', () => {
    const { lon, lat } = cellCentres(g);
    for (let i = 0; i < 19; i++) {
      expect(Math.abs(lon[i] - 121.47)).toBeLessThan(0.03);
      expect(Math.abs(lat[i] - 31.23)).toBeLessThan(0.03);
    }
  });
});
