/**
 * Exact point-in-polygon assignment of many points to areas (customers → districts).
 *
 * Ray casting with the even-odd rule over all rings of an area (so holes and multipolygons need
 * no special case), made fast by a strip index: each area's bounding box is cut into horizontal
 * strips and every strip lists the edges whose y-range overlaps it. A horizontal ray from a point
 * only crosses edges spanning the point's y, all of which are in the point's strip, so the test
 * looks at a handful of edges instead of all of them — exact, not approximate. A coarse grid over
 * all areas' boxes picks the candidate areas for a point.
 *
 * Points exactly on a shared border may land in either neighbour; the first area in input order
 * that contains the point wins. Coordinates are lon/lat degrees (WGS84); planar tests on lon/lat
 * are what GeoJSON's polygons mean (RFC 7946 §3.1.1 edges are straight in lon/lat).
 */

/** One area: its polygons, each a list of rings (outer first), each ring a list of [lon, lat]. */
export type AreaPolygons = readonly (readonly (readonly (readonly number[])[])[])[];

interface AreaStrips {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  stripHeight: number;
  /** Per strip: offsets into `edgeIds` (CSR layout, length strips + 1). */
  stripStart: Uint32Array;
  edgeIds: Uint32Array;
  /** Edge endpoints: x1, y1, x2, y2 per edge. */
  edges: Float64Array;
}

export interface AreaIndex {
  readonly areaCount: number;
  readonly areas: readonly AreaStrips[];
  readonly grid: { minX: number; minY: number; cellW: number; cellH: number; nx: number; ny: number; cells: number[][] };
}

const GRID_SIDE = 64;

export function buildAreaIndex(areas: readonly AreaPolygons[]): AreaIndex {
  const built = areas.map(buildStrips);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const a of built) {
    if (a.edges.length === 0) continue;
    minX = Math.min(minX, a.minX);
    minY = Math.min(minY, a.minY);
    maxX = Math.max(maxX, a.maxX);
    maxY = Math.max(maxY, a.maxY);
  }
  const nx = GRID_SIDE;
  const ny = GRID_SIDE;
  const cellW = maxX > minX ? (maxX - minX) / nx : 1;
  const cellH = maxY > minY ? (maxY - minY) / ny : 1;
  const cells: number[][] = Array.from({ length: nx * ny }, () => []);
  if (Number.isFinite(minX)) {
    built.forEach((a, k) => {
      if (a.edges.length === 0) return;
      const x0 = clamp(Math.floor((a.minX - minX) / cellW), 0, nx - 1);
      const x1 = clamp(Math.floor((a.maxX - minX) / cellW), 0, nx - 1);
      const y0 = clamp(Math.floor((a.minY - minY) / cellH), 0, ny - 1);
      const y1 = clamp(Math.floor((a.maxY - minY) / cellH), 0, ny - 1);
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) cells[y * nx + x].push(k);
    });
  }
  return { areaCount: areas.length, areas: built, grid: { minX, minY, cellW, cellH, nx, ny, cells } };
}

function buildStrips(polygons: AreaPolygons): AreaStrips {
  const coords: number[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x1, y1] = ring[i];
        const [x2, y2] = ring[i + 1];
        coords.push(x1, y1, x2, y2);
        minX = Math.min(minX, x1, x2);
        maxX = Math.max(maxX, x1, x2);
        minY = Math.min(minY, y1, y2);
        maxY = Math.max(maxY, y1, y2);
      }
    }
  }
  const edges = Float64Array.from(coords);
  const edgeCount = edges.length / 4;
  // About two edges per strip on average keeps strips short without wasting memory.
  const strips = Math.max(1, Math.min(4096, Math.ceil(edgeCount / 2)));
  const stripHeight = maxY > minY ? (maxY - minY) / strips : 1;
  const counts = new Uint32Array(strips + 1);
  const range = (e: number): [number, number] => {
    const ya = edges[e * 4 + 1];
    const yb = edges[e * 4 + 3];
    const s0 = clamp(Math.floor((Math.min(ya, yb) - minY) / stripHeight), 0, strips - 1);
    const s1 = clamp(Math.floor((Math.max(ya, yb) - minY) / stripHeight), 0, strips - 1);
    return [s0, s1];
  };
  for (let e = 0; e < edgeCount; e++) {
    const [s0, s1] = range(e);
    for (let s = s0; s <= s1; s++) counts[s + 1]++;
  }
  for (let s = 0; s < strips; s++) counts[s + 1] += counts[s];
  const stripStart = counts.slice();
  const fill = counts.slice();
  const edgeIds = new Uint32Array(stripStart[strips]);
  for (let e = 0; e < edgeCount; e++) {
    const [s0, s1] = range(e);
    for (let s = s0; s <= s1; s++) edgeIds[fill[s]++] = e;
  }
  return { minX, minY, maxX, maxY, stripHeight, stripStart, edgeIds, edges };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function insideArea(a: AreaStrips, x: number, y: number): boolean {
  if (x < a.minX || x > a.maxX || y < a.minY || y > a.maxY) return false;
  const strips = a.stripStart.length - 1;
  const s = clamp(Math.floor((y - a.minY) / a.stripHeight), 0, strips - 1);
  const e = a.edges;
  let inside = false;
  for (let k = a.stripStart[s]; k < a.stripStart[s + 1]; k++) {
    const i = a.edgeIds[k] * 4;
    const y1 = e[i + 1];
    const y2 = e[i + 3];
    if (y1 > y !== y2 > y) {
      const x1 = e[i];
      const xCross = x1 + ((y - y1) * (e[i + 2] - x1)) / (y2 - y1);
      if (x < xCross) inside = !inside;
    }
  }
  return inside;
}

/** Index of the first area containing (lon, lat), or −1 when none does. */
export function locatePoint(index: AreaIndex, lon: number, lat: number): number {
  const g = index.grid;
  const cx = Math.floor((lon - g.minX) / g.cellW);
  const cy = Math.floor((lat - g.minY) / g.cellH);
  // Points on the far edge of the overall box fall just outside the grid; clamp them in.
  if (cx < -1 || cy < -1 || cx > g.nx || cy > g.ny || !Number.isFinite(g.minX)) return -1;
  const candidates = g.cells[clamp(cy, 0, g.ny - 1) * g.nx + clamp(cx, 0, g.nx - 1)];
  for (const k of candidates) if (insideArea(index.areas[k], lon, lat)) return k;
  return -1;
}

/** Area index (or −1) for every point; `lon` and `lat` have equal length. */
export function assignPointsToAreas(index: AreaIndex, lon: ArrayLike<number>, lat: ArrayLike<number>): Int32Array {
  const out = new Int32Array(lon.length);
  for (let i = 0; i < lon.length; i++) out[i] = locatePoint(index, lon[i], lat[i]);
  return out;
}
