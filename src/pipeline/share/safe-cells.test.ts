import { describe, expect, it } from 'vitest';
import { cellToChildren, cellToParent, latLngToCell } from 'h3-js';
import { safeCellSplit, safeCells } from './safe-cells.ts';

// A resolution-7 cell in central Shanghai and its seven resolution-8 children.
const parent7 = latLngToCell(31.2304, 121.4737, 7);
const kids = cellToChildren(parent7, 8);
// A far-away family that has no small cell.
const other7 = latLngToCell(31.0, 121.9, 7);
const otherKids = cellToChildren(other7, 8);

describe('safeCells', () => {
  it('merges a family with a 3-customer cell into its parent, so the 3 never appears', () => {
    const cells = [
      { h3: kids[0], count: 3 },
      ...kids.slice(1).map((h3) => ({ h3, count: 20 })),
      ...otherKids.map((h3) => ({ h3, count: 15, gi_z: 1.5 })),
    ];
    const r = safeCells(cells, 10);
    expect(r.cells.some((c) => c.h3 === kids[0])).toBe(false);
    expect(r.cells.some((c) => c.count < 10)).toBe(false);
    const merged = r.cells.find((c) => c.h3 === parent7)!;
    expect(merged).toMatchObject({ count: 3 + 20 * (kids.length - 1), resolution: 7, merged: kids.length });
    // The big siblings are not shown next to their parent (no differencing, no overlap).
    for (const k of kids) expect(r.cells.some((c) => c.h3 === k)).toBe(false);
    // The untouched family keeps its cells and their other fields.
    expect(r.cells.filter((c) => otherKids.includes(c.h3)).length).toBe(otherKids.length);
    expect(r.cells.find((c) => c.h3 === otherKids[0])).toMatchObject({ count: 15, gi_z: 1.5, merged: 1, resolution: 8 });
    expect(r.mergedInputs).toBe(kids.length);
    expect(r.hiddenCells).toBe(0);
  });

  it('repeats up the hierarchy and hides what is still below k at the coarsest level', () => {
    const lonely = latLngToCell(30.7, 121.3, 8);
    const r = safeCells([{ h3: lonely, count: 3 }], 10, { coarsestResolution: 6 });
    expect(r.cells).toEqual([]);
    expect(r.hiddenCount).toBe(3);
    expect(r.hiddenCells).toBe(1);

    // Two small families under one resolution-6 cell add up to ≥ k there.
    const p6 = cellToParent(parent7, 6);
    const [a7, b7] = cellToChildren(p6, 7);
    const a8 = cellToChildren(a7, 8)[0];
    const b8 = cellToChildren(b7, 8)[0];
    const r2 = safeCells([{ h3: a8, count: 6 }, { h3: b8, count: 5 }], 10, { coarsestResolution: 5 });
    expect(r2.cells).toEqual([{ h3: p6, count: 11, resolution: 6, merged: 2 }]);
  });

  it('sums the named additive fields and drops the others on merged cells', () => {
    const r = safeCells([{ h3: kids[0], count: 4, balance: 100, gi_z: 2 }, { h3: kids[1], count: 7, balance: 50, gi_z: 1 }], 10, { sum: ['balance'] });
    expect(r.cells).toEqual([{ h3: parent7, count: 11, resolution: 7, merged: 2, balance: 150 }]);
  });

  it('respects a custom k and keeps cells exactly at k', () => {
    const cells = kids.map((h3) => ({ h3, count: 5 }));
    expect(safeCells(cells, 5).cells.length).toBe(kids.length);
    expect(safeCells(cells, 6).cells).toEqual([{ h3: parent7, count: 5 * kids.length, resolution: 7, merged: kids.length }]);
  });

  it('handles empty input, zero counts, duplicates and invalid cells on purpose', () => {
    expect(safeCells([], 10)).toEqual({ cells: [], mergedInputs: 0, hiddenCount: 0, hiddenCells: 0, invalid: 0 });
    const r = safeCells([{ h3: kids[0], count: 0 }, { h3: 'nope', count: 50 }, { h3: otherKids[0], count: 6 }, { h3: otherKids[0], count: 6 }, ...otherKids.slice(1).map((h3) => ({ h3, count: 30 }))], 10);
    expect(r.invalid).toBe(1);
    expect(r.cells.some((c) => c.h3 === kids[0])).toBe(false);
    expect(r.cells.find((c) => c.h3 === otherKids[0])).toMatchObject({ count: 12 });
  });

  it('does not modify its input', () => {
    const cells = [{ h3: kids[0], count: 3 }];
    const copy = structuredClone(cells);
    safeCells(cells, 10);
    expect(cells).toEqual(copy);
  });
});

describe('safeCellSplit', () => {
  it('keeps the indices of cells drawn as they are and gives merged parents with summed values', () => {
    const h3 = [kids[0], ...kids.slice(1), ...otherKids];
    const counts = [3, ...kids.slice(1).map(() => 20), ...otherKids.map(() => 15)];
    const values = h3.map((_, i) => i + 1);
    const s = safeCellSplit(h3, counts, 10, values);
    expect(s.kept).toEqual(otherKids.map((_, j) => kids.length + j));
    expect(s.parents).toHaveLength(1);
    expect(s.parents[0]).toMatchObject({ h3: parent7, count: 3 + 20 * (kids.length - 1), merged: kids.length, value: (kids.length * (kids.length + 1)) / 2 });
    expect(s.mergedInputs).toBe(kids.length);
    expect(s.hiddenCount).toBe(0);
    for (const i of s.kept) expect(counts[i]).toBeGreaterThanOrEqual(10);
  });
});
