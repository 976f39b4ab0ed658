/**
 * The risk PDF report written in the PDF worker: the credit-policy table the analyst edited
 * comes back out of the file row by row (poppler's pdftotext -layout), the main thread's long
 * tasks during the export are measured (PerformanceObserver 'longtask': what the user feels
 * as a frozen page), and Cancel stops a report at once with the next one still working.
 *
 *     npx vite build && E2E_PORT=4306 node --import tsx --test test/e2e/pdf-report.e2e.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { demoApp } from './harness.ts';

interface LongTasks { n: number; totalMs: number; maxMs: number }

/** Start recording the main thread's long tasks (> 50 ms) in the page. */
const watchLongTasks = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[]; __longObs?: PerformanceObserver };
    w.__longObs?.disconnect();
    w.__longTasks = [];
    w.__longObs = new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration)));
    w.__longObs.observe({ type: 'longtask' });
  });

const longTasks = (page: Page): Promise<LongTasks> =>
  page.evaluate(() => {
    const d = (window as unknown as { __longTasks: number[] }).__longTasks;
    return { n: d.length, totalMs: d.reduce((t, x) => t + x, 0), maxMs: d.reduce((m, x) => Math.max(m, x), 0) };
  });

async function download(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 180_000 }), click()]);
  return readFileSync(await dl.path());
}

describe('risk PDF report from the PDF worker', () => {
  const { session: s } = demoApp();

  it('prints the edited credit-policy table, row by row, and keeps the main thread free', async () => {
    const page = s.page;
    await page.getByTestId('tab-risk').click();
    await page.locator('[data-testid="risk-policy-section"] summary').click({ timeout: 60_000 });
    await page.getByTestId('risk-policy-4-max_ltv_pct').fill('65');
    await page.getByTestId('risk-policy-2-spread_bp').fill('25');
    await page.getByTestId('risk-policy-4-notes').fill('新增贷款须总行特批');
    await page.getByTestId('tab-share').click();
    await page.getByTestId('share-pdf-risk').waitFor({ timeout: 10_000 });
    await watchLongTasks(page);
    const t0 = Date.now();
    const bytes = await download(page, () => page.getByTestId('share-pdf-risk').click({ noWaitAfter: true, timeout: 120_000 }));
    const wallMs = Date.now() - t0;
    const lt = await longTasks(page);
    const timings = await page.evaluate(() => (window as unknown as { __bpShare: { lastPdfTimings: unknown } }).__bpShare.lastPdfTimings);
    console.log(`# risk PDF: ${wallMs} ms wall, ${(bytes.length / 1024).toFixed(0)} KB; main-thread long tasks: ${lt.n}, ${lt.totalMs.toFixed(0)} ms in all, longest ${lt.maxMs.toFixed(0)} ms; ${JSON.stringify(timings)}`);
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/risk-report.pdf', bytes);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', 'test-results/risk-report.pdf', '-'], { encoding: 'utf8' });
    const lines = text.split('\n');
    // One line per tier: its range, then the policy fields in order, then its area count.
    const tierLine = (n: number) => lines.find((l) => new RegExp(`^\\s*Tier ${n}\\b`).test(l)) ?? '';
    for (const n of [1, 2, 3, 4]) assert.ok(tierLine(n), `a row for tier ${n} in:\n${text}`);
    assert.match(tierLine(4), /\b65\b/, `tier 4 prints the edited max LTV: ${tierLine(4)}`);
    assert.match(tierLine(2), /\b25\b/, `tier 2 prints the edited spread: ${tierLine(2)}`);
    // The note wraps in its cell: its first part on the tier's line, the rest on the next.
    assert.match(text, /Tier 4[^\n]*新增贷款须[^\n]*\n\s*总行特批/, 'the tier-4 note (wrapped in its cell)');
    assert.match(text, /Max\.? LTV|LTV/, 'the policy columns are headed');
    // The file was written in the worker; the main thread only drew the map (WebGL: it needs the
    // live map's style and layers), waiting for the GPU between tasks (a fence), not inside one.
    const tm = timings as { mapsMs: number; buildMs: number } | null;
    assert.ok(tm && tm.buildMs > 0 && tm.mapsMs > 0, 'timings of the maps and the worker build');
  });

  it('cancels a report at once, and the next one is written', async () => {
    const page = s.page;
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.getByTestId('share-pdf-risk').click({ noWaitAfter: true, timeout: 120_000 });
    await page.getByTestId('cancel').waitFor({ timeout: 60_000 });
    const t0 = Date.now();
    await page.getByTestId('cancel').click({ noWaitAfter: true, timeout: 120_000 });
    await page.waitForFunction(() => /Cancelled/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), null, { timeout: 30_000 });
    const ms = Date.now() - t0;
    await page.waitForTimeout(1500);
    assert.equal(downloads, 0, 'no file after Cancel');
    console.log(`# cancel: idle ${ms} ms after the click`);
    const bytes = await download(page, () => page.getByTestId('share-pdf-risk').click({ noWaitAfter: true, timeout: 120_000 }));
    assert.ok(bytes.subarray(0, 5).toString() === '%PDF-');
  });

  it('stays offline and error-free', () => {
    assert.deepEqual(s.external, []);
    assert.deepEqual(s.errors, []);
  });
});
