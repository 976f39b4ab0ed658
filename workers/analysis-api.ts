/**
 * The analysis worker's contract: statistics from src/core, run off the UI thread. A plain
 * class so Node tests call it directly; workers/analysis.worker.ts exposes it with comlink.
 */
import { classBreaks, type ClassMethod } from '../src/core/classify.ts';
import { TaskRegistry } from './tasks.ts';

export class AnalysisApi {
  protected readonly tasks = new TaskRegistry();

  /** Class breaks of a numeric column for a choropleth (see src/core/classify.ts). */
  classify(values: Float64Array, k: number, method: ClassMethod): number[] {
    return classBreaks(values, k, method);
  }

  cancel(taskId: number): boolean {
    return this.tasks.cancel(taskId);
  }
}
