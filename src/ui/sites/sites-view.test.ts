/**
 * The Sites tab's layers for exports, as data: every layer it can publish is marked (a new
 * unmarked layer fails here instead of vanishing from safe pictures), and demand cells built
 * from customers never show a cell under k customers in a safe export.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cellToBoundary, cellToChildren, cellToParent, getResolution, latLngToCell } from 'h3-js';
import { mergedFeaturesOf } from '../share/merged-layer.ts';
import type { Layer } from '@deck.gl/core';
import { app } from '../app/app-state.svelte.ts';
import { sites } from './sites.svelte.ts';
import { buildView } from './sites-view.svelte.ts';
import type { Dataset } from '../../pipeline/dataset/dataset.ts';
import { layersForExport, privacyOf } from '../share/layer-privacy.ts';
import type { ClosureView, RunView, ScenarioView } from '../../pipeline/sites/sites-engine.ts';

const dense = cellToChildren(latLngToCell(31.2397, 121.4998, 7), 8);
const sparse = cellToChildren(latLngToCell(31.15, 121.7, 7), 8);
const h3 = [...dense, ...sparse];
const customers = Float64Array.from(h3, (_, i) => (i < dense.length ? 50 : 3));
const K = 10;

function fixture(measure: 'customers' | 'population' | 'blend'): void {
  app.dataset = {
    // One study area west of 121.70°E: the sparse family's parent reaches past it and is clipped there.
    areas: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { area_id: 'A' }, geometry: { type: 'Polygon', coordinates: [[[121.3, 31.0], [121.70, 31.0], [121.70, 31.4], [121.3, 31.4], [121.3, 31.0]]] } }] },
    areaIds: [], areaIndex: new Map(), periods: [], indicators: {},
    sites: { id: ['B1', 'B2'], lon: Float64Array.of(121.5, 121.6), lat: Float64Array.of(31.2, 31.2), type: ['branch', 'branch'], owner: ['own', 'own'], name: ['', ''] },
    summary: {} as Dataset['summary'],
  } as Dataset;
  const n = h3.length;
  const scenario = {
    version: 1, added: [{ id: 'N1', lon: 121.55, lat: 31.22, origin: 'candidate' }],
    // B2 moved: draws a move arrow and a marker
    ownLon: Float64Array.of(121.5, 121.61), ownLat: Float64Array.of(31.2, 31.21), ownOpen: Uint8Array.of(1, 1),
    eval: { coverBy: new Int32Array(n).fill(-2), ownProbability: new Float64Array(n) },
  } as unknown as ScenarioView;
  sites.run = {
    runId: 1, siteType: 'branch', radiusM: 1500, request: { resolution: 8, demand: { measure } }, own: { id: ['B1', 'B2'] },
    demand: { count: n, h3, lon: new Float64Array(n), lat: new Float64Array(n), weight: customers, totalWeight: 0, totalCustomers: 0, totalPopulation: 0 },
    scenario,
  } as unknown as RunView;
  sites.scenario = scenario;
  sites.zones = [{ lon: 121.5, lat: 31.2, radiusM: 500 }];
  sites.closeIds = ['B1'];
  sites.measure = measure;
  // B1 closed: its catchment is every cell, its demand flows to B2 and a competitor.
  sites.closure = {
    closedIds: ['B1'], map: { h3, status: new Uint8Array(n), catchment: new Float64Array(n).fill(1) }, access: { distanceM: 1600 },
    flows: { released: 10, recipients: [{ id: 'B2', owner: 'own', demand: 6 }, { id: 'C1', owner: 'ICBC', demand: 3 }], unreached: 1, newlyBeyondDemand: 0 },
  } as unknown as ClosureView;
}

function drawnCells(layer: Layer): string[] {
  const p = layer.props as unknown as { data: unknown[]; getHexagon(d: unknown): string };
  return p.data.map((d) => p.getHexagon(d));
}

afterEach(() => {
  sites.reset();
  sites.zones = [];
  sites.mode = 'recommend';
  app.dataset = null;
});

describe('Sites layers for exports', () => {
  it('marks every layer of both modes', () => {
    const seen = new Set<string>();
    for (const mode of ['recommend', 'closure'] as const) {
      for (const colouring of ['coverage', 'huff', 'demand'] as const) {
        fixture('customers');
        sites.mode = mode;
        sites.colouring = colouring;
        for (const layer of buildView()!.layers) {
          seen.add(layer.id);
          expect(privacyOf(layer), `${mode}: ${layer.id}`).not.toBe('unmarked');
        }
      }
    }
    expect([...seen].sort()).toEqual([
      'sites-access', 'sites-catchment', 'sites-cells', 'sites-closed', 'sites-flows', 'sites-moves', 'sites-new-disc', 'sites-new-label', 'sites-new-names', 'sites-own-moved-disc', 'sites-own-moved-label',
      'sites-rings-new', 'sites-rings-own', 'sites-zones',
    ]);
  });

  it('draws no demand cell under k customers in a safe export; population cells as they are; unknown counts fail closed', () => {
    fixture('customers');
    let safe = layersForExport(buildView()!.layers, { safe: true, k: K });
    const drawn = drawnCells(safe.layers.find((l) => l.id === 'sites-cells')!);
    for (const c of drawn) expect(getResolution(c) === 8 ? customers[h3.indexOf(c)] : 3 * sparse.length).toBeGreaterThanOrEqual(K);
    for (const c of dense) expect(drawn).toContain(c);
    for (const c of sparse) expect(drawn).not.toContain(c);
    // the merged parent is drawn grey, clipped to the study area (nothing east of 121.70°E)
    const merged = mergedFeaturesOf(safe.layers);
    expect(merged.map((f) => f.properties?.h3)).toEqual([cellToParent(sparse[0], 7)]);
    const lons = (merged[0].geometry as GeoJSON.MultiPolygon).coordinates.flat(2).map((p) => p[0]);
    expect(Math.max(...lons)).toBeLessThanOrEqual(121.70 + 1e-9);
    expect(Math.max(...cellToBoundary(cellToParent(sparse[0], 7), true).map((p) => p[0]))).toBeGreaterThan(121.70);
    expect(safe.suppressed).toEqual([{ id: 'sites-cells', merged: sparse.length, hiddenCount: 0 }]);
    // every network layer still drawn
    expect(safe.left).toEqual([]);

    fixture('population');
    safe = layersForExport(buildView()!.layers, { safe: true, k: K });
    expect(drawnCells(safe.layers.find((l) => l.id === 'sites-cells')!)).toEqual(h3);

    fixture('blend');
    safe = layersForExport(buildView()!.layers, { safe: true, k: K });
    expect(safe.layers.some((l) => l.id === 'sites-cells')).toBe(false);
    expect(safe.left).toEqual([{ id: 'sites-cells', reason: 'suppressed' }]);

    fixture('customers');
    sites.mode = 'closure';
    safe = layersForExport(buildView()!.layers, { safe: true, k: K });
    // the closed branch's catchment is drawn per cell of customers: left out like the access cells; the flows (site to site) stay
    expect(safe.left).toEqual([{ id: 'sites-access', reason: 'suppressed' }, { id: 'sites-catchment', reason: 'suppressed' }]);
    expect(safe.layers.map((l) => l.id).sort()).toEqual(['sites-closed', 'sites-flows']);
  });

  it('draws exact points: customers’ own locations stay out of safe exports, a demand-points file’s compounds go in', () => {
    for (const source of ['customers', 'demand_points'] as const) {
      fixture('customers');
      const n = 3;
      sites.run = { ...sites.run!, demand: { at: 'points', source, count: n, h3: [], lon: Float64Array.of(121.5, 121.51, 121.52), lat: Float64Array.of(31.2, 31.2, 31.2), weight: Float64Array.of(1, 1, 1) } } as unknown as RunView;
      sites.scenario = { ...sites.scenario!, eval: { coverBy: new Int16Array(n).fill(-2), ownProbability: new Float32Array(n), rows: [] } } as unknown as ScenarioView;
      const layers = buildView()!.layers;
      const pts = layers.find((l) => l.id === 'sites-points')!;
      expect(layers.some((l) => l.id === 'sites-cells')).toBe(false);
      expect((pts.props as unknown as { data: { length: number } }).data.length).toBe(n);
      expect(privacyOf(pts)).toBe(source === 'customers' ? 'individual' : 'aggregate');
      const safe = layersForExport(layers, { safe: true, k: K });
      expect(safe.layers.some((l) => l.id === 'sites-points')).toBe(source === 'demand_points');
    }
  });

  it('draws a result restored from a link: rings, numbered discs and the names in the UI language, no demand', () => {
    fixture('customers');
    sites.run = null;
    sites.scenario = null;
    sites.restored = {
      objective: 'coverage', solver: 'greedy', siteType: 'branch', radiusM: 800, at: 'points', costs: false, demandPoints: 10, totalDemand: 10,
      existingCoveredDemand: 2, coveredDemand: 6, coveragePct: 60, ownSharePct: NaN,
      sites: [{ id: 'K1', lon: 121.55, lat: 31.22, names: { en: 'Pudong · B1 NE 1.2 km', 'zh-CN': '浦东新区 · B1 东北 1.2 km' }, origin: 'recommended', moved: false, marginalDemand: 4, coveredDemand: 6, coveragePct: 60, huffCaptured: NaN, totalCost: NaN, meanCost: NaN }],
    };
    const layers = buildView()!.layers;
    expect(layers.map((l) => l.id)).toEqual(['sites-zones', 'sites-rings-new', 'sites-new-disc', 'sites-new-label', 'sites-new-names']);
    const names = layers.find((l) => l.id === 'sites-new-names')!.props as unknown as { data: { name: string }[] };
    expect(names.data.map((d) => d.name)).toEqual([expect.stringMatching(/^(Pudong · B1 NE|浦东新区 · B1 东北) 1\.2 km$/)]);
  });
});
