/**
 * The user's loaded dataset, kept in the browser (IndexedDB database `branch-planner-dataset`,
 * store `dataset`, one record under key `current`; the files' bytes in OPFS, see `KEPT_DIR`) so a
 * reload restores it without asking for the files again. What is stored is what the loader needs
 * to rebuild it: each input file's bytes (never in the JS heap at rest) and its options (kind, CRS, mapping,
 * sheet), plus whether the demo city lies underneath (files loaded on top of the demo keep the
 * demo's other kinds). Nothing leaves the machine. The record is validated when read: the store
 * may hold one written by another version of the app.
 */
import { INPUT_KINDS, type Crs, type InputKind, type ValueMapping } from '../../data/types.ts';
import type { LocalizedText } from '../../pipeline/dataset/db-api.ts';
import { idbStore } from '../app/idb-store.ts';

export interface StoredInput {
  kind: InputKind;
  fileName: string;
  crs: Crs;
  mapping: Record<string, string>;
  sheet?: string;
  /** Sites: the user's value mapping (type/owner words). */
  values?: ValueMapping;
  /** Loaded with its rows appended to the earlier file(s) of its kind (replayed in order on restore). */
  append?: true;
  blob: Blob;
}

export interface StoredDataset {
  version: 1;
  /** 'demo': the inputs were loaded on top of the demo city, which is loaded first on restore. */
  base: 'demo' | 'none';
  /** When the dataset was last changed (ms since epoch). */
  savedAt: number;
  name?: LocalizedText;
  /** In load order: one per kind, plus the files appended to it after it. */
  inputs: StoredInput[];
}

const KEY = 'current';

const run = idbStore('branch-planner-dataset', 'dataset');

/**
 * Where the files' bytes live: in the Origin Private File System when the browser has it
 * (`branch-planner/kept/<name>`, written as a stream, read back as a disk-backed File), so a
 * city's 12M-customer file never passes through IndexedDB; inside the IndexedDB record (as a
 * Blob) otherwise. The record names its OPFS files in `opfsFile`.
 */
const KEPT_DIR = ['branch-planner', 'kept'] as const;
/** OPFS name of each File we read back, so an unchanged input is not copied at the next save. */
const keptNames = new WeakMap<Blob, string>();

type StoredForm = Omit<StoredDataset, 'inputs'> & { inputs: Array<Omit<StoredInput, 'blob'> & { blob?: Blob; opfsFile?: string }> };

async function keptDir(): Promise<FileSystemDirectoryHandle | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory) return null;
  try {
    let dir = await navigator.storage.getDirectory();
    for (const part of KEPT_DIR) dir = await dir.getDirectoryHandle(part, { create: true });
    // Writing needs createWritable (Chromium, Firefox, Safari 17+ in windows).
    return 'createWritable' in FileSystemFileHandle.prototype ? dir : null;
  } catch {
    return null;
  }
}

/** The stored dataset, or null when there is none (or it is unreadable). */
export async function readStoredDataset(): Promise<StoredDataset | null> {
  const rec = await run('readonly', (s) => s.get(KEY) as IDBRequest<unknown>);
  const full = await withKeptFiles(rec);
  return validStored(full) ? full : null;
}

/** The record with each `opfsFile` replaced by its File; null when a file is missing. */
async function withKeptFiles(rec: unknown): Promise<unknown> {
  const r = rec as Partial<StoredForm> | null;
  if (!r || !Array.isArray(r.inputs) || !r.inputs.some((i) => typeof i?.opfsFile === 'string')) return rec;
  const dir = await keptDir();
  if (!dir) return null;
  try {
    const inputs = await Promise.all(
      r.inputs.map(async (i) => {
        if (typeof i?.opfsFile !== 'string') return i;
        const file = await (await dir.getFileHandle(i.opfsFile)).getFile();
        keptNames.set(file, i.opfsFile);
        const { opfsFile: _name, ...rest } = i;
        return { ...rest, blob: file };
      }),
    );
    return { ...r, inputs };
  } catch {
    return null;
  }
}

export async function writeStoredDataset(rec: StoredDataset): Promise<void> {
  const dir = await keptDir();
  let form: StoredForm = rec;
  if (dir) {
    // Files this call creates: removed again when any write fails (e.g. over the storage quota),
    // so a failed save leaves no partial copies taking room.
    const written: string[] = [];
    try {
      form = {
        ...rec,
        inputs: await Promise.all(
          rec.inputs.map(async ({ blob, ...rest }, i) => {
            let name = keptNames.get(blob);
            if (!name) {
              name = `${rec.savedAt.toString(36)}-${i}-${rest.kind}-${Math.random().toString(36).slice(2, 8)}.bin`;
              written.push(name);
              const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
              await blob.stream().pipeTo(w);
            }
            return { ...rest, opfsFile: name };
          }),
        ),
      };
    } catch (e) {
      for (const name of written) await dir.removeEntry(name).catch(() => undefined);
      throw e;
    }
  }
  await run('readwrite', (s) => s.put(form, KEY));
  if (dir) await removeUnkept(dir, form).catch(() => undefined);
  announce({ type: 'changed', tab: TAB_ID, savedAt: rec.savedAt, files: rec.inputs.map((i) => i.fileName) });
}

export async function clearStoredDataset(): Promise<void> {
  await run('readwrite', (s) => s.delete(KEY));
  const dir = await keptDir();
  if (dir) await removeUnkept(dir, null).catch(() => undefined);
  announce({ type: 'cleared', tab: TAB_ID, savedAt: Date.now(), files: [] });
}

/**
 * Delete kept files that neither the record just written nor the one now in the store names
 * (another tab may have written its own since: its files stay).
 */
async function removeUnkept(dir: FileSystemDirectoryHandle, form: StoredForm | null): Promise<void> {
  const now = (await run('readonly', (s) => s.get(KEY) as IDBRequest<unknown>)) as Partial<StoredForm> | undefined;
  const named = [...(form?.inputs ?? []), ...(Array.isArray(now?.inputs) ? now.inputs : [])];
  const keep = new Set(named.map((i) => i?.opfsFile).filter((n): n is string => typeof n === 'string'));
  const names: string[] = [];
  for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) if (!keep.has(name)) names.push(name);
  for (const name of names) await dir.removeEntry(name).catch(() => undefined);
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
 * the loaded kinds replace the stored files of the same kinds (appended files are added after
 * them) and the rest are kept, so the record always describes the dataset on screen.
 */
export function mergeStored(
  prev: StoredDataset | null,
  inputs: readonly StoredInput[],
  opts: { replaceAll: boolean; name?: LocalizedText; now: number },
): StoredDataset {
  if (opts.replaceAll || !prev) {
    return { version: 1, base: opts.replaceAll ? 'none' : 'demo', savedAt: opts.now, name: opts.name, inputs: [...inputs] };
  }
  const kinds = new Set(inputs.filter((i) => !i.append).map((i) => i.kind));
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
      i.mapping !== null && typeof i.mapping === 'object' && (i.sheet === undefined || typeof i.sheet === 'string') && (i.append === undefined || i.append === true) &&
      typeof Blob !== 'undefined' && i.blob instanceof Blob,
  );
}

/**
 * The loads that rebuild a record's inputs, in order: first every file loaded as a replacement
 * (one per kind), then the appended files, each batch holding at most one file per kind.
 */
export function restoreBatches(inputs: readonly StoredInput[]): StoredInput[][] {
  const batches: StoredInput[][] = [inputs.filter((i) => !i.append)];
  for (const i of inputs.filter((x) => x.append)) {
    const last = batches.at(-1)!;
    if (batches.length > 1 && !last.some((x) => x.kind === i.kind)) last.push(i);
    else batches.push([i]);
  }
  return batches.filter((b) => b.length > 0);
}

/**
 * Whether keeping the files failed for want of room (the origin's storage quota: a full disk,
 * or a private window's small quota): the user is told that, in words, not the browser's error.
 */
export function isQuotaError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError';
}

/** Ask the browser not to evict our data under storage pressure (best effort, may be refused). */
export function requestPersistentStorage(): void {
  void navigator.storage?.persist?.().catch(() => false);
}
