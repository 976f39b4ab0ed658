import * as Comlink from 'comlink';
import { AnalysisApi } from './analysis-api.ts';

const api = new AnalysisApi();
Comlink.expose(api);
// Reachable from CDP (the scale benchmark reads the last assignment's times).
(globalThis as { __bpAnalysis?: AnalysisApi }).__bpAnalysis = api;
