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
  /** Polled while waiting for the GPU: true ends the render with an AbortError. */
  stop?: () => boolean;
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

/** `p`, or an AbortError as soon as `stop()` turns true (polled between tasks). */
async function unlessStopped<T>(p: Promise<T>, stop?: () => boolean): Promise<T> {
  if (!stop) return p;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (stop()) reject(new DOMException('Cancelled', 'AbortError'));
    }, 50);
  });
  try {
    return await Promise.race([p, stopped]);
  } finally {
    clearInterval(timer);
  }
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

/**
 * Wait, without blocking the page, until the GPU has executed everything drawn so far on
 * `canvas`. Reading a WebGL canvas back (drawImage, toDataURL) or resizing it waits for the
 * GPU synchronously: with software GL a print-size frame kept the page frozen for 14–19 s in
 * one task (CPU profile of the risk PDF). A fence polled between tasks moves that wait out of
 * the main thread's tasks, so the page stays responsive and Cancel is honoured at once; the
 * read-back after it finds the frame done. WebGL1 contexts (no fences) read back as before.
 */
async function gpuFinished(canvas: HTMLCanvasElement, timeoutMs: number, stop?: () => boolean): Promise<void> {
  const gl = canvas.getContext('webgl2');
  const sync = gl?.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
  if (!gl || !sync) return;
  gl.flush();
  try {
    const until = performance.now() + timeoutMs;
    // Sync status is only updated between tasks (WebGL 2 spec §5.27), so poll with timers.
    while (gl.getSyncParameter(sync, gl.SYNC_STATUS) !== gl.SIGNALED && !gl.isContextLost()) {
      if (stop?.()) throw new DOMException('Cancelled', 'AbortError');
      if (performance.now() > until) throw new Error(`map did not finish drawing within ${Math.round(timeoutMs / 1000)} s (GPU)`);
      await new Promise((r) => setTimeout(r, 16));
    }
  } finally {
    gl.deleteSync(sync);
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
    await unlessStopped(loaded, req.stop);
    const t1 = performance.now();
    await unlessStopped(deckReady(overlay, layers.length, timeoutMs), req.stop);
    // `idle` fires after a frame with nothing left to load; asking for a frame first means
    // it cannot have fired before we listen.
    let idle = once(map, 'idle', timeoutMs);
    map.triggerRepaint();
    await unlessStopped(idle, req.stop);
    const t2 = performance.now();
    if (draft && req.pixelRatio !== map.getPixelRatio()) {
      // Resizing the drawing buffer would wait for the draft frames here, in one task.
      await gpuFinished(map.getCanvas(), timeoutMs, req.stop);
      const ctx = deckOf(overlay)?.device?.canvasContext;
      if (typeof ctx?.setDrawingBufferSize !== 'function') throw new NoDraft();
      map.setPixelRatio(req.pixelRatio);
      const canvas = map.getCanvas();
      ctx.setDrawingBufferSize(canvas.width, canvas.height);
      idle = once(map, 'idle', timeoutMs);
      map.triggerRepaint();
      await unlessStopped(idle, req.stop);
    }
    const src = map.getCanvas();
    await gpuFinished(src, timeoutMs, req.stop);
    const t3 = performance.now();
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height;
    // The GPU has finished the frame (above): the read-back no longer waits for it.
    out.getContext('2d')!.drawImage(src, 0, 0);
    lastRenderPhases.value = { loadMs: t1 - t0, readyMs: t2 - t1, finalFrameMs: t3 - t2, readbackMs: performance.now() - t3 };
    return out;
  } finally {
    map?.remove();
    container.remove();
  }
}
