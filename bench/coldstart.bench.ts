/**
 * Cold start of the built app in headless Chromium (median of 5 fresh browser contexts):
 * time from navigation to (a) the basemap drawn and (b) the demo city loaded and drawn.
 * Needs `npm run build` first.
 */
import { launch, openApp, startServer, stopServer, waitForDemo } from '../test/e2e/harness.ts';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await startServer();
const browser = await launch();
const basemap: number[] = [];
const demo: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const t0 = Date.now();
    const s = await openApp(browser);
    await s.page.waitForFunction(() => (window as unknown as { __bpMap?: { loaded(): boolean } }).__bpMap?.loaded() === true, null, { timeout: 60_000 });
    basemap.push(Date.now() - t0);
    await waitForDemo(s.page);
    // waitForDemo ends with a 500 ms settle pause that is not part of the load.
    demo.push(Date.now() - t0 - 500);
    await s.context.close();
  }
} finally {
  await browser.close();
  stopServer();
}
console.log(`coldstart.basemap_drawn_median\t${median(basemap)}\tms\t-\truns=${basemap.join(',')}`);
console.log(`coldstart.demo_drawn_median\t${median(demo)}\tms\t-\truns=${demo.join(',')}`);
