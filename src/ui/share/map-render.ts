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
import type { Camera } from '../../share/permalink.ts';

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

/** Render and return a 2D canvas of (width·pixelRatio) × (height·pixelRatio) device pixels. */
export async function renderMapCanvas(req: MapRenderRequest): Promise<HTMLCanvasElement> {
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
      pixelRatio: req.pixelRatio,
      maxCanvasSize: [MAX_CANVAS_PX, MAX_CANVAS_PX],
      canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true },
      trackResize: false,
    });
    const loaded = once(map, 'load', timeoutMs);
    const layers = req.layers.map((l) => l.clone({ pickable: false }));
    const overlay = new MapboxOverlay({ interleaved: true, layers });
    map.addControl(overlay);
    await loaded;
    // `idle` fires after a frame with nothing left to load; asking for a frame first means
    // it cannot have fired before we listen. Twice: deck.gl may want one more frame once
    // its layers have their GPU state.
    for (let i = 0; i < 2; i++) {
      const idle = once(map, 'idle', timeoutMs);
      map.triggerRepaint();
      await idle;
    }
    const src = map.getCanvas();
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height;
    out.getContext('2d')!.drawImage(src, 0, 0);
    return out;
  } finally {
    map?.remove();
    container.remove();
  }
}
