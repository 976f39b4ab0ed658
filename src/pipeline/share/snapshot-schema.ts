/**
 * Saved snapshots (named scenarios) and their JSON file format. Imported files are
 * untrusted: every field is checked for type, range and length, unknown fields are dropped,
 * and a thumbnail must be a base64 PNG or JPEG data URL. Names are shown as text, never as
 * HTML. A file may hold good and bad snapshots: the good ones are kept, each bad one is
 * reported with its position and reason.
 */
import { MAX_FIELD_CHARS, MAX_SLICE_CHARS, SLICE_NAME_RE, type ShareState } from './permalink.ts';

export const SNAPSHOT_FORMAT = 'branch-planner-snapshots';
export const SNAPSHOT_VERSION = 1;
export const MAX_NAME_CHARS = 120;
/** A thumbnail is ~10–40 KB; anything much larger is not one of ours. */
export const MAX_THUMBNAIL_CHARS = 400_000;
export const MAX_SNAPSHOTS_PER_FILE = 500;

export interface Snapshot {
  id: string;
  name: string;
  /** ISO 8601 time of saving. */
  createdAt: string;
  state: ShareState;
  /** data:image/png;base64,... or data:image/jpeg;base64,..., or null. */
  thumbnail: string | null;
  /** Whether the thumbnail was drawn with safe sharing on (aggregate layers only). */
  thumbnailSafe: boolean;
}

export interface SnapshotFile {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  exportedAt: string;
  snapshots: Snapshot[];
}

export interface ValidationResult {
  snapshots: Snapshot[];
  errors: string[];
}

const THUMB_RE = /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/;
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function shortText(x: unknown, max = MAX_FIELD_CHARS): x is string {
  return typeof x === 'string' && x.length <= max && !/[\u0000-\u001f\u007f]/.test(x);
}

function finiteIn(x: unknown, min: number, max: number): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max;
}

/** Check a ShareState from an untrusted source; returns the cleaned state or the reasons it is not one. */
export function validateShareState(x: unknown): { state: ShareState } | { errors: string[] } {
  const errors: string[] = [];
  if (!isRecord(x)) return { errors: ['state is not an object'] };
  const cam = x.camera;
  let camera: ShareState['camera'] | null = null;
  if (!isRecord(cam)) errors.push('camera is missing');
  else {
    const c = cam.center;
    if (!Array.isArray(c) || c.length !== 2 || !finiteIn(c[0], -180, 180) || !finiteIn(c[1], -90, 90)) errors.push('camera.center is not [lon, lat] in degrees');
    if (!finiteIn(cam.zoom, 0, 24)) errors.push('camera.zoom is not a number in [0, 24]');
    if (!finiteIn(cam.bearing, -360, 360)) errors.push('camera.bearing is not a number in [-360, 360]');
    if (!finiteIn(cam.pitch, 0, 85)) errors.push('camera.pitch is not a number in [0, 85]');
    if (!errors.length) camera = { center: [(c as number[])[0], (c as number[])[1]], zoom: cam.zoom as number, bearing: cam.bearing as number, pitch: cam.pitch as number };
  }
  for (const f of ['tab', 'indicator', 'period', 'classMethod', 'fingerprint'] as const) {
    if (!shortText(x[f])) errors.push(`${f} is not a short text`);
  }
  if (!(typeof x.classCount === 'number' && Number.isInteger(x.classCount) && x.classCount >= 2 && x.classCount <= 12)) errors.push('classCount is not a whole number in [2, 12]');
  const layers: Record<string, boolean> = {};
  if (!isRecord(x.layers)) errors.push('layers is not an object');
  else {
    for (const [k, v] of Object.entries(x.layers)) {
      if (SLICE_NAME_RE.test(k) && typeof v === 'boolean') layers[k] = v;
      else errors.push(`layers.${k.slice(0, 40)} is not a layer toggle`);
    }
  }
  if (!(x.selectedAreaId === null || (shortText(x.selectedAreaId) && x.selectedAreaId !== ''))) errors.push('selectedAreaId is not null or a short text');
  const slices: Record<string, unknown> = {};
  if (!isRecord(x.slices)) errors.push('slices is not an object');
  else {
    for (const [k, v] of Object.entries(x.slices)) {
      const len = JSON.stringify(v ?? null).length;
      if (SLICE_NAME_RE.test(k) && len <= MAX_SLICE_CHARS) slices[k] = v;
      else errors.push(`slices.${k.slice(0, 40)} is not a small parameter set`);
    }
  }
  if (errors.length || !camera) return { errors };
  return {
    state: {
      camera,
      tab: x.tab as string,
      indicator: x.indicator as string,
      period: x.period as string,
      classMethod: x.classMethod as string,
      classCount: x.classCount as number,
      layers,
      selectedAreaId: (x.selectedAreaId as string | null) ?? null,
      fingerprint: x.fingerprint as string,
      slices,
    },
  };
}

/** Check one snapshot from an untrusted source. */
export function validateSnapshot(x: unknown): { snapshot: Snapshot } | { errors: string[] } {
  if (!isRecord(x)) return { errors: ['not an object'] };
  const errors: string[] = [];
  if (!(typeof x.id === 'string' && ID_RE.test(x.id))) errors.push('id is not 1–64 letters, digits, _ or -');
  if (!(shortText(x.name, MAX_NAME_CHARS) && x.name.trim() !== '')) errors.push(`name is not a text of 1–${MAX_NAME_CHARS} characters`);
  if (!(typeof x.createdAt === 'string' && x.createdAt.length <= 40 && Number.isFinite(Date.parse(x.createdAt)))) errors.push('createdAt is not a date');
  const thumb = x.thumbnail ?? null;
  if (!(thumb === null || (typeof thumb === 'string' && thumb.length <= MAX_THUMBNAIL_CHARS && THUMB_RE.test(thumb)))) {
    errors.push('thumbnail is not a PNG or JPEG data URL');
  }
  const st = validateShareState(x.state);
  if ('errors' in st) errors.push(...st.errors.map((e) => `state: ${e}`));
  if (errors.length || 'errors' in st) return { errors };
  return {
    snapshot: {
      id: x.id as string,
      name: (x.name as string).trim(),
      createdAt: new Date(Date.parse(x.createdAt as string)).toISOString(),
      state: st.state,
      thumbnail: thumb as string | null,
      thumbnailSafe: x.thumbnailSafe === true,
    },
  };
}

/** Parse and validate the text of a snapshot file. */
export function parseSnapshotFile(text: string): ValidationResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { snapshots: [], errors: [`not JSON: ${e instanceof Error ? e.message : String(e)}`] };
  }
  return validateSnapshotFile(json);
}

export function validateSnapshotFile(json: unknown): ValidationResult {
  if (!isRecord(json)) return { snapshots: [], errors: ['the file does not hold a JSON object'] };
  if (json.format !== SNAPSHOT_FORMAT) return { snapshots: [], errors: [`format is not "${SNAPSHOT_FORMAT}"`] };
  if (!(typeof json.version === 'number' && Number.isInteger(json.version) && json.version >= 1)) return { snapshots: [], errors: ['version is missing'] };
  if (json.version > SNAPSHOT_VERSION) return { snapshots: [], errors: [`version ${json.version} is newer than this app reads (${SNAPSHOT_VERSION})`] };
  if (!Array.isArray(json.snapshots)) return { snapshots: [], errors: ['snapshots is not a list'] };
  if (json.snapshots.length > MAX_SNAPSHOTS_PER_FILE) return { snapshots: [], errors: [`more than ${MAX_SNAPSHOTS_PER_FILE} snapshots`] };
  const snapshots: Snapshot[] = [];
  const errors: string[] = [];
  json.snapshots.forEach((s, i) => {
    const r = validateSnapshot(s);
    if ('snapshot' in r) snapshots.push(r.snapshot);
    else errors.push(`snapshot ${i + 1}: ${r.errors.join('; ')}`);
  });
  return { snapshots, errors };
}

/**
 * The file to export. With `safe`, thumbnails drawn while safe sharing was off are left
 * out (they may show individual-level layers), and so are the slices named in
 * `individualSlices` (a snapshot saved with safe sharing off may hold them).
 */
export function snapshotFile(snapshots: readonly Snapshot[], opts: { safe: boolean; individualSlices?: readonly string[]; now?: Date }): SnapshotFile {
  const drop = new Set(opts.safe ? (opts.individualSlices ?? []) : []);
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    exportedAt: (opts.now ?? new Date()).toISOString(),
    snapshots: snapshots.map((s) => ({
      ...s,
      state: { ...s.state, slices: Object.fromEntries(Object.entries(s.state.slices).filter(([k]) => !drop.has(k))) },
      thumbnail: opts.safe && !s.thumbnailSafe ? null : s.thumbnail,
    })),
  };
}

/** A new random id (URL- and file-safe). */
export function newSnapshotId(random: () => number = Math.random): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 16; i++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}
