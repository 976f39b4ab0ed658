/**
 * Areas input: GeoJSON validated in JS (geojson.ts), attribute table built as Arrow and inserted
 * as `__bp_fin_areas(area_id, name, name_en, <numeric properties> DOUBLE)`. The geometry stays
 * in JS and is returned with the report for the map and for assigning customers.
 */
import { Float64, Table, Utf8, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import type { Connector } from '../db/connector.ts';
import { buildAreaIndex } from '../core/point-in-area.ts';
import { stagingName } from '../sql/load-tables.ts';
import { FileProblemError } from './errors.ts';
import { validateAreas } from './geojson.ts';
import { insertReaderRejects } from './load-tabular.ts';
import type { AreaLookup } from './points.ts';
import type { AreaFeatureCollection, FileReport, LoadInput, RejectCode } from './types.ts';

export async function loadAreas(
  conn: Connector,
  input: LoadInput,
  text: string,
): Promise<{ report: FileReport; collection: AreaFeatureCollection; table: string }> {
  const result = validateAreas(text, input.fileName, { mapping: input.mapping, crs: input.crs });
  await insertReaderRejects(conn, result.rejects, stagingName('areas', 'jsrej'));
  const features = result.collection.features;
  if (features.length === 0) {
    throw new FileProblemError(`has no usable features (${result.rowsRead} read, all rejected); see the rejects for why`);
  }
  const columns: Record<string, Vector> = {
    area_id: vectorFromArray(features.map((f) => f.properties.area_id), new Utf8()),
    name: vectorFromArray(features.map((f) => f.properties.name ?? null), new Utf8()),
    name_en: vectorFromArray(features.map((f) => f.properties.name_en ?? null), new Utf8()),
  };
  for (const p of result.numericProps) {
    columns[p] = vectorFromArray(features.map((f) => (f.properties[p] as number | null | undefined) ?? null), new Float64());
  }
  const table = stagingName('areas', 'fin');
  await conn.insertArrowIPC(table, tableToIPC(new Table(columns), 'stream'));
  const byCode: Partial<Record<RejectCode, number>> = {};
  for (const r of result.rejects) byCode[r.code] = (byCode[r.code] ?? 0) + 1;
  return {
    table,
    collection: result.collection,
    report: {
      kind: 'areas',
      file: input.fileName,
      format: 'geojson',
      rowsRead: result.rowsRead,
      rowsKept: features.length,
      rowsRejected: result.rejects.length,
      rejectsByCode: byCode,
      mapping: result.mapping,
      extraColumns: result.numericProps.map((name) => ({ name, type: 'DOUBLE' as const })),
      crs: input.crs ?? 'wgs84',
      warnings: result.warnings,
    },
  };
}

/** Point-in-area lookup over a collection's features, in file order. */
export function areaLookup(collection: AreaFeatureCollection): AreaLookup {
  const polygons = collection.features.map((f) =>
    f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates,
  );
  return { index: buildAreaIndex(polygons), ids: collection.features.map((f) => f.properties.area_id) };
}
