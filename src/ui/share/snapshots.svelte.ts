/**
 * The snapshot list the Share panel shows, and its actions: save the current view, open,
 * delete, export to a JSON file, import one (validated; bad entries reported, good kept).
 */
import { individualSliceNames } from './state-slices.ts';
import { newSnapshotId, parseSnapshotFile, snapshotFile, type Snapshot } from '../../pipeline/share/snapshot-schema.ts';
import { formatDateTime } from '../../pipeline/share/provenance.ts';
import { deleteSnapshot, listSnapshots, putSnapshot } from './snapshot-store.ts';
import { applyState, captureState, shareSettings, type ApplyResult } from './share-state.svelte.ts';
import { saveBlob, thumbnailOfView } from './exports.ts';

class SnapshotList {
  list = $state.raw<Snapshot[]>([]);
}

export const snapshots = new SnapshotList();

export async function refreshSnapshots(): Promise<void> {
  snapshots.list = await listSnapshots();
}

export async function saveCurrentView(name: string): Promise<Snapshot> {
  const state = captureState({ safe: shareSettings.safe });
  const thumbnail = await thumbnailOfView().catch(() => null);
  const s: Snapshot = {
    id: newSnapshotId(),
    name: name.trim().slice(0, 120),
    createdAt: new Date().toISOString(),
    state,
    thumbnail,
    thumbnailSafe: shareSettings.safe,
  };
  await putSnapshot(s);
  await refreshSnapshots();
  return s;
}

export function openSnapshot(s: Snapshot): ApplyResult {
  return applyState(s.state, { stayOnShare: true });
}

export async function removeSnapshot(id: string): Promise<void> {
  await deleteSnapshot(id);
  await refreshSnapshots();
}

export function exportSnapshotsJson(): string {
  const file = snapshotFile(snapshots.list, { safe: shareSettings.safe, individualSlices: individualSliceNames() });
  const name = `branch-planner-snapshots-${formatDateTime(new Date()).replace(/[-: ]/g, '')}.json`;
  saveBlob(new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' }), name);
  return name;
}

export async function importSnapshotsJson(text: string): Promise<{ added: number; errors: string[] }> {
  const r = parseSnapshotFile(text);
  for (const s of r.snapshots) await putSnapshot(s);
  await refreshSnapshots();
  return { added: r.snapshots.length, errors: r.errors };
}
