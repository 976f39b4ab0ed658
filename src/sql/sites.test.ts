/**
 * The Sites SQL on both engines (native DuckDB and duckdb-wasm): the network with its
 * attractiveness default, candidates in file order, population at a period.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { candidatesSql, latestPeriodSql, networkSql, populationSql } from './sites.ts';

describe('sites SQL text', () => {
  it('binds values and quotes identifiers', () => {
    const { sql, params } = populationSql("2024Q4'; DROP TABLE x; --", 'pop"ulation', 'ind icators');
    expect(params).toEqual(["2024Q4'; DROP TABLE x; --"]);
    expect(sql).not.toContain('DROP');
    expect(sql).toContain('"pop""ulation"');
    expect(sql).toContain('"ind icators"');
    expect(networkSql('si"tes')).toContain('"si""tes"');
  });
});

describeOnEachEngine('sites SQL on $name', (conn) => {
  beforeAll(async () => {
    await conn().exec(`CREATE TABLE sites (site_id VARCHAR, lon DOUBLE, lat DOUBLE, type VARCHAR, owner VARCHAR, name VARCHAR, attractiveness DOUBLE);
      INSERT INTO sites VALUES ('B2', 121.5, 31.2, 'Branch', 'own', 'two', NULL), ('B1', 121.4, 31.1, 'atm', 'own', 'one', 2.5), ('C1', 121.6, 31.3, 'branch', 'ICBC', NULL, 0);
      CREATE TABLE candidates (site_id VARCHAR, lon DOUBLE, lat DOUBLE, cost DOUBLE);
      INSERT INTO candidates VALUES ('K9', 121.1, 31.0, 1), ('K1', 121.2, 31.1, 2);
      CREATE TABLE indicators (area_id VARCHAR, period VARCHAR, period_index INTEGER, population DOUBLE);
      INSERT INTO indicators VALUES ('A', '2024Q1', 0, 100), ('B', '2024Q1', 0, 50), ('A', '2024Q2', 1, 110), ('B', '2024Q2', 1, NULL), ('A', '2024Q3', 2, NULL), ('B', '2024Q3', 2, NULL);`);
  });

  it('reads the network with lower-case types and attractiveness 1 where missing or not > 0', async () => {
    const rows = await conn().query<{ site_id: string; type: string; attractiveness: number }>(networkSql());
    expect(rows.map((r) => [r.site_id, r.type, r.attractiveness])).toEqual([['B1', 'atm', 2.5], ['B2', 'branch', 1], ['C1', 'branch', 1]]);
  });

  it('keeps candidates in file order', async () => {
    const rows = await conn().query<{ site_id: string; lon: number }>(candidatesSql());
    expect(rows.map((r) => r.site_id)).toEqual(['K9', 'K1']);
  });

  it('finds the latest period with population and reads it per area', async () => {
    const [p] = await conn().query<{ period: string }>(latestPeriodSql());
    expect(p.period).toBe('2024Q2');
    const { sql, params } = populationSql(p.period);
    const rows = await conn().query<{ area_id: string; population: number | null }>(sql, params);
    expect(Object.fromEntries(rows.map((r) => [r.area_id, r.population]))).toEqual({ A: 110, B: null });
  });
});
