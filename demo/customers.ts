/**
 * Synthetic customers of the demo bank.
 *
 * Where: district totals ∝ resident population (2025Q4) × a mild market-share factor
 * (stronger in the core, weaker on 崇明). Inside a district, a customer comes from one of
 *  - a place's tight cluster (sd = place.sdKm) — the commercial centres Gi* should find,
 *  - the same place's halo (3 × sd) — the residential fabric around it,
 *  - a uniform draw over the district — the sparse rural/background scatter.
 * Gaussians are truncated to the district by rejection, and each place's weight in a
 * district is scaled by the share of its Gaussian that falls inside that district, so the
 * density is continuous across district borders (人民广场's cluster spills into 静安).
 *
 * Who: segment mix from the district's indicators (young_share, elderly_share, income,
 * firm density) tilted by the place (张江 young, 陆家嘴 affluent ...); age, balance and
 * loans by segment; default_flag driven by the district's latest npl_rate and the segment;
 * digital_active falls with age.
 */
import type { Rng } from '../src/core/rng.ts';
import { randNormal, shuffle } from '../src/core/rng.ts';
import { inArea, offsetM, type PreparedArea } from './geo.ts';
import { PROFILES, type IndicatorRow } from './indicators.ts';
import { PLACES, type Place } from './places.ts';
import { allocate, clamp, cumulative, pick, streamFor } from './random.ts';
import { SEGMENTS, type Segment } from './segments.ts';

export const CUSTOMER_COLUMNS = [
  'customer_id', 'lon', 'lat', 'segment', 'age', 'balance', 'loan_balance', 'default_flag', 'digital_active',
] as const;

/** Halo sd as a multiple of the cluster sd, and the halo's share of a place's customers. */
const HALO_SCALE = 3;
const HALO_SHARE = 0.45;
/** Share of a district's customers drawn uniformly over its polygon. */
const UNIFORM_SHARE: Record<string, number> = { '310151': 0.3, '310116': 0.18, '310120': 0.18, '310118': 0.15 };
const DEFAULT_UNIFORM_SHARE = 0.12;

interface SegmentModel {
  age: (rng: Rng) => number;
  /** median balance (CNY, before the district income factor) and log-sd */
  balance: [median: number, sigma: number];
  /** probability of holding a loan, its median (CNY) and log-sd */
  loan: [p: number, median: number, sigma: number];
  /** default risk relative to the district NPL ratio */
  defaultMult: number;
}
const ageNormal = (mean: number, sd: number, lo: number, hi: number) => (rng: Rng) =>
  Math.round(clamp(mean + randNormal(rng) * sd, lo, hi));

const SEGMENT_MODELS: Record<Segment, SegmentModel> = {
  young: { age: ageNormal(27, 4, 18, 35), balance: [18_000, 1.0], loan: [0.3, 60_000, 0.8], defaultMult: 1.6 },
  family: { age: ageNormal(41, 6, 28, 58), balance: [90_000, 0.9], loan: [0.55, 1_300_000, 0.5], defaultMult: 0.7 },
  senior: { age: (rng) => Math.round(clamp(60 + Math.abs(randNormal(rng)) * 10, 60, 95)), balance: [160_000, 1.0], loan: [0.05, 80_000, 0.8], defaultMult: 1.0 },
  sme: { age: ageNormal(44, 9, 24, 70), balance: [220_000, 1.2], loan: [0.6, 700_000, 1.0], defaultMult: 2.2 },
  affluent: { age: ageNormal(50, 10, 28, 85), balance: [1_600_000, 0.7], loan: [0.35, 2_500_000, 0.6], defaultMult: 0.3 },
};

/** Customer-level default probability per point of district NPL ratio (customers default more often than loan books). */
const DEFAULT_PER_NPL = 2.5;

interface Component {
  place?: Place;
  sdM: number;
}

interface DistrictModel {
  area: PreparedArea;
  components: Component[];
  cum: Float64Array;
  baseMix: number[];
  incomeFactor: number;
  npl: number;
}

/** Share of each place's Gaussian (at `sdM`) that falls in each district, by Monte Carlo. */
function placeMass(rng: Rng, areas: PreparedArea[], place: Place, sdM: number, samples = 600): number[] {
  const hits = areas.map(() => 0);
  for (let s = 0; s < samples; s++) {
    const [lon, lat] = offsetM(place.lon, place.lat, randNormal(rng) * sdM, randNormal(rng) * sdM);
    const i = areas.findIndex((a) => inArea(a, lon, lat));
    if (i >= 0) hits[i]++;
  }
  return hits.map((h) => h / samples);
}

function districtModels(rng: Rng, areas: PreparedArea[], latest: Map<string, IndicatorRow>): DistrictModel[] {
  const tight = PLACES.map((p) => placeMass(rng, areas, p, p.sdKm * 1000));
  const halo = PLACES.map((p) => placeMass(rng, areas, p, p.sdKm * 1000 * HALO_SCALE));
  return areas.map((area, d) => {
    const comps: Component[] = [];
    const weights: number[] = [];
    PLACES.forEach((place, p) => {
      // Below 1 % the Monte Carlo share is noise, and rejection would be slow for nothing.
      if (tight[p][d] >= 0.01) {
        comps.push({ place, sdM: place.sdKm * 1000 });
        weights.push(place.weight * (1 - HALO_SHARE) * tight[p][d]);
      }
      if (halo[p][d] >= 0.01) {
        comps.push({ place, sdM: place.sdKm * 1000 * HALO_SCALE });
        weights.push(place.weight * HALO_SHARE * halo[p][d]);
      }
    });
    const uniform = UNIFORM_SHARE[area.id] ?? DEFAULT_UNIFORM_SHARE;
    const clustered = weights.reduce((a, b) => a + b, 0);
    const scaled = weights.map((w) => (w / clustered) * (1 - uniform));
    comps.push({ sdM: 0 });
    scaled.push(uniform);

    const ind = latest.get(area.id);
    const prof = PROFILES[area.id];
    if (!ind || !prof) throw new Error(`no indicators for area ${area.id}`);
    const income = ind.avg_income / 100_000;
    const baseMix: Record<Segment, number> = {
      young: ind.young_share * 1.6,
      family: 0.35,
      senior: ind.elderly_share * 1.15,
      sme: 0.06 * Math.sqrt(prof.firmsPer1k / 40),
      affluent: (prof.core ? 0.12 : 0.05) * income * income,
    };
    return {
      area,
      components: comps,
      cum: cumulative(scaled),
      baseMix: SEGMENTS.map((s) => baseMix[s]),
      incomeFactor: income ** 0.8,
      npl: ind.npl_rate,
    };
  });
}

/** A point from component `c`, inside the district (rejection). */
function drawPoint(rng: Rng, m: DistrictModel, c: Component): [number, number] {
  const [minLon, minLat, maxLon, maxLat] = m.area.bbox;
  for (;;) {
    let lon: number;
    let lat: number;
    if (c.place) [lon, lat] = offsetM(c.place.lon, c.place.lat, randNormal(rng) * c.sdM, randNormal(rng) * c.sdM);
    else {
      lon = minLon + rng() * (maxLon - minLon);
      lat = minLat + rng() * (maxLat - minLat);
    }
    lon = Math.round(lon * 1e6) / 1e6;
    lat = Math.round(lat * 1e6) / 1e6;
    if (inArea(m.area, lon, lat)) return [lon, lat];
  }
}

const lognormal = (rng: Rng, median: number, sigma: number) => median * Math.exp(sigma * randNormal(rng));

export interface CustomerOptions {
  count: number;
  seed: number;
  /** Rows per emitted chunk; chunks let 1M-row runs stream to disk. */
  chunkRows?: number;
  onChunk: (text: string) => void;
}

/**
 * Emits the customers CSV (header first) through `onChunk`. Deterministic for a given
 * (seed, count); the first rows are not a prefix of a larger run because districts are
 * interleaved by a shuffle of the whole run.
 */
export function generateCustomers(areas: PreparedArea[], indicators: IndicatorRow[], opts: CustomerOptions): void {
  const rng = streamFor(opts.seed, 'customers');
  const lastPeriod = indicators.reduce((a, r) => (r.period > a ? r.period : a), '');
  const latest = new Map(indicators.filter((r) => r.period === lastPeriod).map((r) => [r.area_id, r]));
  const models = districtModels(rng, areas, latest);

  // District totals: population × market share (mild, seeded), exact by largest remainder.
  const share = areas.map((a) => {
    const base = a.id === '310151' ? 0.8 : PROFILES[a.id].core ? 1.15 : 0.95;
    return base * (1 + 0.08 * randNormal(rng));
  });
  const totals = allocate(areas.map((a, i) => (latest.get(a.id)?.population ?? 0) * share[i]), opts.count);
  const order = new Uint8Array(opts.count);
  let k = 0;
  totals.forEach((t, d) => order.fill(d, k, (k += t)));
  shuffle(rng, order);

  const digits = Math.max(7, String(opts.count).length);
  const chunkRows = opts.chunkRows ?? 20_000;
  let lines: string[] = [CUSTOMER_COLUMNS.join(',')];
  const mix = new Array<number>(SEGMENTS.length);
  for (let i = 0; i < opts.count; i++) {
    const m = models[order[i]];
    const c = m.components[pick(rng, m.cum)];
    const [lon, lat] = drawPoint(rng, m, c);

    const tilt = c.place?.tilt;
    SEGMENTS.forEach((s, j) => (mix[j] = m.baseMix[j] * (tilt?.[s] ?? 1)));
    const segment = SEGMENTS[pick(rng, cumulative(mix))];
    const model = SEGMENT_MODELS[segment];
    const age = model.age(rng);
    const balance = lognormal(rng, model.balance[0] * m.incomeFactor, model.balance[1]);
    const [pLoan, loanMedian, loanSigma] = model.loan;
    const loan = rng() < pLoan ? lognormal(rng, loanMedian * m.incomeFactor, loanSigma) : 0;
    const pDefault = clamp((m.npl / 100) * DEFAULT_PER_NPL * model.defaultMult, 0, 0.5);
    const defaulted = loan > 0 && rng() < pDefault ? 1 : 0;
    const pDigital = clamp(1 / (1 + Math.exp((age - 58) / 7)) + (segment === 'young' ? 0.03 : 0), 0.02, 0.98);
    const digital = rng() < pDigital ? 1 : 0;

    lines.push(
      `C${String(i + 1).padStart(digits, '0')},${lon},${lat},${segment},${age},${balance.toFixed(2)},${loan > 0 ? loan.toFixed(2) : '0'},${defaulted},${digital}`,
    );
    if (lines.length >= chunkRows) {
      opts.onChunk(lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length) opts.onChunk(lines.join('\n') + '\n');
}
