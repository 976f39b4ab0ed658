/**
 * A hand-checkable city for the Sites tests (the CLI fixture's geometry, test/fixtures/sites):
 * demand stacked on four points A 10, B 7, C 5, D 3 customers; our branch OB1 150 m from A,
 * a competitor branch XB1 next to C, our ATM OA1 on D; candidates on A, B, C, D and K_BC midway
 * between B and C (1.13 km from each, so R = 1500 m covers both).
 */
import type { NetworkSites, PointSet, StudyCells } from './sites-model.ts';

const P = {
  A: [121.454293, 31.252169], B: [121.448586, 31.197039], C: [121.471395, 31.203036], D: [121.547032, 31.141186],
} as const;

export function tinyCity() {
  const pts = [P.A, P.B, P.C, P.D];
  const cells: StudyCells = {
    h3: ['a', 'b', 'c', 'd'], lon: Float64Array.from(pts, (p) => p[0]), lat: Float64Array.from(pts, (p) => p[1]),
    areaIndex: new Int32Array(4), areaCount: 1,
  };
  const network: NetworkSites = {
    id: ['OB1', 'XB1', 'OA1'],
    lon: Float64Array.from([121.45587, 121.472, 121.547032]),
    lat: Float64Array.from([31.252169, 31.204, 31.141186]),
    type: ['branch', 'branch', 'atm'],
    owner: ['own', 'ICBC', 'own'],
    attractiveness: Float64Array.from([1, 1, 1]),
  };
  const candidatesFile: PointSet = {
    id: ['K_A', 'K_B', 'K_C', 'K_D', 'K_BC'],
    lon: Float64Array.from([121.454293, P.B[0], P.C[0], P.D[0], 121.459991]),
    lat: Float64Array.from([31.251, P.B[1], P.C[1], P.D[1], 31.200038]),
  };
  return { cells, customers: Float64Array.from([10, 7, 5, 3]), areaPopulation: null, network, candidatesFile };
}

