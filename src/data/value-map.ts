/**
 * Value mapping for sites' `type` and `owner` (DESIGN.md › Real exports): the words banks'
 * exports use (支行, 自助银行, 本行 …) read as the contract's values, with the user's own choices
 * on top. Pure dictionary and lookup here; `applySiteValues` applies it to a validated sites
 * table through a small mapping table (values are data, never spliced into SQL).
 */
import { Int32, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Connector } from '../db/connector.ts';
import { quoteIdent } from '../sql/ident.ts';
import { dropTableSql } from '../sql/load-tables.ts';
import type { CheckSpec } from '../sql/load-validate.ts';
import type { RejectCode, ValueMapLine, ValueMapping } from './types.ts';
import { rejectReason, type RejectReason } from './reject-reasons.ts';

export type SiteType = 'branch' | 'atm';

/** Built-in words for `type`, as shown to users (compared after `valueKey`: atm, ＡＴＭ and ATM are one). */
export const TYPE_WORDS: Readonly<Record<SiteType, readonly string[]>> = {
  branch: ['branch', '支行', '分行', '营业部', '二级支行', '分理处', '网点'],
  atm: ['ATM', '自助银行', '离行式ATM', '在行式ATM', '存取款一体机', 'CRS'],
};

/** Built-in words for `owner` meaning our own bank; any other owner is a competitor's name. */
export const OWN_WORDS: readonly string[] = ['own', '本行', '我行', '本机构'];

/** How a value is compared with the dictionary: NFKC (full-width → ASCII), lower case, no spaces. */
export function valueKey(v: string): string {
  return v.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

const TYPE_INDEX = new Map<string, SiteType>(
  (Object.entries(TYPE_WORDS) as [SiteType, readonly string[]][]).flatMap(([to, words]) => words.map((w) => [valueKey(w), to] as const)),
);
const OWN_INDEX = new Set(OWN_WORDS.map(valueKey));

/**
 * A `type` value as branch/atm, or null when it is no known word. The user's mapping (exact
 * value or its key → branch/atm) comes before the dictionary.
 */
export function mapSiteType(value: string, user: ValueMapping['type'] = {}): SiteType | null {
  const own = user[value] ?? Object.entries(user).find(([k]) => valueKey(k) === valueKey(value))?.[1];
  if (own === 'branch' || own === 'atm') return own;
  return TYPE_INDEX.get(valueKey(value)) ?? null;
}

/** An `owner` value as `own` or the competitor's name (the user's mapping first, then the dictionary). */
export function mapOwner(value: string, user: ValueMapping['owner'] = {}): string {
  const mapped = user[value] ?? Object.entries(user).find(([k]) => valueKey(k) === valueKey(value))?.[1];
  if (mapped !== undefined && mapped.trim() !== '') return valueKey(mapped) === 'own' ? 'own' : mapped.trim();
  return OWN_INDEX.has(valueKey(value)) ? 'own' : value;
}

export const UNKNOWN_TYPE_REASON = (column: string, value: string): RejectReason => rejectReason('unknownType', { column, value });

/**
 * Map `type` and `owner` of the usable rows of a sites check table in place. A type that is no
 * known word rejects its rows (one check per value, appended to `checks`, named in the reason).
 * Returns the report lines (source value → contract value, rows) for values that changed, over
 * the rows still usable, and whether any of them is our own.
 */
export async function applySiteValues(
  conn: Connector,
  chk: string,
  scratch: string,
  checks: CheckSpec<RejectCode>[],
  user: ValueMapping = {},
): Promise<{ lines: ValueMapLine[]; ownRows: number }> {
  const c = quoteIdent(chk);
  const lines: ValueMapLine[] = [];
  const types = await conn.query<{ v: string; n: number }>(`SELECT type AS v, count(*)::INTEGER AS n FROM ${c} WHERE __bp_k IS NULL GROUP BY 1 ORDER BY min(__bp_line)`);
  const typeRows = types.map((r) => {
    const to = mapSiteType(r.v, user.type);
    let k: number | null = null;
    if (to === null) {
      k = checks.length + 1;
      checks.push({ k, column: 'type', code: 'bad_value', ...UNKNOWN_TYPE_REASON('type', r.v) });
    } else if (to !== r.v) lines.push({ column: 'type', from: r.v, to, rows: Number(r.n) });
    return { v: r.v, to, k };
  });
  await update(conn, chk, scratch, 'type', typeRows);
  const owners = await conn.query<{ v: string; n: number }>(`SELECT owner AS v, count(*)::INTEGER AS n FROM ${c} WHERE __bp_k IS NULL GROUP BY 1 ORDER BY min(__bp_line)`);
  let ownRows = 0;
  const ownerRows = owners.map((r) => {
    const to = mapOwner(r.v, user.owner);
    if (to === 'own') ownRows += Number(r.n);
    if (to !== r.v) lines.push({ column: 'owner', from: r.v, to, rows: Number(r.n) });
    return { v: r.v, to, k: null };
  });
  await update(conn, chk, scratch, 'owner', ownerRows);
  return { lines, ownRows };
}

async function update(conn: Connector, chk: string, scratch: string, column: string, rows: { v: string; to: string | null; k: number | null }[]): Promise<void> {
  const changed = rows.filter((r) => r.k !== null || r.to !== r.v);
  if (changed.length === 0) return;
  const t = new Table({
    v: vectorFromArray(changed.map((r) => r.v), new Utf8()),
    to: vectorFromArray(changed.map((r) => r.to), new Utf8()),
    k: vectorFromArray(changed.map((r) => r.k), new Int32()),
  });
  await conn.insertArrowIPC(scratch, tableToIPC(t, 'stream'));
  const c = quoteIdent(chk);
  const col = quoteIdent(column);
  await conn.exec(`UPDATE ${c} SET __bp_k = m.k FROM ${quoteIdent(scratch)} AS m WHERE ${c}.${col} = m.v AND m.k IS NOT NULL AND ${c}.__bp_k IS NULL;
    UPDATE ${c} SET ${col} = m."to" FROM ${quoteIdent(scratch)} AS m WHERE ${c}.${col} = m.v AND m.k IS NULL AND ${c}.__bp_k IS NULL;
    ${dropTableSql(scratch)}`);
}

/** "支行 → branch: 30 rows" (the report's line, also printed by the CLI). */
export function valueMapText(l: ValueMapLine): string {
  return `${l.from} → ${l.to}: ${l.rows} row${l.rows === 1 ? '' : 's'}`;
}
