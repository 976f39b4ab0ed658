/**
 * Validation plumbing shared by the risk config and the alert rules: problems collected as
 * i18n keys with parameters (the UI speaks zh-CN and en) plus an English rendering for the
 * CLI, and "did you mean" hints for mistyped keys and columns.
 */
import { parseIndicatorRef } from './indicator-table.ts';

/** A validation problem as an i18n key with parameters (the UI speaks zh-CN and en). */
export interface ConfigIssue {
  key: string;
  params: Record<string, string | number>;
}

/** Collects issues with an English rendering for the CLI and tests. */
export class IssueList {
  readonly issues: ConfigIssue[] = [];
  readonly errors: string[] = [];
  add(key: string, params: Record<string, string | number>, english: string): void {
    this.issues.push({ key, params });
    this.errors.push(english);
  }
  get ok(): boolean {
    return this.errors.length === 0;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Levenshtein distance, for "did you mean" hints on mistyped keys and columns. */
function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = t;
    }
  }
  return prev[b.length];
}

/** The closest candidate within a small edit distance, for a hint; undefined if none is close. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

export const hint = (s: string | undefined) => (s ? ` (did you mean '${s}'?)` : '');

export function checkUnknownKeys(obj: Record<string, unknown>, known: readonly string[], where: string, out: IssueList): void {
  for (const k of Object.keys(obj)) {
    if (known.includes(k)) continue;
    const s = suggest(k, known);
    out.add('risk.config.unknown_key', { where, key: k, suggestion: s ?? '' }, `${where}: unknown key '${k}'${hint(s)}; allowed keys are ${known.join(', ')}`);
  }
}

/**
 * Check that `ref` (a column or `d:COL:LAG`) can be evaluated on this file at `periodIndex`
 * (−1: skip the lag-vs-period check). Shared with the alert-rule validator.
 */
export function checkIndicatorRef(
  ref: string,
  where: string,
  availableColumns: readonly string[],
  periods: readonly string[],
  periodIndex: number,
  out: IssueList,
): boolean {
  const p = parseIndicatorRef(ref);
  if (!p) {
    out.add('risk.config.bad_change_ref', { where, column: ref }, `${where}: '${ref}' is not a valid change indicator; write d:COLUMN:LAG with LAG a whole number of periods ≥ 1, e.g. d:house_price_index:4`);
    return false;
  }
  if (!availableColumns.includes(p.column)) {
    const s = suggest(p.column, availableColumns);
    out.add('risk.config.unknown_column', { where, column: p.column, suggestion: s ?? '' }, `${where}: unknown indicator column '${p.column}'${hint(s)}; the indicators file has ${availableColumns.join(', ') || 'no numeric columns'}`);
    return false;
  }
  if (p.lag > 0 && periodIndex >= 0 && p.lag > periodIndex) {
    out.add('risk.config.lag_too_long', { where, column: ref, lag: p.lag, period: periods[periodIndex] ?? '', available: periodIndex }, `${where}: '${ref}' needs ${p.lag} earlier period(s) before ${periods[periodIndex]}, but the file has only ${periodIndex}`);
    return false;
  }
  return true;
}

