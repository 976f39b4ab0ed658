/**
 * One tabular input (indicators, customers, sites, candidates) from bytes to its final staging
 * table `__bp_fin_<kind>`: read → map columns → validate in SQL → drop duplicates → periods /
 * coordinates → rejects with their raw text. Rejects go to the shared staging rejects table.
 * A travel-cost file, often millions of rows, takes a shorter path with the same checks
 * (load-costs.ts).
 */
import { Int32, Table, Utf8, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { type Connector } from '../db/connector.ts';
import { quoteIdent } from '../sql/ident.ts';
import { buildCheckSelect, buildCheckSql, buildDuplicatesSql, buildInsertRejectsSql, buildKeysRiseSql, buildKeepSql, buildRejectedRowsSql, ruleType, type CheckSpec, type PlannedColumn } from '../sql/load-validate.ts';
import { buildProfileSql, readProfile } from '../sql/load-profile.ts';
import { LOAD_CELLS_RESOLUTION } from '../sql/hotspots.ts';
import { REJECTS_COLUMNS, STAGED_REJECTS, dropTableSql, dropViewSql, stagingName } from '../sql/load-tables.ts';
import { planExtras, resolveMapping, withSourceTypes, type TabularKind } from './column-plan.ts';
import { FileProblemError } from './errors.ts';
import { finishPoints, type AreaLookup } from './points.ts';
import { applyPeriods } from './periods-step.ts';
import { firstOfConsecutive, insertLines, scratch, tempScratch, type CheckedRead, type ColumnTyping, type RawSource, type SourceNames } from './source.ts';
import { readCsvSource, type CsvReadHooks } from './source-csv.ts';
import { readParquetSource } from './source-parquet.ts';
import { readParquetPathSource } from './source-parquet-path.ts';
import { readXlsxSource } from './source-xlsx.ts';
import type { Crs, FileReport, LoadInput, LoadStep, RejectCode, RejectRow, ValueMapLine } from './types.ts';
import { OWN_WORDS, applySiteValues } from './value-map.ts';
import { applyAreaKeys } from './area-keys.ts';
import { loadWarning, type LoadWarning } from './load-warnings.ts';
import { insertChecks, insertRowRejects } from './load-checks.ts';
import { finishCostRows } from './load-costs.ts';
import { paramsJson } from './reject-reasons.ts';

const KEYS: Record<TabularKind, string[]> = {
  customers: ['customer_id'],
  sites: ['site_id'],
  candidates: ['site_id'],
  demand_points: ['point_id'],
  costs: ['demand_id', 'site_id'],
  indicators: ['area_id', 'period'],
  // plus the text (group) columns: see rowKeys
  demand_cells: ['h3', 'resolution'],
};

/**
 * A row's unique key. Demand cells: one row per cell, resolution and combination of group
 * columns (the text extras: segment, …); a repeated combination would be counted twice.
 */
function rowKeys(kind: TabularKind, extras: readonly { out: string; rule: string }[]): string[] {
  if (kind !== 'demand_cells') return KEYS[kind];
  return [...KEYS[kind], ...extras.filter((c) => c.rule === 'text').map((c) => c.out)];
}

/** Cost files take load-costs.ts's path; tests turn it off to compare with the general one. */
export const COST_FILES = { lightPath: true };

export interface TabularContext {
  conn: Connector;
  /** Table with the known area ids (`area_id`), when areas are known. */
  areaRef: string | null;
  /** Append: the live table of this kind (its keys may not be loaded again), else null. */
  appendTo?: string | null;
  areas: AreaLookup | null;
  checkAbort: () => void;
  progress: (step: LoadStep, within: number) => void;
  /** Unique per load, for registered file names. */
  token: string;
  /** Whether customers get their area by point-in-polygon (LoadOptions.assignCustomerAreas). */
  assignCustomerAreas?: boolean;
}

export async function loadTabular(ctx: TabularContext, input: LoadInput & { kind: TabularKind }, bytes: Uint8Array | Blob): Promise<FileReport> {
  const { conn, checkAbort } = ctx;
  const kind = input.kind;
  const names: SourceNames = {
    raw: stagingName(kind, 'raw'),
    file: `upload/bp-${ctx.token}-${kind}.dat`,
    rejects: stagingName(kind, 'csvrej'),
    rejectScans: stagingName(kind, 'csvscan'),
  };
  const t = {
    lines: stagingName(kind, 'lines'),
    chk: stagingName(kind, 'chk'),
    checks: stagingName(kind, 'checks'),
    dups: stagingName(kind, 'dups'),
    ok: stagingName(kind, 'ok'),
    fin: stagingName(kind, 'fin'),
  };
  ctx.progress('read', 0);
  // The file scan is the first quarter of this file's share of the bar.
  const temp = tempScratch(input.path !== undefined ? null : bytes instanceof Blob ? bytes.size : bytes.length);
  const hooks = {
    checkAbort, onScan: (f: number) => ctx.progress('read', 0.25 * f), tempRaw: temp,
    // Cost files take their own path (load-costs.ts), which reads the raw table.
    ...(kind === 'costs' ? {} : { checked: checkedRead(kind, input, t.chk) }),
  };
  const source = await readSource(conn, input, bytes, names, (headers) => csvTyping(kind, headers, input.mapping), hooks);
  checkAbort();
  const warnings = [...source.warnings];
  const { mapping, contract: planned, extraSources, warnings: mapWarnings } = resolveMapping(kind, source.headers, input.mapping, input.fileName);
  const contract = withSourceTypes(planned, source);
  warnings.push(...mapWarnings);
  const [profileRow] = extraSources.length ? await conn.query(buildProfileSql(names.raw, extraSources)) : [{}];
  const extras = planExtras(kind, source.headers, extraSources, readProfile(profileRow ?? {}, extraSources.length), input.fileName);
  warnings.push(...extras.warnings);
  const columns = [...contract, ...extras.columns];

  ctx.progress('validate', 0.4);
  const totalsSources = totalsColumns(source.headers, source);
  const done: ValidatedRows = kind === 'costs' && COST_FILES.lightPath
    ? { periods: null, ...await finishCostRows({
      conn, fileName: input.fileName, raw: names.raw, fin: t.fin, source, columns, totalsSources, appendTo: ctx.appendTo ?? null, checkAbort,
      progress: (within) => ctx.progress('validate', within),
    }) }
    : await validateRows(ctx, input, names, t, source, columns, extras.columns, totalsSources, temp);
  warnings.push(...done.warnings);
  const { outside, periods, valueMap } = done;
  const crs: Crs = input.crs ?? 'wgs84';

  await insertReaderRejects(conn, source.readerRejects, stagingName(kind, 'jsrej'));
  await fillRawText(conn, kind, source, stagingName(kind, 'rawtext'));
  const counts = await conn.query<{ code: RejectCode; n: number }>(
    `SELECT code, count(*)::INTEGER AS n FROM ${quoteIdent(STAGED_REJECTS)} WHERE kind = $1 GROUP BY code ORDER BY code`,
    [kind],
  );
  const [{ n: kept }] = await conn.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${quoteIdent(t.fin)}`);
  const rowsRejected = counts.reduce((s, c) => s + c.n, 0);
  if (kept === 0) {
    const why = counts.map((c) => `${c.n} ${c.code}`).join(', ');
    throw new FileProblemError(`has no usable rows (${source.rowsRead} read, all rejected: ${why}); see the rejects for each line`);
  }
  return {
    kind,
    file: input.fileName,
    format: source.format,
    ...(source.encoding ? { encoding: source.encoding } : {}),
    rowsRead: source.rowsRead,
    rowsKept: kept,
    rowsRejected,
    rejectsByCode: Object.fromEntries(counts.map((c) => [c.code, c.n])),
    ...(outside !== undefined ? { outsideStudyArea: outside } : {}),
    mapping,
    extraColumns: extras.columns.map((c) => ({ name: c.out, type: c.rule === 'number' ? 'DOUBLE' : 'VARCHAR' })),
    crs,
    ...(valueMap ? { valueMap } : {}),
    warnings: periods && periods.length === 0 ? [...warnings, loadWarning('noPeriods', { file: input.fileName })] : warnings,
  };
}

/** Raw columns whose text may mark a totals row: the first two, unless read as numbers. */
function totalsColumns(headers: readonly string[], source: Pick<RawSource, 'typed' | 'numeric'>): number[] {
  // Typed (numeric) columns cannot hold 合计: the reader rejected such rows already.
  return [0, 1].filter((i) => i < headers.length && source.typed?.[i] !== true && source.numeric?.[i] !== true);
}

/**
 * The check query a CSV is read straight into (source.ts CheckedRead): the same columns and
 * checks validateRows would plan after the read, when they need no profile of the rows (a file
 * with extra columns is read into a raw table first, since their rules depend on their values).
 */
function checkedRead(kind: TabularKind, input: LoadInput, chk: string): CheckedRead {
  return {
    table: chk,
    select: (headers, types, from, first) => {
      const { contract: planned, extraSources } = resolveMapping(kind, headers, input.mapping, input.fileName);
      if (extraSources.length) return null;
      const source = { typed: types.map((t) => t === 'DOUBLE') };
      const columns = withSourceTypes(planned, source);
      return buildCheckSelect({ raw: '', from, lines: { first }, out: chk, columns, totalsSources: totalsColumns(headers, source) }).select;
    },
  };
}

interface ValidatedRows {
  warnings: LoadWarning[];
  /** Points inside no area (customers with areas). */
  outside?: number;
  /** Indicators: the periods found. */
  periods: string[] | null;
  valueMap?: ValueMapLine[];
}

/**
 * The general validation, for every kind but costs (load-costs.ts): lines → check table →
 * keys already loaded, reader-flagged rows, duplicates → rejects → kept rows → the final table
 * (periods for indicators, coordinates and areas for point kinds).
 */
async function validateRows(
  ctx: TabularContext,
  input: LoadInput & { kind: TabularKind },
  names: SourceNames,
  t: Record<'lines' | 'chk' | 'checks' | 'dups' | 'ok' | 'fin', string>,
  source: RawSource,
  columns: PlannedColumn[],
  extraColumns: readonly PlannedColumn[],
  totalsSources: number[],
  /** Scratch tables TEMP (source.ts tempScratch). */
  temp: boolean,
): Promise<ValidatedRows> {
  const { conn, checkAbort } = ctx;
  const kind = input.kind;
  const warnings: LoadWarning[] = [];
  // Consecutive lines (the common case at scale) need no lines table: the line is rowid + first.
  // A CSV read straight into the check table (checkedRead) has it already, lines and all.
  const first = source.checked ? 0 : firstOfConsecutive(source.lines);
  if (first === null) await insertLines(conn, t.lines, source.lines, temp);
  // Area keys are matched after the checks (by id or name, applyAreaKeys), not by the SQL check.
  const check = buildCheckSql({ raw: names.raw, lines: first === null ? t.lines : { first }, out: t.chk, columns, totalsSources });
  if (!source.checked) await conn.exec(scratch(check.sql, temp));
  if (check.soft.length) {
    const [counts] = await conn.query<Record<string, number>>(
      `SELECT ${check.soft.map((c, i) => `count(*) FILTER (WHERE ${quoteIdent(c.column)})::INTEGER AS u${i}`).join(', ')}
       FROM ${quoteIdent(t.chk)} WHERE __bp_k IS NULL`,
    );
    check.soft.forEach((c, i) => {
      const n = Number(counts[`u${i}`]);
      if (n > 0) warnings.push(loadWarning('unreadNumbers', { file: input.fileName, column: c.label, n }));
    });
  }
  // Rates (DESIGN.md › Real exports): a percentage outside 0–100 is kept with a warning, since
  // some rates (growth, change) can be negative; the warning says how many.
  const rates = kind === 'indicators' ? extraColumns.filter((c) => c.rule === 'number' && isRateName(c.out)) : [];
  if (rates.length) {
    const [counts] = await conn.query<Record<string, number>>(
      `SELECT ${rates.map((c, i) => `count(*) FILTER (WHERE ${quoteIdent(c.out)} < 0 OR ${quoteIdent(c.out)} > 100)::INTEGER AS r${i}`).join(', ')}
       FROM ${quoteIdent(t.chk)} WHERE __bp_k IS NULL`,
    );
    rates.forEach((c, i) => {
      const n = Number(counts[`r${i}`]);
      if (n > 0) warnings.push(loadWarning('rateRange', { file: input.fileName, column: c.label, n }));
    });
  }
  await conn.exec(`${dropTableSql(names.raw)}; ${dropTableSql(t.lines)}`);
  checkAbort();
  const keys = rowKeys(kind, extraColumns);
  const dupK = check.checks.length + 1;
  const checks: CheckSpec<RejectCode>[] = [
    ...check.checks,
    { k: dupK, column: keys.join(','), code: 'duplicate_id', reason: 'duplicateLine', params: { column: keys.join(' + ') } },
  ];
  let periods: string[] | null = null;
  if (kind === 'indicators') {
    const badK = dupK + 1;
    checks.push({ k: badK, column: 'period', code: 'bad_period', reason: 'badPeriod', params: {} });
    if (ctx.areaRef) {
      const byName = await applyAreaKeys(conn, t.chk, ctx.areaRef, stagingName(kind, 'areakeys'), checks);
      if (byName > 0) warnings.push(loadWarning('areasByName', { file: input.fileName, n: byName }));
    }
    periods = await applyPeriods(conn, t.chk, stagingName(kind, 'periods'), badK);
  }
  let valueMap: ValueMapLine[] | undefined;
  if (kind === 'sites') {
    const applied = await applySiteValues(conn, t.chk, stagingName(kind, 'values'), checks, input.values);
    valueMap = applied.lines;
    if (applied.ownRows === 0) {
      warnings.push(loadWarning('noOwnSites', { file: input.fileName, words: OWN_WORDS.join(', ') }));
    }
  }
  if (ctx.appendTo) {
    // Appending: a key already loaded is a reject like a duplicate within the file.
    const k = checks.reduce((m, c) => Math.max(m, c.k), 0) + 1;
    checks.push({ k, column: keys.join(','), code: 'duplicate_id', reason: 'alreadyLoaded', params: { column: keys.join(' + ') } });
    const c = quoteIdent(t.chk);
    const match = keys.map((key) => `l.${quoteIdent(key)} = ${c}.${quoteIdent(key)}`).join(' AND ');
    await conn.exec(`UPDATE ${c} SET __bp_k = ${k} WHERE __bp_k IS NULL AND EXISTS (SELECT 1 FROM ${quoteIdent(ctx.appendTo)} l WHERE ${match})`);
  }
  await markRowRejects(conn, t.chk, stagingName(kind, 'rowrej'), source.rowRejects ?? [], checks);
  await insertChecks(conn, t.checks, checks);
  let dupKeys = 0;
  if (!(await keysRise(conn, t.chk, keys))) {
    await conn.exec(scratch(buildDuplicatesSql(t.chk, t.dups, keys), temp));
    [{ n: dupKeys }] = await conn.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${quoteIdent(t.dups)}`);
  }
  await conn.query(buildInsertRejectsSql(STAGED_REJECTS, buildRejectedRowsSql(t.chk, dupKeys === 0 ? null : t.dups, keys, dupK), t.checks), [kind, input.fileName]);
  const outNames = columns.map((c) => c.out);
  const okIsView = dupKeys === 0;
  await conn.exec(scratch(buildKeepSql(t.chk, okIsView ? null : t.dups, t.ok, keys, outNames), temp));
  await conn.exec(`${dropTableSql(t.dups)}; ${dropTableSql(t.checks)}`);
  checkAbort();

  ctx.progress('coordinates', 0.7);
  let outside: number | undefined;
  const crs: Crs = input.crs ?? 'wgs84';
  if (kind === 'indicators') {
    const ordered = ['area_id', 'period', 'period_index', ...outNames.filter((c) => c !== 'area_id' && c !== 'period')];
    const sel = ordered.map((c) => (c === 'period_index' ? 'p.period_index' : `o.${quoteIdent(c)}`)).join(', ');
    await conn.exec(`CREATE TABLE ${quoteIdent(t.fin)} AS SELECT ${sel} FROM ${quoteIdent(t.ok)} o
      JOIN (SELECT DISTINCT canon, period_index FROM ${quoteIdent(stagingName(kind, 'periods'))} WHERE ok) p
      ON p.canon = o.period ORDER BY o.__bp_line`);
    await conn.exec(dropTableSql(stagingName(kind, 'periods')));
  } else {
    if (crs !== 'wgs84') ctx.progress('coordinates', 0.75);
    const pointAreas = kind === 'customers' && ctx.assignCustomerAreas === false ? null : ctx.areas;
    if (kind === 'customers' && pointAreas) ctx.progress('assign-areas', 0.8);
    outside = await finishPoints(
      conn,
      {
        ok: t.ok, fin: t.fin, pts: stagingName(kind, 'pts'), areaIds: stagingName(kind, 'areaids'), tempPts: temp,
        // Appended rows are not the whole table: the cells of all of them are assigned later.
        ...(kind === 'customers' && !ctx.appendTo ? { cells: stagingName(kind, 'cells'), cellResolution: LOAD_CELLS_RESOLUTION } : {}),
      },
      outNames,
      kind === 'customers' ? 'lat' : null,
      crs,
      pointAreas,
      checkAbort,
    );
    if (kind === 'customers' && !ctx.areas) warnings.push(loadWarning('noAreas', { file: input.fileName }));
  }
  await conn.exec(`${okIsView ? dropViewSql(t.ok) : dropTableSql(t.ok)}; ${dropTableSql(t.chk)}`);
  return { warnings, outside, periods, ...(valueMap ? { valueMap } : {}) };
}

/** Rows looked at first by keysRise: an unsorted file is told from a sorted one at little cost. */
const KEYS_RISE_SAMPLE = 65_536;

/**
 * Whether the usable rows' single key rises strictly (buildKeysRiseSql): then no key repeats.
 * The first rows are tried alone first, so an unsorted file costs one short read, not a pass.
 */
async function keysRise(conn: Connector, chk: string, keys: readonly string[]): Promise<boolean> {
  if (keys.length !== 1) return false;
  const [{ n: head }] = await conn.query<{ n: number }>(buildKeysRiseSql(chk, keys[0], KEYS_RISE_SAMPLE));
  if (head > 0) return false;
  const [{ n }] = await conn.query<{ n: number }>(buildKeysRiseSql(chk, keys[0]));
  return n === 0;
}

/** An indicator whose name says it is a rate or a share: unemployment_rate, 失业率, 占比, NPL ratio. */
export function isRateName(name: string): boolean {
  return /(^|[_\s-])(rate|ratio|pct|percent)($|[_\s-])|_rate$|率|占比|比例|比重/i.test(name);
}

/** CSV column types from the contract: numeric contract columns are read as DOUBLE. */
function csvTyping(kind: TabularKind, headers: readonly string[], mapping: LoadInput['mapping']): ReturnType<ColumnTyping> {
  const { contract } = resolveMapping(kind, headers, mapping);
  const types = headers.map((): 'VARCHAR' | 'DOUBLE' => 'VARCHAR');
  const labels = [...headers];
  const coordinates = headers.map(() => false);
  for (const c of contract) {
    if (c.src === null) continue;
    labels[c.src] = c.label;
    if (ruleType(c.rule) !== 'VARCHAR') types[c.src] = 'DOUBLE';
    if (c.rule === 'lon' || c.rule === 'lat') coordinates[c.src] = true;
  }
  return { types, labels, coordinates };
}

async function readSource(
  conn: Connector, input: LoadInput, bytes: Uint8Array | Blob, names: SourceNames, typing: ColumnTyping, hooks: CsvReadHooks,
): Promise<RawSource> {
  if (input.path !== undefined) return readParquetPathSource(conn, input.fileName, input.path, names);
  // A Blob reaches here only when it may be a CSV (load-inputs.ts blobData).
  if (bytes instanceof Blob) return readCsvSource(conn, input.kind, input.fileName, bytes, names, typing, hooks);
  if (isZip(bytes)) return readXlsxSource(conn, input.kind, input.fileName, bytes, input.sheet, names);
  if (isParquet(bytes)) return readParquetSource(conn, input.fileName, bytes, names);
  if (looksLikeJson(bytes)) {
    throw new FileProblemError(`looks like JSON; ${input.kind} must be CSV, Excel (.xlsx) or Parquet (GeoJSON is for areas only)`);
  }
  return readCsvSource(conn, input.kind, input.fileName, bytes, names, typing, hooks);
}

export const isZip = (b: Uint8Array) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
export const isParquet = (b: Uint8Array) => b.length > 8 && b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31;

export function looksLikeJson(b: Uint8Array): boolean {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  return b[i] === 0x7b || b[i] === 0x5b; // { or [
}

/** Reject rows the reader flagged but kept: their check replaces whatever the row had. */
async function markRowRejects(
  conn: Connector,
  chk: string,
  scratch: string,
  rows: NonNullable<RawSource['rowRejects']>,
  checks: CheckSpec<RejectCode>[],
): Promise<void> {
  if (!(await insertRowRejects(conn, scratch, rows, checks))) return;
  await conn.exec(`UPDATE ${quoteIdent(chk)} SET __bp_k = m.k FROM ${quoteIdent(scratch)} AS m WHERE ${quoteIdent(chk)}.__bp_line = m.line; ${dropTableSql(scratch)}`);
}

/** JS-made rejects (reader errors, GeoJSON features) into the staging rejects table, as data. */
export async function insertReaderRejects(conn: Connector, rejects: readonly RejectRow[], scratch: string): Promise<void> {
  if (rejects.length === 0) return;
  const text = (f: (r: RejectRow) => string | null) => vectorFromArray(rejects.map(f), new Utf8());
  const t = new Table({
    file: text((r) => r.file),
    line: vectorFromArray(rejects.map((r) => r.line), new Int32()),
    column: text((r) => r.column),
    reason: text((r) => r.reason),
    params: text((r) => paramsJson(r.params)),
    raw: text((r) => r.raw),
    kind: text((r) => r.kind),
    code: text((r) => r.code),
  });
  await conn.insertArrowIPC(scratch, tableToIPC(t, 'stream'));
  await conn.exec(`INSERT INTO ${quoteIdent(STAGED_REJECTS)} SELECT ${REJECTS_COLUMNS} FROM ${quoteIdent(scratch)}; ${dropTableSql(scratch)}`);
}

/** Validation rejects carry only their line; attach the row's text (DESIGN.md: raw, unaltered). */
async function fillRawText(conn: Connector, kind: TabularKind, source: RawSource, scratch: string): Promise<void> {
  const rows = await conn.query<{ line: number }>(
    `SELECT DISTINCT line FROM ${quoteIdent(STAGED_REJECTS)} WHERE kind = $1 AND raw IS NULL AND line IS NOT NULL`,
    [kind],
  );
  if (rows.length === 0) return;
  const t = new Table({
    line: makeVector({ type: new Int32(), data: Int32Array.from(rows, (r) => r.line) }),
    raw: vectorFromArray(source.rawTexts ? await source.rawTexts(rows.map((r) => r.line)) : rows.map((r) => source.rawText(r.line)), new Utf8()),
  });
  await conn.insertArrowIPC(scratch, tableToIPC(t, 'stream'));
  await conn.query(
    `UPDATE ${quoteIdent(STAGED_REJECTS)} AS r SET raw = m.raw FROM ${quoteIdent(scratch)} AS m WHERE r.kind = $1 AND r.line = m.line AND r.raw IS NULL`,
    [kind],
  );
  await conn.exec(dropTableSql(scratch));
}
