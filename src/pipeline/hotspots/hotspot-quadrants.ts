/**
 * Demand × risk quadrants: each study cell is classed by its demand hotspot class
 * and its area's risk tier.
 *
 * - Hot demand: Gi* hot95 or hot99 (p ≤ 0.05 by the chosen inference), or a Local Moran HH
 *   cluster. 90 % hot cells are not counted: a weak signal should not steer a branch plan.
 * - High risk: a tier in the upper half of the tiers, the middle tier of an odd count being
 *   low (tiers 3–4 of 4, tier 3 of 3, tier 2 of 2). Tier 1 is the lowest risk (DESIGN.md).
 * - opportunity = hot demand and low risk; caution = hot demand and high risk; watch = high
 *   risk without hot demand; other = the rest, and every cell whose area has no risk index.
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

export interface QuadrantInput {
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
  /** Index into QUADRANTS per cell. */
  quadrant: Uint8Array;
  /** Cells per quadrant, QUADRANTS order. */
  counts: number[];
  /** Areas with at least one hot cell or high risk, opportunity cells first. */
  rows: AreaQuadrantRow[];
}

export function demandRiskQuadrants(input: QuadrantInput): QuadrantResult {
  const n = input.classCode.length;
  const areaCount = input.tier.length;
  const quadrant = new Uint8Array(n);
  const counts = [0, 0, 0, 0];
  const rows: AreaQuadrantRow[] = Array.from({ length: areaCount }, (_, a) => ({
    area: a, riskIndex: input.riskIndex[a], tier: input.tier[a], highRisk: isHighRisk(input.tier[a], input.tierCount),
    cells: 0, hotCells: 0, opportunityCells: 0, cautionCells: 0, hotShare: NaN,
  }));
  const demand = new Float64Array(areaCount);
  const hotDemand = new Float64Array(areaCount);
  for (let i = 0; i < n; i++) {
    const a = input.cellArea[i];
    const row = rows[a];
    const hot = isHotDemand(input.classCode[i], input.statistic);
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
  return { quadrant, counts, rows: listed };
}
