/**
 * MapLibre reads the areas' blob: URLs in its own workers (issue 15). By default its worker
 * sends every non-http(s) URL back to the page, whose thread then fetches, parses and clones
 * the whole GeoJSON (measured: one 300-ms task for a 1.2 MB areas file); the script below,
 * loaded into every MapLibre worker, registers the blob: schemes there instead.
 */
import maplibregl from 'maplibre-gl';
// A file of this origin (script-src 'self'), never inlined as a data: URL the policy refuses.
import workerScript from './maplibre-worker-blob.js?url&no-inline';

let started: Promise<unknown> | null = null;

/** Once per page, before the first map: the worker-side blob: loader (maplibre-worker-blob.js). */
export function loadBlobSourcesInWorkers(): Promise<unknown> {
  started ??= maplibregl.importScriptInWorkers(new URL(workerScript, location.href).href).catch(() => {
    // Without it MapLibre falls back to the page's thread: slower for big files, still correct.
  });
  return started;
}
