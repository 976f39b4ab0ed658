import { describe, expect, it } from 'vitest';
import { coverageProblemFromSets } from './coverage.ts';
import { bootstrapSites } from './site-bootstrap.ts';

describe('bootstrapSites', () => {
  it('a site that wins by a mile is chosen in every replicate', () => {
    // Candidate 0 covers 1000 customers, candidate 1 covers 10.
    const p = coverageProblemFromSets({ weight: [1000, 10], sets: [[0], [1]] });
    const r = bootstrapSites(p, { k: 1, replicates: 50 });
    expect(r.baseline.sites.map((s) => s.candidate)).toEqual([0]);
    expect(Array.from(r.robustnessPct)).toEqual([100]);
    expect(Array.from(r.frequency)).toEqual([1, 0]);
  });

  it('a near tie is a coin toss, and the same seed gives the same answer', () => {
    // 100 vs 101 customers: resampling flips the winner about half the time.
    const p = coverageProblemFromSets({ weight: [101, 100], sets: [[0], [1]] });
    const a = bootstrapSites(p, { k: 1, replicates: 200, seed: 7 });
    expect(a.robustnessPct[0]).toBeGreaterThan(35);
    expect(a.robustnessPct[0]).toBeLessThan(75);
    expect(a.frequency[0] + a.frequency[1]).toBeCloseTo(1, 12);
    const b = bootstrapSites(p, { k: 1, replicates: 200, seed: 7 });
    expect(Array.from(b.frequency)).toEqual(Array.from(a.frequency));
  });

  it('resamples customers when given their demand points', () => {
    // 30 customers at point 0, 29 at point 1, one outside the study area (−1).
    const point = Int32Array.from([...Array(30).fill(0), ...Array(29).fill(1), -1]);
    const p = coverageProblemFromSets({ weight: [30, 29], sets: [[0], [1]] });
    const r = bootstrapSites(p, { k: 1, replicates: 100, customers: { point } });
    expect(r.robustnessPct[0]).toBeGreaterThan(30);
    expect(r.robustnessPct[0]).toBeLessThan(80);
    expect(() => bootstrapSites(p, { k: 1, customers: { point: Int32Array.from([5]) } })).toThrow(/demand point 5/);
  });

  it('keeps pinned sites in every replicate, reports progress, honours abort', () => {
    const p = coverageProblemFromSets({ weight: [5, 50], sets: [[0], [1]] });
    const seen: number[] = [];
    const r = bootstrapSites(p, { k: 1, pinned: [0], replicates: 10, onProgress: (q) => seen.push(q.done) });
    expect(Array.from(r.robustnessPct)).toEqual([100]);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const ac = new AbortController();
    ac.abort();
    expect(() => bootstrapSites(p, { k: 1, signal: ac.signal })).toThrow(/abort/i);
    expect(() => bootstrapSites(p, { k: 1, replicates: 0 })).toThrow(/replicates/);
  });
});
