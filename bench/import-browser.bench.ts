/**
 * Import throughput in the browser: a 1M-row customers CSV through the real UI path in
 * headless Chromium — file picker, inspection (header, delimiter, row estimate), Load (bytes read
 * and transferred to the DB worker, validated by the loader on duckdb-wasm, customers assigned to
 * the demo's 16 districts, dataset rebuilt), then a reload that restores it from IndexedDB.
 * Prints `name<TAB>value<TAB>unit<TAB>target`. Needs `npm run build` first (skips without dist/).
 *
 *   npm run build && npm run bench -- import-browser
 */
import { existsSync, statSync } from 'node:fs';
import { line, ensureCustomersCsv } from './report.ts';

const CSV = process.env.BENCH_CUSTOMERS_CSV ?? '/tmp/customers-1m.csv';
process.env.E2E_PORT ??= '4396';

if (!existsSync('dist/index.html')) {
  console.log('# import-browser: skipped, dist/ is missing (run `npm run build` first)');
  process.exit(0);
}
ensureCustomersCsv(CSV);

const { launch, openApp, startServer, stopServer, waitForDemo } = await import('../test/e2e/harness.ts');
type Counts = { customers: number; areas: number; outside: number };
const countsOf = () =>
  (window as unknown as { __bpApp: { dataset: { summary: { counts: Counts } } | null } }).__bpApp.dataset?.summary.counts ?? null;

await startServer();
const browser = await launch();
try {
  const s = await openApp(browser);
  const page = s.page;
  await waitForDemo(page);
  const sizeMb = statSync(CSV).size / 1e6;
  line('import_browser.csv_size', sizeMb, 'MB');

  let t0 = performance.now();
  await page.getByTestId('import-input').setInputFiles(CSV, { timeout: 60_000 });
  await page.locator('[data-testid="import-file"] [data-testid="import-kind"]').waitFor({ timeout: 60_000 });
  line('import_browser.inspect', performance.now() - t0, 'ms', '< 500');
  const kind = await page.locator('[data-testid="import-kind"]').inputValue();
  if (kind !== 'customers') throw new Error(`the file was taken for ${kind}`);

  t0 = performance.now();
  await page.getByTestId('import-load').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="import-report"]')?.getAttribute('data-ok') === 'true', null, { timeout: 600_000, polling: 50 });
  const loadMs = performance.now() - t0;
  const c = (await page.evaluate(countsOf))!;
  const name = CSV.split('/').pop()!;
  const rows = Number((await page.locator(`[data-testid="import-files"] tr[data-file="${name}"] td:nth-child(2)`).innerText()).replace(/\D/g, ''));
  if (c.customers < 0.99 * rows) throw new Error(`only ${c.customers} of ${rows} customers kept`);
  line('import_browser.load_1m.rows_per_s', Math.round(rows / (loadMs / 1000)), 'rows/s', '>= 200000');
  line('import_browser.load_1m.total', loadMs, 'ms', '');
  line('import_browser.load_1m.kept', c.customers, 'rows', '');
  line('import_browser.load_1m.outside', c.outside, 'rows', '');

  // Saved to IndexedDB after the load: wait for it, then time a reload that restores it
  // (the demo first, since the customers were loaded on top of it, then the stored file).
  await page.getByTestId('import-stored').waitFor({ timeout: 120_000 });
  t0 = performance.now();
  await page.reload({ timeout: 60_000 });
  await page.waitForFunction(() => (window as unknown as { __bpApp?: { dataset: unknown } }).__bpApp?.dataset, null, { timeout: 600_000, polling: 50 });
  line('import_browser.restore_1m.demo_first', performance.now() - t0, 'ms', '');
  await page.waitForFunction(
    (n) => {
      const r = document.querySelector('[data-testid="import-report"]');
      const w = window as unknown as { __bpApp?: { dataset: { summary: { counts: { customers: number } } } | null } };
      return r?.getAttribute('data-ok') === 'true' && w.__bpApp?.dataset?.summary.counts.customers === n;
    },
    c.customers,
    { timeout: 600_000, polling: 50 },
  );
  line('import_browser.restore_1m.total', performance.now() - t0, 'ms', '');
  if (s.errors.length) console.error(`# page errors: ${s.errors.join(' | ')}`);
} finally {
  await browser.close();
  stopServer();
}
