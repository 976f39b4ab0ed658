/**
 * What SQL text may contain that came from outside: identifiers, quoted here (the SQL
 * package owns quoting, as in mosaic), and values, which never enter the text but travel as
 * bound parameters of these types.
 */

/** A value bound to a positional parameter ($1, $2, ...). */
export type SqlParam = string | number | boolean | bigint | null;

/** Quote an SQL identifier: identifiers come from users' files and are never trusted. */
export function quoteIdent(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}
