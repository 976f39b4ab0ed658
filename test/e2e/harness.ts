/**
 * End-to-end harness: the built app (dist/) served by `vite preview` on loopback, Debian's
 * Chromium driven by playwright-core. Every request is recorded; any request that leaves
 * the app's origin is aborted and remembered, so tests can prove the app stays local.
 */
import { after, before } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const PORT = Number(process.env.E2E_PORT ?? 4319);
export const ORIGIN = `http://127.0.0.1:${PORT}`;

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

const OUR_ARGS = [
  '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * How the browser composites the page. 'software' (the default): `--disable-gpu`, WebGL on
 * SwiftShader and the page composited on the CPU — then every frame of a WebGL canvas is read
 * back to the page's thread (GLES2::ReadPixels in a trace), which waits there until the GPU
 * process has drawn the frame. 'gpu': the GPU process composites, as in every browser that
 * can run this app for real (without a GPU, Chromium gives a page WebGL only with
 * `--enable-unsafe-swiftshader`, a testing flag), so the canvas is handed over without that
 * read-back; the drawing itself is still SwiftShader on the CPU. Specs that measure the page's
 * own thread (areas-load.e2e.ts) use 'gpu', so the browser's software-compositing wait is not
 * counted as the app's work.
 */
export type Compositing = 'software' | 'gpu';

function argsFor(compositing: Compositing): string[] {
  return compositing === 'gpu' ? [...OUR_ARGS.filter((a) => a !== '--disable-gpu'), '--use-gl=angle', '--ignore-gpu-blocklist'] : OUR_ARGS;
}

/**
 * Debian's chromium when installed (CI installs it with a CJK font); otherwise the
 * npm-shipped @sparticuz/chromium, so `npm test` also works on a fresh machine without apt.
 */
export async function chromiumLaunchOptions(compositing: Compositing = 'software'): Promise<{ executablePath: string; args: string[] }> {
  const system = CANDIDATES.find((c) => c && existsSync(c));
  if (system) return { executablePath: system, args: argsFor(compositing) };
  const { default: sparticuz } = await import('@sparticuz/chromium');
  return { executablePath: await sparticuz.executablePath(), args: [...sparticuz.args, '--disable-background-networking', '--disable-component-update', '--disable-sync'] };
}

let server: ChildProcess | null = null;

export async function startServer(): Promise<void> {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` first.');
  // Something already answering here is not this checkout's build (a leftover server, another
  // checkout's run): testing it would prove nothing about ours.
  const taken = await fetch(ORIGIN + '/').then(() => true, () => false);
  if (taken) throw new Error(`${ORIGIN} already answers: stop that server or set E2E_PORT.`);
  server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Another checkout's server on the same port would answer too: our own must be alive.
  let exited: number | null = null;
  server.once('exit', (code) => (exited = code ?? -1));
  // Benchmarks under `nice -n 19` on a busy machine may need longer (E2E_SERVER_TIMEOUT_MS).
  const wait = Number(process.env.E2E_SERVER_TIMEOUT_MS ?? 30_000);
  const deadline = Date.now() + wait;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`vite preview exited (${exited}): is port ${PORT} taken? Set E2E_PORT.`);
    try {
      const r = await fetch(ORIGIN + '/');
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on ${ORIGIN} within ${Math.round(wait / 1000)} s`);
}

export function stopServer(): void {
  server?.kill();
  server = null;
}

export async function launch(compositing: Compositing = 'software'): Promise<Browser> {
  return chromium.launch({ headless: true, ...(await chromiumLaunchOptions(compositing)) });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** URLs of requests that tried to leave the app's origin (all were aborted). */
  external: string[];
  errors: string[];
}

export interface OpenOptions {
  path?: string;
  locale?: string;
  viewport?: { width: number; height: number };
}

export async function openApp(browser: Browser, opts: OpenOptions = {}): Promise<Session> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'en-US',
    viewport: opts.viewport ?? { width: 1280, height: 800 },
  });
  // tsx compiles the tests with esbuild's keepNames: functions passed to page.evaluate call __name.
  await context.addInitScript('globalThis.__name = (f) => f');
  const external: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(ORIGIN) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    external.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(ORIGIN + (opts.path ?? '/'), { timeout: Number(process.env.E2E_SERVER_TIMEOUT_MS ?? 30_000) });
  return { context, page, external, errors };
}

export interface DemoApp {
  /** The page the file's tests share, filled in before the first test runs. */
  readonly session: Session;
  /**
   * Another page of the same browser (a link opened afresh), closed when `body` ends. It
   * waits for the demo city to be drawn first unless `waitForDemo` is false.
   */
  another<T>(opts: OpenOptions & { waitForDemo?: boolean }, body: (s: Session) => Promise<T>): Promise<T>;
}

/**
 * One test file's app on the demo city. Call it inside `describe`: before the tests the
 * server and the browser start, the app opens, the demo city is drawn and `ready` runs
 * (open a tab, listen for dialogs...); after them the browser and the server stop.
 */
export function demoApp(opts: OpenOptions & { ready?: (s: Session) => Promise<void> | void; compositing?: Compositing } = {}): DemoApp {
  let browser: Browser | undefined;
  const session = {} as Session;
  before(async () => {
    await startServer();
    browser = await launch(opts.compositing);
    Object.assign(session, await openApp(browser, opts));
    await waitForDemo(session.page);
    await opts.ready?.(session);
  });
  after(async () => {
    await browser?.close();
    stopServer();
  });
  return {
    session,
    async another(o, body) {
      if (!browser) throw new Error('demoApp: the browser is not started yet');
      const s = await openApp(browser, o);
      try {
        if (o.waitForDemo !== false) await waitForDemo(s.page);
        return await body(s);
      } finally {
        await s.context.close();
      }
    },
  };
}

/** Wait until the demo city is loaded and drawn (dataset name shown, map idle). */

/** Open the map's layer control (collapsed by default) and return it. */
export async function openLayerControl(page: Page) {
  const ctl = page.getByTestId('layer-control');
  const toggle = ctl.getByTestId('layer-control-toggle');
  if ((await toggle.getAttribute('aria-expanded', { timeout: 10_000 })) !== 'true') await toggle.click({ timeout: 10_000 });
  return ctl;
}

/** A file for the import's hidden file input. */
export interface Upload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export const upload = (name: string, content: string | Buffer | Uint8Array): Upload => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: typeof content === 'string' ? Buffer.from(content) : Buffer.from(content),
});

/** Add files through the hidden file input and wait until every card has been inspected. */
export async function addFiles(page: Page, files: Upload[]): Promise<void> {
  const before = await page.getByTestId('import-file').count();
  await page.getByTestId('import-input').setInputFiles(files, { timeout: 60_000 });
  await page.waitForFunction(
    (n) => {
      const cards = document.querySelectorAll('[data-testid="import-file"]');
      return cards.length === n && [...cards].every((c) => c.querySelector('[data-testid="import-kind"]'));
    },
    before + files.length,
    { timeout: 30_000 },
  );
}
/**
 * Files of a kind already loaded ask "Replace" or "Append" before Load: choose Replace for each
 * (what a test that loads a file over a dataset means). Returns how many choices were asked.
 */
export async function replaceWhereAsked(page: Page): Promise<number> {
  const radios = page.locator('[data-testid^="import-mode-"][data-testid$="-replace"]');
  const n = await radios.count();
  for (let i = 0; i < n; i++) await radios.nth(i).check({ timeout: 10_000 });
  return n;
}

/**
 * Files that look Chinese (Chinese headers, points in China) ask for their coordinate system and
 * Load waits for the answer: answer `crs` for each (the test data is WGS84 unless a test says
 * otherwise). Returns how many were asked.
 */
export async function answerCrsWhereAsked(page: Page, crs: 'wgs84' | 'gcj02' | 'bd09' = 'wgs84'): Promise<number> {
  const buttons = page.locator(`[data-testid="import-crs-ask-${crs}"]`);
  let n = 0;
  while ((await buttons.count()) > 0) {
    await buttons.first().click({ timeout: 10_000 });
    n++;
  }
  return n;
}

export async function waitForDemo(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="dataset-counts"]') !== null, null, { timeout: 90_000 });
  await page.waitForFunction(
    () => {
      const m = (window as unknown as { __bpMap?: { loaded(): boolean; areTilesLoaded(): boolean } }).__bpMap;
      return !!m && m.loaded() && m.areTilesLoaded();
    },
    null,
    { timeout: 30_000 },
  );
  await page.waitForTimeout(500);
}

/** Page coordinates (CSS px, for mouse events) of a lon/lat on the map. */
export async function mapToPage(page: Page, lonLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((ll) => {
    const m = (window as unknown as { __bpMap: { project(ll: [number, number]): { x: number; y: number }; getContainer(): HTMLElement } }).__bpMap;
    const p = m.project(ll);
    const r = m.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, lonLat);
}

/** Screenshots for people to look at (not compared), in `dir` (test-results/ is git-ignored). */
export function screenshotsIn(dir: string): (page: Page, name: string) => Promise<void> {
  return async (page, name) => {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, name) });
  };
}

/** Pixel statistics of the map canvas: distinct colours and the share of non-background pixels. */
export async function canvasStats(page: Page): Promise<{ width: number; height: number; distinctColors: number; stdDev: number }> {
  return page.evaluate(() => {
    const src = document.querySelector('[data-testid="map"] canvas') as HTMLCanvasElement;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const g = c.getContext('2d')!;
    g.drawImage(src, 0, 0);
    const { data } = g.getImageData(0, 0, c.width, c.height);
    const colors = new Set<number>();
    let sum = 0;
    let sum2 = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      colors.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      const l = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      sum += l;
      sum2 += l * l;
    }
    return { width: c.width, height: c.height, distinctColors: colors.size, stdDev: Math.sqrt(sum2 / n - (sum / n) ** 2) };
  });
}

/** RGBA bytes of the map canvas in a square of ±`radiusPx` CSS px around a lon/lat. */
export async function mapPixelsAround(page: Page, lonLat: [number, number], radiusPx: number): Promise<number[]> {
  return page.evaluate(({ ll, radiusPx }) => {
    const m = (window as unknown as { __bpMap: { project(ll: [number, number]): { x: number; y: number }; getCanvas(): HTMLCanvasElement } }).__bpMap;
    const p = m.project(ll);
    const src = m.getCanvas();
    const dpr = src.width / src.clientWidth;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(src, 0, 0);
    const R = Math.max(1, Math.round(radiusPx * dpr));
    return Array.from(ctx.getImageData(Math.round(p.x * dpr) - R, Math.round(p.y * dpr) - R, 2 * R + 1, 2 * R + 1).data);
  }, { ll: lonLat, radiusPx });
}

/** Map canvas pixels within `radiusPx` (CSS px) of a lon/lat whose colour is within `tol` of `rgb` per channel. */
export async function mapPixelsNear(page: Page, lonLat: [number, number], rgb: number[], radiusPx = 12, tol = 20): Promise<number> {
  const d = await mapPixelsAround(page, lonLat, radiusPx);
  let k = 0;
  for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - rgb[0]) < tol && Math.abs(d[i + 1] - rgb[1]) < tol && Math.abs(d[i + 2] - rgb[2]) < tol) k++;
  return k;
}
