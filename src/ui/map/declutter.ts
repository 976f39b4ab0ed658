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
  const boxes = obstacles.map((o) => {
    const [x, y] = worldPx(o.lon, o.lat, zoom);
    return { x0: x - o.halfW, x1: x + o.halfW, y0: y - o.halfH, y1: y + o.halfH };
  });
  const grid = new Map<string, number[]>();
  const cell = (x: number, y: number) => `${Math.floor(x / minPx)},${Math.floor(y / minPx)}`;
  const xs = new Float64Array(n), ys = new Float64Array(n);
  for (const i of order) {
    const [x, y] = worldPx(lon[i], lat[i], zoom);
    xs[i] = x;
    ys[i] = y;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (boxes.some((b) => x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1)) continue;
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

/** A district name's box in pixels, from its text (CJK characters are about twice as wide). */
export function labelBox(text: string, fontPx = 13): { halfW: number; halfH: number } {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? fontPx : fontPx * 0.6;
  return { halfW: w / 2 + 4, halfH: fontPx / 2 + 4 };
}
