/**
 * Thinning of point symbols at low zoom: a symbol is drawn only when no symbol of higher
 * priority is drawn within `minPx` screen pixels of it, and never over a district name's
 * box. Greedy in priority order (then file order, so the result is stable), on a grid hash:
 * O(n) for n sites. Done here rather than with deck.gl's CollisionFilterExtension, which
 * draws nothing at all under MapboxOverlay's interleaved mode (seen here, deck.gl 9.4).
 */

/** World pixel coordinates (Web Mercator, MapLibre's 512-pixel world) at `zoom`. */
export function worldPx(lon: number, lat: number, zoom: number): [number, number] {
  const s = 512 * 2 ** zoom;
  const r = (Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180;
  return [((lon + 180) / 360) * s, ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * s];
}

export interface Obstacle {
  lon: number;
  lat: number;
  /** Half the box's width and height in pixels. */
  halfW: number;
  halfH: number;
}

/**
 * Which points to draw at `zoom`: 1 kept, 0 thinned. `priority` higher wins. Points inside
 * an obstacle's box are thinned whatever their priority.
 */
export function thinPoints(
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  priority: ArrayLike<number>,
  zoom: number,
  minPx: number,
  obstacles: readonly Obstacle[] = [],
): Uint8Array {
  const n = lon.length;
  const keep = new Uint8Array(n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => priority[b] - priority[a] || a - b);
  const underName = obstacleIndex(obstacles, zoom);
  const grid = new Map<string, number[]>();
  const cell = (x: number, y: number) => `${Math.floor(x / minPx)},${Math.floor(y / minPx)}`;
  const xs = new Float64Array(n), ys = new Float64Array(n);
  for (const i of order) {
    const [x, y] = worldPx(lon[i], lat[i], zoom);
    xs[i] = x;
    ys[i] = y;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (underName(x, y)) continue;
    const cx = Math.floor(x / minPx), cy = Math.floor(y / minPx);
    let clear = true;
    for (let dx = -1; dx <= 1 && clear; dx++) {
      for (let dy = -1; dy <= 1 && clear; dy++) {
        for (const j of grid.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (Math.hypot(xs[j] - x, ys[j] - y) < minPx) { clear = false; break; }
        }
      }
    }
    if (!clear) continue;
    keep[i] = 1;
    const k = cell(x, y);
    const list = grid.get(k);
    if (list) list.push(i);
    else grid.set(k, [i]);
  }
  return keep;
}

/** Side of the grid cells obstacle boxes are bucketed in, in pixels (at least). */
const BOX_CELL_PX = 128;
/** Cells per side of that grid at most: wider spreads of boxes get larger cells. */
const BOX_GRID_MAX = 512;

/**
 * Whether a world-pixel point at `zoom` lies in (or on the edge of) one of the obstacles'
 * boxes. The boxes are bucketed on a grid over their extent (typed arrays, no per-cell
 * objects), so each point tests only the few near it: 20,000 district names × a few hundred
 * sites would otherwise be millions of tests per zoom step.
 */
function obstacleIndex(obstacles: readonly Obstacle[], zoom: number): (x: number, y: number) => boolean {
  const m = obstacles.length;
  const box = new Float64Array(m * 4);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let k = 0; k < m; k++) {
    const o = obstacles[k];
    const [x, y] = worldPx(o.lon, o.lat, zoom);
    const x0 = x - o.halfW, x1 = x + o.halfW, y0 = y - o.halfH, y1 = y + o.halfH;
    box[k * 4] = x0;
    box[k * 4 + 1] = x1;
    box[k * 4 + 2] = y0;
    box[k * 4 + 3] = y1;
    if (!(x1 >= x0 && y1 >= y0)) continue; // NaN: holds no point
    if (x0 < minX) minX = x0;
    if (x1 > maxX) maxX = x1;
    if (y0 < minY) minY = y0;
    if (y1 > maxY) maxY = y1;
  }
  if (!(maxX >= minX)) return () => false;
  const size = Math.max(BOX_CELL_PX, (maxX - minX) / BOX_GRID_MAX, (maxY - minY) / BOX_GRID_MAX);
  const nx = Math.floor((maxX - minX) / size) + 1, ny = Math.floor((maxY - minY) / size) + 1;
  // Boxes per cell in compressed rows: cellStart[c]..cellStart[c + 1] index `members`.
  const cellStart = new Int32Array(nx * ny + 1);
  const cells = (k: number, visit: (c: number) => void) => {
    const gx1 = Math.floor((box[k * 4 + 1] - minX) / size), gy1 = Math.floor((box[k * 4 + 3] - minY) / size);
    for (let gx = Math.floor((box[k * 4] - minX) / size); gx <= gx1; gx++)
      for (let gy = Math.floor((box[k * 4 + 2] - minY) / size); gy <= gy1; gy++) visit(gx * ny + gy);
  };
  const valid = (k: number) => box[k * 4 + 1] >= box[k * 4] && box[k * 4 + 3] >= box[k * 4 + 2];
  for (let k = 0; k < m; k++) if (valid(k)) cells(k, (c) => cellStart[c + 1]++);
  for (let c = 0; c < nx * ny; c++) cellStart[c + 1] += cellStart[c];
  const members = new Int32Array(cellStart[nx * ny]);
  const fill = cellStart.slice(0, nx * ny);
  for (let k = 0; k < m; k++) if (valid(k)) cells(k, (c) => (members[fill[c]++] = k));
  return (x, y) => {
    if (!(x >= minX && x <= maxX && y >= minY && y <= maxY)) return false;
    const c = Math.floor((x - minX) / size) * ny + Math.floor((y - minY) / size);
    for (let i = cellStart[c]; i < cellStart[c + 1]; i++) {
      const k = members[i];
      if (x >= box[k * 4] && x <= box[k * 4 + 1] && y >= box[k * 4 + 2] && y <= box[k * 4 + 3]) return true;
    }
    return false;
  };
}

/** A district name's box in pixels, from its text (CJK characters are about twice as wide). */
export function labelBox(text: string, fontPx = 13): { halfW: number; halfH: number } {
  let w = 0;
  // Per code point; CJK ideographs and radicals (U+2E80–9FFF), compatibility ideographs
  // (U+F900–FAFF) and full-width forms (U+FF00–FFEF). A character test, not a RegExp per
  // character: 20,000 names are measured each time a dataset arrives.
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    w += (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) ? fontPx : fontPx * 0.6;
  }
  return { halfW: w / 2 + 4, halfH: fontPx / 2 + 4 };
}
