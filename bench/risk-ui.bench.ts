/**
 * The Risk tab's slider path at 500 areas (target: ≤ 50 ms from a slider change to the
 * updated map).
 *
 * 1. Node: the work the UI thread does per slider move — score all 12 periods from the
 *    prepared scores, evaluate the default alert rules, the change between two periods, the
 *    choropleth's fill colours and the deck.gl layer — and, for comparison, what the
 *    analysis worker does once per indicator set (prepare 12 periods).
 * 2. Headless Chromium on the built app (`npm run build` first): a synthetic 500-district
 *    city served in place of the demo, a 10-indicator config loaded through the Risk tab's
 *    file input, then slider moves timed in the page from the input event to (a) the new
 *    deck.gl layer and (b) the next map frame drawn with it.
 *
 * Prints `name<TAB>value<TAB>unit<TAB>target`.
 */
import { choroplethColors, choroplethLayer } from '../src/ui/map/layers.ts';
import { sequential } from '../src/ui/map/palette.ts';
import { defaultAlertRules, evaluateAlerts } from '../src/core/early-warning.ts';
import { indicatorTableFromRows } from '../src/core/indicator-table.ts';
import type { RiskConfig } from '../src/core/risk-config.ts';
import { prepareRiskSeries, riskChange, scoreRisk } from '../src/core/risk-index.ts';
import { mulberry32, randNormal } from '../src/core/rng.ts';
import { indexClasses } from '../src/ui/risk/risk-model.ts';
import { launch, ORIGIN, startServer, stopServer } from '../test/e2e/harness.ts';

const COLS = 25;
const ROWS = 20;
const N = COLS * ROWS;
const PERIODS = ['2023Q1', '2023Q2', '2023Q3', '2023Q4', '2024Q1', '2024Q2', '2024Q3', '2024Q4', '2025Q1', '2025Q2', '2025Q3', '2025Q4'];
const COLUMNS = ['population', 'unemployment_rate', 'house_price_index', 'npl_rate', 'avg_income', 'business_count', 'young_share', 'elderly_share', 'vacancy_rate', 'arrears_rate'];

const line = (name: string, value: number, unit: string, target: string) => console.log(`${name}\t${Number.isInteger(value) ? value : value.toFixed(2)}\t${unit}\t${target}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(0.9 * xs.length))];
function timeIt(reps: number, f: () => unknown, warm = 10): number {
  for (let i = 0; i < warm; i++) f();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  return median(t);
}

// ---- a synthetic 500-district city: a 25 × 20 grid of squares near Shanghai ----
const areaId = (i: number) => `D${String(i).padStart(3, '0')}`;
const areas: GeoJSON.FeatureCollection = {
  type: 'FeatureCollection',
  features: Array.from({ length: N }, (_, i) => {
    const x = 121.0 + (i % COLS) * 0.03;
    const y = 30.85 + Math.floor(i / COLS) * 0.03;
    return {
      type: 'Feature',
      properties: { area_id: areaId(i), name: `区${i}`, name_en: `District ${i}` },
      geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.03, y], [x + 0.03, y + 0.03], [x, y + 0.03], [x, y]]] },
    };
  }),
};
const rng = mulberry32(11);
const level = COLUMNS.map(() => Float64Array.from({ length: N }, () => 50 + 10 * randNormal(rng)));
const rows: Record<string, string | number>[] = [];
PERIODS.forEach((period) => {
  for (let i = 0; i < N; i++) {
    const r: Record<string, string | number> = { area_id: areaId(i), period };
    COLUMNS.forEach((c, k) => {
      level[k][i] += randNormal(rng);
      r[c] = +level[k][i].toFixed(3);
    });
    rows.push(r);
  }
});
const csv = ['area_id,period,' + COLUMNS.join(','), ...rows.map((r) => [r.area_id, r.period, ...COLUMNS.map((c) => r[c])].join(','))].join('\n') + '\n';
const config: RiskConfig = {
  normalization: 'zscore',
  indicators: COLUMNS.map((c, k) => ({ column: k === 2 || k === 5 ? `d:${c}:4` : c, weight: 1 + (k % 3), direction: k % 4 === 0 ? 'down' : 'up' })),
  tiers: [25, 50, 75],
};

// ---- 1. Node ----
const table = indicatorTableFromRows(rows, { areaIds: areas.features.map((f) => String(f.properties!.area_id)), periods: PERIODS });
const tPrep = timeIt(20, () => prepareRiskSeries(table, config), 3);
line('risk_ui.prepare_12_periods_500x10_ms', tPrep, 'ms', 'analysis worker, once per indicator set');
const prepared = prepareRiskSeries(table, config);
const rules = defaultAlertRules(config, PERIODS.length);
let w = 0;
const { breaks: indexBreaks, colors } = indexClasses(config.tiers, sequential(config.tiers.length + 1, 'ylorrd'));
const tSlider = timeIt(100, () => {
  // What src/ui/risk/risk-state.svelte.ts does per move: score the current period, its
  // predecessor (alerts) and the comparison period; alerts at the current period; the change.
  w = (w + 1) % 20;
  const params = { ...config, indicators: config.indicators.map((s, k) => (k === 1 ? { ...s, weight: w / 2 } : s)) };
  const series: ReturnType<typeof scoreRisk>[] = [];
  for (const p of [11, 10, 7]) series[p] = scoreRisk(prepared[p], params);
  evaluateAlerts(table, params, rules, { periods: [PERIODS[11]], series });
  riskChange(series[7], series[11]);
  choroplethColors(series[11].riskIndex, indexBreaks, colors);
  return choroplethLayer({ areas, values: series[11].riskIndex, breaks: indexBreaks, colors, selectedIndex: -1 });
});
const tAll = timeIt(50, () => prepared.map((p) => scoreRisk(p, config)));
line('risk_ui.score_all_12_periods_500x10_ms', tAll, 'ms', 'only when the area profile is open');
line('risk_ui.slider_main_thread_500x10_ms', tSlider, 'ms', '≤ 16 (one frame); ≤ 50 slider→map');

// ---- 2. Chromium ----
const manifest = { name: { en: 'Synthetic 500 districts', 'zh-CN': '合成 500 区' }, files: { areas: 'areas.geojson', indicators: 'indicators.csv' }, crs: 'wgs84' };
const files: Record<string, { body: string; type: string }> = {
  'manifest.json': { body: JSON.stringify(manifest), type: 'application/json' },
  'areas.geojson': { body: JSON.stringify(areas), type: 'application/geo+json' },
  'indicators.csv': { body: csv, type: 'text/csv' },
};

await startServer();
const browser = await launch();
try {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  await context.route('**/*', (route) => (route.request().url().startsWith(ORIGIN) ? route.continue() : route.abort('blockedbyclient')));
  // Registered last, so it wins: the demo city is replaced by the synthetic one.
  await context.route('**/demo/*', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop() ?? '';
    const f = files[name];
    return f ? route.fulfill({ status: 200, body: f.body, contentType: f.type }) : route.fulfill({ status: 404, body: '' });
  });
  const page = await context.newPage();
  await page.goto(ORIGIN + '/', { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="dataset-counts"]') !== null, null, { timeout: 90_000 });
  await page.evaluate('globalThis.__name = (f) => f'); // tsx keepNames helper for evaluated functions
  await page.getByTestId('tab-risk').click();
  await page.getByTestId('risk-config-input').setInputFiles({ name: 'bench.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) });
  await page.getByTestId('risk-config-loaded').waitFor({ timeout: 10_000 });
  // The ranking draws the top 25 until asked for all.
  await page.getByTestId('risk-ranking-all').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => (window as unknown as { __bpMap?: { loaded(): boolean } }).__bpMap?.loaded() === true, null, { timeout: 30_000 });
  await page.waitForTimeout(1000);

  const cdp = process.env.PROFILE ? await context.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const layerMs: number[] = [];
  const frameMs: number[] = [];
  for (let k = 0; k < 21; k++) {
    const r = await page.evaluate(
      (value) =>
        new Promise<{ layerMs: number; frameMs: number }>((resolve, reject) => {
          type L = { id: string };
          const map = (window as unknown as { __bpMap: { __deck: { props: { layers: L[] } }; once(e: string, f: () => void): void } }).__bpMap;
          const before = map.__deck.props.layers.find((l) => l.id === 'choropleth');
          const input = document.querySelector('[data-testid="risk-weight-1"]') as HTMLInputElement;
          const t0 = performance.now();
          input.value = String(value);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          const poll = () => {
            const now = map.__deck.props.layers.find((l) => l.id === 'choropleth');
            if (now && now !== before) {
              const layer = performance.now() - t0;
              map.once('render', () => resolve({ layerMs: layer, frameMs: performance.now() - t0 }));
            } else if (performance.now() - t0 > 5000) reject(new Error('no new layer within 5 s'));
            else setTimeout(poll, 0);
          };
          queueMicrotask(poll);
        }),
      k % 2 ? 2 : 7,
    );
    if (k > 0) {
      layerMs.push(r.layerMs);
      frameMs.push(r.frameMs);
    }
    await page.waitForTimeout(100);
  }
  if (cdp) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[]; samples: number[]; timeDeltas: number[] } };
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, k) => {
      const n = byId.get(id)!;
      const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000);
    });
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.error(`${v.toFixed(1)} ms\t${k}`);
  }
  // The floor: a repaint with nothing changed (SwiftShader renders WebGL on the CPU here).
  const idle: number[] = [];
  for (let k = 0; k < 10; k++) {
    idle.push(
      await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const map = (window as unknown as { __bpMap: { once(e: string, f: () => void): void; triggerRepaint(): void } }).__bpMap;
            const t0 = performance.now();
            map.once('render', () => resolve(performance.now() - t0));
            map.triggerRepaint();
          }),
      ),
    );
    await page.waitForTimeout(50);
  }
  line('risk_ui.browser_idle_repaint_500_median_ms', median(idle), 'ms', 'floor: a frame with nothing changed');
  line('risk_ui.browser_slider_to_layer_500_median_ms', median(layerMs), 'ms', `p90 ${p90(layerMs).toFixed(1)}`);
  line('risk_ui.browser_slider_to_frame_500_median_ms', median(frameMs), 'ms', `≤ 50; p90 ${p90(frameMs).toFixed(1)}`);
  await context.close();
} finally {
  await browser.close();
  stopServer();
}
