import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M } from './haversine.ts';
import { HUFF_DEFAULTS, HuffModel, type HuffSites } from './huff.ts';
import { mulberry32 } from './rng.ts';

/** Longitude (degrees) of a point x metres east of (0, 0) on the equator, where haversine distance = x. */
const eqDeg = (m: number) => (m / EARTH_RADIUS_M) * (180 / Math.PI);

/**
 * Two demand points and three sites on the equator, positions in metres:
 *   D1 at 0 (weight 100), D2 at 1000 (weight 50);
 *   S1 own at 200 (A = 1), S2 own at 1050 (A = 2), C1 "BankX" at −500 (A = 3).
 * α = 1, β = 2, cut-off 1200 m, floor 100 m.
 *
 * D1: d = 200, 1050, 500 → u = 1/200² = 2.5e-5, 2/1050² = 1.81406e-6, 3/500² = 1.2e-5;
 *     Σ = 3.881406e-5 → P = 0.644097, 0.046737, 0.309166.
 * D2: d = 800, 50 → floored to 100, C1 at 1500 m is beyond the cut-off and left out;
 *     u = 1/800² = 1.5625e-6, 2/100² = 2e-4; Σ = 2.015625e-4 → P = 0.007752, 0.992248.
 * Captured: S1 = 100·0.644097 + 50·0.007752 = 64.79725
 *           S2 = 100·0.046737 + 50·0.992248 = 54.28612
 *           C1 = 100·0.309166               = 30.91663;  own = 119.08337 of 150.
 */
function handNetwork(): { demand: { lon: number[]; lat: number[]; weight: number[] }; sites: HuffSites } {
  return {
    demand: { lon: [0, eqDeg(1000)], lat: [0, 0], weight: [100, 50] },
    sites: { lon: [eqDeg(200), eqDeg(1050), eqDeg(-500)], lat: [0, 0, 0], owner: ['own', 'own', 'BankX'], attractiveness: [1, 2, 3] },
  };
}

describe('HuffModel, hand-computed', () => {
  it('captures what the arithmetic in the comment says', () => {
    const { demand, sites } = handNetwork();
    const r = new HuffModel(demand, sites, { cutoffM: 1200 }).evaluate();
    expect(r.siteCaptured[0]).toBeCloseTo(64.79724812315422, 6);
    expect(r.siteCaptured[1]).toBeCloseTo(54.28611928935965, 6);
    expect(r.siteCaptured[2]).toBeCloseTo(30.916632587486127, 6);
    expect(r.ownCapturedDemand).toBeCloseTo(119.08336741251387, 6);
    expect(r.owners.map((o) => o.owner)).toEqual(['own', 'BankX']);
    expect(r.owners[1].sharePct).toBeCloseTo((100 * 30.916632587486127) / 150, 6);
    expect(r.unreachedDemand).toBe(0);
    expect(r.ownProbability[0]).toBeCloseTo(0.6440965122392942 + 0.04673716188584448, 9);
    expect(r.ownProbability[1]).toBeCloseTo(1, 12); // only own sites reach D2
  });

  it('cannibalisation: S2 takes 52.77 from S1 and 1.52 from BankX', () => {
    // Without S2: D1 → S1 2.5e-5 / 3.7e-5 = 0.675676, C1 0.324324; D2 → S1 alone = 1.
    // S1 = 67.5676 + 50 = 117.5676 → S2 takes 117.5676 − 64.7972 = 52.7703;
    // C1 = 32.4324 → S2 takes 32.4324 − 30.9166 = 1.5158. Nothing newly reached.
    const { demand, sites } = handNetwork();
    const imp = new HuffModel(demand, sites, { cutoffM: 1200 }).siteImpact(1);
    expect(imp.capturedDemand).toBeCloseTo(54.28611928935965, 6);
    expect(Array.from(imp.takenFrom.site)).toEqual([0, 2]);
    expect(imp.takenFrom.demand[0]).toBeCloseTo(52.770319444413346, 6);
    expect(imp.takenFrom.demand[1]).toBeCloseTo(1.5157998449463008, 6);
    expect(imp.takenFromOwner[0]).toBeCloseTo(52.770319444413346, 6);
    expect(imp.newlyReachedDemand).toBe(0);
  });

  it('leaves demand with no site within the cut-off to nobody, and says so', () => {
    const r = new HuffModel({ lon: [0, 1], lat: [0, 0], weight: [10, 5] }, { lon: [0], lat: [0], owner: ['own'] }).evaluate();
    expect(r.unreachedDemand).toBe(5);
    expect(r.reachedDemand).toBe(10);
    expect(r.ownCapturedDemand).toBe(10);
    expect(r.owners[0].sharePct).toBeCloseTo(200 / 3, 9);
    expect(r.owners[0].marketSharePct).toBe(100);
  });

  it('uses DESIGN.md defaults α 1, β 2, 5 km, 100 m and floors distances', () => {
    expect(HUFF_DEFAULTS).toEqual({ alpha: 1, beta: 2, cutoffM: 5000, minDistanceM: 100 });
    // Two equal sites 10 m and 90 m away: both floored to 100 m → 50/50.
    const r = new HuffModel({ lon: [0], lat: [0], weight: [1] }, { lon: [eqDeg(10), eqDeg(-90)], lat: [0, 0], owner: ['own', 'X'] }).evaluate();
    expect(r.siteCaptured[0]).toBeCloseTo(0.5, 12);
  });

  it('moves the shares as β, α and the floor say (the Sites advanced parameters)', () => {
    const { demand, sites } = handNetwork();
    const captured = (p: { alpha?: number; beta?: number; minDistanceM?: number }) => Array.from(new HuffModel(demand, sites, { cutoffM: 1200, ...p }).evaluate().siteCaptured);
    // β = 1: D1 u = 1/200, 2/1050, 3/500 = 0.005, 0.0019048, 0.006; Σ = 0.0129048 → P = 0.387454, 0.147601, 0.464945.
    //        D2 u = 1/800, 2/100 = 0.00125, 0.02; Σ = 0.02125 → P = 0.058824, 0.941176.
    //        S1 = 38.7454 + 2.9412 = 41.6866, S2 = 14.7601 + 47.0588 = 61.8190, C1 = 46.4945.
    // A gentler decay lets the far, attractive competitor take more: our share falls from 119.08 to 103.51.
    const b1 = captured({ beta: 1 });
    expect(b1[0]).toBeCloseTo(41.68656392446277, 6);
    expect(b1[1]).toBeCloseTo(61.818971130887775, 6);
    expect(b1[2]).toBeCloseTo(46.494464944649444, 6);
    // α = 0: attractiveness no longer counts, only distance (β 2).
    //        D1 u = 1/200², 1/1050², 1/500² = 2.5e-5, 9.0703e-7, 4e-6; Σ = 2.990703e-5 → P = 0.835924, 0.030329, 0.133748.
    //        D2 u = 1/800², 1/100² = 1.5625e-6, 1e-4; Σ = 1.015625e-4 → P = 0.015385, 0.984615.
    //        S1 = 83.5924 + 0.7692 = 84.3616, S2 = 3.0329 + 49.2308 = 52.2636, C1 = 13.3748.
    const a0 = captured({ alpha: 0 });
    expect(a0[0]).toBeCloseTo(84.36161836495448, 6);
    expect(a0[1]).toBeCloseTo(52.263599619729725, 6);
    expect(a0[2]).toBeCloseTo(13.374782015315795, 6);
    // floor 300 m: S1 at 200 m from D1 and S2 at 50 m from D2 count as 300 m.
    //        D1 u = 1/300², 2/1050², 3/500² = 1.1111e-5, 1.81406e-6, 1.2e-5; Σ = 2.49252e-5 → P = 0.445779, 0.072780, 0.481441.
    //        D2 u = 1/800², 2/300² = 1.5625e-6, 2.2222e-5; Σ = 2.37847e-5 → P = 0.065693, 0.934307.
    const f300 = captured({ minDistanceM: 300 });
    expect(f300[0]).toBeCloseTo(47.86254635089621, 6);
    expect(f300[1]).toBeCloseTo(53.99334884561034, 6);
    expect(f300[2]).toBeCloseTo(48.144104803493455, 6);
  });

  it('handles empty demand and no sites, and rejects bad parameters', () => {
    const e = new HuffModel({ lon: [], lat: [], weight: [] }, { lon: [0], lat: [0], owner: ['own'] }).evaluate();
    expect([e.totalDemand, e.ownCapturedDemand]).toEqual([0, 0]);
    expect(e.owners[0].sharePct).toBeNaN();
    const n = new HuffModel({ lon: [0], lat: [0], weight: [3] }, { lon: [], lat: [], owner: [] }).evaluate();
    expect(n.unreachedDemand).toBe(3);
    expect(() => new HuffModel({ lon: [0], lat: [0], weight: [1] }, { lon: [0], lat: [0], owner: ['own'], attractiveness: [0] })).toThrow(/attractiveness of site 0/);
    expect(() => new HuffModel({ lon: [0], lat: [0], weight: [1] }, { lon: [0], lat: [0], owner: ['own'] }, { minDistanceM: 0 })).toThrow(/minDistanceM/);
  });
});

function randomCity(seed: number, nDemand: number, nSites: number) {
  const rng = mulberry32(seed);
  const demand = {
    lon: Float64Array.from({ length: nDemand }, () => 121.3 + rng() * 0.4),
    lat: Float64Array.from({ length: nDemand }, () => 31.0 + rng() * 0.4),
    weight: Float64Array.from({ length: nDemand }, () => Math.floor(rng() * 100)),
  };
  const owners = ['own', 'ICBC', 'CCB', 'own', 'BOC'];
  const sites = {
    lon: Array.from({ length: nSites }, () => 121.3 + rng() * 0.4),
    lat: Array.from({ length: nSites }, () => 31.0 + rng() * 0.4),
    owner: Array.from({ length: nSites }, (_, j) => owners[j % owners.length]),
    attractiveness: Array.from({ length: nSites }, () => 0.5 + rng() * 2),
  };
  return { demand, sites, rng };
}

describe('HuffModel, incremental', () => {
  it('a drag gives the same totals as a full recompute with the site moved', () => {
    const { demand, sites, rng } = randomCity(3, 2000, 60);
    const model = new HuffModel(demand, sites, { cutoffM: 3000 });
    const closed = new Uint8Array(60);
    closed[7] = 1;
    for (const j of [0, 3, 11]) {
      const drag = model.drag(j, closed);
      for (let step = 0; step < 5; step++) {
        const lon = 121.3 + rng() * 0.4, lat = 31.0 + rng() * 0.4;
        const fast = drag.moveTo(lon, lat);
        const moved = { ...sites, lon: sites.lon.map((x, q) => (q === j ? lon : x)), lat: sites.lat.map((y, q) => (q === j ? lat : y)) };
        const full = new HuffModel(demand, moved, { cutoffM: 3000 }).evaluate(closed);
        expect(fast.ownCapturedDemand).toBeCloseTo(full.ownCapturedDemand, 6);
        expect(fast.unreachedDemand).toBeCloseTo(full.unreachedDemand, 6);
        fast.owners.forEach((o, q) => expect(o.capturedDemand).toBeCloseTo(full.owners[q].capturedDemand, 6));
        let maxDiff = 0;
        for (let k = 0; k < 60; k++) maxDiff = Math.max(maxDiff, Math.abs(fast.siteCaptured[k] - full.siteCaptured[k]));
        expect(maxDiff).toBeLessThan(1e-6);
      }
    }
  });

  it('moveShares gives moveTo\'s totals by owner class (own, competitors) without per-site sums', () => {
    const { demand, sites, rng } = randomCity(7, 1500, 40);
    const model = new HuffModel(demand, sites, { cutoffM: 3000 });
    const closed = new Uint8Array(40);
    closed[2] = 1;
    for (const j of [0, 1, 3]) { // own, competitor, own
      const drag = model.drag(j, closed);
      const base = drag.baseline().siteCaptured;
      for (let step = 0; step < 5; step++) {
        const lon = 121.3 + rng() * 0.4, lat = 31.0 + rng() * 0.4;
        const full = drag.moveTo(lon, lat);
        const fast = drag.moveShares(lon, lat);
        let own = 0, others = 0;
        for (let k = 0; k < 40; k++) {
          if (k === j) continue;
          if (model.ownerOf[k] === 0) own += base[k] - full.siteCaptured[k];
          else others += base[k] - full.siteCaptured[k];
        }
        expect(fast.siteCaptured).toBeCloseTo(full.siteCaptured[j], 6);
        expect(fast.ownCaptured).toBeCloseTo(full.ownCapturedDemand, 6);
        expect(fast.unreached).toBeCloseTo(full.unreachedDemand, 6);
        expect(fast.takenFromOwn).toBeCloseTo(own, 6);
        expect(fast.takenFromOthers).toBeCloseTo(others, 6);
        expect(fast.affectedDemandPoints).toBe(full.affectedDemandPoints);
      }
    }
  });

  it('a model build reports progress and stops on abort', () => {
    const { demand, sites } = randomCity(8, 500, 40);
    const seen: number[] = [];
    new HuffModel(demand, sites, {}, { onProgress: (done, total) => { expect(total).toBe(40); seen.push(done); } });
    expect(seen.at(-1)).toBe(40);
    expect(seen.length).toBeGreaterThan(1);
    const ac = new AbortController();
    ac.abort();
    expect(() => new HuffModel(demand, sites, {}, { signal: ac.signal })).toThrow(/abort/i);
  });

  it('a drag baseline is the network without the dragged site', () => {
    const { demand, sites } = randomCity(6, 800, 20);
    const model = new HuffModel(demand, sites, { cutoffM: 3000 });
    const closed = new Uint8Array(20);
    closed[4] = 1;
    const base = model.drag(4).baseline();
    const without = model.evaluate(closed);
    expect(base.ownCapturedDemand).toBeCloseTo(without.ownCapturedDemand, 9);
    expect(base.unreachedDemand).toBeCloseTo(without.unreachedDemand, 9);
  });

  it('siteImpact equals the difference of two full evaluations and adds up', () => {
    const { demand, sites } = randomCity(4, 1500, 40);
    const model = new HuffModel(demand, sites, { cutoffM: 2500 });
    const all = model.evaluate();
    for (const j of [0, 5, 13]) {
      const closed = new Uint8Array(40);
      closed[j] = 1;
      const without = model.evaluate(closed);
      const imp = model.siteImpact(j);
      expect(imp.capturedDemand).toBeCloseTo(all.siteCaptured[j], 6);
      imp.takenFrom.site.forEach((k, t) => expect(imp.takenFrom.demand[t]).toBeCloseTo(without.siteCaptured[k] - all.siteCaptured[k], 6));
      expect(imp.newlyReachedDemand).toBeCloseTo(without.unreachedDemand - all.unreachedDemand, 6);
      const sum = imp.takenFrom.demand.reduce((t, x) => t + x, 0) + imp.newlyReachedDemand;
      expect(sum).toBeCloseTo(imp.capturedDemand, 6);
    }
  });

  it('conserves demand: captured + unreached = total', () => {
    const { demand, sites } = randomCity(5, 1000, 30);
    const r = new HuffModel(demand, sites, { cutoffM: 2000 }).evaluate();
    const captured = r.owners.reduce((t, o) => t + o.capturedDemand, 0);
    expect(captured + r.unreachedDemand).toBeCloseTo(r.totalDemand, 6);
  });
});
