/**
 * The user's basemap choice, persisted in localStorage: the built-in offline basemap, their
 * own MapLibre style URL or raster tile template (with the datum it is drawn in), a local
 * PMTiles file (kept in IndexedDB, never uploaded), or a preset (basemap-presets.ts):
 * Tianditu with the user's key, AMap or Tencent.
 */
import type { BasemapCrs } from './basemap-presets.ts';

export type BasemapChoice =
  | { kind: 'offline' }
  | { kind: 'style'; url: string; crs?: BasemapCrs }
  | { kind: 'tiles'; url: string; crs: BasemapCrs }
  | { kind: 'pmtiles'; fileName: string }
  | { kind: 'tianditu'; key: string }
  | { kind: 'amap' }
  | { kind: 'tencent' };

/** The datum the chosen basemap is drawn in: GCJ-02 for AMap, Tencent and what the user declared so. */
export function basemapCrs(c: BasemapChoice): BasemapCrs {
  if (c.kind === 'amap' || c.kind === 'tencent') return 'gcj02';
  if (c.kind === 'style' || c.kind === 'tiles') return c.crs === 'gcj02' ? 'gcj02' : 'wgs84';
  return 'wgs84';
}

const KEY = 'bp.basemap';

/**
 * The servers besides its own that this deployment's Content-Security-Policy lets the app
 * reach (BP_CONNECT_ORIGINS when it was built); the browser refuses every other.
 */
export const allowedOrigins: readonly string[] = String(import.meta.env.BP_CONNECT_ORIGINS ?? '')
  .split(' ')
  .filter(Boolean);

/** The origin of a style URL the policy would refuse; null when allowed or not yet a URL. */
export function refusedOrigin(url: string, allowed: readonly string[] = allowedOrigins, self: string = location.origin): string | null {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return null;
  }
  return origin === self || allowed.includes(origin) ? null : origin;
}

/** A stored setting as a choice, or null when it is not one (edited by hand, an older shape). */
export function parseChoice(v: unknown): BasemapChoice | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const crs: BasemapCrs = o.crs === 'gcj02' ? 'gcj02' : 'wgs84';
  switch (o.kind) {
    case 'offline':
    case 'amap':
    case 'tencent':
      return { kind: o.kind };
    case 'style':
      return typeof o.url === 'string' ? { kind: 'style', url: o.url, crs } : null;
    case 'tiles':
      return typeof o.url === 'string' ? { kind: 'tiles', url: o.url, crs } : null;
    case 'pmtiles':
      return typeof o.fileName === 'string' ? { kind: 'pmtiles', fileName: o.fileName } : null;
    case 'tianditu':
      return typeof o.key === 'string' ? { kind: 'tianditu', key: o.key } : null;
    default:
      return null;
  }
}

function load(): BasemapChoice {
  try {
    const v = parseChoice(JSON.parse(localStorage.getItem(KEY) ?? 'null'));
    if (v) return v;
  } catch {
    /* a corrupt setting falls back to the offline basemap */
  }
  return { kind: 'offline' };
}

export const basemap = $state({ choice: load() });

export function setBasemap(choice: BasemapChoice): void {
  basemap.choice = choice;
  localStorage.setItem(KEY, JSON.stringify(choice));
}

const DB = 'bp-basemap';

function idb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('files');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Keep the chosen PMTiles file in IndexedDB so the choice survives a reload. */
export async function savePmtilesFile(file: File): Promise<void> {
  const db = await idb();
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('files', 'readwrite');
    tx.objectStore('files').put(file, 'pmtiles');
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

export async function loadPmtilesFile(): Promise<File | null> {
  const db = await idb();
  return new Promise((resolve, reject) => {
    const req = db.transaction('files').objectStore('files').get('pmtiles');
    req.onsuccess = () => resolve((req.result as File | undefined) ?? null);
    req.onerror = () => reject(req.error);
  });
}
