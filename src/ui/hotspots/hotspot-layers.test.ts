import { describe, expect, it } from 'vitest';
import { gridDisk, latLngToCell } from 'h3-js';
import { cellColors, cellLayer, densityLayer, elevations } from './hotspot-layers.ts';
import { GI_CLASS_COLORS, NS_ALPHA, FILL_ALPHA } from './hotspot-palette.ts';
import { GI_NS } from '../../core/getis-ord.ts';

describe('hotspot layers as data', () => {
  it('colours classes with the diverging palette, not-significant faint', () => {
    const c = cellColors(Uint8Array.of(0, 3, 6), GI_CLASS_COLORS, GI_NS);
    expect(c[0]).toEqual([...GI_CLASS_COLORS[0], FILL_ALPHA]);
    expect(c[1]).toEqual([...GI_CLASS_COLORS[3], NS_ALPHA]);
    expect(c[2]).toEqual([...GI_CLASS_COLORS[6], FILL_ALPHA]);
    // dark red for hot99, dark blue for cold99
    expect(GI_CLASS_COLORS[0][0]).toBeGreaterThan(150);
    expect(GI_CLASS_COLORS[6][2]).toBeGreaterThan(150);
  });

  it('scales elevation to the largest value, 0 for non-positive', () => {
    expect(Array.from(elevations(Float64Array.of(0, 5, 10, -1), 1000))).toEqual([0, 500, 1000, 0]);
    expect(Array.from(elevations(new Float64Array(2)))).toEqual([0, 0]);
  });

  it('builds one hexagon per cell, reading colours and cells by index', () => {
    const h3 = gridDisk(latLngToCell(31.24, 121.5, 8), 1);
    const colors = cellColors(new Uint8Array(h3.length), GI_CLASS_COLORS, GI_NS);
    const layer = cellLayer({ id: 'x', h3, colors });
    const p = layer.props as unknown as { data: number[]; getHexagon(i: number): string; getFillColor(i: number): number[]; extruded: boolean; beforeId: string };
    expect(p.data).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(p.getHexagon(3)).toBe(h3[3]);
    expect(p.getFillColor(2)).toEqual(colors[2]);
    expect(p.extruded).toBe(false);
    expect(p.beforeId).toBe('area-outline');
    expect((cellLayer({ id: 'y', h3, colors, elevation: new Float64Array(7) }).props as unknown as { extruded: boolean }).extruded).toBe(true);
  });

  it('puts only cells with a positive value in the heatmap', () => {
    const layer = densityLayer(Float64Array.of(121, 121.1, 121.2), Float64Array.of(31, 31.1, 31.2), Float64Array.of(0, 3, 1));
    const p = layer.props as unknown as { data: number[]; getWeight(i: number): number; getPosition(i: number): number[] };
    expect(p.data).toEqual([1, 2]);
    expect(p.getWeight(1)).toBe(3);
    expect(p.getPosition(2)).toEqual([121.2, 31.2]);
  });
});
