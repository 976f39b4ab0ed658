/**
 * Demand × risk quadrants: each study cell is classed by its demand and its area's risk,
 * under one of two stated rules.
 *
 * `significance` (default) — what the other views show:
 * - Hot demand: Gi* hot95 or hot99 (p ≤ 0.05 by the chosen inference), or a Local Moran HH
 *   cluster. 90 % hot cells are not counted: a weak signal should not steer a branch plan.
 * - High risk: a tier in the upper half of the tiers, the middle tier of an odd count being
 *   low (tiers 3–4 of 4, tier 3 of 3, tier 2 of 2). Tier 1 is the lowest risk (DESIGN.md).
 *
 * `median` — relative to this city, so every quadrant is filled when demand and risk vary:
 * - Hot demand: the cell's value above the median value of the cells with any demand (> 0).
 * - High risk: the area's risk index above the median index of the areas that have one.
 *
 * opportunity = hot demand and low risk; caution = hot demand and high risk; watch = high
 * risk without hot demand; other = the rest, and every cell whose area has no risk index.
 * `emptyReasons` says why a quadrant is empty, in figures.
 */
export const QUADRANTS = ['opportunity', 'caution', 'watch', 'other'] as const;
export type Quadrant = (typeof QUADRANTS)[number];

export function isHotDemand(code: number, statistic: 'gi' | 'moran'): boolean {
  return statistic === 'gi' ? code <= 1 : code === 1;
}

/** Whether `tier` (1 = lowest) is high among `tierCount` tiers; false for a missing tier. */
export function isHighRisk(tier: number, tierCount: number): boolean {
  return Number.isFinite(tier) && tier > Math.ceil(tierCount / 2);
}

export const QUADRANT_RULES = ['significance', 'median'] as const;
export type QuadrantRule = (typeof QUADRANT_RULES)[number];

export interface QuadrantInput {
  /** Default `significance`. */
  rule?: QuadrantRule;
  statistic: 'gi' | 'moran';
  /** Class code per cell (GI_CLASSES or MORAN_QUADRANTS index). */
  classCode: Uint8Array;
  /** Demand per cell. */
  values: Float64Array;
  /** Owning area per cell. */
  cellArea: Int32Array;
  /** Risk index and tier per area (NaN = no index). */
  riskIndex: ArrayLike<number>;
  tier: ArrayLike<number>;
  /** Number of tiers (cut points + 1). */
  tierCount: number;
}

export interface AreaQuadrantRow {
  area: number;
  riskIndex: number;
  tier: number;
  highRisk: boolean;
  cells: number;
  hotCells: number;
  opportunityCells: number;
  cautionCells: number;
  /** Share of the area's demand that lies in hot cells (NaN without demand). */
  hotShare: number;
}

export interface QuadrantResult {
  rule: QuadrantRule;
  /** `median` rule: the demand value and risk index a cell / area must exceed (NaN otherwise). */
  demandThreshold: number;
  riskThreshold: number;
  /** Hot cells in all, including those in areas without a risk index. */
  hotCells: number;
  /** Areas with a risk index, and those of them that are high risk. */
  areasWithIndex: number;
  highRiskAreas: number;
  /** Index into QUADRANTS per cell. */
  quadrant: Uint8Array;
  /** Cells per quadrant, QUADRANTS order. */
  counts: number[];
  /** Areas with at least one hot cell or high risk, opportunity cells first. */
  rows: AreaQuadrantRow[];
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  values.sort((a, b) => a - b);
  const m = values.length >> 1;
  return values.length % 2 ? values[m] : (values[m - 1] + values[m]) / 2;
}

export function demandRiskQuadrants(input: QuadrantInput): QuadrantResult {
  const rule = input.rule ?? 'significance';
  const n = input.classCode.length;
  const areaCount = input.tier.length;
  let demandThreshold = NaN, riskThreshold = NaN;
  if (rule === 'median') {
    const pos: number[] = [];
    for (let i = 0; i < n; i++) if (input.values[i] > 0) pos.push(input.values[i]);
    demandThreshold = median(pos);
    const idx: number[] = [];
    for (let a = 0; a < areaCount; a++) if (Number.isFinite(input.riskIndex[a])) idx.push(input.riskIndex[a]);
    riskThreshold = median(idx);
  }
  const hotAt = (i: number) => (rule === 'median' ? input.values[i] > demandThreshold : isHotDemand(input.classCode[i], input.statistic));
  const highAt = (a: number) => (rule === 'median' ? input.riskIndex[a] > riskThreshold : isHighRisk(input.tier[a], input.tierCount));
  const quadrant = new Uint8Array(n);
  const counts = [0, 0, 0, 0];
  const rows: AreaQuadrantRow[] = Array.from({ length: areaCount }, (_, a) => ({
    area: a, riskIndex: input.riskIndex[a], tier: input.tier[a], highRisk: Number.isFinite(input.riskIndex[a]) && highAt(a),
    cells: 0, hotCells: 0, opportunityCells: 0, cautionCells: 0, hotShare: NaN,
  }));
  const demand = new Float64Array(areaCount);
  const hotDemand = new Float64Array(areaCount);
  let hotCells = 0;
  for (let i = 0; i < n; i++) {
    const a = input.cellArea[i];
    const row = rows[a];
    const hot = hotAt(i);
    if (hot) hotCells++;
    const known = Number.isFinite(row?.tier);
    const q = !known ? 3 : hot ? (row.highRisk ? 1 : 0) : row.highRisk ? 2 : 3;
    quadrant[i] = q;
    counts[q]++;
    if (!row) continue;
    row.cells++;
    demand[a] += input.values[i];
    if (hot) {
      row.hotCells++;
      hotDemand[a] += input.values[i];
    }
    if (q === 0) row.opportunityCells++;
    if (q === 1) row.cautionCells++;
  }
  for (const r of rows) r.hotShare = demand[r.area] > 0 ? hotDemand[r.area] / demand[r.area] : NaN;
  const listed = rows
    .filter((r) => r.hotCells > 0 || r.highRisk)
    .sort((x, y) => y.opportunityCells - x.opportunityCells || y.cautionCells - x.cautionCells || y.hotCells - x.hotCells || x.area - y.area);
  return {
    rule, demandThreshold, riskThreshold, hotCells,
    areasWithIndex: rows.filter((r) => Number.isFinite(r.tier)).length,
    highRiskAreas: rows.filter((r) => r.highRisk).length,
    quadrant, counts, rows: listed,
  };
}

/** Why a quadrant is empty: a code for the dictionary and the figures it quotes. */
export interface EmptyReason {
  quadrant: Quadrant;
  code: 'noRisk' | 'noHot' | 'noHighRisk' | 'allHotHigh' | 'hotOnlyLow' | 'highAllHot';
  /** `area` is an area index (−1 when none); numbers as computed. */
  params: { hot?: number; area?: number; riskIndex?: number; tier?: number };
}

/**
 * A reason, in figures, for each empty quadrant among opportunity, caution and watch
 * ("other" is the remainder and needs none). E.g. caution is empty under the significance rule
 * when every hot cell lies in a low-risk area: the reason names the riskiest area that has
 * hot cells, so the analyst sees how far it is from the high tiers.
 */
export function emptyReasons(r: QuadrantResult, riskIndex: ArrayLike<number>, tier: ArrayLike<number>): EmptyReason[] {
  const out: EmptyReason[] = [];
  if (r.areasWithIndex === 0) {
    for (const q of ['opportunity', 'caution', 'watch'] as const) if (r.counts[QUADRANTS.indexOf(q)] === 0) out.push({ quadrant: q, code: 'noRisk', params: {} });
    return out;
  }
  const riskiest = (filter: (row: AreaQuadrantRow) => boolean): number => {
    let best = -1;
    for (const row of r.rows) if (filter(row) && Number.isFinite(row.riskIndex) && (best < 0 || row.riskIndex > riskIndex[best])) best = row.area;
    return best;
  };
  const withFigures = (a: number) => (a >= 0 ? { area: a, riskIndex: riskIndex[a], tier: tier[a] } : { area: -1 });
  if (r.counts[0] === 0) {
    out.push(r.hotCells === 0 ? { quadrant: 'opportunity', code: 'noHot', params: {} } : { quadrant: 'opportunity', code: 'allHotHigh', params: { hot: r.hotCells } });
  }
  if (r.counts[1] === 0) {
    if (r.hotCells === 0) out.push({ quadrant: 'caution', code: 'noHot', params: {} });
    else if (r.highRiskAreas === 0) out.push({ quadrant: 'caution', code: 'noHighRisk', params: withFigures(maxIndexArea(riskIndex)) });
    else out.push({ quadrant: 'caution', code: 'hotOnlyLow', params: { hot: r.hotCells, ...withFigures(riskiest((row) => row.hotCells > 0)) } });
  }
  if (r.counts[2] === 0) {
    out.push(r.highRiskAreas === 0 ? { quadrant: 'watch', code: 'noHighRisk', params: withFigures(maxIndexArea(riskIndex)) } : { quadrant: 'watch', code: 'highAllHot', params: {} });
  }
  return out;
}

function maxIndexArea(riskIndex: ArrayLike<number>): number {
  let best = -1;
  for (let a = 0; a < riskIndex.length; a++) if (Number.isFinite(riskIndex[a]) && (best < 0 || riskIndex[a] > riskIndex[best])) best = a;
  return best;
}
