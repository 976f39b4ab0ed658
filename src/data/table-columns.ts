/**
 * The columns of a loaded table, through whatever runs SQL here: a Connector, the DB worker
 * or its comlink remote.
 */
import { tableColumnsSql } from '../sql/columns.ts';
import type { SqlParam } from '../sql/ident.ts';

/** The one thing this needs from an engine. */
export interface QueryPort {
  query(sql: string, params?: SqlParam[]): Promise<unknown[]>;
}

export interface TableColumn {
  name: string;
  /** DuckDB type, e.g. DOUBLE, VARCHAR, DECIMAL(18,3). */
  type: string;
}

/** Columns of `table` in table order; empty when the table does not exist. */
export async function tableColumns(db: QueryPort, table: string): Promise<TableColumn[]> {
  const { sql, params } = tableColumnsSql(table);
  const rows = (await db.query(sql, params)) as { name: string; type: string }[];
  return rows.map((r) => ({ name: String(r.name), type: String(r.type) }));
}
