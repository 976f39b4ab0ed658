/**
 * The Hotspots tab's layers and safe exports, as data: every layer it can publish is marked
 * for exports (a new unmarked layer fails here instead of silently vanishing from safe
 * pictures), and the safe form of the class cells never draws a cell under k customers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cellToChildren, cellToLatLng, cellToParent, getResolution, latLngToCell } from 'h3-js';
import { mergedFeaturesOf } from '../share/merged-layer.ts';
import type { Layer } from '@deck.gl/core';
import { app } from '../app/app-state.svelte.ts';
import { hotspots, DISPLAYS } from './hotspots.svelte.ts';
import { buildView } from './hotspot-view.svelte.ts';
import type { Dataset } from '../../pipeline/dataset/dataset.ts';
import { layersForExport, privacyOf } from '../share/layer-privacy.ts';
import type { ComputeResult } from '../../pipeline/hotspots/hotspot-engine.ts';
import { STABILITY_CLASSES } from '../../core/hotspot-stability.ts';

// Two resolution-7 families of resolution-8 cells in Pudong: one dense (all ≥ k), one with
// small cells (2 and 5 customers) next to big ones.
const dense = cellToChildren(latLngToCell(31.2397, 121.4998, 7), 8);
const mixed = cellToChildren(latLngToCell(31.15, 121.7, 7), 8);
const h3 = [...dense, ...mixed];
const customers = Float64Array.from(h3, (_, i) => (i < dense.length ? 40 + i : i === dense.length ? 2 : i === dense.length + 1 ? 5 : 30));
const K = 10;

const square = (x: number, y: number, d: number): GeoJSON.Feature => ({
  type: 'Feature',
  properties: { area_id: `A${x}` },
  geometry: { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] },
});

function fixture(measure: ComputeResult['measure'] = 'count'): void {
  const areas: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [square(121.4, 31.2, 0.2), square(121.6, 31.1, 0.2)] };
  app.dataset = {
    areas, areaIds: ['A121.4', 'A121.6'], areaIndex: new Map([['A121.4', 0], ['A121.6', 1]]), periods: ['2025'], indicators: {},
    sites: { id: [], lon: new Float64Array(), lat: new Float64Array(), type: [], owner: [], name: [] },
    summary: {} as Dataset['summary'],
  } as Dataset;
  const n = h3.length;
  hotspots.grid = {
    resolution: 8, h3, areaIndex: Int32Array.from(h3, (_, i) => (i < dense.length ? 0 : 1)),
    lon: Float64Array.from(h3, (c) => cellToLatLng(c)[1]), lat: Float64Array.from(h3, (c) => cellToLatLng(c)[0]), areaCellCount: Int32Array.of(dense.length, mixed.length),
  };
  hotspots.result = {
    statistic: 'gi', z: new Float64Array(n), p: new Float64Array(n), pFdr: null, pSim: null, moranI: null, mean: 0, sd: 1, notes: [],
    // hot99 in the dense family, not significant elsewhere
    classCode: Uint8Array.from(h3, (_, i) => (i < dense.length ? 0 : 3)),
    resolution: 8, rings: 1, measure, values: measure === 'count' ? customers : Float64Array.from(customers, (c) => c * 1000),
    customers, neighbourCount: new Uint16Array(n), nearestSiteM: null, customersUsed: 0, customersOutside: 0, ms: 1,
  };
  hotspots.selected = dense.length + 0;
  const parents = [...new Set(h3.map((c) => cellToParent(c, 7)))];
  hotspots.stability = {
    key: 'k', customers: Float64Array.of(1000, 3),
    result: { parentResolution: 7, parents, stability: Uint8Array.of(0, 5), hotCount: Uint8Array.of(3, 0), coldCount: Uint8Array.of(0, 0), counts: STABILITY_CLASSES.map(() => 0) },
  };
  hotspots.quadrants = { risk: { source: 'default', period: '2025', riskIndex: Float64Array.of(10, 90), tier: Float64Array.of(1, 4), tierCount: 4 }, result: { rule: 'significance', demandThreshold: NaN, riskThreshold: NaN, hotCells: n, areasWithIndex: 2, highRiskAreas: 1, quadrant: new Uint8Array(n), counts: [n, 0, 0, 0], rows: [] } };
  hotspots.typology = {
    key: 't', variables: ['x'],
    result: { k: 2, labels: Int32Array.of(0, 1), sizes: Int32Array.of(1, 1), centres: new Float64Array(2), centresOriginal: new Float64Array(2), silhouette: 0.5, silhouetteByK: [0.5], imputed: 0 },
  };
}

/** The H3 cells a deck H3HexagonLayer draws (its props, read as data). */
function drawnCells(layer: Layer): string[] {
  const p = layer.props as unknown as { data: unknown[]; getHexagon(d: unknown): string };
  return p.data.map((d) => p.getHexagon(d));
}

afterEach(() => {
  hotspots.resetResults();
  hotspots.display = 'classes';
  hotspots.extrude = false;
  app.dataset = null;
});

describe('Hotspots layers for exports', () => {
  it('marks every layer of every display (an unmarked layer would vanish from safe exports)', () => {
    const seen = new Set<string>();
    for (const extrude of [false, true]) {
      for (const d of DISPLAYS) {
        fixture();
        hotspots.display = d;
        hotspots.extrude = extrude;
        const view = buildView();
        expect(view?.layers.length, d).toBeGreaterThan(0);
        for (const layer of view!.layers) {
          seen.add(layer.id);
          expect(privacyOf(layer), `${d}: ${layer.id}`).not.toBe('unmarked');
        }
        const safe = layersForExport(view!.layers, { safe: true, k: K });
        expect(safe.left, d).toEqual([]);
      }
    }
    // The layers the Hotspots tab publishes, all covered above.
    expect([...seen].sort()).toEqual(['hotspots-cells', 'hotspots-heatmap', 'hotspots-selected-area', 'hotspots-selected-cell', 'hotspots-stability', 'hotspots-types']);
  });

  it('never draws a class cell under k customers in a safe export, and says what it merged', () => {
    for (const measure of ['count', 'sum'] as const) {
      fixture(measure);
      const view = buildView()!;
      const safe = layersForExport(view.layers, { safe: true, k: K });
      const cells = safe.layers.find((l) => l.id === 'hotspots-cells')!;
      const drawn = drawnCells(cells);
      const count = new Map(h3.map((c, i) => [c, customers[i]]));
      for (const c of drawn) {
        // a study cell drawn as itself has ≥ k customers; a coarser cell is a merged family
        if (getResolution(c) === 8) expect(count.get(c), c).toBeGreaterThanOrEqual(K);
        else expect(h3.filter((x) => cellToParent(x, getResolution(c)) === c).reduce((s, x) => s + count.get(x)!, 0)).toBeGreaterThanOrEqual(K);
      }
      // the dense (hot) family is drawn cell by cell; the small cells' family is merged
      for (const c of dense) expect(drawn).toContain(c);
      for (const c of mixed) expect(drawn).not.toContain(c);
      // the merged family is drawn as its parent, grey and clipped to the study area
      expect(mergedFeaturesOf(safe.layers).map((f) => f.properties?.h3)).toEqual([cellToParent(mixed[0], 7)]);
      expect(safe.suppressed).toContainEqual({ id: 'hotspots-cells', merged: mixed.length, hiddenCount: 0 });
      // without safe sharing every cell is drawn
      expect(drawnCells(layersForExport(view.layers, { safe: false, k: K }).layers.find((l) => l.id === 'hotspots-cells')!)).toEqual(h3);
    }
  });

  it('applies k to the stability parents and the heatmap, not to population potential', () => {
    fixture();
    hotspots.display = 'stability';
    let safe = layersForExport(buildView()!.layers, { safe: true, k: K });
    expect(drawnCells(safe.layers[0])).toEqual([cellToParent(dense[0], 7)]);
    expect(safe.suppressed[0]).toMatchObject({ id: 'hotspots-stability', hiddenCount: 3 });

    hotspots.display = 'heatmap';
    safe = layersForExport(buildView()!.layers, { safe: true, k: K });
    const heat = safe.layers.find((l) => l.id === 'hotspots-heatmap')!.props as unknown as { data: number[]; getWeight(i: number): number };
    // the dense cells one by one, plus the merged family at its parent's centre with its sum
    expect(heat.data.length).toBe(dense.length + 1);
    const total = customers.reduce((s, c) => s + c, 0);
    expect(heat.data.reduce((s, i) => s + heat.getWeight(i), 0)).toBe(total);

    fixture('potential');
    hotspots.display = 'classes';
    safe = layersForExport(buildView()!.layers, { safe: true, k: K });
    expect(drawnCells(safe.layers.find((l) => l.id === 'hotspots-cells')!)).toEqual(h3);
    expect(safe.suppressed).toEqual([]);
  });
});
