import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canvasStats, demoApp, mapToPage, openLayerControl } from './harness.ts';

describe('walking skeleton on the demo city', () => {
  // `?canary` makes the DB worker try one request to an address outside the origin.
  const { session: s } = demoApp({ path: '/?canary' });

  it('draws a map that is not blank', async () => {
    const st = await canvasStats(s.page);
    assert.ok(st.width > 500 && st.height > 400, `canvas ${st.width}×${st.height}`);
    // Water, land, choropleth classes, outlines, labels and symbols: many colours, real contrast.
    assert.ok(st.distinctColors > 200, `only ${st.distinctColors} distinct colours`);
    assert.ok(st.stdDev > 12, `luminance std dev ${st.stdDev.toFixed(1)} — looks flat`);
  });

  it('selects a district on the first click after load and lists its indicators', async () => {
    const pt = await mapToPage(s.page, [121.55, 31.6]); // Chongming island
    await s.page.mouse.click(pt.x, pt.y);
    const name = s.page.getByTestId('area-name');
    await name.waitFor({ timeout: 10_000 });
    assert.equal(await name.innerText(), 'Chongming');
    const rows = await s.page.getByTestId('area-panel').locator('tbody tr').count();
    assert.ok(rows >= 5, `only ${rows} indicator rows`);
  });

  it('draws our branches, our ATMs and competitors with their own symbols, each layer switchable', async () => {
    // Show one symbol layer at a time (through the layer checkboxes) and read the pixel at
    // (competitors' diamonds overlap each other's white rims, hence 60 %, not 100 %)
    // each of its sites' centres: disc #1f5fbf, rounded square #0f9d8a, diamond #e0701b.
    const kinds = [
      { key: 'ownBranch', label: 'Our branches', rgb: [31, 95, 191] },
      { key: 'ownAtm', label: 'Our ATMs', rgb: [15, 157, 138] },
      { key: 'competitor', label: 'Competitor branches', rgb: [224, 112, 27] },
    ];
    // The switches are on the map (reachable from every tab).
    const panel = await openLayerControl(s.page);
    for (const only of kinds) {
      for (const k of kinds) await panel.getByLabel(k.label).setChecked(k === only);
      await s.page.waitForTimeout(400);
      const share = await s.page.evaluate((want) => {
        const w = window as unknown as {
          __bpApp: { dataset: { sites: { lon: Float64Array; lat: Float64Array; type: string[]; owner: string[] } } };
          __bpMap: { project(ll: [number, number]): { x: number; y: number }; getCanvas(): HTMLCanvasElement; __deck: { props: { layers: { id: string; props: { data: { index: number }[] } }[] } } };
        };
        const s = w.__bpApp.dataset.sites;
        // Symbols are thinned where they would overlap: check the sites drawn.
        const drawn = new Set(w.__bpMap.__deck.props.layers.find((l) => l.id === 'sites')!.props.data.map((d) => d.index));
        const canvas = w.__bpMap.getCanvas();
        const c = document.createElement('canvas');
        c.width = canvas.width;
        c.height = canvas.height;
        const g = c.getContext('2d')!;
        g.drawImage(canvas, 0, 0);
        const ratio = canvas.width / canvas.clientWidth;
        let seen = 0;
        let match = 0;
        for (let i = 0; i < s.lon.length; i++) {
          const k = s.owner[i] !== 'own' ? 'competitor' : s.type[i] === 'atm' ? 'ownAtm' : 'ownBranch';
          if (k !== want.key || !drawn.has(i)) continue;
          const p = w.__bpMap.project([s.lon[i], s.lat[i]]);
          if (p.x < 5 || p.y < 5 || p.x >= canvas.clientWidth - 5 || p.y >= canvas.clientHeight - 5) continue;
          const px = g.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
          seen++;
          if ([0, 1, 2].every((j) => Math.abs(px[j] - want.rgb[j]) <= 40)) match++;
        }
        return { seen, match };
      }, only);
      assert.ok(share.seen > 20, `${only.key}: only ${share.seen} sites in view`);
      assert.ok(share.match / share.seen > 0.6, `${only.key}: ${share.match}/${share.seen} site centres have the symbol colour`);
    }
    for (const k of kinds) await panel.getByLabel(k.label).setChecked(true);
  });

  it('shows the district names on the map', async () => {
    const names = await s.page.evaluate(() => {
      const m = (window as unknown as { __bpMap: { queryRenderedFeatures(o: object): Array<{ properties: { name?: string } }> } }).__bpMap;
      return m.queryRenderedFeatures({ layers: ['area-label'] }).map((f) => f.properties.name);
    });
    for (const n of ['黄浦区', '浦东新区', '崇明区']) assert.ok(names.includes(n), `label ${n} not rendered (got ${names.join(',')})`);
  });

  it('shows a text tooltip when hovering a district', async () => {
    const pt = await mapToPage(s.page, [121.7, 31.15]); // inside Pudong
    await s.page.mouse.move(pt.x, pt.y);
    await s.page.mouse.move(pt.x + 2, pt.y + 2);
    const tip = s.page.getByTestId('tooltip');
    await tip.waitFor({ timeout: 10_000 });
    const text = await tip.innerText();
    assert.match(text, /Pudong/); // the browser speaks en-US, so English names
    assert.match(text, /Resident population: [0-9,]+ persons/);
    assert.equal(await tip.locator('img, script').count(), 0);
  });

  it('serves the favicon it links, so the browser asks for no missing icon', async () => {
    const icon = await s.page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel~="icon"]')?.href;
      if (!href) return null;
      const r = await fetch(href);
      return { status: r.status, type: r.headers.get('content-type') ?? '' };
    });
    assert.ok(icon, 'index.html links no icon');
    assert.equal(icon.status, 200);
    assert.match(icon.type, /image\/svg\+xml/);
  });

  it('switches language and the visible text changes', async () => {
    // The button is named by what it does, in the language currently shown.
    assert.equal(await s.page.getByTestId('lang-switch').getAttribute('aria-label'), 'Switch to 中文');

    const before = await s.page.getByTestId('tab-data').innerText();
    assert.equal(before, 'Data');
    await s.page.getByTestId('lang-switch').click();
    await s.page.waitForFunction(() => document.querySelector('[data-testid="tab-data"]')?.textContent === '数据', null, { timeout: 5_000 });
    assert.equal(await s.page.getByTestId('app-title').innerText(), '网点规划');
    assert.equal(await s.page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await s.page.getByTestId('lang-switch').getAttribute('aria-label'), '切换为英文界面');
    await s.page.getByTestId('lang-switch').click();
    await s.page.waitForFunction(() => document.querySelector('[data-testid="tab-data"]')?.textContent === 'Data', null, { timeout: 5_000 });
  });

  it('makes no request outside its origin', () => {
    // The DB worker's canary never becomes a request: the policy refuses it first
    // (egress.e2e.ts proves that, and watches every process and worker with a net-log).
    assert.deepEqual(s.external, []);
  });

  it('leaves the hotspot analysis alone until its tab is opened', async () => {
    // Every test above ran on the Data tab, seconds after the demo loaded.
    assert.equal(await s.page.evaluate(() => (window as unknown as { __bpHotspots?: unknown }).__bpHotspots ?? null), null);
    await s.page.getByTestId('tab-hotspots').click({ timeout: 10_000 });
    await s.page.waitForFunction(() => !!(window as unknown as { __bpHotspots?: unknown }).__bpHotspots, null, { timeout: 120_000 });
  });

  it('raised no page errors', () => {
    assert.deepEqual(s.errors.filter((e) => !e.includes('canary.invalid')), []);
  });
});
