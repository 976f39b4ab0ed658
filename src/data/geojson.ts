/**
 * Area boundaries: GeoJSON parsed and validated in JS (no spatial extension offline; geometry
 * never enters DuckDB). A feature that cannot be used is rejected with its index — GeoJSON has no
 * meaningful lines (often one long line), so `line` is null and `column` says
 * `features[i]…` — and the others are kept. Pure: no IO, no DuckDB.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { guessMapping } from './column-guess.ts';
import { FileProblemError } from './errors.ts';
import { toWgs84 } from './crs.ts';
import type { AreaFeatureCollection, AreaProperties, Crs, RejectCode, RejectRow } from './types.ts';
import { loadWarning, type LoadWarning } from './load-warnings.ts';

export interface AreasResult {
  collection: AreaFeatureCollection;
  rejects: RejectRow[];
  rowsRead: number;
  mapping: Record<string, string>;
  /** Properties numeric in every kept feature that has them: they become DOUBLE columns. */
  numericProps: string[];
  warnings: LoadWarning[];
}

/** `mapping.area_id` value meaning "use the feature's own `id` member". */
export const FEATURE_ID = '(feature id)';

export function validateAreas(
  text: string,
  fileName: string,
  options: { mapping?: Partial<Record<string, string>>; crs?: Crs } = {},
): AreasResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw FileProblemError.fromEngine(new Error(`JSON: ${(e as Error)?.message ?? String(e)}`));
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new FileProblemError('is not a GeoJSON FeatureCollection (expected {"type": "FeatureCollection", "features": [...]})');
  }
  const features = fc.features as unknown[];
  if (features.length === 0) throw new FileProblemError('has no features');
  const warnings: LoadWarning[] = [];
  const propKeys = new Set<string>();
  for (const f of features) {
    const props = (f as { properties?: unknown })?.properties;
    if (props && typeof props === 'object') for (const k of Object.keys(props)) propKeys.add(k);
  }
  const mapping: Record<string, string> = { ...guessMapping([...propKeys], 'areas') };
  for (const [k, v] of Object.entries(options.mapping ?? {})) if (v) mapping[k] = v;
  if (!mapping.area_id) {
    if (features.some((f) => (f as { id?: unknown })?.id !== undefined)) {
      mapping.area_id = FEATURE_ID;
      warnings.push(loadWarning('featureId', { file: fileName }));
    } else {
      throw new FileProblemError(
        `has no area_id property (properties found: ${[...propKeys].join(', ') || 'none'}); add one or map a property to area_id`,
      );
    }
  }

  const rejects: RejectRow[] = [];
  const reject = (i: number, column: string, code: RejectCode, reason: string, props: unknown) =>
    rejects.push({ kind: 'areas', file: fileName, line: null, column, code, reason, raw: rawOf(props) });
  const firstIndex = new Map<string, number>();
  const kept: AreaFeatureCollection['features'] = [];
  features.forEach((f, i) => {
    const feat = f as { type?: unknown; id?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };
    const props = feat?.properties && typeof feat.properties === 'object' ? feat.properties : {};
    if (!feat || typeof feat !== 'object' || feat.type !== 'Feature') {
      return reject(i, `features[${i}]`, 'bad_geometry', `features[${i}] is not a GeoJSON Feature`, props);
    }
    const geomProblem = checkGeometry(feat.geometry);
    if (geomProblem) return reject(i, `features[${i}].geometry`, 'bad_geometry', `features[${i}]: ${geomProblem}`, props);
    const idSource = mapping.area_id === FEATURE_ID ? feat.id : props[mapping.area_id];
    const idColumn = mapping.area_id === FEATURE_ID ? `features[${i}].id` : `features[${i}].properties.${mapping.area_id}`;
    const areaId = typeof idSource === 'string' ? idSource.trim() : typeof idSource === 'number' && Number.isFinite(idSource) ? String(idSource) : '';
    if (!areaId) return reject(i, idColumn, 'empty_required', `features[${i}] has no area_id`, props);
    const first = firstIndex.get(areaId);
    if (first !== undefined) {
      return reject(i, idColumn, 'duplicate_id', `duplicate area_id (first at features[${first}])`, props);
    }
    firstIndex.set(areaId, i);
    const geometry = feat.geometry as Polygon | MultiPolygon;
    const properties: AreaProperties = {
      ...props,
      area_id: areaId,
      name: textProp(props[mapping.name ?? 'name']),
      name_en: textProp(props[mapping.name_en ?? 'name_en']),
    };
    kept.push({ type: 'Feature', properties, geometry: convertGeometry(geometry, options.crs ?? 'wgs84') });
  });

  const mapped = new Set(['area_id', 'name', 'name_en', ...Object.values(mapping)]);
  // DuckDB column names ignore case: skip a property that would collide with another column.
  const lowerTaken = new Set(['area_id', 'name', 'name_en']);
  const numericProps = [...propKeys].filter((k) => {
    if (mapped.has(k) || lowerTaken.has(k.toLowerCase())) return false;
    let seen = false;
    for (const f of kept) {
      const v = f.properties[k];
      if (v === null || v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      seen = true;
    }
    if (seen) lowerTaken.add(k.toLowerCase());
    return seen;
  });
  return { collection: { type: 'FeatureCollection', features: kept }, rejects, rowsRead: features.length, mapping, numericProps, warnings };
}

function textProp(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return null;
}

function rawOf(props: unknown): string {
  const s = JSON.stringify(props ?? null);
  return s.length > 2000 ? s.slice(0, 2000) + '…' : s;
}

/** Why a geometry is unusable, or null when it is a valid Polygon/MultiPolygon. */
export function checkGeometry(g: unknown): string | null {
  const geom = g as { type?: unknown; coordinates?: unknown } | null;
  if (!geom || typeof geom !== 'object') return 'has no geometry';
  if (geom.type === 'Polygon') return checkPolygon(geom.coordinates, '');
  if (geom.type === 'MultiPolygon') {
    if (!Array.isArray(geom.coordinates) || geom.coordinates.length === 0) return 'MultiPolygon has no polygons';
    for (let p = 0; p < geom.coordinates.length; p++) {
      const problem = checkPolygon(geom.coordinates[p], `polygon ${p}, `);
      if (problem) return problem;
    }
    return null;
  }
  return `geometry must be Polygon or MultiPolygon, not ${String(geom.type)}`;
}

function checkPolygon(rings: unknown, where: string): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return `${where}polygon has no rings`;
  for (let r = 0; r < rings.length; r++) {
    const ring = rings[r] as unknown;
    if (!Array.isArray(ring)) return `${where}ring ${r} is not an array of positions`;
    if (ring.length < 4) return `${where}ring ${r} has ${ring.length} positions; a closed ring needs at least 4`;
    for (let k = 0; k < ring.length; k++) {
      const p = ring[k] as unknown;
      if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
        return `${where}ring ${r}, position ${k} is not a pair of finite numbers`;
      }
      if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) {
        return `${where}ring ${r}, position ${k} is outside lon [-180, 180] / lat [-90, 90]`;
      }
    }
    const a = ring[0] as number[];
    const b = ring[ring.length - 1] as number[];
    if (a[0] !== b[0] || a[1] !== b[1]) return `${where}ring ${r} is not closed (first and last positions differ)`;
  }
  return null;
}

function convertGeometry<G extends Polygon | MultiPolygon>(g: G, crs: Crs): G {
  const ring = (r: Position[]) => r.map((p) => (crs === 'wgs84' ? [p[0], p[1]] : toWgs84(p[0], p[1], crs)));
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(ring) } as G;
  return { type: 'MultiPolygon', coordinates: (g as MultiPolygon).coordinates.map((poly) => poly.map(ring)) } as G;
}
