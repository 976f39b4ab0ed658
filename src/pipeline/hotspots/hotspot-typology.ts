/**
 * Area typology: profile variables per area, k-means types (src/core/kmeans.ts, run
 * in the analysis worker), a short description of each type by its most distinctive
 * variables, and a suggested branch format.
 *
 * Profile variables: the indicator columns at the chosen period, plus what the customers
 * say about an area — customers per 1,000 residents, digital share, mean age, mean balance,
 * segment shares — and the population density when areas carry `area_km2`.
 *
 * The format advice (`adviseType`) is a transparent rule on the type's profile — its
 * standardised centre (demand, digital share, age, affluence, business) and the share of its
 * areas in high risk tiers — not a model; the panel shows the figures behind it.
 */

export interface ProfileVariable {
  /** Indicator column, or a derived id: `cust_per_1000`, `digital_share`, `mean_age`, `mean_balance`, `pop_density`, `seg:<value>`. */
  id: string;
  /** One value per area; NaN = missing (imputed with the mean by k-means). */
  values: Float64Array;
}

/** Per-area sums from the customers (DuckDB per cell, rolled up to areas). */
export interface AreaCustomerSums {
  customers: Float64Array;
  /** Numeric column → [sum, count of non-missing]. */
  sums: Record<string, [Float64Array, Float64Array]>;
  /** Segment value → customers in it. */
  segments: Record<string, Float64Array>;
}

function ratio(a: Float64Array, b: ArrayLike<number>, scale = 1): Float64Array {
  return Float64Array.from(a, (x, i) => (b[i] > 0 ? (scale * x) / b[i] : NaN));
}

/** The derived customer variables per area (only those the data allows). */
export function customerVariables(c: AreaCustomerSums, population: Float64Array | null): ProfileVariable[] {
  const out: ProfileVariable[] = [];
  if (population) out.push({ id: 'cust_per_1000', values: ratio(c.customers, population, 1000) });
  const mean = (col: string, id: string) => {
    const s = c.sums[col];
    if (s) out.push({ id, values: ratio(s[0], s[1]) });
  };
  mean('digital_active', 'digital_share');
  mean('age', 'mean_age');
  mean('balance', 'mean_balance');
  for (const [seg, n] of Object.entries(c.segments)) out.push({ id: `seg:${seg}`, values: ratio(n, c.customers) });
  return out;
}

/** Row-major areas × variables matrix for k-means. */
export function profileMatrix(vars: readonly ProfileVariable[], areaCount: number): Float64Array {
  const dims = vars.length;
  const m = new Float64Array(areaCount * dims);
  for (let a = 0; a < areaCount; a++) for (let d = 0; d < dims; d++) m[a * dims + d] = vars[d].values[a];
  return m;
}

/** The type's most distinctive variables: |centre z| ≥ 0.5, largest first, at most `max`. */
export function distinctive(centre: ArrayLike<number>, ids: readonly string[], max = 3): { id: string; z: number }[] {
  return ids
    .map((id, d) => ({ id, z: centre[d] }))
    .filter((v) => Math.abs(v.z) >= 0.5)
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
    .slice(0, max);
}

/**
 * Formats a type can be advised, from the most to the least branch:
 * - `full`: full-service branch (advice, lending, cash, business services);
 * - `community`: community branch (社区支行): counters, cash, elderly-friendly service;
 * - `light`: light branch (smart tellers, a few staff);
 * - `digital`: no new branch; digital-first promotion with self-service kiosks;
 * - `atm`: self-service (ATM / CRS) only;
 * - `hold`: no new outlet while risk is high; serve from existing sites, tighter credit.
 */
export const FORMATS = ['full', 'community', 'light', 'digital', 'atm', 'hold'] as const;
export type BranchFormat = (typeof FORMATS)[number];

/** Profile dimensions the advice reads, each the mean centre z of the variables matching it. */
export const DIMENSIONS = {
  demand: [/^cust_per_1000$/, /^pop_density$/],
  digital: [/digital/i, /young/i],
  age: [/^mean_age$/, /elderly/i, /senior/i],
  affluence: [/income/i, /balance/i, /affluent/i],
  business: [/business/i, /firm/i, /sme/i],
} as const;
export type Dimension = keyof typeof DIMENSIONS;

/** z at or beyond which a dimension counts as high (or, negated, low): half a standard deviation. */
export const Z_HIGH = 0.5;
/** Share of a type's areas in high-risk tiers at or above which the type is high risk. */
export const HIGH_RISK_SHARE = 0.5;

export interface TypeProfile {
  /** The type's centre, standardised (z per variable, parallel to `ids`). */
  centre: ArrayLike<number>;
  ids: readonly string[];
  /** Share of the type's areas whose risk tier is high (upper half, as the quadrants); NaN without a risk index. */
  highRiskShare: number;
}

export interface TypeAdvice {
  format: BranchFormat;
  /** The dimension that decided (`risk` for `hold`; none for the `light` fallback). */
  reason: Dimension | 'risk' | null;
  /** The variables behind it with their centre z, strongest first (empty for `risk` and `light`). */
  because: { id: string; z: number }[];
  /** Every dimension's mean z (NaN when the data has none of its variables). */
  dims: Record<Dimension, number>;
}

function dimension(centre: ArrayLike<number>, ids: readonly string[], patterns: readonly RegExp[]): { z: number; vars: { id: string; z: number }[] } {
  const vars: { id: string; z: number }[] = [];
  ids.forEach((id, d) => {
    if (patterns.some((p) => p.test(id)) && Number.isFinite(centre[d])) vars.push({ id, z: centre[d] });
  });
  const z = vars.length ? vars.reduce((s, v) => s + v.z, 0) / vars.length : NaN;
  return { z, vars: vars.sort((a, b) => Math.abs(b.z) - Math.abs(a.z)) };
}

/**
 * Advice for one area type from its profile — a transparent rule, first match wins:
 * 1. most of its areas in high-risk tiers (≥ 50 %) → `hold`, whatever the demand;
 * 2. digital high (digital share / young shares z ≥ 0.5) and above the age dimension → `digital`
 *    (a young, digital population is served through the app wherever it lives);
 * 3. age high (mean age / elderly shares z ≥ 0.5) → `community` (older customers need counters
 *    and cash even where demand is thin: the regulators' 适老化 push);
 * 4. demand low (customers per 1,000 residents / density z ≤ −0.5) → `atm`;
 * 5. demand, affluence or business high (z ≥ 0.5) → `full`;
 * 6. otherwise → `light`.
 * Dimensions the data lacks (NaN) never match.
 */
export function adviseType(p: TypeProfile): TypeAdvice {
  const d = Object.fromEntries(Object.entries(DIMENSIONS).map(([k, pats]) => [k, dimension(p.centre, p.ids, pats)])) as Record<Dimension, ReturnType<typeof dimension>>;
  const dims = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.z])) as Record<Dimension, number>;
  const high = (k: Dimension) => d[k].z >= Z_HIGH;
  const pick = (format: BranchFormat, ...ks: Dimension[]): TypeAdvice => ({
    format, reason: ks[0], dims,
    because: ks.flatMap((k) => d[k].vars.filter((v) => (format === 'atm' ? v.z <= -Z_HIGH : v.z >= Z_HIGH))),
  });
  if (p.highRiskShare >= HIGH_RISK_SHARE) return { format: 'hold', reason: 'risk', because: [], dims };
  if (high('digital') && !(d.age.z > d.digital.z)) return pick('digital', 'digital');
  if (high('age')) return pick('community', 'age');
  if (d.demand.z <= -Z_HIGH) return pick('atm', 'demand');
  const strong = (['demand', 'affluence', 'business'] as const).filter(high);
  if (strong.length) return pick('full', ...[...strong].sort((a, b) => d[b].z - d[a].z));
  return { format: 'light', reason: null, because: [], dims };
}

/** Per type (labels 0..k−1): the share of its areas with a high tier, NaN when none has a tier. */
export function highRiskShares(labels: ArrayLike<number>, k: number, highRisk: (area: number) => boolean | null): number[] {
  const n = new Array(k).fill(0), hi = new Array(k).fill(0);
  for (let a = 0; a < labels.length; a++) {
    const h = highRisk(a);
    if (h === null) continue;
    n[labels[a]]++;
    if (h) hi[labels[a]]++;
  }
  return n.map((m, l) => (m > 0 ? hi[l] / m : NaN));
}
