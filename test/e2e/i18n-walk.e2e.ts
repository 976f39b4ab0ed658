/**
 * The zh-CN walk: switch the app to Chinese and go through every panel in the state an analyst
 * sees after using it — Data with an import card and its load report, Risk with its alerts,
 * area profile and credit-policy table, Hotspots in each display (quadrants, typology, cell
 * details), Sites with a recommendation, scenarios A/B compared and a branch closed, Share,
 * the map settings and the layer control on every tab — collecting every visible text node,
 * `<option>` of a visible select, and `title` / `aria-label` / `placeholder` / `alt`. Any text
 * with an English word left once numbers, units, codes, ids, file names and named terms are
 * taken out (test/untranslated.ts) fails the test, listed with where it was seen.
 *
 *     npx vite build && E2E_PORT=4306 node --import tsx --test test/e2e/i18n-walk.e2e.ts
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addFiles, answerCrsWhereAsked, demoApp, mapToPage, openLayerControl, screenshotsIn, upload } from './harness.ts';
import { untranslated, type Finding, type Piece } from '../untranslated.ts';

const shot = screenshotsIn(process.env.E2E_SHOTS ?? join('test-results', 'i18n-walk'));

/** Values of the demo's customer `segment` column: data, shown as the file has them. */
const DATA = new Set(['affluent', 'family', 'senior', 'sme', 'young']);
/**
 * The import shows the data contract's column names and `type`/`owner` values (DESIGN.md) as
 * the identifiers they are: what the file must hold and what `--map` names on the command line.
 */
const CONTRACT = new Set([...DATA, 'type', 'owner', 'name', 'attractiveness', 'branch', 'atm', 'own']);

/** Every piece of text a person can see (or hear from a screen reader) on the page now. */
function collect(page: Page): Promise<Piece[]> {
  return page.evaluate(() => {
    const out: { where: string; text: string }[] = [];
    const whereOf = (el: Element): string => {
      const ids: string[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const id = e.getAttribute('data-testid');
        if (id) ids.unshift(id);
      }
      return ids.slice(-2).join(' › ') || el.tagName.toLowerCase();
    };
    const visible = (el: Element) => el.checkVisibility({ checkVisibilityCSS: true });
    const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      // Skipped: code (identifiers, commands), text marked as data (translate="no") and text
      // declared to be in another language on purpose (the language switch's "English").
      if (!el || el.closest('script, style, code, kbd, samp, [translate="no"]')) continue;
      if (!(el.closest('[lang]')?.getAttribute('lang') ?? 'zh-CN').startsWith('zh')) continue;
      const option = el.closest('option, optgroup');
      if (option) {
        const select = option.closest('select');
        if (!select || !visible(select)) continue;
      } else if (!visible(el)) continue;
      const text = norm(n.textContent ?? '');
      if (text) out.push({ where: whereOf(el), text });
    }
    for (const el of document.body.querySelectorAll('[title], [aria-label], [placeholder], [alt], optgroup[label]')) {
      if (el.closest('[translate="no"]')) continue;
      if (el.tagName !== 'OPTGROUP' && !visible(el)) continue;
      for (const a of ['title', 'aria-label', 'placeholder', 'alt', 'label']) {
        if (a === 'label' && el.tagName !== 'OPTGROUP') continue;
        const v = norm(el.getAttribute(a) ?? '');
        if (v) out.push({ where: `${whereOf(el)} [${a}]`, text: v });
      }
    }
    for (const el of document.body.querySelectorAll('input[type="button"], input[type="submit"]')) {
      const v = norm((el as HTMLInputElement).value);
      if (v && visible(el)) out.push({ where: `${whereOf(el)} [value]`, text: v });
    }
    out.push({ where: 'document.title', text: document.title });
    return out;
  });
}

/** Open every collapsed section, so what it holds is walked too. */
const openDetails = (page: Page) => page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));

const waitIdle = (page: Page) =>
  page.waitForFunction(() => !document.querySelector('[data-testid="cancel"]'), null, { timeout: 180_000 });

describe('zh-CN walk through every panel', () => {
  let page: Page;
  const findings: Finding[] = [];
  const seen: string[] = [];
  const reported = new Set<string>();
  const { session: s } = demoApp({
    viewport: { width: 1400, height: 900 },
    async ready(session) {
      page = session.page;
      await page.getByTestId('lang-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN', null, { timeout: 10_000 });
    },
  });

  /** Collect the page now, under a step name, keeping what is untranslated. */
  async function walk(step: string): Promise<void> {
    await openDetails(page);
    await page.waitForTimeout(300);
    const pieces = await collect(page);
    seen.push(`${step}: ${pieces.length}`);
    const inImport = pieces.filter((p) => p.where.includes('import-'));
    const found = [...untranslated(pieces.filter((p) => !inImport.includes(p)), DATA), ...untranslated(inImport, CONTRACT)];
    for (const f of found) {
      const key = `${f.where}\u0000${f.text}`;
      if (reported.has(key)) continue;
      reported.add(key);
      findings.push({ ...f, where: `${step} | ${f.where}` });
    }
  }

  async function layers(step: string): Promise<void> {
    await openLayerControl(page);
    await walk(`${step} + layers`);
    await page.getByTestId('layer-control-toggle').click({ timeout: 10_000 });
  }

  it('Data: the dataset, its credits and an import card with its load report', async () => {
    await page.getByTestId('tab-data').click();
    await walk('data');
    await layers('data');
    // A competitor file with a bad row: the card, its mapping and the load report's reject reasons.
    const csv = ['网点编号,经度,纬度,类型,机构,名称', 'X01,121.50,31.23,支行,某银行,某银行陆家嘴支行', 'X02,abc,31.20,支行,某银行,坏行', 'X03,121.45,31.22,ATM,某银行,某银行自助银行'].join('\n');
    await addFiles(page, [upload('竞争对手网点.csv', csv)]);
    await page.locator('[data-testid="import-crs"]').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    await walk('data import card');
    await shot(page, '01-import-card.png');
    const append = page.locator('[data-testid$="-append"][data-testid^="import-mode-"]');
    for (let i = 0; i < (await append.count()); i++) await append.nth(i).check({ timeout: 10_000 });
    // Chinese headers: the coordinate-system question holds Load back until it is answered.
    await answerCrsWhereAsked(page);
    await page.getByTestId('import-load').click({ timeout: 10_000 });
    await page.getByTestId('import-report').waitFor({ timeout: 120_000 });
    await walk('data import report');
    await shot(page, '02-import-report.png');
  });

  it('Risk: ranking, alerts, the area profile, change and tier maps, the policy table', async () => {
    await page.getByTestId('tab-risk').click();
    await page.getByTestId('risk-alerts').waitFor({ timeout: 60_000 });
    const more = page.getByTestId('risk-alerts').locator('button');
    if (await more.count()) await more.first().click().catch(() => undefined);
    await walk('risk');
    await page.locator('[data-testid="risk-ranking"] tr[data-area-id] button').first().click({ timeout: 10_000 });
    await page.getByTestId('risk-profile').waitFor({ timeout: 30_000 });
    await page.getByTestId('risk-mc-run').click({ timeout: 10_000 });
    await page.getByTestId('risk-rank-band').waitFor({ timeout: 120_000 });
    await walk('risk profile');
    await page.getByTestId('risk-mode-change').click();
    await walk('risk change');
    await page.getByTestId('risk-mode-tier').click();
    await walk('risk tiers');
    await page.getByTestId('risk-policy-2-spread_bp').fill('');
    await page.getByTestId('risk-policy-4-max_ltv_pct').fill('95');
    await page.getByTestId('risk-policy-errors').waitFor({ timeout: 5_000 });
    await walk('risk policy errors');
    await shot(page, '03-risk-policy.png');
    await page.getByTestId('risk-policy-defaults').click();
    await page.getByTestId('risk-mode-index').click();
    await layers('risk');
  });

  it('Hotspots: classes, quadrants, stability, typology and a cell', async () => {
    await page.getByTestId('tab-hotspots').click();
    await page.waitForFunction(() => !!(window as unknown as { __bpHotspots?: unknown }).__bpHotspots, null, { timeout: 120_000 });
    await waitIdle(page);
    await walk('hotspots classes');
    const p = await mapToPage(page, [121.5, 31.24]);
    await page.mouse.move(p.x, p.y);
    await page.waitForTimeout(500);
    await walk('hotspots tooltip');
    await page.mouse.click(p.x, p.y);
    await page.getByTestId('hotspots-cell').waitFor({ timeout: 10_000 }).catch(() => undefined);
    await walk('hotspots cell');
    const shows = { quadrants: 'hotspots-quadrants', stability: 'hotspots-stability', typology: 'hotspots-silhouette' } as const;
    for (const d of ['quadrants', 'stability', 'typology'] as const) {
      await page.getByTestId(`hotspots-display-${d}`).click({ timeout: 10_000 });
      await page.getByTestId(shows[d]).waitFor({ timeout: 120_000 });
      await waitIdle(page);
      await page.waitForTimeout(500);
      await walk(`hotspots ${d}`);
      await shot(page, `04-hotspots-${d}.png`);
    }
    await page.getByTestId('hotspots-display-classes').click();
    await layers('hotspots');
  });

  it('Sites: a recommendation, more options, scenarios A and B, a closed branch', async () => {
    await page.getByTestId('tab-sites').click();
    await page.getByTestId('sites-run').click({ timeout: 10_000 });
    await page.waitForSelector('[data-testid="sites-row-5"]', { timeout: 180_000 });
    await waitIdle(page);
    await walk('sites recommendation');
    await page.getByTestId('sites-params-toggle').click();
    await page.getByTestId('sites-huff-toggle').click().catch(() => undefined);
    await walk('sites options');
    await page.getByTestId('sites-params-toggle').click();
    await page.getByTestId('sites-save-A').click();
    await page.getByTestId('sites-row-1-exclude').click();
    await page.getByTestId('sites-run').click();
    await waitIdle(page);
    await page.getByTestId('sites-save-B').click();
    await page.getByTestId('sites-compare-table').waitFor({ timeout: 10_000 });
    await walk('sites compare');
    await shot(page, '05-sites-compare.png');
    await layers('sites');
    await page.getByTestId('sites-mode-closure').click();
    await page.waitForSelector('[data-testid="sites-rationalise"] input[type="checkbox"]', { timeout: 120_000 });
    await page.locator('[data-testid="sites-rationalise"] input[type="checkbox"]').first().check();
    await page.waitForSelector('[data-testid="sites-closure-result"]', { timeout: 60_000 });
    await waitIdle(page);
    await walk('sites closure');
    await shot(page, '06-sites-closure.png');
  });

  it('Share: exports, safe mode and snapshots', async () => {
    await page.getByTestId('tab-share').click();
    await page.getByTestId('share-png').waitFor({ timeout: 10_000 });
    await walk('share');
    await page.getByTestId('share-safe').setChecked(true).catch(() => undefined);
    await page.getByTestId('share-snap-name').fill('周报');
    await page.getByTestId('share-snap-save').click();
    await page.getByTestId('share-snap-item').first().waitFor({ timeout: 10_000 });
    await walk('share snapshot');
    await shot(page, '07-share.png');
    await layers('share');
  });

  it('Settings: every basemap choice', async () => {
    await page.getByTestId('settings-open').click();
    const dialog = page.getByTestId('settings');
    await dialog.waitFor({ timeout: 10_000 });
    const radios = dialog.locator('input[type="radio"]');
    for (let i = 0; i < (await radios.count()); i++) {
      await radios.nth(i).check({ timeout: 5_000 }).catch(() => undefined);
      await walk(`settings ${i}`);
    }
    await shot(page, '08-settings.png');
    await page.keyboard.press('Escape');
  });

  it('shows no English sentence, word or internal id anywhere in zh-CN', () => {
    console.log(`walked: ${seen.join('; ')}`);
    const report = findings.map((f) => `  ${f.where}: "${f.text}" (${f.words.join(', ')})`).join('\n');
    assert.equal(findings.length, 0, `untranslated text in zh-CN:\n${report}`);
  });

  it('stays offline and error-free', () => {
    assert.deepEqual(s.external, []);
    assert.deepEqual(s.errors, []);
  });
});
