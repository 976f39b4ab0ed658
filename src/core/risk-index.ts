/**
 * Area risk index: a composite indicator after the OECD/JRC Handbook on Constructing
 * Composite Indicators (2008), exactly as DESIGN.md "Area risk index" defines it.
 *
 *   risk_index_i = 100 · Σ_k w_k·s_ik / Σ_k w_k   (both sums over the indicators area i has)
 *
 * s_ik is the normalised score (`normalize.ts`), 1 − s for `direction: "down"`. An area
 * missing more than half of the total weight (exactly half is fine) gets an empty index, tier
 * and rank and the flag `insufficient_data`; its values still take part in normalisation.
 *
 * Work is split so that a weight slider only redoes the cheap part: `prepareRisk` resolves
 * `d:` indicators and normalises every indicator with all three methods once per period;
 * `scoreRisk` applies weights, directions, the chosen method and tiers (O(areas · indicators)
 * plus one sort for the rank).
 *
 * Choices DESIGN.md leaves open, made here:
 * - Rank ties: competition ranking ("1224"): areas whose indices are equal share the best
 *   rank of their group and the next rank skips. `order` lists areas by rank, ties by
 *   area_id (code-unit order), areas without an index last, so tables are stable.
 * - Equality for ties and for cut points allows 1e-9 index points (`INDEX_EPS`), so an index
 *   that is mathematically 50 but computed as 49.999999999999993 is tier 3 with cuts
 *   [25, 50, 75], and two areas with the same scores tie however the sums were ordered.
 * - The "more than half of the total weight" test also allows a relative 1e-12 so that
 *   weights like 0.1 + 0.2 vs 0.3 count as exactly half.
 * - A total weight of 0 (all sliders at 0) leaves every index empty with `insufficient_data`.
 * - Flags, in this order: `insufficient_data`, then `missing:<indicator>` for each indicator
 *   (as written in the config, e.g. `missing:d:house_price_index:4`) the area lacks, even at
 *   weight 0.
 * - Contributions 100·w_k·s_ik/Σw (Σ over the area's indicators) sum to the index; NaN where
 *   the score is missing or the index is empty.
 */
import { indicatorValues, scoreColumnName, type IndicatorTable } from './indicator-table.ts';
import { normalize, NORMALIZATIONS, type Normalization } from './normalize.ts';
import type { IndicatorSpec, RiskConfig } from './risk-config.ts';

/** Tolerance, in index points (0–100), for rank ties and tier cut points. */
export const INDEX_EPS = 1e-9;
const HALF_WEIGHT_REL_EPS = 1e-12;

export interface PreparedRisk {
  areaIds: string[];
  period: string;
  periodIndex: number;
  /** Indicator references in config order. */
  columns: string[];
  /** Raw values per indicator (`d:` resolved), NaN = missing. */
  raw: Float64Array[];
  /** Scores per method per indicator, before direction; NaN = missing. */
  scores: Record<Normalization, Float64Array[]>;
  /** Per indicator: every present value equal (all methods score 0.5). */
  constant: boolean[];
  /** Per indicator: number of areas with a value. */
  present: number[];
}

/** What `scoreRisk` needs from a config: the indicators (same columns as prepared), method, tiers. */
export type ScoreParams = Pick<RiskConfig, 'normalization' | 'indicators' | 'tiers'>;

export interface RiskResult {
  areaIds: string[];
  period: string;
  normalization: Normalization;
  /** Indicator references in config order. */
  columns: string[];
  /** Output score column names (`s_<column>`, `s_d_COL_LAG`), aligned with `columns`. */
  scoreColumns: string[];
  weights: number[];
  /** 0–100; NaN = empty (insufficient data). */
  riskIndex: Float64Array;
  /** 1..tiers.length+1; NaN = empty. */
  tier: Float64Array;
  /** 1 = highest index; competition ranking; NaN = empty. */
  rank: Float64Array;
  /** `;`-separated flags per area, '' if none. */
  flags: string[];
  /** Per indicator, per area: score after direction, NaN = missing. */
  scores: Float64Array[];
  /** Per indicator, per area: 100·w·s/Σw, the part of the index due to that indicator. */
  contributions: Float64Array[];
  /** Per area: weight present / total weight (0–1). */
  weightCoverage: Float64Array;
  /** Area indices in ranking-table order: by rank, ties by area_id, empty indices last. */
  order: Int32Array;
}

/** Resolve `d:` references and normalise every indicator with every method, once per period. */
export function prepareRisk(table: IndicatorTable, config: { period?: string; indicators: readonly Pick<IndicatorSpec, 'column'>[] }): PreparedRisk {
  const periodIndex = config.period === undefined ? table.periods.length - 1 : table.periods.indexOf(config.period);
  if (periodIndex < 0) throw new Error(config.period === undefined ? 'The indicators table has no periods' : `Unknown period '${config.period}'`);
  return prepareRiskAt(table, config.indicators, periodIndex);
}

export function prepareRiskAt(table: IndicatorTable, indicators: readonly Pick<IndicatorSpec, 'column'>[], periodIndex: number): PreparedRisk {
  const columns = indicators.map((s) => s.column);
  const raw = columns.map((c) => indicatorValues(table, c, periodIndex));
  const scores = {} as Record<Normalization, Float64Array[]>;
  const constant: boolean[] = [];
  const present: number[] = [];
  for (const method of NORMALIZATIONS) {
    scores[method] = raw.map((x, k) => {
      const r = normalize(x, method);
      constant[k] = r.constant;
      present[k] = r.m;
      return r.scores;
    });
  }
  return { areaIds: table.areaIds, period: table.periods[periodIndex], periodIndex, columns, raw, scores, constant, present };
}

/**
 * Weighted sums for every area (the part shared with the Monte Carlo). `oriented[k]` are
 * scores with direction applied. Writes the index (NaN when insufficient) and the weight
 * coverage; returns nothing.
 */
export function weightedIndex(oriented: readonly Float64Array[], weights: ArrayLike<number>, index: Float64Array, coverage?: Float64Array): void {
  const n = index.length;
  const K = oriented.length;
  let total = 0;
  for (let k = 0; k < K; k++) total += weights[k];
  const sumWS = index;
  sumWS.fill(0);
  const sumW = coverage ?? new Float64Array(n);
  sumW.fill(0);
  for (let k = 0; k < K; k++) {
    const w = weights[k];
    const s = oriented[k];
    for (let i = 0; i < n; i++) {
      const v = s[i];
      if (v === v) {
        sumWS[i] += w * v;
        sumW[i] += w;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const present = sumW[i];
    // missing = total − present > total / 2  ⇔  present < total / 2
    const insufficient = !(total > 0) || present < total / 2 - HALF_WEIGHT_REL_EPS * total || !(present > 0);
    index[i] = insufficient ? NaN : (100 * sumWS[i]) / present;
    if (coverage) coverage[i] = total > 0 ? present / total : 0;
  }
}

/** tier = 1 + number of cut points ≤ index (within INDEX_EPS); NaN for NaN. */
export function tierOf(index: number, tiers: readonly number[]): number {
  if (!(index === index)) return NaN;
  let t = 1;
  for (const c of tiers) if (c <= index + INDEX_EPS) t++;
  return t;
}

/**
 * Competition ranks (1 = highest) into `rank`, NaN where index is NaN. `order` receives the
 * ranked area indices (best first; NaN areas after them) and must have length n; `tieBreak`
 * orders areas within a tie (default: by index position).
 */
export function rankDescending(index: Float64Array, rank: Float64Array, order: Int32Array, tieBreak?: (a: number, b: number) => number): number {
  const n = index.length;
  let m = 0;
  let tail = n;
  for (let i = 0; i < n; i++) {
    if (index[i] === index[i]) order[m++] = i;
    else {
      order[--tail] = i;
      rank[i] = NaN;
    }
  }
  // keep the NaN tail in area order
  order.subarray(m).reverse();
  const key = (i: number) => Math.round(index[i] / INDEX_EPS);
  const valid = order.subarray(0, m);
  valid.sort((a, b) => key(b) - key(a) || (tieBreak ? tieBreak(a, b) : a - b));
  for (let p = 0; p < m; p++) {
    const i = valid[p];
    rank[i] = p > 0 && key(valid[p - 1]) === key(i) ? rank[valid[p - 1]] : p + 1;
  }
  return m;
}

const byAreaId = (ids: readonly string[]) => (a: number, b: number) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : a - b);

/** Scores with direction applied (`down` → 1 − s), new arrays. */
export function orientScores(scores: readonly Float64Array[], indicators: readonly Pick<IndicatorSpec, 'direction'>[]): Float64Array[] {
  return scores.map((s, k) => {
    if (indicators[k].direction !== 'down') return s.slice();
    const o = new Float64Array(s.length);
    for (let i = 0; i < s.length; i++) o[i] = 1 - s[i];
    return o;
  });
}

/** Apply weights, directions, method and tiers to prepared scores. Fast: call on every slider move. */
export function scoreRisk(prepared: PreparedRisk, params: ScoreParams): RiskResult {
  const { indicators } = params;
  if (indicators.length !== prepared.columns.length || indicators.some((s, k) => s.column !== prepared.columns[k])) {
    throw new Error('scoreRisk: the indicators differ from the prepared ones; call prepareRisk again after adding, removing or reordering indicators');
  }
  const n = prepared.areaIds.length;
  const K = indicators.length;
  const weights = indicators.map((s) => s.weight);
  const scores = orientScores(prepared.scores[params.normalization], indicators);
  const riskIndex = new Float64Array(n);
  const coverage = new Float64Array(n);
  weightedIndex(scores, weights, riskIndex, coverage);

  let total = 0;
  for (const w of weights) total += w;
  const contributions = scores.map((s, k) => {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = riskIndex[i] === riskIndex[i] && s[i] === s[i] ? (100 * weights[k] * s[i]) / (coverage[i] * total) : NaN;
    return c;
  });

  const tier = new Float64Array(n);
  for (let i = 0; i < n; i++) tier[i] = tierOf(riskIndex[i], params.tiers);
  const rank = new Float64Array(n);
  const order = new Int32Array(n);
  rankDescending(riskIndex, rank, order, byAreaId(prepared.areaIds));

  const flags: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let f = riskIndex[i] === riskIndex[i] ? '' : 'insufficient_data';
    for (let k = 0; k < K; k++) if (!(scores[k][i] === scores[k][i])) f += (f ? ';' : '') + 'missing:' + prepared.columns[k];
    flags[i] = f;
  }
  return {
    areaIds: prepared.areaIds,
    period: prepared.period,
    normalization: params.normalization,
    columns: prepared.columns,
    scoreColumns: prepared.columns.map(scoreColumnName),
    weights,
    riskIndex,
    tier,
    rank,
    flags,
    scores,
    contributions,
    weightCoverage: coverage,
    order,
  };
}

/** The index for `config.period` (default the latest period). */
export function computeRiskIndex(table: IndicatorTable, config: RiskConfig): RiskResult {
  return scoreRisk(prepareRisk(table, config), config);
}

/**
 * The index for every period of the table (`config.period` ignored), each period normalised
 * on its own as DESIGN.md defines the index: for time series, "change between two periods"
 * maps and the index-jump and tier-up alerts. Periods where a `d:` indicator has no lagged
 * period simply lack it (and may be `insufficient_data`).
 */
export function computeRiskSeries(table: IndicatorTable, config: ScoreParams): RiskResult[] {
  return table.periods.map((_, p) => scoreRisk(prepareRiskAt(table, config.indicators, p), config));
}

/** Prepared scores for every period, so weight changes redo only `scoreRisk` per period. */
export function prepareRiskSeries(table: IndicatorTable, config: { indicators: readonly Pick<IndicatorSpec, 'column'>[] }): PreparedRisk[] {
  return table.periods.map((_, p) => prepareRiskAt(table, config.indicators, p));
}

export interface RiskChange {
  /** to.riskIndex − from.riskIndex; NaN if either is empty. */
  indexChange: Float64Array;
  /** to.tier − from.tier; NaN if either is empty. */
  tierChange: Float64Array;
  /** from.rank − to.rank (positive = moved up towards rank 1, i.e. riskier); NaN if either is empty. */
  rankChange: Float64Array;
}

/** Change between two results for the same areas (e.g. two periods), for the change map. */
export function riskChange(from: RiskResult, to: RiskResult): RiskChange {
  const n = to.areaIds.length;
  if (from.areaIds.length !== n) throw new Error('riskChange: results are for different areas');
  const indexChange = new Float64Array(n);
  const tierChange = new Float64Array(n);
  const rankChange = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    indexChange[i] = to.riskIndex[i] - from.riskIndex[i];
    tierChange[i] = to.tier[i] - from.tier[i];
    rankChange[i] = from.rank[i] - to.rank[i];
  }
  return { indexChange, tierChange, rankChange };
}

export type RiskRow = { area_id: string; risk_index: number; tier: number; rank: number; flags: string } & Record<string, string | number>;

/**
 * Rows in area order with the CLI's columns: area_id, risk_index, tier, rank, flags, s_….
 * Empty values are NaN; the writer renders them as empty cells.
 */
export function riskRows(result: RiskResult): RiskRow[] {
  return result.areaIds.map((area_id, i) => {
    const row: RiskRow = { area_id, risk_index: result.riskIndex[i], tier: result.tier[i], rank: result.rank[i], flags: result.flags[i] };
    result.scoreColumns.forEach((c, k) => (row[c] = result.scores[k][i]));
    return row;
  });
}
