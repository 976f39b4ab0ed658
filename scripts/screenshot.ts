/**
 * Regenerates docs/screenshot.png, the README's picture of the real app: the built app
 * (run `npm run build` first) in headless Chromium on the demo city, Sites tab, five new
 * branches recommended over central Shanghai.
 *
 *   npm run build && node --import tsx scripts/screenshot.ts [out.png]
 */
import { launch, openApp, startServer, stopServer, waitForDemo } from '../test/e2e/harness.ts';

const out = process.argv[2] ?? 'docs/screenshot.png';

await startServer();
const browser = await launch();
try {
  const { page, errors } = await openApp(browser, { viewport: { width: 1440, height: 900 } });
  await waitForDemo(page);
  await page.getByTestId('tab-sites').click();
  await page.getByTestId('sites-run').click();
  await page.waitForSelector('[data-testid="sites-row-5"]', { timeout: 180_000 });
  await page.evaluate(() => {
    const m = (window as unknown as { __bpMap: { jumpTo(o: object): void } }).__bpMap;
    m.jumpTo({ center: [121.47, 31.215], zoom: 11.3, bearing: 0, pitch: 0 });
  });
  await page.waitForFunction(() => {
    const m = (window as unknown as { __bpMap: { loaded(): boolean; areTilesLoaded(): boolean } }).__bpMap;
    return m.loaded() && m.areTilesLoaded();
  }, null, { timeout: 30_000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: out, timeout: 60_000 });
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  stopServer();
}
