import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { conditionalPermutationP } from './conditional-permutation.ts';
import { giStar, giStarPermutationP } from './getis-ord.ts';
import { neighboursFromLists } from './grid.ts';

const input = JSON.parse(readFileSync(new URL('../../test/fixtures/gistar/input.json', import.meta.url), 'utf8'));
const fixtureNb = neighboursFromLists(input.neighbours.rings1.map((l: number[], i: number) => [...l, i].sort((a, b) => a - b)));

describe('conditional permutation p on an enumerable line', () => {
  // Line 0-1-2-3 with self, x = [0, 1, 2, 10], T = 13, n = 4.
  // cell 3: one neighbour (2), drawn from {0, 1, 2}; E = 1·(13 − 10)/3 = 1, |2 − 1| = 1;
  //         draws 0 → |−1| ≥ 1 yes, 1 → 0 no, 2 → 1 yes: exact p = 2/3.
  // cell 0: one neighbour (1), drawn from {1, 2, 10}; E = 13/3, |1 − 13/3| = 10/3;
  //         draws 1 → 10/3 yes (tie), 2 → 7/3 no, 10 → 17/3 yes: p = 2/3.
  // cell 1: neighbours {0, 2}, sum of 2 from {0, 2, 10}; E = 2·12/3 = 8, |2 − 8| = 6;
  //         pairs 0+2 = 2 → 6 yes, 0+10 → 2 no, 2+10 → 4 no: p = 1/3.
  // folded (PySAL) for cell 3: L = #(draw ≥ 2) ≈ P/3 < P − L, so p ≈ 1/3.
  const nb = neighboursFromLists([[0, 1], [0, 1, 2], [1, 2, 3], [2, 3]]);
  const x = [0, 1, 2, 10];
  it('converges to the exact conditional permutation p', async () => {
    const p = await conditionalPermutationP(x, nb, { permutations: 20000, seed: 11 });
    expect(p[3]).toBeCloseTo(2 / 3, 1);
    expect(p[0]).toBeCloseTo(2 / 3, 1);
    expect(p[1]).toBeCloseTo(1 / 3, 1);
    expect(Math.abs(p[3] - 2 / 3)).toBeLessThan(0.015);
    expect(Math.abs(p[1] - 1 / 3)).toBeLessThan(0.015);
  });
  it('folded counts only the observed side', async () => {
    const p = await conditionalPermutationP(x, nb, { permutations: 20000, seed: 11, alternative: 'folded' });
    expect(Math.abs(p[3] - 1 / 3)).toBeLessThan(0.015);
  });
  it('a cell without other neighbours gets NaN; skipped cells stay NaN', async () => {
    const p = await conditionalPermutationP([1, 2, 3], neighboursFromLists([[0], [1, 2], [1, 2]]), { permutations: 9, skip: Uint8Array.of(0, 0, 1) });
    expect(Number.isNaN(p[0])).toBe(true);
    expect(p[1]).toBeGreaterThan(0);
    expect(Number.isNaN(p[2])).toBe(true);
  });
  it('rejects a bad permutation count', async () => {
    await expect(conditionalPermutationP(x, nb, { permutations: 0 })).rejects.toThrow(/permutations/);
  });
});

describe('Gi* permutation inference', () => {
  it('is reproducible from the seed, and the seed matters', async () => {
    const a = await giStarPermutationP(input.values.counts, fixtureNb, { permutations: 199, seed: 7 });
    const b = await giStarPermutationP(input.values.counts, fixtureNb, { permutations: 199, seed: 7 });
    const c = await giStarPermutationP(input.values.counts, fixtureNb, { permutations: 199, seed: 8 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
  it('pseudo p ∈ [1/(P+1), 1] and defaults to 999 permutations', async () => {
    const p = await giStarPermutationP(input.values.counts, fixtureNb);
    for (const v of p) {
      expect(v).toBeGreaterThanOrEqual(1 / 1000);
      expect(v).toBeLessThanOrEqual(1);
      expect(Math.round(v * 1000)).toBeCloseTo(v * 1000, 9); // (M + 1) / 1000
    }
  });
  it('agrees with the analytical p for the strong hotspot of the fixture', async () => {
    const g = giStar(input.values.counts, fixtureNb);
    const p = await giStarPermutationP(input.values.counts, fixtureNb, { permutations: 999, seed: 3 });
    const strongest = g.z.indexOf(Math.max(...g.z));
    expect(g.z[strongest]).toBeGreaterThan(4);
    expect(g.p[strongest]).toBeLessThan(1e-4);
    expect(p[strongest]).toBeLessThanOrEqual(0.005); // (M+1)/(P+1) with M ≈ 0
    // and cells far from significance are far from significant by permutation too
    for (let i = 0; i < g.z.length; i++) if (Math.abs(g.z[i]) < 0.5) expect(p[i]).toBeGreaterThan(0.2);
  });
  it('S = 0 (or an empty filter) gives NaN everywhere and still reports completion', async () => {
    const done: number[] = [];
    const p = await giStarPermutationP(new Float64Array(42), fixtureNb, { onProgress: (d) => done.push(d) });
    expect(Array.from(p).every(Number.isNaN)).toBe(true);
    expect(done).toEqual([42]);
  });
});

describe('progress and cancellation', () => {
  it('reports progress up to (n, n)', async () => {
    const calls: [number, number][] = [];
    await giStarPermutationP(input.values.counts, fixtureNb, { permutations: 99, yieldEveryMs: 0, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.at(-1)).toEqual([42, 42]);
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0]);
  });
  it('stops when aborted before or during the run', async () => {
    const before = new AbortController();
    before.abort();
    await expect(giStarPermutationP(input.values.counts, fixtureNb, { signal: before.signal })).rejects.toThrow(/abort/i);
    const during = new AbortController();
    let last = 0;
    const run = giStarPermutationP(input.values.counts, fixtureNb, {
      permutations: 999, yieldEveryMs: 0, signal: during.signal,
      onProgress: (d) => { last = d; if (d >= 10) during.abort(); },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(last).toBeLessThan(42);
  });
});
