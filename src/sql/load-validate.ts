/**
 * SQL for validating one input's rows (pure string building, no IO). Runs unchanged on
 * duckdb-wasm and native DuckDB.
 *
 * Input: a raw table whose columns are `c0, c1, …` (source names stay in JS: they are data, not
 * SQL) and a lines table `(__bp_line INTEGER)` with the same row count and order; they are
 * joined by position. Output: one typed row per input row with `__bp_k`, the number of the first
 * failed check (NULL = row is usable). Check numbers map to column/code/reason/params in a small
 * table the caller inserts as data (`CheckSpec`), so no text from files is ever spliced into SQL.
 */
import { quoteIdent } from './ident.ts';

export type Rule =
  | 'id' // required text, part of the row's unique key
  | 'required_text'
  | 'text'
  | 'known_area' // required text that must be an area_id of the reference areas table
  | 'lon'
  | 'lat'
  | 'number' // optional number; present but not numeric → reject
  | 'soft_number' // optional number; unreadable → empty, counted (`softColumns`)
  | 'age' // soft_number within [0, 120]
  | 'amount' // soft_number ≥ 0 (balances)
  | 'soft_flag01' // 0/1; unreadable → empty, counted; another number → reject
  | 'flag01'
  | 'positive_default1' // attractiveness: > 0, empty → 1
  | 'nonneg' // cost
  | 'nonneg_default1' // demand weight: ≥ 0, empty → 1
  | 'required_nonneg' // travel cost: required, ≥ 0
  | 'site_type'
  | 'owner'
  | 'h3_cell' // demand cells: required H3 index as 15–16 hex digits or its decimal integer → UBIGINT
  | 'h3_resolution' // demand cells: required whole number 0–15, the h3 cell's own resolution
  | 'count'; // demand cells: required whole number ≥ 0 (customers in the cell)

export interface PlannedColumn {
  /** Output column name (contract name, or the source header for extra columns). */
  out: string;
  /** Raw column index (`c<src>`), or null when the file lacks this optional column. */
  src: number | null;
  rule: Rule;
  /** Name used in messages. */
  label: string;
  /**
   * The raw column is already DOUBLE (CSV numeric contract columns are typed by read_csv, which
   * is about twice as fast as reading text and casting); otherwise it is read as text.
   */
  typed?: boolean;
  /**
   * The raw column holds numbers (Parquet's integers, floats, decimals): checked exactly as its
   * text would be — NaN and ±inf are not numbers — but without printing and parsing every value
   * (at 100M rows that round trip was most of the load).
   */
  numeric?: boolean;
}

/** The reject codes the checks below emit (a subset of the loader's reject codes). */
export type CheckCode = 'totals_row' | 'empty_required' | 'unknown_area' | 'coord_empty' | 'not_a_number' | 'out_of_range' | 'zero_zero' | 'bad_value' | 'bad_period';

export interface CheckSpec<Code extends string = CheckCode> {
  k: number;
  /** Null for whole-row problems. */
  column: string | null;
  code: Code;
  /** The reason's code (src/data/reject-reasons.ts), said from the dictionaries, never a sentence. */
  reason: string;
  /** Its parameters (the column's name …), stored as JSON text beside it. */
  params: Record<string, string | number>;
}

export interface CheckSqlInput {
  raw: string;
  /**
   * The lines table joined by position; or, when the raw rows are consecutive lines, the first
   * row's line (`__bp_line` = rowid + first: no table, no join).
   */
  lines: string | { first: number };
  out: string;
  columns: readonly PlannedColumn[];
  /**
   * Raw columns (text, not typed) whose value marks a totals row (合计, Total …): the file's first
   * two columns. Such a row is rejected as that, before any other check.
   */
  totalsSources?: readonly number[];
  /** Table with an `area_id` column, for `known_area`. */
  areaRef?: string;
  /**
   * Also select the raw row's rowid as `__bp_row` and these raw columns as they are read, as
   * `__bp_r<i>` (to tell whether the raw table can become the final one unchanged).
   */
  passRaw?: readonly number[];
  /**
   * Read the raw rows from this relation (SQL, e.g. a `read_csv(…)` call) instead of the table
   * `raw`: the check table is made in the same pass as the read. A relation has no rowid: its
   * rows are numbered in read order, so `lines` must be `{ first }`.
   */
  from?: string;
}

/**
 * A cell that marks a totals row (RE2 and JS syntax, case-insensitive): 合计, 总计, 小计, Total,
 * alone or followed by a colon, a space and more text.
 */
export const TOTALS_PATTERN = '^(合计|总计|小计|总合计|total|subtotal|grand total)([\\s:：].*)?$';

/**
 * The first characters a totals cell can start with under RE2's case-insensitive matching, as
 * code points: 合 总 小, t T, s S and ſ (U+017F, the long s, which RE2 folds to s), g G.
 */
const TOTALS_FIRST = [...'合总小tTsSſgG'].map((c) => c.codePointAt(0)!);

/**
 * Whether trimmed text `t` marks a totals row (TOTALS_PATTERN). The regular expression runs only
 * on text whose first character could start a match: it cost DuckDB ~15 % of the whole check
 * query on 100M customer ids, none of which starts like that; `unicode()` of the first character
 * is a cheap test. Same result as the expression alone, NULL for NULL. `list_contains`, not
 * `IN (…)`: DuckDB turns an IN list this long into a join, and the streamed check query then
 * returned its rows out of file order (sums over cells changed in their last digits).
 */
export function totalsSql(t: string): string {
  return `(list_contains([${TOTALS_FIRST.join(', ')}], unicode(${t})) AND regexp_matches(${t}, '${TOTALS_PATTERN}', 'i'))`;
}


/** Values that mean "no value" in exports (Excel, core banking): read as empty, never a reject. */
export const MISSING_MARKERS = ['--', '—', '——', '-', 'N/A', '无'];

/**
 * Text → DOUBLE as people write numbers in exports: thousands separators (`12,345.67`), a
 * trailing percent (`3.5%` → 3.5, the figure as written), full-width digits and signs. Anything
 * else is NULL (not a number) — stricter than DuckDB's cast, which reads `1_21.5` as 121.5.
 * `t` is trimmed text, NULL when empty.
 */
export function parseNumberSql(t: string): string {
  const u = `translate(${t}, '０１２３４５６７８９，．－＋％', '0123456789,.-+%')`;
  return `CASE WHEN regexp_full_match(${u}, '${NUMBER_PATTERN}')
    THEN TRY_CAST(replace(rtrim(${u}, '%'), ',', '') AS DOUBLE) END`;
}

const NUMBER_PATTERN = '[+-]?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)?([.][0-9]*)?([eE][+-]?[0-9]+)?%?';

/** `t` as text with the missing markers read as empty. */
export function withoutMissingSql(t: string): string {
  return `CASE WHEN ${t} IN (${MISSING_MARKERS.map((m) => `'${m}'`).join(', ')}) THEN NULL ELSE ${t} END`;
}

/**
 * An H3 index written as text (`t` trimmed, NULL when empty) → UBIGINT, NULL when it is neither
 * 15–16 hex digits (the usual form, e.g. 8831aa5a4dfffff) nor a decimal integer (Spark,
 * ClickHouse and BigQuery keep H3 as a 64-bit integer).
 */
export function h3CellSql(t: string): string {
  return `CASE WHEN regexp_full_match(${t}, '[0-9]{17,20}') THEN TRY_CAST(${t} AS UBIGINT)
    WHEN regexp_full_match(${t}, '[0-9a-fA-F]{15,16}') THEN TRY_CAST('0x' || ${t} AS UBIGINT) END`;
}

/** Rules whose unreadable values are emptied and counted instead of rejected. */
export const SOFT_RULES: readonly Rule[] = ['soft_number', 'age', 'amount', 'soft_flag01'];

/** SQL type of a rule's output column. */
export function ruleType(rule: Rule): 'VARCHAR' | 'DOUBLE' | 'INTEGER' {
  switch (rule) {
    case 'lon':
    case 'lat':
    case 'number':
    case 'soft_number':
    case 'age':
    case 'amount':
    case 'positive_default1':
    case 'nonneg':
    case 'nonneg_default1':
    case 'required_nonneg':
    case 'count':
      return 'DOUBLE';
    case 'h3_resolution':
    case 'flag01':
    case 'soft_flag01':
      return 'INTEGER';
    default:
      return 'VARCHAR';
  }
}

/**
 * The check table's SQL and checks; `soft` names its boolean columns marking unreadable values
 * of soft columns (emptied, to be counted among kept rows).
 */
export function buildCheckSql(input: CheckSqlInput): { sql: string; checks: CheckSpec[]; soft: { column: string; label: string }[] } {
  const { select, checks, soft } = buildCheckSelect(input);
  return { sql: `CREATE TABLE ${quoteIdent(input.out)} AS\n${select}`, checks, soft };
}

/** The check table's rows as a query (`input.out` unused): see buildCheckSql. */
export function buildCheckSelect(input: CheckSqlInput): { select: string; checks: CheckSpec[]; soft: { column: string; label: string }[] } {
  const checks: CheckSpec[] = [];
  const whens: string[] = [];
  const add = (cond: string, column: string | null, code: CheckCode, reason: string, params: Record<string, string | number> = {}) => {
    const k = checks.length + 1;
    checks.push({ k, column, code, reason, params });
    whens.push(`WHEN ${cond} THEN ${k}`);
  };
  const cols = input.columns;
  const totals = input.totalsSources ?? [];
  if (totals.length) {
    const cond = totals.map((_, m) => totalsSql(`h${m}`)).join(' OR ');
    add(cond, null, 'totals_row', 'totals');
  }
  // t<j>: the value as trimmed text (NULL when empty); n<j>: as a number. A typed raw column
  // needs no text: its n<j> is the column itself.
  const texts = cols.map((c, j) => {
    if (c.src === null) return `NULL::VARCHAR AS t${j}`;
    if (c.typed) return `r.c${c.src} AS n${j}`;
    if (c.numeric) return `CAST(r.c${c.src} AS DOUBLE) AS t${j}`;
    const t = `nullif(trim(CAST(r.c${c.src} AS VARCHAR)), '')`;
    return `${ruleType(c.rule) === 'VARCHAR' ? t : withoutMissingSql(t)} AS t${j}`;
  });
  const nums = cols
    .map((c, j) => {
      if (ruleType(c.rule) === 'VARCHAR' || c.typed) return null;
      // a number as its text would read: finite, else not a number
      if (c.numeric) return `CASE WHEN isfinite(t${j}) THEN t${j} END AS n${j}`;
      return `${parseNumberSql(`t${j}`)} AS n${j}`;
    })
    .filter(Boolean);
  // Soft columns read from text: whether the value was there but unreadable (emptied, counted).
  // A typed column (read_csv's DOUBLE) holds inf/NaN for `Infinity`, `NaN`, `1e999`: unreadable too.
  const soft = cols.flatMap((c, j) => (SOFT_RULES.includes(c.rule) && c.src !== null ? [j] : []));
  const unreadable = (j: number) =>
    cols[j].typed ? `(n${j} IS NOT NULL AND NOT isfinite(n${j}))` : `(t${j} IS NOT NULL AND (n${j} IS NULL OR NOT isfinite(n${j})))`;
  const softN = (j: number) => `CASE WHEN ${unreadable(j)} THEN NULL ELSE n${j} END`;
  const lonIdx = cols.findIndex((c) => c.rule === 'lon');
  const h3Idx = cols.findIndex((c) => c.rule === 'h3_cell');
  const latIdx = cols.findIndex((c) => c.rule === 'lat');
  const outputs: string[] = [];
  cols.forEach((c, j) => {
    const t = `t${j}`;
    const n = `n${j}`;
    const isEmpty = c.typed ? `${n} IS NULL` : `${t} IS NULL`;
    const notNumber = c.typed ? `(${n} IS NOT NULL AND NOT isfinite(${n}))` : `(${t} IS NOT NULL AND (${n} IS NULL OR NOT isfinite(${n})))`;
    const label = c.label;
    switch (c.rule) {
      case 'id':
      case 'required_text':
        add(`${t} IS NULL`, label, 'empty_required', 'empty', { column: label });
        outputs.push(`${t} AS ${quoteIdent(c.out)}`);
        break;
      case 'known_area':
        add(`${t} IS NULL`, label, 'empty_required', 'empty', { column: label });
        if (input.areaRef) {
          add(`${t} NOT IN (SELECT area_id FROM ${quoteIdent(input.areaRef)})`, label, 'unknown_area', 'unknownArea', { column: label });
        }
        outputs.push(`${t} AS ${quoteIdent(c.out)}`);
        break;
      case 'text':
        outputs.push(`${t} AS ${quoteIdent(c.out)}`);
        break;
      case 'lon':
      case 'lat': {
        const lim = c.rule === 'lon' ? 180 : 90;
        add(isEmpty, label, 'coord_empty', 'empty', { column: label });
        add(`${n} IS NULL OR NOT isfinite(${n})`, label, 'not_a_number', 'notNumber', { column: label });
        add(`${n} < -${lim} OR ${n} > ${lim}`, label, 'out_of_range', 'outside', { column: label, min: -lim, max: lim });
        if (j === Math.max(lonIdx, latIdx) && lonIdx !== -1 && latIdx !== -1) {
          add(`n${lonIdx} = 0 AND n${latIdx} = 0`, `${cols[lonIdx].label},${cols[latIdx].label}`, 'zero_zero', 'zeroZero');
        }
        outputs.push(`${n} AS ${quoteIdent(c.out)}`);
        break;
      }
      case 'number':
        add(notNumber, label, 'not_a_number', 'notNumber', { column: label });
        outputs.push(`${n} AS ${quoteIdent(c.out)}`);
        break;
      case 'soft_number':
        outputs.push(`${softN(j)} AS ${quoteIdent(c.out)}`);
        break;
      case 'age':
        add(`${n} < 0 OR ${n} > 120`, label, 'out_of_range', 'between', { column: label, min: 0, max: 120 });
        outputs.push(`${softN(j)} AS ${quoteIdent(c.out)}`);
        break;
      case 'amount':
        add(`${n} < 0`, label, 'out_of_range', 'nonNegative', { column: label });
        outputs.push(`${softN(j)} AS ${quoteIdent(c.out)}`);
        break;
      case 'soft_flag01':
        add(`${n} NOT IN (0, 1)`, label, 'bad_value', 'zeroOne', { column: label });
        outputs.push(`(${softN(j)})::INTEGER AS ${quoteIdent(c.out)}`);
        break;
      case 'flag01':
        add(notNumber, label, 'not_a_number', 'notNumber', { column: label });
        add(`${n} NOT IN (0, 1)`, label, 'bad_value', 'zeroOne', { column: label });
        outputs.push(`${n}::INTEGER AS ${quoteIdent(c.out)}`);
        break;
      case 'positive_default1':
        add(notNumber, label, 'not_a_number', 'notNumber', { column: label });
        add(`${n} <= 0`, label, 'out_of_range', 'positive', { column: label });
        outputs.push(`coalesce(${n}, 1.0) AS ${quoteIdent(c.out)}`);
        break;
      case 'nonneg':
        add(notNumber, label, 'not_a_number', 'notNumber', { column: label });
        add(`${n} < 0`, label, 'out_of_range', 'nonNegative', { column: label });
        outputs.push(`${n} AS ${quoteIdent(c.out)}`);
        break;
      case 'nonneg_default1':
        add(notNumber, label, 'not_a_number', 'notNumber', { column: label });
        add(`${n} < 0`, label, 'out_of_range', 'nonNegative', { column: label });
        outputs.push(`coalesce(${n}, 1.0) AS ${quoteIdent(c.out)}`);
        break;
      case 'required_nonneg':
        add(isEmpty, label, 'empty_required', 'empty', { column: label });
        add(notNumber, label, 'not_a_number', 'notNumber', { column: label });
        add(`${n} < 0`, label, 'out_of_range', 'nonNegative', { column: label });
        outputs.push(`${n} AS ${quoteIdent(c.out)}`);
        break;
      case 'h3_cell': {
        // An H3 cell index has mode 1 in bits 59–62 and its resolution in bits 52–55.
        const x = `(${h3CellSql(t)})`;
        add(`${t} IS NULL`, label, 'empty_required', 'empty', { column: label });
        add(`${x} IS NULL OR (${x} >> 59) & 15 <> 1`, label, 'bad_value', 'notH3', { column: label });
        outputs.push(`${x} AS ${quoteIdent(c.out)}`);
        break;
      }
      case 'h3_resolution':
        add(isEmpty, label, 'empty_required', 'empty', { column: label });
        add(notNumber, label, 'not_a_number', 'notNumber', { column: label });
        add(`${n} < 0 OR ${n} > 15 OR ${n} <> round(${n})`, label, 'out_of_range', 'h3ResRange', { column: label });
        if (h3Idx !== -1) {
          // after both columns' own checks, so a bad resolution is named as that
          const x = `(${h3CellSql(`t${h3Idx}`)})`;
          add(`CAST((${x} >> 52) & 15 AS DOUBLE) <> ${n}`, cols[h3Idx].label, 'bad_value', 'h3Resolution', { column: cols[h3Idx].label });
        }
        outputs.push(`${n}::INTEGER AS ${quoteIdent(c.out)}`);
        break;
      case 'count':
        add(isEmpty, label, 'empty_required', 'empty', { column: label });
        add(notNumber, label, 'not_a_number', 'notNumber', { column: label });
        add(`${n} < 0 OR ${n} <> round(${n})`, label, 'out_of_range', 'wholeCount', { column: label });
        outputs.push(`${n} AS ${quoteIdent(c.out)}`);
        break;
      case 'site_type':
      case 'owner':
        // Kept as written: the value mapping (src/data/value-map.ts) reads 支行 as branch, 本行 as
        // own …, and rejects a type that is no known word, naming it.
        add(`${t} IS NULL`, label, 'empty_required', 'empty', { column: label });
        outputs.push(`${t} AS ${quoteIdent(c.out)}`);
        break;
    }
  });
  const kExpr = whens.length ? `CASE ${whens.join(' ')} END` : 'NULL';
  const lines = input.lines;
  if (input.from !== undefined && (typeof lines === 'string' || input.passRaw)) throw new Error('buildCheckSelect: a relation is read with { first } lines and no passRaw');
  // row_number() OVER () with an empty window streams: it numbers the rows as read, no sort.
  const rowIndex = input.from !== undefined ? '(row_number() OVER () - 1)' : 'r.rowid';
  const from = typeof lines === 'string'
    ? `l.__bp_line, ${input.passRaw ? 'r.rowid AS __bp_row, ' : ''}`
    : `(${rowIndex} + ${Math.floor(lines.first)})::INTEGER AS __bp_line, ${input.passRaw ? 'r.rowid AS __bp_row, ' : ''}`;
  const pass = (input.passRaw ?? []).map((i) => `r.c${i} AS __bp_r${i}`);
  const source = input.from !== undefined
    ? `${input.from} r`
    : typeof lines === 'string' ? `${quoteIdent(input.raw)} r POSITIONAL JOIN ${quoteIdent(lines)} l` : `${quoteIdent(input.raw)} r`;
  const passOut = input.passRaw ? ['__bp_row', ...(input.passRaw ?? []).map((i) => `__bp_r${i}`)] : [];
  const select = `WITH t AS (SELECT ${from}${[...pass, ...texts, ...totals.map((src, m) => `nullif(trim(CAST(r.c${src} AS VARCHAR)), '') AS h${m}`)].join(', ')} FROM ${source}),
n AS (SELECT *${nums.length ? ', ' + nums.join(', ') : ''} FROM t)
SELECT __bp_line, (${kExpr})::INTEGER AS __bp_k${outputs.length ? ', ' + outputs.join(', ') : ''}${soft.map((j) => `, ${unreadable(j)} AS __bp_u${j}`).join('')}${passOut.map((c) => `, ${c}`).join('')} FROM n`;
  return { select, checks, soft: soft.map((j) => ({ column: `__bp_u${j}`, label: cols[j].label })) };
}

/**
 * Duplicate keys among usable rows: the first row (lowest line) is kept, later ones are
 * rejected naming it. Creates `dups(key..., __bp_first)` for keys that occur more than once.
 */
export function buildDuplicatesSql(chk: string, dups: string, keys: readonly string[]): string {
  const k = keys.map(quoteIdent).join(', ');
  const c = quoteIdent(chk);
  // Two passes: group on a 64-bit hash of the key (cheaper than grouping strings), then group
  // the exact keys only among rows whose hash repeats (hash collisions are resolved there).
  return `CREATE TABLE ${quoteIdent(dups)} AS
WITH h AS (SELECT hash(${k}) AS h FROM ${c} WHERE __bp_k IS NULL GROUP BY 1 HAVING count(*) > 1)
SELECT ${k}, min(__bp_line) AS __bp_first FROM ${c}
WHERE __bp_k IS NULL AND hash(${k}) IN (SELECT h FROM h) GROUP BY ${k} HAVING count(*) > 1`;
}

/**
 * Whether one key column's values among the usable rows rise strictly from row to row — then
 * they are all distinct, and the duplicate search (buildDuplicatesSql, a hash aggregate over
 * every row) is not needed. Exports are usually sorted by their id. One row, `n`: the rows whose
 * key is not above the one before (0: no duplicates). Whatever order the rows are read in, a
 * sequence that always rises has no value twice. `limit`: look at that many rows only (a cheap
 * first test of an unsorted file).
 */
export function buildKeysRiseSql(chk: string, key: string, limit?: number): string {
  const k = quoteIdent(key);
  const rows = `SELECT ${k} AS k FROM ${quoteIdent(chk)} WHERE __bp_k IS NULL${limit !== undefined ? ` LIMIT ${Math.floor(limit)}` : ''}`;
  // lag() over an empty window streams (no sort, no hash table); the first row's is NULL.
  return `SELECT count(*) FILTER (WHERE p >= k)::INTEGER AS n FROM (SELECT k, lag(k) OVER () AS p FROM (${rows}))`;
}

function keyJoin(keys: readonly string[]): string {
  return keys.map((key) => `c.${quoteIdent(key)} = d.${quoteIdent(key)}`).join(' AND ');
}

/**
 * Rows to reject, as (line, k, first line): failed checks, then duplicates (k = `dupK`).
 * Parameters: none. Reasons are joined from the checks table by the caller.
 */
export function buildRejectedRowsSql(chk: string, dups: string | null, keys: readonly string[], dupK: number): string {
  const failed = `SELECT __bp_line, __bp_k, NULL::INTEGER AS __bp_first FROM ${quoteIdent(chk)} WHERE __bp_k IS NOT NULL`;
  if (dups === null) return failed;
  return `${failed}
UNION ALL
SELECT c.__bp_line, ${dupK} AS __bp_k, d.__bp_first FROM ${quoteIdent(chk)} c JOIN ${quoteIdent(dups)} d ON ${keyJoin(keys)}
WHERE c.__bp_k IS NULL AND c.__bp_line > d.__bp_first`;
}

/**
 * Insert rejects into the staging rejects table. $1 = kind, $2 = file. The checks table holds each
 * check's reason code and its parameters as a JSON object; a duplicate's parameters get the first
 * line (an integer the query computed) as `line`: `{"line":2,"column":"customer_id"}`.
 */
export function buildInsertRejectsSql(rejects: string, rejected: string, checksTable: string): string {
  return `INSERT INTO ${quoteIdent(rejects)} (kind, file, line, "column", reason, params, code, raw)
SELECT $1, $2, x.__bp_line, k.col, k.reason,
  CASE WHEN x.__bp_first IS NULL THEN k.params ELSE '{"line":' || x.__bp_first::VARCHAR || CASE WHEN k.params = '{}' THEN '}' ELSE ',' || substr(k.params, 2) END END,
  k.code, NULL
FROM (${rejected}) x JOIN ${quoteIdent(checksTable)} k ON k.k = x.__bp_k`;
}

/**
 * The usable rows without duplicates, in file order, keeping `__bp_line` for later steps. With
 * no duplicate keys (`dups` null) it is a view filtering the check table (already in file
 * order): no join, no sort, no copy. Otherwise a table.
 */
export function buildKeepSql(chk: string, dups: string | null, out: string, keys: readonly string[], columns: readonly string[]): string {
  const cols = columns.map((c) => `c.${quoteIdent(c)}`).join(', ');
  if (dups === null) {
    // A view: the rows are read once more (coordinates, final table), so copying them is waste.
    return `CREATE VIEW ${quoteIdent(out)} AS SELECT c.__bp_line, ${cols} FROM ${quoteIdent(chk)} c WHERE c.__bp_k IS NULL`;
  }
  return `CREATE TABLE ${quoteIdent(out)} AS SELECT c.__bp_line, ${cols} FROM ${quoteIdent(chk)} c
LEFT JOIN ${quoteIdent(dups)} d ON ${keyJoin(keys)}
WHERE c.__bp_k IS NULL AND (d.__bp_first IS NULL OR c.__bp_line = d.__bp_first) ORDER BY c.__bp_line`;
}

/**
 * The final table straight from the checked rows (no `__bp_line` kept): usable rows without
 * the later rows of a duplicate key (`dups` null: there are none), in file order. `sort`: the
 * checked rows are not in file order (they come out of a join) and must be sorted.
 */
export function buildKeepTableSql(chk: string, dups: string | null, out: string, keys: readonly string[], columns: readonly string[], sort = false): string {
  const cols = columns.map((c) => `c.${quoteIdent(c)}`).join(', ');
  if (dups === null) return `CREATE TABLE ${quoteIdent(out)} AS SELECT ${cols} FROM ${quoteIdent(chk)} c WHERE c.__bp_k IS NULL${sort ? ' ORDER BY c.__bp_line' : ''}`;
  return `CREATE TABLE ${quoteIdent(out)} AS SELECT ${cols} FROM ${quoteIdent(chk)} c
LEFT JOIN ${quoteIdent(dups)} d ON ${keyJoin(keys)}
WHERE c.__bp_k IS NULL AND (d.__bp_first IS NULL OR c.__bp_line = d.__bp_first) ORDER BY c.__bp_line`;
}

/**
 * Raw-table rows (`__bp_row`, the raw rowid) to delete so that the raw table holds only the
 * kept rows: failed checks and the later rows of a duplicate key.
 */
export function buildDroppedRowsSql(chk: string, dups: string | null, out: string, keys: readonly string[]): string {
  const failed = `SELECT __bp_row FROM ${quoteIdent(chk)} WHERE __bp_k IS NOT NULL`;
  const later = dups === null ? '' : `
UNION ALL
SELECT c.__bp_row FROM ${quoteIdent(chk)} c JOIN ${quoteIdent(dups)} d ON ${keyJoin(keys)}
WHERE c.__bp_k IS NULL AND c.__bp_line > d.__bp_first`;
  return `CREATE TABLE ${quoteIdent(out)} AS ${failed}${later}`;
}
