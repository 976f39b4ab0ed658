import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoApp, waitForDemo } from './harness.ts';

const USER_STYLE = 'https://tiles.example.com/bank-style.json';

describe('basemap setting', () => {
  const { session: s } = demoApp({
    // The user's own style server, played by the test: the only outside address the app may use.
    async ready({ page }) {
      await page.route(USER_STYLE, (route) =>
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
    await dialog.getByRole('textbox').fill(USER_STYLE);
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

  it('contacted no outside address but the style URL the user entered', () => {
    // page.route fulfils the style before the context's guard sees it, so nothing is recorded.
    assert.deepEqual(s.external, []);
  });
});
