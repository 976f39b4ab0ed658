import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GI_CLASSES, classifyByP, classifyZ, giStar } from './getis-ord.ts';
import { neighboursFromLists, type Neighbours } from './grid.ts';
import { twoSidedP } from './normal.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../test/fixtures/gistar/${name}`, import.meta.url), 'utf8'));

/** Neighbour lists of the fixture (0-based, self excluded) with self added, as Gi* wants. */
function withSelf(lists: number[][]): Neighbours {
  return neighboursFromLists(lists.map((l, i) => [...l, i].sort((a, b) => a - b)));
}

describe('giStar on a hand-computed line of five cells', () => {
  // Cells 0-1-2-3-4 in a row, N_i = {i−1, i, i+1} ∩ grid, x = [1, 1, 1, 4, 8].
  // n = 5, Σx = 15, X̄ = 3, Σx²/n = 83/5 = 16.6, S² = 16.6 − 9 = 7.6.
  // W = 2 at the ends, 3 inside; (n·W − W²)/(n − 1) = 6/4 = 1.5 in both cases (!),
  // so every denominator is sqrt(7.6 · 1.5) = sqrt(11.4).
  //   cell 0: Σ = 1+1 = 2,    2 − 3·2 = −4   → z = −4/√11.4 = −1.18470
  //   cell 1: Σ = 3,          3 − 9   = −6   → z = −6/√11.4 = −1.77705  (cold90)
  //   cell 2: Σ = 1+1+4 = 6,  6 − 9   = −3   → z = −0.88852
  //   cell 3: Σ = 1+4+8 = 13, 13 − 9  =  4   → z =  1.18470
  //   cell 4: Σ = 4+8 = 12,   12 − 6  =  6   → z =  1.77705  (hot90)
  const nb = neighboursFromLists([[0, 1], [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4]]);
  const r = giStar([1, 1, 1, 4, 8], nb);
  const d = Math.sqrt(11.4);
  it('matches the hand computation', () => {
    const want = [-4 / d, -6 / d, -3 / d, 4 / d, 6 / d];
    want.forEach((z, i) => expect(r.z[i]).toBeCloseTo(z, 12));
    expect(r.mean).toBe(3);
    expect(r.sd).toBeCloseTo(Math.sqrt(7.6), 14);
    expect(r.warnings).toEqual([]);
  });
  it('gives two-sided normal p-values and the seven classes', () => {
    for (let i = 0; i < 5; i++) expect(r.p[i]).toBe(twoSidedP(r.z[i]));
    expect(r.p[4]).toBeCloseTo(0.075559, 5); // 2·(1 − Φ(1.77705))
    expect(Array.from(r.classCode, (c) => GI_CLASSES[c])).toEqual(['ns', 'cold90', 'ns', 'ns', 'hot90']);
  });
});

describe('giStar against R spdep::localG (include.self, style "B")', () => {
  const input = fixture('input.json');
  const expected = fixture('expected.json');
  for (const rings of ['rings1', 'rings2']) {
    for (const col of ['counts', 'balance', 'sparse']) {
      it(`${rings}, ${col}`, () => {
        const r = giStar(input.values[col], withSelf(input.neighbours[rings]));
        const want: number[] = expected.gistar[rings][col];
        expect(r.z.length).toBe(want.length);
        want.forEach((z, i) => expect(r.z[i]).toBeCloseTo(z, 10));
      });
    }
  }
  it('finds the fixture hot block and cold corner', () => {
    const r = giStar(input.values.counts, withSelf(input.neighbours.rings1));
    const classes = Array.from(r.classCode, (c) => GI_CLASSES[c]);
    expect(classes.filter((c) => c.startsWith('hot')).length).toBeGreaterThanOrEqual(8);
    expect(classes.some((c) => c.startsWith('cold'))).toBe(true);
  });
});

describe('giStar edge cases', () => {
  const line = neighboursFromLists([[0, 1], [0, 1, 2], [1, 2]]);
  it('S = 0: every z empty, every class ns, a warning that says why', () => {
    const r = giStar([5, 5, 5], line);
    expect(Array.from(r.z).every(Number.isNaN)).toBe(true);
    expect(Array.from(r.p).every(Number.isNaN)).toBe(true);
    expect(Array.from(r.classCode)).toEqual([3, 3, 3]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0].code).toBe('zero_variance');
    expect(r.warnings[0].message).toContain('same value 5');
  });
  it('a filter that matched nothing (all zeros) hints at the filter', () => {
    const r = giStar(new Float64Array(3), line);
    expect(r.warnings[0].code).toBe('zero_variance');
    expect(r.warnings[0].message).toMatch(/filter/);
    expect(r.z.length).toBe(3);
  });
  it('no cells: empty output and a warning', () => {
    const r = giStar([], { offsets: new Int32Array(1), indices: new Int32Array(0) });
    expect(r.z.length).toBe(0);
    expect(r.warnings[0].code).toBe('no_cells');
  });
  it('a cell whose neighbourhood is the whole grid has no variance: NaN, ns', () => {
    const r = giStar([1, 2, 9], line);
    expect(Number.isNaN(r.z[1])).toBe(true); // W_1 = n = 3
    expect(r.classCode[1]).toBe(3);
    expect(Number.isFinite(r.z[0])).toBe(true);
  });
  it('rejects non-finite values and mismatched neighbour lists, naming the cell', () => {
    expect(() => giStar([1, NaN, 2], line)).toThrow(/cell 1/);
    expect(() => giStar([1, 2], line)).toThrow(/3 cells but there are 2 values/);
  });
});

describe('classes', () => {
  it('classifyZ uses the DESIGN.md thresholds, inclusive, with the sign of z', () => {
    const cases: [number, string][] = [
      [2.5758, 'hot99'], [2.5757, 'hot95'], [1.96, 'hot95'], [1.9599, 'hot90'], [1.6449, 'hot90'],
      [1.6448, 'ns'], [0, 'ns'], [-1.6449, 'cold90'], [-1.96, 'cold95'], [-3, 'cold99'], [NaN, 'ns'],
    ];
    for (const [z, c] of cases) expect(GI_CLASSES[classifyZ(z)]).toBe(c);
  });
  it('classifyByP uses 0.01 / 0.05 / 0.10 on adjusted or pseudo p', () => {
    const z = [3, 3, 3, 3, -3, -3, 2, NaN];
    const p = [0.01, 0.05, 0.1, 0.11, 0.001, NaN, 0.0001, 0.0001];
    expect(Array.from(classifyByP(z, p), (c) => GI_CLASSES[c])).toEqual(['hot99', 'hot95', 'hot90', 'ns', 'cold99', 'ns', 'hot99', 'ns']);
  });
});
