/**
 * Saved snapshots in the browser's IndexedDB (database `branch-planner-share`, store
 * `snapshots`, key `id`). Records are validated when read, like an imported file: the
 * store may hold records from another version of the app.
 */
import { validateSnapshot, type Snapshot } from '../../pipeline/share/snapshot-schema.ts';
import { idbStore } from '../app/idb-store.ts';

const run = idbStore('branch-planner-share', 'snapshots', { keyPath: 'id' });

/** All valid snapshots, oldest first (the presentation order). */
export async function listSnapshots(): Promise<Snapshot[]> {
  const raw = await run('readonly', (s) => s.getAll());
  const out: Snapshot[] = [];
  for (const r of raw) {
    const v = validateSnapshot(r);
    if ('snapshot' in v) out.push(v.snapshot);
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
}

export async function putSnapshot(s: Snapshot): Promise<void> {
  await run('readwrite', (store) => store.put(s));
}

export async function deleteSnapshot(id: string): Promise<void> {
  await run('readwrite', (store) => store.delete(id));
}
