/**
 * Real-shaped exports (test/fixtures/real) through the browser import, against real/expected.json:
 * Excel with a title and a totals row, GBK indicators keyed by district name with Chinese
 * quarters, BOM/CRLF customers with thousands separators and `--`; the value mapping shown in
 * the report and edited in the mapping step; a sites file with no own sites warned on screen.
 *
 *   npx vite build && E2E_PORT=5185 node --import tsx --test test/e2e/import-real.e2e.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addFiles, answerCrsWhereAsked, demoApp, replaceWhereAsked, upload, type Upload } from './harness.ts';
import { REAL_FIXTURES_DIR, realCases } from '../fixtures/index.ts';

const SHOTS = process.env.E2E_SHOTS ?? '/tmp/import-real-e2e';
mkdirSync(SHOTS, { recursive: true });

const real = (name: string): Upload => upload(name, readFileSync(join(REAL_FIXTURES_DIR, name)));


const card = (page: Page, name: string) => page.locator(`[data-testid="import-file"][data-file="${name}"]`);

async function load(page: Page): Promise<'ok' | 'failed' | 'cancelled'> {
  await replaceWhereAsked(page);
  await answerCrsWhereAsked(page);
  if (await page.getByTestId('import-load').isDisabled()) {
    await page.screenshot({ path: join(SHOTS, 'load-disabled.png'), fullPage: true });
    const problems = await page.getByTestId('import-pending-problems').innerText().catch(() => '(none listed)');
    throw new Error(`Load is disabled: ${problems}`);
  }
  await page.getByTestId('import-load').click({ timeout: 10_000 });
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="cancel"]') && (document.querySelector('[data-testid="import-report"]') || document.querySelector('[data-testid="import-cancelled"]')),
    null,
    { timeout: 120_000 },
  );
  const report = page.getByTestId('import-report');
  if (!(await report.count())) return 'cancelled';
  return (await report.getAttribute('data-ok')) === 'true' ? 'ok' : 'failed';
}

async function listedRejects(page: Page, file: string) {
  return page.evaluate((f) => {
    const rows = [...document.querySelectorAll('[data-testid="import-rejects"] tbody tr')] as HTMLElement[];
    return rows
      .filter((r) => r.dataset.file === f)
      .map((r) => ({ line: r.dataset.line ? Number(r.dataset.line) : null, column: r.querySelector('.col')!.textContent === '—' ? null : r.querySelector('.col')!.textContent, code: r.dataset.code! }));
  }, file);
}

describe('real-shaped exports in the browser', () => {
  let page: Page;
  const { session: s } = demoApp({ ready: (session) => void (page = session.page) });

  it('loads the Excel sites, GBK indicators by district name and the customers export as expected.json says', async () => {
    const cases = realCases();
    await addFiles(page, [real('areas.geojson'), ...cases.map((c) => real(c.file))]);
    for (const c of cases) assert.equal(await card(page, c.file).getByTestId('import-kind').inputValue(), c.kind, c.file);
    assert.equal(await load(page), 'ok', await page.getByTestId('import-report').innerText());
    for (const c of cases) {
      const cells = await page.locator(`[data-testid="import-files"] tr[data-file="${c.file}"] td`).allInnerTexts();
      assert.deepEqual(cells.slice(1, 4).map((x) => Number(x.replace(/,/g, ''))), [c.read, c.kept, c.rejects!.length], `${c.file}: ${cells.join(' | ')}`);
      assert.deepEqual(await listedRejects(page, c.file), c.rejects!.map((r) => ({ line: r.line, column: r.column, code: r.code })), c.file);
    }
    const report = await page.getByTestId('import-report').innerText();
    for (const c of cases) for (const r of c.rejects ?? []) if (r.reason) assert.ok(report.includes(r.reason), `${c.file}: reason "${r.reason}" not shown`);
    const valueMap = await page.getByTestId('import-valuemap').innerText();
    for (const line of realCases().flatMap((c) => c.valueMap ?? [])) assert.ok(valueMap.includes(line), `value map line "${line}" in ${valueMap}`);
    const warnings = await page.getByTestId('import-warnings').innerText();
    assert.match(warnings, /indicators_gbk\.csv: 9 rows matched to areas by name/);
    assert.match(warnings, /GBK/);
    const got = await page.evaluate(() => {
      const d = (window as unknown as { __bpApp: { dataset: { summary: { counts: Record<string, number>; periods: string[] } } } }).__bpApp.dataset.summary;
      return { counts: d.counts, periods: d.periods };
    });
    assert.deepEqual(got.periods, ['2024Q1', '2024Q2', '2024Q3']);
    assert.equal(got.counts.sites, 7);
    assert.equal(got.counts.customers, 7);
    assert.equal(got.counts.indicators, 9);
    await page.screenshot({ path: join(SHOTS, '01-real-loaded.png'), fullPage: true });
  });

  it('in zh-CN the report of the real exports has no English sentence: reasons, details, warnings, value map', async () => {
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="import-panel"] h2')?.textContent === '您的数据', null, { timeout: 5_000 });
    // The loader's words, not the data's: file and column names and raw rows are left out.
    const texts = await page.evaluate(() => {
      const q = (sel: string) => [...document.querySelectorAll(sel)].map((e) => e.textContent ?? '');
      return [
        ...q('[data-testid="import-rejects"] tbody td:nth-child(3)'),
        ...q('[data-testid="import-reasons"] li'),
        ...q('[data-testid="import-warnings"] li'),
        ...q('[data-testid="import-valuemap"] li'),
        ...q('[data-testid="import-report"] > p, [data-testid="import-report"] h3'),
      ];
    });
    assert.ok(texts.length > 10, texts.join('\n'));
    const files = ['areas.geojson', ...realCases().map((c) => c.file)];
    // Three English words in a row is a sentence left untranslated (names like loan_balance are one word).
    const english = texts
      .map((t) => files.reduce((s, f) => s.replaceAll(f, ''), t))
      .filter((t) => /\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}\b/.test(t));
    assert.deepEqual(english, []);
    await page.screenshot({ path: join(SHOTS, '01-real-loaded-zh.png'), fullPage: true });
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="import-panel"] h2')?.textContent === 'Your data', null, { timeout: 5_000 });
  });

  it('the value mapping is edited in the mapping step: 柜台 → branch keeps the row that was rejected', async () => {
    await addFiles(page, [real('sites.xlsx')]);
    const f = card(page, 'sites.xlsx');
    if (!(await f.getByTestId('import-values').count())) await f.getByTestId('import-mapping-show').click();
    assert.match(await f.getByTestId('import-values').innerText(), /支行、分行、营业部、二级支行、分理处、网点 → branch/);
    await f.getByTestId('import-value-word').fill('柜台');
    await f.getByTestId('import-value-to').selectOption('branch');
    await f.getByTestId('import-value-add').click();
    assert.match(await f.getByTestId('import-value-entry').innerText(), /type\s+柜台\s+→ branch/);
    await page.screenshot({ path: join(SHOTS, '02-value-mapping.png'), fullPage: true });
    assert.equal(await load(page), 'ok');
    const cells = await page.locator('[data-testid="import-files"] tr[data-file="sites.xlsx"] td').allInnerTexts();
    assert.deepEqual(cells.slice(1, 4), ['9', '8', '1']);
    assert.match(await page.getByTestId('import-valuemap').innerText(), /type: 柜台 → branch: 1 row\b/);
  });

  it('a sites file with no own sites says so on screen, in both languages', async () => {
    const csv = '网点编号,网点类型,所属机构,经度,纬度\nC1,支行,工商银行,121.47,31.23\nC2,自助银行,建设银行,121.48,31.22\n';
    await addFiles(page, [upload('竞品网点.csv', csv)]);
    assert.equal(await load(page), 'ok');
    assert.match(await page.getByTestId('import-warnings').innerText(), /竞品网点\.csv: no own sites/);
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="import-panel"] h2')?.textContent === '您的数据', null, { timeout: 5_000 });
    const zh = await page.getByTestId('import-warnings').innerText();
    assert.match(zh, /竞品网点\.csv：没有本行网点/);
    assert.doesNotMatch(zh, /no own sites/);
    assert.match(await page.getByTestId('import-valuemap').innerText(), /type：支行 → branch：1 行/);
    await page.screenshot({ path: join(SHOTS, '03-no-own-zh.png'), fullPage: true });
    await page.getByTestId('lang-switch').click();
  });

  it('asks for the CRS of a Chinese-looking file, explains GCJ-02 and BD-09, converts, and remembers the choice per file name', async () => {
    const csv = '客户编号,经度,纬度\nG1,121.4737,31.2304\nG2,121.5,31.24\n';
    await addFiles(page, [upload('客户坐标.csv', csv)]);
    const f = card(page, '客户坐标.csv');
    const ask = f.getByTestId('import-crs-ask');
    await ask.waitFor({ timeout: 5_000 });
    const text = await ask.innerText();
    assert.match(text, /GCJ-02 is the offset system/);
    assert.match(text, /BD-09 is Baidu Maps’ own system/);
    await page.screenshot({ path: join(SHOTS, '05-crs-ask.png'), fullPage: true });
    // Unanswered, the question holds the load back.
    assert.equal(await page.getByTestId('import-load').isDisabled(), true);
    assert.match(await page.getByTestId('import-pending-problems').innerText(), /客户坐标\.csv: answer which coordinate system/);
    await f.getByTestId('import-crs-ask-gcj02').click();
    assert.equal(await page.evaluate(() => document.querySelector('[data-testid="import-pending-problems"]')?.textContent ?? ''), '');
    assert.equal(await ask.count(), 0);
    assert.equal(await f.getByTestId('import-crs').inputValue(), 'gcj02');
    assert.equal(await load(page), 'ok');
    const loaded = await page.evaluate(() => (window as unknown as { __bpApp: { dataset: { summary: { counts: { customers: number } } } } }).__bpApp.dataset.summary.counts.customers);
    assert.equal(loaded, 2);
    assert.match(await page.locator('[data-testid="import-files"] tr[data-file="客户坐标.csv"]').innerText(), /2/);
    // The same file name again: the choice is remembered, no question.
    await addFiles(page, [upload('客户坐标.csv', csv)]);
    const again = card(page, '客户坐标.csv');
    assert.equal(await again.getByTestId('import-crs').inputValue(), 'gcj02');
    assert.equal(await again.getByTestId('import-crs-ask').count(), 0);
    await again.getByTestId('import-remove').click();
    // English headers with points in China ask too; points elsewhere do not.
    await addFiles(page, [upload('pts.csv', 'customer_id,lon,lat\na,121.47,31.23\n'), upload('paris.csv', 'customer_id,lon,lat\na,2.35,48.85\n')]);
    assert.equal(await card(page, 'pts.csv').getByTestId('import-crs-ask').count(), 1);
    assert.equal(await card(page, 'paris.csv').getByTestId('import-crs-ask').count(), 0);
    await card(page, 'pts.csv').getByTestId('import-remove').click();
    await card(page, 'paris.csv').getByTestId('import-remove').click();
  });

  it('a partial dataset: Risk without indicators says which file it needs and offers to load it, no engine text', async () => {
    await addFiles(page, [real('areas.geojson'), real('customers.csv')]);
    assert.equal(await page.getByTestId('import-replace').isChecked(), true);
    assert.equal(await load(page), 'ok');
    await page.getByTestId('tab-risk').click();
    const needs = page.getByTestId('needs-data');
    await needs.waitFor({ timeout: 10_000 });
    assert.equal(await needs.getAttribute('data-missing'), 'indicators');
    const text = await needs.innerText();
    assert.match(text, /Risk needs data that is not loaded yet/);
    assert.match(text, /Area indicators/);
    await page.waitForTimeout(1_000);
    assert.doesNotMatch(await page.locator('body').innerText(), /Catalog Error|does not exist|Binder Error/);
    await page.screenshot({ path: join(SHOTS, '04-risk-needs-indicators.png'), fullPage: true });
    // Hotspots has what it needs (areas and customers): it runs, no notice.
    await page.getByTestId('tab-hotspots').click();
    await page.getByTestId('hotspots-panel').waitFor({ timeout: 10_000 });
    assert.equal(await page.getByTestId('needs-data').count(), 0);
    await page.getByTestId('tab-risk').click();
    await page.getByTestId('needs-load').click();
    await page.getByTestId('import-input').waitFor({ state: 'attached', timeout: 5_000 });
    assert.equal(await page.getByTestId('tab-data').getAttribute('aria-selected'), 'true');
  });

  it('raised no page errors and made no request outside the origin', () => {
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.external, []);
  });
});
