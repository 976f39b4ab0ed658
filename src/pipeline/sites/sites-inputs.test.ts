/**
 * Customers as the Sites engine's demand points on both engines: one point per customer when
 * they are few, else merged on the finest grid that gives few enough points — the count kept
 * as weight, each point at its customers' mean location, and the run told so.
 */
import { beforeAll, expect, it } from 'vitest';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { describeOnEachEngine } from '../../db/connector-factories.ts';
import { haversineM as haversine } from '../../core/haversine.ts';
import { readCustomerDemand, readCustomerPoints } from './sites-inputs.ts';
import { buildDemand, type StudyCells } from './sites-model.ts';

// 1,000 customers in 40 clusters 1 km apart (8 × 5 around 121.45°E 31.2°N), each customer
// within ~1 m of its cluster's centre; row order interleaves the clusters.
const CLUSTERS = 40;
const customers = Array.from({ length: 1000 }, (_, i) => {
  const c = i % CLUSTERS;
  const jitter = ((i * 7919) % 200) / 200 - 0.5; // −0.5 … 0.5
  return { lon: 121.45 + (c % 8) * 0.0105 + jitter * 1e-5, lat: 31.2 + Math.floor(c / 8) * 0.009 + jitter * 0.8e-5 };
});

describeOnEachEngine('customer demand points on $name', (conn) => {
  beforeAll(async () => {
    await conn().exec(`CREATE TABLE customers (customer_id VARCHAR, lon DOUBLE, lat DOUBLE);
      INSERT INTO customers VALUES ${customers.map((p, i) => `('C${i}', ${p.lon}, ${p.lat})`).join(', ')};`);
  });

  it('keeps one point per customer, in table order, when they are few enough', async () => {
    const exact = await readCustomerPoints(conn());
    const demand = await readCustomerDemand(conn(), 1000);
    expect(demand.merged).toBeUndefined();
    expect(Array.from(demand.lon)).toEqual(Array.from(exact.lon));
    expect(Array.from(demand.lat)).toEqual(Array.from(exact.lat));
    expect(Array.from(demand.weight)).toEqual(new Array(1000).fill(1));
  });

  it('merges the customers of each grid square into one point at their mean location, weighing their number', async () => {
    const demand = await readCustomerDemand(conn(), 100);
    expect(demand.merged?.customers).toBe(1000);
    // The clusters are ~1 m wide: a grid of a few metres holds each in one or two squares.
    expect(demand.merged!.cellM).toBeLessThanOrEqual(10);
    const n = demand.lon.length;
    expect(n).toBeGreaterThanOrEqual(CLUSTERS);
    expect(n).toBeLessThanOrEqual(100);
    expect(demand.weight.reduce((a, b) => a + b, 0)).toBe(1000);
    // Every customer has a point within the square's diagonal; the weighted centre is the customers'.
    for (const c of customers) {
      let best = Infinity;
      for (let j = 0; j < n; j++) best = Math.min(best, haversine(c.lon, c.lat, demand.lon[j], demand.lat[j]));
      expect(best).toBeLessThanOrEqual(demand.merged!.cellM * Math.SQRT2);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    let wl = 0;
    for (let j = 0; j < n; j++) wl += demand.lon[j] * demand.weight[j];
    expect(wl / 1000).toBeCloseTo(mean(customers.map((c) => c.lon)), 9);
    // Points come in the order of their first customer: customer 0's cluster first.
    expect(haversine(customers[0].lon, customers[0].lat, demand.lon[0], demand.lat[0])).toBeLessThan(5);
  });

  it('merges coarser when a fine grid still gives too many points', async () => {
    const demand = await readCustomerDemand(conn(), 20);
    expect(demand.weight.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(demand.lon.length).toBeLessThanOrEqual(20 * 1.1);
    // 40 clusters 1 km apart fit in ≤ 20 squares only with squares wider than 1 km.
    expect(demand.merged!.cellM).toBeGreaterThan(1000);
  });
});

it('the run says when customers were merged (and into how many points, on which grid)', () => {
  const h3 = [...new Set(customers.map((c) => latLngToCell(c.lat, c.lon, 8)))];
  const cells: StudyCells = {
    h3,
    lon: Float64Array.from(h3, (h) => cellToLatLng(h)[1]),
    lat: Float64Array.from(h3, (h) => cellToLatLng(h)[0]),
    areaIndex: new Int32Array(h3.length),
    areaCount: 1,
  };
  const points = { lon: Float64Array.of(121.45, 121.4605), lat: Float64Array.of(31.2, 31.2), weight: Float64Array.of(600, 400) };
  const merged = buildDemand({ cells, customers: null, areaPopulation: null, points: { ...points, merged: { customers: 1000, cellM: 5 } } }, { measure: 'customers' });
  expect(merged.warnings).toContainEqual({ code: 'points_merged', params: { customers: 1000, points: 2, metres: 5 } });
  expect(merged.totalCustomers).toBe(1000);
  const exact = buildDemand({ cells, customers: null, areaPopulation: null, points }, { measure: 'customers' });
  expect(exact.warnings.map((w) => w.code)).not.toContain('points_merged');
});
