/**
 * The import inspector: reads dropped files' headers, sheets and encodings off the main thread
 * (exceljs parses a whole workbook; a GeoJSON can be tens of MB). Separate from the DB worker so
 * inspecting a new file never waits behind a running load.
 */
import * as Comlink from 'comlink';
import { inspectFile } from '../src/data/import-inspect.ts';

const api = { inspect: inspectFile };
export type ImportInspectorApi = typeof api;
Comlink.expose(api);
