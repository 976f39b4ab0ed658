/**
 * The layer control is on the map, so every tab reaches it; the network symbols are thinned
 * where they would overlap and drawn beneath the district names: at city zoom the name
 * "Huangpu" (黄浦区) has the same text pixels with and without the network layers, i.e. no
 * marker covers it. Screenshots at city and district zoom in both languages for people.
 * The names of recommended sites never overlap each other or a marker (picked as drawn).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoApp, openLayerControl, screenshotsIn } from './harness.ts';

const shot = screenshotsIn(process.env.E2E_SHOTS ?? join('test-results', 'map-layers'));

interface DeckLayer { id: string; props: { data: { symbol: string }[] } }
const sitesData = (page: Page) =>
  page.evaluate(() => {
    const m = (window as unknown as { __bpMap: { __deck: { props: { layers: DeckLayer[] } } } }).__bpMap;
    const l = m.__deck.props.layers.find((x) => x.id === 'sites');
    return l ? l.props.data.map((d) => d.symbol) : null;
  });

/** Dark (text) pixels in a box around the district name's anchor, as a 0/1 string. */
async function labelMask(page: Page, names: string[]): Promise<{ mask: string; dark: number; at: { x: number; y: number } } | null> {
  return page.evaluate((names) => {
    const w = window as unknown as {
      __bpMap: {
        queryRenderedFeatures(o: object): Array<{ properties: Record<string, string>; geometry: { coordinates: [number, number] } }>;
        project(ll: [number, number]): { x: number; y: number };
        getCanvas(): HTMLCanvasElement;
      };
    };
    const m = w.__bpMap;
    const f = m.queryRenderedFeatures({ layers: ['area-label'] }).find((x) => names.includes(x.properties.name_en) || names.includes(x.properties.name));
    if (!f) return null;
    const p = m.project(f.geometry.coordinates);
    const canvas = m.getCanvas();
    const ratio = canvas.width / canvas.clientWidth;
    const c = document.createElement('canvas');
    c.width = canvas.width;
    c.height = canvas.height;
    const g = c.getContext('2d')!;
    g.drawImage(canvas, 0, 0);
    const W = Math.round(50 * ratio), H = Math.round(11 * ratio);
    const { data } = g.getImageData(Math.round(p.x * ratio) - W, Math.round(p.y * ratio) - H, 2 * W, 2 * H);
    let mask = '';
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) {
      const isDark = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] < 90;
      mask += isDark ? '1' : '0';
      if (isDark) dark++;
    }
    return { mask, dark, at: p };
  }, names);
}

/** Wait until the map has stopped moving (a recommendation eases to its sites), then a little for deck.gl to redraw. */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => !(window as unknown as { __bpMap: { isMoving(): boolean } }).__bpMap.isMoving(), null, { timeout: 20_000 });
  await page.waitForTimeout(1000);
  await page.waitForFunction(() => !(window as unknown as { __bpMap: { isMoving(): boolean } }).__bpMap.isMoving(), null, { timeout: 20_000 });
}

async function setNetwork(page: Page, on: boolean): Promise<void> {
  const ctl = await openLayerControl(page);
  for (const k of ['ownBranch', 'ownAtm', 'competitor']) await ctl.getByTestId(`layer-${k}`).setChecked(on);
  await page.waitForTimeout(600);
}

describe('map layers on every tab, decluttered network, district names on top', () => {
  const { session: s } = demoApp();

  it('the layer control on each tab toggles a layer', async () => {
    const page = s.page;
    for (const tab of ['data', 'risk', 'hotspots', 'sites', 'share']) {
      await page.getByTestId(`tab-${tab}`).click();
      const box = (await openLayerControl(page)).getByTestId('layer-ownBranch');
      await box.waitFor({ timeout: 10_000 });
      assert.ok((await sitesData(page))?.includes('ownBranch'), `${tab}: our branches drawn before`);
      await box.uncheck();
      await page.waitForFunction(() => {
        const m = (window as unknown as { __bpMap: { __deck: { props: { layers: DeckLayer[] } } } }).__bpMap;
        const l = m.__deck.props.layers.find((x) => x.id === 'sites');
        return !!l && !l.props.data.some((d) => d.symbol === 'ownBranch');
      }, null, { timeout: 5_000 });
      const after = await sitesData(page);
      assert.ok(after && after.length > 0 && !after.includes('ownBranch'), `${tab}: branches off, the rest still drawn`);
      await box.check();
      await page.waitForTimeout(200);
      assert.ok((await sitesData(page))?.includes('ownBranch'), `${tab}: our branches back`);
    }
    await page.getByTestId('tab-data').click();
  });

  for (const lang of ['en', 'zh-CN'] as const) {
    it(`the Huangpu label is not covered by any marker at city zoom (${lang})`, async () => {
      const page = s.page;
      if (lang === 'zh-CN') await page.getByTestId('lang-switch').click();
      await page.waitForTimeout(800);
      const names = ['Huangpu', '黄浦区', '黄浦'];
      const withNet = await labelMask(page, names);
      assert.ok(withNet, 'the Huangpu label is placed at city zoom');
      assert.ok(withNet.dark > 25, `the label has text pixels (${withNet.dark})`);
      // The network is drawn (thinned, not gone): our branches' blue is on the map.
      const blue = await page.evaluate(() => {
        const canvas = (window as unknown as { __bpMap: { getCanvas(): HTMLCanvasElement } }).__bpMap.getCanvas();
        const c = document.createElement('canvas');
        c.width = canvas.width;
        c.height = canvas.height;
        const g = c.getContext('2d')!;
        g.drawImage(canvas, 0, 0);
        const { data } = g.getImageData(0, 0, c.width, c.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - 31) < 14 && Math.abs(data[i + 1] - 95) < 14 && Math.abs(data[i + 2] - 191) < 14) n++;
        return n;
      });
      assert.ok(blue > 500, `our branches are drawn at city zoom (${blue} branch-blue pixels)`);
      await shot(page, `city-${lang}.png`);
      await setNetwork(page, false);
      const without = await labelMask(page, names);
      await setNetwork(page, true);
      assert.ok(without);
      let differ = 0;
      for (let i = 0; i < without.mask.length; i++) if (without.mask[i] === '1' && withNet.mask[i] !== '1') differ++;
      // Every text pixel of the name without markers is still text with them.
      assert.ok(differ / without.dark < 0.03, `${differ} of ${without.dark} text pixels of the name changed under the markers`);

      // District zoom, for people to look at.
      await page.evaluate((p) => {
        const m = (window as unknown as { __bpMap: { jumpTo(o: object): void; unproject(p: [number, number]): unknown } }).__bpMap;
        m.jumpTo({ center: m.unproject([p.x, p.y]), zoom: 12 });
      }, withNet.at);
      await page.waitForTimeout(1200);
      await shot(page, `district-${lang}.png`);
      await page.evaluate(() => (window as unknown as { __bpMap: { zoomOut(o: object): void; jumpTo(o: object): void } }).__bpMap.jumpTo({ zoom: 8.9 }));
      if (lang === 'zh-CN') await page.getByTestId('lang-switch').click();
    });
  }

  /**
   * The demo ATM plan (k = 10, R = 500 m) puts sites close together in the centre. Each name
   * shown must cover no other name and no marker, as drawn: deck.gl's picking reads the
   * rendered pixels, so a name's box picked through the names layer must find that name and no
   * other, and through the markers layer no disc. Rank numbers stay on every marker.
   */
  for (const lang of ['en', 'zh-CN'] as const) {
    it(`site names on the map never overlap, ranks always shown, names come back when zooming in (${lang})`, async () => {
      const page = s.page;
      if (lang === 'zh-CN') await page.getByTestId('lang-switch').click();
      await page.getByTestId('tab-sites').click();
      if (!(await page.getByTestId('sites-run').isVisible().catch(() => false))) await page.waitForSelector('[data-testid="sites-run"]', { timeout: 10_000 });
      if (lang === 'en') {
        if (!(await page.getByTestId('sites-k').isVisible())) await page.getByTestId('sites-params-toggle').click({ timeout: 10_000 });
        await page.getByTestId('sites-type').selectOption('atm');
        await page.getByTestId('sites-k').fill('10');
        await page.getByTestId('sites-radius').fill('500');
        await page.getByTestId('sites-run').click();
        await page.waitForSelector('[data-testid="sites-row-10"]', { timeout: 180_000 });
      }
      await settle(page);
      const check = () => page.evaluate(() => {
        interface Box { x0: number; y0: number; x1: number; y1: number }
        interface Picked { object?: { index?: number } | null; layer?: { id: string } | null }
        const deck = (window as unknown as { __bpMap: { __deck: {
          layerManager: { getLayers(): { id: string; props: { data: unknown[] }; state: { placements?: ({ box: Box } | null)[] } }[] };
          pickObjects(o: object): Picked[];
        } } }).__bpMap.__deck;
        const layers = deck.layerManager.getLayers();
        const names = layers.find((l) => l.id === 'sites-new-names')!;
        const ranks = layers.find((l) => l.id === 'sites-new-label')!;
        const placements = names.state.placements ?? [];
        const problems: string[] = [];
        const canvas = (window as unknown as { __bpMap: { getCanvas(): HTMLCanvasElement } }).__bpMap.getCanvas();
        let shown = 0;
        placements.forEach((p, i) => {
          const b = p?.box;
          // Names placed off screen are not drawn where anyone could see them: only those in view count.
          if (!b || b.x0 < 0 || b.y0 < 0 || b.x1 > canvas.clientWidth || b.y1 > canvas.clientHeight) return;
          shown++;
          const rect = { x: Math.ceil(b.x0) + 1, y: Math.ceil(b.y0) + 1, width: Math.floor(b.x1 - b.x0) - 2, height: Math.floor(b.y1 - b.y0) - 2, maxObjects: 100 };
          // Every object with a pixel in the box (picking reports the root layer's id).
          const picked = deck.pickObjects(rect);
          const inNames = picked.filter((o) => o.layer?.id === 'sites-new-names');
          if (!inNames.some((o) => o.object?.index === i)) problems.push(`name ${i + 1} is not drawn in its box ${JSON.stringify(rect)}`);
          for (const o of inNames) if (o.object?.index !== undefined && o.object.index !== i) problems.push(`name ${o.object.index + 1} drawn over name ${i + 1}`);
          if (picked.some((o) => o.layer?.id === 'sites-new-disc')) problems.push(`name ${i + 1} covers a marker`);
        });
        return { total: names.props.data.length, shown, hidden: placements.filter((p) => !p).length, ranks: (ranks.props.data as { label: string }[]).map((d) => d.label), problems };
      });
      const city = await check();
      assert.equal(city.total, 10);
      assert.deepEqual(city.ranks, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], 'every marker keeps its rank number');
      assert.deepEqual(city.problems, []);
      assert.ok(city.shown >= 1, 'the first-ranked name at least is shown');
      await shot(page, `sites-names-city-${lang}.png`);
      // Zoomed in on the plan's centre: as many names or more, still none over another.
      await page.evaluate(() => {
        const w = window as unknown as { __bpMap: { jumpTo(o: object): void; getZoom(): number }; __bpSites: { scenario: { added: { lon: number; lat: number }[] } } };
        const a = w.__bpSites.scenario.added;
        const lon = a.reduce((x, p) => x + p.lon, 0) / a.length, lat = a.reduce((x, p) => x + p.lat, 0) / a.length;
        w.__bpMap.jumpTo({ center: [lon, lat], zoom: w.__bpMap.getZoom() + 2 });
      });
      await settle(page);
      const near = await check();
      assert.deepEqual(near.problems, []);
      // Zoomed in, fewer names are hidden for lack of room (some sites may now lie off screen).
      assert.ok(near.hidden <= city.hidden, `names hidden: ${city.hidden} at city zoom, ${near.hidden} zoomed in`);
      assert.ok(near.shown >= 1);
      await shot(page, `sites-names-zoomed-${lang}.png`);
      await page.evaluate(() => (window as unknown as { __bpMap: { jumpTo(o: object): void; getZoom(): number } }).__bpMap.jumpTo({ zoom: (window as unknown as { __bpMap: { getZoom(): number } }).__bpMap.getZoom() - 2 }));
      if (lang === 'zh-CN') await page.getByTestId('lang-switch').click();
      await page.getByTestId('tab-data').click();
    });
  }

  it('contacted no outside address', () => {
    assert.deepEqual(s.external, []);
  });
});
