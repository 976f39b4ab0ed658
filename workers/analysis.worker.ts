import * as Comlink from 'comlink';
import { AnalysisApi } from './analysis-api.ts';

Comlink.expose(new AnalysisApi());
