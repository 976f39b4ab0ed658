/**
 * The user's basemap choice, persisted in localStorage: the built-in offline basemap, their
 * own MapLibre style URL, or a local PMTiles file (kept in IndexedDB, never uploaded).
 */
export type BasemapChoice =
  | { kind: 'offline' }
  | { kind: 'style'; url: string }
  | { kind: 'pmtiles'; fileName: string };

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

function load(): BasemapChoice {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as BasemapChoice | null;
    if (v && (v.kind === 'offline' || (v.kind === 'style' && typeof v.url === 'string') || (v.kind === 'pmtiles' && typeof v.fileName === 'string'))) return v;
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
