import { describe, expect, it } from 'vitest';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { mulberry32 } from '../../core/rng.ts';
import fc from 'fast-check';
import { decodeHash, encodeHash, MAX_LINK_CHARS, MAX_SLICE_CHARS } from '../share/permalink.ts';
import { packResult, packResultV1, parseSitesSlice, unpackResult, type PackedResult } from './sites-link.ts';
import { parseResult, type RestoredResult, type RestoredSite } from './sites-params.ts';

/** A link written by the format-1 encoder (scratch script over packResult before format 2). */
const V1_HASH =
  '#bp=1&c=121.47%2C31.23&z=11&b=0&p=0&tab=sites&cc=5&fp=abc&s.sites=%7B%22k%22%3A2%2C%22ran%22%3Atrue%2C%22rp%22%3A%7B%22b%22%3A%22AQACoY0GqdqDE6nagxO56cgDnb3XA8PQF7WQJgIUhoTsc4a05B0ABwECAwQFBgcGCAIJCgYHk8YIrfYDAAAW4NQD39QDCwgMDQIODxAREgYTAhQVERLTjQafnAEAAHAzkcQ%22%2C%22w%22%3A%5B%2289309958d1bffff%22%2C%22Pudong%22%2C%22%C2%B7%22%2C%22Lujiazui%22%2C%22Branch%22%2C%22NE%22%2C%221.2%22%2C%22km%22%2C%22%E6%B5%A6%E4%B8%9C%E6%96%B0%E5%8C%BA%22%2C%22%E9%99%86%E5%AE%B6%E5%98%B4%E6%94%AF%E8%A1%8C%22%2C%22%E4%B8%9C%E5%8C%97%22%2C%22K-7%22%2C%22Huangpu%22%2C%22%3Cb%3E%26amp%3B%22%2C%22People%27s%22%2C%22Square%22%2C%22SW%22%2C%22640%22%2C%22m%22%2C%22%E9%BB%84%E6%B5%A6%E5%8C%BA%22%2C%22%E4%BA%BA%E6%B0%91%E5%B9%BF%E5%9C%BA%22%2C%22%E8%A5%BF%E5%8D%97%22%5D%7D%7D';

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

/** What the list shows, to the precision the packed form keeps (format 2: per-site demand to 1, costs to 0.1; format 1: both to 0.01). */
function expectSame(a: RestoredResult, b: RestoredResult, tol = { demand: 0.5, cost: 0.05 }): void {
  const near = (x: number, y: number, t: number) => (Number.isNaN(x) ? expect(y).toBeNaN() : expect(Math.abs(x - y)).toBeLessThanOrEqual(t + 1e-9 * Math.abs(x)));
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
    for (const k of ['marginalDemand', 'coveredDemand', 'huffCaptured'] as const) near(s[k], t[k], tol.demand);
    for (const k of ['totalCost', 'meanCost'] as const) near(s[k], t[k], tol.cost);
    near(s.coveragePct, t.coveragePct, 5e-5);
  });
}

const hashOf = (slice: unknown) =>
  encodeHash({ camera: { center: [121.47, 31.23], zoom: 11, bearing: 0, pitch: 0 }, tab: 'sites', indicator: '', period: '', classMethod: '', classCount: 5, layers: {}, selectedAreaId: null, fingerprint: 'abc', slices: { sites: slice } });

describe('packed result, format 2 (links with many sites)', () => {
  it(`round-trips 500 sites through a link of at most ${MAX_LINK_CHARS} characters (~14 a site)`, () => {
    const lengths: number[] = [];
    for (const n of [50, 200, 500]) {
      const r = plan(n);
      const slice = { ...PARAMS, rp: packResult(r) };
      const hash = hashOf(slice);
      expect(hash.length).toBeLessThanOrEqual(MAX_LINK_CHARS);
      expect(encodeURIComponent(JSON.stringify(slice)).length).toBeLessThanOrEqual(MAX_SLICE_CHARS);
      lengths.push(hash.length);
      const back = decodeHash(hash);
      expect(back.problems).toEqual([]);
      const p = parseSitesSlice(back.state.slices!.sites);
      expectSame(r, p.result!);
      expect([p.ran, p.k]).toEqual([true, 100]);
    }
    console.log('link characters at 50, 200, 500 sites:', lengths.join(', '));
    // Measured 3,743, 7,628, 13,992: ~23 characters a site here, where one site in ten has an id of its own
    // (20 characters in the word table); ~14 when ids are H3 cells (format 1: ~40).
    expect((lengths[2] - lengths[0]) / 450).toBeLessThan(24);
  });

  it('is far shorter than format 1 and the JSON form', () => {
    const r = plan(100);
    const v2 = hashOf({ ...PARAMS, rp: packResult(r) }).length;
    expect(v2).toBeLessThan(0.6 * hashOf({ ...PARAMS, rp: packResultV1(r) }).length);
    expect(v2).toBeLessThan(0.1 * hashOf({ ...PARAMS, result: r }).length);
  });

  it('keeps p-median costs, cells, an exact solver, masked figures, unpaired names and ids that are not H3 cells', () => {
    const r: RestoredResult = {
      ...plan(5), objective: 'pmedian', solver: 'exact', siteType: 'branch', at: 'cells', costs: true, maskedBelow: 10, radiusM: 1234.5, ownSharePct: NaN,
      existingCoveredDemand: NaN, coveredDemand: NaN, coveragePct: NaN,
    };
    r.sites = r.sites.map((s, i) => ({
      ...s, id: ['K1', 'new-3', '候选 7', s.id, 'x'][i], totalCost: 222_500.25 * (i + 1), meanCost: 2225.5, marginalDemand: i === 2 ? NaN : s.marginalDemand,
      coveredDemand: NaN, coveragePct: NaN, lon: -s.lon, lat: -s.lat, names: i === 1 ? { en: 'Near the old  mill', 'zh-CN': '旧磨坊附近' } : s.names,
    }));
    expectSame(r, unpackResult(packResult(r))!);
  });

  it('shows the same figures as before packing: positions to 0.1 m, demand to whole units, percentages to 0.0001', () => {
    const r = plan(3);
    const back = unpackResult(packResult(r))!;
    expect(back.sites[0].huffCaptured).toBe(Math.round(r.sites[0].huffCaptured));
    expect(back.coveragePct).toBe(Math.round(r.coveragePct * 1e4) / 1e4);
    expect(back.sites[0].coveragePct).toBe(Math.round(r.sites[0].coveragePct * 1e4) / 1e4);
    expect(back.sites[0].lon).toBe(Math.round(r.sites[0].lon * 1e6) / 1e6);
  });

  it('round-trips any plan (fast-check): names of any words, any position, NaN figures', () => {
    const word = fc.oneof(fc.constantFrom('Pudong', '·', '浦东新区', 'NE', '东北', '1.2', 'km', '<b>', '"', '&amp;'), fc.string({ minLength: 1, maxLength: 8 }).filter((w) => !/\s/.test(w)));
    const name = fc.array(word, { minLength: 1, maxLength: 7 }).map((ws) => ws.join(' '));
    const fig = fc.oneof(fc.constant(NaN), fc.integer({ min: -100_000, max: 10_000_000 }));
    const site = fc.record({
      lon: fc.integer({ min: -180_000_000, max: 180_000_000 }).map((x) => x / 1e6), lat: fc.integer({ min: -85_000_000, max: 85_000_000 }).map((x) => x / 1e6),
      en: name, zh: name, dropped: fc.boolean(), moved: fc.boolean(), h3: fc.boolean(), marginal: fig, huff: fig, cost: fig, idText: fc.string({ minLength: 1, maxLength: 20 }),
    });
    fc.assert(
      fc.property(fc.array(site, { maxLength: 40 }), fc.integer({ min: 1, max: 5_000_000 }), (rows, total) => {
        let covered = 100;
        const r: RestoredResult = {
          objective: 'coverage', solver: 'greedy', siteType: 'atm', radiusM: 500, at: 'points', costs: false, demandPoints: total, totalDemand: total,
          existingCoveredDemand: 100, coveredDemand: 100, coveragePct: 100 / total, ownSharePct: 12.5,
          sites: rows.map((x) => {
            covered += Number.isFinite(x.marginal) ? x.marginal : 0;
            return {
              id: x.h3 ? latLngToCell(x.lat, x.lon, 9) : x.idText, lon: x.lon, lat: x.lat, names: { en: x.en, 'zh-CN': x.zh }, origin: x.dropped ? 'dropped' : 'recommended', moved: x.moved,
              marginalDemand: x.marginal, coveredDemand: covered, coveragePct: (100 * covered) / total, huffCaptured: x.huff, totalCost: x.cost, meanCost: x.cost / 10,
            };
          }),
        };
        const ok = parseResult(JSON.parse(JSON.stringify(r)));
        fc.pre(ok !== undefined);
        const back = unpackResult(JSON.parse(JSON.stringify(packResult(ok!))));
        expect(back).toBeDefined();
        expectSame(ok!, back!, { demand: 0.5, cost: 0.05 });
      }),
      { numRuns: 150 },
    );
  });
});

describe('links made before format 2 still open', () => {
  it('a format-1 link (written by the app before issue #12) opens with its names and figures', () => {
    // Made with the format-1 encoder, byte for byte; the name holds "<b>&amp;" to show it stays text.
    const { state, problems } = decodeHash(V1_HASH);
    expect(problems).toEqual([]);
    const p = parseSitesSlice(state.slices!.sites);
    const r = p.result!;
    expect(r.sites.map((s) => [s.id, s.names.en, s.names['zh-CN'], s.moved])).toEqual([
      ['89309958d1bffff', 'Pudong · Lujiazui Branch NE 1.2 km', '浦东新区 · 陆家嘴支行 东北 1.2 km', false],
      ['K-7', "Huangpu <b>&amp; · People's Square SW 640 m", '黄浦区 · 人民广场 西南 640 m', true],
    ]);
    expect(r.sites.map((s) => s.marginalDemand)).toEqual([700.25, 500.25]);
    expect(r.sites[1].coveredDemand).toBe(38623.5);
    expect(r.sites[0].lon).toBe(121.471235);
    expect([p.k, p.ran]).toEqual([2, true]);
  });

  it('format 1 packs and unpacks as before (the encoder kept for this test)', () => {
    const r = plan(20);
    expectSame(r, unpackResult(packResultV1(r))!, { demand: 0.005, cost: 0.005 });
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
const good = packResultV1(plan(20));

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
