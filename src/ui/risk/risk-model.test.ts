/**
 * The Risk tab's plain helpers (risk-model.ts), its portfolio fetch on both DuckDB
 * engines (src/pipeline/risk/portfolio.ts) and the analysis worker's risk methods
 * (workers/analysis-api.ts), called directly as the worker would run them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildConfig, CHANGE_COLORS, changeBreaks, defaultDirection, defaultIndicators, equalSliderWeights, finiteMedian, niceStep,
  indexClasses, parseTiersText, policyForConfig, presetIndicators, refAvailable, tableFromDataset, tierBreaks, toSliderScale,
  WEIGHT_MAX, weightShares,
} from './risk-model.ts';
import { fetchPortfolio } from '../../pipeline/risk/portfolio.ts';
import { classOf } from '../../core/classify.ts';
import { indicatorTableFromRows } from '../../core/indicator-table.ts';
import { parseRiskConfig, serializeRiskConfig } from '../../core/risk-config.ts';
import { checkPolicy, defaultPolicy, resizePolicy } from '../../core/credit-policy.ts';
import { prepareRisk, scoreRisk, tierOf } from '../../core/risk-index.ts';
import { riskUncertainty } from '../../core/risk-uncertainty.ts';
import { connectorFactories } from '../../db/connector-factories.ts';
import type { Connector } from '../../db/connector.ts';
import { AnalysisApi } from '../../../workers/analysis-api.ts';
import type { Progress } from '../../pipeline/tasks.ts';

const DEMO_COLUMNS = ['population', 'avg_income', 'unemployment_rate', 'house_price_index', 'npl_rate', 'young_share', 'elderly_share', 'business_count', 'area_km2'];

describe('tableFromDataset', () => {
  it('views the dataset’s [period × area] columns per period without copying', () => {
    const ds = { areaIds: ['a', 'b'], periods: ['2024Q1', '2024Q2', '2024Q3'], indicators: { x: Float64Array.from([1, 2, 3, 4, 5, NaN]) } };
    const t = tableFromDataset(ds);
    expect(t.periods).toEqual(['2024Q1', '2024Q2', '2024Q3']);
    expect(t.values.x.map((a) => Array.from(a))).toEqual([[1, 2], [3, 4], [5, NaN]]);
    expect(t.values.x[1].buffer).toBe(ds.indicators.x.buffer);
    expect(Object.keys(tableFromDataset(ds, ['x', 'missing']).values)).toEqual(['x']);
  });
});

describe('presets and defaults', () => {
  it('keeps only what the data can score', () => {
    expect(refAvailable('d:house_price_index:4', DEMO_COLUMNS, 12)).toBe(true);
    expect(refAvailable('d:house_price_index:4', DEMO_COLUMNS, 4)).toBe(false); // needs 5 periods
    expect(refAvailable('pf_npl_rate', DEMO_COLUMNS, 12)).toBe(false);
    expect(refAvailable('d:bad', DEMO_COLUMNS, 12)).toBe(false);
    expect(presetIndicators('design', DEMO_COLUMNS, 12).map((s) => s.column)).toEqual(['unemployment_rate', 'd:house_price_index:4', 'npl_rate']);
    expect(presetIndicators('design', DEMO_COLUMNS, 3).map((s) => s.column)).toEqual(['unemployment_rate', 'npl_rate']);
    // the portfolio preset falls back to the regional NPL ratio without customers
    expect(presetIndicators('portfolio', DEMO_COLUMNS, 12).map((s) => s.column)).toEqual(['npl_rate']);
    expect(presetIndicators('portfolio', [...DEMO_COLUMNS, 'pf_npl_rate', 'pf_avg_balance'], 12).map((s) => [s.column, s.direction])).toEqual([
      ['pf_npl_rate', 'up'], ['pf_avg_balance', 'down'], ['npl_rate', 'up'],
    ]);
  });
  it('returns fresh objects, so editing a preset’s weight never edits the preset', () => {
    const a = presetIndicators('macro', DEMO_COLUMNS, 12);
    a[0].weight = 0;
    expect(presetIndicators('macro', DEMO_COLUMNS, 12)[0].weight).toBe(3);
  });
  it('starts from DESIGN.md’s example plus NPL, else the first three columns', () => {
    expect(defaultIndicators(DEMO_COLUMNS, 12)).toHaveLength(3);
    expect(defaultIndicators(['population', 'a', 'b', 'c', 'd'], 2)).toEqual([
      { column: 'a', weight: 1, direction: 'up' }, { column: 'b', weight: 1, direction: 'up' }, { column: 'c', weight: 1, direction: 'up' },
    ]);
    expect(defaultIndicators([], 2)).toEqual([]);
  });
  it('guesses a direction for a new indicator', () => {
    expect(defaultDirection('unemployment_rate')).toBe('up');
    expect(defaultDirection('d:house_price_index:4')).toBe('down');
    expect(defaultDirection('avg_income')).toBe('down');
    expect(defaultDirection('pf_digital_share')).toBe('down');
    expect(defaultDirection('pf_npl_rate')).toBe('up');
  });
});

describe('weights on the slider scale', () => {
  it('equal weights sit mid-slider; shares are the ratios', () => {
    expect(equalSliderWeights(3)).toEqual([5, 5, 5]);
    expect(weightShares([3, 2, 2]).map((x) => +x.toFixed(4))).toEqual([0.4286, 0.2857, 0.2857]);
    expect(weightShares([0, 0])).toEqual([NaN, NaN]);
  });
  it('PCA weights keep their exact ratios, the largest at the top of the slider', () => {
    const w = toSliderScale([0.5, 0.3, 0.2]);
    expect(w[0]).toBe(WEIGHT_MAX);
    expect(w[1] / w[0]).toBeCloseTo(0.6, 14);
    expect(w[2] / w[0]).toBeCloseTo(0.4, 14);
    expect(toSliderScale([0, 0])).toEqual([0, 0]);
  });
  it('PCA weights on the slider give the same index as the PCA weights themselves', () => {
    const t = indicatorTableFromRows([
      { area_id: 'a', period: '2024', x: 1, y: 5, z: 2 },
      { area_id: 'b', period: '2024', x: 2, y: 3, z: 9 },
      { area_id: 'c', period: '2024', x: 4, y: 4, z: 1 },
    ]);
    const inds = (w: number[]) => ['x', 'y', 'z'].map((column, k) => ({ column, weight: w[k], direction: 'up' as const }));
    const p = prepareRisk(t, { indicators: inds([1, 1, 1]) });
    const raw = [0.5, 0.3, 0.2];
    const a = scoreRisk(p, { normalization: 'minmax', indicators: inds(raw), tiers: [50] });
    const b = scoreRisk(p, { normalization: 'minmax', indicators: inds(toSliderScale(raw)), tiers: [50] });
    for (let i = 0; i < 3; i++) expect(b.riskIndex[i]).toBeCloseTo(a.riskIndex[i], 12);
  });
});

describe('tiers text and the policy table', () => {
  it('reads cut points typed by people', () => {
    expect(parseTiersText('25, 50, 75')).toEqual([25, 50, 75]);
    expect(parseTiersText(' 30 60 ')).toEqual([30, 60]);
    expect(parseTiersText('20，40；60')).toEqual([20, 40, 60]); // full-width separators from a Chinese IME
    expect(parseTiersText('50, 25')).toBeNull();
    expect(parseTiersText('25, 25')).toBeNull();
    expect(parseTiersText('25, abc')).toBeNull();
    expect(parseTiersText('120')).toBeNull();
    expect(parseTiersText('')).toBeNull();
  });
  it('keeps the policy out of the config while it has errors, in it with warnings only', () => {
    const p = defaultPolicy(4);
    expect(policyForConfig(p)).toEqual(p);
    const warned = p.map((r) => (r.tier === 4 ? { ...r, max_ltv_pct: 90 } : r)); // laxer than tier 3, above 85 %
    expect(checkPolicy(warned).every((i) => i.severity === 'warning')).toBe(true);
    expect(policyForConfig(warned)).toHaveLength(4);
    expect(policyForConfig(p.map((r) => (r.tier === 2 ? { ...r, spread_bp: NaN } : r)))).toBeUndefined();
  });
});

describe('buildConfig', () => {
  it('is what the CLI reads back: serialise, parse, same config', () => {
    const policy = resizePolicy([{ tier: 4, max_ltv_pct: 45, spread_bp: 120, approval_level: 'head_office', exposure_cap_cny: 800_000, review_months: 3, notes: '复核 quarterly, "by exception"' }], 4);
    const c = buildConfig({
      period: '2025Q4', normalization: 'zscore',
      indicators: [{ column: 'unemployment_rate', weight: 7.5, direction: 'up' }, { column: 'd:house_price_index:4', weight: 2.25, direction: 'down' }],
      tiers: [20, 40, 80], policy, alerts: [{ id: 'jump', kind: 'index_jump', points: 15, severity: 'critical' }],
    });
    const periods = ['2024Q4', '2025Q1', '2025Q2', '2025Q3', '2025Q4'];
    const back = parseRiskConfig(JSON.parse(serializeRiskConfig(c)), DEMO_COLUMNS, periods);
    expect(back.errors).toBeUndefined();
    expect(back.config).toEqual(c);
    expect(c.policy?.[3].notes).toBe('复核 quarterly, "by exception"');
    // default alert rules are left out, as the CLI's defaults; the policy table is always saved
    const plain = buildConfig({ period: '2025Q4', normalization: 'minmax', indicators: c.indicators, tiers: [25, 50, 75], policy: resizePolicy([], 4), alerts: null });
    expect(Object.keys(plain)).toEqual(['period', 'normalization', 'indicators', 'tiers', 'policy']);
    expect(plain.policy).toEqual(defaultPolicy(4));
  });
});

describe('map classes', () => {
  it('tier breaks put tier t in class t − 1, whatever the cut points', () => {
    const b = tierBreaks(4);
    expect([1, 2, 3, 4].map((t) => classOf(t, b))).toEqual([0, 1, 2, 3]);
    // an index exactly on a cut point is in the higher tier (DESIGN.md: cut points ≤ index)
    expect(classOf(tierOf(50, [25, 50, 75]), b)).toBe(2);
    expect(classOf(NaN, b)).toBe(-1);
  });
  it('index classes align with the tiers: every cut a boundary, each tier halved, upper half in the tier colour', () => {
    const tierColors: [number, number, number][] = [[255, 255, 178], [254, 204, 92], [253, 141, 60], [227, 26, 28]];
    const { breaks, colors } = indexClasses([25, 50, 75], tierColors);
    [12.5, 25, 37.5, 50, 62.5, 75, 87.5].forEach((b, i) => expect(breaks[i]).toBeCloseTo(b, 6));
    expect(colors).toHaveLength(8);
    // no class straddles a tier: the class of an index, halved, is its tier − 1
    for (const x of [0, 12.4, 24.9, 25, 49.99, 50, 74.9, 75, 99, 100]) expect(Math.floor(classOf(x, breaks) / 2)).toBe(tierOf(x, [25, 50, 75]) - 1);
    expect(colors[7]).toEqual([227, 26, 28]); // tier 4, upper half: the tier map's colour
    expect(colors[6]).toEqual([240, 129, 130]); // tier 4, lower half: 45 % towards white
    expect(colors[1]).toEqual([255, 255, 178]);
    // uneven cuts
    indexClasses([30, 60], tierColors.slice(0, 3)).breaks.forEach((b, i) => expect(b).toBeCloseTo([15, 30, 45, 60, 80][i], 6));
  });
  it('change breaks are symmetric, centred on 0, from the 90th percentile of |change|', () => {
    expect(niceStep(2.88)).toBe(5);
    expect(niceStep(0.13)).toBeCloseTo(0.2, 15);
    expect(niceStep(0)).toBe(1);
    // 16 districts: one shock (+47.6) and small moves; the shock must not wash out the rest
    const ch = [-0.5, -2.5, 0.5, 47.6, -7.2, -1.7, -1.9, 0.3, -2.4, -1.2, -5.7, 1.6, 0.7, -5.5, -2.8, -0.2];
    const b = changeBreaks(ch);
    expect(b).toEqual([-12.5, -7.5, -2.5, 2.5, 7.5, 12.5]);
    expect(b.length + 1).toBe(CHANGE_COLORS.length);
    expect(classOf(47.6, b)).toBe(6); // darkest red
    expect(classOf(-5.7, b)).toBe(2);
    expect(classOf(0.3, b)).toBe(3); // neutral
    expect(changeBreaks([NaN, NaN])).toEqual([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]);
  });
  it('finiteMedian skips missing values', () => {
    expect(finiteMedian([3, NaN, 1, 2])).toBe(2);
    expect(finiteMedian([4, 1, 3, 2])).toBe(2.5);
    expect(finiteMedian([NaN])).toBeNaN();
  });
});

describe.each(connectorFactories)('fetchPortfolio on $name', ({ create }) => {
  let conn: Connector;
  beforeAll(async () => {
    conn = await create();
  });
  afterAll(async () => {
    await conn.close();
  });
  const port = () => ({ query: (sql: string, params?: readonly (string | number | boolean | bigint | null)[]) => conn.query(sql, params) });

  it('says why when customers are missing or not assigned to areas', async () => {
    expect(await fetchPortfolio(port())).toEqual({ status: 'no_customers' });
    await conn.exec('CREATE OR REPLACE TABLE customers (customer_id VARCHAR, lon DOUBLE, lat DOUBLE)');
    await conn.exec("INSERT INTO customers VALUES ('c1', 121.4, 31.2)");
    expect(await fetchPortfolio(port())).toEqual({ status: 'no_area_id' });
  });

  it('computes the pf_ columns per area with the portfolio SQL', async () => {
    await conn.exec('CREATE OR REPLACE TABLE indicators (area_id VARCHAR, period VARCHAR, period_index INTEGER, population DOUBLE)');
    await conn.exec("INSERT INTO indicators VALUES ('a', '2024', 0, 1000), ('b', '2024', 0, 2000)");
    await conn.exec('CREATE OR REPLACE TABLE customers (customer_id VARCHAR, lon DOUBLE, lat DOUBLE, area_id VARCHAR, balance DOUBLE, loan_balance DOUBLE, default_flag DOUBLE)');
    // a: 3 customers, 2 borrowers, 1 of them in default; b: 1 customer, no loan; one outside
    await conn.exec(`INSERT INTO customers VALUES
      ('c1', 0, 0, 'a', 100, 50, 1), ('c2', 0, 0, 'a', 200, 10, 0), ('c3', 0, 0, 'a', 300, 0, 0),
      ('c4', 0, 0, 'b', 400, 0, 0), ('c5', 0, 0, NULL, 1, 1, 1)`);
    const r = await fetchPortfolio(port());
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.customers).toBe(4);
    const a = r.rows.find((x) => x.area_id === 'a')!;
    const b = r.rows.find((x) => x.area_id === 'b')!;
    expect(a.pf_customers).toBe(3);
    expect(a.pf_npl_rate).toBeCloseTo(0.5, 12); // 1 default among 2 borrowers
    expect(a.pf_avg_balance).toBeCloseTo(200, 12);
    expect(a.pf_loans_per_customer).toBeCloseTo(2 / 3, 12);
    expect(a.pf_customers_per_1000).toBeCloseTo(3, 12);
    expect(b.pf_npl_rate).toBeNaN(); // no borrower
    expect(b.pf_customers_per_1000).toBeCloseTo(0.5, 12);
  });

  it('turns a failing query into an error outcome instead of throwing', async () => {
    const r = await fetchPortfolio({ query: async () => Promise.reject(new Error('boom')) });
    expect(r).toEqual({ status: 'error', message: 'boom' });
  });
});

describe('AnalysisApi risk methods', () => {
  const table = indicatorTableFromRows(
    ['2024Q1', '2024Q2', '2024Q3'].flatMap((period, p) =>
      Array.from({ length: 12 }, (_, i) => ({ area_id: `a${i}`, period, u: 3 + ((i * 7) % 5) + p * (i % 3), h: 100 - p * ((i * 3) % 4), n: 1 + ((i * 5) % 7) / 3 })),
    ),
  );
  const indicators = [
    { column: 'u', weight: 3, direction: 'up' as const },
    { column: 'd:h:1', weight: 2, direction: 'down' as const },
    { column: 'n', weight: 2, direction: 'up' as const },
  ];
  const params = { normalization: 'minmax' as const, indicators, tiers: [25, 50, 75] };

  it('prepares every period; scoring the prepared series matches the core', () => {
    const api = new AnalysisApi();
    const series = api.riskPrepareSeries(table, indicators.map((s) => s.column));
    expect(series).toHaveLength(3);
    expect(series.map((s) => s.period)).toEqual(table.periods);
    const direct = scoreRisk(prepareRisk(table, { period: '2024Q3', indicators }), params);
    expect(Array.from(scoreRisk(series[2], params).riskIndex)).toEqual(Array.from(direct.riskIndex));
    // d:h:1 has no earlier period at 2024Q1: missing there, so half the weight can be absent
    expect(series[0].present[1]).toBe(0);
  });

  it('runs the Monte Carlo with progress, reproducibly, and cancels by task id', async () => {
    const api = new AnalysisApi();
    const prep = api.riskPrepareSeries(table, indicators.map((s) => s.column))[2];
    const progress: Progress[] = [];
    const r = await api.riskUncertainty(prep, params, { draws: 400, seed: 7 }, 1, (p) => progress.push(p));
    expect(progress.at(-1)).toEqual({ step: 'risk.mc.progress', fraction: 1 });
    expect(progress.length).toBe(4); // every 100 draws
    const ref = await riskUncertainty(prep, params, { draws: 400, seed: 7 });
    expect(Array.from(r.p5Rank)).toEqual(Array.from(ref.p5Rank));
    expect(Array.from(r.p95Rank)).toEqual(Array.from(ref.p95Rank));
    for (let i = 0; i < 12; i++) expect(r.p5Rank[i]).toBeLessThanOrEqual(r.p95Rank[i]);

    const running = api.riskUncertainty(prep, params, { draws: 100_000, seed: 7 }, 2, () => {});
    setTimeout(() => api.cancel(2), 5);
    await expect(running).rejects.toThrow(/Cancelled/);
    expect(api.cancel(2)).toBe(false); // unregistered once ended
  });
});
