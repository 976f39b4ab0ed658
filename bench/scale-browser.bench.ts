/**
 * The browser at a city's scale: customers CSVs of 1M / 6M / 12M rows (demo generator, seeded,
 * cached in /tmp) dropped into the built app in headless Chromium on top of the demo city.
 * For each: load time (Load click → report ok), hotspot map time after it (Hotspots tab →
 * result drawn), the renderer's memory (current and peak RSS of every renderer process, read
 * from /proc through the pids CDP's SystemInfo gives), and a reload that restores the dataset
 * from the browser's store. Each size runs in a fresh browser. With BENCH_SCALE_BEFORE=<dir of a
 * built dist> the 1M case (BENCH_SCALE_BEFORE_SIZES: those sizes) also runs against that build
 * first (before/after in one run). After load and hotspots: Risk (the tab's ranking and map),
 * Sites (10 ATMs by coverage through the controls), keeping the dataset in OPFS, Share (the
 * address bar's link opened in a new page) and a reload; each step's time and the renderer
 * memory after it and at most during it, then the size's profile as a table. BENCH_SCALE_STEPS
 * runs some steps only (e.g. `load,hotspots`). Screenshots in /tmp/h-bmem (BENCH_SCALE_SHOTS).
 *
 *   npx vite build && E2E_PORT=5183 npm run bench -- scale-browser
 *   BENCH_SCALE_SIZES=1000000 ...   (sizes to run; default 1000000,6000000,12000000)
 *   E2E_SERVER_TIMEOUT_MS=300000 ... (under `nice -n 19` on a busy machine the server and first page load are slow)
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { line, ensureCustomersCsv } from './report.ts';

process.env.E2E_PORT ??= '4397';
if (!existsSync('dist/index.html')) {
  console.log('# scale-browser: skipped, dist/ is missing (run `npm run build` first)');
  process.exit(0);
}
const SIZES = (process.env.BENCH_SCALE_SIZES ?? '1000000,6000000,12000000').split(',').map(Number).filter((n) => n > 0);
const BEFORE = process.env.BENCH_SCALE_BEFORE;
/** The sizes also run against the BEFORE build (BENCH_SCALE_BEFORE_SIZES; 1M by default). */
const BEFORE_SIZES = (process.env.BENCH_SCALE_BEFORE_SIZES ?? '1000000').split(',').map(Number);
/** The steps to run (BENCH_SCALE_STEPS, e.g. `load,hotspots` for a before/after of the load); all by default. */
const STEPS = new Set((process.env.BENCH_SCALE_STEPS ?? 'load,hotspots,risk,sites,keep,share,reload').split(','));

const { answerCrsWhereAsked, launch, openApp, ORIGIN, replaceWhereAsked, startServer, stopServer, waitForDemo } = await import('../test/e2e/harness.ts');
type Browser = Awaited<ReturnType<typeof launch>>;
type Counts = { customers: number };
const customersNow = () => (window as unknown as { __bpApp: { dataset: { summary: { counts: Counts } } | null } }).__bpApp.dataset?.summary.counts.customers ?? 0;

interface RendererProcess {
  pid: number;
  /** Resident now and at its highest (VmHWM), bytes. */
  rss: number;
  peak: number;
  /** Resident bytes of its WebAssembly memories (DuckDB's heap): see `wasmResident`. */
  wasm: number;
  /**
   * Chromium's own UI (`--top-chrome-webui`, ~155 MB): there without the app, so not counted
   * in `renderer_rss_*` (`renderer_rss_peak_with_webui` and this bench's earlier figures count it).
   */
  webui: boolean;
}

/**
 * Resident bytes of a process's WebAssembly memories. V8 reserves each one with its guard
 * regions (8 GiB and more of address space, inside its sandbox) and makes the grown part
 * readable: in /proc/<pid>/smaps a run of `rw-p` mappings directly followed by a `---p`
 * reservation, together 8 GiB or more — far larger than any other heap of a renderer. The
 * resident part of the `rw-p` run is the heap (DuckDB's, which never shrinks).
 */
function wasmResident(pid: number): number {
  let wasm = 0;
  let run = { start: -1n, end: -1n, rss: 0 };
  let cur: { start: bigint; end: bigint; perms: string } | null = null;
  const close = (next: { start: bigint; end: bigint; perms: string }) => {
    if (run.start >= 0n && next.perms === '---p' && next.start === run.end && next.end - run.start >= 8n * 1024n ** 3n) wasm += run.rss;
  };
  for (const l of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) /.exec(l);
    if (m) {
      const next = { start: BigInt('0x' + m[1]), end: BigInt('0x' + m[2]), perms: m[3] };
      close(next);
      if (next.perms === 'rw-p' && cur?.perms === 'rw-p' && cur.end === next.start && run.start >= 0n) run.end = next.end;
      else run = next.perms === 'rw-p' ? { start: next.start, end: next.end, rss: 0 } : { start: -1n, end: -1n, rss: 0 };
      cur = next;
    } else if (l.startsWith('Rss:') && run.start >= 0n && cur?.perms === 'rw-p') run.rss += Number(/(\d+)/.exec(l)?.[1] ?? 0) * 1024;
  }
  return wasm;
}

/** Every renderer process with its current and peak RSS (read from /proc through the pids CDP's SystemInfo gives). */
async function rendererProcesses(browser: Browser, withWasm = false): Promise<RendererProcess[]> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
    const out: RendererProcess[] = [];
    for (const p of processInfo.filter((x) => x.type === 'renderer')) {
      try {
        const status = readFileSync(`/proc/${p.id}/status`, 'utf8');
        const kb = (re: RegExp) => Number(re.exec(status)?.[1] ?? 0) * 1024;
        // Chromium rewrites its command line: the flags come space-separated, not NUL-separated.
        const webui = /(^|[\s\0])--top-chrome-webui([\s\0]|$)/.test(readFileSync(`/proc/${p.id}/cmdline`, 'utf8'));
        out.push({ pid: p.id, rss: kb(/VmRSS:\s+(\d+)/), peak: kb(/VmHWM:\s+(\d+)/), wasm: withWasm ? wasmResident(p.id) : 0, webui });
      } catch {
        /* the process ended */
      }
    }
    return out;
  } finally {
    await cdp.detach();
  }
}

/** Current and peak RSS (bytes) summed over the renderer processes but Chromium's own UI. */
async function rendererMemory(browser: Browser): Promise<{ rss: number; peak: number }> {
  const ps = (await rendererProcesses(browser)).filter((p) => !p.webui);
  return { rss: ps.reduce((a, p) => a + p.rss, 0), peak: ps.reduce((a, p) => a + p.peak, 0) };
}

/**
 * The renderer memory while a step runs, sampled every 250 ms: `stop()` gives the highest sum of
 * RSS seen (VmHWM is the process's high mark since it started, not the step's).
 */
function watchMemory(browser: Browser): { stop(): Promise<number> } {
  let max = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const m = await rendererMemory(browser).catch(() => null);
      if (m) max = Math.max(max, m.rss);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return max;
    },
  };
}

type Trace = Array<{ at: number; ms: number; call: string; what: string }>;
type DbWorker = { evaluate<R>(f: () => R | Promise<R>): Promise<R> };
const dbWorker = (page: { workers(): Array<DbWorker & { url(): string }> }, name: string) => page.workers().find((w) => w.url().includes(name)) ?? null;
const startTrace = (w: DbWorker | null) => w?.evaluate(() => (globalThis as unknown as { __bpDb: { startTrace(): void } }).__bpDb.startTrace()).catch(() => undefined);
const stopTrace = (w: DbWorker | null): Promise<Trace> =>
  w ? w.evaluate(() => (globalThis as unknown as { __bpDb: { stopTrace(): Trace } }).__bpDb.stopTrace()).catch(() => []) : Promise.resolve([]);

/**
 * The DB worker's engine calls over a step (bench profile): every call or step mark of 150 ms or
 * more, the time in engine calls and the rest (JS work in the workers, messages, the page).
 */
function printTrace(tag: string, trace: Trace, wallMs: number): void {
  let engine = 0;
  for (const e of trace) engine += e.ms;
  console.log(`# ${tag}: ${trace.length} engine calls/marks, ${Math.round(engine)} ms in engine calls of ${Math.round(wallMs)} ms wall`);
  let prevEnd = 0;
  for (const e of trace) {
    const gap = e.at - prevEnd;
    if (gap >= 150) console.log(`#   ${(prevEnd / 1000).toFixed(2).padStart(7)} s  +${Math.round(gap)} ms outside the engine`);
    if (e.ms >= 150 || (e.call === 'mark' && !/^read 0\.(0[0-9]|1|2)/.test(e.what))) {
      console.log(`#   ${(e.at / 1000).toFixed(2).padStart(7)} s  ${e.call === 'mark' ? 'step' : `${Math.round(e.ms)} ms ${e.call}`}: ${e.what.slice(0, 140)}`);
    }
    prevEnd = Math.max(prevEnd, e.at + e.ms);
  }
}

/** A step of one size's run: its time and the renderer memory after it and at most during it. */
interface StepRow {
  step: string;
  ms: number | null;
  rssAfter: number;
  rssMax: number;
  wasm: number;
  note: string;
}

const wait = { timeout: 900_000, polling: 100 };
type Page = Awaited<ReturnType<typeof openApp>>['page'];
type AppWindow = {
  __bpApp?: { dataset: { summary: { counts: Counts } } | null };
  __bpShare?: { ready: boolean; capture(): { camera: { center: [number, number]; zoom: number } } };
  __bpSites?: { error: string | null; restored?: { sites: unknown[] } | null; run: { demandPoints: number; demandAt: string; candidates: number; timings: Record<string, number> } | null };
};

async function runSize(n: number, label: string): Promise<void> {
  const csv = `/tmp/bp-bench-customers-${n}.csv`;
  ensureCustomersCsv(csv, n);
  const tag = `scale_browser.${label}${n >= 1e6 ? `${n / 1e6}m` : n}`;
  const rows: StepRow[] = [];
  let peak = 0;
  let peakAll = 0;
  await startServer();
  const browser = await launch();
  /**
   * Run `body` as step `name`: its wall time, the renderer memory after it (per process, with
   * the wasm heaps) and the most seen during it; a failure is printed and ends nothing else.
   */
  async function step(name: string, body: () => Promise<string | void>, target = ''): Promise<boolean> {
    if (!STEPS.has(name)) return false;
    const watch = watchMemory(browser);
    const t0 = performance.now();
    let ms: number | null = null;
    let note = '';
    try {
      note = (await body()) ?? '';
      ms = performance.now() - t0;
    } catch (e) {
      note = `FAILED after ${Math.round(performance.now() - t0)} ms: ${(e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 300)}`;
      console.log(`# ${tag}: step ${name} ${note}`);
    }
    const rssMax = await watch.stop();
    const all = await rendererProcesses(browser, true);
    const ps = all.filter((p) => !p.webui);
    const rssAfter = ps.reduce((a, p) => a + p.rss, 0);
    const wasm = ps.reduce((a, p) => a + p.wasm, 0);
    peak = Math.max(peak, ps.reduce((a, p) => a + p.peak, 0));
    peakAll = Math.max(peakAll, all.reduce((a, p) => a + p.peak, 0));
    if (ms !== null) line(`${tag}.${name}`, ms, 'ms', target);
    line(`${tag}.renderer_rss_after_${name}`, rssAfter / 1e6, 'MB');
    line(`${tag}.renderer_rss_max_during_${name}`, rssMax / 1e6, 'MB');
    console.log(`# ${tag} after ${name}: ${all.map((p) => `${p.webui ? 'webui' : 'renderer'} ${p.pid} rss ${mb(p.rss)} (wasm ${mb(p.wasm)}) peak ${mb(p.peak)}`).join('; ')}`);
    rows.push({ step: name, ms, rssAfter, rssMax, wasm, note });
    return ms !== null;
  }
  try {
    const s = await openApp(browser);
    let page: Page = s.page;
    // The demo city first (under nice on a busy machine it can take longer than the harness allows).
    await page.waitForFunction(() => document.querySelector('[data-testid="dataset-counts"]') !== null, null, { timeout: 900_000, polling: 500 });
    await waitForDemo(page);
    line(`${tag}.csv_size`, statSync(csv).size / 1e6, 'MB');
    await page.getByTestId('import-input').setInputFiles(csv, { timeout: 120_000 });
    await page.locator('[data-testid="import-file"] [data-testid="import-kind"]').waitFor({ timeout: 120_000 });
    // Customers are loaded already (the demo's): choose replace, as a user adding a new book would.
    await replaceWhereAsked(page);
    // Points in China ask for their coordinate system and Load waits for it: the file is WGS84.
    await page.locator('[data-testid="import-crs-ask-wgs84"]').waitFor({ timeout: 900_000 }).catch(() => undefined);
    await answerCrsWhereAsked(page);
    // The file's inspection (rows, headers) may take long on a busy machine: Load is enabled after it.
    await page.waitForFunction(() => document.querySelector('[data-testid="import-load"]')?.hasAttribute('disabled') === false, null, wait);
    const dbw = dbWorker(page, 'db.worker');

    // ----- load: Load click → the report says ok
    let kept = 0;
    const loaded = await step('load', async () => {
      await startTrace(dbw);
      const t0 = performance.now();
      await page.getByTestId('import-load').click();
      const outcome = await page.waitForFunction(() => {
        const ok = document.querySelector('[data-testid="import-report"]')?.getAttribute('data-ok');
        if (ok) return ok;
        if (document.querySelector('[data-testid="import-too-big"]')) return 'refused';
        if (document.querySelector('[data-testid="import-load-error"]')) return 'error';
        return null;
      }, null, wait).then((h) => h.jsonValue());
      printTrace(`${tag} load profile`, await stopTrace(dbw), performance.now() - t0);
      if (outcome !== 'true') {
        const why = await page.locator('[data-testid="import-too-big"], [data-testid="import-load-error"], [data-testid="import-problems"]').first().innerText().catch(() => '');
        throw new Error(`load ${outcome}: ${why.replace(/\s+/g, ' ')}`);
      }
      kept = await page.evaluate(customersNow);
      return `${kept} customers; ${await opfsUsage(page)}`;
    }, n >= 12e6 ? '<= 10000' : '');
    if (!loaded) return;
    line(`${tag}.load_rows_per_s`, Math.round(n / (rows[0].ms! / 1000)), 'rows/s', n <= 1e6 ? '>= 190000' : '');
    line(`${tag}.kept`, kept, 'rows');

    // ----- hotspots: the tab opened → the Gi* map drawn
    await step('hotspots', async () => {
      await startTrace(dbw);
      const t0 = performance.now();
      await page.getByTestId('tab-hotspots').click({ timeout: 30_000 });
      await page.waitForFunction(() => {
        const h = (window as unknown as { __bpHotspots?: { cells: unknown[] } | null }).__bpHotspots;
        const busy = document.querySelector('[data-testid="hotspots-status"]')?.getAttribute('data-busy') === 'true';
        return !!h && h.cells.length > 0 && !busy;
      }, null, wait);
      printTrace(`${tag} hotspots profile`, await stopTrace(dbw), performance.now() - t0);
      const aw = dbWorker(page, 'analysis.worker');
      const assign = aw ? await aw.evaluate(() => (globalThis as unknown as { __bpAnalysis: { lastAssign: unknown } }).__bpAnalysis.lastAssign).catch(() => null) : null;
      return `assignment ${JSON.stringify(assign)}`;
    }, n >= 12e6 ? '<= 5000' : '');
    await shot(page, `${tag}-hotspots.png`);

    // ----- risk: the tab opened → the ranking listed and the risk index mapped
    await step('risk', async () => {
      await page.getByTestId('tab-risk').click({ timeout: 30_000 });
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="risk-ranking"] tbody tr').length > 0 && /Risk index/.test(document.querySelector('[data-testid="legend"]')?.textContent ?? ''),
        null, wait,
      );
      return `${await page.locator('[data-testid="risk-ranking"] tbody tr').count()} areas ranked`;
    });

    // ----- sites: 10 ATMs by coverage (MCLP) through the controls, Run → the 10th row listed
    if (STEPS.has('sites')) await sitesControls(page);
    await step('sites', async () => {
      await page.getByTestId('sites-run').click();
      const outcome = await page.waitForFunction(
        () => (document.querySelector('[data-testid="sites-row-10"]') ? 'ok' : document.querySelector('[data-testid="sites-error"]')?.textContent ?? null),
        null, wait,
      ).then((h) => h.jsonValue());
      if (outcome !== 'ok') throw new Error(`sites error: ${String(outcome).replace(/\s+/g, ' ')}`);
      const run = await page.evaluate(() => (window as unknown as AppWindow).__bpSites?.run ?? null);
      const merged = await page.getByTestId('sites-warning-points_merged').innerText({ timeout: 1000 }).catch(() => 'customers not merged');
      const ms = Object.entries(run?.timings ?? {}).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
      return run ? `${run.demandPoints} demand points (${run.demandAt}), ${run.candidates} candidates, worker ms: ${ms}; ${merged}` : '';
    });
    if (STEPS.has('sites')) {
      await page.waitForTimeout(1500);
      await shot(page, `${tag}-sites.png`);
    }

    // ----- keep: the dataset's copy written to OPFS and the database tagged as the kept one
    const saved = await step('keep', async () => {
      await page.getByTestId('tab-data').click({ timeout: 30_000 });
      // A failed write (e.g. over the storage quota) ends the run with its message.
      const stored = await page
        .waitForFunction(() => (document.querySelector('[data-testid="import-stored"]') ? 'stored' : document.querySelector('[data-testid="import-store-error"]')?.textContent ?? null), null, { timeout: 600_000, polling: 500 })
        .then((h) => h.jsonValue(), () => 'not saved within 600 s');
      if (stored !== 'stored') throw new Error(`the dataset was not kept: ${String(stored).replace(/\s+/g, ' ')}; ${await opfsUsage(page)}`);
      // The save then tags the OPFS database as the kept one (a checkpoint): a reload before that
      // loads the kept file again, after it reopens the database.
      await page.waitForFunction(async () => {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('branch-planner');
        return dir.getFileHandle('kept-db.txt').then(() => true, () => false);
      }, null, { timeout: 600_000, polling: 250 });
      return opfsUsage(page);
    });

    // ----- share: the address bar's link (the view and the plan) opened in a new page of the same
    // browser after this one closed (two tabs would each hold a database) → dataset, view and plan back
    if (saved) {
      await step('share', async () => {
        await page.getByTestId('tab-share').click({ timeout: 30_000 });
        await page.waitForFunction(() => (window as unknown as AppWindow).__bpShare?.ready === true, null, wait);
        await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('s.sites') !== null, null, { timeout: 60_000 });
        const hash = await page.evaluate(() => location.hash);
        const there = await page.evaluate(() => (window as unknown as AppWindow).__bpShare!.capture().camera);
        await page.close();
        page = await s.context.newPage();
        page.on('pageerror', (e) => s.errors.push(String(e)));
        await page.goto(`${ORIGIN}/${hash}`, { timeout: 120_000 });
        await page.waitForFunction((k) => {
          const w = window as unknown as AppWindow;
          return w.__bpApp?.dataset?.summary.counts.customers === k && w.__bpShare?.ready === true && (w.__bpSites?.restored?.sites.length ?? 0) === 10;
        }, kept, wait);
        const back = await page.evaluate(() => (window as unknown as AppWindow).__bpShare!.capture().camera);
        const moved = Math.abs(back.center[0] - there.center[0]) + Math.abs(back.center[1] - there.center[1]) > 1e-5 || Math.abs(back.zoom - there.zoom) > 1e-3;
        if (moved) throw new Error(`the camera did not come back: ${JSON.stringify(back)} vs ${JSON.stringify(there)}`);
        return `link of ${hash.length} characters; dataset, camera and the 10 sites restored`;
      });
    }

    // ----- reload: the page reloaded → the kept dataset back (the database reopened in place)
    if (saved) await step('reload', async () => {
      await page.reload({ timeout: 120_000 });
      await page.waitForFunction((k) => (window as unknown as AppWindow).__bpApp?.dataset?.summary.counts.customers === k, kept, wait);
      const dbw2 = dbWorker(page, 'db.worker');
      const adopted = dbw2
        ? await dbw2.evaluate(() => (globalThis as unknown as { __bpDb: { storageInfo(): Promise<{ adopted?: boolean }> } }).__bpDb.storageInfo().then((i) => i.adopted === true)).catch(() => null)
        : null;
      return adopted === null ? 'restored' : adopted ? 'reopened the database' : 'loaded the kept file again';
    });
    line(`${tag}.renderer_rss_peak`, peak / 1e6, 'MB', '<= 2500');
    line(`${tag}.renderer_rss_peak_with_webui`, peakAll / 1e6, 'MB');
    if (s.errors.length) console.log(`# page errors: ${s.errors.slice(0, 3).join(' | ').slice(0, 400)}`);
  } finally {
    printProfile(tag, rows, peak);
    await browser.close();
    stopServer();
  }
}

/** The sites controls set for the plan the bench runs: 10 ATMs by coverage (MCLP). */
async function sitesControls(page: Page): Promise<void> {
  await page.getByTestId('tab-sites').click({ timeout: 30_000 });
  await page.waitForSelector('[data-testid="sites-run"]', { timeout: 30_000 });
  if (!(await page.getByTestId('sites-k').isVisible())) await page.getByTestId('sites-params-toggle').click({ timeout: 10_000 });
  await page.getByTestId('sites-type').selectOption('atm');
  await page.getByTestId('sites-objective').selectOption('coverage');
  await page.getByTestId('sites-k').fill('10');
  await page.waitForFunction(() => document.querySelector('[data-testid="sites-run"]')?.hasAttribute('disabled') === false, null, wait);
}

/** The origin's storage use and quota, and what the app's OPFS folder holds (name: size), for the keep step. */
function opfsUsage(page: Page): Promise<string> {
  return page
    .evaluate(async () => {
      const sizeOf = async (h: FileSystemHandle): Promise<number> => {
        if (h.kind === 'file') return (await (h as FileSystemFileHandle).getFile()).size;
        let n = 0;
        for await (const c of (h as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) n += await sizeOf(c);
        return n;
      };
      const est = await navigator.storage.estimate();
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('branch-planner', { create: true });
      const parts: string[] = [];
      for await (const h of (dir as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) parts.push(`${h.name} ${Math.round((await sizeOf(h)) / 1e6)} MB`);
      return `storage ${Math.round((est.usage ?? 0) / 1e6)} of ${Math.round((est.quota ?? 0) / 1e6)} MB (${parts.join(', ')})`;
    })
    .catch((e: unknown) => `storage not read: ${String(e).slice(0, 100)}`);
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

/** The size's profile as a Markdown table (what the issue's closing note quotes). */
function printProfile(tag: string, rows: StepRow[], peak: number): void {
  console.log(`# ${tag} profile (renderer peak ${mb(peak)}: the sum of the VmHWM of every renderer process but Chromium's own UI)`);
  console.log('# | step | time | renderer after | most during | wasm after | note |');
  console.log('# |---|---:|---:|---:|---:|---|');
  for (const r of rows) {
    console.log(`# | ${r.step} | ${r.ms === null ? '—' : `${(r.ms / 1000).toFixed(1)} s`} | ${mb(r.rssAfter)} | ${mb(r.rssMax)} | ${mb(r.wasm)} | ${r.note.replace(/\|/g, '/').slice(0, 200)} |`);
  }
}

/** A screenshot for people to look at, under /tmp/h-bmem (BENCH_SCALE_SHOTS). */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.BENCH_SCALE_SHOTS ?? '/tmp/h-bmem';
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}`, timeout: 120_000 }).catch((e: unknown) => console.log(`# screenshot ${name} failed: ${String(e).slice(0, 200)}`));
}

for (const n of SIZES) {
  if (BEFORE_SIZES.includes(n) && BEFORE && existsSync(`${BEFORE}/index.html`)) {
    // The same 1M case against the earlier build, served from dist/ for the run.
    renameSync('dist', 'dist.after');
    renameSync(BEFORE, 'dist');
    try {
      await runSize(n, 'before.');
    } finally {
      renameSync('dist', BEFORE);
      renameSync('dist.after', 'dist');
    }
  }
  await runSize(n, '');
}
