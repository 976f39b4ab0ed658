/**
 * Human names for recommended sites (DESIGN.md): the candidates file's `name` when given,
 * else "area · our nearest site, bearing, distance", e.g. `浦东新区 · 陆家嘴支行 东北 1.2 km`:
 * the area holding the site (its study cell's area), then where it lies seen from the nearest
 * of our existing sites of the type (8-point compass, great-circle bearing and distance).
 * Without areas the area part is left out; without existing sites, the coordinates are used.
 */
import { bearingDeg, compass8 } from '../../core/bearing.ts';
import { cellAt, h3ResolutionOf } from '../../core/candidates.ts';
import { haversineM } from '../../core/haversine.ts';
import type { SitesData, StudyCells } from './sites-model.ts';

/** A site's name in each UI language. */
export interface SiteNames {
  en: string;
  'zh-CN': string;
}

/** The words a name is made of, in the reader's language. */
export interface NameWords {
  /** N, NE, E, SE, S, SW, W, NW. */
  compass: readonly string[];
  separator: string;
}

export const NAME_WORDS: Readonly<Record<'en' | 'zh-CN', NameWords>> = {
  en: { compass: ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'], separator: ' · ' },
  'zh-CN': { compass: ['北', '东北', '东', '东南', '南', '西南', '西', '西北'], separator: ' · ' },
};

/** Distance as people say it: metres under 1 km (to 10 m), else km with one decimal. */
export function distanceText(m: number): string {
  return m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(1)} km`;
}

export function siteName(
  data: Pick<SitesData, 'network' | 'ownSites'>,
  cells: StudyCells | null,
  areaNames: readonly string[] | null,
  site: { lon: number; lat: number; name?: string },
  words: NameWords,
): string {
  if (site.name) return site.name;
  const parts: string[] = [];
  if (cells && cells.h3.length > 0 && areaNames) {
    const res = h3ResolutionOf(cells.h3[0]);
    const c = res >= 0 ? cells.h3.indexOf(cellAt(site.lon, site.lat, res)) : -1;
    const a = c >= 0 ? areaNames[cells.areaIndex[c]] : '';
    if (a) parts.push(a);
  }
  let best = -1, bestD = Infinity;
  for (const j of data.ownSites) {
    const d = haversineM(data.network.lon[j], data.network.lat[j], site.lon, site.lat);
    if (d < bestD) { bestD = d; best = j; }
  }
  if (best >= 0) {
    const from = data.network.name?.[best] || data.network.id[best];
    const dir = words.compass[compass8(bearingDeg(data.network.lon[best], data.network.lat[best], site.lon, site.lat))];
    parts.push(`${from} ${dir} ${distanceText(bestD)}`);
  } else {
    parts.push(`${site.lat.toFixed(4)}, ${site.lon.toFixed(4)}`);
  }
  return parts.join(words.separator);
}
