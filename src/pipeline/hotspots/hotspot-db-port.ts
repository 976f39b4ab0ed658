/**
 * What the hotspot pipeline needs from DuckDB, and the two ways it gets it: the DB worker's
 * DbApi (in the browser its comlink remote over the MessageChannel between the two workers,
 * so customer coordinates, the assigned cells and the per-cell totals never pass through the
 * UI thread), or a `Connector` directly (the CLI on native DuckDB, benchmarks, tests).
 *
 * Results cross as Arrow IPC bytes and are decoded into typed arrays (data/arrow-io.ts) on
 * this side, next to the engine that reads them.
 */
import type { Connector } from '../../db/connector.ts';
import type { SqlParam } from '../../sql/ident.ts';
import { decodeColumns, replaceDerivedTable, type Columns } from '../../data/arrow-io.ts';

export interface HotspotDbPort {
  /** Small results (column lists, distinct values) as plain rows. */
  query(sql: string, params?: SqlParam[]): Promise<unknown[]>;
  /** A result as Arrow IPC stream bytes. */
  queryArrow(sql: string, params?: SqlParam[]): Promise<Uint8Array>;
  /** Create or replace table `table` (a `derived_` name) from Arrow IPC bytes. */
  putDerived(table: string, ipc: Uint8Array): Promise<void>;
}

export type { Columns };

/** A Connector as the pipeline's DB port (what DbApi does for the DB worker, without the worker). */
export function connectorDbPort(conn: Pick<Connector, 'query' | 'queryArrow' | 'exec' | 'insertArrowIPC'>): HotspotDbPort {
  return {
    query: (sql, params = []) => conn.query(sql, params),
    queryArrow: (sql, params = []) => conn.queryArrow(sql, params),
    putDerived: (table, ipc) => replaceDerivedTable(conn, table, ipc),
  };
}

/** A query's columns through the port. */
export async function queryColumns(db: HotspotDbPort, sql: string, params: SqlParam[] = []): Promise<Columns> {
  return decodeColumns(await db.queryArrow(sql, params));
}
