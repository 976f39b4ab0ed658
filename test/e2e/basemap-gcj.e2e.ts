/**
 * GCJ-02 basemaps: a raster tile server of the app's own origin (the default policy allows
 * no other) draws a red ring around where a GCJ-02 basemap shows one of our branches — its
 * WGS84 position moved by the GCJ-02 offset, as AMap or Tencent tiles would. Declared as
 * GCJ-02, the map must draw the branch inside the ring (within 10 m); declared as WGS84, the
 * same tiles leave it hundreds of metres off, which proves the check can fail. A click on the
 * shifted branch reaches the data as the branch (closure mode toggles it), and the presets
 * whose servers the deployment does not allow say so in both languages.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import gcoord from 'gcoord';
import { demoApp, mapToPage, screenshotsIn } from './harness.ts';

const shot = screenshotsIn(process.env.E2E_SHOTS ?? join('test-results', 'basemap'));
const TILE_PATH = '/e2e-gcj-tiles/';
const RING_IN = 14, RING_OUT = 19;

// ---- a PNG encoder (RGBA, no filtering): enough for test tiles --------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(w: number, h: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const raw = Buffer.alloc(h * (w * 4 + 1));
  for (let y = 0; y < h; y++) Buffer.from(rgba.buffer, rgba.byteOffset + y * w * 4, w * 4).copy(raw, y * (w * 4 + 1) + 1);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Web Mercator world pixel of a lon/lat at zoom z (256-pixel tiles). */
function worldPx(lon: number, lat: number, z: number): [number, number] {
  const s = 256 * 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [((lon + 180) / 360) * s, ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * s];
}

/** A tile with a red ring around `target` (a lon/lat in the tiles' own datum), transparent elsewhere. */
function ringTile(z: number, x: number, y: number, target: [number, number]): Buffer {
  const [cx, cy] = worldPx(target[0], target[1], z);
  const rgba = new Uint8Array(256 * 256 * 4);
  for (let j = 0; j < 256; j++) {
    for (let i = 0; i < 256; i++) {
      const d = Math.hypot(x * 256 + i + 0.5 - cx, y * 256 + j + 0.5 - cy);
      if (d >= RING_IN && d <= RING_OUT) rgba.set([255, 0, 0, 255], 4 * (j * 256 + i));
    }
  }
  return png(256, 256, rgba);
}

/** Centroids (canvas pixels) of the red ring and of our-branch-blue pixels near it. */
function centroids(page: Page, near: { x: number; y: number } | null, windowPx: number) {
  return page.evaluate(({ near, windowPx }) => {
    const src = document.querySelector('[data-testid="map"] canvas') as HTMLCanvasElement;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const g = c.getContext('2d')!;
    g.drawImage(src, 0, 0);
    const { data, width, height } = g.getImageData(0, 0, c.width, c.height);
    let rx = 0, ry = 0, rn = 0, bx = 0, by = 0, bn = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const k = 4 * (y * width + x);
        const r = data[k], gg = data[k + 1], b = data[k + 2];
        if (r > 220 && gg < 40 && b < 40) { rx += x; ry += y; rn++; }
        // Our branch symbol: #1f5fbf.
        if (Math.abs(r - 31) < 20 && Math.abs(gg - 95) < 20 && Math.abs(b - 191) < 20) {
          if (!near || (Math.abs(x - near.x) < windowPx && Math.abs(y - near.y) < windowPx)) { bx += x; by += y; bn++; }
        }
      }
    }
    return { ring: rn ? { x: rx / rn, y: ry / rn, n: rn } : null, branch: bn ? { x: bx / bn, y: by / bn, n: bn } : null };
  }, { near, windowPx });
}

interface MapHandle {
  jumpTo(o: { center: [number, number]; zoom: number }): void;
  once(ev: string, f: () => void): void;
  triggerRepaint(): void;
  loaded(): boolean;
  areTilesLoaded(): boolean;
  getStyle(): { name?: string };
}

async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const m = (window as unknown as { __bpMap: MapHandle }).__bpMap;
    return m.loaded() && m.areTilesLoaded();
  }, null, { timeout: 20_000 });
  await page.waitForTimeout(400);
}

describe('GCJ-02 basemap (tiles served by the app, policy allowing only itself)', () => {
  let branch = { id: '', lon: 0, lat: 0 };
  let gcj: [number, number] = [0, 0];
  const { session: s } = demoApp({
    async ready({ page }) {
      branch = await page.evaluate(() => {
        const ds = (window as unknown as { __bpApp: { dataset: { sites: { id: string[]; lon: Float64Array; lat: Float64Array; type: string[]; owner: string[] } } } }).__bpApp.dataset;
        const st = ds.sites;
        const i = st.id.findIndex((_, k) => st.owner[k] === 'own' && st.type[k] === 'branch');
        return { id: st.id[i], lon: st.lon[i], lat: st.lat[i] };
      });
      gcj = gcoord.transform([branch.lon, branch.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
      await page.route(`**${TILE_PATH}**`, (route) => {
        const m = /\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(new URL(route.request().url()).pathname);
        if (!m) return route.fulfill({ status: 404 });
        return route.fulfill({ contentType: 'image/png', body: ringTile(Number(m[1]), Number(m[2]), Number(m[3]), gcj) });
      });
      // Only our branches on the map: the symbol's colour is then unambiguous.
      await page.evaluate(() => {
        const app = (window as unknown as { __bpApp: { layers: Record<string, boolean> } }).__bpApp;
        Object.assign(app.layers, { choropleth: false, ownAtm: false, competitor: false, ownBranch: true });
      });
    },
  });

  async function useTiles(crs: 'gcj02' | 'wgs84'): Promise<void> {
    const page = s.page;
    await page.getByTestId('settings-open').click();
    const dialog = page.getByTestId('settings');
    await dialog.getByTestId('basemap-tiles').check();
    await dialog.getByTestId('basemap-url').fill(`${new URL(page.url()).origin}${TILE_PATH}{z}/{x}/{y}.png`);
    await dialog.getByTestId('basemap-crs').selectOption(crs);
    assert.equal(await dialog.getByTestId('basemap-gcj-note').isVisible(), crs === 'gcj02');
    await dialog.getByTestId('basemap-apply').click();
    await page.waitForFunction(() => (window as unknown as { __bpMap: MapHandle }).__bpMap.getStyle().name === 'branch-planner-tiles', null, { timeout: 15_000 });
    await page.evaluate((c) => (window as unknown as { __bpMap: MapHandle }).__bpMap.jumpTo({ center: c, zoom: 16 }), gcj);
    await settle(page);
  }

  /** Metres per CSS pixel at map zoom 16 at the branch's latitude (MapLibre's zoom counts 512-pixel worlds). */
  const mPerPx = () => (40_075_016.686 * Math.cos((branch.lat * Math.PI) / 180)) / (512 * 2 ** 16);

  it('draws the branch on its GCJ-02 tile position within 10 m', async () => {
    await useTiles('gcj02');
    const c = await centroids(s.page, null, 0);
    assert.ok(c.ring && c.ring.n > 200, `the test tiles' ring is drawn (${JSON.stringify(c.ring)})`);
    const near = await centroids(s.page, c.ring, 40);
    assert.ok(near.branch && near.branch.n > 30, `our branch symbol is drawn inside the ring (${JSON.stringify(near.branch)})`);
    const offM = Math.hypot(near.branch.x - c.ring.x, near.branch.y - c.ring.y) * mPerPx();
    assert.ok(offM < 10, `branch ${offM.toFixed(1)} m from its tile position`);
    console.log(`# GCJ-02 mode: branch drawn ${offM.toFixed(2)} m from its tile position`);
    await shot(s.page, 'gcj02-branch-on-tiles.png');
  });

  it('a click on the shifted branch reaches the data as that branch (closure mode toggles it)', async () => {
    const page = s.page;
    await page.getByTestId('tab-sites').click();
    await page.getByTestId('sites-mode-closure').click();
    await page.waitForSelector(`[data-testid="sites-close-${branch.id}"]`, { timeout: 60_000 });
    await page.evaluate((c) => (window as unknown as { __bpMap: MapHandle }).__bpMap.jumpTo({ center: c, zoom: 16 }), gcj);
    await settle(page);
    const p = await mapToPage(page, gcj);
    await page.mouse.click(p.x, p.y);
    await page.waitForFunction((id) => (document.querySelector(`[data-testid="sites-close-${id}"]`) as HTMLInputElement | null)?.checked === true, branch.id, { timeout: 10_000 });
    // Back: untick it and leave closure mode for the next test.
    await page.getByTestId(`sites-close-${branch.id}`).uncheck();
    await page.getByTestId('sites-mode-recommend').click();
    await page.getByTestId('tab-data').click();
  });

  it('the same tiles declared WGS84 leave the branch hundreds of metres off (the check can fail)', async () => {
    await useTiles('wgs84');
    const c = await centroids(s.page, null, 0);
    assert.ok(c.ring);
    const [x, y] = [c.ring.x, c.ring.y];
    // The unshifted symbol sits at the WGS84 position: find it there.
    const wgsPage = await mapToPage(s.page, [branch.lon, branch.lat]);
    const box = await s.page.getByTestId('map').boundingBox();
    const at = await centroids(s.page, { x: wgsPage.x - box!.x, y: wgsPage.y - box!.y }, 40);
    assert.ok(at.branch, 'the branch is drawn at its WGS84 position');
    await shot(s.page, 'wgs84-declared.png');
    const offM = Math.hypot(at.branch.x - x, at.branch.y - y) * mPerPx();
    assert.ok(offM > 300 && offM < 700, `unshifted, the branch is ${offM.toFixed(0)} m from its GCJ-02 tile position`);
  });

  it('presets whose servers the deployment does not allow say so, in English and Chinese', async () => {
    const page = s.page;
    await page.getByTestId('settings-open').click();
    const dialog = page.getByTestId('settings');
    for (const [kind, host] of [['amap', 'webrd01.is.autonavi.com'], ['tencent', 'rt0.map.gtimg.com'], ['tianditu', 't0.tianditu.gov.cn']] as const) {
      await dialog.getByTestId(`basemap-${kind}`).check();
      const msg = await dialog.getByTestId('basemap-refused').textContent();
      assert.match(msg ?? '', new RegExp(host.replace(/\./g, '\\.')));
      assert.match(msg ?? '', /BP_CONNECT_ORIGINS/);
      assert.equal(await dialog.getByTestId('basemap-apply').isDisabled(), true);
    }
    await shot(page, 'preset-refused-en.png');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('settings-open').click();
    await dialog.getByTestId('basemap-amap').check();
    assert.match((await dialog.getByTestId('basemap-refused').textContent()) ?? '', /本安装不允许应用访问高德地图的服务器/);
    await shot(page, 'preset-refused-zh.png');
    await dialog.getByTestId('basemap-offline').check();
    await dialog.getByTestId('basemap-apply').click();
    await page.getByTestId('lang-switch').click();
  });

  it('fetched nothing from outside the app', () => {
    assert.deepEqual(s.external, []);
  });
});
