import { describe, expect, it } from 'vitest';
import { HUFF_DEFAULTS } from '../../core/huff.ts';
import { decodeHash, encodeHash } from '../share/permalink.ts';
import { huffIssues, parseResult, parseShared, safeResult, usableHuff, type RestoredResult } from './sites-params.ts';

describe('parseShared', () => {
  it('keeps every valid field', () => {
    const v = {
      mode: 'closure', siteType: 'atm', k: 7, radiusM: 600, objective: 'huff', solver: 'exact', timeLimitS: 20, targetPct: 80, measure: 'blend',
      blendPct: 30, resolution: 9, minSpacingM: 400, replicates: 0, zones: [{ lon: 121.4, lat: 31.2, radiusM: 800 }], pinned: ['K1'], excluded: ['8830995839fffff'],
      extraCandidates: [{ id: 'new-1', lon: 121.5, lat: 31.3 }], closeIds: ['BR001'], accessDistanceM: 2000, maxSharePct: 10, colouring: 'huff',
      huff: { alpha: 0.5, beta: 1.5, cutoffM: 8000, minDistanceM: 50 }, ran: true,
    };
    expect(parseShared(JSON.parse(JSON.stringify(v)))).toEqual(v);
  });

  it('drops what does not fit, field by field', () => {
    const p = parseShared({
      mode: 'delete', siteType: 'bus', k: -1, radiusM: 'far', objective: '__proto__', resolution: 99, replicates: 1e9,
      zones: [{ lon: 500, lat: 31, radiusM: 100 }, { lon: 121, lat: 31, radiusM: 100 }, 'x'],
      pinned: ['ok', 42], closeIds: 'BR001', extraCandidates: [{ id: 'x'.repeat(500), lon: 121, lat: 31 }], ran: 'yes',
      huff: { alpha: -1, beta: 2.5, cutoffM: 1e9, minDistanceM: '100', extra: 1 },
    });
    expect(p).toEqual({ zones: [{ lon: 121, lat: 31, radiusM: 100 }], extraCandidates: [], huff: { beta: 2.5 } });
    expect(parseShared({ huff: [1, 2] })).toEqual({});
    expect(parseShared({ huff: { alpha: NaN, beta: Infinity, cutoffM: null } })).toEqual({ huff: {} });
    expect(parseShared(null)).toEqual({});
    expect(parseShared([1, 2])).toEqual({});
  });
});

describe('Huff parameters', () => {
  it('accepts the defaults and the range ends', () => {
    expect(huffIssues(HUFF_DEFAULTS)).toEqual([]);
    expect(huffIssues({ alpha: 0, beta: 5, cutoffM: 200, minDistanceM: 1 })).toEqual([]);
    expect(huffIssues({ alpha: 5, beta: 0, cutoffM: 20_000, minDistanceM: 2_000 })).toEqual([]);
  });

  it('names each unusable field, an empty input included', () => {
    expect(huffIssues({ alpha: -0.1, beta: null, cutoffM: 20_001, minDistanceM: 0 })).toEqual(['alpha', 'beta', 'cutoffM', 'minDistanceM']);
    expect(huffIssues({ alpha: 1, beta: 2, cutoffM: 500, minDistanceM: 500 })).toEqual(['minDistanceM']);
  });

  it('puts unusable fields back to their defaults, the floor below the cut-off', () => {
    expect(usableHuff({ alpha: 2, beta: 7, cutoffM: 3000, minDistanceM: 50 })).toEqual({ alpha: 2, beta: 2, cutoffM: 3000, minDistanceM: 50 });
    expect(usableHuff({ alpha: 1, beta: 2, cutoffM: 300, minDistanceM: 1000 })).toEqual({ alpha: 1, beta: 2, cutoffM: 300, minDistanceM: 100 });
  });
});

describe('a shared result', () => {
  const result: RestoredResult = {
    objective: 'pmedian', solver: 'exact', siteType: 'branch', radiusM: 1500, at: 'points', costs: true, demandPoints: 120, totalDemand: 5400,
    existingCoveredDemand: 1200, coveredDemand: 3100, coveragePct: 57.4, ownSharePct: NaN,
    sites: [{
      id: 'K2', lon: 121.52, lat: 31.21, names: { en: 'Xuhui · Longhua Branch NE 1.2 km', 'zh-CN': '徐汇区 · 龙华支行 东北 1.2 km' }, origin: 'recommended', moved: false,
      marginalDemand: 1900, coveredDemand: 3100, coveragePct: 57.4, huffCaptured: 800.5, totalCost: 222_500, meanCost: 2225,
    }],
  };

  it('survives JSON (NaN as null) and comes back whole, through parseShared too', () => {
    const json = JSON.parse(JSON.stringify({ result }));
    expect(parseResult(json.result)).toEqual(result);
    expect(parseShared({ ...json, ran: true }).result).toEqual(result);
  });

  it('is dropped whole when any part does not fit', () => {
    const bad = (patch: Record<string, unknown>, site: Record<string, unknown> = {}) => parseResult({ ...result, ...patch, sites: [{ ...result.sites[0], ...site }] });
    expect(bad({ objective: 'drop table' })).toBeUndefined();
    expect(bad({ radiusM: -5 })).toBeUndefined();
    expect(bad({}, { lon: 400 })).toBeUndefined();
    expect(bad({}, { names: { en: '<b>x</b>'.repeat(50) } })).toBeUndefined();
    expect(bad({}, { origin: 'hacked' })).toBeUndefined();
    expect(parseResult({ ...result, sites: Array(1001).fill(result.sites[0]) })).toBeUndefined();
    expect(parseResult('x')).toBeUndefined();
  });
});

describe('safeResult (a safe link never carries a count below k)', () => {
  /** Every count a reader could take from the link, directly or as a difference of two it shows. */
  function countsIn(r: RestoredResult): number[] {
    const out = [r.demandPoints, r.totalDemand, r.existingCoveredDemand, r.coveredDemand];
    const cum = [r.existingCoveredDemand, ...r.sites.map((s) => s.coveredDemand), r.coveredDemand];
    for (const s of r.sites) out.push(s.marginalDemand, s.coveredDemand, s.huffCaptured);
    // a percentage of the (shown) total gives the cumulative back
    for (const s of r.sites) if (Number.isFinite(s.coveragePct) && Number.isFinite(r.totalDemand)) cum.push((s.coveragePct * r.totalDemand) / 100);
    // a row's cumulative less its marginal is the row before's
    for (const s of r.sites) if (Number.isFinite(s.coveredDemand) && Number.isFinite(s.marginalDemand)) cum.push(s.coveredDemand - s.marginalDemand);
    // the total less the existing and the marginals shown is what the hidden marginals add up to
    if (Number.isFinite(r.coveredDemand) && Number.isFinite(r.existingCoveredDemand)) {
      out.push(r.coveredDemand - r.existingCoveredDemand - r.sites.reduce((t, s) => t + (Number.isFinite(s.marginalDemand) ? s.marginalDemand : 0), 0));
    }
    const shown = cum.filter(Number.isFinite);
    for (let a = 0; a < shown.length; a++) for (let b = 0; b < shown.length; b++) if (shown[b] > shown[a] + 1e-6) out.push(shown[b] - shown[a]); // (a percentage gives a cumulative back up to rounding)
    return out.filter(Number.isFinite);
  }

  function randomResult(seed: number): RestoredResult {
    let x = seed;
    const rnd = () => ((x = (x * 16807) % 2147483647) / 2147483647);
    const existing = Math.floor(rnd() * 40);
    const total = 500 + Math.floor(rnd() * 500);
    let cum = existing;
    const sites = Array.from({ length: 1 + Math.floor(rnd() * 6) }, (_, q) => {
      const m = rnd() < 0.5 ? Math.floor(rnd() * 12) : 10 + Math.floor(rnd() * 80);
      cum += m;
      return {
        id: `K${q}`, lon: 121.4, lat: 31.2, names: { en: `K${q}`, 'zh-CN': `K${q}` }, origin: 'recommended' as const, moved: false,
        marginalDemand: m, coveredDemand: cum, coveragePct: (100 * cum) / total, huffCaptured: rnd() * 30, totalCost: NaN, meanCost: NaN,
      };
    });
    return {
      objective: 'coverage', solver: 'greedy', siteType: 'branch', radiusM: 800, at: 'points', costs: false, demandPoints: total,
      totalDemand: total, existingCoveredDemand: existing, coveredDemand: cum, coveragePct: (100 * cum) / total, ownSharePct: 20, sites,
    };
  }

  it('leaves out every figure below k, and every one that subtraction would turn into a count below k', () => {
    let masked = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const k = 5 + (seed % 10);
      const r = randomResult(seed);
      // the link as the app writes it (a URL hash; JSON: NaN → null) and reads it back
      const hash = encodeHash({
        camera: { center: [121.4, 31.2], zoom: 11, bearing: 0, pitch: 0 }, tab: 'sites', indicator: '', period: '', classMethod: 'quantile', classCount: 5,
        layers: {}, selectedAreaId: null, fingerprint: 'f', slices: { sites: { result: safeResult(r, k) } },
      });
      const back = parseShared(decodeHash(hash).state.slices!.sites).result!;
      expect(back.maskedBelow).toBe(k);
      for (const c of countsIn(back)) if (!(c === 0 || c >= k - 1e-9)) throw new Error(`seed ${seed} k ${k}: ${c} in ${JSON.stringify(back)} from ${JSON.stringify(r)}`);
      // what is not small is still there
      back.sites.forEach((s, q) => {
        if (r.sites[q].marginalDemand >= k) expect(s.marginalDemand).toBe(r.sites[q].marginalDemand);
        else masked++;
      });
      expect(back.totalDemand).toBe(r.totalDemand);
    }
    expect(masked).toBeGreaterThan(50); // the random results do have small figures
    // unmasked, some of them would show a count below k: the test can fail
    expect(countsIn(randomResult(3)).some((c) => c > 0 && c < 14)).toBe(true);
  });
});
