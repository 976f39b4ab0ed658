import { describe, expect, it } from 'vitest';
import { distanceText, NAME_WORDS, siteName } from './sites-names.ts';
import type { NetworkSites, StudyCells } from './sites-model.ts';
import { cellToLatLng, latLngToCell } from 'h3-js';

const net: NetworkSites = {
  id: ['B1', 'B2'], name: ['陆家嘴支行', ''], lon: Float64Array.from([121.5, 121.3]), lat: Float64Array.from([31.23, 31.1]),
  type: ['branch', 'branch'], owner: ['own', 'own'], attractiveness: Float64Array.from([1, 1]),
};
const data = { network: net, ownSites: [0, 1] };

describe('siteName', () => {
  it('names a site by its area and the nearest own site, bearing and distance (hand-checked)', () => {
    // 0.8 km north and 0.8 km east of B1 (≈ 1.13 km north-east)
    const dLat = 800 / 111_195, dLon = 800 / (111_195 * Math.cos((31.23 * Math.PI) / 180));
    const site = { lon: 121.5 + dLon, lat: 31.23 + dLat };
    const h = latLngToCell(site.lat, site.lon, 8);
    const [y, x] = cellToLatLng(h);
    const cells: StudyCells = { h3: [h], lon: Float64Array.from([x]), lat: Float64Array.from([y]), areaIndex: Int32Array.from([0]), areaCount: 1 };
    expect(siteName(data, cells, ['浦东新区'], site, NAME_WORDS['zh-CN'])).toBe('浦东新区 · 陆家嘴支行 东北 1.1 km');
    expect(siteName(data, null, null, site, NAME_WORDS.en)).toBe('陆家嘴支行 NE 1.1 km');
    // B2 has no name: its id; south-west of it
    expect(siteName(data, null, null, { lon: 121.29, lat: 31.095 }, NAME_WORDS.en)).toBe('B2 SW 1.1 km');
    expect(siteName(data, cells, ['浦东新区'], { ...site, name: 'Mall gate' }, NAME_WORDS.en)).toBe('Mall gate');
    expect(siteName({ network: net, ownSites: [] }, null, null, { lon: 121.51, lat: 31.24 }, NAME_WORDS.en)).toBe('31.2400, 121.5100');
  });

  it('says distances as people do', () => {
    expect([0, 44, 880, 999, 1000, 1234, 12_345].map(distanceText)).toEqual(['0 m', '40 m', '880 m', '1000 m', '1.0 km', '1.2 km', '12.3 km']);
  });
});
