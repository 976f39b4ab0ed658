/**
 * The exact solvers (HiGHS MILP) behind `ExactSolver`, in the calling thread. The browser
 * calls this inside workers/sites-solve.worker.ts (with the wasm URL from Vite); the CLI
 * and Node tests call it directly (the loader finds highs.wasm beside itself).
 */
import { loadHighs, type InitOptions } from '../../core/highs-solver.ts';
import { solveLscpExact } from '../../core/lscp.ts';
import { solveMclpExact } from '../../core/mclp-exact.ts';
import { solvePMedianExact } from '../../core/p-median-exact.ts';
import type { ExactSolver } from './sites-solve.ts';

export function inProcessExact(init?: InitOptions): ExactSolver {
  return async (kind, problem, options, hooks) => {
    const highs = await loadHighs(init);
    if (kind === 'pmedian') {
      if (!options.pmedian) throw new Error('internal: the p-median exact solver needs its input');
      return solvePMedianExact(highs, options.pmedian, { ...options, signal: hooks.signal, onProgress: hooks.onProgress });
    }
    if (kind === 'mclp') {
      return solveMclpExact(highs, problem, { ...options, signal: hooks.signal, onProgress: hooks.onProgress });
    }
    return solveLscpExact(highs, problem, { ...options, targetShare: options.targetShare ?? 0.9, signal: hooks.signal, onProgress: hooks.onProgress });
  };
}
