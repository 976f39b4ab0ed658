/**
 * Where the names of numbered site markers go, so that none overlaps another name or another
 * site's marker: the way MapLibre places symbols with `text-variable-anchor`, on the CPU for
 * a few hundred sites. Sites are taken in priority order (rank 1 first); each name tries the
 * right of its disc, then the left, above and below, and takes the first spot whose box is
 * clear of every disc and of the names already placed; a name with no clear spot is hidden
 * (its disc and rank number stay). Boxes are in screen pixels, so zooming in spreads the discs
 * apart and hidden names come back.
 *
 * Done here rather than with deck.gl's CollisionFilterExtension, which draws nothing under
 * MapboxOverlay's interleaved mode (declutter.ts) and has no variable anchors.
 */

export type LabelAnchor = 'right' | 'left' | 'above' | 'below';

export const LABEL_ANCHORS: readonly LabelAnchor[] = ['right', 'left', 'above', 'below'];

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Placement {
  anchor: LabelAnchor;
  /** The name's box in the same pixels as the input positions. */
  box: Box;
}

export interface PlacementOptions {
  /** Radius of the marker discs, in pixels (their white outline included). */
  markerRadiusPx: number;
  /** Text height in pixels (font size plus its halo). */
  textHeightPx: number;
  /** Space between a disc and its name, in pixels. */
  gapPx: number;
  /** Clear space kept around every name box, in pixels. */
  paddingPx: number;
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** The box of a name of `widthPx` beside a disc at (x, y). */
export function anchorBox(x: number, y: number, widthPx: number, anchor: LabelAnchor, o: PlacementOptions): Box {
  const r = o.markerRadiusPx + o.gapPx, h = o.textHeightPx;
  switch (anchor) {
    case 'right': return { x0: x + r, x1: x + r + widthPx, y0: y - h / 2, y1: y + h / 2 };
    case 'left': return { x0: x - r - widthPx, x1: x - r, y0: y - h / 2, y1: y + h / 2 };
    case 'above': return { x0: x - widthPx / 2, x1: x + widthPx / 2, y0: y - r - h, y1: y - r };
    case 'below': return { x0: x - widthPx / 2, x1: x + widthPx / 2, y0: y + r, y1: y + r + h };
  }
}

/**
 * Place the names of sites at pixel positions `xs`, `ys` (index = priority order: 0 first),
 * names `widthsPx` wide. Returns a placement per site, or null where the name is hidden.
 * A grid of 64-pixel buckets keeps it near O(n).
 */
export function placeLabels(xs: ArrayLike<number>, ys: ArrayLike<number>, widthsPx: ArrayLike<number>, o: PlacementOptions): (Placement | null)[] {
  const n = xs.length;
  const CELL = 64;
  const grid = new Map<string, Box[]>();
  const add = (b: Box) => {
    for (let gx = Math.floor(b.x0 / CELL); gx <= Math.floor(b.x1 / CELL); gx++)
      for (let gy = Math.floor(b.y0 / CELL); gy <= Math.floor(b.y1 / CELL); gy++) {
        const k = `${gx},${gy}`;
        const list = grid.get(k);
        if (list) list.push(b);
        else grid.set(k, [b]);
      }
  };
  const clear = (b: Box) => {
    for (let gx = Math.floor(b.x0 / CELL); gx <= Math.floor(b.x1 / CELL); gx++)
      for (let gy = Math.floor(b.y0 / CELL); gy <= Math.floor(b.y1 / CELL); gy++)
        for (const other of grid.get(`${gx},${gy}`) ?? []) if (overlaps(b, other)) return false;
    return true;
  };
  // Every disc is an obstacle for every name: rank numbers are never covered.
  const rd = o.markerRadiusPx;
  for (let i = 0; i < n; i++) if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) add({ x0: xs[i] - rd, x1: xs[i] + rd, y0: ys[i] - rd, y1: ys[i] + rd });
  const out: (Placement | null)[] = new Array(n).fill(null);
  const p = o.paddingPx;
  for (let i = 0; i < n; i++) {
    if (!(Number.isFinite(xs[i]) && Number.isFinite(ys[i]) && widthsPx[i] > 0)) continue;
    for (const anchor of LABEL_ANCHORS) {
      const box = anchorBox(xs[i], ys[i], widthsPx[i], anchor, o);
      const padded = { x0: box.x0 - p, x1: box.x1 + p, y0: box.y0 - p, y1: box.y1 + p };
      if (!clear(padded)) continue;
      add(padded);
      out[i] = { anchor, box };
      break;
    }
  }
  return out;
}

/** Rough width of a text in pixels when no canvas can measure it (CJK characters a full em). */
export function estimateTextWidth(text: string, fontPx: number): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) ? fontPx : fontPx * 0.62;
  }
  return w;
}
