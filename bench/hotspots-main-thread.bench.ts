/**
 * UI-thread cost of a hotspot run on 1M customers in headless Chromium: the built app loads
 * a 1M-customer CSV on top of the demo city (as import-browser.bench.ts), then the Hotspots
 * tab is opened and we wait until the Gi* result is on the map. Main-thread busy time over
 * that span is read from the Chrome DevTools Protocol (`Performance.getMetrics`: TaskDuration
 * and ScriptDuration deltas, main thread of the page only; workers are not counted), with the
 * long tasks (> 50 ms) the page saw.
 *
 * With BENCH_BEFORE_DIR set to another checkout with its own built dist/ (e.g. the code before
 * the pipeline moved into the analysis worker), that app is measured first in the same run,
 * then this tree's, and the ratio is printed. The page flow is the same for both.
 *
 *   npx vite build && BENCH_BEFORE_DIR=/work/h1-before npm run bench -- hotspots-main-thread
 *
 * Prints `name<TAB>value<TAB>unit<TAB>target`. BENCH_ROUNDS (default 1) repeats the pair;
 * BENCH_PROFILE=1 also samples the main thread's JS over the span and prints where it went.
 */
import { existsSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { line, ensureCustomersCsv } from './report.ts';

const CSV = process.env.BENCH_CUSTOMERS_CSV ?? '/tmp/customers-1m.csv';
process.env.E2E_PORT ??= '4397';
const PORT = Number(process.env.E2E_PORT);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const HERE = resolve('.');
const BEFORE = process.env.BENCH_BEFORE_DIR ? resolve(process.env.BENCH_BEFORE_DIR) : null;
const PROFILE = process.env.BENCH_PROFILE === '1';

for (const dir of [HERE, ...(BEFORE ? [BEFORE] : [])]) {
  if (!existsSync(`${dir}/dist/index.html`)) {
    console.log(`# hotspots-main-thread: skipped, ${dir}/dist is missing (run \`npx vite build\` there first)`);
    process.exit(0);
  }
}
ensureCustomersCsv(CSV);

const { ORIGIN, launch, openApp, waitForDemo } = await import('../test/e2e/harness.ts');

/** `vite preview` of `dir`'s dist/ with that checkout's own config (headers, base). */
async function serve(dir: string): Promise<ChildProcess> {
  const server = spawn(process.execPath, [`${dir}/node_modules/vite/bin/vite.js`, 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(ORIGIN + '/')).ok) return server;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  server.kill();
  throw new Error(`vite preview of ${dir} did not answer on ${ORIGIN} within 30 s`);
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill();
  await exited;
}

/** Load the 1M customers through the import panel and wait until the app has stored them. */
async function load1m(page: Page): Promise<number> {
  await page.getByTestId('import-input').setInputFiles(CSV, { timeout: 60_000 });
  await page.locator('[data-testid="import-file"] [data-testid="import-kind"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('import-load').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="import-report"]')?.getAttribute('data-ok') === 'true', null, { timeout: 600_000, polling: 200 });
  await page.getByTestId('import-stored').waitFor({ timeout: 300_000 });
  return page.evaluate(() => (window as unknown as { __bpApp: { dataset: { summary: { counts: { customers: number } } } } }).__bpApp.dataset.summary.counts.customers);
}

interface Measure {
  wallMs: number;
  taskMs: number;
  scriptMs: number;
  longTasks: number;
  longestTaskMs: number;
  cells: number;
  /** Self time by function (ms), largest first, when profiling. */
  profile: [string, number][];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

function selfTimes(p: CpuProfile): [string, number][] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const total = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
    total.set(name, (total.get(name) ?? 0) + (p.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return [...total].sort((a, b) => b[1] - a[1]).slice(0, 15);
}

async function measure(dir: string): Promise<Measure> {
  const server = await serve(dir);
  const browser = await launch();
  try {
    const s = await openApp(browser);
    const page = s.page;
    await waitForDemo(page);
    const customers = await load1m(page);
    if (customers < 990_000) throw new Error(`${dir}: only ${customers} customers loaded`);
    await page.waitForTimeout(3000); // let the load's follow-up work (map, panels) settle
    await page.evaluate(() => {
      const w = window as unknown as { __benchLong: number[] };
      w.__benchLong = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__benchLong.push(e.duration);
      }).observe({ type: 'longtask' });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => {
      const { metrics: m } = await cdp.send('Performance.getMetrics');
      const get = (name: string) => (m.find((x) => x.name === name)?.value ?? NaN) * 1000;
      return { task: get('TaskDuration'), script: get('ScriptDuration') };
    };
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const m0 = await metrics();
    const t0 = performance.now();
    await page.getByTestId('tab-hotspots').click({ timeout: 10_000 });
    await page.waitForFunction(
      () => {
        const s = (window as unknown as { __bpHotspots?: { resolution: number; measure: string; cells: string[] } | null }).__bpHotspots;
        const busy = document.querySelector('[data-testid="hotspots-status"]')?.getAttribute('data-busy') === 'true';
        return !!s && !busy && s.resolution === 8 && s.measure === 'count';
      },
      null,
      { timeout: 600_000, polling: 100 },
    );
    // on the map: the next two frames have been drawn
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    const wallMs = performance.now() - t0;
    const m1 = await metrics();
    const profile = PROFILE ? selfTimes((await cdp.send('Profiler.stop')).profile as unknown as CpuProfile) : [];
    const long = await page.evaluate(() => (window as unknown as { __benchLong: number[] }).__benchLong);
    const cells = await page.evaluate(() => (window as unknown as { __bpHotspots: { cells: string[] } }).__bpHotspots.cells.length);
    if (s.errors.length) console.error(`# ${dir}: page errors: ${s.errors.join(' | ')}`);
    return { wallMs, taskMs: m1.task - m0.task, scriptMs: m1.script - m0.script, longTasks: long.length, longestTaskMs: Math.max(0, ...long), cells, profile };
  } finally {
    await browser.close();
    await stop(server);
  }
}

function report(label: string, m: Measure): void {
  line(`hotspots_main_thread.${label}.busy_ms`, m.taskMs, 'ms', 'main-thread TaskDuration, tab click → result on the map');
  line(`hotspots_main_thread.${label}.script_ms`, m.scriptMs, 'ms', 'main-thread ScriptDuration');
  line(`hotspots_main_thread.${label}.long_tasks`, m.longTasks, 'tasks', `> 50 ms; longest ${m.longestTaskMs.toFixed(0)} ms`);
  line(`hotspots_main_thread.${label}.wall_ms`, m.wallMs, 'ms', `${m.cells} study cells`);
  for (const [name, ms] of m.profile) console.log(`# ${label} self ${ms.toFixed(0).padStart(6)} ms  ${name}`);
}

for (let round = 0; round < ROUNDS; round++) {
  const before = BEFORE ? await measure(BEFORE) : null;
  const after = await measure(HERE);
  if (before) report('before', before);
  report('after', after);
  if (before) {
    line('hotspots_main_thread.busy_ratio_after_over_before', after.taskMs / before.taskMs, '', 'main-thread busy time, after / before');
    line('hotspots_main_thread.script_ratio_after_over_before', after.scriptMs / before.scriptMs, '', '');
  }
}
