/**
 * The loaded dataset as the UI holds it: areas as GeoJSON, indicators as one Float64Array
 * per column laid out [period][area], sites as columns. Decoded from the DB worker's Arrow
 * IPC bytes (apache-arrow 17, the version duckdb-wasm uses).
 */
import { tableFromIPC } from 'apache-arrow';
import type { DatasetSummary } from './db-api.ts';

export interface Sites {
  id: string[];
  lon: Float64Array;
  lat: Float64Array;
  type: string[];
  owner: string[];
  name: string[];
}

export interface Dataset {
  summary: DatasetSummary;
  areas: GeoJSON.FeatureCollection;
  areaIds: string[];
  areaIndex: Map<string, number>;
  periods: string[];
  /** column → values at [periodIndex * areaIds.length + areaIndex]; NaN where missing. */
  indicators: Record<string, Float64Array>;
  sites: Sites;
}

/** Each area's `area_id` (as text) in area order, and the index of each (the last, were one repeated). */
export interface AreaKeys {
  areaIds: string[];
  areaIndex: Map<string, number>;
}

/** An empty AreaKeys that `addAreaKeys` fills, area after area. */
export const newAreaKeys = (): AreaKeys => ({ areaIds: [], areaIndex: new Map() });

/** Add the keys of areas `start`, `start + 1`… with these properties (in slices, as they arrive). */
export function addAreaKeys(keys: AreaKeys, start: number, properties: ReadonlyArray<GeoJSON.GeoJsonProperties>): void {
  for (let k = 0; k < properties.length; k++) {
    const id = String(properties[k]?.area_id);
    keys.areaIds[start + k] = id;
    keys.areaIndex.set(id, start + k);
  }
}

function num(v: unknown): number {
  if (v === null || v === undefined) return NaN;
  return typeof v === 'bigint' ? Number(v) : Number(v);
}

export function buildDataset(
  summary: DatasetSummary,
  areas: GeoJSON.FeatureCollection,
  indicatorIpc: Uint8Array,
  sitesIpc: Uint8Array,
  /** The areas' keys when they were gathered as the areas arrived (the same as computed here). */
  keys?: AreaKeys,
): Dataset {
  if (!keys) addAreaKeys((keys = newAreaKeys()), 0, areas.features.map((f) => f.properties));
  const { areaIds, areaIndex } = keys;
  const periods = summary.periods;
  const periodIndex = new Map(periods.map((p, i) => [p, i]));

  const ind = tableFromIPC(indicatorIpc);
  const indicators: Record<string, Float64Array> = {};
  const aCol = ind.getChild('area_id');
  const pCol = ind.getChild('period');
  for (const c of summary.indicatorColumns) indicators[c] = new Float64Array(periods.length * areaIds.length).fill(NaN);
  if (aCol && pCol) {
    const cols = summary.indicatorColumns.map((c) => [c, ind.getChild(c)] as const);
    for (let r = 0; r < ind.numRows; r++) {
      const a = areaIndex.get(String(aCol.get(r)));
      const p = periodIndex.get(String(pCol.get(r)));
      if (a === undefined || p === undefined) continue;
      for (const [c, vec] of cols) indicators[c][p * areaIds.length + a] = num(vec?.get(r));
    }
  }

  const st = tableFromIPC(sitesIpc);
  const strings = (name: string) => Array.from({ length: st.numRows }, (_, i) => String(st.getChild(name)?.get(i) ?? ''));
  const floats = (name: string) => Float64Array.from({ length: st.numRows }, (_, i) => num(st.getChild(name)?.get(i)));
  const sites: Sites = {
    id: strings('site_id'),
    lon: floats('lon'),
    lat: floats('lat'),
    type: strings('type'),
    owner: strings('owner'),
    name: strings('name'),
  };
  return { summary, areas, areaIds, areaIndex, periods, indicators, sites };
}

/** One indicator at one period, in area order. */
export function indicatorSlice(ds: Dataset, column: string, period: string): Float64Array {
  const p = ds.periods.indexOf(period);
  const all = ds.indicators[column];
  if (!all || p < 0) return new Float64Array(ds.areaIds.length).fill(NaN);
  return all.subarray(p * ds.areaIds.length, (p + 1) * ds.areaIds.length);
}
