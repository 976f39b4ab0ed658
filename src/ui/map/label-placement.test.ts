import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { anchorBox, estimateTextWidth, placeLabels, type Box, type PlacementOptions } from './label-placement.ts';

const O: PlacementOptions = { markerRadiusPx: 13, textHeightPx: 18, gapPx: 4, paddingPx: 2 };
const overlap = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const disc = (x: number, y: number): Box => ({ x0: x - 13, x1: x + 13, y0: y - 13, y1: y + 13 });

describe('site name placement', () => {
  it('puts a lone name to the right of its disc, 4 px from its edge', () => {
    const [p] = placeLabels([100], [50], [80], O);
    expect(p).toEqual({ anchor: 'right', box: { x0: 117, x1: 197, y0: 41, y1: 59 } });
  });

  it('sites close together: names go right, left, above, below of their discs in turn, and the fifth is hidden', () => {
    // Discs at x 100, 140, 120: right of 100 is 140's disc, so that name goes left; 120's right and left are taken.
    const ps = placeLabels([100, 140, 120, 121, 119], [50, 50, 50, 52, 49], [80, 80, 80, 80, 80], O);
    expect(ps.map((p) => p?.anchor ?? null)).toEqual(['left', 'right', 'above', 'below', null]);
  });

  it('gives priority to the higher rank (earlier index): its name keeps its spot, the lower rank moves', () => {
    // Two sites 18 px apart vertically: both names want the right, their boxes would overlap.
    const ps = placeLabels([100, 100], [50, 68], [150, 150], O);
    expect(ps[0]).toEqual(placeLabels([100], [50], [150], O)[0]);
    expect(ps[1]!.anchor).not.toBe('right');
    const swapped = placeLabels([100, 100], [68, 50], [150, 150], O);
    expect(swapped[0]!.anchor).toBe('right');
    expect(swapped[1]!.anchor).not.toBe('right');
  });

  it('names come back when zooming in spreads the sites apart', () => {
    const lon = [0, 1, 2, 3, 4, 5], lat = [0, 0.5, 0, 0.5, 0, 0.5];
    const shown = (scale: number) => placeLabels(lon.map((x) => x * scale), lat.map((y) => y * scale), lon.map(() => 120), O).filter(Boolean).length;
    expect(shown(10)).toBeLessThan(shown(400));
    expect(shown(400)).toBe(6);
  });

  it('never lets a placed name overlap another name or any disc (random crowds)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ x: fc.integer({ min: 0, max: 600 }), y: fc.integer({ min: 0, max: 400 }), w: fc.integer({ min: 10, max: 200 }) }), { maxLength: 120 }), (pts) => {
        const ps = placeLabels(pts.map((p) => p.x), pts.map((p) => p.y), pts.map((p) => p.w), O);
        ps.forEach((p, i) => {
          if (!p) return;
          expect(p.box).toEqual(anchorBox(pts[i].x, pts[i].y, pts[i].w, p.anchor, O));
          pts.forEach((q, j) => expect(overlap(p.box, disc(q.x, q.y)), `name ${i} over disc ${j}`).toBe(false));
          ps.forEach((r, j) => {
            if (r && j !== i) expect(overlap(p.box, r.box), `names ${i} and ${j}`).toBe(false);
          });
        });
        // The first site always gets a name unless its own four spots are all blocked by discs.
        if (pts.length === 1) expect(ps[0]).not.toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('skips sites without a position or a name', () => {
    expect(placeLabels([NaN, 10], [0, 0], [50, 0], O)).toEqual([null, null]);
  });

  it('estimates CJK characters a full em and Latin ones about 0.6 em', () => {
    expect(estimateTextWidth('浦东新区', 12)).toBe(48);
    expect(estimateTextWidth('Pudong', 10)).toBeCloseTo(37.2, 6);
  });
});
