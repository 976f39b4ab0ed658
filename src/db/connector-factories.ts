/**
 * Every Connector implementation that runs under Node, for test suites that must pass on both
 * engines (STYLE.md: "the same suite runs on duckdb-wasm and native DuckDB"):
 *
 *     describe.each(connectorFactories)('$name', ({ create }) => { ... })
 *
 * Node-only (native DuckDB, worker threads). Each `create()` opens a fresh in-memory database.
 */
import type { Connector } from './connector.ts';
import { NativeConnector } from './native-connector.ts';
import { createNodeWasmConnector } from './node-wasm.ts';

export interface ConnectorFactory {
  name: 'duckdb-native' | 'duckdb-wasm';
  create: () => Promise<Connector>;
}

export const connectorFactories: readonly ConnectorFactory[] = [
  { name: 'duckdb-native', create: () => NativeConnector.create() },
  { name: 'duckdb-wasm', create: () => createNodeWasmConnector() },
];
