/**
 * Public API of the loading layer, for the browser DB worker and the CLI (browser-safe: no Node
 * imports; exceljs and parquet-wasm are loaded lazily when a file needs them).
 *
 *   const conn = await WasmConnector.create(db);            // src/db/wasm-connector.ts
 *   const report = await loadInputs(conn, inputs, { areas: previous?.areas }, { onProgress, signal });
 *   // report.areas → the map; tables areas/indicators/customers/sites/candidates/rejects replaced
 *   const first = await readRejects(conn, 'rejects', 100);  // rows for the rejects panel
 *
 * Failures: `LoadError` (`problems` per file, `rejects` found so far; nothing committed) and
 * `LoadCancelled` (name 'AbortError'; nothing committed). Registered files live under
 * `upload/`, so the worker's `allowed_directories = ['upload/']` lockdown keeps working.
 */
export { loadInputs, readRejects } from './load-inputs.ts';
export { guessMapping, normalizeName, CONTRACT } from './column-guess.ts';
export { LoadError, LoadCancelled, formatProblem } from './errors.ts';
export { validateAreas } from './geojson.ts';
export type * from './types.ts';
export { INPUT_KINDS, POINT_KINDS } from './types.ts';
export { WARNING_CODES, warningText, type LoadWarning, type WarningCode } from './load-warnings.ts';
