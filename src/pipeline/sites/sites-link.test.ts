import { describe, expect, it } from 'vitest';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { mulberry32 } from '../../core/rng.ts';
import { decodeHash, encodeHash, MAX_SLICE_CHARS } from '../share/permalink.ts';
import { packResult, parseSitesSlice, unpackResult, type PackedResult } from './sites-link.ts';
import type { RestoredResult, RestoredSite } from './sites-params.ts';

const AREAS = [['Huangpu', '黄浦区'], ['Xuhui', '徐汇区'], ['Changning', '长宁区'], ['Jing\'an', '静安区'], ['Putuo', '普陀区'], ['Hongkou', '虹口区'],
  ['Yangpu', '杨浦区'], ['Minhang', '闵行区'], ['Baoshan', '宝山区'], ['Jiading', '嘉定区'], ['Pudong', '浦东新区'], ['Songjiang', '松江区']];
const COMPASS = [['N', '北'], ['NE', '东北'], ['E', '东'], ['SE', '东南'], ['S', '南'], ['SW', '西南'], ['W', '西'], ['NW', '西北']];

/** A plan like the demo city's: H3 resolution-9 cell centres over Shanghai, names as sites-names.ts writes them. */
function plan(n: number, seed = 7): RestoredResult {
  const rnd = mulberry32(seed);
  const sites: RestoredSite[] = [];
  let covered = 37_423;
  for (let i = 0; i < n; i++) {
    const cell = latLngToCell(31.0 + rnd() * 0.4, 121.2 + rnd() * 0.5, 9);
    const [lat, lon] = cellToLatLng(cell);
    const [aen, azh] = AREAS[Math.floor(rnd() * AREAS.length)];
    const [cen, czh] = COMPASS[Math.floor(rnd() * 8)];
    const from = `${['陆家嘴', '人民广场', '中山公园', '长寿路', '徐家汇', '五角场'][Math.floor(rnd() * 6)]}支行ATM${1 + Math.floor(rnd() * 9)}`;
    const dist = rnd() < 0.5 ? `${10 * Math.round(rnd() * 99)} m` : `${(1 + rnd() * 4).toFixed(1)} km`;
    const marginal = Math.round(600 - 10 * i * rnd());
    covered += marginal;
    sites.push({
      id: i % 10 === 9 ? `${cell}-moved` : cell, lon: i % 10 === 9 ? lon + 0.0012345 : lon, lat, names: { en: `${aen} · ${from} ${cen} ${dist}`, 'zh-CN': `${azh} · ${from} ${czh} ${dist}` },
      origin: i === n - 1 ? 'dropped' : 'recommended', moved: i % 10 === 9, marginalDemand: marginal, coveredDemand: covered, coveragePct: (100 * covered) / 199_533,
      huffCaptured: 1234.56789 * rnd(), totalCost: NaN, meanCost: NaN,
    });
  }
  return {
    objective: 'coverage', solver: 'greedy', siteType: 'atm', radiusM: 500, at: 'points', costs: false, demandPoints: 199_533, totalDemand: 199_533,
    existingCoveredDemand: 37_423, coveredDemand: covered, coveragePct: (100 * covered) / 199_533, ownSharePct: 31.234567, sites,
  };
}

/** The parameters the Sites slice carries besides the result (sites-share.ts sharedState), at their longest usual values. */
const PARAMS = {
  mode: 'recommend', siteType: 'atm', k: 100, radiusM: 500, objective: 'coverage', solver: 'greedy', timeLimitS: 60, targetPct: 90, measure: 'customers',
  blendPct: 50, resolution: 9, minSpacingM: 0, replicates: 20, zones: [{ lon: 121.481234, lat: 31.231234, radiusM: 800 }], pinned: [], excluded: [],
  extraCandidates: [], closeIds: [], accessDistanceM: 1000, maxSharePct: 10, colouring: 'coverage', huff: { alpha: 1, beta: 2, cutoffM: 5000, minDistanceM: 100 },
  ran: true, pointSource: 'customers', useCosts: false,
};

/** What the list shows, to the precision the packed form keeps. */
function expectSame(a: RestoredResult, b: RestoredResult): void {
  const near = (x: number, y: number, tol: number) => (Number.isNaN(x) ? expect(y).toBeNaN() : expect(Math.abs(x - y)).toBeLessThanOrEqual(tol));
  expect([b.objective, b.solver, b.siteType, b.at, b.costs, b.maskedBelow]).toEqual([a.objective, a.solver, a.siteType, a.at, a.costs, a.maskedBelow]);
  for (const k of ['radiusM', 'demandPoints', 'totalDemand', 'existingCoveredDemand', 'coveredDemand'] as const) near(a[k], b[k], 0.005);
  near(a.coveragePct, b.coveragePct, 5e-5);
  near(a.ownSharePct, b.ownSharePct, 5e-5);
  expect(b.sites).toHaveLength(a.sites.length);
  a.sites.forEach((s, i) => {
    const t = b.sites[i];
    expect([t.id, t.names, t.origin, t.moved]).toEqual([s.id, s.names, s.origin, s.moved]);
    near(s.lon, t.lon, 5e-7);
    near(s.lat, t.lat, 5e-7);
    for (const k of ['marginalDemand', 'coveredDemand', 'huffCaptured', 'totalCost', 'meanCost'] as const) near(s[k], t[k], 0.005);
    near(s.coveragePct, t.coveragePct, 5e-5);
  });
}

describe('packed result (links with many sites)', () => {
  const hashOf = (slice: unknown) =>
    encodeHash({ camera: { center: [121.47, 31.23], zoom: 11, bearing: 0, pitch: 0 }, tab: 'sites', indicator: '', period: '', classMethod: '', classCount: 5, layers: {}, selectedAreaId: null, fingerprint: 'abc', slices: { sites: slice } });

  it(`round-trips 50 sites through a link within the ${MAX_SLICE_CHARS}-character slice limit`, () => {
    const r = plan(50);
    const slice = { ...PARAMS, rp: packResult(r) };
    const text = JSON.stringify(slice);
    // ~3,200 characters (the JSON form of the same result: ~17,000, a link filled at ~15 sites).
    expect(text.length).toBeLessThanOrEqual(MAX_SLICE_CHARS);
    expect(JSON.stringify({ ...PARAMS, result: r }).length).toBeGreaterThan(4 * text.length);
    const back = decodeHash(hashOf(slice));
    expect(back.problems).toEqual([]);
    const p = parseSitesSlice(back.state.slices!.sites);
    expectSame(r, p.result!);
    expect([p.ran, p.k]).toEqual([true, 100]);
  });

  it('round-trips 100 sites (a snapshot, or a link when the names repeat enough: ~5,200 characters with these)', () => {
    const r = plan(100);
    const slice = JSON.parse(JSON.stringify({ ...PARAMS, rp: packResult(r) }));
    expect(JSON.stringify(slice).length).toBeLessThan(JSON.stringify({ ...PARAMS, result: r }).length / 5);
    expectSame(r, parseSitesSlice(slice).result!);
    // Too long for a link (decodeHash refuses it): sharedState leaves such a result out, the link runs again.
    expect(decodeHash(hashOf(slice)).problems).toEqual([`s.sites: longer than ${MAX_SLICE_CHARS} characters`]);
  });

  it('keeps p-median costs, cells, an exact solver, masked figures and ids that are not H3 cells', () => {
    const r: RestoredResult = {
      ...plan(5), objective: 'pmedian', solver: 'exact', siteType: 'branch', at: 'cells', costs: true, maskedBelow: 10, radiusM: 1234.5, ownSharePct: NaN,
      existingCoveredDemand: NaN, coveredDemand: NaN, coveragePct: NaN,
    };
    r.sites = r.sites.map((s, i) => ({ ...s, id: ['K1', 'new-3', '候选 7', s.id, 'x'][i], totalCost: 222_500.25 * (i + 1), meanCost: 2225.5, marginalDemand: i === 2 ? NaN : s.marginalDemand, coveredDemand: NaN, coveragePct: NaN, lon: -s.lon, lat: -s.lat }));
    expectSame(r, unpackResult(packResult(r))!);
  });

  it('shows the same figures as before packing: positions to 0.1 m, demand to 0.01, percentages to 0.0001', () => {
    const r = plan(3);
    const back = unpackResult(packResult(r))!;
    expect(back.sites[0].huffCaptured).toBe(Math.round(r.sites[0].huffCaptured * 100) / 100);
    expect(back.coveragePct).toBe(Math.round(r.coveragePct * 1e4) / 1e4);
    expect(back.sites[0].lon).toBe(Math.round(r.sites[0].lon * 1e6) / 1e6);
  });
});

/** FNV-1a 32 over bytes, written again here (so the test does not borrow the code it checks). */
function fnv(b: Uint8Array): number {
  let h = 2166136261;
  for (const x of b) {
    h ^= x;
    h = Number((BigInt(h) * 16777619n) % 4294967296n);
  }
  return h;
}
const bytesOf = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
const textOf = (b: Uint8Array) => btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
/** `body` and `w` with a correct checksum: a link edited by someone who knows the format. */
function resealed(body: Uint8Array, w: PackedResult['w'] = good.w): PackedResult {
  const h = fnv(Uint8Array.from([...body, ...new TextEncoder().encode(JSON.stringify(w))]));
  return { b: textOf(Uint8Array.from([...body, h & 255, (h >>> 8) & 255, (h >>> 16) & 255, h >>> 24])), w };
}
const good = packResult(plan(20));

describe('a damaged or edited packed result is refused whole', () => {
  const b = good.b;

  it('the checksum and the decoder agree on an untouched link', () => {
    const bytes = bytesOf(b);
    expect(resealed(bytes.subarray(0, bytes.length - 4))).toEqual(good);
    expect(unpackResult(good)).toBeDefined();
  });

  it('refuses a changed, dropped or added character or word, bad characters and other shapes', () => {
    for (let i = 0; i < b.length; i += 7) {
      const c = b[i] === 'A' ? 'B' : 'A';
      expect(unpackResult({ ...good, b: b.slice(0, i) + c + b.slice(i + 1) })).toBeUndefined();
    }
    expect(unpackResult({ ...good, b: b.slice(0, -3) })).toBeUndefined();
    expect(unpackResult({ ...good, b: b + 'AA' })).toBeUndefined();
    expect(unpackResult({ ...good, b: b.replace(/.$/, '=') })).toBeUndefined();
    expect(unpackResult({ ...good, b: '<script>' })).toBeUndefined();
    const w = good.w.map((x) => (x === '·' ? '<b>' : x));
    expect(w).not.toEqual(good.w);
    expect(unpackResult({ b, w })).toBeUndefined();
    expect(unpackResult({ b, w: good.w.slice(1) })).toBeUndefined();
    expect(unpackResult({ b, w: [...good.w, 'x'] })).toBeUndefined();
    expect(unpackResult({ b, w: [...good.w.slice(0, -1), 42] })).toBeUndefined();
    for (const v of ['', b, 42, null, [], { b }, { w: good.w }]) expect(unpackResult(v)).toBeUndefined();
  });

  it('refuses a resealed stream that is truncated, has trailing bytes, a newer format, an unknown objective or a word index out of range', () => {
    const body = bytesOf(b).slice(0, -4);
    expect(unpackResult(resealed(body, good.w.slice(0, 3)))).toBeUndefined();
    expect(unpackResult(resealed(body.subarray(0, body.length - 3)))).toBeUndefined();
    expect(unpackResult(resealed(Uint8Array.from([...body, 0])))).toBeUndefined();
    const newer = body.slice();
    newer[0] = 2;
    expect(unpackResult(resealed(newer))).toBeUndefined();
    const objective = body.slice();
    objective[1] = 99;
    expect(unpackResult(resealed(objective))).toBeUndefined();
    // Every single-byte change after the header either still decodes to a valid result or is refused: never a throw.
    for (let i = 3; i < body.length; i += 3) {
      const x = body.slice();
      x[i] ^= 0x5a;
      expect(() => unpackResult(resealed(x))).not.toThrow();
    }
  });

  it('a link whose packed result is damaged keeps its parameters and runs the recommendation again', () => {
    const p = parseSitesSlice({ ...PARAMS, rp: { ...good, b: good.b.slice(0, -1) + (good.b.endsWith('A') ? 'B' : 'A') } });
    expect(p.result).toBeUndefined();
    expect(p.ran).toBe(true);
    expect(p.k).toBe(100);
  });

  it('older links with the JSON result still open', () => {
    const r = plan(3);
    const p = parseSitesSlice(JSON.parse(JSON.stringify({ ...PARAMS, result: r })));
    expect(p.result!.sites.map((s) => s.names)).toEqual(r.sites.map((s) => s.names));
    expect(p.result!.sites[0].totalCost).toBeNaN();
  });
});
