/**
 * Pure helpers of the import workflow: what a dropped file is (format from its bytes, kind from
 * its headers and name), which columns still need mapping, and whether a set of files can be
 * loaded. No DOM, no workers: tested in Node (import-detect.test.ts).
 */
import { CONTRACT, guessMapping, normalizeName } from './column-guess.ts';
import { POINT_KINDS, type Crs, type InputKind } from './types.ts';

export type SourceFormat = 'csv' | 'xlsx' | 'parquet' | 'geojson';

/** Kinds that come as tables (CSV, Excel, Parquet); areas come as GeoJSON. */
export const TABULAR_KINDS: readonly InputKind[] = ['customers', 'sites', 'indicators', 'candidates', 'demand_points', 'costs', 'demand_cells'];

/** What the first bytes say; gzip is reported so the caller can inflate and look again. */
export type Sniffed = SourceFormat | 'gzip' | 'xls' | 'empty';

/**
 * Format from the file's magic number first (a `.csv` that is really a workbook happens), then
 * the first non-blank character (`{` is GeoJSON), then the name; anything else is read as text.
 */
export function sniffFormat(name: string, head: Uint8Array): Sniffed {
  const b = head;
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'xlsx';
  if (b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31) return 'parquet'; // PAR1
  // Excel 97–2003 (.xls) is an OLE compound file: exceljs cannot read it.
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) return 'xls';
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  if (i === b.length) return /\.(geo)?json$/i.test(name) ? 'geojson' : 'empty';
  if (b[i] === 0x7b /* { */) return 'geojson';
  if (/\.(geo)?json$/i.test(name)) return 'geojson';
  return 'csv';
}

/** File name without a trailing `.gz`. */
export function stripGz(name: string): string {
  return name.replace(/\.gz$/i, '');
}

/** Words in file names that say which kind a file is (English and Chinese exports). */
const NAME_HINTS: Array<[InputKind, RegExp]> = [
  ['demand_cells', /cells|h3|网格/i],
  ['costs', /cost|travel|matrix|成本|通行|路网/i],
  ['demand_points', /demand|compound|需求点|小区|居民点/i],
  ['candidates', /candidate|候选|备选|选址/i],
  ['indicators', /indicator|statistic|stats|指标|统计/i],
  ['customers', /customer|client|cust|客户/i],
  ['sites', /site|branch|atm|outlet|网点|营业|机构/i],
  ['areas', /area|district|boundar|region|区划|边界|行政区/i],
];

/** The kind a file name suggests, if any. */
export function kindFromName(name: string): InputKind | null {
  for (const [kind, re] of NAME_HINTS) if (re.test(name)) return kind;
  return null;
}

export interface KindGuess {
  kind: InputKind;
  /** Every required column of `kind` has a source. */
  complete: boolean;
}

/**
 * The kind of a tabular file from its headers: a kind whose required columns are all found wins;
 * among several, the file name's hint, then the kind with more required columns (a file with
 * `type` and `owner` is sites, not candidates), then more optional columns found. Nothing
 * complete: the name's hint, else the kind with the largest share of required columns found.
 * Ties go to customers, the most common import.
 */
export function guessKind(format: SourceFormat, headers: readonly string[], fileName: string): KindGuess {
  if (format === 'geojson') return { kind: 'areas', complete: true };
  const hint = kindFromName(fileName);
  const scored = TABULAR_KINDS.map((kind, order) => {
    const m = guessMapping(headers, kind);
    const req = CONTRACT[kind].required;
    const found = req.filter((c) => m[c]).length;
    const optional = CONTRACT[kind].optional.filter((c) => m[c]).length;
    return { kind, order, complete: found === req.length, share: found / req.length, required: req.length, optional };
  });
  const complete = scored.filter((s) => s.complete);
  if (complete.length) {
    complete.sort(
      (a, b) =>
        Number(b.kind === hint) - Number(a.kind === hint) ||
        b.required - a.required ||
        b.optional - a.optional ||
        a.order - b.order,
    );
    return { kind: complete[0].kind, complete: true };
  }
  if (hint && hint !== 'areas') return { kind: hint, complete: false };
  scored.sort((a, b) => b.share - a.share || b.optional - a.optional || a.order - b.order);
  return { kind: scored[0].kind, complete: false };
}

/** Contract columns of a kind, required first. */
export function contractColumns(kind: InputKind): { name: string; required: boolean }[] {
  return [
    ...CONTRACT[kind].required.map((name) => ({ name, required: true })),
    ...CONTRACT[kind].optional.map((name) => ({ name, required: false })),
  ];
}

/** Required columns of `kind` with no source in `mapping`. */
export function missingRequired(kind: InputKind, mapping: Readonly<Record<string, string>>, hasFeatureIds = false): string[] {
  return CONTRACT[kind].required.filter((c) => !mapping[c] && !(kind === 'areas' && c === 'area_id' && hasFeatureIds));
}

/**
 * Whether to open the mapping step: a required column is missing, or a contract column comes
 * from a source whose name differs from the contract's (e.g. 经度 → lon), so the user sees
 * what the guesser decided.
 */
export function mappingNeedsReview(kind: InputKind, mapping: Readonly<Record<string, string>>, hasFeatureIds = false): boolean {
  if (missingRequired(kind, mapping, hasFeatureIds).length) return true;
  return Object.entries(mapping).some(([col, src]) => src && normalizeName(src) !== normalizeName(col));
}

/**
 * Set contract column `col` to source `src` ('' = none). A source feeds one column only, so a
 * column that used `src` before loses it (the loader does the same with explicit choices).
 */
export function setMappingColumn(mapping: Readonly<Record<string, string>>, col: string, src: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(mapping)) if (k !== col && v && v !== src) out[k] = v;
  if (src) out[col] = src;
  return out;
}

/** CRS a file name suggests: exports from AMap/Tencent are GCJ-02, from Baidu BD-09. */
export function crsFromName(name: string): Crs {
  if (/bd-?09|baidu|百度/i.test(name)) return 'bd09';
  if (/gcj-?02|amap|gaode|高德|tencent|腾讯|火星/i.test(name)) return 'gcj02';
  return 'wgs84';
}

export function takesCrs(kind: InputKind): boolean {
  return POINT_KINDS.includes(kind) || kind === 'areas';
}

/** What a pending file needs to be loadable, as far as the UI can tell before loading. */
export interface PendingCheck {
  id: number;
  name: string;
  kind: InputKind;
  mapping: Readonly<Record<string, string>>;
  /** Headers are known (inspection succeeded); otherwise the loader has the last word. */
  headersKnown: boolean;
  hasFeatureIds?: boolean;
  inspecting?: boolean;
  /** A format the loader cannot read (Excel 97–2003 .xls). */
  unsupported?: boolean;
  /** The file's coordinate system was asked (Chinese headers or points in China) and not answered yet. */
  crsUnanswered?: boolean;
}

export type PendingProblem =
  | { code: 'duplicateKind'; kind: InputKind; files: string[] }
  | { code: 'missingColumns'; id: number; file: string; columns: string[] }
  | { code: 'inspecting'; file: string }
  | { code: 'unsupported'; file: string }
  | { code: 'crsUnanswered'; id: number; file: string }
  | { code: 'noFiles' };

/**
 * Problems that keep the Load button disabled: one file per kind (the loader's rule), required
 * columns mapped, the coordinate system answered where it was asked. Files whose headers could not be read (empty, broken JSON ...) may still be
 * loaded: the loader then says exactly what is wrong, naming file and line.
 */
export function pendingProblems(files: readonly PendingCheck[]): PendingProblem[] {
  const problems: PendingProblem[] = [];
  if (files.length === 0) return [{ code: 'noFiles' }];
  const byKind = new Map<InputKind, string[]>();
  for (const f of files) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f.name]);
  for (const [kind, names] of byKind) if (names.length > 1) problems.push({ code: 'duplicateKind', kind, files: names });
  for (const f of files) {
    if (f.inspecting) {
      problems.push({ code: 'inspecting', file: f.name });
      continue;
    }
    if (f.unsupported) {
      problems.push({ code: 'unsupported', file: f.name });
      continue;
    }
    // A wrong guess shifts every point by 300–600 m unnoticed: the user answers (WGS84 included).
    if (f.crsUnanswered) problems.push({ code: 'crsUnanswered', id: f.id, file: f.name });
    if (!f.headersKnown) continue;
    const missing = missingRequired(f.kind, f.mapping, f.hasFeatureIds);
    if (missing.length) problems.push({ code: 'missingColumns', id: f.id, file: f.name, columns: missing });
  }
  return problems;
}

/** Kinds a file of this format can be loaded as (the loader reads GeoJSON for areas only). */
export function kindsFor(format: SourceFormat | null): readonly InputKind[] {
  if (format === 'geojson') return ['areas'];
  if (format === null) return ['areas', ...TABULAR_KINDS];
  return TABULAR_KINDS;
}

export interface FileChoice {
  kind: InputKind;
  /** The kind was recognised from the columns (all required ones found). */
  recognised: boolean;
  mapping: Record<string, string>;
  mappingOpen: boolean;
}

/**
 * First choices for a file: kind from its columns and name, mapping from the guesser, and the
 * mapping step open when something needs a look. `kind` forces a kind (the user changed it).
 */
export function initialChoice(
  format: SourceFormat | null,
  headers: readonly string[],
  fileName: string,
  opts: { kind?: InputKind; hasFeatureIds?: boolean } = {},
): FileChoice {
  let kind: InputKind;
  let recognised: boolean;
  if (opts.kind) {
    kind = opts.kind;
    recognised = true;
  } else if (format === null) {
    kind = kindFromName(fileName) ?? 'customers';
    recognised = false;
  } else {
    ({ kind, complete: recognised } = guessKind(format, headers, fileName));
  }
  const mapping = guessMapping(headers, kind);
  return { kind, recognised, mapping, mappingOpen: headers.length > 0 && mappingNeedsReview(kind, mapping, opts.hasFeatureIds) };
}

/**
 * The mapping handed to the loader: every contract column, `''` for those the user left unused,
 * so the loader's own guess does not bring back a column the user set to "not used". With
 * unknown headers (inspection failed) the loader guesses everything itself.
 */
export function explicitMapping(kind: InputKind, mapping: Readonly<Record<string, string>>, headersKnown: boolean): Record<string, string> {
  if (!headersKnown) return { ...mapping };
  const out: Record<string, string> = {};
  for (const { name } of contractColumns(kind)) out[name] = mapping[name] ?? '';
  return out;
}
