/**
 * Area boundaries: GeoJSON parsed and validated in JS (no spatial extension offline; geometry
 * never enters DuckDB). A feature that cannot be used is rejected with its index — GeoJSON has no
 * meaningful lines (often one long line), so `line` is null and `column` says
 * `features[i]…` — and the others are kept. Pure: no IO, no DuckDB.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { MAX_VERTICES_PER_AREA, MAX_VERTICES_PER_FILE, repairAreaGeometry, type Repair } from './area-repair.ts';
import { guessMapping } from './column-guess.ts';
import { FileProblemError } from './errors.ts';
import { toWgs84 } from './crs.ts';
import type { AreaFeatureCollection, AreaProperties, Crs, RejectCode, RejectRow } from './types.ts';
import { loadWarning, type LoadWarning } from './load-warnings.ts';
import { rejectReason, type RejectReason } from './reject-reasons.ts';

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

/** Features whose repairs are listed one by one; past that, one line counts the rest. */
const MAX_REPAIR_WARNINGS = 20;

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
  const reject = (i: number, column: string, code: RejectCode, why: RejectReason, props: unknown) =>
    rejects.push({ kind: 'areas', file: fileName, line: null, column, code, reason: why.reason, params: { feature: i, ...why.params }, raw: rawOf(props) });
  const firstIndex = new Map<string, number>();
  const kept: AreaFeatureCollection['features'] = [];
  let vertices = 0;
  let repairedFeatures = 0;
  // Harmless and common (clockwise shapefile exports): one line each for the whole file.
  const rewound: number[] = [];
  const deduplicated: number[] = [];
  features.forEach((f, i) => {
    const feat = f as { type?: unknown; id?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };
    const props = feat?.properties && typeof feat.properties === 'object' ? feat.properties : {};
    if (!feat || typeof feat !== 'object' || feat.type !== 'Feature') {
      return reject(i, `features[${i}]`, 'bad_geometry', rejectReason('notFeature'), props);
    }
    const geomProblem = checkGeometry(feat.geometry);
    if (geomProblem) return reject(i, `features[${i}].geometry`, 'bad_geometry', geomProblem, props);
    const idSource = mapping.area_id === FEATURE_ID ? feat.id : props[mapping.area_id];
    const idColumn = mapping.area_id === FEATURE_ID ? `features[${i}].id` : `features[${i}].properties.${mapping.area_id}`;
    const areaId = typeof idSource === 'string' ? idSource.trim() : typeof idSource === 'number' && Number.isFinite(idSource) ? String(idSource) : '';
    if (!areaId) return reject(i, idColumn, 'empty_required', rejectReason('noAreaId'), props);
    const first = firstIndex.get(areaId);
    if (first !== undefined) {
      return reject(i, idColumn, 'duplicate_id', rejectReason('duplicateFeature', { first }), props);
    }
    // Repaired after the CRS conversion: the antimeridian and the simplification tolerance are WGS84 notions.
    const repaired = repairAreaGeometry(convertGeometry(feat.geometry as Polygon | MultiPolygon, options.crs ?? 'wgs84'));
    if (!repaired.ok) return reject(i, `features[${i}].geometry`, 'bad_geometry', repaired.problem, props);
    firstIndex.set(areaId, i);
    vertices += repaired.vertices;
    const said = repaired.repairs.filter((r) => {
      if (r.code !== 'rewound' && r.code !== 'duplicates') return true;
      (r.code === 'rewound' ? rewound : deduplicated).push(i);
      return false;
    });
    if (said.length > 0 && ++repairedFeatures <= MAX_REPAIR_WARNINGS) {
      for (const r of said) warnings.push(repairWarning(r, fileName, i, areaId));
    }
    const properties: AreaProperties = {
      ...props,
      area_id: areaId,
      name: textProp(props[mapping.name ?? 'name']),
      name_en: textProp(props[mapping.name_en ?? 'name_en']),
    };
    kept.push({ type: 'Feature', properties, geometry: repaired.geometry });
  });
  if (repairedFeatures > MAX_REPAIR_WARNINGS) {
    warnings.push(loadWarning('areaMoreRepaired', { file: fileName, n: repairedFeatures - MAX_REPAIR_WARNINGS }));
  }
  const listed = (idx: number[]) => idx.slice(0, 5).join(', ') + (idx.length > 5 ? ', …' : '');
  if (rewound.length > 0) {
    warnings.push(loadWarning('areaRewound', { file: fileName, n: rewound.length, list: listed(rewound) }));
  }
  if (deduplicated.length > 0) {
    warnings.push(loadWarning('areaDeduplicated', { file: fileName, n: deduplicated.length, list: listed(deduplicated) }));
  }
  if (vertices > MAX_VERTICES_PER_FILE) {
    throw new FileProblemError(
      `has ${vertices.toLocaleString('en-US')} positions in its kept areas (each over ${MAX_VERTICES_PER_AREA.toLocaleString('en-US')} already simplified), more than the ${MAX_VERTICES_PER_FILE.toLocaleString('en-US')} an areas file may have; simplify it (e.g. mapshaper's -simplify) and load it again`,
    );
  }

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

/**
 * Why a geometry is unusable as data, or null when it is a Polygon/MultiPolygon of finite
 * lon/lat positions; its shape (closure, crossings, holes) is area-repair.ts's business.
 */
export function checkGeometry(g: unknown): RejectReason | null {
  const geom = g as { type?: unknown; coordinates?: unknown } | null;
  if (!geom || typeof geom !== 'object') return rejectReason('geomMissing');
  if (geom.type === 'Polygon') return checkPolygon(geom.coordinates, {});
  if (geom.type === 'MultiPolygon') {
    if (!Array.isArray(geom.coordinates) || geom.coordinates.length === 0) return rejectReason('geomNoPolygons');
    for (let p = 0; p < geom.coordinates.length; p++) {
      const problem = checkPolygon(geom.coordinates[p], { polygon: p });
      if (problem) return problem;
    }
    return null;
  }
  // The type as written in the file: data, said as plain text.
  return rejectReason('geomType', { type: String(geom.type).slice(0, 100) });
}

function checkPolygon(rings: unknown, at: { polygon?: number }): RejectReason | null {
  if (!Array.isArray(rings) || rings.length === 0) return rejectReason('noRings', at);
  for (let r = 0; r < rings.length; r++) {
    const ring = rings[r] as unknown;
    if (!Array.isArray(ring)) return rejectReason('ringNotArray', { ...at, ring: r });
    if (ring.length < 3) return rejectReason('ringTooShort', { ...at, ring: r, n: ring.length });
    for (let k = 0; k < ring.length; k++) {
      const p = ring[k] as unknown;
      if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
        return rejectReason('positionNotNumbers', { ...at, ring: r, position: k });
      }
      if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) {
        return rejectReason('positionOutside', { ...at, ring: r, position: k });
      }
    }
  }
  return null;
}

function convertGeometry<G extends Polygon | MultiPolygon>(g: G, crs: Crs): G {
  const ring = (r: Position[]) => r.map((p) => (crs === 'wgs84' ? [p[0], p[1]] : toWgs84(p[0], p[1], crs)));
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(ring) } as G;
  return { type: 'MultiPolygon', coordinates: (g as MultiPolygon).coordinates.map((poly) => poly.map(ring)) } as G;
}

const grouped = (n: string | number) => (typeof n === 'number' ? n.toLocaleString('en-US') : n);

/** One feature's repair as a load warning (per-feature kinds; rewinding and duplicates are summed per file). */
function repairWarning(r: Repair, file: string, feature: number, id: string): LoadWarning {
  const at = { file, feature, id };
  switch (r.code) {
    case 'simplified':
      return loadWarning('areaSimplified', { ...at, before: grouped(r.params.before), after: grouped(r.params.after), tolerance: grouped(r.params.toleranceM) });
    case 'madeValid':
      return loadWarning('areaMadeValid', { ...at, before: r.params.beforeKm2, after: r.params.afterKm2 });
    case 'holeDropped':
      return loadWarning('areaHoleDropped', at);
    case 'closed':
      return loadWarning('areaClosed', at);
    default:
      throw new RangeError(`repair ${r.code} is said once per file, not per feature`);
  }
}
