/**
 * The indicator table as the risk index sees it: plain columns, one Float64Array of area
 * values per period, NaN for a missing value. Columnar so a worker can transfer it and so
 * the index can be recomputed without touching objects per row.
 *
 * Indicator references follow DESIGN.md: a plain column name, or `d:COL:LAG`, the value of
 * COL at a period minus its value LAG positions earlier in the sorted list of distinct
 * periods (missing if either is missing, or if there is no period LAG positions earlier).
 */
import { checkPeriods } from './periods.ts';

export interface IndicatorTable {
  /** Area ids in output order (the areas file's order). Every area appears, with or without data. */
  areaIds: string[];
  /** Distinct periods sorted by time, as `checkPeriods(...).sorted` returns them. */
  periods: string[];
  /** `values[column][periodIndex][areaIndex]`; NaN = missing (no row, empty or non-finite value). */
  values: Record<string, Float64Array[]>;
}

/** A parsed indicator reference: `column` alone, or `d:column:lag` (lag ≥ 1). */
export interface IndicatorRef {
  column: string;
  /** 0 for a plain column; the number of periods back for a `d:` change indicator. */
  lag: number;
}

const CHANGE_REF = /^d:(.+):([0-9]+)$/;

/**
 * Parse `COL` or `d:COL:LAG`. Returns null for a malformed `d:` reference (LAG not a positive
 * integer, or COL empty) so the validator can say what is wrong. A column whose own name
 * starts with `d:` cannot be referenced plainly; DESIGN.md reserves the prefix.
 */
export function parseIndicatorRef(ref: string): IndicatorRef | null {
  if (!ref.startsWith('d:')) return ref.length > 0 ? { column: ref, lag: 0 } : null;
  const m = CHANGE_REF.exec(ref);
  if (!m) return null;
  const lag = Number(m[2]);
  if (!Number.isSafeInteger(lag) || lag < 1) return null;
  return { column: m[1], lag };
}

/** Score column name: `s_<column>`, and `s_d_COL_LAG` for `d:COL:LAG` (DESIGN.md). */
export function scoreColumnName(ref: string): string {
  const p = parseIndicatorRef(ref);
  if (p && p.lag > 0) return `s_d_${p.column}_${p.lag}`;
  return `s_${ref}`;
}

/**
 * Values of an indicator reference at one period, per area (a new array; NaN = missing).
 * Throws for an unknown column or malformed reference: callers validate configs first
 * (`parseRiskConfig`), so reaching this is a programming error.
 */
export function indicatorValues(table: IndicatorTable, ref: string, periodIndex: number): Float64Array {
  const p = parseIndicatorRef(ref);
  if (!p) throw new Error(`Malformed indicator reference '${ref}'`);
  const col = table.values[p.column];
  if (!col) throw new Error(`Unknown indicator column '${p.column}'`);
  const n = table.areaIds.length;
  const out = new Float64Array(n).fill(NaN);
  if (periodIndex < 0 || periodIndex >= table.periods.length) return out;
  const cur = col[periodIndex];
  if (p.lag === 0) {
    for (let i = 0; i < n; i++) out[i] = Number.isFinite(cur[i]) ? cur[i] : NaN;
    return out;
  }
  const j = periodIndex - p.lag;
  if (j < 0) return out;
  const prev = col[j];
  for (let i = 0; i < n; i++) {
    const d = cur[i] - prev[i];
    out[i] = Number.isFinite(d) ? d : NaN;
  }
  return out;
}

export interface TableFromRowsOptions {
  /** Area order and universe; default: first appearance in `rows`. Rows of other areas are skipped. */
  areaIds?: readonly string[];
  /** Sorted distinct periods; default: derived from the rows with `checkPeriods`. */
  periods?: readonly string[];
  /** Numeric columns to keep; default: every key except area_id, period and period_index. */
  columns?: readonly string[];
}

const KEY_COLUMNS = new Set(['area_id', 'period', 'period_index']);

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

/**
 * Build an IndicatorTable from plain rows `{area_id, period, <numeric>...}` (what a DuckDB
 * query or a CSV parser yields). The first row of a duplicated (area, period) wins: the
 * loader rejects duplicates with a reason before this point, so this only keeps output stable.
 */
export function indicatorTableFromRows(
  rows: readonly Record<string, unknown>[],
  opts: TableFromRowsOptions = {},
): IndicatorTable {
  const areaIds = opts.areaIds ? [...opts.areaIds] : [...new Set(rows.map((r) => String(r.area_id)))];
  let periods: string[];
  if (opts.periods) periods = [...opts.periods];
  else {
    const check = checkPeriods(rows.map((r) => String(r.period)));
    if (!check.ok) throw new Error(`Period '${check.label}' in row ${check.index + 1} is ${check.reason === 'mixed' ? `not in the file's ${check.expected} format` : 'not a period like 2024Q3, 2024-09 or 2024'}`);
    periods = check.sorted;
  }
  let columns: string[];
  if (opts.columns) columns = [...opts.columns];
  else {
    const seen = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) if (!KEY_COLUMNS.has(k)) seen.add(k);
    columns = [...seen];
  }
  const areaIndex = new Map(areaIds.map((a, i) => [a, i]));
  const periodIndex = new Map(periods.map((p, i) => [p, i]));
  const n = areaIds.length;
  const values: Record<string, Float64Array[]> = {};
  for (const c of columns) values[c] = periods.map(() => new Float64Array(n).fill(NaN));
  const filled = new Set<number>();
  for (const r of rows) {
    const i = areaIndex.get(String(r.area_id));
    const p = periodIndex.get(String(r.period).trim());
    if (i === undefined || p === undefined) continue;
    const key = p * n + i;
    if (filled.has(key)) continue;
    filled.add(key);
    for (const c of columns) {
      const v = toNumber(r[c]);
      values[c][p][i] = Number.isFinite(v) ? v : NaN;
    }
  }
  return { areaIds, periods, values };
}
