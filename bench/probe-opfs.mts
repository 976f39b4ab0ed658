/**
 * Probe (not a benchmark): open the built app in headless Chromium, print how the DB worker's
 * DuckDB is stored (OPFS file + temp directory, or memory) and run the SQL given as arguments
 * in that worker, with timings. Used to measure what Chromium allows here (DESIGN.md facts).
 *
 *   npx vite build && E2E_PORT=5183 node --import tsx bench/probe-opfs.mts "SELECT 42"
 */
const { launch, openApp, startServer, stopServer, waitForDemo } = await import('../test/e2e/harness.ts');
await startServer();
const browser = await launch();
try {
  const s = await openApp(browser);
  await waitForDemo(s.page);
  const w = s.page.workers().find((x) => x.url().includes('db.worker'));
  if (!w) throw new Error('no db worker: ' + s.page.workers().map((x) => x.url()).join(','));
  const ev = (sql: string) => w.evaluate(async (q) => { const t = performance.now(); try { const r = await (globalThis as any).__bpDb.query(q); return { ms: performance.now() - t, r: JSON.stringify(r, (k, v) => typeof v === 'bigint' ? v.toString() : v).slice(0, 400) }; } catch (e) { return { ms: performance.now() - t, err: String(e).slice(0, 400) }; } }, sql);
  console.log(await w.evaluate(() => (globalThis as any).__bpDb.storageInfo()));
  console.log(await ev("SELECT current_setting('memory_limit') m, current_setting('temp_directory') t, current_setting('enable_external_access') e"));
  console.log(await ev("SELECT database_name, path FROM duckdb_databases()"));
  const sql = process.argv.slice(2);
  for (const q of sql) console.log(q.slice(0, 80), await ev(q));
} finally { await browser.close(); stopServer(); }
