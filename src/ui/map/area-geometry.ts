/**
 * The loaded areas brought from the DB worker without long tasks on the UI thread (issue 15):
 * geometry arrives as transferred typed arrays (pipeline/dataset/area-pack.ts) and the
 * properties in chunks; `Dataset.areas` is rebuilt from them in slices that yield between
 * them. The pack stays registered with the FeatureCollection it built, so the map draws from
 * it: the choropleth's pre-triangulated fill, MapLibre's sources as blob: URLs, label points
 * and bounds — none of that is computed on the UI thread.
 */
import type { AreaPack, DisplayCrs } from '../../pipeline/dataset/area-pack.ts';
import { unpackGeometry } from '../../pipeline/dataset/area-pack.ts';

/** What this module asks of the DB worker (its comlink remote). */
export interface AreaSourceWorker {
  getAreas(): Promise<GeoJSON.FeatureCollection | null>;
  getAreaPack(): Promise<AreaPack | null>;
  getAreaProperties(version: number, start: number, end: number): Promise<Array<Record<string, unknown> | null> | null>;
  getAreaSources(version: number, crs: DisplayCrs): Promise<{ areas: Uint8Array; labels: Uint8Array } | null>;
}

const packs = new WeakMap<GeoJSON.FeatureCollection, AreaPack>();

/** The pack `fc` was rebuilt from, when it was. */
export function areaPackOf(fc: GeoJSON.FeatureCollection | null | undefined): AreaPack | undefined {
  return fc ? packs.get(fc) : undefined;
}

/** Features per slice (and per properties call): a few ms of work each. */
const SLICE_FEATURES = 1000;
/** Positions per slice: one huge ring is cut between slices of this many. */
const SLICE_POSITIONS = 50_000;

const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

/** The DB worker's loaded areas as a FeatureCollection, built in slices; null when it holds none. */
export async function fetchAreas(db: AreaSourceWorker): Promise<GeoJSON.FeatureCollection | null> {
  const pack = await db.getAreaPack();
  if (!pack) return db.getAreas();
  const features: GeoJSON.Feature[] = new Array(pack.count);
  const g = pack.geometry;
  for (let start = 0; start < pack.count; ) {
    // A slice ends at SLICE_FEATURES features or SLICE_POSITIONS positions, whichever first.
    let end = start + 1;
    const first = g.ringStarts[g.polygonRings[g.featurePolygons[start]]];
    while (end < pack.count && end - start < SLICE_FEATURES && g.ringStarts[g.polygonRings[g.featurePolygons[end + 1]]] - first <= SLICE_POSITIONS) end++;
    const props = await db.getAreaProperties(pack.version, start, end);
    // The worker's areas changed under us (another load): that load brings its own.
    if (!props) return db.getAreas();
    for (let i = start; i < end; i++) features[i] = { type: 'Feature', properties: props[i - start], geometry: unpackGeometry(g, i) };
    start = end;
    await nextTask();
  }
  const fc: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features };
  packs.set(fc, pack);
  return fc;
}

/** blob: URLs MapLibre's worker fetches, for the areas of `pack` in `crs`; null if stale. */
export async function areaSourceUrls(db: AreaSourceWorker, pack: AreaPack, crs: DisplayCrs): Promise<{ areas: string; labels: string } | null> {
  const s = await db.getAreaSources(pack.version, crs);
  if (!s) return null;
  const url = (b: Uint8Array) => URL.createObjectURL(new Blob([b as BlobPart], { type: 'application/geo+json' }));
  return { areas: url(s.areas), labels: url(s.labels) };
}
