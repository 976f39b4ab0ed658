import { describe, expect, it } from 'vitest';
import { assignCells } from '../../core/grid.ts';
import { mulberry32 } from '../../core/rng.ts';
import { aggregateDemandCells, cellTotalsFromDemandCells, parseCell, type PointBatch } from './demand-cells.ts';

const assign = async (lon: Float64Array, lat: Float64Array, r: number) => assignCells(lon, lat, r);

/** n random customers around Shanghai: two sums (the second often empty) and two groups. */
function customers(n: number, seed: number) {
  const rnd = mulberry32(seed);
  const lon = Float64Array.from({ length: n }, () => 121.3 + rnd() * 0.3);
  const lat = Float64Array.from({ length: n }, () => 31.1 + rnd() * 0.2);
  const a = Float64Array.from({ length: n }, () => Math.round(rnd() * 1e6) / 100);
  const b = Float64Array.from({ length: n }, () => (rnd() < 0.3 ? NaN : Math.floor(rnd() * 90)));
  const g0 = Int32Array.from({ length: n }, () => Math.floor(rnd() * 4)); // 0 = empty, 1..3
  const g1 = Int32Array.from({ length: n }, () => 1 + Math.floor(rnd() * 2));
  return { lon, lat, a, b, g0, g1 };
}

async function* inBatches(c: ReturnType<typeof customers>, size: number): AsyncGenerator<PointBatch> {
  for (let s = 0; s < c.lon.length; s += size) {
    const e = Math.min(c.lon.length, s + size);
    yield { lon: c.lon.slice(s, e), lat: c.lat.slice(s, e), sums: [c.a.slice(s, e), c.b.slice(s, e)], groups: [c.g0.slice(s, e), c.g1.slice(s, e)] };
  }
}

describe('aggregateDemandCells', () => {
  it('equals a row-by-row GROUP BY (cell, groups) with count, sums and non-empty counts, across batch sizes and table growth', async () => {
    const c = customers(20_000, 7);
    // the reference: one Map entry per key, rows in order
    const ref = new Map<string, { count: number; a: number; b: number; nb: number }>();
    for (const r of [8, 9]) {
      const cells = assignCells(c.lon, c.lat, r);
      for (let i = 0; i < cells.length; i++) {
        const k = `${r}|${cells[i]}|${c.g0[i]}|${c.g1[i]}`;
        const e = ref.get(k) ?? { count: 0, a: 0, b: 0, nb: 0 };
        e.count++;
        e.a += c.a[i];
        if (!Number.isNaN(c.b[i])) {
          e.b += c.b[i];
          e.nb++;
        }
        ref.set(k, e);
      }
    }
    for (const size of [1000, 7777, 20_000]) {
      const dc = await aggregateDemandCells(inBatches(c, size), { resolutions: [8, 9], sums: 2, groupCardinality: [3, 2], assign });
      expect(dc.cells.length).toBe(ref.size);
      expect(dc.noCell).toBe(0);
      const got: string[] = [];
      const want: string[] = [];
      for (let i = 0; i < dc.cells.length; i++) {
        const e = ref.get(`${dc.resolution[i]}|${dc.cells[i]}|${dc.groups[0][i]}|${dc.groups[1][i]}`);
        // same rows in the same order: sums are bit-identical
        got.push(`${dc.count[i]} ${dc.sums[0][i]} ${dc.sums[1][i]} ${dc.nonEmpty[0][i]} ${dc.nonEmpty[1][i]}`);
        want.push(e ? `${e.count} ${e.a} ${e.b} ${e.count} ${e.nb}` : 'no such key');
      }
      expect(got).toEqual(want);
      // ascending by resolution, then cell
      let unordered = 0;
      for (let i = 1; i < dc.cells.length; i++) {
        const same = dc.resolution[i] === dc.resolution[i - 1];
        if (same ? dc.cells[i] < dc.cells[i - 1] : dc.resolution[i] < dc.resolution[i - 1]) unordered++;
      }
      expect(unordered).toBe(0);
    }
  });

  it('counts points without a cell and keeps them out of the table', async () => {
    async function* one(): AsyncGenerator<PointBatch> {
      yield { lon: Float64Array.of(121.4, NaN, 121.4), lat: Float64Array.of(31.2, 31.2, 31.2), sums: [], groups: [] };
    }
    const dc = await aggregateDemandCells(one(), { resolutions: [8], sums: 0, groupCardinality: [], assign });
    expect(dc.noCell).toBe(1);
    expect(Array.from(dc.count)).toEqual([2]);
  });

  it('handles empty input', async () => {
    async function* none(): AsyncGenerator<PointBatch> {}
    const dc = await aggregateDemandCells(none(), { resolutions: [8], sums: 1, groupCardinality: [2], assign });
    expect(dc.cells.length).toBe(0);
    expect(cellTotalsFromDemandCells(dc, { resolution: 8, sum: 0 }).cells.length).toBe(0);
  });
});

describe('cellTotalsFromDemandCells', () => {
  it('sums the group rows of a cell; filters by group code; missing = count − non-empty', async () => {
    const c = customers(5_000, 3);
    const dc = await aggregateDemandCells(inBatches(c, 2048), { resolutions: [8], sums: 2, groupCardinality: [3, 2], assign });
    const cells = assignCells(c.lon, c.lat, 8);
    const t = cellTotalsFromDemandCells(dc, { resolution: 8, sum: 1, where: [{ group: 0, codes: new Set([2]) }] });
    const want = new Map<bigint, { n: number; v: number; miss: number }>();
    for (let i = 0; i < cells.length; i++) {
      if (c.g0[i] !== 2) continue;
      const e = want.get(cells[i]) ?? { n: 0, v: 0, miss: 0 };
      e.n++;
      if (Number.isNaN(c.b[i])) e.miss++;
      else e.v += c.b[i];
      want.set(cells[i], e);
    }
    expect(t.cells.length).toBe(want.size);
    for (let i = 0; i < t.cells.length; i++) {
      const e = want.get(t.cells[i])!;
      expect(t.customers[i]).toBe(e.n);
      expect(t.value[i]).toBeCloseTo(e.v, 9);
      expect(t.missing[i]).toBe(e.miss);
    }
    const counts = cellTotalsFromDemandCells(dc, { resolution: 8, sum: null });
    expect(counts.value.reduce((s, x) => s + x, 0)).toBe(5_000);
    expect(Array.from(counts.value)).toEqual(Array.from(counts.customers));
  });
});

describe('parseCell', () => {
  it('reads hex strings and warehouse integers, refuses the rest', () => {
    expect(parseCell('8830982001fffff')).toBe(0x8830982001fffffn);
    expect(parseCell(' 8830982001FFFFF ')).toBe(0x8830982001fffffn);
    expect(parseCell(String(0x8830982001fffffn))).toBe(0x8830982001fffffn);
    expect(parseCell(0x8830982001fffffn)).toBe(0x8830982001fffffn);
    expect(parseCell('')).toBeNull();
    expect(parseCell('abc')).toBeNull();
    expect(parseCell(null)).toBeNull();
    expect(parseCell(0n)).toBeNull();
  });
});
