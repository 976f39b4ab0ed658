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

function num(v: unknown): number {
  if (v === null || v === undefined) return NaN;
  return typeof v === 'bigint' ? Number(v) : Number(v);
}

export function buildDataset(
  summary: DatasetSummary,
  areas: GeoJSON.FeatureCollection,
  indicatorIpc: Uint8Array,
  sitesIpc: Uint8Array,
): Dataset {
  const areaIds = areas.features.map((f) => String(f.properties?.area_id));
  const areaIndex = new Map(areaIds.map((id, i) => [id, i]));
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
