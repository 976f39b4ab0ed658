/**
 * Safe sharing and the Sites result a link carries (issue 12): with safe sharing on, the
 * address bar's link leaves out every per-site demand figure below the share settings' k
 * (and the cumulatives that would give one back), and a browser opening it shows "< k".
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoApp, screenshotsIn } from './harness.ts';
import { decodeHash } from '../../src/pipeline/share/permalink.ts';
import { parseSitesSlice } from '../../src/pipeline/sites/sites-link.ts';

const shot = screenshotsIn(process.env.E2E_SHOTS ?? join('test-results', 'sites-safe'));
interface Row { id: string; marginalDemand: number; coveredDemand: number; huffCaptured: number }
type Result = ReturnType<typeof parseSitesSlice>['result'];
/** The address bar's link once its Sites result (packed: decoded here) satisfies `ok`. */
async function linkWhere(page: Page, ok: (r: Result) => boolean): Promise<{ hash: string; result: Result }> {
  const until = Date.now() + 30_000;
  for (;;) {
    const hash = await page.evaluate(() => location.hash);
    const slice = decodeHash(hash).state.slices?.sites;
    const result = slice ? parseSitesSlice(slice).result : undefined;
    if (ok(result)) return { hash, result };
    if (Date.now() > until) throw new Error(`the link never showed the expected result (${hash.length} characters)`);
    await page.waitForTimeout(200);
  }
}
const rowsOf = (page: Page) => page.evaluate(() => (window as unknown as { __bpSites: { scenario: { rows: Row[] } | null } }).__bpSites.scenario?.rows ?? null);

describe('safe links from the Sites tab', () => {
  let page: Page;
  const { another } = demoApp({
    viewport: { width: 1400, height: 900 },
    async ready(session) {
      page = session.page;
      await page.getByTestId('tab-sites').click();
      await page.waitForSelector('[data-testid="sites-run"]', { timeout: 10_000 });
    },
  });

  let sharedHash = '';

  it('never puts a demand count below k in the link; the reopened link shows "< k"', async () => {
    // enough sites that the last ones add few customers
    if (!(await page.getByTestId('sites-k').isVisible())) await page.getByTestId('sites-params-toggle').click({ timeout: 10_000 });
    // 40 sites: a link carries them packed (sites-link.ts) within the 4,000-character slice limit
    await page.getByTestId('sites-k').fill('40');
    if (!(await page.getByTestId('sites-replicates').isVisible())) await page.getByTestId('sites-more').click();
    await page.getByTestId('sites-replicates').fill('0');
    await page.getByTestId('sites-run').click();
    await page.waitForFunction(() => (window as unknown as { __bpSites: { run: unknown } }).__bpSites.run !== null, null, { timeout: 300_000 });
    const rows = (await rowsOf(page))!;
    // k above some of the run's marginal demand, so the rule has something to do
    const k = Math.max(2, Math.min(1000, Math.floor(Math.min(...rows.map((r) => r.marginalDemand))) + 1));
    await page.getByTestId('tab-share').click();
    if (!(await page.getByTestId('share-safe').isChecked())) await page.getByTestId('share-safe').check();
    await page.getByTestId('share-k').fill(String(k));
    await page.getByTestId('share-k').dispatchEvent('change');
    const { hash, result } = await linkWhere(page, (r) => r?.maskedBelow === k);
    sharedHash = hash;
    assert.equal(result!.sites.length, 40, 'the link carries all 40 sites');
    const counts = [result!.totalDemand, result!.existingCoveredDemand, result!.coveredDemand, ...result!.sites.flatMap((s) => [s.marginalDemand, s.coveredDemand, s.huffCaptured])];
    for (const c of counts.filter(Number.isFinite)) assert.ok(c === 0 || c >= k, `a count ${c} below k = ${k} in the link`);
    const small = rows.filter((r) => r.marginalDemand > 0 && r.marginalDemand < k);
    assert.ok(small.length > 0, 'some site adds fewer than k');
    for (const r of small) assert.ok(!Number.isFinite(result!.sites.find((s) => s.id === r.id)!.marginalDemand), `${r.id}: ${r.marginalDemand} left out`);
    // the same result with safe sharing off carries every figure
    await page.getByTestId('share-safe').uncheck();
    const open = (await linkWhere(page, (r) => r !== undefined && r.maskedBelow === undefined)).result!;
    assert.deepEqual(open.sites.map((s) => s.marginalDemand), rows.map((r) => r.marginalDemand));
    await page.getByTestId('share-safe').check();
    await page.waitForTimeout(400);
    await shot(page, '01-share-safe.png');
    await another({ path: '/' + hash, viewport: { width: 1400, height: 900 } }, async (o) => {
      await o.page.waitForFunction(() => (window as unknown as { __bpSites?: { restored?: { sites: unknown[] } } }).__bpSites?.restored?.sites.length === 40, null, { timeout: 120_000 });
      const q = rows.indexOf(small[0]);
      await o.page.getByTestId(`sites-row-${q + 1}-marginal`).waitFor({ timeout: 10_000 });
      assert.equal((await o.page.getByTestId(`sites-row-${q + 1}-marginal`).textContent())!.replace(/[\s,]/g, ''), `<${k}`);
      await o.page.waitForTimeout(600);
      await shot(o.page, '02-restored-safe.png');
    });
    console.log(`safe link, k = ${k}: ${small.length} of ${rows.length} sites' marginal demand left out (${small.map((r) => r.marginalDemand).join(', ')})`);
  });

  it('a link whose result was damaged keeps its parameters, recommends again and says so', async () => {
    const q = new URLSearchParams(sharedHash.slice(1));
    const slice = JSON.parse(q.get('s.sites')!);
    const b: string = slice.rp.b;
    slice.rp.b = b.slice(0, 20) + (b[20] === 'A' ? 'B' : 'A') + b.slice(21);
    q.set('s.sites', JSON.stringify(slice));
    await another({ path: '/#' + q.toString(), viewport: { width: 1400, height: 900 } }, async (o) => {
      await o.page.getByTestId('sites-link-unread').waitFor({ timeout: 300_000 });
      const v = await o.page.evaluate(() => (window as unknown as { __bpSites: { restored: unknown; run: { runId: number } | null } }).__bpSites);
      assert.equal(v.restored, null, 'no result restored from the damaged link');
      if (!(await o.page.getByTestId('sites-k').isVisible())) await o.page.getByTestId('sites-params-toggle').click({ timeout: 10_000 });
      assert.equal(await o.page.getByTestId('sites-k').inputValue(), '40', 'the parameters came back');
      await o.page.waitForSelector('[data-testid="sites-row-40"]', { timeout: 300_000 });
      await shot(o.page, '03-damaged-link.png');
      assert.deepEqual(o.errors, []);
    });
  });
});
