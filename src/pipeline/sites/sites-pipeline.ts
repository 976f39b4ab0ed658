/**
 * One recommendation run, start to end: prepare (demand, candidates, coverage sets), solve
 * with the chosen objective, bootstrap robustness. The browser runs it in a dedicated
 * worker (workers/sites-solve.worker.ts) that a cancel terminates — the core solvers are
 * synchronous, so a cancel message could not reach them otherwise; Node tests and the
 * benchmark call it directly.
 */
import type { SiteProgress } from '../../core/coverage.ts';
import { prepareSitesData, type DemandSource, type NetworkSites, type PointSet, type PrepareRequest, type SitesData } from './sites-model.ts';
import { bootstrapRobustness, ownHuffSharePct, solveSites, type ExactSolver, type SolveOutcome, type SolveRequest, type SolveReuse } from './sites-solve.ts';

export interface SitesRunRequest extends PrepareRequest, SolveRequest {
  /** Bootstrap replicates for the robustness column; 0 = none. */
  replicates: number;
  seed?: number;
}

export interface PipelineSource extends DemandSource {
  network: NetworkSites;
  candidatesFile: PointSet | null;
}

export interface SitesRunOutput {
  data: SitesData;
  outcome: SolveOutcome;
  /** Percent per outcome row; NaN when no bootstrap was run. */
  robustnessPct: Float64Array;
  /** Our Huff share of total demand before any new site, percent. */
  ownShareBeforePct: number;
  timings: { prepareMs: number; solveMs: number; bootstrapMs: number };
}

export interface PipelineHooks {
  exact?: ExactSolver;
  signal?: AbortSignal;
  onProgress?: (p: SiteProgress) => void;
  yieldNow?: () => Promise<void>;
  /** Compute our Huff share before any new site (default true; the CLI skips it unless it reports Huff). */
  ownShare?: boolean;
}

export async function runSitesPipeline(src: PipelineSource, req: SitesRunRequest, hooks: PipelineHooks = {}): Promise<SitesRunOutput> {
  const t0 = performance.now();
  hooks.onProgress?.({ stage: 'prepare', done: 0, total: 1 });
  const data = prepareSitesData(src, req, { signal: hooks.signal, onProgress: hooks.onProgress });
  const t1 = performance.now();
  await hooks.yieldNow?.();
  hooks.signal?.throwIfAborted();
  hooks.onProgress?.({ stage: 'solve', done: 0, total: 1 });
  // The bootstrap re-solves on the same points: what the solve prepared is handed over, for this run only.
  const reuse: SolveReuse | undefined = req.replicates > 0 ? {} : undefined;
  const outcome = await solveSites(data, req, { exact: hooks.exact, signal: hooks.signal, onProgress: hooks.onProgress, reuse });
  const t2 = performance.now();
  const robustnessPct = req.replicates > 0
    ? await bootstrapRobustness(data, outcome, req, { replicates: req.replicates, seed: req.seed, signal: hooks.signal, onProgress: hooks.onProgress, yieldNow: hooks.yieldNow, reuse })
    : new Float64Array(outcome.rows.length).fill(NaN);
  const t3 = performance.now();
  return {
    data,
    outcome,
    robustnessPct,
    ownShareBeforePct: hooks.ownShare === false ? NaN : ownHuffSharePct(data, req.huff, { signal: hooks.signal }),
    timings: { prepareMs: t1 - t0, solveMs: t2 - t1, bootstrapMs: t3 - t2 },
  };
}
