/**
 * Closure mode's "where its customers go" on the map: the closed sites' catchment (the demand
 * points whose Huff demand they captured, purple, darker where they took more) and one line
 * from the closed site to each remaining site that picks some of it up, as wide as its share
 * (ours blue, competitors orange). Built from plain arrays so tests can check them as data.
 */
import { LineLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { haversineM } from '../../core/haversine.ts';
import { ALWAYS_ON_TOP, h3CellsLayer } from '../map/layers.ts';
import type { Rgb } from '../map/palette.ts';

export const CATCHMENT: Rgb = [118, 42, 131];
export const FLOW_OWN: Rgb = [31, 95, 191];
export const FLOW_COMPETITOR: Rgb = [217, 95, 2];

/**
 * Cells of the catchment with their fill alpha, by the square root of the cell's share of the
 * largest: 200 where the closed sites took most. Under Huff a site takes a little from every
 * point within the cut-off (5 km by default); cells under `minShare` of the largest are traces
 * and left out, so the map shows where its customers really are.
 */
export function catchmentCells(h3: readonly string[], catchment: ArrayLike<number>, minShare = 0.05): { h3: string[]; alpha: Uint8Array } {
  let max = 0;
  for (let i = 0; i < catchment.length; i++) max = Math.max(max, catchment[i]);
  const keep: number[] = [];
  for (let i = 0; i < catchment.length; i++) if (catchment[i] > 0 && catchment[i] >= minShare * max) keep.push(i);
  const alpha = Uint8Array.from(keep, (i) => Math.round(200 * Math.sqrt(catchment[i] / max)));
  return { h3: keep.map((i) => h3[i]), alpha };
}

/** The same at exact points: the points kept (share ≥ minShare of the largest) with their alpha. */
export function catchmentPoints(lon: ArrayLike<number>, lat: ArrayLike<number>, catchment: ArrayLike<number>, minShare = 0.05): { lon: Float64Array; lat: Float64Array; alpha: Uint8Array } {
  let max = 0;
  for (let i = 0; i < catchment.length; i++) max = Math.max(max, catchment[i]);
  const keep: number[] = [];
  for (let i = 0; i < catchment.length; i++) if (catchment[i] > 0 && catchment[i] >= minShare * max) keep.push(i);
  return {
    lon: Float64Array.from(keep, (i) => lon[i]), lat: Float64Array.from(keep, (i) => lat[i]),
    alpha: Uint8Array.from(keep, (i) => Math.round(200 * Math.sqrt(catchment[i] / max))),
  };
}

export function catchmentPointsLayer(p: { lon: Float64Array; lat: Float64Array; alpha: Uint8Array }, version: number): Layer {
  const [r, g, b] = CATCHMENT;
  const n = p.lon.length;
  const positions = new Float64Array(2 * n), colors = new Uint8Array(4 * n);
  for (let i = 0; i < n; i++) {
    positions[2 * i] = p.lon[i]; positions[2 * i + 1] = p.lat[i];
    colors[4 * i] = r; colors[4 * i + 1] = g; colors[4 * i + 2] = b; colors[4 * i + 3] = Math.max(60, p.alpha[i]);
  }
  return new ScatterplotLayer({
    id: 'sites-catchment',
    data: { length: n, attributes: { getPosition: { value: positions, size: 2 }, getFillColor: { value: colors, size: 4, normalized: true } } },
    radiusUnits: 'meters', getRadius: 14, radiusMinPixels: 1.5, radiusMaxPixels: 5, stroked: false,
    parameters: { depthCompare: 'always' },
    updateTriggers: { getFillColor: [version] },
  });
}

export function catchmentLayer(cells: { h3: string[]; alpha: Uint8Array }, version: number): Layer {
  const [r, g, b] = CATCHMENT;
  return h3CellsLayer(cells.h3, {
    id: 'sites-catchment',
    getFillColor: (i) => [r, g, b, cells.alpha[i]],
    extruded: false,
    // drawn over the access cells in the same plane: without this the two z-fight
    parameters: { depthCompare: 'always' },
    updateTriggers: { getFillColor: [version] },
  });
}

export interface FlowDatum {
  from: [number, number];
  to: [number, number];
  demand: number;
  own: boolean;
}

interface Located {
  lon: number;
  lat: number;
}

/**
 * One line per recipient, from the nearest closed site (with several closed, each recipient's
 * gain is drawn from the closed site closest to it): the `maxLines` largest recipients (the
 * ones the panel names; `recipients` come most first) that take at least `minShare` of what
 * moved. Huff spreads a site's customers over every site within the cut-off: lines to all of
 * them would hide the map.
 */
export function flowData(
  closed: readonly Located[],
  recipients: readonly { at: Located | undefined; demand: number; own: boolean }[],
  maxLines = 6,
  minShare = 0.01,
): FlowDatum[] {
  if (!closed.length) return [];
  const total = recipients.reduce((t, r) => t + r.demand, 0);
  const out: FlowDatum[] = [];
  for (const r of recipients.slice(0, maxLines)) {
    if (!r.at || !(r.demand >= minShare * total)) continue;
    let best = closed[0], bestM = Infinity;
    for (const c of closed) {
      const d = haversineM(c.lon, c.lat, r.at.lon, r.at.lat);
      if (d < bestM) (bestM = d), (best = c);
    }
    out.push({ from: [best.lon, best.lat], to: [r.at.lon, r.at.lat], demand: r.demand, own: r.own });
  }
  return out;
}

/** Line width in pixels: 2 to 12, by the square root of the share of the largest flow. */
export function flowWidthPx(demand: number, maxDemand: number): number {
  return maxDemand > 0 ? 2 + 10 * Math.sqrt(demand / maxDemand) : 2;
}

export function flowsLayer(flows: readonly FlowDatum[]): Layer {
  const max = flows.reduce((m, f) => Math.max(m, f.demand), 0);
  return new LineLayer<FlowDatum>({
    id: 'sites-flows',
    data: flows,
    getSourcePosition: (d) => d.from,
    getTargetPosition: (d) => d.to,
    getColor: (d) => [...(d.own ? FLOW_OWN : FLOW_COMPETITOR), 210],
    getWidth: (d) => flowWidthPx(d.demand, max),
    widthUnits: 'pixels',
    ...ALWAYS_ON_TOP,
    updateTriggers: { getSourcePosition: [flows], getTargetPosition: [flows], getColor: [flows], getWidth: [flows] },
  });
}
