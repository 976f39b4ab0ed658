import { describe, expect, it } from 'vitest';
import { haversineM } from '../../core/haversine.ts';
import { HuffModel } from '../../core/huff.ts';
import { mulberry32 } from '../../core/rng.ts';
import { prepareSitesData, type NetworkSites, type StudyCells } from './sites-model.ts';
import { evaluateScenario, initialScenario, scenarioNetwork, type NewSite } from './sites-scenario.ts';
import { tinyCity } from '../../../test/fixtures/sites-test-city.ts';
import { WhatIfDrag } from './sites-whatif.ts';

const tiny = prepareSitesData(tinyCity(), { siteType: 'branch', demand: { measure: 'customers' } });
const site = (data: typeof tiny, j: number, extra: Partial<NewSite> = {}): NewSite => ({
  id: data.candidates.id[j], lon: data.candidates.lon[j], lat: data.candidates.lat[j], origin: 'recommended', candidate: j, pinned: false, robustnessPct: 90, ...extra,
});

describe('evaluateScenario on the tiny city', () => {
  it('coverage in rank order, catchment per demand point, Huff and the nearest competitor', () => {
    const ev = evaluateScenario(tiny, initialScenario(tiny, [site(tiny, 4), site(tiny, 3)]));
    expect(ev.rows.map((r) => [r.id, r.marginalDemand, r.coveredDemand, r.coveragePct])).toEqual([['K_BC', 12, 22, 88], ['K_D', 3, 25, 100]]);
    // A by our branch, B and C first by K_BC (rank 0), D by K_D (rank 1)
    expect(Array.from(ev.coverBy)).toEqual([-1, 0, 0, 1]);
    expect(ev.totals).toMatchObject({ totalDemand: 25, existingCoveredDemand: 10, coveredDemand: 25, coveragePct: 100 });
    // Our branch is > 5 km from B and C: K_BC cannibalises nothing and takes from the competitor.
    expect(ev.rows[0].cannibalised).toBe(0);
    expect(ev.rows[0].fromCompetitors).toBeGreaterThan(0);
    // D was reached by nobody: K_D captures all of it.
    expect(ev.rows[1].huffCaptured).toBeCloseTo(3, 12);
    expect(ev.rows[0].nearestCompetitorM).toBeCloseTo(haversineM(121.459991, 31.200038, 121.472, 31.204), 6);
    expect(ev.rows[0].robustnessPct).toBe(90);
  });

  it('closing our branch uncovers A', () => {
    const s = initialScenario(tiny, [site(tiny, 4)]);
    s.ownOpen[0] = 0;
    const ev = evaluateScenario(tiny, s);
    expect(ev.totals.existingCoveredDemand).toBe(0);
    expect(Array.from(ev.coverBy)).toEqual([-2, 0, 0, -2]);
    expect(scenarioNetwork(tiny, s).owner).toEqual(['ICBC', 'own']);
  });
});

/** A denser random city: 600 demand cells over ~8 km, 4 own and 4 competitor branches. */
function randomCity(seed: number) {
  const rng = mulberry32(seed);
  const n = 600;
  const cells: StudyCells = {
    h3: Array.from({ length: n }, (_, i) => `c${i}`),
    lon: Float64Array.from({ length: n }, () => 121.40 + 0.085 * rng()),
    lat: Float64Array.from({ length: n }, () => 31.18 + 0.072 * rng()),
    areaIndex: new Int32Array(n),
    areaCount: 1,
  };
  const customers = Float64Array.from({ length: n }, () => Math.floor(20 * rng() ** 2));
  const m = 8;
  const network: NetworkSites = {
    id: Array.from({ length: m }, (_, j) => `S${j}`),
    lon: Float64Array.from({ length: m }, () => 121.40 + 0.085 * rng()),
    lat: Float64Array.from({ length: m }, () => 31.18 + 0.072 * rng()),
    type: Array.from({ length: m }, () => 'branch'),
    owner: Array.from({ length: m }, (_, j) => (j < 4 ? 'own' : j < 6 ? 'ICBC' : 'CMB')),
    attractiveness: Float64Array.from({ length: m }, () => 0.5 + 2 * rng()),
  };
  return prepareSitesData({ cells, customers, areaPopulation: null, network, candidatesFile: null }, { siteType: 'branch', demand: { measure: 'customers' } });
}

describe('WhatIfDrag', () => {
  const city = randomCity(7);
  const added = [site(city, 10), site(city, 200)];

  it('moving a new site gives the numbers of the scenario with it there', () => {
    const s = initialScenario(city, added);
    const drag = new WhatIfDrag(city, s, { kind: 'added', index: 1 });
    const rng = mulberry32(11);
    for (let t = 0; t < 20; t++) {
      const lon = 121.40 + 0.085 * rng(), lat = 31.18 + 0.072 * rng();
      const u = drag.move(lon, lat);
      const moved = { ...s, added: [added[0], { ...added[1], lon, lat }] };
      const ev = evaluateScenario(city, moved);
      expect(u.coveredDemand).toBeCloseTo(ev.totals.coveredDemand, 9);
      expect(u.coveragePct).toBeCloseTo(ev.totals.coveragePct, 9);
      expect(u.ownCaptured).toBeCloseTo(ev.totals.ownCaptured, 8);
      expect(u.ownSharePct).toBeCloseTo(ev.totals.ownSharePct, 9);
      expect(u.siteCaptured).toBeCloseTo(ev.rows[1].huffCaptured, 8);
    }
  });

  it('moving one of our existing sites too; cannibalisation is what it takes from our other sites', () => {
    const s = initialScenario(city, []);
    const drag = new WhatIfDrag(city, s, { kind: 'own', index: 2 });
    const lon = 121.45, lat = 31.22;
    const u = drag.move(lon, lat);
    const moved = initialScenario(city, []);
    moved.ownLon[2] = lon;
    moved.ownLat[2] = lat;
    const ev = evaluateScenario(city, moved);
    expect(u.coveredDemand).toBeCloseTo(ev.totals.coveredDemand, 9);
    expect(u.ownSharePct).toBeCloseTo(ev.totals.ownSharePct, 9);
    // versus the network without it: our other sites' loss
    const without = initialScenario(city, []);
    without.ownOpen[2] = 0;
    const base = new HuffModel(city.demand, scenarioNetwork(city, without)).evaluate();
    const net = scenarioNetwork(city, moved);
    const now = new HuffModel(city.demand, net).evaluate();
    let lost = 0;
    // our other own sites keep their order in both networks (the moved one is third of ours)
    const ownBase = base.siteCaptured.filter((_, p) => scenarioNetwork(city, without).owner[p] === 'own');
    const ownNow = now.siteCaptured.filter((_, p) => net.owner[p] === 'own' && net.ownIndex[p] !== 2);
    ownBase.forEach((x, q) => (lost += x - ownNow[q]));
    expect(u.cannibalised).toBeCloseTo(lost, 8);
  });

  it('counts the other sites covering each demand point', () => {
    const s = initialScenario(city, added);
    const drag = new WhatIfDrag(city, s, { kind: 'added', index: 0 });
    const count = drag.otherCoverCount();
    const ev = evaluateScenario(city, { ...s, added: [added[1]] });
    // covered by some other own site ⇔ count > 0
    ev.coverBy.forEach((c, i) => expect(count[i] > 0).toBe(c !== -2));
  });
});
