// Worker entry for duckdb-wasm under Node (loaded by createNodeWasmConnector through the
// `web-worker` package). duckdb-wasm's worker console.logs every failed query's Error before
// passing it back to the caller, who already receives it: silence that so CLI and test output
// show each error once. console.error/warn stay.
console.log = () => {};
require('@duckdb/duckdb-wasm/dist/duckdb-node-eh.worker.cjs');
