import { describe, expect, it } from 'vitest';
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { mulberry32 } from '../../core/rng.ts';
import { buildCandidates, buildDemand, constraintsFor, prepareSitesData, sitesOfType, SitesInputError, type NetworkSites, type StudyCells } from './sites-model.ts';

// Five cells along a parallel, ~1 km apart (0.0105° of longitude at 31.2°N ≈ 1000 m); cells
// 0–2 belong to area 0, cells 3–4 to area 1.
const cells: StudyCells = {
  h3: ['c0', 'c1', 'c2', 'c3', 'c4'],
  lon: Float64Array.from([0, 1, 2, 3, 4], (i) => 121.4 + i * 0.0105),
  lat: new Float64Array(5).fill(31.2),
  areaIndex: Int32Array.from([0, 0, 0, 1, 1]),
  areaCount: 2,
};
const customers = Float64Array.from([4, 0, 2, 0, 1]);
const areaPopulation = Float64Array.from([300, 100]);

describe('buildDemand', () => {
  it('keeps cells with customers, with their counts and population potential', () => {
    const d = buildDemand({ cells, customers, areaPopulation }, { measure: 'customers' });
    expect(Array.from(d.cell)).toEqual([0, 2, 4]);
    expect(Array.from(d.weight)).toEqual([4, 2, 1]);
    expect(Array.from(d.population)).toEqual([100, 100, 50]);
    expect(d.totalWeight).toBe(7);
    expect(d.totalPopulation).toBe(400);
  });

  it('spreads each area\'s population evenly over its cells', () => {
    const d = buildDemand({ cells, customers: null, areaPopulation }, { measure: 'population' });
    expect(Array.from(d.weight)).toEqual([100, 100, 100, 50, 50]);
    expect(d.totalWeight).toBe(400);
  });

  it('blends the customer and population shares, in customer units', () => {
    const d = buildDemand({ cells, customers, areaPopulation }, { measure: 'blend', blendCustomerShare: 0.5 });
    // C = 7, P = 400: w_i = 7 · (0.5 c_i/7 + 0.5 p_i/400)
    const want = [0, 1, 2, 3, 4].map((i) => 7 * (0.5 * customers[i] / 7 + (0.5 * [100, 100, 100, 50, 50][i]) / 400));
    d.weight.forEach((w, q) => expect(w).toBeCloseTo(want[d.cell[q]], 12));
    expect(d.totalWeight).toBeCloseTo(7, 12);
  });

  it('keeps cells with people but no demand for the access check', () => {
    const d = buildDemand({ cells, customers, areaPopulation }, { measure: 'customers', keepAllPeople: true });
    expect(Array.from(d.cell)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(d.weight)).toEqual([4, 0, 2, 0, 1]);
  });

  it('says what is missing, and warns about areas without population', () => {
    expect(() => buildDemand({ cells, customers: null, areaPopulation }, { measure: 'customers' })).toThrow(SitesInputError);
    expect(() => buildDemand({ cells, customers, areaPopulation: null }, { measure: 'population' })).toThrow(/numeric "population" column/);
    const d = buildDemand({ cells, customers: null, areaPopulation: Float64Array.from([300, NaN]) }, { measure: 'population' });
    expect(Array.from(d.cell)).toEqual([0, 1, 2]);
    expect(d.warnings).toEqual([{ code: 'population_missing', params: { areas: 1 } }]);
    const none = buildDemand({ cells, customers: new Float64Array(5), areaPopulation: null }, { measure: 'customers' });
    expect(none.weight.length).toBe(0);
    expect(none.warnings.map((w) => w.code)).toEqual(['no_demand']);
  });

  it('puts each exact point in the study cell latLngToCell gives it, leaves the others out, and finds its candidate cell', () => {
    // A study area of a few res-8 cells; points scattered over it and beyond its edge.
    const centre = latLngToCell(31.2, 121.45, 8);
    const h3 = gridDisk(centre, 1);
    const study: StudyCells = {
      h3, lon: Float64Array.from(h3, (h) => cellToLatLng(h)[1]), lat: Float64Array.from(h3, (h) => cellToLatLng(h)[0]),
      areaIndex: new Int32Array(h3.length), areaCount: 1,
    };
    const rng = mulberry32(4);
    const n = 5000;
    const lon = Float64Array.from({ length: n }, () => 121.45 + (rng() - 0.5) * 0.05);
    const lat = Float64Array.from({ length: n }, () => 31.2 + (rng() - 0.5) * 0.05);
    const weight = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3));
    const d = buildDemand({ cells: study, points: { lon, lat, weight }, customers: null, areaPopulation: null }, { measure: 'customers', fineResolution: 9 });
    let q = 0, outside = 0, outsideWeight = 0;
    for (let i = 0; i < n; i++) {
      const s = h3.indexOf(latLngToCell(lat[i], lon[i], 8));
      if (s < 0) { outside++; outsideWeight += weight[i]; continue; }
      expect(d.source![q]).toBe(i);
      expect(d.cell[q]).toBe(s);
      expect(d.fine!.cells[d.fine!.cellOf[q]]).toBe(latLngToCell(lat[i], lon[i], 9));
      q++;
    }
    expect(q).toBe(d.weight.length);
    expect(outside).toBeGreaterThan(100);
    expect(d.outsidePoints).toBe(outside);
    expect(d.outsideWeight).toBe(outsideWeight);
  });
});

describe('candidates and constraints', () => {
  it('generates cell centres farther than R/2 from our sites, named by their cell', () => {
    const c = buildCandidates({ cells, existing: { lon: [cells.lon[0]], lat: [31.2] }, radiusM: 2200, file: null });
    // cell 1 is 1000 m away (≤ 1100 m): out; cell 2 is 2000 m away: in
    expect(c.id).toEqual(['c2', 'c3', 'c4']);
    expect(c.source).toEqual(['generated', 'generated', 'generated']);
  });

  it('uses the file when given, then user positions (no duplicate ids)', () => {
    const file = { id: ['K1', 'K2'], lon: Float64Array.from([121.4, 121.41]), lat: Float64Array.from([31.2, 31.2]) };
    const extra = { id: ['K2', 'new-1'], lon: Float64Array.from([0, 121.5]), lat: Float64Array.from([0, 31.3]) };
    const c = buildCandidates({ cells, existing: { lon: [], lat: [] }, radiusM: 1500, file, extra });
    expect(c.id).toEqual(['K1', 'K2', 'new-1']);
    expect(c.source).toEqual(['file', 'file', 'user']);
    expect(c.lon[1]).toBe(121.41);
  });

  it('turns ids and zones into candidate indices; unknown ids are reported', () => {
    const c = buildCandidates({ cells, existing: { lon: [], lat: [] }, radiusM: 1500, file: null });
    const r = constraintsFor(c, {
      pinnedIds: ['c1', 'nope'], excludedIds: ['c1', 'c3'], minSpacingM: 800,
      zones: [{ lon: cells.lon[4], lat: 31.2, radiusM: 300 }],
    });
    expect(r.pinned).toEqual([1]);
    expect(r.excluded).toEqual([3]); // a pin wins over an exclusion of the same site
    expect(r.unknownIds).toEqual(['nope']);
    expect(Array.from(r.allowed!)).toEqual([1, 1, 1, 1, 0]);
    expect(r.zoneExcluded).toBe(1);
    expect(r.minSpacingM).toBe(800);
  });
});

describe('prepareSitesData', () => {
  const network: NetworkSites = {
    id: ['B1', 'A1', 'X1'],
    lon: Float64Array.from([cells.lon[0], cells.lon[4], cells.lon[2]]),
    lat: new Float64Array(3).fill(31.2),
    type: ['branch', 'atm', 'Branch'],
    owner: ['own', 'own', 'ICBC'],
    attractiveness: Float64Array.from([1, 1, 2]),
  };

  it('selects the sites of the type, ours among them (type case-insensitive)', () => {
    expect(sitesOfType(network, 'branch')).toEqual({ all: [0, 2], own: [0] });
    expect(sitesOfType(network, 'atm')).toEqual({ all: [1], own: [1] });
  });

  it('builds the coverage problem with the type\'s default radius', () => {
    const d = prepareSitesData({ cells, customers, areaPopulation, network, candidatesFile: null }, { siteType: 'branch', demand: { measure: 'customers' } });
    expect(d.radiusM).toBe(1500);
    expect(d.problem.totalDemand).toBe(7);
    // B1 at cell 0 covers cell 0 (4) and cell 1 (0 customers, not a demand point)
    expect(d.problem.existingCoveredDemand).toBe(4);
    expect(d.candidates.id).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(() => prepareSitesData({ cells, customers, areaPopulation, network, candidatesFile: null }, { siteType: 'branch', radiusM: 0, demand: { measure: 'customers' } })).toThrow(/radius/);
  });
});
