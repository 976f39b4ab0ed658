/**
 * The browser import end to end: files through the file picker and by drag & drop,
 * kind detection, column mapping, sheets, CRS, load with progress and cancel, the rejects report
 * (text only, CSV download), every bad fixture against bad/expected.json, and the dataset kept in
 * IndexedDB (restored on reload, cleared on request).
 *
 *   npx vite build && E2E_PORT=4394 node --import tsx --test test/e2e/import.e2e.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import type { Page } from 'playwright-core';
import { addFiles, answerCrsWhereAsked, demoApp, replaceWhereAsked, upload, waitForDemo, type Upload } from './harness.ts';
import { BAD_FIXTURES_DIR, GOOD_COUNTS, GOOD_FIXTURES, badCases, type BadCase } from '../fixtures/index.ts';

const SHOTS = process.env.E2E_SHOTS ?? '/tmp/import-e2e';
mkdirSync(SHOTS, { recursive: true });

const fromFile = (path: string, name = path.split('/').pop()!): Upload => upload(name, readFileSync(path));


const card = (page: Page, name: string) => page.locator(`[data-testid="import-file"][data-file="${name.replaceAll('"', '\\"')}"]`);

/** Click Load and wait for the report of this load (or a cancellation). */
async function load(page: Page, opts: { replace?: boolean } = {}): Promise<'ok' | 'failed' | 'cancelled'> {
  if (opts.replace ?? true) await replaceWhereAsked(page);
  await answerCrsWhereAsked(page);
  await page.getByTestId('import-load').click({ timeout: 10_000 });
  await page.waitForFunction(
    () => {
      const busy = document.querySelector('[data-testid="cancel"]');
      const report = document.querySelector('[data-testid="import-report"]');
      return !busy && (report || document.querySelector('[data-testid="import-cancelled"]'));
    },
    null,
    { timeout: 120_000 },
  );
  const report = page.getByTestId('import-report');
  if (!(await report.count())) return 'cancelled';
  return (await report.getAttribute('data-ok')) === 'true' ? 'ok' : 'failed';
}

async function counts(page: Page): Promise<string> {
  return page.getByTestId('dataset-counts').innerText({ timeout: 10_000 });
}

async function datasetCounts(page: Page): Promise<{ areas: number; customers: number; sites: number; indicators: number; outside: number }> {
  return page.evaluate(() => {
    const c = (window as unknown as { __bpApp: { dataset: { summary: { counts: Record<string, number> } } } }).__bpApp.dataset.summary.counts;
    return { areas: c.areas, customers: c.customers, sites: c.sites, indicators: c.indicators, outside: c.outside };
  });
}

/** Rejected rows listed in the report for one file: line, column, code. */
async function listedRejects(page: Page, file: string): Promise<Array<{ line: number | null; column: string | null; code: string }>> {
  return page.evaluate((f) => {
    const rows = [...document.querySelectorAll('[data-testid="import-rejects"] tbody tr')] as HTMLElement[];
    return rows
      .filter((r) => r.dataset.file === f)
      .map((r) => ({
        line: r.dataset.line ? Number(r.dataset.line) : null,
        column: r.querySelector('.col')!.textContent === '—' ? null : r.querySelector('.col')!.textContent,
        code: r.dataset.code!,
      }));
  }, file);
}

interface StatusEntry { status: string; customers: number | null; undone: boolean; stored: boolean }

/**
 * From now on (and after reloads: an init script), record every text the status bar shows, with
 * the customers on screen at that moment and whether the undo note and the kept record are shown.
 */
async function recordStatus(page: Page): Promise<void> {
  const install = () => {
    const w = window as unknown as { __bpStatusLog?: StatusEntry[]; __bpApp?: { dataset?: { summary: { counts: { customers: number } } } } };
    if (w.__bpStatusLog) return;
    const log: StatusEntry[] = (w.__bpStatusLog = []);
    const record = () => {
      const text = document.querySelector('[data-testid="status"]')?.textContent?.trim() ?? '';
      if (!text || log[log.length - 1]?.status === text) return;
      log.push({
        status: text,
        customers: w.__bpApp?.dataset?.summary.counts.customers ?? null,
        undone: !!document.querySelector('[data-testid="import-undone"]'),
        stored: !!document.querySelector('[data-testid="import-stored"]'),
      });
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true });
    record();
  };
  await page.addInitScript(install);
  await page.evaluate(install);
}

async function statusLog(page: Page): Promise<StatusEntry[]> {
  return page.evaluate(() => (window as unknown as { __bpStatusLog: StatusEntry[] }).__bpStatusLog.splice(0));
}

/** Two areas A and B (for the indicators fixtures, whose rows name areas A and B). */
const AREAS_AB = JSON.stringify({
  type: 'FeatureCollection',
  features: ['A', 'B'].map((id, i) => ({
    type: 'Feature',
    properties: { area_id: id, name: id },
    geometry: { type: 'Polygon', coordinates: [[[121 + i * 0.1, 31], [121.1 + i * 0.1, 31], [121.1 + i * 0.1, 31.1], [121 + i * 0.1, 31.1], [121 + i * 0.1, 31]]] },
  })),
});

describe('import in the browser', () => {
  let page: Page;
  const dialogs: string[] = [];
  const { session: s } = demoApp({
    ready(session) {
      page = session.page;
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
    },
  });

  it('starts on the demo city with nothing kept in the browser', async () => {
    assert.match(await counts(page), /16 areas/);
    assert.equal(await page.getByTestId('import-stored').count(), 0);
    assert.equal(await page.getByTestId('import-clear').count(), 0);
  });

  it('adding customers to the demo asks replace or append; append keeps the demo and rejects an id already loaded; undo restores the demo', async () => {
    const demo = await datasetCounts(page);
    assert.ok(demo.customers > 190_000);
    // N1 and N2 are new; C0000002 is a demo customer already.
    await addFiles(page, [upload('more_customers.csv', 'customer_id,lon,lat\nN1,121.47,31.23\nC0000002,121.48,31.23\nN2,121.49,31.23\n')]);
    await answerCrsWhereAsked(page); // points in China: WGS84, said explicitly
    const ask = page.getByTestId('import-mode-customers');
    assert.match(await ask.innerText(), /Already loaded: Customers, 200,000 rows/);
    assert.equal(await page.getByTestId('import-load').isDisabled(), true);
    assert.equal(await page.getByTestId('import-mode-choose').count(), 1);
    await page.screenshot({ path: join(SHOTS, 'append-choice.png'), fullPage: true });
    await page.getByTestId('import-mode-customers-append').check();
    assert.equal(await load(page, { replace: false }), 'ok');
    assert.deepEqual(await datasetCounts(page), { ...demo, customers: demo.customers + 2 });
    assert.deepEqual(await listedRejects(page, 'more_customers.csv'), [{ line: 3, column: 'customer_id', code: 'duplicate_id' }]);
    assert.match(await page.getByTestId('import-report').innerText(), /already loaded/);
    // Both customer files are reported, and the dataset keeps its name.
    const reported = await page.locator('[data-testid="import-files"] tr[data-file]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.file));
    assert.ok(reported.includes('more_customers.csv') && reported.some((f) => /^customers\.csv/.test(f ?? '')), reported.join(', '));
    assert.equal(
      await page.evaluate(() => (window as unknown as { __bpApp: { dataset: { summary: { name: { en: string } } } } }).__bpApp.dataset.summary.name.en),
      'Shanghai (demo)',
    );
    await page.screenshot({ path: join(SHOTS, 'append-done.png'), fullPage: true });
    // The kept record holds the appended file on top of the demo.
    assert.match(await page.getByTestId('import-stored').innerText(), /more_customers\.csv/);

    // The status bar is busy from the click until the previous data is on screen and the kept
    // record says so: it never says Ready in between (every change of the bar is recorded).
    await recordStatus(page);
    await page.getByTestId('import-undo').click({ timeout: 10_000 });
    await page.getByTestId('import-undone').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.trim() === 'Ready', null, { timeout: 30_000 });
    const log = await statusLog(page);
    const began = log.findIndex((e) => /Restoring the previous data/.test(e.status));
    assert.ok(began >= 0, JSON.stringify(log));
    const early = log.slice(began).filter((e) => e.status === 'Ready' && (e.customers !== demo.customers || !e.undone || e.stored));
    assert.deepEqual(early, [], 'Ready only once the previous data is back and kept');
    assert.deepEqual(await datasetCounts(page), demo);
    assert.equal(await page.getByTestId('import-undo').count(), 0);
    assert.equal(await page.getByTestId('import-stored').count(), 0);
    await page.screenshot({ path: join(SHOTS, 'append-undone.png'), fullPage: true });
  });

  it('an append on top of the demo is kept: a reload shows the demo plus the appended rows', async () => {
    const demo = await datasetCounts(page);
    await addFiles(page, [upload('more_customers.csv', 'customer_id,lon,lat\nN1,121.47,31.23\nN2,121.49,31.23\n')]);
    await answerCrsWhereAsked(page); // points in China: WGS84, said explicitly
    await page.getByTestId('import-mode-customers-append').check();
    assert.equal(await load(page, { replace: false }), 'ok');
    assert.equal((await datasetCounts(page)).customers, demo.customers + 2);
    // The record is written after the report shows ("Keeping the loaded files…" meanwhile).
    await page.waitForFunction(() => /more_customers\.csv/.test(document.querySelector('[data-testid="import-stored"]')?.textContent ?? ''), null, { timeout: 30_000 });
    assert.equal(await page.getByTestId('import-saving').count(), 0);
    await recordStatus(page);
    await page.reload({ timeout: 30_000 });
    await page.getByTestId('import-report').waitFor({ timeout: 90_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.trim() === 'Ready', null, { timeout: 90_000 });
    assert.deepEqual(await datasetCounts(page), { ...demo, customers: demo.customers + 2 });
    // Restoring is the demo, then the appended file: the bar is busy throughout, not Ready
    // with the demo alone on screen.
    const log = await statusLog(page);
    assert.ok(log.some((e) => /Restoring the data kept in this browser/.test(e.status)), JSON.stringify(log));
    assert.deepEqual(log.filter((e) => e.status === 'Ready' && e.customers !== null && e.customers !== demo.customers + 2), [], JSON.stringify(log));
    assert.match(await page.getByTestId('import-report').innerText(), /Restored from this browser: more_customers\.csv/);
    assert.match(await page.getByTestId('import-stored').innerText(), /more_customers\.csv/);
    // Back to the plain demo for the tests below.
    await page.getByTestId('import-clear').click({ timeout: 10_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="import-stored"]'), null, { timeout: 90_000 });
    // The stored record goes first, then the demo loads afresh.
    await page.waitForFunction(
      (n) => (window as unknown as { __bpApp: { dataset: { summary: { counts: { customers: number } } } } }).__bpApp.dataset.summary.counts.customers === n,
      demo.customers,
      { timeout: 90_000 },
    );
    assert.deepEqual(await datasetCounts(page), demo);
  });

  it('loads the good dataset through the file picker: kinds recognised, counts and customers outside shown', async () => {
    await addFiles(page, [GOOD_FIXTURES.areas, GOOD_FIXTURES.indicators, GOOD_FIXTURES.customers, GOOD_FIXTURES.sites, GOOD_FIXTURES.candidates].map((p) => fromFile(p)));
    const kinds: Record<string, string> = {};
    for (const name of ['areas.geojson', 'indicators.csv', 'customers.csv', 'sites.csv', 'candidates.csv']) {
      kinds[name] = await card(page, name).getByTestId('import-kind').inputValue();
    }
    assert.deepEqual(kinds, { 'areas.geojson': 'areas', 'indicators.csv': 'indicators', 'customers.csv': 'customers', 'sites.csv': 'sites', 'candidates.csv': 'candidates' });
    // Names match the contract: no mapping step opened.
    assert.equal(await page.getByTestId('import-mapping').count(), 0);
    assert.equal(await page.getByTestId('import-replace').isChecked(), true);
    await page.screenshot({ path: join(SHOTS, '01-good-pending.png'), fullPage: true });
    assert.equal(await load(page), 'ok');
    const c = await datasetCounts(page);
    assert.deepEqual(c, { areas: GOOD_COUNTS.areas, customers: GOOD_COUNTS.customers, sites: GOOD_COUNTS.sites, indicators: GOOD_COUNTS.indicators, outside: GOOD_COUNTS.customersOutside });
    const text = await counts(page);
    assert.match(text, /3 areas/);
    assert.match(text, /60 customers/);
    assert.match(text, /20 sites/);
    assert.match(await page.getByTestId('import-outside').innerText(), /6 customers lie outside every area/);
    assert.equal(await page.getByTestId('dataset-name').innerText(), 'Your data');
    assert.equal(await page.getByTestId('import-no-rejects').count(), 1);
    assert.match(await page.getByTestId('import-stored').innerText(), /areas\.geojson/);
    await page.screenshot({ path: join(SHOTS, '02-good-loaded.png'), fullPage: true });
  });

  it('keeps the loaded dataset in the browser: a reload restores it without asking for files', async () => {
    await page.reload({ timeout: 30_000 });
    await page.waitForFunction(
      () => (window as unknown as { __bpApp?: { dataset?: { summary: { counts: { areas: number } } } } }).__bpApp?.dataset?.summary.counts.areas === 3,
      null,
      { timeout: 90_000 },
    );
    await page.getByTestId('import-report').waitFor({ timeout: 30_000 });
    assert.deepEqual(await datasetCounts(page), { areas: 3, customers: 60, sites: 20, indicators: 12, outside: 6 });
    assert.match(await page.getByTestId('import-report').innerText(), /Restored from this browser: areas\.geojson/);
    assert.equal(await page.getByTestId('dataset-name').innerText(), 'Your data');
  });

  it('candidates already loaded are not replaced without asking: append adds the new ones, undo takes them back', async () => {
    const candidates = () => page.evaluate(() => (window as unknown as { __bpApp: { dataset: { summary: { counts: { candidates: number } } } } }).__bpApp.dataset.summary.counts.candidates);
    assert.equal(await candidates(), GOOD_COUNTS.candidates);
    // K1 is loaded already; K90 is new.
    await addFiles(page, [upload('more_candidates.csv', 'site_id,lon,lat,cost\nK90,121.45,31.22,90000\nK1,121.40362,31.21309,110000\n')]);
    await answerCrsWhereAsked(page); // points in China: WGS84, said explicitly
    assert.equal(await card(page, 'more_candidates.csv').getByTestId('import-kind').inputValue(), 'candidates');
    assert.match(await page.getByTestId('import-mode-candidates').innerText(), new RegExp(`Already loaded: Candidate sites, ${GOOD_COUNTS.candidates} rows`));
    assert.equal(await page.getByTestId('import-load').isDisabled(), true);
    await page.getByTestId('import-mode-candidates-append').check();
    assert.equal(await load(page, { replace: false }), 'ok');
    assert.equal(await candidates(), GOOD_COUNTS.candidates + 1);
    assert.deepEqual(await listedRejects(page, 'more_candidates.csv'), [{ line: 3, column: 'site_id', code: 'duplicate_id' }]);
    await page.getByTestId('import-undo').click({ timeout: 10_000 });
    await page.getByTestId('import-undone').waitFor({ timeout: 30_000 });
    assert.equal(await candidates(), GOOD_COUNTS.candidates);
    await page.waitForFunction(() => !document.querySelector('[data-testid="import-saving"]'), null, { timeout: 30_000 });
    assert.doesNotMatch(await page.getByTestId('import-stored').innerText(), /more_candidates/);
  });

  for (const c of badCases()) {
    it(`bad fixture ${c.file}: ${c.error ? 'the problem, naming file and line' : 'rows kept and rejects with lines and reasons'}`, async () => {
      await runBadCase(page, c);
    });
  }

  it('maps Chinese headers the guesser cannot place, then loads', async () => {
    // 坐标1/坐标2 name no axis: the guesser must leave them to the user (X坐标/Y坐标 it does place).
    const csv = '客户编号,坐标1,坐标2,年龄\nK1,121.47,31.23,30\nK2,121.48,31.22,41\nK3,121.49,31.21,55\n';
    await addFiles(page, [upload('客户导出.csv', csv)]);
    const f = card(page, '客户导出.csv');
    assert.equal(await f.getByTestId('import-kind').inputValue(), 'customers');
    // The mapping step is open, with the guesses preselected and lon/lat still to choose.
    assert.equal(await f.getByTestId('import-map-customer_id').inputValue(), '客户编号');
    assert.equal(await f.getByTestId('import-map-age').inputValue(), '年龄');
    assert.equal(await f.getByTestId('import-map-lon').inputValue(), '');
    assert.equal(await page.getByTestId('import-load').isDisabled(), true);
    assert.match(await page.getByTestId('import-pending-problems').innerText(), /客户导出\.csv: choose the column for lon, lat/);
    await page.screenshot({ path: join(SHOTS, '10-mapping.png'), fullPage: true });
    await f.getByTestId('import-map-lon').selectOption('坐标1');
    await f.getByTestId('import-map-lat').selectOption('坐标2');
    // Customers are loaded already: Load waits for replace or append.
    assert.equal(await page.getByTestId('import-load').isDisabled(), true);
    assert.equal(await replaceWhereAsked(page), 1);
    // Chinese headers: Load waits for the coordinate system too.
    assert.equal(await page.getByTestId('import-load').isDisabled(), true);
    assert.match(await page.getByTestId('import-pending-problems').innerText(), /客户导出\.csv: answer which coordinate system/);
    assert.equal(await answerCrsWhereAsked(page), 1);
    assert.equal(await page.getByTestId('import-load').isDisabled(), false);
    assert.equal(await load(page), 'ok');
    assert.equal((await datasetCounts(page)).customers, 3);
    assert.equal(await page.locator('[data-testid="import-files"] tr[data-file="客户导出.csv"] [data-testid="import-kept"]').innerText(), '3');
  });

  it('guesses lng/latitude and converts a GCJ-02 file to WGS84 on load', async () => {
    const csv = 'id,lng,latitude,type,owner\nG1,121.4737,31.2304,branch,own\nG2,121.5,31.24,atm,own\n';
    await addFiles(page, [upload('sites_gcj02.csv', csv)]);
    const f = card(page, 'sites_gcj02.csv');
    assert.equal(await f.getByTestId('import-kind').inputValue(), 'sites');
    assert.equal(await f.getByTestId('import-map-site_id').inputValue(), 'id');
    assert.equal(await f.getByTestId('import-map-lon').inputValue(), 'lng');
    assert.equal(await f.getByTestId('import-map-lat').inputValue(), 'latitude');
    assert.equal(await f.getByTestId('import-crs').inputValue(), 'gcj02'); // from the name
    assert.equal(await load(page), 'ok');
    const [want] = [gcoord.transform([121.4737, 31.2304], gcoord.GCJ02, gcoord.WGS84) as [number, number]];
    const got = await page.evaluate(() => {
      const s = (window as unknown as { __bpApp: { dataset: { sites: { id: string[]; lon: Float64Array; lat: Float64Array } } } }).__bpApp.dataset.sites;
      const i = s.id.indexOf('G1');
      return [s.lon[i], s.lat[i]];
    });
    assert.ok(Math.abs(got[0] - want[0]) < 1e-6 && Math.abs(got[1] - want[1]) < 1e-6, `${got} vs ${want}`);
    assert.ok(Math.abs(got[0] - 121.4737) > 0.003, 'converted, not taken as WGS84');
  });

  it('offers the sheets of a workbook and re-guesses the kind from the chosen sheet', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['导出说明', '2025-01-01']);
    const ws = wb.addWorksheet('网点');
    ws.addRow(['网点编号', '经度', '纬度', '网点类型', '所属机构', '网点名称']);
    ws.addRow(['W1', 121.47, 31.23, 'branch', 'own', '人民广场支行']);
    ws.addRow(['W2', 121.5, 31.24, 'atm', 'own', '陆家嘴 ATM']);
    ws.addRow(['W3', 121.44, 31.19, 'branch', '某银行', '徐家汇']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    await addFiles(page, [upload('网点清单.xlsx', bytes)]);
    const f = card(page, '网点清单.xlsx');
    const sheet = f.getByTestId('import-sheet');
    assert.equal(await sheet.inputValue(), '说明');
    await sheet.selectOption('网点');
    assert.equal(await f.getByTestId('import-kind').inputValue(), 'sites');
    assert.equal(await f.getByTestId('import-map-site_id').inputValue(), '网点编号');
    assert.equal(await f.getByTestId('import-map-owner').inputValue(), '所属机构');
    await page.screenshot({ path: join(SHOTS, '11-sheet.png'), fullPage: true });
    assert.equal(await load(page), 'ok');
    assert.equal((await datasetCounts(page)).sites, 3);
  });

  it('renders hostile text as text: no element, no script, no dialog; the rejects CSV has every row', async () => {
    const hostileName = '<img src=x onerror=alert(1)>.csv';
    const csv = [
      'customer_id,lon,lat,segment,<img src=x onerror=window.__xss=1>',
      `"'); DROP TABLE customers; --",121.4,31.2,<img src=x onerror=alert(1)>,<script>window.__xss=2</script>`,
      'c2,abc,31.2,young,"<b onmouseover=alert(1)>x</b>"',
      'c3,121.4,,young,x',
      'c4,0,0,young,x',
      'c5,200,31,young,x',
      'c6,121.5,31.3,young',
      '<svg onload=alert(1)>,121.45,31.25,young,x',
    ].join('\n') + '\n';
    await addFiles(page, [upload(hostileName, csv)]);
    assert.equal(await load(page), 'ok');
    const rejects = await listedRejects(page, hostileName);
    assert.deepEqual(rejects, [
      { line: 3, column: 'lon', code: 'not_a_number' },
      { line: 4, column: 'lat', code: 'coord_empty' },
      { line: 5, column: 'lon,lat', code: 'zero_zero' },
      { line: 6, column: 'lon', code: 'out_of_range' },
      { line: 7, column: null, code: 'ragged_row' },
    ]);
    const report = await page.getByTestId('import-report').innerText();
    assert.ok(report.includes(hostileName), 'the file name is shown as text');
    assert.match(report, /Not a number/);
    assert.match(report, /Coordinates \(0, 0\)/);
    assert.match(report, /Wrong number of fields/);
    assert.match(report, /row has 4 fields, the header has 5/);
    const reasons = await page.getByTestId('import-reasons').innerText();
    for (const r of ['Not a number', 'Coordinate empty', 'Coordinates (0, 0)', 'Out of range', 'Wrong number of fields']) assert.ok(reasons.includes(r), r);
    // Nothing from the data became markup or ran.
    const dom = await page.evaluate(() => ({
      imgs: document.querySelectorAll('img[src="x"], svg[onload], b[onmouseover], script:not([src]):not([type])').length,
      xss: (window as unknown as { __xss?: number }).__xss ?? null,
    }));
    assert.deepEqual(dom, { imgs: 0, xss: null });
    assert.deepEqual(dialogs, []);
    await page.screenshot({ path: join(SHOTS, '20-hostile-report.png'), fullPage: true });

    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByTestId('import-download').click()]);
    assert.equal(dl.suggestedFilename(), 'img_src_x_onerror_alert_1_rejects.csv');
    const text = readFileSync((await dl.path())!, 'utf8');
    assert.ok(text.startsWith('\uFEFFfile,line,column,reason,raw\n'));
    const q = (v: string) => `"${v.replaceAll('"', '""')}"`;
    assert.ok(text.includes(`${hostileName},3,lon,lon is not a number,${q('c2,abc,31.2,young,"<b onmouseover=alert(1)>x</b>"')}\n`), text);
    assert.ok(text.includes(`${hostileName},7,,"row has 4 fields, the header has 5","c6,121.5,31.3,young"\n`), text);
    const lines = text.trim().split('\n').filter((l) => l.startsWith(hostileName));
    assert.equal(lines.length, 5);
  });

  it('speaks Chinese: panel, reasons and report in zh-CN', async () => {
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="import-panel"] h2')?.textContent === '您的数据', null, { timeout: 5_000 });
    const reasons = await page.getByTestId('import-reasons').innerText();
    for (const r of ['不是数字', '坐标为空', '坐标为 (0, 0)', '超出范围', '字段数不对']) assert.ok(reasons.includes(r), r);
    // Each rejected row's detail is said from its reason code in Chinese, with its column and counts.
    const rejects = await page.getByTestId('import-rejects').innerText();
    for (const r of ['lon 不是数字', 'lat 为空', '坐标恰为 (0, 0)', 'lon 超出 [-180, 180]', '该行有 4 个字段，表头有 5 个']) assert.ok(rejects.includes(r), `${r} in ${rejects}`);
    assert.doesNotMatch(rejects, /is not a number|the header has|is empty|is outside|exactly/);
    assert.match(await page.getByTestId('import-download').innerText(), /下载全部拒绝行/);
    await page.screenshot({ path: join(SHOTS, '21-report-zh.png') });
    // The download says the reasons in the language of the screen; the rows stay as written.
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByTestId('import-download').click()]);
    const csv = readFileSync((await dl.path())!, 'utf8');
    assert.ok(csv.startsWith('\uFEFFfile,line,column,reason,raw\n'));
    assert.ok(csv.includes(',3,lon,lon 不是数字,"c2,abc,31.2,young,""<b onmouseover=alert(1)>x</b>"""\n'), csv);
    assert.ok(csv.includes(',7,,该行有 4 个字段，表头有 5 个,"c6,121.5,31.3,young"\n'), csv);
    assert.doesNotMatch(csv, /is not a number|the header has/);
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="import-panel"] h2')?.textContent === 'Your data', null, { timeout: 5_000 });
  });

  it('imports files dropped on the map', async () => {
    await page.getByTestId('tab-risk').click();
    const sites = readFileSync(GOOD_FIXTURES.sites, 'utf8');
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped_sites.csv', { type: 'text/csv' }));
      const target = document.querySelector('[data-testid="map"]')!;
      const opts = { bubbles: true, cancelable: true, dataTransfer: dt };
      target.dispatchEvent(new DragEvent('dragenter', opts));
      target.dispatchEvent(new DragEvent('dragover', opts));
      target.dispatchEvent(new DragEvent('drop', opts));
    }, sites);
    await card(page, 'dropped_sites.csv').getByTestId('import-kind').waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId('tab-data').getAttribute('aria-selected'), 'true');
    assert.equal(await card(page, 'dropped_sites.csv').getByTestId('import-kind').inputValue(), 'sites');
    assert.equal(await page.getByTestId('import-overlay').count(), 0);
    await card(page, 'dropped_sites.csv').getByTestId('import-remove').click();
    assert.equal(await page.getByTestId('import-file').count(), 0);
  });

  it('cancelling a load keeps the previous dataset', async () => {
    const before = await datasetCounts(page);
    const fingerprint = await page.evaluate(() => (window as unknown as { __bpApp: { dataset: { summary: { fingerprint: string } } } }).__bpApp.dataset.summary.fingerprint);
    const rows = ['customer_id,lon,lat,segment,age,balance'];
    for (let i = 0; i < 600_000; i++) rows.push(`B${i},${(121.2 + (i % 997) * 0.0006).toFixed(5)},${(31.0 + (i % 991) * 0.0005).toFixed(5)},young,${20 + (i % 50)},${i % 100000}`);
    await addFiles(page, [upload('big_customers.csv', rows.join('\n') + '\n')]);
    await replaceWhereAsked(page);
    await answerCrsWhereAsked(page);
    await page.getByTestId('import-load').click({ timeout: 10_000 });
    await page.getByTestId('import-cancel').click({ timeout: 30_000 });
    await page.getByTestId('import-cancelled').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('import-report').count(), 0);
    assert.deepEqual(await datasetCounts(page), before);
    assert.equal(
      await page.evaluate(() => (window as unknown as { __bpApp: { dataset: { summary: { fingerprint: string } } } }).__bpApp.dataset.summary.fingerprint),
      fingerprint,
    );
    // The file is still there, to load again.
    assert.equal(await page.getByTestId('import-file').count(), 1);
    await card(page, 'big_customers.csv').getByTestId('import-remove').click();
  });

  it('a reload restores merged loads too, and "Clear data" goes back to the demo for good', async () => {
    const before = await datasetCounts(page);
    const stored = await page.getByTestId('import-stored').innerText();
    await page.reload({ timeout: 30_000 });
    await page.getByTestId('import-report').waitFor({ timeout: 90_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="cancel"]'), null, { timeout: 60_000 });
    assert.deepEqual(await datasetCounts(page), before);
    assert.equal(await page.getByTestId('import-stored').innerText(), stored);

    await page.getByTestId('import-clear').click({ timeout: 10_000 });
    await page.waitForFunction(
      () => (window as unknown as { __bpApp: { dataset: { summary: { counts: { areas: number } } } } }).__bpApp.dataset.summary.counts.areas === 16,
      null,
      { timeout: 90_000 },
    );
    assert.equal(await page.getByTestId('import-stored').count(), 0);
    await page.reload({ timeout: 30_000 });
    await waitForDemo(page);
    assert.match(await counts(page), /16 areas/);
    assert.equal(await page.getByTestId('import-report').count(), 0);
  });

  it('a kept dataset that no longer loads: the demo is shown, the problem named, and it can be cleared', async () => {
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const req = indexedDB.open('branch-planner-dataset', 1);
          req.onupgradeneeded = () => req.result.createObjectStore('dataset');
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const tx = req.result.transaction('dataset', 'readwrite');
            const blob = new Blob(['customer_id,lon\nc1,121.4\n']);
            tx.objectStore('dataset').put(
              { version: 1, base: 'none', savedAt: Date.now(), inputs: [{ kind: 'customers', fileName: 'old_export.csv', crs: 'wgs84', mapping: {}, blob }] },
              'current',
            );
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    await page.reload({ timeout: 30_000 });
    await page.getByTestId('import-restore-failed').waitFor({ timeout: 90_000 });
    await waitForDemo(page);
    assert.match(await counts(page), /16 areas/);
    assert.match(await page.getByTestId('import-problem').innerText(), /^old_export\.csv: is missing the required column lat/);
    await page.getByTestId('import-clear').click({ timeout: 10_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="import-restore-failed"]'), null, { timeout: 90_000 });
    assert.equal(await page.getByTestId('import-stored').count(), 0, 'the failed restore and the kept dataset go together');
    await page.reload({ timeout: 30_000 });
    await waitForDemo(page);
    assert.equal(await page.getByTestId('import-restore-failed').count(), 0, 'nothing kept to restore after a reload');
  });

  it('a save over the storage quota says so in words; the loaded data stays usable', async () => {
    // The browser refuses every kept copy as over its quota (what a full disk or a private
    // window's small quota does to a big file).
    await page.evaluate(() => {
      const proto = FileSystemFileHandle.prototype as unknown as { createWritable: unknown; __bpCreateWritable?: unknown };
      proto.__bpCreateWritable = proto.createWritable;
      proto.createWritable = () => Promise.reject(new DOMException('The operation failed because it would cause the application to exceed its storage quota.', 'QuotaExceededError'));
    });
    try {
      await addFiles(page, [upload('quota_customers.csv', 'customer_id,lon,lat\nQ1,121.47,31.23\nQ2,121.48,31.24\nQ3,121.49,31.25\n')]);
      assert.equal(await load(page), 'ok');
      const note = page.locator('[data-testid="import-store-error"][data-quota="true"]');
      await note.waitFor({ timeout: 30_000 });
      const text = await note.innerText();
      assert.match(text, /no room left to keep a copy of your files \(\d+ B\)/);
      assert.match(text, /stays loaded and usable in this tab, but a reload will not restore it/);
      assert.doesNotMatch(text, /QuotaExceededError|exceed its storage quota/, 'the browser\'s own words stay out');
      assert.equal(await page.getByTestId('import-stored').count(), 0);
      // The loaded customers are the ones on screen: the failed copy took nothing away.
      assert.equal((await datasetCounts(page)).customers, 3);
    } finally {
      await page.evaluate(() => {
        const proto = FileSystemFileHandle.prototype as unknown as { createWritable: unknown; __bpCreateWritable?: unknown };
        proto.createWritable = proto.__bpCreateWritable;
      });
    }
  });

  it('raised no page errors and made no request outside the origin', () => {
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.external, []);
    assert.deepEqual(dialogs, []);
  });
});

/** One bad fixture through the UI, against bad/expected.json. */
async function runBadCase(page: Page, c: BadCase): Promise<void> {
  const files = [fromFile(join(BAD_FIXTURES_DIR, c.file))];
  // The indicators fixtures name areas A and B: load them with those areas, as loading them alone
  // (what expected.json describes) checks no area ids.
  if (c.kind === 'indicators') files.unshift(upload('areas_ab.geojson', AREAS_AB));
  await addFiles(page, files);
  const f = card(page, c.file);
  await f.getByTestId('import-kind').selectOption(c.kind, { timeout: 5_000 });
  if (c.file === 'gbk_chinese.csv') {
    await f.getByTestId('import-note-gbk').waitFor({ timeout: 5_000 });
    for (const [col, src] of Object.entries(c.mapping ?? {})) assert.equal(await f.getByTestId(`import-map-${col}`).inputValue(), src, col);
  }
  if (c.error?.startsWith('missing the required column')) {
    // The mapping step catches it before loading: Load stays disabled and says which column.
    const col = c.error.split(' ').pop()!;
    assert.equal(await page.getByTestId('import-load').isDisabled(), true);
    assert.match(await page.getByTestId('import-pending-problems').innerText(), new RegExp(`${c.file.replace('.', '\\.')}: choose the column for ${col}`));
    await f.getByTestId('import-remove').click();
    return;
  }
  const result = await load(page);
  if (c.error) {
    assert.equal(result, 'failed', `${c.file} should fail`);
    const problems = await page.getByTestId('import-problem').allInnerTexts();
    const mine = problems.filter((p) => p.startsWith(c.file));
    assert.equal(mine.length, 1, problems.join('\n'));
    assert.ok(mine[0].includes(c.error), mine[0]);
    if (c.errorLine !== undefined) assert.ok(mine[0].startsWith(`${c.file}, line ${c.errorLine}:`), mine[0]);
    // Nothing was loaded: the files stay for another try.
    for (const name of files.map((x) => x.name)) await card(page, name).getByTestId('import-remove').click();
    return;
  }
  assert.equal(result, 'ok', `${c.file}: ${await page.getByTestId('import-report').innerText()}`);
  const row = page.locator(`[data-testid="import-files"] tr[data-file="${c.file}"]`);
  const cells = await row.locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(1, 4).map((x) => Number(x.replace(/,/g, ''))), [c.read, c.kept, c.rejects!.length], `${c.file}: ${cells.join(' | ')}`);
  assert.deepEqual(await listedRejects(page, c.file), c.rejects!.map((r) => ({ line: r.line, column: r.column, code: r.code })));
  const report = await page.getByTestId('import-report').innerText();
  for (const r of c.rejects ?? []) if (r.reason) assert.ok(report.includes(r.reason), `${c.file}: reason "${r.reason}" not shown`);
  for (const w of c.warnings ?? []) assert.ok((await page.getByTestId('import-warnings').innerText()).includes(w), `${c.file}: warning ${w}`);
}
