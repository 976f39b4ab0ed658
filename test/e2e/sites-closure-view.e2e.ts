/**
 * Closure mode moves the map to the branch being closed: ticking one of our branches in the
 * rationalisation list centres it at a zoom where its surroundings (the access distance) fill
 * the view, instead of leaving the city-wide view.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoApp, screenshotsIn } from './harness.ts';

const shot = screenshotsIn(process.env.E2E_SHOTS ?? join('test-results', 'sites-closure'));

describe('closure view', () => {
  const { session: s } = demoApp();

  it('zooms to the branch ticked for closure', async () => {
    const page = s.page;
    await page.getByTestId('tab-sites').click();
    await page.getByTestId('sites-mode-closure').click();
    await page.waitForSelector('[data-testid="sites-rationalise"] input[type="checkbox"]', { timeout: 120_000 });
    const box = page.locator('[data-testid="sites-rationalise"] input[type="checkbox"]').first();
    const testId = (await box.getAttribute('data-testid')) ?? '';
    const id = testId.replace('sites-close-', '');
    const site = await page.evaluate((id) => {
      const st = (window as unknown as { __bpApp: { dataset: { sites: { id: string[]; lon: Float64Array; lat: Float64Array } } } }).__bpApp.dataset.sites;
      const i = st.id.indexOf(id);
      return { lon: st.lon[i], lat: st.lat[i] };
    }, id);
    const before = await page.evaluate(() => (window as unknown as { __bpMap: { getZoom(): number } }).__bpMap.getZoom());
    await box.check();
    // The move is animated (0.6 s; longer on a loaded machine): wait for it to land near the site.
    await page.waitForFunction((site) => {
      const m = (window as unknown as { __bpMap: { getZoom(): number; getCenter(): { lng: number; lat: number }; isMoving(): boolean } }).__bpMap;
      const c = m.getCenter();
      return !m.isMoving() && m.getZoom() >= 11 && Math.abs(c.lng - site.lon) < 0.01 && Math.abs(c.lat - site.lat) < 0.01;
    }, site, { timeout: 30_000 }).catch(() => undefined);
    const view = await page.evaluate(() => {
      const m = (window as unknown as { __bpMap: { getZoom(): number; getCenter(): { lng: number; lat: number } } }).__bpMap;
      return { zoom: m.getZoom(), center: m.getCenter() };
    });
    const dM = Math.hypot((view.center.lng - site.lon) * 111_320 * Math.cos((site.lat * Math.PI) / 180), (view.center.lat - site.lat) * 111_320);
    assert.ok(view.zoom > before + 2, `zoomed in from ${before.toFixed(1)} to ${view.zoom.toFixed(1)}`);
    assert.ok(view.zoom >= 11, `district-level zoom (${view.zoom.toFixed(1)})`);
    assert.ok(dM < 300, `centred on the closed branch (${dM.toFixed(0)} m off)`);
    await page.waitForSelector('[data-testid="sites-closure-result"]', { timeout: 60_000 });
    await shot(page, 'closure-zoomed.png');
  });

  it('contacted no outside address', () => {
    assert.deepEqual(s.external, []);
  });
});
