import { describe, expect, it } from 'vitest';
import {
  ACCESS_COLORS, CELL_ALPHA, EXISTING, NEW_ALPHA, UNCOVERED, UNCOVERED_ALPHA, accessColors, coverageColors, demandColors, dragCoverageColors,
  closedLayer, markersLayers, newSiteColor, ringsLayer, shareColors, zonesLayer, cellsLayer,
} from './sites-layers.ts';

const rgba = (c: Uint8Array, i: number) => Array.from(c.subarray(4 * i, 4 * i + 4));
const props = (l: { props: unknown }) => l.props as Record<string, unknown>;

describe('cell colours', () => {
  it('catchment: uncovered, existing, or the colour of the new site that covers it first', () => {
    const c = coverageColors(Int16Array.from([-2, -1, 0, 3, 12]));
    expect(rgba(c, 0)).toEqual([...UNCOVERED, UNCOVERED_ALPHA]);
    expect(rgba(c, 1)).toEqual([...EXISTING, CELL_ALPHA]);
    expect(rgba(c, 2)).toEqual([...newSiteColor(0), NEW_ALPHA]);
    expect(rgba(c, 3)).toEqual([...newSiteColor(3), NEW_ALPHA]);
    // the palette cycles
    expect(newSiteColor(12)).toEqual(newSiteColor(2));
  });

  it('while dragging: cells only the dragged site covered follow the pointer', () => {
    // three cells 1 km apart; new site 0 is dragged; cell 2 is also covered by another site
    const lon = Float64Array.from([121.4, 121.4105, 121.421]);
    const lat = new Float64Array(3).fill(31.2);
    const base = { coverBy: Int16Array.from([0, 0, 1]), otherCover: Uint16Array.from([0, 0, 1]), lon, lat, radiusM: 600, draggedColor: newSiteColor(0), draggedRank: 0 };
    const atFirst = dragCoverageColors({ ...base, lonNow: 121.4, latNow: 31.2 });
    expect(rgba(atFirst, 0)).toEqual([...newSiteColor(0), NEW_ALPHA]);
    expect(rgba(atFirst, 1)).toEqual([...UNCOVERED, UNCOVERED_ALPHA]);
    expect(rgba(atFirst, 2)).toEqual([...newSiteColor(1), NEW_ALPHA]);
    const atSecond = dragCoverageColors({ ...base, lonNow: 121.4105, latNow: 31.2 });
    expect(rgba(atSecond, 0)).toEqual([...UNCOVERED, UNCOVERED_ALPHA]);
    expect(rgba(atSecond, 1)).toEqual([...newSiteColor(0), NEW_ALPHA]);
  });

  it('Huff share in classes of 20 %, demand in quintiles, access status', () => {
    const s = shareColors(Float32Array.from([0, 0.19, 0.2, 0.99]));
    expect(rgba(s, 1)).toEqual(rgba(s, 0));
    expect(rgba(s, 2)).not.toEqual(rgba(s, 1));
    const d = demandColors(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(d.breaks).toEqual([3, 5, 7, 9]);
    expect(rgba(d.colors, 0)).toEqual(rgba(d.colors, 2));
    expect(rgba(d.colors, 3)).not.toEqual(rgba(d.colors, 2));
    const a = accessColors(Uint8Array.from([0, 1, 2]));
    expect(rgba(a, 2).slice(0, 3)).toEqual(ACCESS_COLORS[2]);
  });
});

describe('layers as data', () => {
  it('rings are stroked circles of R metres; zones use their own radius', () => {
    const r = ringsLayer('rings', [{ lon: 121.4, lat: 31.2, color: [1, 2, 3] }], 1500, 2);
    expect(r.props).toMatchObject({ radiusUnits: 'meters', getRadius: 1500, stroked: true, filled: false, getLineWidth: 2 });
    const z = zonesLayer([{ lon: 121.4, lat: 31.2, radiusM: 800 }]);
    expect((props(z).getRadius as (d: { radiusM: number }) => number)({ radiusM: 800 })).toBe(800);
    expect(props(z).radiusUnits).toBe('meters');
  });

  it('reuses the same data array for the same cells, so a colour change does not re-tessellate', () => {
    const h3 = ['882a100d63fffff', '882a100d65fffff'];
    const a = cellsLayer({ id: 'c', h3, colors: new Uint8Array(8), version: 1 });
    const b = cellsLayer({ id: 'c', h3, colors: new Uint8Array(8).fill(9), version: 2 });
    expect(a.props.data).toBe(b.props.data);
    expect((props(b).getFillColor as (i: number) => number[])(1)).toEqual([9, 9, 9, 9]);
  });
});

describe('site symbols on a pitched map', () => {
  it('new-site markers and closed rings face the camera and skip the depth test', () => {
    const layers = [...markersLayers('sites-new', [{ lon: 121.4, lat: 31.2, color: newSiteColor(0), label: '1' }]), closedLayer([{ lon: 121.4, lat: 31.2 }])];
    for (const l of layers) {
      expect(props(l).billboard, l.id).toBe(true);
      expect(props(l).parameters, l.id).toEqual({ depthCompare: 'always' });
    }
  });
});
