/**
 * Turns the user's basemap choice into a MapLibre style. A local PMTiles file is read
 * through `pmtiles`' FileSource (range reads on the File, no server) and styled with
 * @protomaps/basemaps' light flavour.
 */
import maplibregl, { type StyleSpecification } from 'maplibre-gl';
import { FileSource, PMTiles, Protocol } from 'pmtiles';
import { layers, namedFlavor } from '@protomaps/basemaps';
import { offlineStyle } from './offline-style.ts';
import { loadPmtilesFile, type BasemapChoice } from './basemap-settings.svelte.ts';

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
