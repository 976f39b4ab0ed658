import { describe, expect, it } from 'vitest';
import { gridDisk, latLngToCell } from 'h3-js';
import { cellCentres, gridNeighbours, h3ToUbigintArray, studyGridFromCells } from '../../core/grid.ts';
import { bhAdjust } from '../../core/fdr.ts';
import { classifyByP, giStar, GI_CLASSES } from '../../core/getis-ord.ts';
import { localMoran } from '../../core/local-moran.ts';
import { computeStatistic, measureValues, type CellTotals } from './hotspot-stats.ts';

// Two areas: area 0 = the centre cell and its first ring (7 cells), area 1 = the second ring (12 cells).
const CENTRE = latLngToCell(31.24, 121.5, 8);
const RING2 = gridDisk(CENTRE, 2).filter((c) => !gridDisk(CENTRE, 1).includes(c));
const CELLS = [...gridDisk(CENTRE, 1), ...RING2];
const grid = studyGridFromCells(CELLS, 8, CELLS.map((c) => (RING2.includes(c) ? 1 : 0)));
const centres = cellCentres(grid);
const nb = gridNeighbours(grid, 1);
const idx = (h3: string) => grid.h3.indexOf(h3);

function totals(rows: [cell: string, customers: number, value: number, missing: number][]): CellTotals {
  return {
    cells: h3ToUbigintArray(rows.map((r) => r[0])),
    customers: Float64Array.from(rows, (r) => r[1]),
    value: Float64Array.from(rows, (r) => r[2]),
    missing: Float64Array.from(rows, (r) => r[3]),
  };
}

const OUTSIDE = latLngToCell(31.5, 121.9, 8);

describe('measureValues', () => {
  it('scatters counts onto the grid, zeros elsewhere, and reports customers outside', () => {
    const m = measureValues(grid, centres, { measure: 'count', totals: totals([[CENTRE, 5, 5, 0], [RING2[0], 2, 2, 0], [OUTSIDE, 3, 3, 0]]) });
    expect(m.values.length).toBe(19);
    expect(m.values[idx(CENTRE)]).toBe(5);
    expect(m.values[idx(RING2[0])]).toBe(2);
    expect(m.values.reduce((a, b) => a + b, 0)).toBe(7);
    expect(m.customersUsed).toBe(7);
    expect(m.customersOutside).toBe(3);
    expect(m.notes.map((n) => [n.code, n.params.count])).toEqual([['outside', 3]]);
  });

  it('sums a column and counts customers without a value', () => {
    const m = measureValues(grid, centres, { measure: 'sum', totals: totals([[CENTRE, 5, 1000, 2]]) });
    expect(m.values[idx(CENTRE)]).toBe(1000);
    expect(m.customersUsed).toBe(5);
    expect(m.notes.map((n) => [n.code, n.params.count])).toEqual([['missing_values', 2]]);
  });

  it('spreads population over each area\'s cells; penetration = customers / potential', () => {
    const pop = Float64Array.of(700, 1200);
    const pot = measureValues(grid, centres, { measure: 'potential', population: pop });
    expect(pot.values[idx(CENTRE)]).toBe(100);
    expect(pot.values[idx(RING2[3])]).toBe(100);
    const pen = measureValues(grid, centres, { measure: 'penetration', population: pop, totals: totals([[CENTRE, 5, 5, 0]]) });
    expect(pen.values[idx(CENTRE)]).toBeCloseTo(0.05, 12);
    expect(pen.values[idx(RING2[3])]).toBe(0);
  });

  it('counts cells without population as 0, with a note', () => {
    const m = measureValues(grid, centres, { measure: 'penetration', population: Float64Array.of(NaN, 1200), totals: totals([[CENTRE, 5, 5, 0]]) });
    expect(m.values[idx(CENTRE)]).toBe(0);
    expect(m.notes.map((n) => [n.code, n.params.count])).toEqual([['population_missing', 7]]);
  });

  it('keeps only demand farther than the radius from our nearest site', () => {
    const [lat, lon] = [centres.lat[idx(CENTRE)], centres.lon[idx(CENTRE)]];
    const t = totals([[CENTRE, 5, 5, 0], [RING2[0], 2, 2, 0]]);
    const m = measureValues(grid, centres, { measure: 'underserved', totals: t, sites: { lon: Float64Array.of(lon), lat: Float64Array.of(lat) }, radiusM: 1000 });
    expect(m.values[idx(CENTRE)]).toBe(0); // the site is in this cell
    expect(m.values[idx(RING2[0])]).toBe(2); // two rings ≈ 1.6 km away
    expect(m.nearestSiteM![idx(CENTRE)]).toBeLessThan(1);
    const none = measureValues(grid, centres, { measure: 'underserved', totals: t });
    expect(none.values[idx(CENTRE)]).toBe(5);
    expect(none.notes.map((n) => n.code)).toEqual(['no_sites']);
  });
});

describe('computeStatistic', () => {
  const values = Float64Array.from({ length: 19 }, (_, i) => (i * 7919) % 13);
  for (const c of gridDisk(CENTRE, 1)) values[idx(c)] = 30;
  values[idx(CENTRE)] = 40;

  it('is giStar when neither FDR nor permutations are asked for', async () => {
    const r = await computeStatistic(values, nb, { statistic: 'gi', fdr: false, permutations: 0, seed: 1 });
    const g = giStar(values, nb);
    expect(r.z).toEqual(g.z);
    expect(r.classCode).toEqual(g.classCode);
    expect(r.pFdr).toBeNull();
    expect(r.pSim).toBeNull();
    expect(GI_CLASSES[r.classCode[idx(CENTRE)]]).toMatch(/^hot/);
  });

  it('classifies by BH-adjusted p with FDR', async () => {
    const r = await computeStatistic(values, nb, { statistic: 'gi', fdr: true, permutations: 0, seed: 1 });
    expect(r.pFdr).toEqual(bhAdjust(r.p));
    expect(r.classCode).toEqual(classifyByP(r.z, r.pFdr!));
  });

  it('classifies by the permutation p, adjusted when FDR is on; seeded', async () => {
    const a = await computeStatistic(values, nb, { statistic: 'gi', fdr: false, permutations: 99, seed: 3 });
    const b = await computeStatistic(values, nb, { statistic: 'gi', fdr: true, permutations: 99, seed: 3 });
    expect(a.pSim).toEqual(b.pSim);
    for (const p of a.pSim!) expect(p).toBeGreaterThanOrEqual(0.01);
    expect(a.classCode).toEqual(classifyByP(a.z, a.pSim!));
    expect(b.pFdr).toEqual(bhAdjust(a.pSim!));
    expect(b.classCode).toEqual(classifyByP(b.z, b.pFdr!));
  });

  it('says why when every value is equal (S = 0): all ns', async () => {
    const r = await computeStatistic(new Float64Array(19), nb, { statistic: 'gi', fdr: true, permutations: 9, seed: 1 });
    expect([...r.classCode].every((c) => GI_CLASSES[c] === 'ns')).toBe(true);
    expect(r.notes.map((n) => n.code)).toEqual(['zero_variance']);
    expect([...r.z].every(Number.isNaN)).toBe(true);
  });

  it('gives Local Moran clusters as quadrant codes', async () => {
    const r = await computeStatistic(values, nb, { statistic: 'moran', fdr: false, permutations: 0, seed: 1 });
    const m = localMoran(values, nb);
    expect(r.classCode).toEqual(m.cluster);
    expect(r.moranI).toEqual(m.I);
    const f = await computeStatistic(values, nb, { statistic: 'moran', fdr: true, permutations: 0, seed: 1 });
    for (let i = 0; i < 19; i++) expect(f.classCode[i] === 0 || f.pFdr![i] <= 0.05).toBe(true);
  });

  it('stops when cancelled', async () => {
    const c = new AbortController();
    c.abort(new DOMException('Cancelled', 'AbortError'));
    await expect(computeStatistic(values, nb, { statistic: 'gi', fdr: false, permutations: 999, seed: 1, signal: c.signal })).rejects.toThrow(/Cancelled/);
  });
});
