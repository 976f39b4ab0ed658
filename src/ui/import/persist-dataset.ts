/**
 * The user's loaded dataset, kept in the browser's IndexedDB (database `branch-planner-dataset`,
 * store `dataset`, one record under key `current`) so a reload restores it without asking for
 * the files again. What is stored is what the loader needs to rebuild it: each input file's bytes
 * (as a Blob, which IndexedDB keeps outside the JS heap) and its options (kind, CRS, mapping,
 * sheet), plus whether the demo city lies underneath (files loaded on top of the demo keep the
 * demo's other kinds). Nothing leaves the machine. The record is validated when read: the store
 * may hold one written by another version of the app.
 */
import { INPUT_KINDS, type Crs, type InputKind } from '../../data/types.ts';
import type { LocalizedText } from '../../pipeline/dataset/db-api.ts';
import { idbStore } from '../app/idb-store.ts';

export interface StoredInput {
  kind: InputKind;
  fileName: string;
  crs: Crs;
  mapping: Record<string, string>;
  sheet?: string;
  blob: Blob;
}

export interface StoredDataset {
  version: 1;
  /** 'demo': the inputs were loaded on top of the demo city, which is loaded first on restore. */
  base: 'demo' | 'none';
  /** When the dataset was last changed (ms since epoch). */
  savedAt: number;
  name?: LocalizedText;
  /** One per kind; a later load of a kind replaces the earlier file. */
  inputs: StoredInput[];
}

const KEY = 'current';

const run = idbStore('branch-planner-dataset', 'dataset');

/** The stored dataset, or null when there is none (or it is unreadable). */
export async function readStoredDataset(): Promise<StoredDataset | null> {
  const rec = await run('readonly', (s) => s.get(KEY) as IDBRequest<unknown>);
  return validStored(rec) ? rec : null;
}

export async function writeStoredDataset(rec: StoredDataset): Promise<void> {
  await run('readwrite', (s) => s.put(rec, KEY));
  announce({ type: 'changed', tab: TAB_ID, savedAt: rec.savedAt, files: rec.inputs.map((i) => i.fileName) });
}

export async function clearStoredDataset(): Promise<void> {
  await run('readwrite', (s) => s.delete(KEY));
  announce({ type: 'cleared', tab: TAB_ID, savedAt: Date.now(), files: [] });
}

/**
 * Two tabs share one kept dataset: the last writer wins it. Every write and clear is announced
 * on a BroadcastChannel (same origin only, never leaves the browser), so the other tabs can say
 * the kept data changed under them and offer to load it, instead of silently reloading into it.
 */
export interface StoreChange {
  type: 'changed' | 'cleared';
  /** The announcing tab (a tab ignores its own announcements). */
  tab: string;
  savedAt: number;
  files: string[];
}

const CHANNEL = 'branch-planner-dataset';
const TAB_ID = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
let channel: BroadcastChannel | null = null;

function openChannel(): BroadcastChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  return (channel ??= new BroadcastChannel(CHANNEL));
}

function announce(change: StoreChange): void {
  openChannel()?.postMessage(change);
}

/** Call `fn` when another tab changes or clears the kept dataset; returns the unsubscribe. */
export function onStoreChangedElsewhere(fn: (change: StoreChange) => void): () => void {
  const ch = openChannel();
  if (!ch) return () => undefined;
  const listener = (e: MessageEvent) => {
    const c = e.data as Partial<StoreChange> | null;
    if (!c || (c.type !== 'changed' && c.type !== 'cleared') || c.tab === TAB_ID || !Array.isArray(c.files)) return;
    fn({ type: c.type, tab: String(c.tab), savedAt: Number(c.savedAt), files: c.files.map(String) });
  };
  ch.addEventListener('message', listener);
  return () => ch.removeEventListener('message', listener);
}

/**
 * The record after a successful load of `inputs`: a new dataset replaces everything; otherwise
 * the loaded kinds replace the stored files of the same kinds and the rest are kept, so the
 * record always describes the dataset on screen.
 */
export function mergeStored(
  prev: StoredDataset | null,
  inputs: readonly StoredInput[],
  opts: { replaceAll: boolean; name?: LocalizedText; now: number },
): StoredDataset {
  if (opts.replaceAll || !prev) {
    return { version: 1, base: opts.replaceAll ? 'none' : 'demo', savedAt: opts.now, name: opts.name, inputs: [...inputs] };
  }
  const kinds = new Set(inputs.map((i) => i.kind));
  return {
    version: 1,
    base: prev.base,
    savedAt: opts.now,
    name: opts.name ?? prev.name,
    inputs: [...prev.inputs.filter((i) => !kinds.has(i.kind)), ...inputs],
  };
}

export function validStored(rec: unknown): rec is StoredDataset {
  if (!rec || typeof rec !== 'object') return false;
  const r = rec as Partial<StoredDataset>;
  if (r.version !== 1 || (r.base !== 'demo' && r.base !== 'none') || !Array.isArray(r.inputs) || r.inputs.length === 0) return false;
  return r.inputs.every(
    (i) =>
      i && INPUT_KINDS.includes(i.kind) && typeof i.fileName === 'string' && ['wgs84', 'gcj02', 'bd09'].includes(i.crs) &&
      i.mapping !== null && typeof i.mapping === 'object' && (i.sheet === undefined || typeof i.sheet === 'string') &&
      typeof Blob !== 'undefined' && i.blob instanceof Blob,
  );
}

/** Ask the browser not to evict our data under storage pressure (best effort, may be refused). */
export function requestPersistentStorage(): void {
  void navigator.storage?.persist?.().catch(() => false);
}
