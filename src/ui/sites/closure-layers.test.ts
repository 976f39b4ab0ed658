import { describe, expect, it } from 'vitest';
import { catchmentCells, catchmentPoints, flowData, flowWidthPx } from './closure-layers.ts';

describe('closure map data', () => {
  it('keeps the catchment cells above 5 % of the largest, darker where more was taken', () => {
    const c = catchmentCells(['a', 'b', 'c', 'd'], [0, 100, 25, 4]);
    expect(c.h3).toEqual(['b', 'c']);
    expect([...c.alpha]).toEqual([200, 100]);
  });

  it('keeps the catchment at exact points the same way', () => {
    const c = catchmentPoints([1, 2, 3, 4], [5, 6, 7, 8], [0, 100, 25, 4]);
    expect([...c.lon]).toEqual([2, 3]);
    expect([...c.lat]).toEqual([6, 7]);
    expect([...c.alpha]).toEqual([200, 100]);
  });

  it('draws lines from the nearest closed site to the largest recipients only', () => {
    const closed = [{ lon: 121.4, lat: 31.2 }, { lon: 121.6, lat: 31.2 }];
    const at = (lon: number) => ({ lon, lat: 31.21 });
    const recipients = [
      { at: at(121.59), demand: 50, own: true },
      { at: at(121.41), demand: 30, own: false },
      { at: undefined, demand: 10, own: false },
      { at: at(121.5), demand: 9.5, own: true },
      { at: at(121.45), demand: 0.5, own: true }, // under 1 % of 100
    ];
    const f = flowData(closed, recipients);
    expect(f.map((d) => [d.from[0], d.to[0], d.demand, d.own])).toEqual([
      [121.6, 121.59, 50, true],
      [121.4, 121.41, 30, false],
      [121.4, 121.5, 9.5, true], // equidistant: the first closed site
    ]);
    expect(flowData(closed, recipients, 1)).toHaveLength(1);
    expect(flowData([], recipients)).toEqual([]);
  });

  it('scales line width 2–12 px by the square root of the share of the largest', () => {
    expect(flowWidthPx(100, 100)).toBe(12);
    expect(flowWidthPx(25, 100)).toBe(7);
    expect(flowWidthPx(0, 0)).toBe(2);
  });
});
