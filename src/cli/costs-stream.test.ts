/**
 * The CLI's streamed cost reader against the app's reader (one Arrow result, then
 * buildCostTable): the same table, value for value, on the hand-checked fixture of
 * sites.test.ts and on a shuffled random file; missing pairs stay unreachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeConnector } from '../db/native-connector.ts';
import { loadInputs } from '../data/load-inputs.ts';
import { readCosts } from '../pipeline/sites/sites-inputs.ts';
import { costReach, type CostTable } from '../core/cost-matrix.ts';
import { Hits } from '../core/spatial-index.ts';
import { mulberry32 } from '../core/rng.ts';
import type { LoadInput } from '../data/types.ts';
import { streamCostTable } from './costs-stream.ts';

const enc = new TextEncoder();
const file = (kind: LoadInput['kind'], fileName: string, text: string): LoadInput => ({ kind, fileName, bytes: enc.encode(text) });

async function loaded(inputs: LoadInput[]): Promise<NativeConnector> {
  const conn = await NativeConnector.create({ threads: 2 });
  await loadInputs(conn, inputs);
  return conn;
}

function expectSameTable(a: CostTable, b: CostTable): void {
  expect(a.numDemand).toBe(b.numDemand);
  expect(a.numCandidates).toBe(b.numCandidates);
  expect(Array.from(a.offsets)).toEqual(Array.from(b.offsets));
  expect(Array.from(a.site)).toEqual(Array.from(b.site));
  expect(Array.from(a.cost)).toEqual(Array.from(b.cost));
  expect(Array.from(a.existingCost)).toEqual(Array.from(b.existingCost));
  expect(a.network === undefined).toBe(b.network === undefined);
  if (a.network && b.network) {
    expect(Array.from(a.network.offsets)).toEqual(Array.from(b.network.offsets));
    expect(Array.from(a.network.site)).toEqual(Array.from(b.network.site));
    expect(Array.from(a.network.cost)).toEqual(Array.from(b.network.cost));
  }
}

describe('streamed cost reading (CLI)', () => {
  describe('the hand-checked fixture of sites.test.ts', () => {
    let conn: NativeConnector;
    beforeAll(async () => {
      conn = await loaded([
        file('demand_points', 'd.csv', 'point_id,lon,lat,weight\nH1,121.40,31.20,10\nH2,121.43,31.20,20\nH3,121.46,31.20,5\nH4,121.49,31.20,1\n'),
        file('candidates', 'k.csv', 'site_id,lon,lat\nKa,121.40,31.23\nKb,121.43,31.23\nKc,121.46,31.23\n'),
        file('sites', 's.csv', 'site_id,lon,lat,type,owner\nS1,121.40,31.26,branch,own\nC1,121.46,31.26,branch,rival\n'),
        // ZZ names no demand point; H2,Kc has a negative cost (rejected by the loader); H4 has no pair.
        file('costs', 'c.csv', 'demand_id,site_id,cost\nH1,Kb,20\nH1,Ka,5\nH2,Ka,12\nH2,Kb,4\nH3,Kb,9\nH1,S1,8\nH3,S1,30\nH1,C1,4\nH2,C1,6\nZZ,Ka,1\nH2,Kc,-1\n'),
      ]);
    });
    afterAll(async () => conn.close());

    it('gives the same table as the app reader, with and without the network pairs', async () => {
      for (const withNetwork of [false, true]) {
        const app = await readCosts(conn, 'demand_points', 4, 3, 'branch', true, withNetwork);
        const cli = await streamCostTable(conn.conn, 'demand_points', 4, 3, 'branch', true, withNetwork);
        expectSameTable(cli, app);
        expect(cli.pairs).toBe(app.pairs);
      }
    });

    it('holds exactly the file\'s valid pairs, rows by candidate, and leaves missing pairs unreachable', async () => {
      const t = await streamCostTable(conn.conn, 'demand_points', 4, 3, 'branch', true, true);
      expect(t.pairs).toBe(5);
      expect(Array.from(t.offsets)).toEqual([0, 2, 4, 5, 5]);
      expect(Array.from(t.site)).toEqual([0, 1, 0, 1, 1]); // H1: Ka 5, Kb 20 (listed Kb first)
      expect(Array.from(t.cost)).toEqual([5, 20, 12, 4, 9]);
      expect(Array.from(t.existingCost)).toEqual([8, Infinity, 30, Infinity]);
      // Reach at an enormous radius: only listed pairs cover, a point without pairs has no site.
      const reach = costReach(t, 1e12, [0, 1, 2, 3]);
      const hits = new Hits();
      expect(reach.candidatesOf(3, hits)).toBe(0);
      expect(reach.existingCovers(3)).toBe(false);
      expect(reach.candidatesOf(2, hits)).toBe(1);
      expect(hits.index[0]).toBe(1);
      // Kc (the rejected negative pair) reaches nobody.
      expect(Array.from(t.site)).not.toContain(2);
    });
  });

  it('gives the same table as the app reader on a shuffled random file with gaps', async () => {
    const rng = mulberry32(7);
    const N = 3000, K = 60;
    const pts = Array.from({ length: N }, (_, i) => `P${i},${(121.3 + rng() * 0.2).toFixed(6)},${(31.1 + rng() * 0.2).toFixed(6)},${1 + Math.floor(rng() * 5)}`);
    const cands = Array.from({ length: K }, (_, j) => `K${j},${(121.3 + rng() * 0.2).toFixed(6)},${(31.1 + rng() * 0.2).toFixed(6)}`);
    const sites = ['S0,121.35,31.15,atm,own', 'S1,121.45,31.25,atm,own', 'R0,121.40,31.20,atm,rival', 'B0,121.40,31.21,branch,own'];
    const pairs: string[] = [];
    for (let i = 0; i < N; i++) {
      if (rng() < 0.1) continue; // a tenth of the points have no pair at all
      for (let j = 0; j < K; j++) if (rng() < 0.15) pairs.push(`P${i},K${j},${(rng() * 3000).toFixed(3)}`);
      for (const s of ['S0', 'S1', 'R0', 'B0']) if (rng() < 0.3) pairs.push(`P${i},${s},${(rng() * 3000).toFixed(3)}`);
      if (rng() < 0.02) pairs.push(`Q${i},K0,1`); // an unknown demand id
    }
    for (let p = pairs.length - 1; p > 0; p--) { const q = Math.floor(rng() * (p + 1)); [pairs[p], pairs[q]] = [pairs[q], pairs[p]]; }
    const conn = await loaded([
      file('demand_points', 'd.csv', `point_id,lon,lat,weight\n${pts.join('\n')}\n`),
      file('candidates', 'k.csv', `site_id,lon,lat\n${cands.join('\n')}\n`),
      file('sites', 's.csv', `site_id,lon,lat,type,owner\n${sites.join('\n')}\n`),
      file('costs', 'c.csv', `demand_id,site_id,cost\n${pairs.join('\n')}\n`),
    ]);
    try {
      for (const withNetwork of [false, true]) {
        const app = await readCosts(conn, 'demand_points', N, K, 'atm', true, withNetwork);
        const cli = await streamCostTable(conn.conn, 'demand_points', N, K, 'atm', true, withNetwork);
        expectSameTable(cli, app);
        expect(cli.pairs).toBeGreaterThan(0.1 * N * K * 0.9 * 0.9);
      }
      // No temporary table is left behind.
      expect(await conn.query(`SELECT * FROM duckdb_tables() WHERE table_name LIKE '__bp_cost%'`)).toEqual([]);
    } finally {
      await conn.close();
    }
  }, 120_000);
});
