/**
 * Merged (parent) cells of a safe export, clipped to the study area. A parent H3 cell at
 * resolution 5–7 spans kilometres and reaches over rivers, the sea and neighbouring
 * regions where no customer can be; drawn whole, the grey of a merged cell said "customers
 * here" about the Huangpu river. Clipped to the areas' polygons, it covers only land that
 * belongs to the study area, as the cells it stands for did.
 *
 * A cell is convex, so each district ring is clipped to it by Sutherland–Hodgman (clip a
 * polygon by each edge of a convex window): microseconds per cell. turf's general polygon
 * intersection took ~9 ms per cell against the demo's districts, and the 2,000 parents of
 * a city blocked the page for 19 s. A concave district may leave zero-width seams along
 * the cell's edge, which fill nothing. Planar in lon/lat degrees: H3 cells are small.
 */
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

/**
 * Sutherland–Hodgman: the part of `ring` inside the convex polygon `window` (closed rings,
 * [lon, lat]); returns a closed ring, or [] when nothing is inside.
 */
export function clipRing(ring: readonly Position[], window: readonly Position[]): Position[] {
  // Orientation of the window: inside is on the left of each edge for counter-clockwise.
  let area2 = 0;
  for (let i = 0; i < window.length - 1; i++) area2 += window[i][0] * window[i + 1][1] - window[i + 1][0] * window[i][1];
  const sign = area2 >= 0 ? 1 : -1;
  let out: Position[] = ring.slice(0, ring.length - 1);
  for (let e = 0; e < window.length - 1 && out.length; e++) {
    const [ax, ay] = window[e];
    const [bx, by] = window[e + 1];
    const side = (p: Position) => sign * ((bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax));
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const p = input[i];
      const q = input[(i + 1) % input.length];
      const sp = side(p);
      const sq = side(q);
      if (sp >= 0) out.push(p);
      if ((sp >= 0) !== (sq >= 0)) {
        const t = sp / (sp - sq);
        out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
  }
  return out.length >= 3 ? [...out, out[0]] : [];
}

/** The parts of one cell inside the study area, as MultiPolygon coordinates (null: none). */
export function clipCell(h3: string, areas: Areas): Position[][][] | null {
  const ix = indexOf(areas);
  const hit = ix.clipped.get(h3);
  if (hit !== undefined) return hit;
  const cell = cellPolygon(h3);
  const window = cell.geometry.coordinates[0];
  const box = bbox(cell) as BBox;
  const parts: Position[][][] = [];
  areas.features.forEach((area, i) => {
    if (!area.geometry || !overlaps(box, ix.boxes[i])) return;
    const polys = area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
    for (const poly of polys) {
      const [outer, ...holes] = poly.map((ring) => clipRing(ring, window));
      if (outer.length < 4) continue;
      parts.push([outer, ...holes.filter((h) => h.length >= 4)]);
    }
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
