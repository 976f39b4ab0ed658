/**
 * Streaming rows out of native DuckDB in batches of typed arrays (Node-only): the demand-cell
 * aggregation reads 100M customers this way without ever holding them all in the JS heap.
 * The query must return only non-null DOUBLE columns (lon, lat, sums with NaN for empty) then
 * non-null INTEGER columns (group codes): the caller's SQL coalesces, so each DuckDB vector's
 * data is copied as one typed array, without per-value conversion.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { SqlParam } from '../sql/ident.ts';
import type { PointBatch } from '../pipeline/cells/demand-cells.ts';

interface ItemsVector {
  items?: { subarray(a: number, b: number): ColumnSlice };
}

/** Rows of one fixed-width result column, as its typed array (Float64Array, Int32Array, BigUint64Array…). */
export type ColumnSlice = ArrayLike<number | bigint> & { buffer: ArrayBufferLike; byteOffset: number };

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

/** Run `sql` and cut its chunks into pieces that fill batches of `batchRows` rows exactly. */
export async function* streamRowSlices(conn: DuckDBConnection, sql: string, params: readonly SqlParam[], batchRows: number): AsyncGenerator<RowSlice> {
  const result = await conn.stream(sql, params.length ? (params as DuckDBValue[]) : undefined);
  let at = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    for (let from = 0; from < n; ) {
      const take = Math.min(n - from, batchRows - at);
      const start = from;
      const column = (j: number) => {
        const v = (chunk.getColumnVector(j) as unknown as ItemsVector).items;
        if (!v) throw new Error('internal: streamed column is not a fixed-width vector');
        return v.subarray(start, start + take);
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
