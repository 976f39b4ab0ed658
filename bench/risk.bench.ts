/**
 * Area risk index, core side: 500 areas × 10 indicators × 8 quarters of seeded
 * synthetic data. The slider path is `scoreRisk` on prepared scores (target: the whole
 * slider → map round trip ≤ 50 ms, of which the core should take ~1 ms); the time series
 * the alerts need; the default alert rules; PCA weights; the 1,000-draw Monte Carlo
 * (target ≤ 2 s). Prints `name<TAB>value<TAB>unit<TAB>target`.
 */
import type { IndicatorTable } from '../src/core/indicator-table.ts';
import { evaluateAlerts } from '../src/core/early-warning.ts';
import type { RiskConfig } from '../src/core/risk-config.ts';
import { prepareRisk, prepareRiskSeries, scoreRisk } from '../src/core/risk-index.ts';
import { riskUncertainty } from '../src/core/risk-uncertainty.ts';
import { mulberry32, randNormal } from '../src/core/rng.ts';
import { pcaWeights } from '../src/core/weights.ts';

const N_AREAS = 500;
const K = 10;
const PERIODS = ['2024Q1', '2024Q2', '2024Q3', '2024Q4', '2025Q1', '2025Q2', '2025Q3', '2025Q4'];

function line(name: string, value: number, unit: string, target: string): void {
  console.log(`${name}\t${Number.isInteger(value) ? value : value.toFixed(3)}\t${unit}\t${target}`);
}
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Median wall time of `reps` runs after `warm` warm-up runs, in ms. */
function median(reps: number, f: () => unknown, warm = 20): number {
  for (let i = 0; i < warm; i++) f();
  gc();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

// Correlated indicators (a shared area factor plus noise), a random walk over periods, 2 % gaps.
const rng = mulberry32(4);
const factor = Float64Array.from({ length: N_AREAS }, () => randNormal(rng));
const values: Record<string, Float64Array[]> = {};
for (let k = 0; k < K; k++) {
  const level = Float64Array.from(factor, (f) => 50 + 10 * (0.6 * f + 0.8 * randNormal(rng)));
  values[`x${k}`] = PERIODS.map(() => {
    const x = new Float64Array(N_AREAS);
    for (let i = 0; i < N_AREAS; i++) {
      level[i] += randNormal(rng);
      x[i] = rng() < 0.02 ? NaN : level[i];
    }
    return x;
  });
}
const table: IndicatorTable = { areaIds: Array.from({ length: N_AREAS }, (_, i) => `area${i}`), periods: PERIODS, values };
const config: RiskConfig = {
  normalization: 'zscore',
  indicators: Array.from({ length: K }, (_, k) => ({ column: k === 9 ? 'd:x9:4' : `x${k}`, weight: 1 + (k % 3), direction: k % 4 === 0 ? 'down' : 'up' })),
  tiers: [25, 50, 75],
};

const tPrep = median(50, () => prepareRisk(table, config));
line('risk.prepare_500x10_ms', tPrep, 'ms', 'once per indicator set/period');

const prep = prepareRisk(table, config);
let w = 0;
const moved = (): RiskConfig => {
  // a slider move: one weight changes each time
  w = (w + 1) % 50;
  return { ...config, indicators: config.indicators.map((s, k) => (k === 2 ? { ...s, weight: w / 10 } : s)) };
};
const tScore = median(500, () => scoreRisk(prep, moved()));
line('risk.score_after_weight_change_500x10_ms', tScore, 'ms', '≤ 50 slider→map (core ~1)');

const series = prepareRiskSeries(table, config);
const tSeries = median(100, () => {
  const c = moved();
  return series.map((p) => scoreRisk(p, c));
});
line('risk.score_8_periods_after_weight_change_ms', tSeries, 'ms', 'part of 50 (alerts live)');

const scored = series.map((p) => scoreRisk(p, config));
const tAlerts = median(50, () => evaluateAlerts(table, config, undefined, { series: scored }));
line('risk.alerts_default_rules_ms', tAlerts, 'ms', 'part of 50 (alerts live)');
line('risk.alerts_default_rules_count', evaluateAlerts(table, config, undefined, { series: scored }).length, 'alerts', 'info');

const tPca = median(50, () => pcaWeights(prep.raw));
const pca = pcaWeights(prep.raw);
line('risk.pca_weights_500x10_ms', tPca, 'ms', 'on demand');
line('risk.pca_explained_share', pca.explainedShare, 'share', 'info');

async function mc(): Promise<number> {
  gc();
  const s = performance.now();
  await riskUncertainty(prep, config, { draws: 1000, seed: 1 });
  return performance.now() - s;
}
await mc(); // warm-up
const tMc = Math.min(await mc(), await mc(), await mc());
line('risk.monte_carlo_1000_draws_500x10_ms', tMc, 'ms', '≤ 2000');
async function mcYielding(): Promise<number> {
  gc();
  const s = performance.now();
  await riskUncertainty(prep, config, { draws: 1000, seed: 1, onProgress: () => {} });
  return performance.now() - s;
}
line('risk.monte_carlo_1000_draws_with_progress_ms', Math.min(await mcYielding(), await mcYielding()), 'ms', '≤ 2000');
