/**
 * Bank sites of the demo: our branches and ATMs, and two competitors' branches, placed
 * near the centres in places.ts. Built to give the site tools something to find:
 *  - a few of our branches in overlapping pairs a few hundred metres apart (closure /
 *    merge candidates for rationalisation);
 *  - growing suburbs (`ownGap` places: 临港, 嘉定新城) with no site of ours at all, where
 *    competitors are present (the gap coverage and Huff analysis should rank first);
 *  - competitors spread differently: ICBC broad, CMB concentrated in the core.
 */
import type { Rng } from '../src/core/rng.ts';
import { haversineM } from '../src/core/haversine.ts';
import { randNormal } from '../src/core/rng.ts';
import { areaOf, offsetM, type PreparedArea } from './geo.ts';
import { PLACES, type Place } from './places.ts';
import { allocate, streamFor } from './random.ts';

export interface Site {
  site_id: string;
  lon: number;
  lat: number;
  type: 'branch' | 'atm';
  owner: string;
  name: string;
  attractiveness: number;
}

export const SITE_COUNTS = { ownBranches: 60, ownAtms: 200, ICBC: 80, CMB: 50 } as const;

/** Our branches that get a twin 250–450 m away: the overlap a network review should flag. */
const OVERLAP_PLACES = ['徐家汇', '五角场', '中山公园', '七宝'];

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
type LonLat = [number, number];

/**
 * A point near `place` (Gaussian, sd in metres) inside some district and at least
 * `minSpacingM` from every point in `taken`; the spacing is halved if the neighbourhood is
 * too crowded to honour it, so the call always ends.
 */
function placeNear(rng: Rng, areas: PreparedArea[], place: Place, sdM: number, taken: LonLat[], minSpacingM: number): LonLat {
  for (let attempt = 0; ; attempt++) {
    const spacing = minSpacingM / 2 ** Math.floor(attempt / 200);
    const [lon, lat] = offsetM(place.lon, place.lat, randNormal(rng) * sdM, randNormal(rng) * sdM);
    const p: LonLat = [round6(lon), round6(lat)];
    if (!areaOf(areas, p[0], p[1])) continue;
    if (taken.some((t) => haversineM(t[0], t[1], p[0], p[1]) < spacing)) continue;
    return p;
  }
}

const DIRS = ['东', '东北', '北', '西北', '西', '西南', '南', '东南'];

/** `${place}${suffix}`, or with a compass word (from the centre) when the plain name is taken. */
function uniqueName(used: Set<string>, place: Place, p: LonLat, suffix: string): string {
  const octant = (Math.round(Math.atan2(p[1] - place.lat, p[0] - place.lon) / (Math.PI / 4)) + 8) % 8;
  const candidates = [`${place.name}${suffix}`, `${place.name}${DIRS[octant]}${suffix}`, ...DIRS.map((d) => `${place.name}${d}${suffix}`)];
  let name = candidates.find((c) => !used.has(c));
  for (let k = 2; !name; k++) if (!used.has(`${place.name}第${k}${suffix}`)) name = `${place.name}第${k}${suffix}`;
  used.add(name);
  return name;
}

/** Branch network of one owner: counts ∝ weight^power over the allowed places. */
function branches(
  rng: Rng,
  areas: PreparedArea[],
  places: Place[],
  count: number,
  power: number,
  namePrefix: string,
  flagship: string,
): { place: Place; p: LonLat; name: string; attractiveness: number }[] {
  const counts = allocate(places.map((pl) => pl.weight ** power), count);
  const taken: LonLat[] = [];
  const used = new Set<string>();
  const out: { place: Place; p: LonLat; name: string; attractiveness: number }[] = [];
  places.forEach((place, i) => {
    for (let k = 0; k < counts[i]; k++) {
      // The first branch sits near the centre; later ones spread over the catchment.
      const sdM = k === 0 ? 250 : place.sdKm * 700;
      const p = placeNear(rng, areas, place, sdM, taken, 700);
      taken.push(p);
      const name = uniqueName(used, place, p, '支行');
      const attractiveness = k === 0 && place.name === flagship ? 3 : k === 0 && place.weight >= 5 ? 2 : 1;
      out.push({ place, p, name: namePrefix + name, attractiveness });
    }
  });
  return out;
}

export function generateSites(areas: PreparedArea[], seed: number): Site[] {
  const rng = streamFor(seed, 'sites');
  const ourPlaces = PLACES.filter((p) => !p.ownGap);
  const sites: Site[] = [];
  const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(3, '0')}`;

  // Our branches: the bulk by weight, then the deliberate overlapping twins.
  const ours = branches(rng, areas, ourPlaces, SITE_COUNTS.ownBranches - OVERLAP_PLACES.length, 0.6, '', '人民广场');
  const used = new Set(ours.map((b) => b.name));
  for (const placeName of OVERLAP_PLACES) {
    const first = ours.find((b) => b.place.name === placeName);
    if (!first) throw new Error(`overlap place ${placeName} got no branch`);
    let p: LonLat;
    do {
      const dist = 250 + rng() * 200;
      const bearing = rng() * 2 * Math.PI;
      const [lon, lat] = offsetM(first.p[0], first.p[1], dist * Math.cos(bearing), dist * Math.sin(bearing));
      p = [round6(lon), round6(lat)];
    } while (!areaOf(areas, p[0], p[1]));
    ours.push({ place: first.place, p, name: uniqueName(used, first.place, p, '支行'), attractiveness: 1 });
  }
  // The head office counter at 人民广场 carries the city branch's name.
  const flagship = ours.find((b) => b.attractiveness === 3);
  if (flagship) flagship.name = '上海分行营业部';
  ours.forEach((b, i) =>
    sites.push({ site_id: id('BR', i + 1), lon: b.p[0], lat: b.p[1], type: 'branch', owner: 'own', name: b.name, attractiveness: b.attractiveness }),
  );

  // Our ATMs: one in every branch lobby (a few metres off the branch point), the rest off-site.
  const atms: LonLat[] = [];
  let n = 0;
  for (const b of ours) {
    const [lon, lat] = offsetM(b.p[0], b.p[1], (rng() - 0.5) * 40, (rng() - 0.5) * 40);
    const p: LonLat = [round6(lon), round6(lat)];
    atms.push(p);
    sites.push({ site_id: id('ATM', ++n), lon: p[0], lat: p[1], type: 'atm', owner: 'own', name: `${b.name}ATM`, attractiveness: 1 });
  }
  const offsite = allocate(ourPlaces.map((pl) => pl.weight), SITE_COUNTS.ownAtms - ours.length);
  ourPlaces.forEach((place, i) => {
    for (let k = 1; k <= offsite[i]; k++) {
      const p = placeNear(rng, areas, place, place.sdKm * 900, atms, 300);
      atms.push(p);
      sites.push({ site_id: id('ATM', ++n), lon: p[0], lat: p[1], type: 'atm', owner: 'own', name: `${place.name}自助银行${k}`, attractiveness: 1 });
    }
  });

  // Competitors: ICBC everywhere, close to proportional; CMB concentrated in the core.
  const competitors = [
    { owner: 'ICBC', prefix: '工行', count: SITE_COUNTS.ICBC, power: 0.9, flagship: '南京东路' },
    { owner: 'CMB', prefix: '招行', count: SITE_COUNTS.CMB, power: 1.4, flagship: '陆家嘴' },
  ];
  for (const c of competitors) {
    branches(rng, areas, PLACES, c.count, c.power, c.prefix, c.flagship).forEach((b, i) =>
      sites.push({ site_id: id(c.owner, i + 1), lon: b.p[0], lat: b.p[1], type: 'branch', owner: c.owner, name: b.name, attractiveness: b.attractiveness }),
    );
  }
  return sites;
}

export function sitesToCsv(sites: Site[]): string {
  const lines = ['site_id,lon,lat,type,owner,name,attractiveness'];
  for (const s of sites) lines.push([s.site_id, s.lon, s.lat, s.type, s.owner, s.name, s.attractiveness].join(','));
  return lines.join('\n') + '\n';
}
