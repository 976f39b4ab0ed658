import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoApp, waitForDemo } from './harness.ts';

// The user's style, served from the app's own origin: the default policy lets the app reach
// no other server (an outside style URL must be on the deploy-time allow-list; egress.e2e.ts
// checks the settings say so).
const STYLE_PATH = '/bank-style.json';

describe('basemap setting', () => {
  const { session: s } = demoApp({
    async ready({ page }) {
      await page.route(`**${STYLE_PATH}`, (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({ version: 8, name: 'bank-style', sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#223344' } }] }),
        }),
      );
    },
  });

  const styleName = () => s.page.evaluate(() => (window as unknown as { __bpMap: { getStyle(): { name?: string } } }).__bpMap.getStyle().name);
  const hasAreaLayers = () =>
    s.page.evaluate(() => !!(window as unknown as { __bpMap: { getLayer(id: string): unknown } }).__bpMap.getLayer('area-outline'));

  it('switches to a user style URL, keeps the district layers on top, and remembers it', async () => {
    assert.equal(await styleName(), 'branch-planner-offline');
    await s.page.getByTestId('settings-open').click();
    const dialog = s.page.getByTestId('settings');
    await dialog.getByLabel('Style URL', { exact: true }).check();
    await dialog.getByRole('textbox').fill(new URL(STYLE_PATH, s.page.url()).href);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await s.page.waitForFunction(
      () => (window as unknown as { __bpMap: { getStyle(): { name?: string } } }).__bpMap.getStyle().name === 'bank-style',
      null,
      { timeout: 15_000 },
    );
    await s.page.waitForFunction(() => !!(window as unknown as { __bpMap: { getLayer(id: string): unknown } }).__bpMap.getLayer('area-outline'), null, { timeout: 15_000 });
    assert.ok(await hasAreaLayers());

    await s.page.reload({ timeout: 30_000 });
    await waitForDemo(s.page);
    assert.equal(await styleName(), 'bank-style');
  });

  it('goes back to the offline basemap', async () => {
    await s.page.getByTestId('settings-open').click();
    const dialog = s.page.getByTestId('settings');
    await dialog.getByLabel('Built-in offline basemap').check();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await s.page.waitForFunction(
      () => (window as unknown as { __bpMap: { getStyle(): { name?: string } } }).__bpMap.getStyle().name === 'branch-planner-offline',
      null,
      { timeout: 15_000 },
    );
    assert.ok(await hasAreaLayers());
  });

  it('contacted no outside address', () => {
    assert.deepEqual(s.external, []);
  });
});
