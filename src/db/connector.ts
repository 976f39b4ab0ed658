/**
 * The one IO seam between our SQL and a DuckDB engine (after mosaic's Connector).
 * Implemented for duckdb-wasm (browser worker and Node tests) and for native DuckDB
 * (@duckdb/node-api, the CLI). Everything that loads or aggregates data is written
 * against this interface so the same SQL and the same tests run on both engines.
 */
import type { SqlParam } from '../sql/ident.ts';

export type { SqlParam };

export interface Connector {
  /** Engine name for messages and test titles: 'duckdb-wasm' or 'duckdb-native'. */
  readonly engine: string;
  /**
   * Where a registered name `dir/file` really lives, as DuckDB's `allowed_directories` must
   * name it: '' on duckdb-wasm (virtual names), the private temporary directory natively.
   */
  readonly fileRoot: string;
  /**
   * Run one statement with positional parameters ($1, $2, ...) bound as values, and return
   * its rows as plain objects. For small results only (reports, summaries): big results
   * use `queryArrow`. BIGINT values come back as bigint; cast HUGEINT (e.g. `sum(BIGINT)`) and
   * DECIMAL in SQL, the engines differ there. Cast parameters in SQL too (`$1::DOUBLE`): native
   * DuckDB binds a JS integer as INTEGER, duckdb-wasm sends parameters as JSON (a bigint outside
   * ±2^53 travels as decimal text, exact under `$1::BIGINT` / `::UBIGINT`).
   */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /**
   * Run one statement and return its result as Arrow IPC stream bytes (transferable). Column
   * types follow the SQL: cast to DOUBLE / INTEGER / VARCHAR for the same Arrow types on both
   * engines.
   */
  queryArrow(sql: string, params?: readonly SqlParam[]): Promise<Uint8Array>;
  /** Run statements that return nothing (DDL, SET, INSERT ... SELECT). */
  exec(sql: string): Promise<void>;
  /**
   * Make `bytes` readable from SQL under the virtual file name `name` (e.g. in
   * `read_csv($1)`). The native engine writes them to a private temporary file.
   */
  registerFile(name: string, bytes: Uint8Array): Promise<void>;
  /**
   * Make a Blob (the browser's File, disk-backed) readable under `name` without copying it into
   * memory where the engine allows: duckdb-wasm in a browser reads it in place through a
   * FileReader; under Node it is copied in; natively it is streamed to a private temporary file.
   */
  registerBlob(name: string, blob: Blob): Promise<void>;
  /** Forget a registered file. */
  dropFile(name: string): Promise<void>;
  /**
   * Create table `table` from an Arrow IPC stream (cross-version safe, unlike Table objects).
   * The bytes are copied, never detached. A stream without rows creates the empty table.
   */
  insertArrowIPC(table: string, ipc: Uint8Array): Promise<void>;
  /**
   * Append an Arrow IPC stream's rows to the existing table `table` (temporary tables too),
   * columns by position, without a table per batch. Optional: without it, callers insert the
   * batch as a table of its own and `INSERT … SELECT` it.
   */
  appendArrowIPC?(table: string, ipc: Uint8Array): Promise<void>;
  /**
   * Interrupt the running statement, if any (cancellation); it fails with an error and the
   * connection stays usable. On duckdb-wasm only parameter-free statements can be interrupted.
   */
  interrupt(): Promise<void>;
  close(): Promise<void>;
}
