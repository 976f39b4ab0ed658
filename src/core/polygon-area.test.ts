import { describe, expect, it } from 'vitest';
import { cellArea, cellToBoundary, latLngToCell } from 'h3-js';
import { polygonAreaM2, ringAreaM2 } from './polygon-area.ts';

const R = 6378137;
const rect = (w: number, s: number, e: number, n: number) => [[w, s], [e, s], [e, n], [w, n], [w, s]];

describe('ringAreaM2', () => {
  it('equals the closed form R²·Δλ·(sin φ₂ − sin φ₁) for a lon/lat rectangle', () => {
    const want = R * R * (Math.PI / 180) * (Math.sin((31 * Math.PI) / 180) - Math.sin((30 * Math.PI) / 180));
    expect(ringAreaM2(rect(121, 30, 122, 31))).toBeCloseTo(want, -2);
    expect(ringAreaM2(rect(121, 30, 122, 31).reverse())).toBeCloseTo(-want, -2);
  });

  it('agrees with H3’s own cell area within 0.5 % (H3 uses the authalic radius, 0.22 % smaller squared)', () => {
    const cell = latLngToCell(31.23, 121.47, 7);
    const ring = cellToBoundary(cell, true);
    ring.push(ring[0]);
    const ratio = Math.abs(ringAreaM2(ring)) / cellArea(cell, 'm2');
    expect(ratio).toBeGreaterThan(1);
    expect(ratio).toBeLessThan(1.005);
  });

  it('is 0 for fewer than 3 positions', () => {
    expect(ringAreaM2([[0, 0], [1, 1]])).toBe(0);
  });
});

describe('polygonAreaM2', () => {
  it('subtracts holes whatever their winding, never below 0', () => {
    const shell = ringAreaM2(rect(0, 0, 2, 2));
    const hole = Math.abs(ringAreaM2(rect(0.5, 0.5, 1, 1)));
    expect(polygonAreaM2([rect(0, 0, 2, 2), rect(0.5, 0.5, 1, 1)])).toBeCloseTo(shell - hole, -2);
    expect(polygonAreaM2([rect(0, 0, 2, 2), rect(0.5, 0.5, 1, 1).reverse()])).toBeCloseTo(shell - hole, -2);
    expect(polygonAreaM2([rect(0, 0, 1, 1), rect(-1, -1, 2, 2)])).toBe(0);
    expect(polygonAreaM2([])).toBe(0);
  });
});
