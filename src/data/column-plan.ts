/**
 * Which source column feeds which output column, with which validation rule: the contract
 * columns of the kind (mapped explicitly or guessed), then the file's other columns as extras.
 * Pure: the only DB-derived input is the extras' profile.
 */
import { CONTRACT, guessMapping, normalizeName } from './column-guess.ts';
import { FileProblemError } from './errors.ts';
import { ruleType, type PlannedColumn, type Rule } from '../sql/load-validate.ts';
import type { RawSource } from './source.ts';
import type { ColumnProfile } from '../sql/load-profile.ts';
import type { InputKind } from './types.ts';
import { loadWarning, type LoadWarning } from './load-warnings.ts';

const RULES: Record<Exclude<InputKind, 'areas'>, Record<string, Rule>> = {
  customers: {
    customer_id: 'id', lon: 'lon', lat: 'lat', segment: 'text', age: 'age', balance: 'amount',
    loan_balance: 'amount', default_flag: 'soft_flag01', digital_active: 'soft_flag01',
  },
  sites: { site_id: 'id', lon: 'lon', lat: 'lat', type: 'site_type', owner: 'owner', name: 'text', attractiveness: 'positive_default1' },
  candidates: { site_id: 'id', lon: 'lon', lat: 'lat', cost: 'nonneg', name: 'text' },
  demand_points: { point_id: 'id', lon: 'lon', lat: 'lat', weight: 'nonneg_default1' },
  costs: { demand_id: 'id', site_id: 'id', cost: 'required_nonneg' },
  demand_cells: { h3: 'h3_cell', resolution: 'h3_resolution', count: 'count' },
  indicators: { area_id: 'known_area', period: 'required_text', name: 'text', name_en: 'text' },
};

/** Output names an extra column may not take (they are produced by the loader itself). */
const RESERVED: Partial<Record<InputKind, string[]>> = { customers: ['area_id'], indicators: ['period_index'] };

export type TabularKind = Exclude<InputKind, 'areas'>;

export interface MappingResult {
  /** Contract column → source column used. */
  mapping: Record<string, string>;
  /** Contract columns in output order with the raw column feeding each (null = absent). */
  contract: PlannedColumn[];
  /** Source columns not used by the contract, by raw index. */
  extraSources: number[];
  warnings: LoadWarning[];
}

/**
 * The planned columns with how the reader left each raw column: already DOUBLE (`typed`) or
 * numbers of the source's own type (`numeric`). A numeric raw column mapped to a text rule (a
 * numeric customer_id) is still read as text.
 */
export function withSourceTypes(planned: readonly PlannedColumn[], source: Pick<RawSource, 'typed' | 'numeric'>): PlannedColumn[] {
  return planned.map((c) => ({
    ...c,
    typed: c.src !== null && source.typed?.[c.src] === true,
    numeric: c.src !== null && source.numeric?.[c.src] === true && ruleType(c.rule) !== 'VARCHAR',
  }));
}

/**
 * Resolve the mapping for a file's headers. Throws FileProblemError for an explicit mapping to a
 * column the file lacks, or a required contract column with no source.
 */
export function resolveMapping(kind: TabularKind, headers: readonly string[], explicit: Partial<Record<string, string>> = {}, fileName = ''): MappingResult {
  const mapping: Record<string, string> = { ...guessMapping(headers, kind) };
  for (const [col, src] of Object.entries(explicit)) {
    if (src === '') {
      // Explicitly not mapped (the browser's "not used"): the guess must not bring it back.
      delete mapping[col];
      continue;
    }
    if (!src) continue;
    if (!headers.includes(src)) {
      throw new FileProblemError(`column mapping ${col} → "${src}" names a column the file does not have (columns: ${headers.join(', ')})`);
    }
    // An explicit choice replaces any guess that used the same source for another column.
    for (const [other, s] of Object.entries(mapping)) if (s === src && other !== col) delete mapping[other];
    mapping[col] = src;
  }
  const missing = CONTRACT[kind].required.filter((c) => !mapping[c]);
  if (missing.length) {
    const which = missing.length === 1 ? `column ${missing[0]}` : `columns ${missing.join(', ')}`;
    throw new FileProblemError(
      `is missing the required ${which} (columns found: ${headers.join(', ') || 'none'}); rename a column or map it to ${missing.join(', ')}`,
    );
  }
  const warnings: LoadWarning[] = [];
  const contractNames = [...CONTRACT[kind].required, ...CONTRACT[kind].optional];
  const contract: PlannedColumn[] = contractNames
    // Indicators' name columns exist only when the file has them; other kinds keep a fixed schema.
    .filter((c) => kind !== 'indicators' || c === 'area_id' || c === 'period' || mapping[c])
    .map((c) => ({ out: c, src: mapping[c] ? headers.indexOf(mapping[c]) : null, rule: RULES[kind][c], label: c }));
  const used = new Set(Object.values(mapping));
  const taken = new Set([...contractNames, ...(RESERVED[kind] ?? [])].map(normalizeName));
  const extraSources: number[] = [];
  headers.forEach((h, i) => {
    if (used.has(h)) return;
    if (taken.has(normalizeName(h))) {
      const used = Object.entries(mapping).map(([k, v]) => `${k} ← ${v}`).join(', ');
      warnings.push(loadWarning('columnShadowed', { file: fileName, column: h, mapping: used }));
      return;
    }
    extraSources.push(i);
  });
  return { mapping, contract, extraSources, warnings };
}

/**
 * Extra columns' rules from their profile. Indicators: numeric columns are indicators, and a
 * non-numeric value in one is a reject; a column with no numeric value at all is kept as text.
 * Other kinds: numeric when every value is (codes with leading zeros stay text).
 */
export function planExtras(
  kind: TabularKind,
  headers: readonly string[],
  extraSources: readonly number[],
  profiles: readonly ColumnProfile[],
  fileName: string,
): { columns: PlannedColumn[]; warnings: LoadWarning[] } {
  const warnings: LoadWarning[] = [];
  const columns = extraSources.map((src, j): PlannedColumn => {
    const p = profiles[j];
    const name = headers[src];
    let rule: Rule;
    if (kind === 'indicators') {
      if (p.present > 0 && p.nonNumeric === p.present) {
        rule = 'text';
        warnings.push(loadWarning('textColumn', { file: fileName, column: name }));
      } else rule = 'number';
    } else if (kind === 'demand_cells') {
      // sum_<col>/n_<col> are the sums; every other column (area_id, segment, …) is a group
      // label, kept as text even when it holds digits (digital_active 0/1, an age band).
      rule = /^(sum|n)_./i.test(name) ? 'number' : 'text';
    } else {
      rule = p.present > 0 && p.nonNumeric === 0 && p.leadingZero === 0 ? 'number' : 'text';
    }
    return { out: name, src, rule, label: name };
  });
  return { columns, warnings };
}
