/**
 * Parquet → raw table read by native DuckDB from disk (the CLI; LoadInput.path): the same raw
 * table as source-parquet.ts makes from bytes — columns `c0, c1, …` with the types the Arrow
 * route gives them (integers as INTEGER/BIGINT, floats and decimals as DOUBLE, other types as
 * text), line = row index + 2 — but the file never passes through the JS heap, so its size is
 * bounded by the disk, not by Node's 2 GB buffer. A glob reads every matched file, in file-name
 * order, rows numbered across them. Reject texts are read back from the file when needed.
 */
import { Int32, Table, Utf8, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Connector } from '../db/connector.ts';
import { quoteIdent } from '../sql/ident.ts';
import { FileProblemError } from './errors.ts';
import { loadWarning } from './load-warnings.ts';
import { dedupeHeaders, toCsvLine, type RawSource, type SourceNames } from './source.ts';

/** The raw column's type: what appendArrowIPC gives the Arrow type parquet-wasm would produce. */
function rawCast(c: string, type: string): string {
  const t = type.toUpperCase();
  if (t === 'VARCHAR' || t === 'BOOLEAN') return c;
  if (['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT'].includes(t)) return `CAST(${c} AS INTEGER)`;
  if (t === 'UINTEGER' || t === 'BIGINT') return `CAST(${c} AS BIGINT)`;
  if (t === 'UBIGINT') return c;
  if (t === 'FLOAT' || t === 'DOUBLE' || t.startsWith('DECIMAL')) return `CAST(${c} AS DOUBLE)`;
  return `CAST(${c} AS VARCHAR)`;
}

const NUMERIC_RAW = /^CAST\(c AS (INTEGER|BIGINT|DOUBLE)\)$/;

/**
 * `inPlace`: a file name registered with the connector (a link to `path`, never user text in
 * SQL) from which the raw "table" is made a VIEW (`rowid` = the file's row index), so the rows
 * are read where they lie instead of copied (the CLI's one-pass aggregation, src/cli/in-place.ts).
 * A single file only: a glob numbers rows across files.
 */
export async function readParquetPathSource(conn: Connector, fileName: string, path: string, names: SourceNames, inPlace?: string): Promise<RawSource> {
  const [{ n: matched }] = await conn.query<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM glob($1)`, [path]);
  if (matched === 0) throw new FileProblemError('matches no file');
  let schema: { column_name: string; column_type: string }[];
  let files: { file_name: string; num_rows: bigint | number }[];
  try {
    schema = await conn.query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet($1))`, [path]);
    files = await conn.query(`SELECT file_name, num_rows FROM parquet_file_metadata($1) ORDER BY file_name`, [path]);
  } catch {
    throw new FileProblemError('could not be read as Parquet: the file is damaged or not Parquet, or a glob matched files with different columns');
  }
  if (schema.length === 0) throw new FileProblemError('has no columns');
  const counts = files.map((f) => Number(f.num_rows));
  const rows = counts.reduce((s, n) => s + n, 0);
  if (rows === 0) throw new FileProblemError('has columns but no rows');
  if (rows > 2 ** 31 - 3) throw new FileProblemError(`has ${rows} rows; at most ${2 ** 31 - 3} rows can be numbered`);
  const headers = dedupeHeaders(schema.map((s) => s.column_name));
  // Numeric raw columns are validated as numbers, not printed to text and parsed back (the same
  // values: DuckDB prints a DOUBLE in its shortest round-trip form); at 100M rows the text round
  // trip was most of the load.
  const numeric = schema.map((s) => NUMERIC_RAW.test(rawCast('c', s.column_type)) || s.column_type.toUpperCase() === 'UBIGINT');
  const casts = (alias: string) => schema.map((s, j) => `${rawCast(`${alias}.${quoteIdent(s.column_name)}`, s.column_type)} AS c${j}`).join(', ');
  if (inPlace !== undefined && (files.length !== 1 || !/^[\w.-]+$/.test(inPlace))) throw new Error('internal: in-place Parquet needs one file and a plain registered name');
  try {
    if (inPlace !== undefined) {
      await conn.exec(`CREATE VIEW ${quoteIdent(names.raw)} AS SELECT ${casts('p')}, p.file_row_number AS rowid FROM read_parquet('${inPlace}', file_row_number = true) AS p`);
    } else await conn.query(`CREATE TABLE ${quoteIdent(names.raw)} AS SELECT ${casts('p')} FROM read_parquet($1) AS p`, [path]);
  } catch (e) {
    if (/out of memory/i.test(String((e as Error)?.message))) {
      throw new FileProblemError('is too big for the memory DuckDB may use here; raise BP_MEMORY_LIMIT or free disk space for DuckDB to spill to');
    }
    throw new FileProblemError('could not be read to the end as Parquet: part of the file is damaged (was it copied completely?)');
  }
  // first global row index of each file (files in the order DuckDB reads them: by name)
  const offsets = counts.map((_, k) => counts.slice(0, k).reduce((s, n) => s + n, 0));

  const rawTexts = async (lines: readonly number[]): Promise<(string | null)[]> => {
    const wanted = lines.map((line) => {
      const i = line - 2;
      let k = offsets.length - 1;
      while (k > 0 && offsets[k] > i) k--;
      return i < 0 || i >= rows ? null : { line, file: files[k].file_name, row: i - offsets[k] };
    });
    const ok = wanted.filter((w): w is NonNullable<typeof w> => w !== null);
    const scratch = `${names.raw}_want`;
    const text = new Map<number, string>();
    if (ok.length > 0) {
      const t = new Table({
        line: makeVector({ type: new Int32(), data: Int32Array.from(ok, (w) => w.line) }),
        file: vectorFromArray(ok.map((w) => w.file), new Utf8()),
        frn: makeVector({ type: new Int32(), data: Int32Array.from(ok, (w) => w.row) }),
      });
      await conn.insertArrowIPC(scratch, tableToIPC(t, 'stream'));
      try {
        const got = await conn.query<Record<string, unknown>>(
          `SELECT w.line AS __bp_line, ${casts('p')}
           FROM read_parquet($1, filename = true, file_row_number = true) AS p
           JOIN ${quoteIdent(scratch)} AS w ON p.filename = w.file AND p.file_row_number = w.frn`,
          [path],
        );
        for (const r of got) text.set(Number(r.__bp_line), toCsvLine(schema.map((_, j) => valueText(r[`c${j}`]))));
      } finally {
        await conn.exec(`DROP TABLE IF EXISTS ${quoteIdent(scratch)}`);
      }
    }
    return lines.map((l) => text.get(l) ?? null);
  };

  return {
    format: 'parquet',
    headers,
    numeric,
    lines: { first: 2, count: rows },
    rowsRead: rows,
    readerRejects: [],
    rawText: () => null,
    rawTexts,
    warnings: [files.length > 1 ? loadWarning('parquetLinesFiles', { file: fileName, files: files.length }) : loadWarning('parquetLines', { file: fileName })],
  };
}

function valueText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}
