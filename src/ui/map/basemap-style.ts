/**
 * Turns the user's basemap choice into a MapLibre style. Presets and tile templates are
 * raster styles (basemap-presets.ts). A local PMTiles file is read
 * through `pmtiles`' FileSource (range reads on the File, no server) and styled with
 * @protomaps/basemaps' light flavour.
 */
import maplibregl, { type StyleSpecification } from 'maplibre-gl';
import { FileSource, PMTiles, Protocol } from 'pmtiles';
import { layers, namedFlavor } from '@protomaps/basemaps';
import { offlineStyle } from './offline-style.ts';
import { allowedOrigins, loadPmtilesFile, type BasemapChoice } from './basemap-settings.svelte.ts';
import { presetStyle, rasterStyle } from './basemap-presets.ts';

let protocol: Protocol | null = null;

function pmtilesProtocol(): Protocol {
  if (!protocol) {
    protocol = new Protocol();
    maplibregl.addProtocol('pmtiles', protocol.tile);
  }
  return protocol;
}

export async function styleFor(choice: BasemapChoice, baseUrl: string, lang: string): Promise<StyleSpecification | string> {
  if (choice.kind === 'style') return choice.url;
  // A template copied from an address bar may carry its braces percent-encoded.
  if (choice.kind === 'tiles') return rasterStyle('branch-planner-tiles', [{ id: 'tiles', tiles: [choice.url.replace(/%7B/gi, '{').replace(/%7D/gi, '}')] }]);
  if (choice.kind === 'tianditu' || choice.kind === 'amap' || choice.kind === 'tencent') {
    // Null when this deployment's policy allows none of the preset's servers (the settings
    // refuse to apply it; a choice kept from before a redeployment falls back here).
    const style = presetStyle(choice.kind, {
      lang: lang.startsWith('zh') ? 'zh' : 'en', key: choice.kind === 'tianditu' ? choice.key : '', allowed: allowedOrigins, self: new URL(baseUrl).origin,
    });
    if (style) return style;
  }
  if (choice.kind === 'pmtiles') {
    const file = await loadPmtilesFile();
    if (file) {
      const archive = new PMTiles(new FileSource(file));
      pmtilesProtocol().add(archive);
      return {
        version: 8,
        sources: { protomaps: { type: 'vector', url: `pmtiles://${file.name}`, attribution: '© OpenStreetMap' } },
        layers: layers('protomaps', namedFlavor('light'), { lang: lang.startsWith('zh') ? 'zh-Hans' : 'en' }),
      } as StyleSpecification;
    }
  }
  return offlineStyle(baseUrl);
}
