/**
 * Bootstrap robustness on the demo city (issue 12): the UI's default 20 replicates after a
 * k = 5 recommendation, per objective — Huff for branches and for ATMs (the slow case: every
 * replicate re-ran the lazy greedy), coverage and p-median for branches. CPU time of the
 * baseline solve, of bootstrapRobustness (reusing what the solve prepared, as the pipeline
 * does), and of the two together; prepare is not counted.
 * Prints `name<TAB>value<TAB>unit<TAB>target[<TAB>note]`.
 */
import { prepareSitesData, type SiteObjective, type SiteType } from '../src/pipeline/sites/sites-model.ts';
import { bootstrapRobustness, solveSites, type SolveReuse } from '../src/pipeline/sites/sites-solve.ts';
import { demoCells, demoCustomers, demoNetwork, line, measure } from './sites-demo.ts';

const cells = demoCells();
const net = demoNetwork();
const demo = demoCustomers();
const replicates = Number(process.env.BENCH_REPLICATES ?? 20);
// BENCH_CASES=branch_pmedian adds p-median, left out by default: its baseline solve alone
// takes 70-95 s CPU on the demo (the bootstrap itself ~20 s a replicate, from ~57 s).
const only = process.env.BENCH_CASES?.split(',') ?? ['branch_huff', 'atm_huff', 'branch_coverage'];
const cases: { type: SiteType; objective: SiteObjective }[] = [
  { type: 'branch', objective: 'huff' },
  { type: 'atm', objective: 'huff' },
  { type: 'branch', objective: 'coverage' },
  { type: 'branch', objective: 'pmedian' },
];
for (const { type, objective } of cases) {
  const tag = `${type}_${objective}`;
  if (!only.includes(tag)) continue;
  const data = prepareSitesData(
    { cells, points: { lon: demo.lon, lat: demo.lat, weight: new Float64Array(demo.lon.length).fill(1) }, customers: null, areaPopulation: null, network: net, candidatesFile: null },
    { siteType: type, demand: { measure: 'customers' } },
  );
  const req = { objective, solver: 'greedy' as const, k: 5 };
  // As the pipeline runs them: the bootstrap reuses what the solve prepared.
  const reuse: SolveReuse = {};
  const solved = await measure(() => solveSites(data, req, { reuse }));
  const b = await measure(() => bootstrapRobustness(data, solved.r, req, { replicates, seed: 1, reuse }));
  const pct = Array.from(b.r, (x) => x.toFixed(0)).join('/');
  line(`sites.bootstrap_demo_${tag}_k5_solve_cpu_ms`, solved.cpuMs, 'ms', '-', `candidates ${data.candidates.id.length}; points ${data.demand.lon.length}`);
  line(`sites.bootstrap_demo_${tag}_k5_r${replicates}_cpu_ms`, b.cpuMs, 'ms', '-', `wall ${b.wallMs.toFixed(0)} ms; robustness % ${pct}`);
  line(`sites.bootstrap_demo_${tag}_k5_solve_and_r${replicates}_cpu_ms`, solved.cpuMs + b.cpuMs, 'ms', '-');
}
