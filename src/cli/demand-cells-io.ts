/**
 * The demand-cell table in the CLI (Node-only adapters around src/pipeline/cells): aggregate the
 * loaded customers on native DuckDB in streamed batches (cells assigned on all cores), write the
 * table as Parquet or CSV, and read one back (ours, or a warehouse's GROUP BY; README § Demand
 * cells) for `hotspots --cells` and `sites --demand cells`.
 *
 * Column contract: h3 (15-hex-digit H3 index as text; an integer form is accepted on input),
 * resolution (0–15, the cell's own), area_id (the study area owning the cell, empty outside
 * the study area; informational, never used on input), the group columns, count (customers),
 * then per numeric column `sum_<col>` (sum of its non-empty values) and `n_<col>` (how many).
 */
import { copyFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { Float64, Int32, Table, Utf8, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { bigintToH3, buildStudyGrid, locateCells } from '../core/grid.ts';
import { AssignPool } from '../pipeline/hotspots/hotspot-assign.ts';
import { aggregateDemandCells, parseCell, type DemandCells } from '../pipeline/cells/demand-cells.ts';
import type { NativeConnector } from '../db/native-connector.ts';
import { quoteIdent } from '../sql/ident.ts';
import { groupDictSql, groupDictTable, groupEnumSql, groupEnumType, pointBatchSql } from '../sql/demand-cells.ts';
import type { HotspotFilter } from '../sql/hotspots.ts';
import { spawnNodeAssignWorker } from './hotspot-assign-node.ts';
import { streamPointBatches } from './native-batches.ts';
import { DataError, type CliContext } from './types.ts';
import { UsageError } from './args.ts';

/** A group column with more distinct values than this is not a category (e.g. customer_id). */
export const MAX_GROUP_VALUES = 10_000;

export interface NamedDemandCells {
  dc: DemandCells;
  /** Group column names and, per column, its values (code k ↔ values[k − 1]). */
  groupColumns: string[];
  dictionaries: string[][];
  /** Summed column names (sum_<name>, n_<name>). */
  sumColumns: string[];
}

/** Helper workers for the cell assignment: all cores but the one reading batches. */
export function assignPool(): AssignPool {
  return new AssignPool(spawnNodeAssignWorker, Math.max(1, Math.min(3, availableParallelism() - 1)));
}

/** Aggregate the loaded `customers` table into demand cells, reading it in batches. */
export async function aggregateCustomers(
  conn: NativeConnector,
  opts: { resolutions: readonly number[]; groups: readonly string[]; sums: readonly string[]; filter?: HotspotFilter; onRows?: (rows: number) => void },
): Promise<NamedDemandCells> {
  const dictionaries: string[][] = [];
  for (let g = 0; g < opts.groups.length; g++) {
    await conn.exec(groupDictSql('customers', opts.groups[g], g));
    const rows = await conn.query<{ v: string }>(`SELECT v FROM ${quoteIdent(groupDictTable(g))} ORDER BY code`);
    if (rows.length > MAX_GROUP_VALUES) {
      throw new DataError(`--by ${opts.groups[g]}: the column has ${rows.length} distinct values; group columns must be categories (at most ${MAX_GROUP_VALUES})`);
    }
    dictionaries.push(rows.map((r) => r.v));
    await conn.exec(groupEnumSql(g));
  }
  const { sql, params } = pointBatchSql('customers', opts.sums, opts.groups, opts.filter);
  const pool = assignPool();
  try {
    const dc = await aggregateDemandCells(streamPointBatches(conn.conn, sql, params, opts.sums.length, opts.groups.length), {
      resolutions: opts.resolutions,
      sums: opts.sums.length,
      groupCardinality: dictionaries.map((d) => d.length),
      assign: (lon, lat, r) => pool.assign(lon, lat, r),
      onBatch: opts.onRows,
    });
    return { dc, groupColumns: [...opts.groups], dictionaries, sumColumns: [...opts.sums] };
  } finally {
    pool.terminate();
    for (let g = 0; g < opts.groups.length; g++) {
      await conn.exec(`DROP TYPE IF EXISTS ${quoteIdent(groupEnumType(g))}; DROP TABLE IF EXISTS ${quoteIdent(groupDictTable(g))}`);
    }
  }
}

/** area_id of each row's cell: the study area owning it at the row's resolution, null outside. */
export function cellAreaIds(dc: DemandCells, geometries: readonly Geometry[], areaIds: readonly string[]): (string | null)[] {
  const out: (string | null)[] = new Array(dc.cells.length).fill(null);
  const areas = geometries.map((g) => ({ geometry: g as Polygon | MultiPolygon }));
  for (const r of new Set(dc.resolution)) {
    const rows: number[] = [];
    for (let i = 0; i < dc.cells.length; i++) if (dc.resolution[i] === r) rows.push(i);
    const grid = buildStudyGrid(areas, r);
    const { index } = locateCells(grid, BigUint64Array.from(rows, (i) => dc.cells[i]));
    rows.forEach((i, k) => {
      if (index[k] >= 0) out[i] = areaIds[grid.areaIndex[index[k]]];
    });
  }
  return out;
}

/** The table's columns in contract order. */
export function demandCellColumns(t: NamedDemandCells): string[] {
  return ['h3', 'resolution', 'area_id', ...t.groupColumns, 'count', ...t.sumColumns.flatMap((s) => [`sum_${s}`, `n_${s}`])];
}

/** Write the table to `out` (.parquet or .csv, by extension) through DuckDB's COPY. */
export async function writeDemandCells(conn: NativeConnector, t: NamedDemandCells, areaIds: (string | null)[], out: string, ctx: CliContext): Promise<void> {
  const ext = extname(out).toLowerCase();
  if (ext !== '.parquet' && ext !== '.csv') throw new UsageError(`--out ${out}: the file name must end in .parquet or .csv`);
  const { dc } = t;
  const cols: Record<string, ReturnType<typeof makeVector>> = {
    h3: vectorFromArray(Array.from(dc.cells, bigintToH3), new Utf8()),
    resolution: makeVector({ type: new Int32(), data: dc.resolution }),
    area_id: vectorFromArray(areaIds, new Utf8()),
  };
  t.groupColumns.forEach((name, g) => {
    cols[`g${g}`] = vectorFromArray(Array.from(dc.groups[g], (k) => (k === 0 ? null : t.dictionaries[g][k - 1])), new Utf8());
  });
  cols.count = makeVector({ type: new Float64(), data: dc.count });
  t.sumColumns.forEach((_, s) => {
    cols[`s${s}`] = makeVector({ type: new Float64(), data: dc.sums[s] });
    cols[`n${s}`] = makeVector({ type: new Float64(), data: dc.nonEmpty[s] });
  });
  const staging = '__bp_demand_cells';
  await conn.exec(`DROP TABLE IF EXISTS ${staging}`);
  await conn.insertArrowIPC(staging, tableToIPC(new Table(cols), 'stream'));
  // Contract names are given in SQL (quoted), so a user column called "h3" or "count" cannot clash with ours.
  const select = [
    'h3', 'resolution', 'area_id',
    ...t.groupColumns.map((name, g) => `g${g} AS ${quoteIdent(name)}`),
    'CAST(count AS BIGINT) AS count',
    ...t.sumColumns.flatMap((name, s) => [`s${s} AS ${quoteIdent(`sum_${name}`)}`, `CAST(n${s} AS BIGINT) AS ${quoteIdent(`n_${name}`)}`]),
  ];
  const names = demandCellColumns(t);
  if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) {
    throw new UsageError(`the output columns would repeat a name (${names.join(', ')}): rename a --by column`);
  }
  // The file is written inside the connector's private directory, then copied: the user's path
  // never becomes SQL text.
  const tmpName = `demand-cells${ext}`;
  await conn.exec(`COPY (SELECT ${select.join(', ')} FROM ${staging} ORDER BY resolution, h3) TO '${conn.fileRoot}${tmpName}' (${ext === '.parquet' ? 'FORMAT parquet' : 'FORMAT csv, HEADER true'})`);
  await conn.exec(`DROP TABLE ${staging}`);
  copyFileSync(`${conn.fileRoot}${tmpName}`, resolve(ctx.cwd, out));
  await conn.dropFile(tmpName);
}

/**
 * Read a demand-cell file (ours or a warehouse's) at `resolution`. Rows that cannot be used are
 * listed (line = row index + 2, as for Parquet inputs) and left out; a file without usable rows
 * at that resolution is a DataError.
 */
export async function readDemandCells(
  conn: NativeConnector,
  path: string,
  fileName: string,
  need: { resolution: number; groups: readonly string[]; sum: string | null },
): Promise<{ table: NamedDemandCells; problems: string[]; rows: number }> {
  const isParquet = /\.parquet$/i.test(path);
  const from = isParquet ? 'read_parquet($1)' : 'read_csv($1, header = true, all_varchar = true)';
  let header: { column_name: string }[];
  try {
    header = await conn.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${from})`, [path]);
  } catch {
    throw new DataError(`${fileName}: could not be read as a ${isParquet ? 'Parquet' : 'CSV'} demand-cell table (columns h3, resolution, count, …)`);
  }
  const have = new Map(header.map((h) => [h.column_name.toLowerCase(), h.column_name]));
  const required = ['h3', 'resolution', 'count', ...need.groups, ...(need.sum ? [`sum_${need.sum}`, `n_${need.sum}`] : [])];
  const missing = required.filter((c) => !have.has(c.toLowerCase()));
  if (missing.length) {
    throw new DataError(`${fileName}: a demand-cell table needs the column(s) ${missing.join(', ')} (it has ${header.map((h) => h.column_name).join(', ')})`);
  }
  const col = (c: string) => quoteIdent(have.get(c.toLowerCase())!);
  const select = [
    `CAST(${col('h3')} AS VARCHAR) AS h3`, `CAST(${col('resolution')} AS VARCHAR) AS resolution`, `CAST(${col('count')} AS VARCHAR) AS count`,
    ...need.groups.map((g, k) => `CAST(${col(g)} AS VARCHAR) AS g${k}`),
    ...(need.sum ? [`CAST(${col(`sum_${need.sum}`)} AS VARCHAR) AS s`, `CAST(${col(`n_${need.sum}`)} AS VARCHAR) AS n`] : []),
  ];
  const rows = await conn.query<Record<string, string | null>>(`SELECT ${select.join(', ')} FROM ${from}`, [path]);
  const problems: string[] = [];
  const keep: { cell: bigint; count: number; groups: (string | null)[]; s: number; n: number }[] = [];
  let atResolution = 0;
  rows.forEach((r, i) => {
    const line = i + 2;
    const bad = (column: string, why: string) => problems.push(`${fileName}: line ${line}, column ${column}: ${why}`);
    const res = Number(r.resolution);
    if (!Number.isInteger(res) || res < 0 || res > 15) return bad('resolution', `"${r.resolution ?? ''}" is not an H3 resolution (0–15)`);
    if (res !== need.resolution) return;
    atResolution++;
    const cell = parseCell(r.h3);
    if (cell === null) return bad('h3', `"${r.h3 ?? ''}" is not an H3 cell index`);
    if (Number((cell >> 52n) & 0xfn) !== res) return bad('h3', `cell ${r.h3} is not at resolution ${res}`);
    const count = Number(r.count);
    if (!Number.isFinite(count) || count < 0 || !Number.isInteger(count)) return bad('count', `"${r.count ?? ''}" is not a customer count`);
    let s = 0;
    let n = 0;
    if (need.sum) {
      s = r.s === null || r.s === '' ? 0 : Number(r.s);
      n = Number(r.n);
      if (!Number.isFinite(s)) return bad(`sum_${need.sum}`, `"${r.s}" is not a number`);
      if (!Number.isInteger(n) || n < 0 || n > count) return bad(`n_${need.sum}`, `"${r.n ?? ''}" must be a whole number from 0 to count`);
    }
    keep.push({ cell, count, groups: need.groups.map((_, k) => r[`g${k}`] ?? null), s, n });
  });
  if (keep.length === 0) {
    const why = atResolution === 0 ? `has no rows at resolution ${need.resolution}` : 'has no usable rows';
    throw new DataError(`${fileName} ${why}${problems.length ? `:\n${problems.slice(0, 10).join('\n')}` : ''}`);
  }
  const dictionaries = need.groups.map((_, k) => [...new Set(keep.map((x) => x.groups[k]).filter((v): v is string => v !== null))].sort());
  const codes = dictionaries.map((d) => new Map(d.map((v, j) => [v, j + 1])));
  const m = keep.length;
  const dc: DemandCells = {
    resolution: new Int32Array(m).fill(need.resolution),
    cells: BigUint64Array.from(keep, (x) => x.cell),
    groups: need.groups.map((_, k) => Int32Array.from(keep, (x) => (x.groups[k] === null ? 0 : codes[k].get(x.groups[k]!)!))),
    count: Float64Array.from(keep, (x) => x.count),
    sums: need.sum ? [Float64Array.from(keep, (x) => x.s)] : [],
    nonEmpty: need.sum ? [Float64Array.from(keep, (x) => x.n)] : [],
    noCell: 0,
  };
  return { table: { dc, groupColumns: [...need.groups], dictionaries, sumColumns: need.sum ? [need.sum] : [] }, problems, rows: rows.length };
}
