import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MORAN_QUADRANTS, localMoran, localMoranPermutationP, moranClusters } from './local-moran.ts';
import { neighboursFromLists } from './grid.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../test/fixtures/gistar/${name}`, import.meta.url), 'utf8'));
const input = fixture('input.json');
const expected = fixture('expected.json');
// R's quadr$pysal labels are "<x>-<lag>", e.g. "Low-High" = low value among high neighbours = LH
const R_QUADRANT: Record<string, string> = { 'High-High': 'HH', 'Low-High': 'LH', 'Low-Low': 'LL', 'High-Low': 'HL' };

describe('localMoran on a hand-computed line', () => {
  // Line 0-1-2-3, x = [1, 2, 3, 6]: mean 3, z = [−2, −1, 0, 3], Σz² = 14, m2 = 14/4 = 3.5.
  // Row-standardised lags: cell 0 → z1 = −1; cell 1 → (z0 + z2)/2 = −1; cell 2 → (−1 + 3)/2 = 1; cell 3 → z2 = 0.
  // I = z/m2 · lag: [2/3.5, 1/3.5, 0, 0] = [0.571429, 0.285714, 0, 0].
  // E = −z²/((n−1)·m2): cell 0 → −4/10.5 = −0.380952.
  // V(cell 0) = (z/m2)² · n/(n−2) · (1/k − 1/(n−1)) · (m2 − z²/(n−1))
  //           = (4/12.25) · 2 · (1 − 1/3) · (3.5 − 4/3) = 0.326531 · 2 · 0.666667 · 2.166667 = 0.943311.
  const nb = neighboursFromLists([[1], [0, 2], [1, 3], [2]]);
  const r = localMoran([1, 2, 3, 6], nb);
  it('matches the hand computation', () => {
    [2 / 3.5, 1 / 3.5, 0, 0].forEach((v, i) => expect(r.I[i]).toBeCloseTo(v, 12));
    expect(r.expected[0]).toBeCloseTo(-4 / 10.5, 12);
    expect(r.variance[0]).toBeCloseTo((4 / 12.25) * 2 * (2 / 3) * (3.5 - 4 / 3), 12);
    expect(r.z[0]).toBeCloseTo((2 / 3.5 + 4 / 10.5) / Math.sqrt(r.variance[0]), 12);
    expect(Array.from(r.lag)).toEqual([-1, -1, 1, 0]);
    expect(Array.from(r.quadrant, (q) => MORAN_QUADRANTS[q])).toEqual(['LL', 'LL', 'LH', 'HL']);
  });
  it('skips self in the neighbour lists', () => {
    const withSelf = localMoran([1, 2, 3, 6], neighboursFromLists([[0, 1], [0, 1, 2], [1, 2, 3], [2, 3]]));
    expect(Array.from(withSelf.I)).toEqual(Array.from(r.I));
  });
});

describe('localMoran against R spdep::localmoran (style "W")', () => {
  for (const rings of ['rings1', 'rings2']) {
    for (const col of ['counts', 'balance', 'sparse']) {
      it(`${rings}, ${col}`, () => {
        const r = localMoran(input.values[col], neighboursFromLists(input.neighbours[rings]));
        const want = expected.localmoran[rings][col];
        want.Ii.forEach((v: number, i: number) => expect(r.I[i]).toBeCloseTo(v, 10));
        want.E.forEach((v: number, i: number) => expect(r.expected[i]).toBeCloseTo(v, 10));
        want.Var.forEach((v: number, i: number) => expect(r.variance[i]).toBeCloseTo(v, 10));
        want.Z.forEach((v: number, i: number) => expect(r.z[i]).toBeCloseTo(v, 9));
        want.p.forEach((v: number, i: number) => expect(r.p[i]).toBeCloseTo(v, 10));
        want.quadrant_pysal.forEach((q: string, i: number) => expect(MORAN_QUADRANTS[r.quadrant[i]]).toBe(R_QUADRANT[q]));
      });
    }
  }
});

describe('clusters and permutations', () => {
  const nb = neighboursFromLists(input.neighbours.rings1);
  it('clusters are the quadrants of significant cells only', () => {
    const r = localMoran(input.values.counts, nb);
    const c = moranClusters(r.quadrant, r.p, 0.05);
    for (let i = 0; i < c.length; i++) expect(c[i]).toBe(r.p[i] <= 0.05 ? r.quadrant[i] : 0);
    expect(Array.from(r.cluster)).toEqual(Array.from(c));
    expect(c.some((q) => MORAN_QUADRANTS[q] === 'HH')).toBe(true);
  });
  it('permutation p is seeded, and a strong HH cell is significant by both tests', async () => {
    const a = await localMoranPermutationP(input.values.counts, nb, { permutations: 999, seed: 5 });
    const b = await localMoranPermutationP(input.values.counts, nb, { permutations: 999, seed: 5 });
    expect(Array.from(a)).toEqual(Array.from(b));
    const r = localMoran(input.values.counts, nb, { pSim: a });
    const strongest = r.z.indexOf(Math.max(...r.z));
    expect(r.p[strongest]).toBeLessThan(0.001);
    expect(a[strongest]).toBeLessThan(0.01);
    for (let i = 0; i < a.length; i++) expect(r.cluster[i]).toBe(a[i] <= 0.05 ? r.quadrant[i] : 0);
  });
  it('a cell at the mean gets p = 1; all-equal values give a warning and NaN', async () => {
    const p = await localMoranPermutationP([1, 2, 3, 6], neighboursFromLists([[1], [0, 2], [1, 3], [2]]), { permutations: 99 });
    expect(p[2]).toBe(1);
    const flat = localMoran([4, 4, 4], neighboursFromLists([[1], [0, 2], [1]]));
    expect(flat.warnings[0].code).toBe('zero_variance');
    expect(Array.from(flat.z).every(Number.isNaN)).toBe(true);
    expect(Array.from(flat.cluster)).toEqual([0, 0, 0]);
    expect(Array.from(await localMoranPermutationP([4, 4, 4], neighboursFromLists([[1], [0, 2], [1]]))).every(Number.isNaN)).toBe(true);
  });
  it('an island has no statistic', () => {
    const r = localMoran([1, 5, 9], neighboursFromLists([[1], [0], []]));
    expect(Number.isNaN(r.z[2])).toBe(true);
    expect(r.quadrant[2]).toBe(0);
  });
});
