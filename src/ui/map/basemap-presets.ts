/**
 * Raster basemaps Chinese users already have, as MapLibre styles: Tianditu (天地图, the
 * national service: vector map `vec` + Chinese annotation `cva`, Web Mercator tiles of
 * CGCS2000, which agrees with WGS84 to well under a metre — no shift), AMap (高德) and
 * Tencent (腾讯) street maps, both drawn in GCJ-02, the obfuscated datum Chinese law requires
 * for public maps: a WGS84 point drawn on them unshifted lands 300–600 m off. So the data
 * layers are shifted into GCJ-02 for display only (display-crs.ts); numbers stay WGS84.
 *
 * A preset names the https origins its tiles come from. The app reaches only the origins on
 * the deploy-time allow-list (BP_CONNECT_ORIGINS, which also writes the Content-Security-
 * Policy: deploy/csp.ts), so the settings check a preset against it before using it.
 *
 * Pure module: no DOM, no MapLibre instance; tests read the styles as data.
 */
import type { StyleSpecification } from 'maplibre-gl';

/** The datum a basemap is drawn in. */
export type BasemapCrs = 'wgs84' | 'gcj02';

export type PresetId = 'tianditu' | 'amap' | 'tencent';

export interface RasterPreset {
  id: PresetId;
  crs: BasemapCrs;
  /** Tile URL templates per layer (base first, then overlays), for a locale and a key. */
  layers: (lang: 'zh' | 'en', key: string) => { id: string; tiles: string[]; scheme?: 'xyz' | 'tms' }[];
  /** Every origin the templates may use (subdomains included). */
  origins: string[];
  attribution: string;
  maxzoom: number;
  /** A user key is required (Tianditu's free developer key, "tk"). */
  needsKey: boolean;
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);

function tiandituLayer(layer: 'vec' | 'cva', key: string, hosts: string[]): string[] {
  // WMTS KVP, Web Mercator tile matrix set "w" (the `_w` services).
  return hosts.map((h) =>
    `${h}/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
  );
}

const TIANDITU_ORIGINS = range(8).map((i) => `https://t${i}.tianditu.gov.cn`);
const AMAP_ORIGINS = range(4, 1).map((i) => `https://webrd0${i}.is.autonavi.com`);
const TENCENT_ORIGINS = range(4).map((i) => `https://rt${i}.map.gtimg.com`);

export const PRESETS: Record<PresetId, RasterPreset> = {
  tianditu: {
    id: 'tianditu',
    crs: 'wgs84',
    origins: TIANDITU_ORIGINS,
    layers: (_lang, key) => [
      { id: 'tianditu-vec', tiles: tiandituLayer('vec', key, TIANDITU_ORIGINS) },
      { id: 'tianditu-cva', tiles: tiandituLayer('cva', key, TIANDITU_ORIGINS) },
    ],
    attribution: '© 天地图 Tianditu',
    maxzoom: 18,
    needsKey: true,
  },
  amap: {
    id: 'amap',
    crs: 'gcj02',
    origins: AMAP_ORIGINS,
    layers: (lang) => [{
      id: 'amap',
      tiles: AMAP_ORIGINS.map((o) => `${o}/appmaptile?lang=${lang === 'zh' ? 'zh_cn' : 'en'}&size=1&scale=1&style=8&x={x}&y={y}&z={z}`),
    }],
    attribution: '© 高德 AMap',
    maxzoom: 18,
    needsKey: false,
  },
  tencent: {
    id: 'tencent',
    crs: 'gcj02',
    origins: TENCENT_ORIGINS,
    // Tencent numbers tile rows from the south (TMS).
    layers: () => [{ id: 'tencent', tiles: TENCENT_ORIGINS.map((o) => `${o}/tile?z={z}&x={x}&y={y}&type=vector&styleid=3`), scheme: 'tms' }],
    attribution: '© 腾讯地图 Tencent',
    maxzoom: 18,
    needsKey: false,
  },
};

/**
 * The origins of `origins` this deployment's policy refuses (neither the app's own origin nor
 * on the allow-list), in order. Empty when every one is allowed.
 */
export function refusedOrigins(origins: readonly string[], allowed: readonly string[], self: string): string[] {
  return origins.filter((o) => o !== self && !allowed.includes(o));
}

/** The origin of a URL or tile template; null when it is not an http(s) address. */
export function originOf(url: string): string | null {
  // Tile templates carry {z}/{x}/{y}: they are valid in a URL's path and query, not its host.
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * A preset's style using only the subdomains the policy allows (Tianditu spreads its tiles
 * over t0–t7; a deployment may allow a few). Returns null when the policy allows none of
 * them. A raster basemap has no land colour of its own under transparent tiles: the
 * background is a neutral light grey.
 */
export function presetStyle(id: PresetId, opts: { lang: 'zh' | 'en'; key: string; allowed: readonly string[]; self: string }): StyleSpecification | null {
  const p = PRESETS[id];
  const ok = (t: string) => !refusedOrigins([originOf(t) ?? ''], opts.allowed, opts.self).length;
  const layers = p.layers(opts.lang, opts.key).map((l) => ({ ...l, tiles: l.tiles.filter(ok) }));
  if (layers.some((l) => l.tiles.length === 0)) return null;
  return rasterStyle(`branch-planner-${id}`, layers, { attribution: p.attribution, maxzoom: p.maxzoom });
}

/** A style of raster tile layers (XYZ or TMS templates), 256-pixel tiles. */
export function rasterStyle(
  name: string,
  layers: { id: string; tiles: string[]; scheme?: 'xyz' | 'tms' }[],
  opts: { attribution?: string; maxzoom?: number } = {},
): StyleSpecification {
  const sources: StyleSpecification['sources'] = {};
  for (const l of layers) {
    sources[l.id] = { type: 'raster', tiles: l.tiles, tileSize: 256, scheme: l.scheme ?? 'xyz', maxzoom: opts.maxzoom ?? 18, attribution: opts.attribution ?? '' };
  }
  return {
    version: 8,
    name,
    sources,
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef0f2' } },
      ...layers.map((l) => ({ id: l.id, type: 'raster' as const, source: l.id })),
    ],
  };
}
