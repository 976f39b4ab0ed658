/**
 * The shareable state of the app — what a permalink, a saved snapshot and a presentation
 * step restore — and its URL-hash encoding. Only parameters travel: camera, tab, indicator,
 * period, classification, layer toggles, the selected area's id, the dataset fingerprint
 * and small JSON slices registered by workflows (see state-slices.ts). Never rows of data.
 *
 * Hash format (a URLSearchParams string after `#`), version 1:
 *   bp=1 & c=<lon>,<lat> & z=<zoom> & b=<bearing°> & p=<pitch°> & tab= & ind= & per=
 *   & cm=<class method> & cc=<class count> & l=<name>:<0|1>,... & sel=<area id> & fp=
 *   & s.<slice>=<JSON>
 * Decoding is tolerant field by field: a bad field is dropped and reported, the rest is kept.
 */

export const HASH_VERSION = 1;

/** Camera: centre as [lon, lat] in degrees (WGS84), zoom level, bearing and pitch in degrees. */
export interface Camera {
  center: [number, number];
  zoom: number;
  bearing: number;
  pitch: number;
}

export interface ShareState {
  camera: Camera;
  tab: string;
  indicator: string;
  period: string;
  classMethod: string;
  classCount: number;
  /** Layer toggles by name (true = visible). */
  layers: Record<string, boolean>;
  selectedAreaId: string | null;
  /** Fingerprint of the dataset the state was taken on; '' when none was loaded. */
  fingerprint: string;
  /** Workflow parameters by slice name (JSON values). */
  slices: Record<string, unknown>;
}

/** What a decoded hash holds: any subset of the state, plus what could not be read. */
export interface DecodedHash {
  state: Partial<ShareState>;
  problems: string[];
}

/** Longest string field accepted (ids, names of indicators and periods). */
export const MAX_FIELD_CHARS = 200;
/**
 * Longest JSON text of one slice: slices carry parameters, never data — and a plan's sites,
 * packed (~14 characters a site: a 500-site plan is ~8,000–10,500 characters).
 */
export const MAX_SLICE_CHARS = 14_000;
/**
 * Longest link the app writes, in characters of the URL hash. The hash never reaches a server
 * (no proxy's 8 KB request-line limit applies) and Chrome, Edge, Firefox and Safari open far
 * longer ones; mail, Teams and WeChat carry a link of this length whole. Apps that cut messages
 * at 4,096 characters cannot carry a plan of more than ~200 sites whatever the encoding.
 */
export const MAX_LINK_CHARS = 16_000;
/** Names of state slices and layer toggles: what a link may name. */
export const SLICE_NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;

const NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Round to `digits` decimals without exponent noise. */
function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  // Trailing zeros make links longer without adding information.
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * Encode a state as a URL hash (with the leading `#`). Centre to 7 decimals (~1 cm), zoom
 * to 5 decimals, bearing and pitch to 3: restoring reproduces the view to well under a pixel.
 */
export function encodeHash(state: ShareState): string {
  const q = new URLSearchParams();
  q.set('bp', String(HASH_VERSION));
  const { center, zoom, bearing, pitch } = state.camera;
  q.set('c', `${fixed(center[0], 7)},${fixed(center[1], 7)}`);
  q.set('z', fixed(zoom, 5));
  q.set('b', fixed(bearing, 3));
  q.set('p', fixed(pitch, 3));
  if (state.tab) q.set('tab', state.tab);
  if (state.indicator) q.set('ind', state.indicator);
  if (state.period) q.set('per', state.period);
  if (state.classMethod) q.set('cm', state.classMethod);
  q.set('cc', String(state.classCount));
  const layerNames = Object.keys(state.layers).filter((n) => NAME_RE.test(n)).sort();
  if (layerNames.length) q.set('l', layerNames.map((n) => `${n}:${state.layers[n] ? 1 : 0}`).join(','));
  if (state.selectedAreaId) q.set('sel', state.selectedAreaId);
  if (state.fingerprint) q.set('fp', state.fingerprint);
  for (const name of Object.keys(state.slices).sort()) {
    const value = state.slices[name];
    if (!NAME_RE.test(name) || value === undefined) continue;
    q.set(`s.${name}`, JSON.stringify(value));
  }
  return '#' + q.toString();
}

function num(q: URLSearchParams, key: string, min: number, max: number, problems: string[]): number | undefined {
  const raw = q.get(key);
  if (raw === null) return undefined;
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x) || x < min || x > max) {
    problems.push(`${key}: ${JSON.stringify(raw.slice(0, 40))} is not a number in [${min}, ${max}]`);
    return undefined;
  }
  return x;
}

function str(q: URLSearchParams, key: string, problems: string[]): string | undefined {
  const raw = q.get(key);
  if (raw === null) return undefined;
  if (raw.length === 0 || raw.length > MAX_FIELD_CHARS || /[\u0000-\u001f]/.test(raw)) {
    problems.push(`${key}: not a short text`);
    return undefined;
  }
  return raw;
}

/** Whether a hash looks like one of ours (so other anchors are left alone). */
export function isShareHash(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, '')).has('bp');
}

/** Decode a URL hash (with or without `#`). Unknown keys are ignored; bad values are reported. */
export function decodeHash(hash: string): DecodedHash {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const problems: string[] = [];
  const state: Partial<ShareState> = {};
  const version = q.get('bp');
  if (version === null) return { state, problems: ['not a Branch Planner link (no bp=)'] };
  if (Number(version) > HASH_VERSION) problems.push(`link version ${version} is newer than this app (${HASH_VERSION}); reading what it can`);

  const c = q.get('c');
  let center: [number, number] | undefined;
  if (c !== null) {
    const parts = c.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
    if (parts.length === 2 && Math.abs(parts[0]) <= 180 && Math.abs(parts[1]) <= 90) center = [parts[0], parts[1]];
    else problems.push('c: centre is not "lon,lat" in degrees');
  }
  const zoom = num(q, 'z', 0, 24, problems);
  const bearing = num(q, 'b', -360, 360, problems);
  const pitch = num(q, 'p', 0, 85, problems);
  if (center && zoom !== undefined) {
    state.camera = { center, zoom, bearing: bearing ?? 0, pitch: pitch ?? 0 };
  } else if (c !== null || q.has('z')) {
    problems.push('view: centre and zoom are both needed');
  }

  const tab = str(q, 'tab', problems);
  if (tab !== undefined) state.tab = tab;
  const ind = str(q, 'ind', problems);
  if (ind !== undefined) state.indicator = ind;
  const per = str(q, 'per', problems);
  if (per !== undefined) state.period = per;
  const cm = str(q, 'cm', problems);
  if (cm !== undefined) state.classMethod = cm;
  const cc = num(q, 'cc', 2, 12, problems);
  if (cc !== undefined) {
    if (Number.isInteger(cc)) state.classCount = cc;
    else problems.push('cc: class count is not a whole number');
  }
  const l = q.get('l');
  if (l !== null) {
    const layers: Record<string, boolean> = {};
    for (const part of l.split(',')) {
      const m = /^([A-Za-z0-9_.-]{1,64}):([01])$/.exec(part);
      if (m) layers[m[1]] = m[2] === '1';
      else problems.push(`l: cannot read layer toggle ${JSON.stringify(part.slice(0, 40))}`);
    }
    state.layers = layers;
  }
  const sel = str(q, 'sel', problems);
  if (sel !== undefined) state.selectedAreaId = sel;
  const fp = str(q, 'fp', problems);
  if (fp !== undefined) state.fingerprint = fp;

  const slices: Record<string, unknown> = {};
  for (const [key, raw] of q) {
    if (!key.startsWith('s.')) continue;
    const name = key.slice(2);
    if (!NAME_RE.test(name)) {
      problems.push(`${key.slice(0, 40)}: bad slice name`);
      continue;
    }
    if (raw.length > MAX_SLICE_CHARS) {
      problems.push(`${key}: longer than ${MAX_SLICE_CHARS} characters`);
      continue;
    }
    try {
      slices[name] = JSON.parse(raw);
    } catch {
      problems.push(`${key}: not JSON`);
    }
  }
  if (Object.keys(slices).length) state.slices = slices;
  return { state, problems };
}

/** Whether two cameras are the same view within the hash's rounding. */
export function sameCamera(a: Camera, b: Camera, tol = { deg: 1e-6, zoom: 1e-4, angle: 1e-2 }): boolean {
  const angle = (x: number, y: number) => Math.abs(((x - y + 540) % 360) - 180) <= tol.angle;
  return (
    Math.abs(a.center[0] - b.center[0]) <= tol.deg &&
    Math.abs(a.center[1] - b.center[1]) <= tol.deg &&
    Math.abs(a.zoom - b.zoom) <= tol.zoom &&
    angle(a.bearing, b.bearing) &&
    Math.abs(a.pitch - b.pitch) <= tol.angle
  );
}
