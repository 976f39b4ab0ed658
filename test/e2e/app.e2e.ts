import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { canvasStats, launch, openApp, startServer, stopServer, waitForDemo, type Session } from './harness.ts';

describe('walking skeleton on the demo city', () => {
  let browser: Browser;
  let s: Session;

  before(async () => {
    await startServer();
    browser = await launch();
    // `?canary` makes the DB worker send one request to an address outside the origin.
    s = await openApp(browser, { path: '/?canary' });
    await waitForDemo(s.page);
  });

  after(async () => {
    await browser?.close();
    stopServer();
  });

  it('draws a map that is not blank', async () => {
    const st = await canvasStats(s.page);
    assert.ok(st.width > 500 && st.height > 400, `canvas ${st.width}×${st.height}`);
    // Water, land, choropleth classes, outlines, labels and symbols: many colours, real contrast.
    assert.ok(st.distinctColors > 200, `only ${st.distinctColors} distinct colours`);
    assert.ok(st.stdDev > 12, `luminance std dev ${st.stdDev.toFixed(1)} — looks flat`);
  });

  it('shows the district names on the map', async () => {
    const names = await s.page.evaluate(() => {
      const m = (window as unknown as { __bpMap: { queryRenderedFeatures(o: object): Array<{ properties: { name?: string } }> } }).__bpMap;
      return m.queryRenderedFeatures({ layers: ['area-label'] }).map((f) => f.properties.name);
    });
    for (const n of ['黄浦区', '浦东新区', '崇明区']) assert.ok(names.includes(n), `label ${n} not rendered (got ${names.join(',')})`);
  });

  it('shows a text tooltip when hovering a district', async () => {
    const pt = await s.page.evaluate(() => {
      const m = (window as unknown as { __bpMap: { project(ll: [number, number]): { x: number; y: number }; getContainer(): HTMLElement } }).__bpMap;
      const p = m.project([121.7, 31.15]); // inside Pudong
      const r = m.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await s.page.mouse.move(pt.x, pt.y);
    await s.page.mouse.move(pt.x + 2, pt.y + 2);
    const tip = s.page.getByTestId('tooltip');
    await tip.waitFor({ timeout: 10_000 });
    const text = await tip.innerText();
    assert.match(text, /Pudong/); // the browser speaks en-US, so English names
    assert.match(text, /Resident population: [0-9,]+ persons/);
    assert.equal(await tip.locator('img, script').count(), 0);
  });

  it('selects a district on click and lists its indicators', async () => {
    const pt = await s.page.evaluate(() => {
      const m = (window as unknown as { __bpMap: { project(ll: [number, number]): { x: number; y: number }; getContainer(): HTMLElement } }).__bpMap;
      const p = m.project([121.7, 31.15]);
      const r = m.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await s.page.mouse.click(pt.x, pt.y);
    const name = s.page.getByTestId('area-name');
    await name.waitFor({ timeout: 10_000 });
    assert.equal(await name.innerText(), 'Pudong');
    const rows = await s.page.getByTestId('area-panel').locator('tbody tr').count();
    assert.ok(rows >= 5, `only ${rows} indicator rows`);
  });

  it('switches language and the visible text changes', async () => {
    const before = await s.page.getByTestId('tab-data').innerText();
    assert.equal(before, 'Data');
    await s.page.getByTestId('lang-switch').click();
    await s.page.waitForFunction(() => document.querySelector('[data-testid="tab-data"]')?.textContent === '数据', null, { timeout: 5_000 });
    assert.equal(await s.page.getByTestId('app-title').innerText(), '网点规划');
    assert.equal(await s.page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await s.page.getByTestId('lang-switch').click();
    await s.page.waitForFunction(() => document.querySelector('[data-testid="tab-data"]')?.textContent === 'Data', null, { timeout: 5_000 });
  });

  it('makes no request outside its origin, and would have seen one from the DB worker', async () => {
    // The canary proves interception covers the DB worker; nothing else may leave.
    await s.page.waitForFunction(() => true, null, { timeout: 1_000 });
    const deadline = Date.now() + 10_000;
    while (!s.external.some((u) => u.includes('canary.invalid')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(s.external.some((u) => u.includes('canary.invalid')), 'the DB worker canary was not observed');
    const others = s.external.filter((u) => !u.includes('canary.invalid'));
    assert.deepEqual(others, []);
  });

  it('raised no page errors', () => {
    assert.deepEqual(s.errors.filter((e) => !e.includes('canary.invalid')), []);
  });
});
