import { describe, expect, it } from 'vitest';
import { bearingDeg, compass8 } from './bearing.ts';

describe('bearing', () => {
  it('points along meridians and the equator, and sorts into 8 sectors', () => {
    expect(bearingDeg(0, 0, 0, 1)).toBeCloseTo(0, 9);
    expect(bearingDeg(0, 0, 1, 0)).toBeCloseTo(90, 9);
    expect(bearingDeg(0, 0, 0, -1)).toBeCloseTo(180, 9);
    expect(bearingDeg(0, 0, -1, 0)).toBeCloseTo(270, 9);
    // north-east at 31°N: Δlon scaled by cos φ ≈ Δlat gives ~45°
    expect(bearingDeg(121.4, 31.2, 121.4 + 0.01 / Math.cos((31.2 * Math.PI) / 180), 31.21)).toBeCloseTo(45, 0);
    expect([0, 22.4, 22.5, 67.4, 67.5, 180, 292.5, 337.4, 337.5, 359.9].map(compass8)).toEqual([0, 0, 1, 1, 2, 4, 7, 7, 0, 0]);
  });
});
