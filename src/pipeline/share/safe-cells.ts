/**
 * Small-cell protection for shared H3 aggregates (k-anonymity style count suppression).
 *
 * No cell that leaves the app may describe fewer than `k` customers. Cells below k are
 * merged with their siblings into their H3 parent — the whole family, not just the small
 * children: if the parent summed only its small children while its big children stayed
 * visible, nothing would leak either, but the parent polygon would overlap its children on
 * the map; if it summed all of them while the big children stayed visible, parent − big =
 * the small ones, a differencing leak. Merging whole families keeps every output cell a
 * disjoint set of customers and the map free of overlaps. This repeats one resolution at a
 * time up to `coarsestResolution`; cells still below k there are hidden (counted in
 * `hidden`). Zero-count cells are dropped: they describe no one, and sharing them adds no
 * information a viewer needs.
 *
 * Every output cell has count ≥ k. Numeric fields named in `sum` are added up when cells
 * merge; other fields survive only on cells that were not merged.
 */
import { cellToParent, getResolution, isValidCell } from 'h3-js';

export interface CountCell {
  /** H3 index (h3-js string). */
  h3: string;
  /** Customers in the cell. */
  count: number;
  [field: string]: unknown;
}

export interface SafeCell extends CountCell {
  resolution: number;
  /** How many input cells this cell stands for (1 = unchanged). */
  merged: number;
}

export interface SafeCellsOptions {
  /** Stop merging at this resolution (default 5, ~250 km² cells); smaller cells are then hidden. */
  coarsestResolution?: number;
  /** Additive numeric fields to sum when cells merge (e.g. 'balance'). */
  sum?: string[];
}

export interface SafeCellsResult {
  cells: SafeCell[];
  /** Input cells that were merged into a parent. */
  mergedInputs: number;
  /** Customers in cells hidden because they stayed below k at the coarsest resolution. */
  hiddenCount: number;
  /** Number of output-level cells hidden. */
  hiddenCells: number;
  /** Input cells that were not valid H3 indexes (dropped). */
  invalid: number;
}

/** Colour of merged (parent) cells on an exported map: customers are there, too few per cell to show more. */
export const MERGED_CELL_RGB: [number, number, number] = [140, 140, 140];
/** Their fill opacity on the map (0–255). */
export const MERGED_CELL_ALPHA = 110;

/** Default minimum number of customers per shared cell. */
export const DEFAULT_K = 10;

interface Work {
  h3: string;
  count: number;
  resolution: number;
  merged: number;
  sums: Record<string, number>;
  /** The original cell when unmerged (keeps its other fields). */
  original: CountCell | null;
}

/**
 * Merge or hide H3 cells with fewer than `k` customers (default 10). Pure: the input is not
 * modified. Duplicate input cells are added together first.
 */
export function safeCells(cells: readonly CountCell[], k = DEFAULT_K, opts: SafeCellsOptions = {}): SafeCellsResult {
  const coarsest = Math.max(0, Math.min(15, Math.floor(opts.coarsestResolution ?? 5)));
  const sumFields = opts.sum ?? [];
  let invalid = 0;

  // Cells by resolution; a cell index may occur once per level.
  const levels = new Map<number, Map<string, Work>>();
  const level = (r: number) => {
    let m = levels.get(r);
    if (!m) levels.set(r, (m = new Map()));
    return m;
  };
  const add = (r: number, w: Work) => {
    const m = level(r);
    const prev = m.get(w.h3);
    if (!prev) return void m.set(w.h3, w);
    prev.count += w.count;
    prev.merged += w.merged;
    for (const f of sumFields) prev.sums[f] = (prev.sums[f] ?? 0) + (w.sums[f] ?? 0);
    prev.original = null;
  };

  for (const c of cells) {
    const count = Number(c.count);
    if (typeof c.h3 !== 'string' || !isValidCell(c.h3) || !Number.isFinite(count) || count < 0) {
      invalid++;
      continue;
    }
    if (count === 0) continue;
    const sums: Record<string, number> = {};
    for (const f of sumFields) sums[f] = Number(c[f]) || 0;
    add(getResolution(c.h3), { h3: c.h3, count, resolution: getResolution(c.h3), merged: 1, sums, original: c });
  }

  // Finest level first: lift every family that has a small member into its parent.
  const maxRes = Math.max(-1, ...levels.keys());
  for (let r = maxRes; r > coarsest; r--) {
    const here = levels.get(r);
    if (!here) continue;
    const families = new Map<string, Work[]>();
    for (const w of here.values()) {
      const parent = cellToParent(w.h3, r - 1);
      let fam = families.get(parent);
      if (!fam) families.set(parent, (fam = []));
      fam.push(w);
    }
    for (const [parent, fam] of families) {
      if (!fam.some((w) => w.count < k)) continue;
      const sums: Record<string, number> = {};
      for (const f of sumFields) sums[f] = fam.reduce((s, w) => s + (w.sums[f] ?? 0), 0);
      for (const w of fam) here.delete(w.h3);
      add(r - 1, {
        h3: parent,
        count: fam.reduce((s, w) => s + w.count, 0),
        resolution: r - 1,
        merged: fam.reduce((s, w) => s + w.merged, 0),
        sums,
        original: null,
      });
    }
  }

  const out: SafeCell[] = [];
  let mergedInputs = 0;
  let hiddenCount = 0;
  let hiddenCells = 0;
  for (const r of [...levels.keys()].sort((a, b) => a - b)) {
    for (const w of levels.get(r)!.values()) {
      if (!w.original) mergedInputs += w.merged;
      if (w.count < k) {
        hiddenCount += w.count;
        hiddenCells++;
        continue;
      }
      if (w.original && w.merged === 1) {
        out.push({ ...w.original, count: w.count, resolution: r, merged: 1 });
      } else {
        out.push({ h3: w.h3, count: w.count, resolution: r, merged: w.merged, ...w.sums });
      }
    }
  }
  out.sort((a, b) => a.resolution - b.resolution || (a.h3 < b.h3 ? -1 : a.h3 > b.h3 ? 1 : 0));
  return { cells: out, mergedInputs, hiddenCount, hiddenCells, invalid };
}

export interface SafeSplit {
  /** Indices of input cells that stay as they are (≥ k customers, family not merged). */
  kept: number[];
  /** Parents standing for merged families (each ≥ k customers); `value` summed when asked. */
  parents: SafeCell[];
  /** Input cells merged into a parent. */
  mergedInputs: number;
  /** Customers in hidden cells. */
  hiddenCount: number;
}

// Last split per counts array: the share panel asks for the export layers whenever the view
// changes, and a new layer over the same result must not redo ~0.4 s of merging (77k cells
// at resolution 9). Results are replaced whole, never mutated, so identity is a safe key.
const splits = new WeakMap<object, { h3: readonly string[]; values?: ArrayLike<number>; k: number; split: SafeSplit }>();

/**
 * `safeCells` over parallel arrays (a map layer's cells and their customer counts): which
 * cells a safe export may draw unchanged, and the merged parents it may draw in their place.
 * `values`, when given, is summed into each parent's `value` (additive measures only).
 * The arrays are read as immutable: the last split per `counts` array is reused.
 */
export function safeCellSplit(h3: readonly string[], counts: ArrayLike<number>, k = DEFAULT_K, values?: ArrayLike<number>): SafeSplit {
  const hit = splits.get(counts);
  if (hit && hit.h3 === h3 && hit.values === values && hit.k === k) return hit.split;
  const split = splitCells(h3, counts, k, values);
  splits.set(counts, { h3, values, k, split });
  return split;
}

function splitCells(h3: readonly string[], counts: ArrayLike<number>, k: number, values?: ArrayLike<number>): SafeSplit {
  const cells = h3.map((h, i) => ({ h3: h, count: counts[i] ?? 0, index: i, value: values?.[i] ?? 0 }));
  const r = safeCells(cells, k, { sum: values ? ['value'] : [] });
  const kept: number[] = [];
  const parents: SafeCell[] = [];
  // Unmerged cells keep their own fields (`index`); merged ones are new objects without it.
  for (const c of r.cells) if (typeof c.index === 'number') kept.push(c.index); else parents.push(c);
  kept.sort((a, b) => a - b);
  return { kept, parents, mergedInputs: r.mergedInputs, hiddenCount: r.hiddenCount };
}

/** The cells a safe layer draws, in order: the kept input cells, then the merged parents. */
export function safeCellIds(h3: readonly string[], s: SafeSplit): string[] {
  return [...s.kept.map((i) => h3[i]), ...s.parents.map((p) => p.h3)];
}
