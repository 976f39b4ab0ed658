/**
 * Heavy areas files never stall the UI thread (issue 15): parsing, validation, repair and
 * simplification run in the DB worker, and what reaches the page is bounded. A Chromium trace
 * (with a PerformanceObserver('longtask') and a requestAnimationFrame gap probe for the log)
 * watches the page from the click on Load until the map has drawn the new areas: no task of the
 * page's thread may compute (or wait on the GPU) more than 250 ms, nor last longer than that when
 * the machine has a core for it (see assertResponsive). (The campaign's
 * 1,000,000-position ring is 30 MB of JSON, longer to hand to the page through the test driver
 * than its timeout; 300,000 positions exercise the same simplification.)
 *
 *   npx vite build && E2E_PORT=4304 node --import tsx --test test/e2e/areas-load.e2e.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { addFiles, demoApp, replaceWhereAsked, screenshotsIn, upload } from './harness.ts';

const shot = screenshotsIn(join('test-results', 'e2e-areas-load'));
const MAX_TASK_MS = 250;

/** `n` small squares (8 positions each) tiling Shanghai's centre. */
function manySmallAreas(n: number): string {
  const side = Math.ceil(Math.sqrt(n));
  const d = 0.3 / side;
  const features = [];
  for (let i = 0; i < n; i++) {
    const x = 121.3 + (i % side) * d;
    const y = 31.1 + Math.floor(i / side) * d;
    const e = d * 0.9;
    const ring = [[x, y], [x + e / 2, y], [x + e, y], [x + e, y + e / 2], [x + e, y + e], [x + e / 2, y + e], [x, y + e], [x, y + e / 2], [x, y]];
    features.push({ type: 'Feature', properties: { area_id: `S${i}`, name: `square ${i}` }, geometry: { type: 'Polygon', coordinates: [ring] } });
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

/** One area whose ring has `n` positions (a circle of radius 0.1° with a 2-m wobble). */
function hugeRing(n: number): string {
  let seed = 3;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const ring: number[][] = [];
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    const r = 0.1 + (rnd() - 0.5) * 0.00002;
    ring.push([+(121.47 + r * Math.cos(t)).toFixed(7), +(31.23 + r * Math.sin(t)).toFixed(7)]);
  }
  ring.push(ring[0]);
  return JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { area_id: 'BIG', name: 'one huge ring' }, geometry: { type: 'Polygon', coordinates: [ring] } }] });
}

/** Start watching the UI thread: long tasks and gaps between animation frames. */
async function startProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __probe: { tasks: number[]; maxGap: number; on: boolean } };
    w.__probe = { tasks: [], maxGap: 0, on: true };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (w.__probe.on) w.__probe.tasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
    let last = performance.now();
    const tick = (now: number) => {
      if (!w.__probe.on) return;
      w.__probe.maxGap = Math.max(w.__probe.maxGap, now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function stopProbe(page: Page): Promise<{ tasks: number[]; maxGap: number }> {
  return page.evaluate(() => {
    const w = window as unknown as { __probe: { tasks: number[]; maxGap: number; on: boolean } };
    w.__probe.on = false;
    return { tasks: w.__probe.tasks, maxGap: w.__probe.maxGap };
  });
}

const areasCount = (page: Page) =>
  page.evaluate(() => (window as unknown as { __bpApp: { dataset: { summary: { counts: { areas: number } } } | null } }).__bpApp.dataset?.summary.counts.areas ?? null);

/** One task of the page's main thread in a trace: its wall time and the CPU time it used. */
interface TracedTask {
  wallMs: number;
  /** CPU time plus time blocked waiting for the GPU process (a sync wait is no CPU time but is a stall). */
  cpuMs: number;
  /** What most of it was, for the log: the longest event inside. */
  what: string;
}

/**
 * The page's main-thread tasks over `minMs` (wall) from a Chromium trace ('toplevel' RunTask
 * events carry both `dur`, wall, and `tdur`, the thread's CPU time).
 */
function mainThreadTasks(trace: Buffer, minMs: number): TracedTask[] {
  type Ev = { ph: string; name: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string } };
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: Ev[] } | Ev[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`));
  return onMain
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask' && (e.dur ?? 0) > minMs * 1000)
    .map((t) => {
      const inner = onMain.filter((e) => e !== t && e.tid === t.tid && e.pid === t.pid && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + (t.dur ?? 0) && e.name !== 'ThreadControllerImpl::RunTask');
      const top = inner.sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, 3).map((e) => e.name).join(' > ');
      // outermost waits only (they do not nest in practice; a nested one would count twice, too much not too little)
      const gpuWait = inner.filter((e) => e.name.startsWith('CommandBufferProxyImpl::WaitFor')).reduce((sum, e) => sum + (e.dur ?? 0), 0);
      return { wallMs: (t.dur ?? 0) / 1000, cpuMs: ((t.tdur ?? NaN) + gpuWait) / 1000, what: top };
    });
}

/** Load one areas file, watching the UI thread from Load to the map drawn; returns the probe. */
async function loadWatched(page: Page, name: string, text: string, wantAreas: number) {
  await addFiles(page, [upload(name, text)]);
  await replaceWhereAsked(page);
  await startProbe(page);
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'v8'] });
  const load0 = loadavg()[0];
  const t0 = Date.now();
  await page.getByTestId('import-load').click({ timeout: 10_000 });
  // a failed load ends the wait at once, with the sentence the page shows
  await page.waitForFunction((n) => (window as unknown as { __bpApp: { dataset: { summary: { counts: { areas: number } } } | null } }).__bpApp.dataset?.summary.counts.areas === n || document.querySelector('[data-testid="import-load-error"]'), wantAreas, { timeout: 240_000, polling: 200 });
  const failed = page.getByTestId('import-load-error');
  if (await failed.count()) {
    await browser.stopTracing();
    throw new Error(`the load failed: ${await failed.innerText()}`);
  }
  // The map's own sources hold the new areas (they arrive after the dataset), then it is idle.
  await page.waitForFunction((n) => document.querySelector('[data-testid="map"]')?.getAttribute('data-areas-set') === String(n), wantAreas, { timeout: 240_000, polling: 200 });
  await page.waitForFunction(() => {
    const m = (window as unknown as { __bpMap?: { loaded(): boolean; areTilesLoaded(): boolean } }).__bpMap;
    return !!m && m.loaded() && m.areTilesLoaded();
  }, null, { timeout: 240_000, polling: 500 });
  await page.waitForTimeout(1500); // frames after the data arrived (layers built and drawn)
  const probe = await stopProbe(page);
  const seconds = (Date.now() - t0) / 1000;
  const traced = mainThreadTasks(await browser.stopTracing(), 50);
  return { ...probe, seconds, traced, load: Math.max(load0, loadavg()[0]) };
}

const CORES = availableParallelism();

/**
 * The verdict on one watched load. The UI thread's own work — each task's CPU time in the
 * trace, plus any time it sat blocked on the GPU process — never exceeds MAX_TASK_MS. Its wall time is asserted too when the machine is not
 * oversubscribed (1-minute load average ≤ cores): on a 2-core machine shared by other test
 * sessions (load 10–15 measured) a task waits for a core far longer than it computes, and
 * that wait is the machine's, not the app's. Both are printed.
 */
function assertResponsive(label: string, p: Awaited<ReturnType<typeof loadWatched>>): void {
  const longestWall = Math.max(0, ...p.traced.map((t) => t.wallMs));
  const worstCpu = p.traced.reduce((w, t) => (t.cpuMs > w.cpuMs ? t : w), { wallMs: 0, cpuMs: 0, what: '' });
  console.log(`${label}: loaded in ${p.seconds.toFixed(1)} s at load average ${p.load.toFixed(1)} on ${CORES} cores; long tasks (observer) ${p.tasks.length}, longest ${Math.max(0, ...p.tasks).toFixed(0)} ms; largest frame gap ${p.maxGap.toFixed(0)} ms`);
  console.log(`${label}: traced main-thread tasks over 50 ms: ${p.traced.map((t) => `${t.wallMs.toFixed(0)}/${t.cpuMs.toFixed(0)}`).join(', ')} (wall/CPU+GPU-wait ms); most ${worstCpu.cpuMs.toFixed(0)} ms in ${worstCpu.what}`);
  assert.ok(p.traced.every((t) => Number.isFinite(t.cpuMs)), 'the trace has no thread times');
  assert.ok(worstCpu.cpuMs <= MAX_TASK_MS, `a UI task computed ${worstCpu.cpuMs.toFixed(0)} ms (${worstCpu.what})`);
  if (p.load <= CORES) assert.ok(longestWall <= MAX_TASK_MS, `long tasks (wall): ${p.traced.map((t) => t.wallMs.toFixed(0)).join(', ')}`);
  else console.log(`${label}: wall time not asserted: load average ${p.load.toFixed(1)} on ${CORES} cores (longest ${longestWall.toFixed(0)} ms)`);
}

describe('heavy areas files keep the UI responsive', () => {
  let page: Page;
  // GPU compositing, as in a browser that runs the app for real (harness.ts › Compositing):
  // with `--disable-gpu` every frame of the WebGL canvas is read back to this thread and waits
  // there for SwiftShader to draw it — 0.2–0.5 s per frame on the loaded 2-core machine, for the
  // demo alone as much as for these files (seen in a trace as GLES2::ReadPixels under Commit);
  // no browser with a GPU does that, so it would measure the test machine, not the app.
  demoApp({ compositing: 'gpu', ready: (s) => void (page = s.page) });

  it(`a 300,000-position ring: simplified in the worker, no UI task over ${MAX_TASK_MS} ms`, async () => {
    const p = await loadWatched(page, 'huge_ring.geojson', hugeRing(300_000), 1);
    await shot(page, '02-huge-ring.png');
    assert.match(await page.getByTestId('import-report').innerText(), /simplified to [\d,]+ \(Douglas–Peucker, tolerance \d+ m\)/);
    assert.equal(await areasCount(page), 1);
    assertResponsive('300,000-position ring', p);
  });

  // Loaded after the ring: the ring's kept record once went to DuckDB-wasm as one multi-megabyte
  // string, which corrupted its heap, and every later load failed ("memory access out of bounds").
  it(`20,000 small areas after the ring: no UI task over ${MAX_TASK_MS} ms`, async () => {
    const p = await loadWatched(page, 'many_areas.geojson', manySmallAreas(20_000), 20_000);
    await shot(page, '01-many-areas.png');
    // MapLibre read the areas from their blob: URLs in its worker and kept no copy on the page
    // (maplibre-worker-blob.js): its sources still say their URL, not a parsed FeatureCollection.
    const sourceData = await page.evaluate(() => {
      const m = (window as unknown as { __bpMap: { getSource(id: string): { serialize(): { data: unknown } } } }).__bpMap;
      return ['areas', 'area-labels'].map((id) => typeof m.getSource(id).serialize().data);
    });
    assert.deepEqual(sourceData, ['string', 'string']);
    assertResponsive('20,000 areas', p);
  });

  it('"Restore the previous data" while the DB worker dies says so in the user\'s language, and the kept areas come back', async () => {
    // the 20,000 areas' load above offers the restore (of the ring); they are what this browser keeps
    await page.getByTestId('import-undo').waitFor({ timeout: 30_000 });
    await page.evaluate(() => {
      (document.querySelector('[data-testid="import-undo"]') as HTMLButtonElement).click();
      // the restore's call is on its way to the worker: it dies before answering
      (window as unknown as { __bpKillDbWorker: () => void }).__bpKillDbWorker();
    });
    const error = page.getByTestId('import-undo-error');
    await error.waitFor({ timeout: 90_000 });
    assert.equal(await error.getAttribute('data-reason'), 'died');
    const en = await error.innerText();
    assert.match(en, /^The data engine stopped while restoring the previous data \(out of memory or closed\)\. It was restarted with the data kept in this browser/);
    assert.doesNotMatch(en, /DbWorkerDied|Error/);
    await page.waitForFunction(() => document.querySelector('[data-testid="engine-restarted"]')?.getAttribute('data-ok') === 'true', null, { timeout: 120_000 });
    assert.equal(await areasCount(page), 20_000);
    // as the sentence says: the previous data went with the engine, nothing is offered to restore
    assert.match(en, /load its files again\.$/);
    assert.equal(await page.getByTestId('import-undo').count(), 0);
    await shot(page, '03-undo-died.png');
    await page.getByTestId('lang-switch').click();
    try {
      assert.match(await error.innerText(), /^恢复之前的数据时数据引擎停止（内存不足或被关闭）/);
    } finally {
      await page.getByTestId('lang-switch').click();
    }
  });
});
