/**
 * Area typology: profile variables per area, k-means types (src/core/kmeans.ts, run
 * in the analysis worker), a short description of each type by its most distinctive
 * variables, and a suggested branch format.
 *
 * Profile variables: the indicator columns at the chosen period, plus what the customers
 * say about an area — customers per 1,000 residents, digital share, mean age, mean balance,
 * segment shares — and the population density when areas carry `area_km2`.
 *
 * The format suggestion is a transparent rule on the standardised type centre, not a model:
 * digital promotion where digital activity and young shares are high; full-service where
 * affluence (income, balances, affluent share), firms (SME share, firm counts) or elderly
 * shares are high (advice, cash, business services); ATM-only where customers per resident
 * and density are low; a light branch otherwise. The panel shows the variables behind it.
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

export const FORMATS = ['digital', 'full', 'atm', 'light'] as const;
export type BranchFormat = (typeof FORMATS)[number];

const DIGITAL = [/digital/i, /young/i];
const AFFLUENT = [/income/i, /balance/i, /affluent/i];
const BUSINESS = [/business/i, /firm/i, /sme/i];
const ELDERLY = [/elderly/i, /senior/i, /mean_age/];
const DENSITY = [/cust_per_1000/, /pop_density/];

function score(centre: ArrayLike<number>, ids: readonly string[], patterns: readonly RegExp[]): { score: number; ids: string[] } {
  let s = 0;
  const used: string[] = [];
  ids.forEach((id, d) => {
    if (patterns.some((p) => p.test(id)) && Number.isFinite(centre[d])) {
      s += centre[d];
      used.push(id);
    }
  });
  return { score: used.length ? s / used.length : 0, ids: used };
}

/** Suggested branch format of a type and the variables that decided it. */
export function suggestFormat(centre: ArrayLike<number>, ids: readonly string[]): { format: BranchFormat; because: string[] } {
  const digital = score(centre, ids, DIGITAL);
  const full = [score(centre, ids, AFFLUENT), score(centre, ids, BUSINESS), score(centre, ids, ELDERLY)].sort((a, b) => b.score - a.score)[0];
  const sparse = score(centre, ids, DENSITY);
  const candidates: { format: BranchFormat; score: number; ids: string[] }[] = [
    { format: 'digital', ...digital },
    { format: 'full', ...full },
    { format: 'atm', score: -sparse.score, ids: sparse.ids },
  ];
  const best = candidates.sort((a, b) => b.score - a.score)[0];
  if (best.score < 0.5) return { format: 'light', because: [] };
  return { format: best.format, because: best.ids };
}
