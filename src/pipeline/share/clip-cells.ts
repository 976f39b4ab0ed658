/**
 * Merged (parent) cells of a safe export, clipped to the study area. A parent H3 cell at
 * resolution 5–7 spans kilometres and reaches over rivers, the sea and neighbouring
 * regions where no customer can be; drawn whole, the grey of a merged cell said "customers
 * here" about the Huangpu river. Clipped to the areas' polygons, it covers only land that
 * belongs to the study area, as the cells it stands for did. Geometry by turf (intersect
 * uses polyclip-ts), in lon/lat degrees: H3 cells are small enough for planar clipping.
 */
import intersect from '@turf/intersect';
import bbox from '@turf/bbox';
import { cellToBoundary } from 'h3-js';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

type Areas = FeatureCollection<Polygon | MultiPolygon>;
type BBox = [number, number, number, number];

interface AreaIndex {
  boxes: BBox[];
  /** Clipped polygons per parent cell (null: nothing of it is in the study area). */
  clipped: Map<string, Position[][][] | null>;
}

const indexes = new WeakMap<Areas, AreaIndex>();

function indexOf(areas: Areas): AreaIndex {
  let ix = indexes.get(areas);
  if (!ix) indexes.set(areas, (ix = { boxes: areas.features.map((f) => bbox(f) as BBox), clipped: new Map() }));
  return ix;
}

const overlaps = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** The cell's hexagon (or pentagon) as a closed GeoJSON ring, [lon, lat]. */
export function cellPolygon(h3: string): Feature<Polygon> {
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [cellToBoundary(h3, true)] } };
}

/** The parts of one cell inside the study area, as MultiPolygon coordinates (null: none). */
export function clipCell(h3: string, areas: Areas): Position[][][] | null {
  const ix = indexOf(areas);
  const hit = ix.clipped.get(h3);
  if (hit !== undefined) return hit;
  const cell = cellPolygon(h3);
  const box = bbox(cell) as BBox;
  const parts: Position[][][] = [];
  areas.features.forEach((area, i) => {
    if (!area.geometry || !overlaps(box, ix.boxes[i])) return;
    const piece = intersect({ type: 'FeatureCollection', features: [cell, area] });
    if (!piece) return;
    if (piece.geometry.type === 'Polygon') parts.push(piece.geometry.coordinates);
    else parts.push(...piece.geometry.coordinates);
  });
  const out = parts.length ? parts : null;
  ix.clipped.set(h3, out);
  return out;
}

/** Each cell clipped to the study area, as features with property `h3`; cells wholly outside are left out. */
export function clipCellsToAreas(cells: readonly string[], areas: Areas): Array<Feature<MultiPolygon, { h3: string }>> {
  const out: Array<Feature<MultiPolygon, { h3: string }>> = [];
  for (const h3 of cells) {
    const coordinates = clipCell(h3, areas);
    if (coordinates) out.push({ type: 'Feature', properties: { h3 }, geometry: { type: 'MultiPolygon', coordinates } });
  }
  return out;
}
