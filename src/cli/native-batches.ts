/**
 * Streaming rows out of native DuckDB in batches of typed arrays (Node-only): the demand-cell
 * aggregation reads 100M customers this way without ever holding them all in the JS heap.
 * The query must return only non-null DOUBLE columns (lon, lat, sums with NaN for empty) then
 * non-null INTEGER columns (group codes): the caller's SQL coalesces, so each DuckDB vector's
 * data is copied as one typed array, without per-value conversion.
 */
import duckdb from '@duckdb/node-bindings';
import { DuckDBTypeId, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { SqlParam } from '../sql/ident.ts';
import type { PointBatch } from '../pipeline/cells/demand-cells.ts';

/** Rows of one fixed-width result column, as its typed array (Float64Array, Int32Array, BigUint64Array…). */
export type ColumnSlice = ArrayLike<number | bigint> & { buffer: ArrayBufferLike; byteOffset: number };

type FixedCtor = Float64ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor | Int8ArrayConstructor | Uint8ArrayConstructor;

/** The fixed-width result types a streamed column may have, by their typed array. */
const FIXED: Partial<Record<DuckDBTypeId, FixedCtor>> = {
  [DuckDBTypeId.DOUBLE]: Float64Array,
  [DuckDBTypeId.INTEGER]: Int32Array,
  [DuckDBTypeId.UINTEGER]: Uint32Array,
  [DuckDBTypeId.BIGINT]: BigInt64Array,
  [DuckDBTypeId.UBIGINT]: BigUint64Array,
  [DuckDBTypeId.SMALLINT]: Int16Array,
  [DuckDBTypeId.USMALLINT]: Uint16Array,
  [DuckDBTypeId.TINYINT]: Int8Array,
  [DuckDBTypeId.UTINYINT]: Uint8Array,
};

/**
 * One piece of a streamed chunk that fits the caller's batch: rows `at … at + take` of the batch
 * being filled; `column(j)` is those rows of result column j (a fixed-width vector); `full` when
 * the batch is full after it (the next piece starts a new batch at 0).
 */
export interface RowSlice {
  at: number;
  take: number;
  full: boolean;
  column(j: number): ColumnSlice;
}

/** Whether the first `n` rows of a vector's validity mask (null: all valid) are all valid. */
function allValid(validity: Uint8Array | null, n: number): boolean {
  if (validity === null) return true;
  for (let i = 0; i < n >> 3; i++) if (validity[i] !== 0xff) return false;
  for (let i = n & ~7; i < n; i++) if (!(validity[i >> 3] & (1 << (i & 7)))) return false;
  return true;
}

/**
 * How far DuckDB may read ahead of a streamed result's reader. Its default (976 KiB, some 40,000
 * of the CLI's rows) made its threads stop whenever this thread was busy with a batch (sending
 * it for cells, folding), so the cores took turns instead of working together: 100M customers'
 * hotspots took 108 s wall with it, 55 s with 64 MB (CPU 140 → 104 s; peak RSS 2.06 → 2.10 GB).
 * DuckDB keeps the rows in order whatever the buffer (preserve_insertion_order).
 */
export const STREAM_BUFFER = '64MB';

/**
 * Run `sql` and cut its chunks into pieces that fill batches of `batchRows` rows exactly. Every
 * result column must be fixed-width and never NULL (the caller's SQL coalesces): each chunk's
 * column is read straight from DuckDB's vector through @duckdb/node-bindings as a typed array
 * view, without node-api's per-vector type and validity objects (half the main thread's fetch
 * time at 100M rows). A NULL or a wider type is an internal error.
 */
export async function* streamRowSlices(conn: DuckDBConnection, sql: string, params: readonly SqlParam[], batchRows: number): AsyncGenerator<RowSlice> {
  // DuckDB's default comes back when the stream ends, read to the end or not
  await conn.run(`SET streaming_buffer_size = '${STREAM_BUFFER}'`);
  try {
    yield* sliceStream(conn, sql, params, batchRows);
  } finally {
    await conn.run('RESET streaming_buffer_size');
  }
}

async function* sliceStream(conn: DuckDBConnection, sql: string, params: readonly SqlParam[], batchRows: number): AsyncGenerator<RowSlice> {
  const streamed = await conn.stream(sql, params.length ? (params as DuckDBValue[]) : undefined);
  const ctors = Array.from({ length: streamed.columnCount }, (_, j) => {
    const ctor = FIXED[streamed.columnTypeId(j)];
    if (!ctor) throw new Error(`internal: streamed column ${j} is not a fixed-width number`);
    return ctor;
  });
  // node-api keeps the C result handle in its protected `result`
  const result = (streamed as unknown as { result: duckdb.Result }).result;
  let at = 0;
  for (;;) {
    const chunk = await duckdb.fetch_chunk(result);
    if (!chunk) break;
    const n = duckdb.data_chunk_get_size(chunk);
    if (n === 0) break;
    const views: (ColumnSlice | undefined)[] = new Array(ctors.length);
    const view = (j: number): ColumnSlice => {
      let v = views[j];
      if (v === undefined) {
        const vector = duckdb.data_chunk_get_vector(chunk, j);
        const Ctor = ctors[j];
        const bytes = duckdb.vector_get_data(vector, n * Ctor.BYTES_PER_ELEMENT);
        if (!allValid(duckdb.vector_get_validity(vector, Math.ceil(n / 64) * 8), n)) throw new Error(`internal: streamed column ${j} has a NULL`);
        v = views[j] = new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, n);
      }
      return v;
    };
    for (let from = 0; from < n; ) {
      const take = Math.min(n - from, batchRows - at);
      const start = from;
      const column = (j: number) => {
        const v = view(j) as ColumnSlice & { subarray(a: number, b: number): ColumnSlice };
        return start === 0 && take === n ? v : v.subarray(start, start + take);
      };
      const full = at + take === batchRows;
      yield { at, take, full, column };
      at = full ? 0 : at + take;
      from += take;
    }
  }
}

/** Rows per batch: large enough for the assignment helpers to pay off, small enough to stay cheap. */
export const BATCH_ROWS = 1 << 20;

/**
 * Run `sql` and yield its rows as PointBatch: columns 0 and 1 are lon, lat; then `sums` DOUBLE
 * columns; then `groups` INTEGER columns.
 */
export async function* streamPointBatches(
  conn: DuckDBConnection,
  sql: string,
  params: readonly SqlParam[],
  sums: number,
  groups: number,
  batchRows = BATCH_ROWS,
): AsyncGenerator<PointBatch> {
  const doubles = 2 + sums;
  const alloc = () => ({
    d: Array.from({ length: doubles }, () => new Float64Array(batchRows)),
    g: Array.from({ length: groups }, () => new Int32Array(batchRows)),
  });
  let buf = alloc();
  let at = 0;
  const emit = (n: number): PointBatch => ({
    lon: buf.d[0].subarray(0, n),
    lat: buf.d[1].subarray(0, n),
    sums: buf.d.slice(2).map((a) => a.subarray(0, n)),
    groups: buf.g.map((a) => a.subarray(0, n)),
  });
  for await (const slice of streamRowSlices(conn, sql, params, batchRows)) {
    for (let j = 0; j < doubles + groups; j++) {
      const src = slice.column(j);
      if (j < doubles) buf.d[j].set(src as Float64Array, slice.at);
      else buf.g[j - doubles].set(src as Int32Array, slice.at);
    }
    at = slice.at + slice.take;
    if (slice.full) {
      yield emit(at);
      buf = alloc();
      at = 0;
    }
  }
  if (at > 0) yield emit(at);
}
