/**
 * What the hotspot pipeline needs from DuckDB, and the two ways it gets it: the DB worker's
 * DbApi (in the browser its comlink remote over the MessageChannel between the two workers,
 * so customer coordinates, the assigned cells and the per-cell totals never pass through the
 * UI thread), or a `Connector` directly (the CLI on native DuckDB, benchmarks, tests).
 *
 * Results cross as Arrow IPC bytes and are decoded into typed arrays here, next to the
 * engine that reads them.
 */
import { DataType, tableFromIPC } from 'apache-arrow';
import type { Connector } from '../../db/connector.ts';
import { quoteIdent, type SqlParam } from '../../sql/ident.ts';

export interface HotspotDbPort {
  /** Small results (column lists, distinct values) as plain rows. */
  query(sql: string, params?: SqlParam[]): Promise<unknown[]>;
  /** A result as Arrow IPC stream bytes. */
  queryArrow(sql: string, params?: SqlParam[]): Promise<Uint8Array>;
  /** Create or replace table `table` (a `derived_` name) from Arrow IPC bytes. */
  putDerived(table: string, ipc: Uint8Array): Promise<void>;
}

/** Numeric result columns by name. */
export type Columns = Record<string, Float64Array | BigInt64Array | BigUint64Array>;

/** A Connector as the pipeline's DB port (what DbApi does for the DB worker, without the worker). */
export function connectorDbPort(conn: Pick<Connector, 'query' | 'queryArrow' | 'exec' | 'insertArrowIPC'>): HotspotDbPort {
  return {
    query: (sql, params = []) => conn.query(sql, params),
    queryArrow: (sql, params = []) => conn.queryArrow(sql, params),
    putDerived: async (table, ipc) => {
      if (!/^derived_[a-z0-9_]+$/.test(table)) throw new Error(`Derived table names look like derived_name: ${table}`);
      await conn.exec(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      await conn.insertArrowIPC(table, ipc);
    },
  };
}

/**
 * Arrow IPC → one typed array per column: 64-bit integers as BigInt64Array / BigUint64Array
 * (H3 cells), everything else as Float64Array with NaN for NULL. Same decoding as
 * `DbApi.columns`.
 */
export function decodeColumns(bytes: Uint8Array): Columns {
  const table = tableFromIPC(bytes);
  const n = table.numRows;
  const out: Columns = {};
  for (const field of table.schema.fields) {
    const vec = table.getChild(field.name)!;
    if (DataType.isInt(field.type) && field.type.bitWidth === 64) {
      const arr = field.type.isSigned ? new BigInt64Array(n) : new BigUint64Array(n);
      for (let i = 0; i < n; i++) arr[i] = (vec.get(i) ?? 0n) as never;
      out[field.name] = arr;
    } else {
      const arr = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = vec.get(i);
        arr[i] = v === null || v === undefined ? NaN : Number(v);
      }
      out[field.name] = arr;
    }
  }
  return out;
}

/** A query's columns through the port. */
export async function queryColumns(db: HotspotDbPort, sql: string, params: SqlParam[] = []): Promise<Columns> {
  return decodeColumns(await db.queryArrow(sql, params));
}
