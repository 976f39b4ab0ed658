/**
 * Indicators keyed by area (DESIGN.md › Real exports): a row's key is an `area_id`, or an area's
 * `name` / `name_en` with or without the suffix 区, 新区, 县, 市, District (黄浦区 = 黄浦, 浦东新区 =
 * 浦东, Xuhui District = Xuhui). `resolveAreaKeys` is pure; `applyAreaKeys` rewrites the keys of a
 * validated indicators table to area ids through a small mapping table (keys are data, never
 * spliced into SQL) and rejects the rows whose key names no area, with the closest area names.
 */
import { Int32, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Connector } from '../db/connector.ts';
import { quoteIdent } from '../sql/ident.ts';
import { dropTableSql } from '../sql/load-tables.ts';
import type { CheckSpec } from '../sql/load-validate.ts';
import { tableColumns } from './table-columns.ts';
import type { RejectCode } from './types.ts';
import { rejectReason, type RejectReason } from './reject-reasons.ts';

export interface AreaName {
  area_id: string;
  name?: string | null;
  name_en?: string | null;
}

const SUFFIX = /(新区|区|县|市|district|county|city)$/;

/** A name as compared: NFKC, lower case, no spaces or punctuation, without an administrative suffix. */
export function areaKey(s: string): string {
  const k = s.normalize('NFKC').toLowerCase().replace(/[\s_\-.·'’]/g, '');
  const stripped = k.replace(SUFFIX, '');
  return stripped.length > 0 ? stripped : k;
}

export type AreaKeyResult = { id: string } | { id: null; ambiguous: string[] } | { id: null; closest: string[] };

/**
 * Each key → the area it names: an exact `area_id` first, then a name or English name compared
 * with `areaKey`. A name shared by two areas is ambiguous (rejected, naming both).
 */
export function resolveAreaKeys(keys: readonly string[], areas: readonly AreaName[]): Map<string, AreaKeyResult> {
  const ids = new Set(areas.map((a) => a.area_id));
  const byName = new Map<string, Set<string>>();
  for (const a of areas) {
    for (const n of [a.name, a.name_en, a.area_id]) {
      if (!n) continue;
      const k = areaKey(n);
      if (!byName.has(k)) byName.set(k, new Set());
      byName.get(k)!.add(a.area_id);
    }
  }
  const out = new Map<string, AreaKeyResult>();
  for (const key of keys) {
    if (ids.has(key)) {
      out.set(key, { id: key });
      continue;
    }
    const hit = byName.get(areaKey(key));
    if (hit && hit.size === 1) out.set(key, { id: [...hit][0] });
    else if (hit) out.set(key, { id: null, ambiguous: [...hit] });
    else out.set(key, { id: null, closest: closestNames(key, areas) });
  }
  return out;
}

/** The (up to) three area names nearest to `key` by edit distance over `areaKey`. */
export function closestNames(key: string, areas: readonly AreaName[], n = 3): string[] {
  const k = areaKey(key);
  const scored = areas.map((a) => {
    const label = a.name || a.name_en || a.area_id;
    const d = Math.min(...[a.name, a.name_en, a.area_id].filter((x): x is string => !!x).map((x) => levenshtein(k, areaKey(x))));
    return { label, d };
  });
  scored.sort((a, b) => a.d - b.d);
  return scored.slice(0, n).map((s) => s.label);
}

function levenshtein(a: string, b: string): number {
  const A = [...a];
  const B = [...b];
  let prev = Array.from({ length: B.length + 1 }, (_, j) => j);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (A[i - 1] === B[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[B.length];
}

export const unknownAreaReason = (key: string, closest: readonly string[]): RejectReason =>
  closest.length ? rejectReason('unknownAreaClosest', { key, closest: closest.join(', ') }) : rejectReason('unknownAreaKey', { key });
export const ambiguousAreaReason = (key: string, ids: readonly string[]): RejectReason => rejectReason('ambiguousArea', { key, ids: ids.join(', ') });

/**
 * Rewrite `area_id` of the usable rows of an indicators check table from names to ids; rows
 * whose key is no area get a check appended to `checks` (one per key, the key in its reason).
 * Returns how many rows were matched by name.
 */
export async function applyAreaKeys(conn: Connector, chk: string, areaRef: string, scratch: string, checks: CheckSpec<RejectCode>[]): Promise<number> {
  const c = quoteIdent(chk);
  const keys = await conn.query<{ v: string; n: number }>(`SELECT area_id AS v, count(*)::INTEGER AS n FROM ${c} WHERE __bp_k IS NULL GROUP BY 1 ORDER BY min(__bp_line)`);
  const cols = new Set((await tableColumns(conn, areaRef)).map((x) => x.name));
  const pick = (name: string) => (cols.has(name) ? `CAST(${quoteIdent(name)} AS VARCHAR)` : 'NULL');
  const areas = await conn.query<AreaName>(`SELECT CAST(area_id AS VARCHAR) AS area_id, ${pick('name')} AS name, ${pick('name_en')} AS name_en FROM ${quoteIdent(areaRef)}`);
  const resolved = resolveAreaKeys(keys.map((k) => k.v), areas);
  let byName = 0;
  const rows: { v: string; to: string | null; k: number | null }[] = [];
  for (const { v, n } of keys) {
    const r = resolved.get(v)!;
    if (r.id === v) continue;
    if (r.id !== null) {
      byName += Number(n);
      rows.push({ v, to: r.id, k: null });
      continue;
    }
    const k = checks.length + 1;
    checks.push({ k, column: 'area_id', code: 'unknown_area', ...('ambiguous' in r ? ambiguousAreaReason(v, r.ambiguous) : unknownAreaReason(v, r.closest)) });
    rows.push({ v, to: null, k });
  }
  if (rows.length === 0) return byName;
  const t = new Table({
    v: vectorFromArray(rows.map((r) => r.v), new Utf8()),
    to: vectorFromArray(rows.map((r) => r.to), new Utf8()),
    k: vectorFromArray(rows.map((r) => r.k), new Int32()),
  });
  await conn.insertArrowIPC(scratch, tableToIPC(t, 'stream'));
  await conn.exec(`UPDATE ${c} SET __bp_k = m.k FROM ${quoteIdent(scratch)} AS m WHERE ${c}.area_id = m.v AND m.k IS NOT NULL AND ${c}.__bp_k IS NULL;
    UPDATE ${c} SET area_id = m."to" FROM ${quoteIdent(scratch)} AS m WHERE ${c}.area_id = m.v AND m.k IS NULL AND ${c}.__bp_k IS NULL;
    ${dropTableSql(scratch)}`);
  return byName;
}
