import { describe, expect, it } from 'vitest';
import { kmeans, meanSilhouette, standardise } from './kmeans.ts';
import { mulberry32, randNormal } from './rng.ts';

/** Three blobs in (age, digital share, balance in yuan): 40 + 30 + 20 profiles. */
function blobs(seed: number) {
  const rng = mulberry32(seed);
  const centres = [[30, 0.8, 20_000], [60, 0.2, 150_000], [45, 0.5, 60_000]];
  const sizes = [40, 30, 20];
  const data: number[] = [];
  const truth: number[] = [];
  centres.forEach((c, g) => {
    for (let i = 0; i < sizes[g]; i++) {
      data.push(c[0] + 2 * randNormal(rng), c[1] + 0.03 * randNormal(rng), c[2] + 4_000 * randNormal(rng));
      truth.push(g);
    }
  });
  return { data: Float64Array.from(data), truth, centres };
}

describe('standardise', () => {
  it('z-scores each column with the population sd; constant → 0; NaN → 0 and counted', () => {
    // column 0: 1, 3, NaN → mean 2, sd 1; column 1 constant 7
    const s = standardise([1, 7, 3, 7, NaN, 7], 2);
    expect(Array.from(s.z)).toEqual([-1, 0, 1, 0, 0, 0]);
    expect(Array.from(s.mean)).toEqual([2, 7]);
    expect(Array.from(s.sd)).toEqual([1, 0]);
    expect(s.imputed).toBe(1);
  });
});

describe('meanSilhouette', () => {
  it('matches a hand computation on four points', () => {
    // 1-D points 0, 1, 10, 11 in clusters {0, 1} and {10, 11}:
    // s(0) = (10.5 − 1)/10.5, s(1) = (9.5 − 1)/9.5, s(10) = (9.5 − 1)/9.5, s(11) = (10.5 − 1)/10.5
    const want = ((9.5 / 10.5) * 2 + (8.5 / 9.5) * 2) / 4; // 0.899749...
    expect(meanSilhouette(Float64Array.of(0, 1, 10, 11), 1, Int32Array.of(0, 0, 1, 1), 2)).toBeCloseTo(want, 12);
  });
  it('scores a singleton 0 and is NaN for one cluster', () => {
    // {0, 1} and {10}: s(0) = (10 − 1)/10, s(1) = (9 − 1)/9, s(10) = 0
    expect(meanSilhouette(Float64Array.of(0, 1, 10), 1, Int32Array.of(0, 0, 1), 2)).toBeCloseTo((0.9 + 8 / 9) / 3, 12);
    expect(meanSilhouette(Float64Array.of(0, 1), 1, Int32Array.of(0, 0), 1)).toBeNaN();
  });
});

describe('kmeans', () => {
  const { data, truth, centres } = blobs(3);
  it('recovers well-separated groups, largest cluster first, centres in original units', () => {
    const r = kmeans(data, 3, { k: 3, seed: 1 });
    expect(Array.from(r.sizes)).toEqual([40, 30, 20]);
    for (let i = 0; i < truth.length; i++) expect(r.labels[i]).toBe(truth[i]);
    for (let c = 0; c < 3; c++) {
      expect(r.centresOriginal[c * 3]).toBeCloseTo(centres[c][0], -1);
      expect(Math.abs(r.centresOriginal[c * 3 + 2] - centres[c][2])).toBeLessThan(3_000);
    }
    expect(r.silhouette).toBeGreaterThan(0.8);
    expect(r.converged).toBe(true);
    expect(r.inertia).toBeGreaterThan(0);
  });
  it('is reproducible from the seed', () => {
    const a = kmeans(data, 3, { k: 4, seed: 9, restarts: 3 });
    const b = kmeans(data, 3, { k: 4, seed: 9, restarts: 3 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.inertia).toBe(b.inertia);
  });
  it('the silhouette prefers the true k', () => {
    const s = [2, 3, 4, 5].map((k) => kmeans(data, 3, { k, seed: 1 }).silhouette);
    expect(Math.max(...s)).toBe(s[1]);
  });
  it('inertia does not increase with k (best of restarts)', () => {
    const i2 = kmeans(data, 3, { k: 2, seed: 1 }).inertia;
    const i3 = kmeans(data, 3, { k: 3, seed: 1 }).inertia;
    expect(i3).toBeLessThan(i2);
  });
  it('handles k = 1, k = n, duplicates and empty input on purpose', () => {
    const one = kmeans(data, 3, { k: 1 });
    expect(Array.from(one.sizes)).toEqual([90]);
    expect(one.silhouette).toBeNaN();
    const dup = kmeans([1, 1, 1, 1, 5, 5], 1, { k: 3, seed: 2 }); // only 2 distinct points
    expect(dup.labels.length).toBe(6);
    expect(dup.sizes.reduce((a, b) => a + b, 0)).toBe(6);
    const all = kmeans([1, 2, 3], 1, { k: 3 });
    expect(Array.from(all.sizes)).toEqual([1, 1, 1]);
    expect(all.silhouette).toBeNaN();
    expect(() => kmeans([], 2, { k: 1 })).toThrow(/at least one profile/);
    expect(() => kmeans([1, 2], 1, { k: 3 })).toThrow(/from 1 to 2/);
    expect(() => kmeans([1, 2, 3], 2, { k: 1 })).toThrow(/multiple of dims/);
  });
  it('can skip the silhouette', () => {
    expect(kmeans(data, 3, { k: 3, silhouette: false }).silhouette).toBeNaN();
  });
});
