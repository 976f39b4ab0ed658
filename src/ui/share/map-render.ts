/**
 * Draws the map at an export's size on a second, off-screen MapLibre map with its own
 * interleaved deck.gl overlay, so the live map is never resized or flickers, and the export
 * can leave layers out (safe sharing) without touching what the user sees.
 *
 * The style is the live map's (`getStyle()` includes the dataset's GeoJSON sources), the
 * camera the live camera, and the deck.gl layers fresh clones of the live ones (a layer
 * instance holds GPU state of one context; it must not be shared between two maps).
 * `fadeDuration: 0` so labels are placed in the first frames, and the map's own `pixelRatio`
 * sets the drawing-buffer scale — in interleaved mode deck.gl draws at the map's scale.
 */
import maplibregl, { type StyleSpecification } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer } from '@deck.gl/core';
import type { Camera } from '../../pipeline/share/permalink.ts';
import { displayShift } from '../map/display-shift.svelte.ts';

export interface MapRenderRequest {
  /** CSS pixels. */
  width: number;
  height: number;
  pixelRatio: number;
  camera: Camera;
  style: StyleSpecification;
  layers: Layer[];
  /** Give up after this long (tiles that never arrive). Default 30 s. */
  timeoutMs?: number;
}

/** Pixel ratio of the frames drawn while loading (see renderMapCanvas). */
const DRAFT_PIXEL_RATIO = 0.25;

/** Largest drawing buffer side we ask for: SwiftShader and most GPUs allow 8192. */
export const MAX_CANVAS_PX = 8192;

function once(map: maplibregl.Map, event: 'load' | 'idle' | 'render', timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`map did not finish drawing within ${Math.round(timeoutMs / 1000)} s (${event})`)), timeoutMs);
    map.once(event, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

interface CanvasContextProbe {
  setDrawingBufferSize?: (width: number, height: number) => void;
}

interface DeckProbe {
  isInitialized?: boolean;
  layerManager?: { getLayers(): Array<{ isLoaded: boolean }> } | null;
  device?: { canvasContext?: CanvasContextProbe | null } | null;
}

/** The overlay's Deck: deck.gl exposes no public handle or "ready" event for interleaved overlays (`_deck` is stable across 9.x). */
function deckOf(overlay: MapboxOverlay): DeckProbe | undefined {
  return (overlay as unknown as { _deck?: DeckProbe })._deck;
}

/**
 * Wait until deck.gl has its GPU device and every layer has loaded: in interleaved mode the
 * device is attached asynchronously, and frames drawn before that carry the basemap only
 * (seen here: an export without any deck layer).
 */
async function deckReady(overlay: MapboxOverlay, layerCount: number, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const deck = deckOf(overlay);
    const layers = deck?.layerManager?.getLayers() ?? [];
    if (deck?.isInitialized && (layerCount === 0 || (layers.length > 0 && layers.every((l) => l.isLoaded)))) return;
    if (performance.now() > until) throw new Error(`map layers were not ready within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** Where the time of the last off-screen render went, in ms. */
export const lastRenderPhases: { value: Record<string, number> | null } = { value: null };

class NoDraft extends Error {}

/**
 * Render and return a 2D canvas of (width·pixelRatio) × (height·pixelRatio) device pixels.
 *
 * With software GL (SwiftShader, our CI) a 3840×2160 frame costs seconds, and MapLibre draws
 * several while the style, tiles and deck.gl load. So those frames are drawn at a draft pixel
 * ratio and only the final one at full size: the CSS size does not change, so tiles and
 * label placement stay the same. deck.gl sizes its drawing buffer once, from the canvas, and
 * follows only CSS-size changes; after `setPixelRatio` it is told the new size. If that
 * handle is missing (another deck.gl version), the render is redone at full size throughout.
 */
export async function renderMapCanvas(req: MapRenderRequest): Promise<HTMLCanvasElement> {
  try {
    return await render(req, true);
  } catch (e) {
    if (e instanceof NoDraft) return render(req, false);
    throw e;
  }
}

async function render(req: MapRenderRequest, draft: boolean): Promise<HTMLCanvasElement> {
  const t0 = performance.now();
  const timeoutMs = req.timeoutMs ?? 30_000;
  const container = document.createElement('div');
  container.setAttribute('aria-hidden', 'true');
  // Laid out (MapLibre measures its container) but off screen and inert.
  Object.assign(container.style, {
    position: 'fixed', left: '-100000px', top: '0', width: `${req.width}px`, height: `${req.height}px`,
    pointerEvents: 'none', visibility: 'hidden',
  });
  document.body.appendChild(container);
  let map: maplibregl.Map | null = null;
  try {
    map = new maplibregl.Map({
      container,
      style: req.style,
      center: req.camera.center,
      zoom: req.camera.zoom,
      bearing: req.camera.bearing,
      pitch: req.camera.pitch,
      interactive: false,
      attributionControl: false,
      fadeDuration: 0,
      pixelRatio: draft ? Math.min(DRAFT_PIXEL_RATIO, req.pixelRatio) : req.pixelRatio,
      maxCanvasSize: [MAX_CANVAS_PX, MAX_CANVAS_PX],
      canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true },
      trackResize: false,
    });
    const loaded = once(map, 'load', timeoutMs);
    // Over a GCJ-02 basemap the export draws the layers shifted like the live map (display-shift).
    const layers = req.layers.map((l) => l.clone({ pickable: false, ...(displayShift.matrix ? { modelMatrix: displayShift.matrix } : {}) }));
    const overlay = new MapboxOverlay({ interleaved: true, layers });
    map.addControl(overlay);
    await loaded;
    const t1 = performance.now();
    await deckReady(overlay, layers.length, timeoutMs);
    // `idle` fires after a frame with nothing left to load; asking for a frame first means
    // it cannot have fired before we listen.
    let idle = once(map, 'idle', timeoutMs);
    map.triggerRepaint();
    await idle;
    const t2 = performance.now();
    if (draft && req.pixelRatio !== map.getPixelRatio()) {
      const ctx = deckOf(overlay)?.device?.canvasContext;
      if (typeof ctx?.setDrawingBufferSize !== 'function') throw new NoDraft();
      map.setPixelRatio(req.pixelRatio);
      const canvas = map.getCanvas();
      ctx.setDrawingBufferSize(canvas.width, canvas.height);
      idle = once(map, 'idle', timeoutMs);
      map.triggerRepaint();
      await idle;
    }
    const t3 = performance.now();
    const src = map.getCanvas();
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height;
    // The GPU work of the final frame is only waited for here (read-back).
    out.getContext('2d')!.drawImage(src, 0, 0);
    lastRenderPhases.value = { loadMs: t1 - t0, readyMs: t2 - t1, finalFrameMs: t3 - t2, readbackMs: performance.now() - t3 };
    return out;
  } finally {
    map?.remove();
    container.remove();
  }
}
