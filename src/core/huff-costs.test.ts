/**
 * Huff with a cost file (DESIGN.md: the cost replaces the distance in the decay), checked by
 * hand. Demand H1 (10), H2 (20), H3 (5); our site S1, a competitor C1; candidates Ka, Kb.
 * Costs (minutes): H1–S1 8, H1–C1 4, H1–Ka 5, H1–Kb 20; H2–C1 6, H2–Ka 12, H2–Kb 4;
 * H3–S1 30, H3–Kb 9. α = 1, β = 2, floor 1, every attractiveness 1, so u = 1/c².
 * All positions coincide: with straight lines every site would be equally near everyone.
 */
import { describe, expect, it } from 'vitest';
import { buildCostTable, huffCostPairs } from './cost-matrix.ts';
import { HuffModel } from './huff.ts';
import { solveHuffGreedy } from './huff-selection.ts';

const u = (c: number) => 1 / (c * c);
// Before: H1 ours u(8) against C1's u(4); H2 only C1 (ours 0); H3 only S1 (all ours).
const before = 10 * (u(8) / (u(8) + u(4))) + 0 + 5;
const gainKa = 10 * ((u(8) + u(5)) / (u(8) + u(4) + u(5)) - u(8) / (u(8) + u(4))) + 20 * (u(12) / (u(6) + u(12)));
const gainKb = 10 * ((u(8) + u(20)) / (u(8) + u(4) + u(20)) - u(8) / (u(8) + u(4))) + 20 * (u(4) / (u(6) + u(4)));

function input() {
  // Demand rows 0..2 = H1..H3; network 0 = C1, 1 = S1 (networkSql orders by site_id); candidates 0 = Ka, 1 = Kb.
  const table = buildCostTable(
    3, 2,
    { demand: Int32Array.from([0, 0, 1, 1, 2]), site: Int32Array.from([0, 1, 0, 1, 1]), cost: Float64Array.from([5, 20, 12, 4, 9]) },
    { demand: Int32Array.from([0, 2]), cost: Float64Array.from([8, 30]) },
    // H1–S1 listed twice: the lower cost counts, once.
    { demand: Int32Array.from([0, 0, 0, 1, 2]), site: Int32Array.from([1, 0, 1, 0, 1]), cost: Float64Array.from([8, 4, 11, 6, 30]) },
  );
  const source = Int32Array.from([0, 1, 2]);
  const at = { lon: [121.4, 121.4, 121.4], lat: [31.2, 31.2, 31.2] };
  return {
    demand: { ...at, weight: [10, 20, 5] },
    sites: { lon: [121.4, 121.4], lat: [31.2, 31.2], owner: ['C1', 'own'] },
    candidates: { lon: [121.4, 121.4], lat: [31.2, 31.2] },
    huff: { minDistanceM: 1 },
    costs: huffCostPairs(table, source, [0, 1]),
  };
}

describe('Huff with a cost file', () => {
  it('replaces distances by costs: before, gains and ranks as worked out by hand', () => {
    const x = input();
    expect(gainKb).toBeGreaterThan(gainKa);
    const r = solveHuffGreedy(x, { k: 2 });
    expect(r.ownCapturedBefore).toBeCloseTo(before, 10);
    expect(r.sites.map((s) => s.candidate)).toEqual([1, 0]);
    expect(r.sites[0].marginalDemand).toBeCloseTo(gainKb, 10);
    expect(r.sites[0].coveredDemand).toBeCloseTo(before + gainKb, 10);
    // Rank 2 given Kb open: Ka now shares H1 and H2 with Kb too.
    const h1 = 10 * ((u(8) + u(20) + u(5)) / (u(8) + u(4) + u(20) + u(5)) - (u(8) + u(20)) / (u(8) + u(4) + u(20)));
    const h2 = 20 * ((u(4) + u(12)) / (u(6) + u(4) + u(12)) - u(4) / (u(6) + u(4)));
    expect(r.sites[1].marginalDemand).toBeCloseTo(h1 + h2, 10);
    expect(r.sites[1].coveragePct).toBeCloseTo((100 * (before + gainKb + h1 + h2)) / 35, 9);
    // The model agrees with the selection's own bookkeeping.
    expect(new HuffModel(x.demand, x.sites, x.huff, { costs: x.costs.sites }).evaluate().ownCapturedDemand).toBeCloseTo(before, 10);
  });

  it('cuts off in the cost unit, floors in it, and lets no missing pair compete', () => {
    const x = input();
    // Cut-off 7: H1–S1 (8) drops, so H1 is only C1's; H3–S1 (30) drops: H3 is nobody's.
    const cut = solveHuffGreedy({ ...x, huff: { minDistanceM: 1, cutoffM: 7 } }, { k: 1 });
    expect(cut.ownCapturedBefore).toBeCloseTo(0, 12);
    // Ka (5 to H1, 12 cut) vs Kb (4 to H2): Ka takes u(5)/(u(4)+u(5)) of H1; Kb u(4)/(u(6)+u(4)) of H2.
    expect(cut.sites[0].candidate).toBe(1);
    expect(cut.sites[0].marginalDemand).toBeCloseTo(20 * (u(4) / (u(6) + u(4))), 10);
    // Floor 10: every cost below 10 counts as 10.
    const fl = solveHuffGreedy({ ...x, huff: { minDistanceM: 10 } }, { k: 1 });
    const v = (c: number) => u(Math.max(c, 10));
    expect(fl.ownCapturedBefore).toBeCloseTo(10 * (v(8) / (v(8) + v(4))) + 5, 10);
  });

  it('refuses to drag a site of a cost-based model and says why', () => {
    const x = input();
    expect(() => new HuffModel(x.demand, x.sites, x.huff, { costs: x.costs.sites }).drag(0)).toThrow(/cost file cannot drag/);
  });
});
