/**
 * Profile raw columns to decide the SQL type of extra (non-contract) columns: numeric when every
 * non-empty value (missing markers are empty) parses as a finite number, as the loader reads them. Leading zeros (`00123`) mark codes, which stay text
 * so `--filter code=00123` still matches. Pure SQL building; column aliases are positional.
 */
import { quoteIdent } from './ident.ts';
import { parseNumberSql, withoutMissingSql } from './load-validate.ts';

export function buildProfileSql(raw: string, srcIndices: readonly number[]): string {
  const parts = srcIndices.flatMap((src, j) => {
    const t = withoutMissingSql(`nullif(trim(CAST(c${src} AS VARCHAR)), '')`);
    const n = parseNumberSql(t);
    return [
      `count(${t})::INTEGER AS n${j}`,
      `count(*) FILTER (WHERE ${t} IS NOT NULL AND (${n} IS NULL OR NOT isfinite(${n})))::INTEGER AS bad${j}`,
      `count(*) FILTER (WHERE regexp_matches(${t}, '^[+-]?0[0-9]'))::INTEGER AS lz${j}`,
    ];
  });
  return `SELECT ${parts.length ? parts.join(', ') : '1 AS none'} FROM ${quoteIdent(raw)}`;
}

export interface ColumnProfile {
  /** Non-empty values. */
  present: number;
  /** Non-empty values that are not finite numbers. */
  nonNumeric: number;
  /** Values with a leading zero before a digit. */
  leadingZero: number;
}

export function readProfile(row: Record<string, unknown>, count: number): ColumnProfile[] {
  return Array.from({ length: count }, (_, j) => ({
    present: Number(row[`n${j}`]),
    nonNumeric: Number(row[`bad${j}`]),
    leadingZero: Number(row[`lz${j}`]),
  }));
}
