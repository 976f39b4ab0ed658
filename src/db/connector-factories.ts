/**
 * Every Connector implementation that runs under Node, for test suites that must pass on both
 * engines (STYLE.md: "the same suite runs on duckdb-wasm and native DuckDB"):
 *
 *     describeOnEachEngine('loads on $name', (conn) => { it('…', async () => conn().query(…)) })
 *
 * or, for a suite that manages its own connections, `describe.each(connectorFactories)`.
 * Node-only (native DuckDB, worker threads). Each `create()` opens a fresh in-memory database.
 */
import { afterAll, beforeAll, describe } from 'vitest';
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

const OPEN_TIMEOUT_MS = 60_000;

/**
 * One `describe` per engine (`$name` in the title is the engine's name) whose tests share one
 * connection: opened before the first test, closed after the last. `conn()` is that connection;
 * the suite's own `beforeAll` hooks run after it is open.
 */
export function describeOnEachEngine(title: string, suite: (conn: () => Connector, engine: ConnectorFactory['name']) => void): void {
  describe.each(connectorFactories)(title, ({ name, create }) => {
    let conn: Connector | undefined;
    // Starting duckdb-wasm in a worker takes seconds when the machine is busy: more than
    // vitest's 10 s hook default allows, as long as a test may take.
    beforeAll(async () => {
      conn = await create();
    }, OPEN_TIMEOUT_MS);
    afterAll(async () => {
      await conn?.close();
    });
    suite(() => {
      if (!conn) throw new Error(`${name}: the connection is open only while the suite's tests run`);
      return conn;
    }, name);
  });
}
