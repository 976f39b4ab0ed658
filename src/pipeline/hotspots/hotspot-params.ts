/**
 * The Hotspots tab's parameters as they travel in permalinks and snapshots: the controls,
 * never a result or a customer row. `parseHotspotsShared` reads an untrusted value (a link
 * anyone can edit) field by field: what fits is kept, what does not is named in `rejected`.
 */
import { DEFAULT_AGE_BANDS } from '../../core/demand.ts';
import type { HotspotMeasure, HotspotStatistic } from './hotspot-stats.ts';
import { QUADRANT_RULES, type QuadrantRule } from './hotspot-quadrants.ts';

export type HotspotDisplay = 'classes' | 'heatmap' | 'stability' | 'quadrants' | 'typology';
export const DISPLAYS: readonly HotspotDisplay[] = ['classes', 'heatmap', 'stability', 'quadrants', 'typology'];
export const MEASURES: readonly HotspotMeasure[] = ['count', 'sum', 'potential', 'penetration', 'underserved'];
export const STATISTICS: readonly HotspotStatistic[] = ['gi', 'moran'];
export const RESOLUTIONS: readonly number[] = [7, 8, 9];
export const PERMUTATIONS: readonly number[] = [0, 99, 499, 999];

export interface HotspotsShared {
  statistic: HotspotStatistic;
  measure: HotspotMeasure;
  /** The summed column when `measure` is 'sum'. */
  sumColumn: string;
  /** Filters: '' = everyone. */
  segment: string;
  ageBand: string;
  digital: '' | '0' | '1';
  resolution: number;
  rings: number;
  fdr: boolean;
  permutations: number;
  seed: number;
  display: HotspotDisplay;
  /** How Demand × risk splits demand into high and low (hotspot-quadrants.ts). */
  quadrantRule: QuadrantRule;
  extrude: boolean;
  /** Under-served measure: our sites of this type within radiusM. */
  siteType: 'branch' | 'atm';
  radiusM: number;
  typologyK: number;
  typologyOff: string[];
}

const MAX_TEXT = 100;
const text = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT;
const int = (lo: number, hi: number) => (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const oneOf = <T,>(values: readonly T[]) => (v: unknown): v is T => values.includes(v as T);

/** Each field's test: a value that fails it is not applied. */
const FIELDS: { [K in keyof HotspotsShared]: (v: unknown) => v is HotspotsShared[K] } = {
  statistic: oneOf(STATISTICS),
  measure: oneOf(MEASURES),
  sumColumn: text,
  segment: text,
  ageBand: (v): v is string => v === '' || DEFAULT_AGE_BANDS.some((b) => b.label === v),
  digital: oneOf(['', '0', '1'] as const),
  resolution: oneOf(RESOLUTIONS),
  rings: int(1, 3),
  fdr: (v): v is boolean => typeof v === 'boolean',
  permutations: oneOf(PERMUTATIONS),
  seed: int(1, 2 ** 31 - 1),
  display: oneOf(DISPLAYS),
  quadrantRule: oneOf(QUADRANT_RULES),
  extrude: (v): v is boolean => typeof v === 'boolean',
  siteType: oneOf(['branch', 'atm'] as const),
  radiusM: (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 50 && v <= 20_000,
  typologyK: int(2, 8),
  typologyOff: (v): v is string[] => Array.isArray(v) && v.length <= 100 && v.every(text),
};

export const SHARED_FIELDS = Object.keys(FIELDS) as (keyof HotspotsShared)[];

/** The valid fields of `v`, and a short reason for each field that was present but not valid. */
export function parseHotspotsShared(v: unknown): { value: Partial<HotspotsShared>; rejected: string[] } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { value: {}, rejected: ['not an object of parameters'] };
  const o = v as Record<string, unknown>;
  const value: Partial<HotspotsShared> = {};
  const rejected: string[] = [];
  for (const key of SHARED_FIELDS) {
    if (!(key in o)) continue;
    const x = o[key];
    if (FIELDS[key](x)) (value as Record<string, unknown>)[key] = Array.isArray(x) ? [...x] : x;
    else rejected.push(`${key} ${JSON.stringify(x)?.slice(0, 40)}`);
  }
  for (const key of Object.keys(o)) if (!(key in FIELDS)) rejected.push(`unknown ${key.slice(0, 40)}`);
  return { value, rejected };
}
