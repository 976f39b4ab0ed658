/**
 * Last step for point files: CRS conversion to WGS84 and, for customers, the area each point
 * falls in. Both are JS work (gcoord; exact point-in-polygon in src/core), so coordinates make
 * one round trip: out as Arrow (typed arrays, no per-row objects), back as Arrow joined on the
 * row's line, which is unique within a file. While the coordinates are here, customers also get
 * their H3 cell at the hotspot map's first resolution (`cells`): the map then needs no second
 * round trip of every coordinate after the load (at 6M customers that trip took longer than the
 * load itself).
 */
import { Float64, Int32, Table, Uint64, Utf8, tableFromIPC, tableToIPC, vectorFromArray, makeVector } from 'apache-arrow';
import { type Connector } from '../db/connector.ts';
import { quoteIdent } from '../sql/ident.ts';
import { assignPointsToAreas, type AreaIndex } from '../core/point-in-area.ts';
import { assignCells } from '../core/grid.ts';
import { convertPointsToWgs84 } from './crs.ts';
import type { Crs } from './types.ts';

/** Lines per slice of the coordinates round trip (≈ 24 MB of columns in JS at a time); tests lower it. */
export const POINT_SLICES = { lines: 1_000_000 };

export interface PointTables {
  /** Validated rows with `__bp_line`, `lon`, `lat`. */
  ok: string;
  /** Table to create. */
  fin: string;
  /** Scratch names. */
  pts: string;
  areaIds: string;
  /** `pts` as a TEMP table (source.ts tempScratch); else in the database file. */
  tempPts?: boolean;
  /**
   * Table to create with each point's H3 cell at `cellResolution`, in `fin`'s row order:
   * `rid BIGINT` (= the row's rowid in `fin`), `cell UBIGINT` (0 for a point without usable
   * coordinates) — the hotspot pipeline's derived table. Made only when the coordinates make
   * the round trip anyway (areas to assign or a CRS to convert) and the rows line up; absent
   * otherwise (the pipeline then assigns the cells itself).
   */
  cells?: string;
  cellResolution?: number;
}

export interface AreaLookup {
  index: AreaIndex;
  /** area_id of each area index. */
  ids: readonly string[];
}

/**
 * Create `fin` from `ok`: `columns` in order (lon/lat converted), with an `area_id` column after
 * `areaIdAfter` when given (NULL when `areas` is null). Returns the number of points inside no
 * area (undefined when no areas were given or no area_id column is made).
 */
export async function finishPoints(
  conn: Connector,
  t: PointTables,
  columns: readonly string[],
  areaIdAfter: string | null,
  crs: Crs,
  areas: AreaLookup | null,
  checkAbort: () => void,
): Promise<number | undefined> {
  const assign = areaIdAfter !== null && areas !== null;
  const select = (lonExpr: string, latExpr: string, areaExpr: string) =>
    columns
      .flatMap((c) => {
        const expr = c === 'lon' ? `${lonExpr} AS lon` : c === 'lat' ? `${latExpr} AS lat` : `o.${quoteIdent(c)}`;
        return c === areaIdAfter ? [expr, `${areaExpr} AS area_id`] : [expr];
      })
      .join(', ');
  if (crs === 'wgs84' && !assign) {
    // `ok` is in file order already (a filter over the checked rows, or sorted): no ORDER BY.
    await conn.exec(`CREATE TABLE ${quoteIdent(t.fin)} AS SELECT ${select('o.lon', 'o.lat', 'NULL::VARCHAR')} FROM ${quoteIdent(t.ok)} o`);
    return undefined;
  }
  // In slices of lines, so the JS side holds few slices of coordinates at a time (a 12M-row file
  // would otherwise cross as ~1 GB of columns and copies at once). `ok` is in line order and the
  // line is its sort key, so each slice is a range scan; slices are appended to `pts` in order.
  // Pipelined: while JS converts and assigns slice k, the engine appends slice k-1 and reads
  // slice k+1 (the connector runs its statements in order; DuckDB runs in a worker of its own).
  // `pts` is scratch (TEMP for small files, source.ts tempScratch).
  // WGS84 coordinates are unchanged: `pts` then holds only the line, area and cell.
  const cellsT = t.cells !== undefined && t.cellResolution !== undefined ? { table: quoteIdent(t.cells), resolution: t.cellResolution } : null;
  const converted = crs !== 'wgs84';
  await conn.exec(`DROP TABLE IF EXISTS ${quoteIdent(t.pts)}; DROP TABLE IF EXISTS ${quoteIdent(t.areaIds)}`);
  const ptsCols = ['__bp_line', ...(converted ? ['lon', 'lat'] : []), 'area_idx', ...(cellsT ? ['cell'] : [])];
  const ptsTypes: Record<string, string> = { __bp_line: 'INTEGER', lon: 'DOUBLE', lat: 'DOUBLE', area_idx: 'INTEGER', cell: 'UBIGINT' };
  await conn.exec(`CREATE ${t.tempPts ? 'TEMP ' : ''}TABLE ${quoteIdent(t.pts)} (${ptsCols.map((c) => `${c} ${ptsTypes[c]}`).join(', ')})`);
  if (cellsT) await conn.exec(`DROP TABLE IF EXISTS ${cellsT.table}`);
  const [range] = await conn.query<{ lo: number | null; hi: number | null }>(`SELECT min(__bp_line) AS lo, max(__bp_line) AS hi FROM ${quoteIdent(t.ok)}`);
  let outside = 0;
  const slice = `${t.pts}_slice`;
  const step = POINT_SLICES.lines;
  const lo0 = range?.lo ?? 0;
  const hi = range?.hi ?? -1;
  // One statement at a time, in the order asked (not every connector queues them itself).
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const p = tail.then(f);
    tail = p.catch(() => undefined);
    return p;
  };
  // No ORDER BY: `ok` is in line order already, and the alignment is checked below.
  const fetch = (lo: number) =>
    serial(() => conn.queryArrow(`SELECT __bp_line, lon, lat FROM ${quoteIdent(t.ok)} WHERE __bp_line >= ${lo} AND __bp_line < ${lo + step}`));
  const append = (ipc: Uint8Array): Promise<void> =>
    serial(async () => {
      if (conn.appendArrowIPC) return conn.appendArrowIPC(t.pts, ipc);
      await conn.insertArrowIPC(slice, ipc);
      await conn.exec(`INSERT INTO ${quoteIdent(t.pts)} SELECT * FROM ${quoteIdent(slice)}; DROP TABLE ${quoteIdent(slice)}`);
    });
  let next: Promise<Uint8Array> | null = lo0 <= hi ? fetch(lo0) : null;
  let appending: Promise<void> = Promise.resolve();
  try {
    for (let lo = lo0; next; lo += step) {
      const arrow = tableFromIPC(await next);
      next = lo + step <= hi ? fetch(lo + step) : null;
      checkAbort();
      const n = arrow.numRows;
      if (n === 0) continue;
      const line = Int32Array.from(arrow.getChild('__bp_line')?.toArray() ?? []);
      const lon = Float64Array.from(arrow.getChild('lon')?.toArray() ?? []);
      const lat = Float64Array.from(arrow.getChild('lat')?.toArray() ?? []);
      convertPointsToWgs84(lon, lat, crs);
      const areaIdx = assign ? assignPointsToAreas(areas.index, lon, lat) : new Int32Array(n).fill(-1);
      for (let i = 0; i < n; i++) if (areaIdx[i] < 0) outside++;
      const cols = {
        __bp_line: makeVector({ type: new Int32(), data: line }),
        ...(converted ? { lon: makeVector({ type: new Float64(), data: lon }), lat: makeVector({ type: new Float64(), data: lat }) } : {}),
        area_idx: makeVector({ type: new Int32(), data: areaIdx }),
        // The converted coordinates, as `fin` stores them: the cells the pipeline would assign.
        ...(cellsT ? { cell: makeVector({ type: new Uint64(), data: assignCells(lon, lat, cellsT.resolution) }) } : {}),
      };
      const ipc = tableToIPC(new Table(cols), 'stream');
      // One append in flight: the previous one has (almost always) finished while this slice was computed.
      await appending;
      appending = append(ipc);
    }
    await appending;
  } finally {
    // A failed slice leaves no read or append running when the caller cleans up.
    await Promise.allSettled([next, appending]);
  }
  checkAbort();
  const ids = areas?.ids ?? [];
  if (ids.length > 0) {
    const lookup = new Table({
      idx: makeVector({ type: new Int32(), data: Int32Array.from(ids, (_, i) => i) }),
      area_id: vectorFromArray([...ids], new Utf8()),
    });
    await conn.insertArrowIPC(t.areaIds, tableToIPC(lookup, 'stream'));
  } else {
    await conn.exec(`CREATE TABLE ${quoteIdent(t.areaIds)} (idx INTEGER, area_id VARCHAR)`);
  }
  // Both tables are in line order, so join them by position (no hash join, no sort) — after
  // checking that they really line up; otherwise join on the line.
  const ok = quoteIdent(t.ok);
  const ptsT = quoteIdent(t.pts);
  const [{ n: misaligned }] = await conn.query<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM ${ok} o POSITIONAL JOIN ${ptsT} p WHERE o.__bp_line IS DISTINCT FROM p.__bp_line`,
  );
  // area_id by list lookup (an uncorrelated subquery, evaluated once), not by a join, so the
  // row order stays the file's order.
  const areaExpr = `CASE WHEN p.area_idx >= 0 THEN (SELECT list(area_id ORDER BY idx) FROM ${quoteIdent(t.areaIds)})[p.area_idx + 1] END`;
  const from = misaligned === 0
    ? `${ok} o POSITIONAL JOIN ${ptsT} p`
    : `${ok} o JOIN ${ptsT} p ON p.__bp_line = o.__bp_line ORDER BY o.__bp_line`;
  const xy = converted ? ['p.lon', 'p.lat'] as const : ['o.lon', 'o.lat'] as const;
  await conn.exec(`CREATE TABLE ${quoteIdent(t.fin)} AS SELECT ${select(xy[0], xy[1], areaExpr)} FROM ${from}`);
  // Row k of `fin` is row k of `pts` (its rowid k) only when they were joined by position.
  if (cellsT && misaligned === 0) await conn.exec(`CREATE TABLE ${cellsT.table} AS SELECT rowid::BIGINT AS rid, cell FROM ${ptsT}`);
  await conn.exec(`DROP TABLE ${ptsT}; DROP TABLE ${quoteIdent(t.areaIds)}`);
  return assign ? outside : undefined;
}
