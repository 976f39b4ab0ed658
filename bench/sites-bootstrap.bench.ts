/**
 * Bootstrap robustness on the demo city (issue 12): the UI's default 20 replicates after a
 * k = 5 recommendation, per objective — Huff for branches and for ATMs (the slow case: every
 * replicate re-ran the lazy greedy), coverage and p-median for branches (p-median also at
 * k = 10). CPU time of the baseline solve, of bootstrapRobustness (reusing what the solve
 * prepared, as the pipeline does), and of the two together; prepareSitesData is not counted
 * (p-median's own pairs are: the solve builds them). For p-median the note gives the plan's
 * Σ customers · metres to the nearest own branch (uncapped), to compare solver versions.
 * Prints `name<TAB>value<TAB>unit<TAB>target[<TAB>note]`.
 */
import { prepareSitesData, type SiteObjective, type SiteType } from '../src/pipeline/sites/sites-model.ts';
import { bootstrapRobustness, solveSites, type SolveReuse } from '../src/pipeline/sites/sites-solve.ts';
import { demoCells, demoCustomers, demoNetwork, line, measure } from './sites-demo.ts';

const cells = demoCells();
const net = demoNetwork();
const demo = demoCustomers();
const replicates = Number(process.env.BENCH_REPLICATES ?? 20);
// BENCH_CASES=branch_pmedian,… picks cases. p-median on the demo took 70-95 s CPU to solve
// (and ~20 s a replicate) before its pairs were pruned to those nearer than the nearest branch.
const only = process.env.BENCH_CASES?.split(',') ?? ['branch_huff', 'atm_huff', 'branch_coverage', 'branch_pmedian'];
const cases: { type: SiteType; objective: SiteObjective; k: number }[] = [
  { type: 'branch', objective: 'huff', k: 5 },
  { type: 'atm', objective: 'huff', k: 5 },
  { type: 'branch', objective: 'coverage', k: 5 },
  { type: 'branch', objective: 'pmedian', k: 5 },
  { type: 'branch', objective: 'pmedian', k: 10 },
];
for (const { type, objective, k } of cases) {
  const tag = `${type}_${objective}`;
  if (!only.includes(tag)) continue;
  const data = prepareSitesData(
    { cells, points: { lon: demo.lon, lat: demo.lat, weight: new Float64Array(demo.lon.length).fill(1) }, customers: null, areaPopulation: null, network: net, candidatesFile: null },
    { siteType: type, demand: { measure: 'customers' } },
  );
  const req = { objective, solver: 'greedy' as const, k };
  // As the pipeline runs them: the bootstrap reuses what the solve prepared.
  const reuse: SolveReuse = {};
  const solved = await measure(() => solveSites(data, req, { reuse }));
  const b = await measure(() => bootstrapRobustness(data, solved.r, req, { replicates, seed: 1, reuse }));
  const pct = Array.from(b.r, (x) => x.toFixed(0)).join('/');
  const last = solved.r.rows.at(-1);
  const plan = objective === 'pmedian' && last ? `; Σ w·d ${last.totalCost.toFixed(0)} m, mean ${last.meanCost.toFixed(1)} m` : '';
  const pm = objective === 'pmedian';
  line(`sites.bootstrap_demo_${tag}_k${k}_solve_cpu_ms`, solved.cpuMs, 'ms', pm ? '≤ 5000' : '-', `candidates ${data.candidates.id.length}; points ${data.demand.lon.length}${plan}`);
  line(`sites.bootstrap_demo_${tag}_k${k}_r${replicates}_cpu_ms`, b.cpuMs, 'ms', pm ? `≤ ${2000 * replicates}` : '-', `wall ${b.wallMs.toFixed(0)} ms; robustness % ${pct}`);
  line(`sites.bootstrap_demo_${tag}_k${k}_solve_and_r${replicates}_cpu_ms`, solved.cpuMs + b.cpuMs, 'ms', '-');
}
