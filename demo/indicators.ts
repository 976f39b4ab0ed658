/**
 * District indicators for 12 quarters, 2023Q1–2025Q4.
 *
 * Real: the 2020 census resident population (第七次全国人口普查, 上海市各区), which anchors
 * `population`. Everything else is synthetic but in plausible ranges, with a trend per
 * district so the risk tools have a story to find:
 *  - 'deteriorating' (宝山 310113, 金山 310116, 崇明 310151): unemployment and NPL rise
 *    steadily, house prices fall ~2 %/quarter, incomes stall, firms close;
 *  - 'late-shock' (杨浦 310110): a healthy core district until 2025Q3, then NPL, unemployment
 *    and house prices break sharply in the last two quarters (the "index jumps" alert);
 *  - 'improving' and 'stable' for the rest.
 */
import type { Rng } from '../src/core/rng.ts';
import { randNormal } from '../src/core/rng.ts';
import { streamFor } from './random.ts';

export type Trend = 'stable' | 'improving' | 'deteriorating' | 'late-shock';

interface Profile {
  name: string;
  /** 2020 census resident population (real). */
  pop2020: number;
  /** Synthetic resident growth, %/yr: outer new towns grow, the core and 崇明 shrink. */
  growthPct: number;
  /** Average disposable income in 2023Q1, CNY/yr. */
  income: number;
  unemploymentPct: number;
  nplPct: number;
  youngShare: number;
  elderlyShare: number;
  /** Registered firms per 1,000 residents (dense in the CBDs). */
  firmsPer1k: number;
  core: boolean;
  trend: Trend;
}

export const PROFILES: Record<string, Profile> = {
  '310101': { name: '黄浦区', pop2020: 662030, growthPct: -0.8, income: 138000, unemploymentPct: 3.4, nplPct: 0.85, youngShare: 0.2, elderlyShare: 0.33, firmsPer1k: 95, core: true, trend: 'stable' },
  '310104': { name: '徐汇区', pop2020: 1113078, growthPct: -0.2, income: 128000, unemploymentPct: 3.3, nplPct: 0.8, youngShare: 0.23, elderlyShare: 0.27, firmsPer1k: 70, core: true, trend: 'improving' },
  '310105': { name: '长宁区', pop2020: 693051, growthPct: -0.3, income: 125000, unemploymentPct: 3.5, nplPct: 0.85, youngShare: 0.22, elderlyShare: 0.29, firmsPer1k: 80, core: true, trend: 'stable' },
  '310106': { name: '静安区', pop2020: 975707, growthPct: -0.4, income: 132000, unemploymentPct: 3.4, nplPct: 0.8, youngShare: 0.21, elderlyShare: 0.3, firmsPer1k: 85, core: true, trend: 'improving' },
  '310107': { name: '普陀区', pop2020: 1239800, growthPct: -0.2, income: 98000, unemploymentPct: 4.0, nplPct: 1.05, youngShare: 0.21, elderlyShare: 0.3, firmsPer1k: 40, core: true, trend: 'stable' },
  '310109': { name: '虹口区', pop2020: 757498, growthPct: -0.6, income: 102000, unemploymentPct: 4.1, nplPct: 1.1, youngShare: 0.19, elderlyShare: 0.33, firmsPer1k: 55, core: true, trend: 'stable' },
  '310110': { name: '杨浦区', pop2020: 1242548, growthPct: -0.2, income: 108000, unemploymentPct: 3.8, nplPct: 0.95, youngShare: 0.25, elderlyShare: 0.29, firmsPer1k: 45, core: true, trend: 'late-shock' },
  '310112': { name: '闵行区', pop2020: 2653489, growthPct: 0.6, income: 92000, unemploymentPct: 3.9, nplPct: 1.0, youngShare: 0.25, elderlyShare: 0.19, firmsPer1k: 35, core: false, trend: 'improving' },
  '310113': { name: '宝山区', pop2020: 2235218, growthPct: 0.3, income: 82000, unemploymentPct: 4.5, nplPct: 1.3, youngShare: 0.22, elderlyShare: 0.23, firmsPer1k: 25, core: false, trend: 'deteriorating' },
  '310114': { name: '嘉定区', pop2020: 1834258, growthPct: 1.2, income: 80000, unemploymentPct: 4.2, nplPct: 1.15, youngShare: 0.26, elderlyShare: 0.17, firmsPer1k: 30, core: false, trend: 'improving' },
  '310115': { name: '浦东新区', pop2020: 5681512, growthPct: 0.8, income: 105000, unemploymentPct: 3.7, nplPct: 0.95, youngShare: 0.24, elderlyShare: 0.21, firmsPer1k: 45, core: false, trend: 'stable' },
  '310116': { name: '金山区', pop2020: 822776, growthPct: -0.3, income: 66000, unemploymentPct: 4.8, nplPct: 1.5, youngShare: 0.19, elderlyShare: 0.27, firmsPer1k: 20, core: false, trend: 'deteriorating' },
  '310117': { name: '松江区', pop2020: 1909713, growthPct: 1.0, income: 78000, unemploymentPct: 4.3, nplPct: 1.2, youngShare: 0.28, elderlyShare: 0.16, firmsPer1k: 28, core: false, trend: 'stable' },
  '310118': { name: '青浦区', pop2020: 1271424, growthPct: 0.9, income: 76000, unemploymentPct: 4.4, nplPct: 1.25, youngShare: 0.25, elderlyShare: 0.18, firmsPer1k: 30, core: false, trend: 'stable' },
  '310120': { name: '奉贤区', pop2020: 1140872, growthPct: 0.6, income: 70000, unemploymentPct: 4.6, nplPct: 1.4, youngShare: 0.23, elderlyShare: 0.22, firmsPer1k: 25, core: false, trend: 'stable' },
  '310151': { name: '崇明区', pop2020: 637921, growthPct: -1.0, income: 60000, unemploymentPct: 5.0, nplPct: 1.6, youngShare: 0.14, elderlyShare: 0.36, firmsPer1k: 15, core: false, trend: 'deteriorating' },
};

export const PERIODS: string[] = [2023, 2024, 2025].flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`));

export interface IndicatorRow {
  area_id: string;
  period: string;
  population: number;
  avg_income: number;
  unemployment_rate: number;
  house_price_index: number;
  npl_rate: number;
  young_share: number;
  elderly_share: number;
  business_count: number;
}

export const INDICATOR_COLUMNS = [
  'area_id', 'period', 'population', 'avg_income', 'unemployment_rate', 'house_price_index',
  'npl_rate', 'young_share', 'elderly_share', 'business_count',
] as const;

/** Per-quarter movements by trend. Late-shock districts move like 'stable' until the shock. */
interface Drift {
  unemploymentPts: number;
  nplPts: number;
  housePct: number;
  incomePctYr: number;
  firmsPct: number;
}
const DRIFT: Record<Trend, Drift> = {
  stable: { unemploymentPts: 0, nplPts: 0, housePct: -0.4, incomePctYr: 3.5, firmsPct: 0.8 },
  improving: { unemploymentPts: -0.03, nplPts: -0.012, housePct: 0.3, incomePctYr: 5, firmsPct: 1.5 },
  deteriorating: { unemploymentPts: 0.17, nplPts: 0.11, housePct: -2.2, incomePctYr: 0.5, firmsPct: -1.0 },
  'late-shock': { unemploymentPts: 0, nplPts: 0, housePct: -0.3, incomePctYr: 3.5, firmsPct: 0.8 },
};
/** The 杨浦 shock, added in 2025Q3 and 2025Q4 (index 10, 11). */
const SHOCK = {
  unemploymentPts: [0.5, 0.8],
  nplPts: [0.6, 1.0],
  housePct: [-2.5, -3.5],
  firmsPct: [-3, -4],
};

/** Years from the census reference date (2020-11-01) to the middle of quarter index t. */
const yearsSinceCensus = (t: number) => (2023 - 2020) + (t * 3 + 1.5) / 12 - (10 / 12);

function district(rng: Rng, id: string, p: Profile): IndicatorRow[] {
  const d = DRIFT[p.trend];
  // A small district-specific tilt keeps "stable" districts from moving in lockstep.
  const tiltU = randNormal(rng) * 0.01;
  const tiltHouse = randNormal(rng) * 0.25 + (p.core ? 0.2 : -0.3);
  let unemployment = p.unemploymentPct;
  let npl = p.nplPct;
  let house = 100;
  let firms = p.pop2020 * (p.firmsPer1k / 1000);
  const rows: IndicatorRow[] = [];
  PERIODS.forEach((period, t) => {
    if (t > 0) {
      const shock = p.trend === 'late-shock' && t >= 10 ? t - 10 : -1;
      unemployment += d.unemploymentPts + tiltU + (shock >= 0 ? SHOCK.unemploymentPts[shock] : 0);
      npl += d.nplPts + (shock >= 0 ? SHOCK.nplPts[shock] : 0);
      house *= 1 + (d.housePct + tiltHouse + randNormal(rng) * 0.35 + (shock >= 0 ? SHOCK.housePct[shock] : 0)) / 100;
      firms *= 1 + (d.firmsPct + randNormal(rng) * 0.4 + (shock >= 0 ? SHOCK.firmsPct[shock] : 0)) / 100;
    }
    const years = yearsSinceCensus(t);
    // Noise is added to the published value, not carried forward: survey noise, not a random walk.
    rows.push({
      area_id: id,
      period,
      population: Math.round(p.pop2020 * (1 + p.growthPct / 100) ** years * (1 + randNormal(rng) * 0.001)),
      avg_income: Math.round(p.income * (1 + d.incomePctYr / 100) ** (t / 4) * (1 + randNormal(rng) * 0.005)),
      unemployment_rate: round(Math.max(1.5, unemployment + (t % 4 === 0 ? 0.1 : 0) + randNormal(rng) * 0.06), 2),
      house_price_index: t === 0 ? 100 : round(house, 2),
      npl_rate: round(Math.max(0.3, npl + randNormal(rng) * 0.03), 2),
      young_share: round(p.youngShare + t * (p.growthPct >= 0.8 ? 0.0008 : p.trend === 'deteriorating' ? -0.003 : -0.0015) + randNormal(rng) * 0.001, 3),
      elderly_share: round(p.elderlyShare + t * (p.trend === 'deteriorating' ? 0.0035 : 0.0025) + randNormal(rng) * 0.001, 3),
      business_count: Math.round(firms),
    });
  });
  return rows;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** All districts × all periods, ordered by area_id then period. */
export function generateIndicators(seed: number): IndicatorRow[] {
  return Object.keys(PROFILES)
    .sort()
    .flatMap((id) => district(streamFor(seed, `indicators:${id}`), id, PROFILES[id]));
}

export function indicatorsToCsv(rows: IndicatorRow[]): string {
  const lines = [INDICATOR_COLUMNS.join(',')];
  for (const r of rows) lines.push(INDICATOR_COLUMNS.map((c) => r[c]).join(','));
  return lines.join('\n') + '\n';
}
