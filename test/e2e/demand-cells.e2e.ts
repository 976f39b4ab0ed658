/**
 * A book too big for the browser, the app's answer (issue 13): the CLI aggregates the customers
 * into a demand-cell file, the app loads areas + that file, and Hotspots shows exactly the
 * hotspots of the raw customers (same cells, values, z and classes); Sites plans on the cells
 * and says it is approximate, at which resolution. Here the demo city's 200,000 customers stand
 * in for the big book so both routes can run in one browser.
 *
 *   npx vite build && E2E_PORT=4316 node --import tsx --test test/e2e/demand-cells.e2e.ts
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { addFiles, demoApp, screenshotsIn } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const shot = screenshotsIn(join('test-results', 'e2e-demand-cells'));

interface Snapshot { spec: string; resolution: number; measure: string; cells: string[]; classes: string[]; values: number[]; z: number[] }

/** The shown result at `resolution`, counts, with (`young`) or without the segment filter. */
async function hotspotsResult(page: Page, resolution: number, segment: '' | 'young', timeout = 180_000): Promise<Snapshot> {
  await page.waitForFunction(
    ({ r, young }) => {
      const s = (window as unknown as { __bpHotspots?: Snapshot | null }).__bpHotspots;
      const busy = document.querySelector('[data-testid="hotspots-status"]')?.getAttribute('data-busy') === 'true';
      return !!s && !busy && s.resolution === r && s.spec.includes('"count"') && s.spec.includes('young') === young;
    },
    { r: resolution, young: segment === 'young' },
    { timeout, polling: 200 },
  );
  return page.evaluate(() => (window as unknown as { __bpHotspots: Snapshot }).__bpHotspots);
}

function assertSame(a: Snapshot, b: Snapshot): void {
  assert.deepEqual(b.cells, a.cells);
  assert.deepEqual(b.values, a.values);
  assert.deepEqual(b.z, a.z);
  assert.deepEqual(b.classes, a.classes);
}

describe('demand cells: the CLI aggregates, the app computes on the cells', () => {
  let page: Page;
  let cellsFile: string;
  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'bp-e2e-cells-'));
    cellsFile = join(dir, 'demo_cells.parquet');
    const r = spawnSync(process.execPath, [
      '--import', 'tsx', 'src/cli/cli.ts', 'aggregate', '--areas', 'public/demo/areas.geojson', '--customers', 'public/demo/customers.csv.gz',
      '--resolution', '8,9', '--by', 'segment', '--out', cellsFile,
    ], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /aggregate: 200000 customers → \d+ rows/);
  });
  const { session } = demoApp({ viewport: { width: 1400, height: 900 }, ready: (s) => void (page = s.page) });

  let rawCount: Snapshot;
  let rawYoung: Snapshot;

  it('hotspots from the raw demo customers (the reference)', async () => {
    await page.getByTestId('tab-hotspots').click({ timeout: 60_000 });
    rawCount = await hotspotsResult(page, 8, '');
    await page.getByTestId('hotspots-segment').selectOption('young');
    rawYoung = await hotspotsResult(page, 8, 'young');
    assert.ok(rawYoung.values.some((v) => v > 0));
    await page.getByTestId('hotspots-segment').selectOption('');
    await hotspotsResult(page, 8, '');
  });

  it('loads areas + the demand-cells file, recognised by its columns, as a new dataset', async () => {
    await page.getByTestId('tab-data').click();
    await addFiles(page, [
      { name: 'areas.geojson', mimeType: 'application/geo+json', buffer: readFileSync(join(ROOT, 'public/demo/areas.geojson')) },
      { name: 'demo_cells.parquet', mimeType: 'application/octet-stream', buffer: readFileSync(cellsFile) },
    ]);
    const kind = page.locator('[data-testid="import-file"][data-file="demo_cells.parquet"] [data-testid="import-kind"]');
    assert.equal(await kind.inputValue(), 'demand_cells');
    await page.getByTestId('import-load').click();
    await page.waitForFunction(() => {
      const d = (window as unknown as { __bpApp?: { dataset: { summary: { counts: { customers: number; demand_cells: number } } } | null } }).__bpApp?.dataset;
      return !!d && d.summary.counts.customers === 0 && d.summary.counts.demand_cells > 0;
    }, null, { timeout: 180_000, polling: 200 });
    await shot(page, '01-loaded.png');
  });

  it('Hotspots on the cells equal the raw customers\' (counts, and a segment filter), with a note saying so', async () => {
    await page.getByTestId('tab-hotspots').click();
    const count = await hotspotsResult(page, 8, '');
    assertSame(rawCount, count);
    const note = page.getByTestId('hotspots-cells-note');
    assert.match(await note.innerText(), /Demand from a demand-cells file \([\d,]+ rows, resolution 8, 9\)/);
    assert.equal(await page.getByTestId('hotspots-res-7').isDisabled(), true);
    // only the file's group columns filter: its sum_age is a measure, not an age per customer
    assert.equal(await page.getByTestId('hotspots-age').count(), 0);
    assert.equal(await page.getByTestId('hotspots-digital').count(), 0);
    await page.getByTestId('hotspots-segment').selectOption('young');
    assertSame(rawYoung, await hotspotsResult(page, 8, 'young'));
    await shot(page, '02-hotspots-cells.png');
    await page.getByTestId('lang-switch').click();
    assert.match(await note.innerText(), /需求来自需求网格文件/);
    await page.getByTestId('lang-switch').click();
  });

  it('Sites plans on the cells and says it is approximate, at which resolution', async () => {
    await page.getByTestId('tab-sites').click();
    const note = page.getByTestId('sites-cells-note');
    await note.waitFor({ timeout: 60_000 });
    assert.match(await note.innerText(), /demand-cells file at resolution (8|9): .*approximate/);
    await page.getByTestId('sites-run').click();
    const after = page.getByTestId('sites-summary-cells');
    await after.waitFor({ timeout: 240_000 });
    assert.match(await after.innerText(), /approximate/);
    assert.equal(await page.getByTestId('sites-demand-at').getAttribute('data-at'), 'cells');
    await shot(page, '03-sites-cells.png');
    void session;
  });
});
