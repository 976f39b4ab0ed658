/**
 * What SQL text may contain that came from outside: identifiers, quoted here (the SQL
 * package owns quoting, as in mosaic), and values, which never enter the text but travel as
 * bound parameters of these types.
 *
 * Identifiers from files reach SQL only after two steps, both here:
 * 1. `columnNames` turns a file's header cells into column names that DuckDB stores exactly
 *    and that cannot collide with each other, with DuckDB's pseudo-columns (`rowid`) or with
 *    the loader's own columns (`__bp_…`);
 * 2. `quoteIdent` quotes one; it refuses (throws) a name that step 1 would never produce, so a
 *    forgotten step 1 is a loud bug, not malformed SQL.
 * Inside the loader, source columns are positional (`c0, c1, …`): a header is data there.
 */

/** A value bound to a positional parameter ($1, $2, ...). */
export type SqlParam = string | number | boolean | bigint | null;

/** Thrown by `quoteIdent` for a name DuckDB cannot store as written. A programming error. */
export class UnsafeIdentifierError extends Error {
  override readonly name = 'UnsafeIdentifierError';
}

/** Longest column name kept, in UTF-16 code units; longer headers are cut (and told). */
export const MAX_COLUMN_NAME = 128;

/**
 * Names DuckDB resolves to something other than a table's column (its pseudo-column
 * `rowid`) and the prefix of the loader's bookkeeping columns. Compared case-insensitively.
 */
const RESERVED = new Set(['rowid']);
const RESERVED_PREFIX = '__bp_';

/**
 * Characters removed from header cells: C0/C1 controls (NUL ends DuckDB's parser string, a
 * newline breaks CSV output), lone surrogates (DuckDB stores U+FFFD, so the name read back
 * differs), bidi embeddings/overrides/isolates and marks (a header could otherwise display
 * reversed in the UI), zero-width characters and the BOM.
 */
// eslint-disable-next-line no-control-regex
const STRIP = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Quote an SQL identifier: identifiers come from users' files and are never trusted. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new UnsafeIdentifierError('empty SQL identifier');
  if (name.includes('\u0000')) throw new UnsafeIdentifierError('SQL identifier contains NUL');
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name)) {
    throw new UnsafeIdentifierError('SQL identifier contains a lone surrogate');
  }
  return '"' + name.replaceAll('"', '""') + '"';
}

/** Why a header cell did not become its column name as written. */
export type RenameReason = 'cleaned' | 'empty' | 'too_long' | 'reserved' | 'duplicate';

export interface ColumnNames {
  /** One name per header cell, in order: non-empty, safe for `quoteIdent`, unique ignoring case. */
  names: string[];
  /** Header cells whose name differs from the cell as written (after trimming). */
  renamed: { index: number; from: string; to: string; why: RenameReason }[];
}

/**
 * Column names for a file's header cells (see the module comment). Trimmed; stripped of the
 * characters in `STRIP`; cut to `MAX_COLUMN_NAME`; empty ones named `column_<n>` (1-based);
 * reserved ones and case-insensitive duplicates (DuckDB column names ignore case) suffixed
 * `_2`, `_3`, … . `taken` are names already in use (compared ignoring case).
 */
export function columnNames(cells: readonly string[], taken: readonly string[] = []): ColumnNames {
  const seen = new Set(taken.map((t) => t.toLowerCase()));
  const renamed: ColumnNames['renamed'] = [];
  const names = cells.map((cell, i) => {
    const from = String(cell ?? '').trim();
    let base = from.replace(STRIP, '').trim();
    let why: RenameReason | null = base === from ? null : 'cleaned';
    if (base.length > MAX_COLUMN_NAME) {
      // Cut on a code point boundary, never inside a surrogate pair.
      base = Array.from(base.slice(0, MAX_COLUMN_NAME + 1)).join('').slice(0, MAX_COLUMN_NAME).replace(/[\ud800-\udbff]$/, '');
      why = 'too_long';
    }
    if (base === '') {
      base = `column_${i + 1}`;
      why = 'empty';
    }
    if (isReserved(base)) {
      why = 'reserved';
      // `__bp_line` → `bp_line`: a suffix alone would keep the reserved prefix.
      if (base.toLowerCase().startsWith(RESERVED_PREFIX)) base = base.replace(/^_+/, '');
    }
    let name = base;
    for (let n = 2; isReserved(name) || seen.has(name.toLowerCase()); n++) {
      name = `${base}_${n}`;
      if (why === null) why = 'duplicate';
    }
    seen.add(name.toLowerCase());
    if (why !== null && name !== from) renamed.push({ index: i, from, to: name, why });
    return name;
  });
  return { names, renamed };
}

function isReserved(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || lower.startsWith(RESERVED_PREFIX);
}
