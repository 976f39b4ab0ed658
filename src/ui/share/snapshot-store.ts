/**
 * Saved snapshots in the browser's IndexedDB (database `branch-planner-share`, store
 * `snapshots`, key `id`). Records are validated when read, like an imported file: the
 * store may hold records from another version of the app.
 */
import { validateSnapshot, type Snapshot } from '../../pipeline/share/snapshot-schema.ts';

const DB_NAME = 'branch-planner-share';
const STORE = 'snapshots';

let dbPromise: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      dbPromise = null;
      reject(req.error ?? new Error('IndexedDB is not available'));
    };
  });
  return dbPromise;
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  const t = db.transaction(STORE, mode);
  const result = await done(run(t.objectStore(STORE)));
  await new Promise<void>((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error ?? new Error('transaction aborted'));
  });
  return result;
}

/** All valid snapshots, oldest first (the presentation order). */
export async function listSnapshots(): Promise<Snapshot[]> {
  const raw = await tx('readonly', (s) => s.getAll());
  const out: Snapshot[] = [];
  for (const r of raw) {
    const v = validateSnapshot(r);
    if ('snapshot' in v) out.push(v.snapshot);
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
}

export async function putSnapshot(s: Snapshot): Promise<void> {
  await tx('readwrite', (store) => store.put(s));
}

export async function deleteSnapshot(id: string): Promise<void> {
  await tx('readwrite', (store) => store.delete(id));
}
