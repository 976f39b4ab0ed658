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
  items?: { length: number; subarray(a: number, b: number): ArrayLike<number> };
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
  const result = await conn.stream(sql, params.length ? (params as DuckDBValue[]) : undefined);
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
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    let from = 0;
    while (from < n) {
      const take = Math.min(n - from, batchRows - at);
      for (let j = 0; j < doubles + groups; j++) {
        const v = chunk.getColumnVector(j) as unknown as ItemsVector;
        if (!v.items) throw new Error('internal: streamed column is not a fixed-width vector');
        const src = v.items.subarray(from, from + take);
        if (j < doubles) buf.d[j].set(src as Float64Array, at);
        else buf.g[j - doubles].set(src as Int32Array, at);
      }
      at += take;
      from += take;
      if (at === batchRows) {
        yield emit(at);
        buf = alloc();
        at = 0;
      }
    }
  }
  if (at > 0) yield emit(at);
}
