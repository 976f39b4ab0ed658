/**
 * Workflows add their parameters to permalinks, snapshots and presentation steps by
 * registering a state slice: a name, a getter that returns a small JSON value (parameters,
 * never rows of data) and a setter that applies one. The share module calls `get` when it
 * captures the state and `set` when it restores one.
 *
 *     registerStateSlice('risk', {
 *       get: () => ({ weights: risk.weights, normalization: risk.normalization }),
 *       set: (v) => risk.applyParams(v),      // validate: the value may come from a link
 *     });
 *
 * `set` receives untrusted JSON (a link can be edited by anyone): check its shape, ignore
 * what does not fit. A slice marked `privacy: 'individual'` (e.g. a selected customer id) is
 * left out of links and exported files while safe sharing is on.
 */
import { MAX_SLICE_CHARS, SLICE_NAME_RE } from '../../pipeline/share/permalink.ts';
import { DEFAULT_K } from '../../pipeline/share/safe-cells.ts';

export type SlicePrivacy = 'aggregate' | 'individual';

/** How the state is being captured: safe sharing on or off, and its k (small-cell rule). */
export interface CaptureContext {
  safe: boolean;
  k: number;
}

export interface StateSlice {
  /** `ctx`: a slice that carries aggregate figures masks those below `ctx.k` when `ctx.safe`. */
  get: (ctx: CaptureContext) => unknown;
  set: (value: unknown) => void;
  privacy?: SlicePrivacy;
  /**
   * The parameters in words, in the UI language, for the provenance footer of exports
   * (e.g. ["Getis-Ord Gi*", "Customers", "H3 resolution 8"]). Never JSON.
   */
  describe?: () => string[];
  /**
   * What the last `get` had to leave out of a link, in the UI language (e.g. a plan too long
   * for one), shown under the link; undefined when nothing was.
   */
  note?: () => string | undefined;
}

const slices = new Map<string, StateSlice>();


/** Register (or replace) a slice. Returns a function that unregisters it. */
export function registerStateSlice(name: string, slice: StateSlice): () => void;
export function registerStateSlice(name: string, get: () => unknown, set: (value: unknown) => void): () => void;
export function registerStateSlice(name: string, a: StateSlice | (() => unknown), b?: (value: unknown) => void): () => void {
  if (!SLICE_NAME_RE.test(name)) throw new Error(`State slice names are 1–64 letters, digits, _ . -: ${JSON.stringify(name)}`);
  const slice: StateSlice = typeof a === 'function' ? { get: a, set: b ?? (() => {}) } : a;
  slices.set(name, slice);
  return () => {
    if (slices.get(name) === slice) slices.delete(name);
  };
}

export function registeredSliceNames(): string[] {
  return [...slices.keys()].sort();
}

/** Names of the slices marked individual-level (left out of anything shared in safe mode). */
export function individualSliceNames(): string[] {
  return [...slices].filter(([, s]) => s.privacy === 'individual').map(([n]) => n).sort();
}

/** The notes of the slices' last capture (StateSlice.note), for the Share panel. */
export function captureNotes(): string[] {
  return [...slices.values()].flatMap((s) => s.note?.() ?? []);
}

/** The words a slice gives for its current parameters (none when it has no `describe`). */
export function describeSlice(name: string): string[] {
  const s = slices.get(name);
  if (!s?.describe) return [];
  try {
    return s.describe();
  } catch {
    return [];
  }
}

/**
 * Current values of all slices. With `safe`, individual-level slices are left out. A slice
 * whose getter throws, or whose JSON is longer than `maxChars`, is left out and reported.
 */
export function captureSlices(opts: { safe: boolean; k?: number; maxChars?: number }): { values: Record<string, unknown>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const max = opts.maxChars ?? MAX_SLICE_CHARS;
  for (const [name, s] of slices) {
    if (opts.safe && s.privacy === 'individual') continue;
    try {
      const v = s.get({ safe: opts.safe, k: opts.k ?? DEFAULT_K });
      if (v === undefined) continue;
      const json = JSON.stringify(v);
      if (json.length > max) {
        problems.push(`${name}: ${json.length} characters of state (limit ${max}) — slices carry parameters, not data`);
        continue;
      }
      values[name] = JSON.parse(json);
    } catch (e) {
      problems.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { values, problems };
}

/** Apply saved slice values. Unknown names are reported (their workflow may not be loaded). */
export function applySlices(values: Record<string, unknown>): { applied: string[]; problems: string[] } {
  const applied: string[] = [];
  const problems: string[] = [];
  for (const [name, v] of Object.entries(values)) {
    const s = slices.get(name);
    if (!s) {
      problems.push(`${name}: no workflow here reads this state`);
      continue;
    }
    try {
      s.set(v);
      applied.push(name);
    } catch (e) {
      problems.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { applied, problems };
}
