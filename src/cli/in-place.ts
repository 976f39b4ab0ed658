/**
 * Customers read in place (issue 13): for `hotspots` and `aggregate` on one Parquet customers
 * file, validation and the demand-cell aggregation are ONE streamed pass over the file, where
 * the general loader makes several (copy into a table, check every row into a second table,
 * group the ids for duplicates, copy the kept rows into the final table, read them back).
 *
 * The pass runs the loader's own check query (buildCheckSelect, the same SQL, so the same
 * rejects, reasons and values) over a view of the file, and streams per row only what the pass
 * needs: one tag (the failed check, or the filter and soft-value flags), a rejected row's line or
 * a kept row's 64-bit customer_id hash, and the values the aggregation needs. Here, per chunk:
 * rejected rows are listed (line, check), kept rows' ids are staged into a hash set (a repeated
 * hash marks a possible duplicate), and the counted rows' coordinates go to worker threads for
 * their H3 cells while the next batch streams; cells come back in order and are folded per cell
 * (DemandCellFolder, in row order: the same sums as the table route). Nothing per row is kept
 * but the id hashes (9–18 bytes a row, for the duplicate check).
 *
 * Whatever this pass cannot settle alone goes the general way (`loadForCli` then
 * `aggregateCustomers`), so results never depend on the route: a glob or non-WGS84 input, a
 * file problem (missing column, no usable row, unreadable file), another input's problem, a
 * real duplicate id (its later rows must not be counted, and the fold has counted them), a group
 * column with more than MAX_GROUP_VALUES values. BP_IN_PLACE=0 forces the general way (tests,
 * benchmarks).
 */
import { basename } from 'node:path';
import { availableParallelism } from 'node:os';
import { Int32, Table, Uint64, Utf8, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { fileBlob, NativeConnector } from '../db/native-connector.ts';
import { BATCH_ROWS, streamRowSlices } from './native-batches.ts';
import { loadInputs } from '../data/load-inputs.ts';
import { LoadError, FileProblemError } from '../data/errors.ts';
import { readParquetPathSource } from '../data/source-parquet-path.ts';
import { planExtras, resolveMapping, withSourceTypes } from '../data/column-plan.ts';
import { insertChecks } from '../data/load-checks.ts';
import { loadWarning, type LoadWarning } from '../data/load-warnings.ts';
import { tableColumns, type TableColumn } from '../data/table-columns.ts';
import type { FileReport, LoadInput, LoadReport, RejectCode } from '../data/types.ts';
import { buildCheckSelect, buildDuplicatesSql, buildInsertRejectsSql, type CheckSpec } from '../sql/load-validate.ts';
import { buildProfileSql, readProfile } from '../sql/load-profile.ts';
import { REJECTS_TABLE, dropTableSql, stagingName } from '../sql/load-tables.ts';
import { quoteIdent as q, type SqlParam } from '../sql/ident.ts';
import { filterClause, type HotspotFilter } from '../sql/hotspots.ts';
import { groupCodeSql, groupDictTable, groupEnumSql } from '../sql/demand-cells.ts';
import { DemandCellFolder, type DemandCells } from '../pipeline/cells/demand-cells.ts';
import { AssignHelper } from '../pipeline/hotspots/hotspot-assign.ts';
import { assignCells } from '../core/grid.ts';
import { spawnNodeAssignWorker } from './hotspot-assign-node.ts';
import { aggregateCustomers, MAX_GROUP_VALUES, type NamedDemandCells } from './demand-cells-io.ts';
import { cliMemoryLimit, loadForCli, readCliInputs, reportLoad, type CliDataset } from './common.ts';
import type { CliArgs } from './args.ts';
import type { CliContext } from './types.ts';

/** What to aggregate: decided from the customers' columns, as the loaded table would have them. */
export interface CellSpec {
  resolutions: readonly number[];
  groups: readonly string[];
  sums: readonly string[];
  filter?: HotspotFilter;
}

/** Picks the aggregation from the customers' columns; throws DataError for a bad option. */
export type SpecOf = (columns: readonly TableColumn[]) => CellSpec;

export interface CliCells {
  data: CliDataset;
  table: NamedDemandCells;
  /** Which way the customers went (stderr with BP_SQL_TRACE, tests). */
  route: 'in-place' | 'table';
}

/** The link to the customers file in the connector's private folder (no user text in SQL). */
const IN_PLACE_FILE = 'bp-in-place-customers.parquet';

/** Most rows the one pass takes (its id hash set: 8–16 bytes a row, its queues an eighth more: 2.3 GB at this many). */
const MAX_IN_PLACE_ROWS = 200_000_000;

async function customersRows(conn: NativeConnector, path: string): Promise<number> {
  try {
    const rows = await conn.query<{ n: bigint | number }>(`SELECT sum(num_rows) AS n FROM parquet_file_metadata($1)`, [path]);
    return Number(rows[0]?.n ?? 0);
  } catch {
    return 0; // unreadable: the reader below says so
  }
}

/** Thrown inside the pass when the general way must decide (see the module comment). */
class GeneralWay extends Error {}

/**
 * Load the inputs and aggregate the customers into demand cells: in one pass when it can
 * (module comment), else through the customers table. Writes --rejects/--report and the
 * per-file summary exactly as `loadForCli` does. The caller must `close()` `data`.
 */
export async function loadCellsForCli(args: CliArgs, ctx: CliContext, specOf: SpecOf): Promise<CliCells> {
  const inputs = await readCliInputs(args, ctx, ['areas', 'customers']);
  const customers = inputs.find((i) => i.kind === 'customers')!;
  const eligible = process.env.BP_IN_PLACE !== '0' && customers.path !== undefined && !/[*?[]/.test(basename(customers.path)) && (customers.crs ?? 'wgs84') === 'wgs84';
  if (eligible) {
    const conn = await NativeConnector.create({ memoryLimit: cliMemoryLimit() });
    let kept = false;
    try {
      const got = await inPlace(conn, inputs, customers, args, ctx, specOf);
      kept = true;
      return got;
    } catch (e) {
      if (!(e instanceof GeneralWay)) throw e;
      if (process.env.BP_SQL_TRACE) ctx.stderr(`[in-place: ${e.message}; the general way]\n`);
    } finally {
      if (!kept) await conn.close();
    }
  }
  return generalWay(args, ctx, specOf);
}

async function generalWay(args: CliArgs, ctx: CliContext, specOf: SpecOf): Promise<CliCells> {
  const data = await loadForCli(args, ctx, ['areas', 'customers'], { assignCustomerAreas: false });
  try {
    const spec = specOf(await tableColumns(data.conn, 'customers'));
    const table = await aggregateCustomers(data.conn, { resolutions: spec.resolutions, groups: spec.groups, sums: spec.sums, filter: spec.filter });
    return { data, table, route: 'table' };
  } catch (e) {
    await data.close();
    throw e;
  }
}

async function inPlace(
  conn: NativeConnector, inputs: LoadInput[], input: LoadInput, args: CliArgs, ctx: CliContext, specOf: SpecOf,
): Promise<CliCells> {
  // The other inputs (areas …) load as always; customers never depend on them here (no areas
  // are assigned to customers: hotspots and aggregate place them by H3 cell).
  let report: LoadReport;
  try {
    report = await loadInputs(conn, inputs.filter((i) => i !== input), { assignCustomerAreas: false });
  } catch (e) {
    if (e instanceof LoadError) throw new GeneralWay('another input has a problem');
    throw e;
  }
  let plan: Plan;
  // beyond this the id hash set grows past 2 GB: the general way (DuckDB spills)
  if ((await customersRows(conn, input.path!)) > MAX_IN_PLACE_ROWS) throw new GeneralWay('more rows than the id hash set may hold');
  try {
    plan = await planCustomers(conn, input);
  } catch (e) {
    if (e instanceof FileProblemError) throw new GeneralWay('the customers file has a problem');
    throw e;
  }
  // A bad option is reported after the file summary, as on the general way: aggregate nothing,
  // report the load, then throw.
  let spec: CellSpec;
  let specError: unknown = null;
  try {
    spec = specOf(await tableColumns(conn, plan.fin));
  } catch (e) {
    specError = e;
    spec = { resolutions: [0], groups: [], sums: [] };
  }
  if (plan.soft.length > MAX_SOFT) throw new GeneralWay('too many soft columns for the row tag');
  let dictionaries: string[][];
  let pass: PassResult;
  try {
    dictionaries = await groupDictionaries(conn, plan.fin, spec.groups);
    pass = await streamPass(conn, plan, spec, dictionaries.map((d) => d.length));
  } catch (e) {
    // e.g. a damaged row group: the general way words it as a file problem
    if (e instanceof GeneralWay) throw e;
    throw new GeneralWay(`the pass failed (${(e as Error)?.message})`);
  }
  if (pass.candidates.length > 0 && (await duplicateKeys(conn, plan, pass.candidates)) > 0) throw new GeneralWay('the file repeats a customer_id');
  const rejected = await insertRejects(conn, plan, pass.rejectLines, pass.rejectChecks);
  const rowsKept = plan.rowsRead - rejected.total;
  if (rowsKept === 0) throw new GeneralWay('no usable rows');

  const warnings: LoadWarning[] = [...plan.warnings];
  plan.soft.forEach((c, i) => {
    if (pass.softCounts[i] > 0) warnings.push(loadWarning('unreadNumbers', { file: input.fileName, column: c.label, n: pass.softCounts[i] }));
  });
  if (!report.areas) warnings.push(loadWarning('noAreas', { file: input.fileName }));
  // The same fields, in the same order, as loadTabular's report (--report writes them as JSON).
  const fileReport: FileReport = {
    kind: 'customers',
    file: input.fileName,
    format: 'parquet',
    rowsRead: plan.rowsRead,
    rowsKept,
    rowsRejected: rejected.total,
    rejectsByCode: rejected.byCode,
    mapping: plan.mapping,
    extraColumns: plan.extraColumns,
    crs: input.crs ?? 'wgs84',
    warnings,
  };
  const order = ['areas', 'indicators', 'customers'];
  const files = [...report.files.filter((f) => order.includes(f.kind)), fileReport, ...report.files.filter((f) => !order.includes(f.kind))];
  const full: LoadReport = {
    ...report,
    files,
    tables: [...new Set([...report.tables, 'customers'])],
    rowsRejected: files.reduce((s, f) => s + f.rowsRejected, 0),
    warnings: files.flatMap((f) => f.warnings),
  };
  await reportLoad(args, ctx, conn, full);
  if (specError !== null) throw specError;

  const table = namedCells(pass.dc, spec, dictionaries);
  if (process.env.BP_SQL_TRACE) ctx.stderr(`[in-place: ${plan.rowsRead} rows in one pass]\n`);
  const data: CliDataset = { conn, report: full, areas: full.areas, close: () => conn.close() };
  return { data, table, route: 'in-place' };
}

interface Plan {
  fileName: string;
  rowsRead: number;
  /** View of the checked rows (`__bp_line`, `__bp_k`, outputs, `__bp_u<j>`). */
  chk: string;
  /** View of the customers table as the loader would make it (same columns, types, order). */
  fin: string;
  checks: CheckSpec<RejectCode>[];
  dupK: number;
  soft: { column: string; label: string }[];
  mapping: Record<string, string>;
  extraColumns: { name: string; type: 'DOUBLE' | 'VARCHAR' }[];
  warnings: LoadWarning[];
  rawTexts: (lines: readonly number[]) => Promise<(string | null)[]>;
}

/** loadTabular's reading and planning for a customers Parquet file, with the rows left in the file. */
async function planCustomers(conn: NativeConnector, input: LoadInput): Promise<Plan> {
  const kind = 'customers';
  const raw = stagingName(kind, 'raw');
  await conn.registerBlob(IN_PLACE_FILE, await fileBlob(input.path!));
  const source = await readParquetPathSource(conn, input.fileName, input.path!, { raw, file: '', rejects: '', rejectScans: '' }, IN_PLACE_FILE);
  const warnings = [...source.warnings];
  const { mapping, contract: planned, extraSources, warnings: mapWarnings } = resolveMapping(kind, source.headers, input.mapping, input.fileName);
  const contract = withSourceTypes(planned, source);
  warnings.push(...mapWarnings);
  const [profileRow] = extraSources.length ? await conn.query(buildProfileSql(raw, extraSources)) : [{}];
  const extras = planExtras(kind, source.headers, extraSources, readProfile(profileRow ?? {}, extraSources.length), input.fileName);
  warnings.push(...extras.warnings);
  const columns = [...contract, ...extras.columns];
  const totalsSources = [0, 1].filter((i) => i < source.headers.length && source.typed?.[i] !== true && source.numeric?.[i] !== true);
  const check = buildCheckSelect({ raw, lines: { first: 2 }, out: '', columns, totalsSources });
  const chk = stagingName(kind, 'chk');
  const fin = stagingName(kind, 'fin');
  await conn.exec(`CREATE VIEW ${q(chk)} AS ${check.select}`);
  // finishPoints' final table for WGS84 without areas: the columns in order, area_id after lat.
  const finCols = columns.flatMap((c) => (c.out === 'lat' ? [q('lat'), 'NULL::VARCHAR AS area_id'] : [q(c.out)]));
  await conn.exec(`CREATE VIEW ${q(fin)} AS SELECT ${finCols.join(', ')} FROM ${q(chk)}`);
  const dupK = check.checks.length + 1;
  const checks: CheckSpec<RejectCode>[] = [
    ...check.checks,
    { k: dupK, column: 'customer_id', code: 'duplicate_id', reason: 'duplicateLine', params: { column: 'customer_id' } },
  ];
  return {
    fileName: input.fileName,
    rowsRead: source.rowsRead,
    chk,
    fin,
    checks,
    dupK,
    soft: check.soft,
    mapping,
    extraColumns: extras.columns.map((c) => ({ name: c.out, type: c.rule === 'number' ? 'DOUBLE' : 'VARCHAR' })),
    warnings,
    rawTexts: source.rawTexts!,
  };
}

/**
 * Each group column's values among the file's rows (rejected ones included: a superset of the
 * customers table's), codes 1.. in text order as groupDictSql; cut to the values counted after
 * the pass (namedCells), the same dictionary and codes as the table route.
 */
async function groupDictionaries(conn: NativeConnector, fin: string, groups: readonly string[]): Promise<string[][]> {
  const out: string[][] = [];
  for (let g = 0; g < groups.length; g++) {
    const col = q(groups[g]);
    await conn.exec(`CREATE OR REPLACE TEMP TABLE ${q(groupDictTable(g))} AS
SELECT v, CAST(row_number() OVER (ORDER BY v) AS INTEGER) AS code
FROM (SELECT DISTINCT CAST(${col} AS VARCHAR) AS v FROM ${q(fin)} WHERE ${col} IS NOT NULL)`);
    const rows = await conn.query<{ v: string }>(`SELECT v FROM ${q(groupDictTable(g))} ORDER BY code LIMIT ${MAX_GROUP_VALUES * 4 + 1}`);
    if (rows.length > MAX_GROUP_VALUES * 4) throw new GeneralWay(`--by ${groups[g]} has too many values`);
    out.push(rows.map((r) => r.v));
    await conn.exec(groupEnumSql(g));
  }
  return out;
}

/** The table route's NamedDemandCells: group codes renumbered over the values that were counted. */
function namedCells(dc: DemandCells, spec: CellSpec, dictionaries: string[][]): NamedDemandCells {
  const finalDicts = dictionaries.map((dict, g) => {
    const seen = new Uint8Array(dict.length + 1);
    for (const code of dc.groups[g]) seen[code] = 1;
    const remap = new Int32Array(dict.length + 1);
    const kept: string[] = [];
    for (let c = 1; c <= dict.length; c++) if (seen[c]) remap[c] = kept.push(dict[c - 1]);
    if (kept.length > MAX_GROUP_VALUES) throw new GeneralWay(`--by ${spec.groups[g]} has too many values`);
    for (let i = 0; i < dc.groups[g].length; i++) dc.groups[g][i] = remap[dc.groups[g][i]];
    return kept;
  });
  // Rows are sorted by (cell, combination); renumbering keeps the order (codes stay in text order).
  return { dc, groupColumns: [...spec.groups], dictionaries: finalDicts, sumColumns: [...spec.sums] };
}

interface PassResult {
  dc: DemandCells;
  rejectLines: Int32Array;
  rejectChecks: Int32Array;
  /** Unreadable values emptied, per soft column, among rows that passed the checks. */
  softCounts: number[];
  /** Id hashes seen more than once among rows that passed the checks. */
  candidates: bigint[];
}

/** Most soft columns the pass's row tag holds (one bit each, beside the filter's bit). */
const MAX_SOFT = 29;

/** The one pass: check, list rejects, hash ids, assign cells on worker threads, fold. */
async function streamPass(conn: NativeConnector, plan: Plan, spec: CellSpec, cardinality: readonly number[]): Promise<PassResult> {
  const params: SqlParam[] = [];
  const pass = filterClause(spec.filter, params);
  const soft = plan.soft.map((c, i) => `CASE WHEN c.${q(c.column)} THEN ${2 << i} ELSE 0 END`);
  // Per row, as few columns as the pass needs (each column costs the main thread a fetch per
  // 2,048 rows and a copy per row):
  //   x0 (INTEGER) the row's tag: −check for a rejected row; else bit 0 = counted (passes the
  //      filter), bit 1 + i = soft column i had an unreadable value;
  //   x1 (UBIGINT) a rejected row's line, else the hash of its customer_id;
  //   lon, lat, the sums and the group codes (read only for counted rows).
  const cols = [
    `CASE WHEN c.__bp_k IS NOT NULL THEN -c.__bp_k ELSE CAST(coalesce(${pass}, false) AS INTEGER)${soft.length ? ` + ${soft.join(' + ')}` : ''} END`,
    `CASE WHEN c.__bp_k IS NOT NULL THEN CAST(c.__bp_line AS UBIGINT) ELSE coalesce(hash(c.${q('customer_id')}), CAST(0 AS UBIGINT)) END`,
    `coalesce(CAST(c.${q('lon')} AS DOUBLE), CAST('NaN' AS DOUBLE))`,
    `coalesce(CAST(c.${q('lat')} AS DOUBLE), CAST('NaN' AS DOUBLE))`,
    ...spec.sums.map((s) => `coalesce(TRY_CAST(c.${q(s)} AS DOUBLE), CAST('NaN' AS DOUBLE))`),
    ...spec.groups.map((col, g) => groupCodeSql(`c.${q(col)}`, g)),
  ];
  const finCols = (await tableColumns(conn, plan.fin)).map((c) => `f.${q(c.name)}`);
  const softCols = plan.soft.map((c) => `f.${q(c.column)}`);
  // The customers table's columns (fin) with the check's line, result and soft flags beside them.
  const rows = `(SELECT f.__bp_line, f.__bp_k, ${[...softCols, ...finCols].join(', ')} FROM (SELECT *, NULL::VARCHAR AS area_id FROM ${q(plan.chk)}) f)`;
  const sql = `SELECT ${cols.map((c, i) => `${c} AS x${i}`).join(', ')} FROM ${rows} AS c`;

  const nSums = spec.sums.length;
  const nGroups = spec.groups.length;
  const folder = new DemandCellFolder(spec.resolutions, nSums, cardinality);
  const ids = new HashSet64(plan.rowsRead);
  const softCounts = plan.soft.map(() => 0);
  const rejLines = new GrowingInt32();
  const rejChecks = new GrowingInt32();
  const pool = new CellPool(Math.max(1, Math.min(4, availableParallelism())));
  const inFlight: Promise<() => void>[] = [];
  const maxInFlight = pool.size + 1;

  // Batch buffers of the counted rows: one set per batch (they go to the fold after the cells
  // come back).
  const alloc = () => ({
    lon: new Float64Array(BATCH_ROWS), lat: new Float64Array(BATCH_ROWS),
    sums: Array.from({ length: nSums }, () => new Float64Array(BATCH_ROWS)),
    groups: Array.from({ length: nGroups }, () => new Int32Array(BATCH_ROWS)),
  });
  type Buf = ReturnType<typeof alloc>;
  // Buffers come back once their batch is folded (each is ~16 MB and up: allocating one per
  // batch kept the garbage collector busy).
  const free: Buf[] = [];
  let lastReject = -1;
  let inversions = 0;
  const send = (b: Buf, m: number) => {
    const batch = {
      lon: b.lon.subarray(0, m), lat: b.lat.subarray(0, m),
      sums: b.sums.map((a) => a.subarray(0, m)), groups: b.groups.map((a) => a.subarray(0, m)),
    };
    const cells = Promise.all(spec.resolutions.map((r) => pool.assign(batch.lon, batch.lat, r)));
    inFlight.push(cells.then((c) => () => {
      folder.add(batch, c);
      free.push(b);
    }));
  };

  let buf = alloc();
  let m = 0; // counted rows in buf
  let counted = new Int32Array(2048); // a slice's counted rows
  try {
    for await (const slice of streamRowSlices(conn.conn, sql, params, BATCH_ROWS)) {
      const { take } = slice;
      if (counted.length < take) counted = new Int32Array(take);
      const tag = slice.column(0) as Int32Array;
      const key64 = slice.column(1) as unknown as BigUint64Array;
      const key = new Uint32Array(key64.buffer, key64.byteOffset, 2 * take);
      const lon = slice.column(2) as Float64Array;
      const lat = slice.column(3) as Float64Array;
      const sums = spec.sums.map((_, s) => slice.column(4 + s) as Float64Array);
      const groups = spec.groups.map((_, g) => slice.column(4 + nSums + g) as Int32Array);
      // rejects, soft counts, ids; which rows to count (in order)
      let k = 0;
      for (let i = 0; i < take; i++) {
        const t = tag[i];
        if (t < 0) {
          const line = key[2 * i];
          if (line <= lastReject) inversions++;
          lastReject = line;
          rejLines.push(line);
          rejChecks.push(-t);
          continue;
        }
        if (t > 1) for (let s = 0; s < softCounts.length; s++) if (t & (2 << s)) softCounts[s]++;
        ids.stage(key[2 * i], key[2 * i + 1]);
        if (t & 1) counted[k++] = i;
      }
      // the counted rows' values into the batch, a column at a time
      copyRows(buf.lon, m, lon, counted, k, take);
      copyRows(buf.lat, m, lat, counted, k, take);
      for (let s = 0; s < nSums; s++) copyRows(buf.sums[s], m, sums[s], counted, k, take);
      for (let g = 0; g < nGroups; g++) copyRows(buf.groups[g], m, groups[g], counted, k, take);
      m += k;
      if (slice.full) {
        send(buf, m);
        buf = free.pop() ?? alloc();
        m = 0;
        while (inFlight.length > maxInFlight) (await inFlight.shift()!)();
      }
    }
    if (m > 0) send(buf, m);
    while (inFlight.length) (await inFlight.shift()!)();
  } finally {
    pool.terminate();
  }
  if (process.env.BP_SQL_TRACE) console.error(`[in-place: ${inversions} rejects out of line order]`);
  return { dc: folder.finish(), rejectLines: rejLines.array(), rejectChecks: rejChecks.array(), softCounts, candidates: ids.drain() };
}

/** `dst[at + j] = src[rows[j]]` for the first `k` rows (all `n` of src when k = n: one copy). */
function copyRows<T extends Float64Array | Int32Array>(dst: T, at: number, src: T, rows: Int32Array, k: number, n: number): void {
  if (k === n) dst.set(src, at);
  else for (let j = 0; j < k; j++) dst[at + j] = src[rows[j]];
}

/**
 * Ids whose hash repeats, checked exactly: the loader's duplicate query over just the rows with
 * those hashes (every row of a repeated id has its hash). The number of ids really repeated.
 */
async function duplicateKeys(conn: NativeConnector, plan: Plan, hashes: readonly bigint[]): Promise<number> {
  const want = stagingName('customers', 'dupwant');
  const rows = stagingName('customers', 'duprows');
  const dups = stagingName('customers', 'dups');
  const distinct = [...new Set(hashes)];
  await conn.insertArrowIPC(want, tableToIPC(new Table({ h: makeVector({ type: new Uint64(), data: BigUint64Array.from(distinct) }) }), 'stream'));
  await conn.exec(`CREATE TABLE ${q(rows)} AS SELECT __bp_line, __bp_k, ${q('customer_id')} FROM ${q(plan.chk)}
    WHERE __bp_k IS NULL AND hash(${q('customer_id')}) IN (SELECT h FROM ${q(want)})`);
  await conn.exec(buildDuplicatesSql(rows, dups, ['customer_id']));
  const [{ n }] = await conn.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${q(dups)}`);
  await conn.exec(`${dropTableSql(want)}; ${dropTableSql(rows)}; ${dropTableSql(dups)}`);
  return n;
}

/** The rejects into the live rejects table, as loadTabular words them, with each row's text. */
async function insertRejects(conn: NativeConnector, plan: Plan, lines: Int32Array, ks: Int32Array): Promise<{ total: number; byCode: Partial<Record<RejectCode, number>> }> {
  if (lines.length > 0) {
    const checks = stagingName('customers', 'checks');
    const scratch = stagingName('customers', 'rej');
    await insertChecks(conn, checks, plan.checks);
    await conn.insertArrowIPC(scratch, tableToIPC(new Table({
      line: makeVector({ type: new Int32(), data: lines }),
      k: makeVector({ type: new Int32(), data: ks }),
    }), 'stream'));
    await conn.query(
      buildInsertRejectsSql(REJECTS_TABLE, `SELECT line AS __bp_line, k AS __bp_k, NULL::INTEGER AS __bp_first FROM ${q(scratch)}`, checks),
      ['customers', plan.fileName],
    );
    await conn.exec(`${dropTableSql(scratch)}; ${dropTableSql(checks)}`);
    // fillRawText's step: the rows' text read back from the file
    const distinct = [...new Set(lines)].sort((a, b) => a - b);
    const text = stagingName('customers', 'rawtext');
    await conn.insertArrowIPC(text, tableToIPC(new Table({
      line: makeVector({ type: new Int32(), data: Int32Array.from(distinct) }),
      raw: vectorFromArray(await plan.rawTexts(distinct), new Utf8()),
    }), 'stream'));
    await conn.query(
      `UPDATE ${q(REJECTS_TABLE)} AS r SET raw = m.raw FROM ${q(text)} AS m WHERE r.kind = $1 AND r.line = m.line AND r.raw IS NULL`,
      ['customers'],
    );
    await conn.exec(dropTableSql(text));
  }
  const counts = await conn.query<{ code: RejectCode; n: number }>(
    `SELECT code, count(*)::INTEGER AS n FROM ${q(REJECTS_TABLE)} WHERE kind = $1 GROUP BY code ORDER BY code`,
    ['customers'],
  );
  return { total: counts.reduce((s, c) => s + c.n, 0), byCode: Object.fromEntries(counts.map((c) => [c.code, c.n])) };
}

/** murmur3's 32-bit finaliser: every output bit depends on every input bit. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Slots per region of HashSet64 (64 KB of keys: a region being filled stays in the CPU's cache). */
const REGION_SLOTS = 1 << 13;

/**
 * A set of 64-bit keys (two uint32 halves), open addressing sized once from the row count
 * (load ≤ 0.8: 1 GB for 100M rows), cut into regions of REGION_SLOTS slots: a key lives in the
 * region its hash picks, probing wraps inside the region.
 *
 * `add` inserts at once and says whether the key was there already. `stage` defers: keys wait
 * in their region's queue and a full queue is inserted in one go (`drain` inserts the rest), so
 * the inserts of a queue hit one 64 KB region instead of a random place in 1 GB — the main
 * thread's slowest step at 100M rows was waiting on memory here. Staged keys found again are
 * listed by `drain` (each extra sighting once), in no particular order.
 */
export class HashSet64 {
  /** Slot s holds its key's halves at 2s, 2s + 1 (one cache line per probe); (0, 0) = empty. */
  private readonly keys: Uint32Array;
  private readonly regions: number;
  private readonly filled: Int32Array;
  private readonly queue: Uint32Array;
  private readonly queued: Int32Array;
  private readonly queueLen: number;
  private readonly repeats: bigint[] = [];
  private zero = false;

  constructor(expected: number, queueLen = 2048) {
    let cap = 1 << 16;
    while (cap < expected * 1.25 && cap < 2 ** 30) cap *= 2;
    this.keys = new Uint32Array(2 * cap);
    this.regions = cap / REGION_SLOTS;
    this.filled = new Int32Array(this.regions);
    this.queueLen = queueLen;
    this.queue = new Uint32Array(2 * queueLen * this.regions);
    this.queued = new Int32Array(this.regions);
  }

  add(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) {
      const had = this.zero;
      this.zero = true;
      return had;
    }
    const h = mix32(lo ^ Math.imul(hi, 0x9e3779b1));
    return this.insert(h & (this.regions - 1), h >>> 19, lo, hi);
  }

  /** Key into region r, starting at slot `start` of it; whether it was there already. */
  private insert(r: number, start: number, lo: number, hi: number): boolean {
    const keys = this.keys;
    const base = r * REGION_SLOTS;
    let s = start & (REGION_SLOTS - 1);
    for (;;) {
      const at = 2 * (base + s);
      const a = keys[at];
      const b = keys[at + 1];
      if (a === 0 && b === 0) {
        // a region is never filled up: probing would not end (the caller takes another way)
        if (++this.filled[r] >= REGION_SLOTS) throw new Error('internal: id hash region full');
        keys[at] = lo;
        keys[at + 1] = hi;
        return false;
      }
      if (a === lo && b === hi) return true;
      s = (s + 1) & (REGION_SLOTS - 1);
    }
  }

  stage(lo: number, hi: number): void {
    if (lo === 0 && hi === 0) {
      if (this.zero) this.repeats.push(0n);
      this.zero = true;
      return;
    }
    const h = mix32(lo ^ Math.imul(hi, 0x9e3779b1));
    const r = h & (this.regions - 1);
    const n = this.queued[r];
    const at = 2 * (r * this.queueLen + n);
    this.queue[at] = lo;
    this.queue[at + 1] = hi;
    if (n + 1 === this.queueLen) this.flush(r, n + 1);
    else this.queued[r] = n + 1;
  }

  private flush(r: number, n: number): void {
    const q = this.queue;
    for (let i = 0, at = 2 * r * this.queueLen; i < n; i++, at += 2) {
      const lo = q[at];
      const hi = q[at + 1];
      if (this.insert(r, mix32(lo ^ Math.imul(hi, 0x9e3779b1)) >>> 19, lo, hi)) this.repeats.push(BigInt(lo) | (BigInt(hi) << 32n));
    }
    this.queued[r] = 0;
  }

  /** Inserts every staged key; the keys staged so far that were found already (one entry per extra sighting). */
  drain(): bigint[] {
    for (let r = 0; r < this.regions; r++) if (this.queued[r] > 0) this.flush(r, this.queued[r]);
    return this.repeats.splice(0);
  }
}

class GrowingInt32 {
  private a = new Int32Array(1024);
  private n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  array(): Int32Array {
    return this.a.slice(0, this.n);
  }
}

/**
 * Worker threads assigning whole batches (one request = one batch at one resolution), taken in
 * turn, so the main thread keeps streaming while they work. A worker that fails is not asked
 * again; its batch is assigned here.
 */
class CellPool {
  private readonly helpers: AssignHelper[] = [];
  private next = 0;

  constructor(readonly size: number) {
    for (let w = 0; w < size; w++) {
      try {
        this.helpers.push(new AssignHelper(spawnNodeAssignWorker()));
      } catch {
        // fewer workers: their batches go to the others, or are assigned here
      }
    }
  }

  /** Cells of the points; `lon`/`lat` are copied (the batch keeps its own arrays). */
  async assign(lon: Float64Array, lat: Float64Array, resolution: number): Promise<BigUint64Array> {
    const live = this.helpers.filter((h) => !h.dead);
    if (live.length === 0 || lon.length === 0) return assignCells(lon, lat, resolution);
    try {
      return await live[this.next++ % live.length].assign(lon.slice(), lat.slice(), resolution);
    } catch {
      return assignCells(lon, lat, resolution);
    }
  }

  terminate(): void {
    for (const h of this.helpers) h.worker.terminate();
  }
}
