/**
 * The typed APIs of the app's workers, as the UI reaches them through comlink. The UI imports
 * worker types from here only; each worker entry exposes one of these.
 */
export type { BrowserDbApi as DbWorkerApi } from './db.worker.ts';
export type { AnalysisApi } from './analysis-api.ts';
export type { ImportInspectorApi } from './import-inspect.worker.ts';
export type { PdfWorkerApi } from './pdf.worker.ts';
export type { PdfJob } from './pdf-api.ts';
