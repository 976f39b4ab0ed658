import { describe, expect, it } from 'vitest';
import { cellToChildren, gridDisk, latLngToCell } from 'h3-js';
import { STABILITY_CLASSES, hotspotStability } from './hotspot-stability.ts';
import { GI_CLASSES } from './getis-ord.ts';
import { h3ToUbigintArray } from './grid.ts';

const code = (name: (typeof GI_CLASSES)[number]) => GI_CLASSES.indexOf(name);

/**
 * Five res-7 parents A..E with all their res-8 and res-9 children as study cells:
 *   A: hot95 at 7, all res-8 children hot99, 30 of 49 res-9 children hot95  → stable_hot
 *   B: hot99 at 7 and 8, only 10 of 49 res-9 children hot                   → partial_hot
 *   C: cold at all three                                                      → stable_cold
 *   D: hot at 7, ns at 8, all res-9 children cold90 (counts with minLevel 90)→ mixed (90) / partial_hot (95)
 *   E: ns everywhere, except 3 res-8 children hot90                           → none
 */
function scenario() {
  const parents = gridDisk(latLngToCell(31.23, 121.47, 7), 1).slice(0, 5).sort();
  const [A, B, C, D, E] = parents;
  const r7 = { resolution: 7, cells: parents, classCode: Uint8Array.from([code('hot95'), code('hot99'), code('cold99'), code('hot99'), code('ns')]) };
  const c8: string[] = [];
  const k8: number[] = [];
  const c9: string[] = [];
  const k9: number[] = [];
  for (const p of parents) {
    cellToChildren(p, 8).forEach((c, i) => {
      c8.push(c);
      k8.push(p === A || p === B ? code('hot99') : p === C ? code('cold95') : p === E && i < 3 ? code('hot90') : code('ns'));
    });
    cellToChildren(p, 9).forEach((c, i) => {
      c9.push(c);
      k9.push(p === A ? (i < 30 ? code('hot95') : code('ns')) : p === B ? (i < 10 ? code('hot99') : code('ns')) : p === C ? code('cold99') : p === D ? code('cold90') : code('ns'));
    });
  }
  return {
    names: { A, B, C, D, E },
    inputs: [
      { resolution: 9, cells: h3ToUbigintArray(c9), classCode: Uint8Array.from(k9) }, // order does not matter; BigUint64Array accepted
      r7,
      { resolution: 8, cells: c8, classCode: Uint8Array.from(k8) },
    ],
  };
}

describe('hotspotStability', () => {
  const { names, inputs } = scenario();
  const classOf = (r: ReturnType<typeof hotspotStability>, cell: string) => STABILITY_CLASSES[r.stability[r.parents.indexOf(cell)]];

  it('classes each res-7 parent by its persistence (defaults: hot95+, majority share)', () => {
    const r = hotspotStability(inputs);
    expect(r.parentResolution).toBe(7);
    expect(r.parents).toEqual(Object.values(names).sort());
    expect(r.levels.map((l) => l.resolution)).toEqual([7, 8, 9]);
    expect(classOf(r, names.A)).toBe('stable_hot');
    expect(classOf(r, names.B)).toBe('partial_hot');
    expect(classOf(r, names.C)).toBe('stable_cold');
    expect(classOf(r, names.D)).toBe('partial_hot'); // cold90 is not cold at the 95 level
    expect(classOf(r, names.E)).toBe('none');
    const a = r.parents.indexOf(names.A);
    expect(r.levels[1].cellCount[a]).toBe(7);
    expect(r.levels[2].cellCount[a]).toBe(49);
    expect(r.levels[2].hotShare[a]).toBeCloseTo(30 / 49, 12);
    expect(r.hotCount[a]).toBe(3);
    const b = r.parents.indexOf(names.B);
    expect(r.hotCount[b]).toBe(2);
  });
  it('minLevel 90 counts cold90 and hot90; minShare is adjustable', () => {
    const r = hotspotStability(inputs, { minLevel: 90 });
    expect(classOf(r, names.D)).toBe('mixed');
    expect(classOf(r, names.E)).toBe('none'); // 3 of 7 < half
    expect(classOf(hotspotStability(inputs, { minLevel: 90, minShare: 0.4 }), names.E)).toBe('partial_hot');
    expect(classOf(hotspotStability(inputs, { minShare: 0.2 }), names.B)).toBe('stable_hot');
  });
  it('a parent missing at a resolution is neither hot nor cold there', () => {
    const only7and8 = [inputs[1], inputs[2]];
    const extra = { resolution: 9, cells: [cellToChildren(names.A, 9)[0]], classCode: Uint8Array.of(code('hot99')) };
    const r = hotspotStability([...only7and8, extra]);
    expect(classOf(r, names.A)).toBe('stable_hot');
    expect(classOf(r, names.B)).toBe('partial_hot'); // no res-9 cells
    expect(Number.isNaN(r.levels[2].hotShare[r.parents.indexOf(names.B)])).toBe(true);
  });
  it('checks its input, and handles none', () => {
    expect(() => hotspotStability([{ resolution: 8, cells: [names.A], classCode: Uint8Array.of(0) }])).toThrow(/resolution 7, expected 8/);
    expect(() => hotspotStability([{ resolution: 7, cells: [names.A], classCode: new Uint8Array(2) }])).toThrow(/1 cells but 2 classes/);
    expect(hotspotStability([]).parents).toEqual([]);
  });
});
