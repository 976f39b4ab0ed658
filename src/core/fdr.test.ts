import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { bhAdjust } from './fdr.ts';

describe('bhAdjust (Benjamini–Hochberg, as R p.adjust "BH")', () => {
  it('matches a hand computation', () => {
    // m = 3, ascending 0.001, 0.01, 0.5: 0.5·3/3 = 0.5; 0.01·3/2 = 0.015; 0.001·3/1 = 0.003
    expect(Array.from(bhAdjust([0.5, 0.001, 0.01]))).toEqual([0.5, 0.003, expect.closeTo(0.015, 15)]);
    // the running minimum from the top: all five become 0.05
    Array.from(bhAdjust([0.01, 0.02, 0.03, 0.04, 0.05])).forEach((v) => expect(v).toBeCloseTo(0.05, 15));
    // capped at 1
    expect(bhAdjust([0.9, 0.95])[0]).toBeCloseTo(0.95, 15);
    expect(Math.max(...bhAdjust([0.6, 0.7, 0.99]))).toBeLessThanOrEqual(1);
  });
  it('matches R p.adjust on the fixture, NaN ignored and kept', () => {
    const expected = JSON.parse(readFileSync(new URL('../../test/fixtures/gistar/expected.json', import.meta.url), 'utf8')).bh;
    const p = (expected.p as (number | null)[]).map((v) => v ?? NaN);
    const got = bhAdjust(p);
    (expected.adjusted as (number | null)[]).forEach((want, i) => {
      if (want === null) expect(Number.isNaN(got[i])).toBe(true);
      else expect(got[i]).toBeCloseTo(want, 14);
    });
  });
  it('handles empty and all-NaN input', () => {
    expect(bhAdjust([]).length).toBe(0);
    expect(Array.from(bhAdjust([NaN, NaN])).every(Number.isNaN)).toBe(true);
  });
});
