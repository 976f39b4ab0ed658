/**
 * Polygon validity and repair (issue 15): each flaw from the fault campaign, by hand-built
 * polygons whose repaired form and area are known.
 */
import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { MAX_REPAIR_VERTICES, MAX_VERTICES_PER_AREA, polygonFlaw, repairAreaGeometry } from './area-repair.ts';
import { polygonAreaM2, ringAreaM2 } from '../core/polygon-area.ts';
import { englishReason } from '../../test/fixtures/reason-text.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const poly = (...rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings });
/** Counter-clockwise lon/lat rectangle. */
const rect = (w: number, s: number, e: number, n: number): Position[] => [[w, s], [e, s], [e, n], [w, n], [w, s]];
const cw = (r: Position[]) => [...r].reverse();

function ok(g: Polygon | MultiPolygon) {
  const r = repairAreaGeometry(g);
  if (!r.ok) throw new Error(`refused: ${englishReason({ ...r.problem, params: { feature: 0, ...r.problem.params } })}`);
  return r;
}
/** The refusal in English, as said after "features[i]: ". */
function refused(g: Polygon | MultiPolygon): string {
  const r = repairAreaGeometry(g);
  if (r.ok) throw new Error('repaired, expected a refusal');
  return englishReason({ ...r.problem, params: { feature: 0, ...r.problem.params } }).replace(/^features\[0\]: /, '');
}
const areaKm2 = (g: Polygon | MultiPolygon) =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).reduce((s, p) => s + polygonAreaM2(p), 0) / 1e6;

describe('repairAreaGeometry', () => {
  it('keeps a valid polygon with a hole as it is, with no repair', () => {
    const g = poly(rect(121, 31, 121.1, 31.1), cw(rect(121.02, 31.02, 121.05, 31.05)));
    const r = ok(g);
    expect(r.repairs).toEqual([]);
    expect(r.geometry).toEqual(g);
    expect(r.vertices).toBe(10);
  });

  it('closes an open ring, removes repeated positions and rewinds against RFC 7946, saying each', () => {
    const r = ok(poly([[121, 31], [121, 31.1], [121, 31.1], [121.1, 31.1], [121.1, 31]]));
    expect(r.repairs.map((x) => x.code).sort()).toEqual(['closed', 'duplicates', 'rewound']);
    expect(r.geometry.coordinates).toEqual([[[121, 31], [121.1, 31], [121.1, 31.1], [121, 31.1], [121, 31]]]);
    expect(ringAreaM2((r.geometry as Polygon).coordinates[0])).toBeGreaterThan(0);
  });

  it('splits a bow-tie into its two triangles (the union of its inside), area = two triangles', () => {
    const r = ok(poly([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]));
    expect(r.geometry.type).toBe('MultiPolygon');
    expect((r.geometry as MultiPolygon).coordinates).toHaveLength(2);
    expect(r.repairs[0].code).toBe('madeValid');
    expect(r.repairs[0].text).toMatch(/^ring 0 crosses itself near 1\.00000, 1\.00000: made valid by a polygon union \(2 polygons/);
    // two triangles of half-width 1°: together about half the 2° × 2° square
    const square = polygonAreaM2([rect(0, 0, 2, 2)]) / 1e6;
    expect(areaKm2(r.geometry) / square).toBeCloseTo(0.5, 2);
  });

  it('refuses a hole bigger than its outer ring: nothing is left', () => {
    expect(refused(poly(rect(121, 31, 121.1, 31.1), cw(rect(120.9, 30.9, 121.2, 31.2))))).toBe(
      'hole 1 is bigger than its outer ring: nothing of the area is left once its holes are taken out',
    );
  });

  it('takes out a hole that crosses its outer ring, and drops one outside it', () => {
    const crossing = ok(poly(rect(0, 0, 2, 2), cw(rect(1, 1, 3, 3))));
    expect(crossing.repairs[0].text).toMatch(/^ring 0 and ring 1 touch or cross near/);
    const want = polygonAreaM2([rect(0, 0, 2, 2)]) - polygonAreaM2([rect(1, 1, 2, 2)]);
    expect(areaKm2(crossing.geometry) * 1e6 / want).toBeCloseTo(1, 6);
    const outside = ok(poly(rect(0, 0, 1, 1), cw(rect(5, 5, 6, 6))));
    expect(outside.repairs[0].text).toMatch(/^hole 1 lies outside its outer ring: made valid/);
    expect(outside.geometry).toEqual(poly(rect(0, 0, 1, 1)));
  });

  it('refuses a whole-world polygon and one crossing the antimeridian, telling to split it', () => {
    expect(refused(poly(rect(-180, -90, 180, 90)))).toMatch(/^ring 0 runs across the ±180° meridian .* split it at ±180° into a MultiPolygon$/);
    expect(refused(poly([[170, 10], [-170, 10], [-170, 20], [170, 20], [170, 10]]))).toMatch(/runs across the ±180° meridian between positions 0 and 1/);
    expect(refused(poly([[-100, 0], [0, 0], [100, 0], [100, 10], [0, 10], [-100, 10], [-100, 0]]))).toMatch(/^ring 0 spans 200° of longitude; an area must span less than 180°/);
  });

  it('refuses an outer ring on one line or with under 3 distinct positions; drops such a hole', () => {
    expect(refused(poly([[0, 0], [1, 0], [2, 0], [0, 0]]))).toBe('ring 0 encloses no area (its positions lie on one line)');
    expect(refused(poly([[0, 0], [1, 0], [0, 0]]))).toBe('ring 0 has 2 distinct positions; an outer ring needs at least 3');
    const r = ok(poly(rect(0, 0, 1, 1), [[0.5, 0.5], [0.6, 0.6], [0.5, 0.5]]));
    expect(r.repairs.map((x) => x.code)).toEqual(['holeDropped']);
    expect(r.geometry).toEqual(poly(rect(0, 0, 1, 1)));
  });

  it('names the MultiPolygon part at fault', () => {
    const m: MultiPolygon = { type: 'MultiPolygon', coordinates: [[rect(0, 0, 1, 1)], [rect(2, 0, 3, 1), cw(rect(1.5, -1, 3.5, 2))]] };
    expect(refused(m)).toBe('polygon 1, hole 1 is bigger than its outer ring: nothing of the area is left once its holes are taken out');
  });

  it(`simplifies an area over ${MAX_VERTICES_PER_AREA.toLocaleString('en-US')} positions with a stated tolerance, keeping its area within 0.1 %`, () => {
    // a 200,000-position "coastline": a circle of radius 0.5° with a 3-m random wobble
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const n = 200_000;
    const ring: Position[] = [];
    for (let i = 0; i < n; i++) {
      const t = (2 * Math.PI * i) / n;
      const r = 0.5 + (rnd() - 0.5) * 0.00003;
      ring.push([121 + r * Math.cos(t), 31 + r * Math.sin(t)]);
    }
    ring.push(ring[0]);
    const before = polygonAreaM2([ring]);
    const r = ok(poly(ring));
    expect(r.vertices).toBeLessThanOrEqual(MAX_VERTICES_PER_AREA);
    expect(r.vertices).toBeGreaterThan(1000);
    const s = r.repairs.find((x) => x.code === 'simplified')!;
    expect(s.text).toMatch(/^200,001 positions simplified to [\d,]+ \(Douglas–Peucker, tolerance \d+ m\), above the limit of 50,000 per area$/);
    expect(Number(s.params.toleranceM)).toBeLessThan(50);
    expect(Math.abs(polygonAreaM2((r.geometry as Polygon).coordinates) / before - 1)).toBeLessThan(0.001);
  });

  it(`refuses to repair a self-intersecting ring over ${MAX_REPAIR_VERTICES.toLocaleString('en-US')} positions, naming a GIS fix`, () => {
    const ring: Position[] = [];
    const n = MAX_REPAIR_VERTICES + 10;
    for (let i = 0; i < n; i++) ring.push([121 + Math.cos((2 * Math.PI * i) / n) * 0.5, 31 + Math.sin((2 * Math.PI * i) / n) * 0.5]);
    ring.splice(10, 0, [120.4, 31]); // a spike across the ring, out through its west side
    ring.push(ring[0]);
    expect(refused(poly(ring))).toMatch(/^ring 0 crosses itself near .* and has 20,012 positions, more than the 20,000 repaired here; repair it in a GIS/);
  });
});

describe('polygonFlaw', () => {
  it('finds no flaw in valid polygons and finds a hole inside another hole', () => {
    expect(polygonFlaw(poly(rect(0, 0, 4, 4), cw(rect(1, 1, 2, 2)), cw(rect(2.5, 2.5, 3, 3))).coordinates)).toBeNull();
    expect(polygonFlaw(poly(rect(0, 0, 4, 4), cw(rect(1, 1, 3, 3)), cw(rect(1.5, 1.5, 2, 2))).coordinates)).toEqual({ kind: 'hole', text: 'hole 2 lies inside hole 1', code: 'holeInHole', params: { hole: 2, other: 1 } });
  });

  it('finds a ring touching itself at a vertex and a spike folding back', () => {
    const touching = [[0, 0], [2, 0], [2, 2], [1, 0], [0, 2], [0, 0]];
    expect(polygonFlaw([touching])).toMatchObject({ kind: 'crossing' });
    const spike = [[0, 0], [1, 0], [1, 1], [2, 1], [1, 1], [0, 1], [0, 0]];
    expect(polygonFlaw([spike])).toMatchObject({ kind: 'crossing' });
  });

  it('with ringsMayTouch lets a hole meet its outer ring at a point, never cross it or run along it', () => {
    const outer = rect(0, 0, 4, 4);
    const touchingHole = cw([[0, 2], [2, 1], [2, 3], [0, 2]]); // its vertex (0, 2) lies on the outer ring's west edge
    expect(polygonFlaw([outer, touchingHole])).toMatchObject({ kind: 'crossing', code: 'ringsCross' });
    expect(polygonFlaw([outer, touchingHole], { ringsMayTouch: true })).toBeNull();
    const crossingHole = cw(rect(3, 1, 5, 2));
    expect(polygonFlaw([outer, crossingHole], { ringsMayTouch: true })).toMatchObject({ code: 'ringsCross' });
    const alongEdge = cw([[0, 1], [1, 1.5], [0, 3], [0, 1]]); // shares a stretch of the west edge
    expect(polygonFlaw([outer, alongEdge], { ringsMayTouch: true })).toMatchObject({ code: 'ringsCross' });
    // the same ring meeting itself stays a flaw
    expect(polygonFlaw([[[0, 0], [2, 0], [2, 2], [1, 0], [0, 2], [0, 0]]], { ringsMayTouch: true })).toMatchObject({ code: 'selfCrossing' });
  });
});

describe('repair at floating-point precision (fuzz case 8269)', () => {
  const fixture = (f: string) => JSON.parse(readFileSync(join('test', 'fixtures', f), 'utf8')) as GeoJSON.FeatureCollection<Polygon | MultiPolygon>;

  it('refuses a ring whose positions lie a few ulps apart: the union leaves a sliver of no area, never a crossing ring', () => {
    const a6 = fixture('fuzz-area-kept-crossing.geojson').features.find((f) => f.properties?.area_id === 'A6')!;
    // positions differ by ~1e-13°: the only extent is a 0.0015° segment along one latitude
    expect(refused(a6.geometry)).toMatch(/^ring 0 crosses itself near 102\.03554, 24\.02054: no area is left once it is made valid/);
  });

  it('refuses a valid triangle whose positions lie a few ulps apart (fuzz case 1034: H3 could not fill it)', () => {
    const sliver = [[120.70182505033377, 35.57634271508172], [120.70182505033378, 35.57634271421043], [120.70182505033377, 35.57634271421043], [120.70182505033377, 35.57634271508172]];
    expect(polygonFlaw([sliver])).toBeNull(); // valid by exact predicates
    expect(refused(poly(sliver))).toBe('ring 0 encloses no area (its positions lie on one line)');
  });

  it('still repairs every demo district as before (7 and 11 have a hole touching the outer ring after the union)', () => {
    const demo = JSON.parse(readFileSync(join('public', 'demo', 'areas.geojson'), 'utf8')) as GeoJSON.FeatureCollection<Polygon | MultiPolygon>;
    const made: number[] = [];
    demo.features.forEach((f, i) => {
      const r = ok(f.geometry);
      for (const rings of r.geometry.type === 'Polygon' ? [r.geometry.coordinates] : r.geometry.coordinates) {
        expect(polygonFlaw(rings, { ringsMayTouch: true })).toBeNull();
      }
      if (r.repairs.some((x) => x.code === 'madeValid')) made.push(i);
      if (i === 7) expect(r.vertices).toBe(521);
      if (i === 11) expect(r.vertices).toBe(540);
    });
    expect(made).toContain(7);
    expect(made).toContain(11);
  });
});
