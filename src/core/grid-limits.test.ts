/**
 * The study grid's guards (issue 15): a grid too big for the limit is refused from the areas'
 * size before H3 enumerates a cell, naming the resolution that fits; a polygon H3 cannot fill
 * ends in a sentence naming the area, never h3-js's "code: 1" / "code: 13".
 */
import { describe, expect, it } from 'vitest';
import { polygonToCells } from 'h3-js';
import type { Polygon } from 'geojson';
import { buildStudyGrid, estimateStudyCells, MAX_STUDY_CELLS, StudyGridError } from './grid.ts';

function rect(west: number, south: number, east: number, north: number): Polygon {
  return { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] };
}

describe('study grid limits', () => {
  it('estimates the cell count within 3 % of what H3 enumerates', () => {
    const area = rect(121, 31, 121.5, 31.4);
    const exact = polygonToCells(area.coordinates, 8, true).length;
    expect(estimateStudyCells([{ geometry: area }], 8) / exact).toBeGreaterThan(0.97);
    expect(estimateStudyCells([{ geometry: area }], 8) / exact).toBeLessThan(1.03);
  });

  it('refuses a 10° × 10° area at resolution 8 from its size, and names the finest resolution that fits', () => {
    let err: unknown;
    try {
      buildStudyGrid([{ geometry: rect(110, 20, 120, 30) }], 8);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StudyGridError);
    const g = err as StudyGridError;
    expect(g.code).toBe('tooManyCells');
    expect(g.params.estimated).toBeGreaterThan(1_500_000);
    expect(g.params.coarser).toBe(7);
    expect(estimateStudyCells([{ geometry: rect(110, 20, 120, 30) }], 7)).toBeLessThanOrEqual(MAX_STUDY_CELLS);
    // and the suggested resolution builds
    expect(buildStudyGrid([{ geometry: rect(110, 20, 120, 30) }], 7).cells.length).toBeGreaterThan(200_000);
  });

  it('refuses before enumerating: an 80° × 40° area at resolution 10 (billions of cells) ends in the sentence, not in H3', () => {
    // Were the cells enumerated first, h3-js would fail allocating them (code 13) or run for hours.
    expect(() => buildStudyGrid([{ geometry: rect(60, 10, 140, 50) }], 10)).toThrow(StudyGridError);
  });

  it('says which area H3 could not fill instead of its error code', () => {
    // a hole bigger than its shell that h3-js 4.5 fails on with "operation failed … (code: 1)"
    const bad: Polygon = { type: 'Polygon', coordinates: [
      [[121.09103208304897, 31.076219803968545], [121.1435226817818, 31.076219803968545], [121.1435226817818, 31.085712706710076], [121.09103208304897, 31.085712706710076], [121.09103208304897, 31.076219803968545]],
      [[121.01564684522602, 31.07652771357751], [121.01564684522602, 31.472942667791127], [121.31821103960658, 31.472942667791127], [121.31821103960658, 31.07652771357751], [121.01564684522602, 31.07652771357751]],
    ] };
    expect(() => polygonToCells(bad.coordinates, 7, true)).toThrow(/code: 1/);
    expect(() => buildStudyGrid([{ geometry: rect(121.4, 31.2, 121.5, 31.3) }, { geometry: bad }], 7)).toThrow(
      /^H3 could not fill area 2 \(in file order\) at resolution 7: its polygon is not valid/,
    );
  });
});
