/**
 * The loaded areas brought from the DB worker without long tasks on the UI thread (issue 15):
 * geometry arrives as transferred typed arrays (pipeline/dataset/area-pack.ts) and the
 * properties in chunks; `Dataset.areas` is rebuilt from them in slices that yield between
 * them. The pack stays registered with the FeatureCollection it built, so the map draws from
 * it: the choropleth's pre-triangulated fill, MapLibre's sources as blob: URLs, label points
 * and bounds — none of that is computed on the UI thread.
 */
import type { AreaGeometryPack, AreaPack, DisplayCrs } from '../../pipeline/dataset/area-pack.ts';
import { unpackGeometry } from '../../pipeline/dataset/area-pack.ts';
import { addAreaKeys, newAreaKeys, type AreaKeys } from '../../pipeline/dataset/dataset.ts';

/** What this module asks of the DB worker (its comlink remote). */
export interface AreaSourceWorker {
  getAreas(): Promise<GeoJSON.FeatureCollection | null>;
  getAreaPack(): Promise<AreaPack | null>;
  getAreaProperties(version: number, start: number, end: number): Promise<Array<Record<string, unknown> | null> | null>;
  /** The JSON MapLibre reads (area-pack.ts › areaSourcesJson) as Blobs the worker made. */
  getAreaSourceBlobs(version: number, crs: DisplayCrs): Promise<{ areas: Blob; labels: Blob } | null>;
}

const packs = new WeakMap<GeoJSON.FeatureCollection, AreaPack>();
const keys = new WeakMap<GeoJSON.FeatureCollection, AreaKeys>();

/** The pack `fc` was rebuilt from, when it was. */
export function areaPackOf(fc: GeoJSON.FeatureCollection | null | undefined): AreaPack | undefined {
  return fc ? packs.get(fc) : undefined;
}

const spares = new WeakMap<GeoJSON.FeatureCollection, AreaGeometryPack>();

const copyGeometry = (g: AreaGeometryPack): AreaGeometryPack => ({
  positions: g.positions.slice(), ringStarts: g.ringStarts.slice(), polygonRings: g.polygonRings.slice(), featurePolygons: g.featurePolygons.slice(), multi: g.multi.slice(),
});

/**
 * A copy of the packed geometry of `fc`'s areas to transfer to another worker (the analysis
 * worker's hotspots): the one made in a task of its own as they arrived, the first time (a
 * few megabytes copied in the task that shows the dataset would lengthen it); a fresh copy
 * after that. Undefined when they did not come as a pack.
 */
export function areaGeometryCopy(fc: GeoJSON.FeatureCollection): AreaGeometryPack | undefined {
  const spare = spares.get(fc);
  if (spare) {
    spares.delete(fc);
    return spare;
  }
  const g = packs.get(fc)?.geometry;
  return g && copyGeometry(g);
}

/** The keys of `fc`'s areas, gathered slice by slice as they arrived, when they came as a pack. */
export function areaKeysOf(fc: GeoJSON.FeatureCollection | null | undefined): AreaKeys | undefined {
  return fc ? keys.get(fc) : undefined;
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
  const ids = newAreaKeys();
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
    addAreaKeys(ids, start, props);
    start = end;
    await nextTask();
  }
  const fc: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features };
  packs.set(fc, pack);
  keys.set(fc, ids);
  spares.set(fc, copyGeometry(g));
  await nextTask();
  return fc;
}

/** blob: URLs MapLibre's worker fetches, for the areas of `pack` in `crs`; null if stale. */
export async function areaSourceUrls(db: AreaSourceWorker, pack: AreaPack, crs: DisplayCrs): Promise<{ areas: string; labels: string } | null> {
  const s = await db.getAreaSourceBlobs(pack.version, crs);
  if (!s) return null;
  return { areas: URL.createObjectURL(s.areas), labels: URL.createObjectURL(s.labels) };
}
