/**
 * The demand-cell table (issue 13, DESIGN.md § Headless CLI `aggregate`): customers summed per
 * H3 cell — count, and per numeric column its sum and the number of non-empty values — per
 * resolution and per combination of group columns. It is what a warehouse's GROUP BY returns
 * (README § Demand cells), and everything the hotspots need: Gi* on cells from this table
 * equals Gi* on the raw rows, because x_i is a count or a sum over the customers of cell i.
 *
 * Rows arrive in batches (typed arrays, never all rows at once); each batch is assigned to
 * cells (on all cores through the caller's `assign`) and folded into an open-addressing hash
 * table keyed by (cell, group combination). Memory grows with the number of distinct keys,
 * not with the number of rows.
 */
import { h3ToBigint } from '../../core/grid.ts';
import type { CellTotals } from '../hotspots/hotspot-stats.ts';

/** One batch of customers: coordinates, the numeric columns to sum (NaN = empty) and group codes. */
export interface PointBatch {
  lon: Float64Array;
  lat: Float64Array;
  /** One array per summed column, same length as lon; NaN for an empty value. */
  sums: Float64Array[];
  /** One array per group column: 1-based codes into that column's dictionary, 0 = empty. */
  groups: Int32Array[];
}

/** Cells of each point at a resolution (0 = no cell: a non-finite coordinate). */
export type AssignFn = (lon: Float64Array, lat: Float64Array, resolution: number) => Promise<BigUint64Array>;

/** The table, column-wise: one entry per (resolution, cell, group combination). */
export interface DemandCells {
  resolution: Int32Array;
  cells: BigUint64Array;
  /** Per group column: 1-based code into `dictionaries[g]`, 0 = empty. */
  groups: Int32Array[];
  count: Float64Array;
  /** Per summed column: the sum of its non-empty values. */
  sums: Float64Array[];
  /** Per summed column: how many values were not empty. */
  nonEmpty: Float64Array[];
  /** Points without a cell (non-finite coordinates; the loader lets none through). */
  noCell: number;
}

/**
 * Fold batches into a demand-cell table at every resolution in `resolutions`. `groupCardinality`
 * gives the dictionary size of each group column (codes 0..size).
 */
export async function aggregateDemandCells(
  batches: AsyncIterable<PointBatch>,
  opts: { resolutions: readonly number[]; sums: number; groupCardinality: readonly number[]; assign: AssignFn; signal?: AbortSignal; onBatch?: (rows: number) => void },
): Promise<DemandCells> {
  const folder = new DemandCellFolder(opts.resolutions, opts.sums, opts.groupCardinality);
  let rows = 0;
  for await (const b of batches) {
    opts.signal?.throwIfAborted();
    // the assignment transfers its inputs to helper workers: give it copies
    const cells: BigUint64Array[] = [];
    for (const r of opts.resolutions) cells.push(await opts.assign(b.lon.slice(), b.lat.slice(), r));
    folder.add(b, cells);
    rows += b.lon.length;
    opts.onBatch?.(rows);
  }
  return folder.finish();
}

/**
 * The fold behind `aggregateDemandCells`, for callers that assign cells themselves (the CLI's
 * pipelined pass, src/cli/in-place.ts): batches must be added in row order, each with its
 * points' cells at every resolution, so each cell's sums are added in the same order.
 */
export class DemandCellFolder {
  private readonly tables: CellTable[];
  private readonly radix: number[];
  private noCell = 0;

  constructor(
    private readonly resolutions: readonly number[],
    private readonly nSums: number,
    groupCardinality: readonly number[],
  ) {
    this.tables = resolutions.map(() => new CellTable(nSums));
    this.radix = groupCardinality.map((n) => n + 1);
    const combos = this.radix.reduce((p, r) => p * r, 1);
    if (combos > 2 ** 31) throw new RangeError(`the group columns have ${combos} value combinations; use fewer or coarser group columns`);
  }

  /** Fold one batch in; `cells[k]` are its points' cells at `resolutions[k]` (0 = no cell). */
  add(b: PointBatch, cells: readonly BigUint64Array[]): void {
    const n = b.lon.length;
    const { radix } = this;
    const combo = new Int32Array(n);
    for (let g = radix.length - 1; g >= 0; g--) {
      const codes = b.groups[g];
      const r = radix[g];
      for (let i = 0; i < n; i++) combo[i] = combo[i] * r + codes[i];
    }
    for (let k = 0; k < this.resolutions.length; k++) {
      const missed = this.tables[k].add(cells[k], combo, b.sums);
      if (k === 0) this.noCell += missed;
    }
  }

  finish(): DemandCells {
    const { radix, resolutions } = this;
    const parts = this.tables.map((t) => t.columns());
    const total = parts.reduce((s, p) => s + p.count.length, 0);
    const out: DemandCells = {
      resolution: new Int32Array(total),
      cells: new BigUint64Array(total),
      groups: radix.map(() => new Int32Array(total)),
      count: new Float64Array(total),
      sums: Array.from({ length: this.nSums }, () => new Float64Array(total)),
      nonEmpty: Array.from({ length: this.nSums }, () => new Float64Array(total)),
      noCell: this.noCell,
    };
    let at = 0;
    parts.forEach((p, k) => {
      const m = p.count.length;
      out.resolution.fill(resolutions[k], at, at + m);
      out.cells.set(p.cells, at);
      out.count.set(p.count, at);
      for (let s = 0; s < this.nSums; s++) {
        out.sums[s].set(p.sums[s], at);
        out.nonEmpty[s].set(p.nonEmpty[s], at);
      }
      for (let i = 0; i < m; i++) {
        let c = p.combo[i];
        for (let g = 0; g < radix.length; g++) {
          out.groups[g][at + i] = c % radix[g];
          c = Math.floor(c / radix[g]);
        }
      }
      at += m;
    });
    return out;
  }
}

/**
 * Open-addressing (linear probing) table keyed by a cell's two uint32 halves and a group
 * combination. No BigInt or string per row. A slot's key (lo, hi, combination, used) and its
 * values (count, then each sum and its non-empty count) sit side by side, so folding a row
 * touches two or three cache lines instead of one per array: with 160,000 cells in file order
 * the separate arrays made the fold the CLI aggregate's main cost (10M rows × 2 resolutions ×
 * 5 sums: 5.8–7.6 s CPU, cache misses).
 */
class CellTable {
  private mask = (1 << 12) - 1;
  private size = 0;
  /** Per slot: lo, hi, combination, used (0/1). */
  private keys = new Uint32Array((this.mask + 1) * 4);
  /** Per slot: count, then (sum, non-empty count) per summed column. */
  private vals: Float64Array;
  private readonly stride: number;

  constructor(private readonly nSums: number) {
    this.stride = 1 + 2 * nSums;
    this.vals = new Float64Array((this.mask + 1) * this.stride);
  }

  /** Fold one batch in; returns the points without a cell (cell 0). */
  add(cells: BigUint64Array, combo: Int32Array, sums: readonly Float64Array[]): number {
    const halves = new Uint32Array(cells.buffer, cells.byteOffset, cells.length * 2);
    const { nSums, stride } = this;
    let missed = 0;
    for (let i = 0; i < cells.length; i++) {
      const lo = halves[2 * i];
      const hi = halves[2 * i + 1];
      if (lo === 0 && hi === 0) {
        missed++;
        continue;
      }
      const at = this.slot(lo, hi, combo[i]) * stride;
      const vals = this.vals;
      vals[at]++;
      for (let k = 0; k < nSums; k++) {
        const v = sums[k][i];
        if (v === v) {
          vals[at + 1 + 2 * k] += v;
          vals[at + 2 + 2 * k]++;
        }
      }
    }
    return missed;
  }

  private slot(lo: number, hi: number, c: number): number {
    // Mixed so the slot's low bits depend on every key bit: an H3 index's low bits are the
    // unused finer digits (all ones), so the low bits of a plain product cluster and the
    // probes run long (10M city points took 18 s here, ~1 s mixed).
    let h = Math.imul(lo ^ (lo >>> 16), 0x85ebca6b) ^ Math.imul(hi ^ (hi >>> 13), 0xc2b2ae35) ^ Math.imul(c + 1, 0x27d4eb2d);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    let s = (h ^ (h >>> 12)) & this.mask;
    const keys = this.keys;
    while (keys[4 * s + 3]) {
      if (keys[4 * s] === lo && keys[4 * s + 1] === hi && keys[4 * s + 2] === c) return s;
      s = (s + 1) & this.mask;
    }
    if ((this.size + 1) * 2 > this.mask) {
      this.grow();
      return this.slot(lo, hi, c);
    }
    keys[4 * s] = lo;
    keys[4 * s + 1] = hi;
    keys[4 * s + 2] = c;
    keys[4 * s + 3] = 1;
    this.size++;
    return s;
  }

  private grow(): void {
    const { keys, vals, stride } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.size = 0;
    this.keys = new Uint32Array(cap * 4);
    this.vals = new Float64Array(cap * stride);
    for (let s = 0; s < keys.length / 4; s++) {
      if (!keys[4 * s + 3]) continue;
      const t = this.slot(keys[4 * s], keys[4 * s + 1], keys[4 * s + 2]);
      this.vals.set(vals.subarray(s * stride, (s + 1) * stride), t * stride);
    }
  }

  /** The entries in ascending (cell, combination) order. */
  columns(): { cells: BigUint64Array; combo: Int32Array; count: Float64Array; sums: Float64Array[]; nonEmpty: Float64Array[] } {
    const { keys, vals, stride } = this;
    const slots: number[] = [];
    for (let s = 0; s < keys.length / 4; s++) if (keys[4 * s + 3]) slots.push(s);
    slots.sort((a, b) => keys[4 * a + 1] - keys[4 * b + 1] || keys[4 * a] - keys[4 * b] || keys[4 * a + 2] - keys[4 * b + 2]);
    const m = slots.length;
    const cells = new BigUint64Array(m);
    const halves = new Uint32Array(cells.buffer);
    const combo = new Int32Array(m);
    const count = new Float64Array(m);
    const sums = Array.from({ length: this.nSums }, () => new Float64Array(m));
    const nonEmpty = Array.from({ length: this.nSums }, () => new Float64Array(m));
    slots.forEach((s, i) => {
      halves[2 * i] = keys[4 * s];
      halves[2 * i + 1] = keys[4 * s + 1];
      combo[i] = keys[4 * s + 2];
      count[i] = vals[s * stride];
      for (let k = 0; k < this.nSums; k++) {
        sums[k][i] = vals[s * stride + 1 + 2 * k];
        nonEmpty[k][i] = vals[s * stride + 2 + 2 * k];
      }
    });
    return { cells, combo, count, sums, nonEmpty };
  }
}

/** What the hotspots sum per cell, read from a demand-cell table. */
export interface CellsMeasure {
  resolution: number;
  /** Index of the summed column, or null for the customer count. */
  sum: number | null;
  /** Keep rows whose group column g has dictionary code in `codes` (all must hold). */
  where?: { group: number; codes: ReadonlySet<number> }[];
}

/**
 * Per-cell totals for the hotspot statistic (hotspot-engine `compute({ totals })`), exactly what
 * `cellTotalsSql` returns on the raw rows: customers, value (count, or the sum with empties as 0)
 * and missing (customers without a value), per cell over the rows that pass `where`.
 */
export function cellTotalsFromDemandCells(dc: DemandCells, m: CellsMeasure): CellTotals {
  const index = new Map<bigint, number>();
  const cells: bigint[] = [];
  const customers: number[] = [];
  const value: number[] = [];
  const missing: number[] = [];
  for (let i = 0; i < dc.cells.length; i++) {
    if (dc.resolution[i] !== m.resolution) continue;
    if (m.where && !m.where.every((w) => w.codes.has(dc.groups[w.group][i]))) continue;
    const c = dc.cells[i];
    let j = index.get(c);
    if (j === undefined) {
      j = cells.length;
      index.set(c, j);
      cells.push(c);
      customers.push(0);
      value.push(0);
      missing.push(0);
    }
    customers[j] += dc.count[i];
    if (m.sum === null) value[j] += dc.count[i];
    else {
      value[j] += dc.sums[m.sum][i];
      missing[j] += dc.count[i] - dc.nonEmpty[m.sum][i];
    }
  }
  return { cells: BigUint64Array.from(cells), customers: Float64Array.from(customers), value: Float64Array.from(value), missing: Float64Array.from(missing) };
}

/** A cell as the table stores it: a 15-hex-digit h3 string, or an integer (warehouse BIGINT/UInt64). */
export function parseCell(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v > 0n ? v : null;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? BigInt(v) : null;
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase();
  if (/^[0-9a-f]{15,16}$/.test(s)) return h3ToBigint(s);
  if (/^[0-9]{16,20}$/.test(s)) return BigInt(s);
  return null;
}
