/**
 * Customers → H3 cells on more than one core. h3-js `latLngToCell` costs ~1.3 µs per point
 * here (1M customers ≈ 1.3 s on one core); `assignCells` goes through the lattice locator
 * (core/h3-locate.ts, the same cells, ~0.25 µs per point, h3-js asked once per distinct cell),
 * and the analysis worker still assigns the first slice itself while helper workers
 * (workers/hotspot-assign.worker.ts) assign the others. Without SharedArrayBuffer (it needs
 * COOP/COEP headers) each helper gets a copy of its slice of lon/lat (transferred, ~8 MB per
 * 500k points) and transfers its cells back.
 *
 * The local slice runs in chunks with a zero-delay yield (a MessageChannel round trip:
 * setTimeout would be clamped to 4 ms when nested) so a cancel message can get through and
 * progress is reported. A helper that fails to start or answer is replaced by local work, so
 * the result never depends on workers being available.
 */
import { assignCells } from '../../core/grid.ts';

export interface AssignRequest {
  id: number;
  lon: Float64Array;
  lat: Float64Array;
  resolution: number;
}

export type AssignResponse = { id: number; cells: BigUint64Array; error?: undefined } | { id: number; error: string; cells?: undefined };

/** The part of `Worker` the pool uses (a browser Worker, or the `web-worker` package under Node). */
export interface AssignWorkerLike {
  postMessage(message: AssignRequest, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<AssignResponse>) => void): void;
  addEventListener(type: 'error', listener: (e: Event) => void): void;
  terminate(): void;
}

export interface AssignOptions {
  signal?: AbortSignal;
  /** Called with (points done, points total). */
  onProgress?: (done: number, total: number) => void;
}

const CHUNK = 16_384;
const YIELD_EVERY_MS = 40;

function yieldNow(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/**
 * One helper worker's requests, each answered by its id (the lon/lat buffers are transferred).
 * A worker that fails (cannot load, crashes) fails every request it holds and is `dead` after.
 */
export class AssignHelper {
  dead = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (c: BigUint64Array) => void; reject: (e: Error) => void }>();

  constructor(readonly worker: AssignWorkerLike) {
    worker.addEventListener('message', (e: MessageEvent<AssignResponse>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      this.pending.delete(e.data.id);
      if (e.data.cells) p.resolve(e.data.cells);
      else p.reject(new Error(e.data.error));
    });
    worker.addEventListener('error', () => {
      this.dead = true;
      for (const p of this.pending.values()) p.reject(new Error('assignment helper worker failed'));
      this.pending.clear();
    });
  }

  assign(lon: Float64Array, lat: Float64Array, resolution: number): Promise<BigUint64Array> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, lon, lat, resolution }, [lon.buffer, lat.buffer]);
    });
  }
}

export class AssignPool {
  private helpers: AssignHelper[] | null = null;

  /**
   * @param spawn creates one helper worker; null = assign everything in this thread
   * @param helperCount helpers to use (e.g. hardwareConcurrency − 1, at most 3)
   */
  constructor(
    private readonly spawn: (() => AssignWorkerLike) | null,
    private readonly helperCount: number,
  ) {}

  private ensureHelpers(): AssignHelper[] {
    if (this.helpers) return this.helpers;
    this.helpers = [];
    if (!this.spawn) return this.helpers;
    for (let h = 0; h < this.helperCount; h++) {
      try {
        // a helper that cannot load fails every request it holds; they are redone locally
        this.helpers.push(new AssignHelper(this.spawn()));
      } catch {
        break;
      }
    }
    return this.helpers;
  }

  /** Cells of every point (`assignCells` semantics: H3_NULL = 0 for a non-finite coordinate). */
  async assign(lon: Float64Array, lat: Float64Array, resolution: number, options: AssignOptions = {}): Promise<BigUint64Array> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    const n = lon.length;
    if (lat.length !== n) throw new RangeError(`lon and lat differ in length (${n} vs ${lat.length})`);
    const out = new BigUint64Array(n);
    const helpers = n >= 4 * CHUNK ? this.ensureHelpers().filter((h) => !h.dead) : [];
    const parts = helpers.length + 1;
    const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.round((k * n) / parts));
    let done = 0;
    const remote = helpers.map((w, h) => {
      const [a, b] = [bounds[h + 1], bounds[h + 2]];
      return w.assign(lon.slice(a, b), lat.slice(a, b), resolution).then(
        (cells) => {
          out.set(cells, a);
          done += b - a;
        },
        () => assignCells(lon, lat, resolution, out, a, b), // local fallback
      );
    });
    let last = performance.now();
    for (let s = 0; s < bounds[1]; s += CHUNK) {
      const e = Math.min(bounds[1], s + CHUNK);
      assignCells(lon, lat, resolution, out, s, e);
      done += e - s;
      if (performance.now() - last >= YIELD_EVERY_MS) {
        onProgress?.(done, n);
        await yieldNow();
        signal?.throwIfAborted();
        last = performance.now();
      }
    }
    await Promise.all(remote);
    signal?.throwIfAborted();
    onProgress?.(n, n);
    return out;
  }

  terminate(): void {
    for (const h of this.helpers ?? []) h.worker.terminate();
    this.helpers = null;
  }
}
