/**
 * Where a load's time goes, for the scale benchmark (bench/scale-browser.bench.ts): a Connector
 * that, while tracing is on, records every engine call (its kind, the head of its SQL, start and
 * duration in ms). Time between two calls is JS work in the DB worker (the CSV scan, the point
 * round trips). Off by default; nothing is recorded or kept then.
 */
import type { Connector } from '../../db/connector.ts';

export interface TraceEntry {
  /** ms since tracing was turned on. */
  at: number;
  ms: number;
  call: string;
  /** First characters of the SQL (whitespace collapsed) or the file name. */
  what: string;
}

export class SqlTrace {
  private on = false;
  private t0 = 0;
  private entries: TraceEntry[] = [];

  start(): void {
    this.on = true;
    this.t0 = performance.now();
    this.entries = [];
  }

  stop(): TraceEntry[] {
    this.on = false;
    const out = this.entries;
    this.entries = [];
    return out;
  }

  /** A mark with no duration (e.g. a load step's start), when tracing. */
  mark(what: string): void {
    if (this.on) this.entries.push({ at: performance.now() - this.t0, ms: 0, call: 'mark', what });
  }

  /** `conn` with its calls timed while tracing is on. */
  wrap(conn: Connector): Connector {
    const timed = <A extends unknown[], R>(call: string, f: (...a: A) => Promise<R>, what: (...a: A) => string) =>
      async (...a: A): Promise<R> => {
        if (!this.on) return f(...a);
        const s = performance.now();
        try {
          return await f(...a);
        } finally {
          const e = performance.now();
          this.entries.push({ at: s - this.t0, ms: e - s, call, what: what(...a).replace(/\s+/g, ' ').slice(0, 160) });
        }
      };
    const sql = (s: string) => s;
    return {
      engine: conn.engine,
      fileRoot: conn.fileRoot,
      query: timed('query', (s: string, p?: Parameters<Connector['query']>[1]) => conn.query(s, p), sql),
      queryArrow: timed('queryArrow', (s: string, p?: Parameters<Connector['queryArrow']>[1]) => conn.queryArrow(s, p), sql),
      exec: timed('exec', (s: string) => conn.exec(s), sql),
      registerFile: timed('registerFile', (n: string, b: Uint8Array) => conn.registerFile(n, b), (n) => n),
      registerBlob: timed('registerBlob', (n: string, b: Blob) => conn.registerBlob(n, b), (n) => n),
      dropFile: timed('dropFile', (n: string) => conn.dropFile(n), (n) => n),
      insertArrowIPC: timed('insertArrowIPC', (t: string, ipc: Uint8Array) => conn.insertArrowIPC(t, ipc), (t) => t),
      ...(conn.appendArrowIPC ? { appendArrowIPC: timed('appendArrowIPC', (t: string, ipc: Uint8Array) => conn.appendArrowIPC!(t, ipc), (t) => t) } : {}),
      interrupt: () => conn.interrupt(),
      close: () => conn.close(),
    } as Connector;
  }
}
