import { describe, expect, it } from 'vitest';
import { cellToChildren, latLngToCell } from 'h3-js';
import { scaleBar, metresPerPixel } from './scale-bar.ts';
import { formatDateTime, provenanceLines } from './provenance.ts';
import { registerReport, registeredReports } from '../../ui/share/report-sections.ts';
import { layersForExport, leaveOutWhenSafe, markLayer, privacyOf } from '../../ui/share/layer-privacy.ts';
import { applySlices, captureSlices, individualSliceNames, registerStateSlice } from '../../ui/share/state-slices.ts';
import { countCustomersByCell } from './customer-cells.ts';
import { cellRows } from '../../ui/share/aggregates.ts';
import { safeCells } from './safe-cells.ts';
import { MAX_SLICE_CHARS } from './permalink.ts';

describe('scale bar', () => {
  it('uses the Web Mercator ground resolution', () => {
    // 156,543.03 m/px at zoom 0 for 256-px tiles → 78,271.5 for MapLibre's 512-px tiles.
    expect(metresPerPixel(0, 0)).toBeCloseTo(78271.517, 2);
    expect(metresPerPixel(60, 1)).toBeCloseTo(78271.517 / 4, 2);
  });
  it('picks the longest 1-2-5 distance that fits', () => {
    const s = scaleBar(31.23, 10, 120);
    expect(s.distanceM).toBe(5000);
    expect(s.label).toBe('5 km');
    expect(s.widthPx).toBeGreaterThan(60);
    expect(s.widthPx).toBeLessThanOrEqual(120);
    expect(scaleBar(31.23, 16, 120).label).toBe('100 m');
  });
});

describe('provenance', () => {
  const input = {
    datasetName: 'Shanghai demo', fingerprint: '16:192:200000:390', safeText: 'Privacy-safe (k = 10)', date: new Date(2026, 2, 5, 9, 7),
    parameters: ['Risk view', 'period 2025Q4', '5 quantile classes', 'selected area Pudong', 'min–max scores; tiers at 25, 50, 75'],
    labels: { dataset: 'Data', fingerprint: 'fingerprint', parameters: 'Parameters', created: 'Created', separator: '; ', colon: ': ' },
  };
  it('names data, parameters in words, safety and date', () => {
    expect(provenanceLines(input)).toEqual([
      'Data: Shanghai demo · fingerprint 16:192:200000:390',
      'Parameters: Risk view; period 2025Q4; 5 quantile classes; selected area Pudong; min–max scores; tiers at 25, 50, 75',
      'Privacy-safe (k = 10) · Created: 2026-03-05 09:07',
    ]);
  });
  it('never prints braces or cuts a phrase, and leaves out empty parameters', () => {
    const lines = provenanceLines({ ...input, datasetName: 'odd {name}', parameters: ['a'.repeat(500), '', 'x {k} y'] });
    expect(lines.join('\n')).not.toMatch(/[{}…]/);
    expect(lines[1]).toBe(`Parameters: ${'a'.repeat(500)}; x (k) y`);
    expect(provenanceLines({ ...input, parameters: [] })).toHaveLength(2);
    expect(formatDateTime(new Date(2026, 11, 31, 23, 59))).toBe('2026-12-31 23:59');
  });
});

describe('report helpers', () => {
  it('registers and unregisters reports', () => {
    const off = registerReport({ id: 'x', label: () => 'X', title: () => 'X', available: () => true, build: () => [] });
    expect(registeredReports().map((r) => r.id)).toContain('x');
    off();
    expect(registeredReports().map((r) => r.id)).not.toContain('x');
  });
});

describe('layer privacy', () => {
  it('lets only aggregate layers through in safe mode, unmarked ones fail closed', () => {
    const cells = { id: 'cells' };
    const safeCellsLayer = { id: 'cells-safe' };
    const layers = [
      { id: 'choropleth' },
      markLayer(cells, 'aggregate', { safeVariant: () => ({ layer: safeCellsLayer, merged: 0, hiddenCount: 0 }) }),
      markLayer({ id: 'customers' }, 'individual'),
      { id: 'mystery' },
      { id: 'sites' },
    ];
    const safe = layersForExport(layers, { safe: true, k: 10 });
    expect(safe.layers.map((l) => l.id)).toEqual(['choropleth', 'cells-safe', 'sites']);
    expect(safe.left).toEqual([{ id: 'customers', reason: 'individual' }, { id: 'mystery', reason: 'unmarked' }]);
    expect(safe.substituted).toEqual(['cells']);
    expect(layersForExport(layers, { safe: false, k: 10 }).layers).toHaveLength(5);
    expect(privacyOf({ id: 'choropleth' })).toBe('aggregate');
  });

  it('reports what safe variants merged or hid, and lists a variant with nothing to draw as suppressed', () => {
    const layers = [
      markLayer({ id: 'merging' }, 'aggregate', { safeVariant: () => ({ layer: { id: 'merging-safe' }, merged: 7, hiddenCount: 3 }) }),
      markLayer({ id: 'clean' }, 'aggregate', { safeVariant: () => ({ layer: { id: 'clean-safe' }, merged: 0, hiddenCount: 0 }) }),
      markLayer({ id: 'unknown-counts' }, 'aggregate', { safeVariant: leaveOutWhenSafe }),
    ];
    const safe = layersForExport(layers, { safe: true, k: 10 });
    expect(safe.layers.map((l) => l.id)).toEqual(['merging-safe', 'clean-safe']);
    expect(safe.suppressed).toEqual([{ id: 'merging', merged: 7, hiddenCount: 3 }]);
    expect(safe.left).toEqual([{ id: 'unknown-counts', reason: 'suppressed' }]);
    expect(layersForExport(layers, { safe: false, k: 10 }).suppressed).toEqual([]);
  });
});

describe('state slices', () => {
  it('capture and apply registered parameters, leaving individual ones out when safe', () => {
    let risk = { w: 1 };
    const offA = registerStateSlice('risk', () => risk, (v) => (risk = v as { w: number }));
    const offB = registerStateSlice('cust', { get: () => ({ id: 'C1' }), set: () => {}, privacy: 'individual' });
    const offC = registerStateSlice('huge', () => ({ rows: 'x'.repeat(MAX_SLICE_CHARS + 1) }), () => {});
    expect(individualSliceNames()).toEqual(['cust']);
    const safe = captureSlices({ safe: true });
    expect(safe.values).toEqual({ risk: { w: 1 } });
    expect(safe.problems[0]).toMatch(/huge: .*parameters, not data/);
    expect(captureSlices({ safe: false }).values).toHaveProperty('cust');
    const r = applySlices({ risk: { w: 2 }, gone: 1 });
    expect(risk).toEqual({ w: 2 });
    expect(r.applied).toEqual(['risk']);
    expect(r.problems[0]).toMatch(/gone/);
    offA(); offB(); offC();
    expect(() => registerStateSlice('bad name!', () => 1, () => {})).toThrow(/names/);
  });
});

describe('customer cells → safe CSV rows', () => {
  it('counts points per cell and never lets a 3-customer cell through', async () => {
    const p7 = latLngToCell(31.2304, 121.4737, 7);
    const kids = cellToChildren(p7, 8);
    // 3 customers exactly at the centre cell's centre region, 40 spread over the other children.
    const lon: number[] = [];
    const lat: number[] = [];
    const c0 = latLngToCell(31.2304, 121.4737, 8);
    for (let i = 0; i < 3; i++) { lon.push(121.4737); lat.push(31.2304); }
    const far = latLngToCell(30.9, 121.9, 8);
    for (let i = 0; i < 40; i++) { lon.push(121.9); lat.push(30.9); }
    const cells = await countCustomersByCell(Float64Array.from(lon), Float64Array.from(lat), 8, { chunk: 7, yieldFn: async () => {} });
    expect(cells.find((c) => c.h3 === c0)?.count).toBe(3);
    expect(cells.find((c) => c.h3 === far)?.count).toBe(40);
    const rows = cellRows(safeCells(cells, 10).cells);
    expect(rows).toEqual([{ h3: far, resolution: 8, count: 40, merged: 1 }]);
    expect(kids).toContain(c0);
  });
  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(countCustomersByCell([1], [1], 8, { signal: ac.signal })).rejects.toThrow(/Cancelled/);
  });
});
