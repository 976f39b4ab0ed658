/**
 * Parquet → raw table: duckdb-wasm has no parquet extension offline, so parquet-wasm decodes
 * the file to Arrow IPC, which is inserted with `insertArrowIPC` (the same path on both engines).
 * Columns are renamed `c0, c1, …` like the other readers; values keep their Parquet types
 * (validation casts them through text). Parquet has no lines: "line" is row index + 2, i.e. the
 * line the row would have in a CSV export with a header.
 */
import { Table, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';
import type { Connector } from '../db/connector.ts';
import { FileProblemError } from './errors.ts';
import { loadWarning } from './load-warnings.ts';
import { assertColumnLimit, dedupeHeaders, headerRenameWarnings, toCsvLine, type RawSource, type SourceNames } from './source.ts';

interface ParquetWasm {
  readParquet(bytes: Uint8Array): { intoIPCStream(): Uint8Array };
}

let parquetWasm: Promise<ParquetWasm> | null = null;

/**
 * parquet-wasm, loaded once. Under Node its package export is a ready module; in the browser the
 * ESM build needs its default `init()` (which fetches the .wasm next to the module, same origin).
 */
function loadParquetWasm(): Promise<ParquetWasm> {
  parquetWasm ??= import('parquet-wasm').then(async (mod) => {
    const m = mod as unknown as ParquetWasm & { default?: unknown };
    if (typeof m.default === 'function') await (m.default as () => Promise<unknown>)();
    return m;
  });
  return parquetWasm;
}

export async function readParquetSource(
  conn: Connector,
  fileName: string,
  bytes: Uint8Array,
  names: SourceNames,
): Promise<RawSource> {
  const pq = await loadParquetWasm();
  let arrow: Table;
  try {
    arrow = tableFromIPC(pq.readParquet(bytes).intoIPCStream());
  } catch (e) {
    throw FileProblemError.fromEngine(new Error(`parquet: ${(e as Error)?.message ?? String(e)}`));
  }
  const fields = arrow.schema.fields;
  if (fields.length === 0) throw new FileProblemError('has no columns');
  if (arrow.numRows === 0) throw new FileProblemError('has columns but no rows');
  assertColumnLimit(fields.length);
  const headers = dedupeHeaders(fields.map((f) => f.name));
  const vectors: Record<string, Vector> = {};
  fields.forEach((_, j) => {
    vectors[`c${j}`] = arrow.getChildAt(j)!;
  });
  await conn.insertArrowIPC(names.raw, tableToIPC(new Table(vectors), 'stream'));
  const lines = new Int32Array(arrow.numRows);
  for (let i = 0; i < lines.length; i++) lines[i] = i + 2;
  return {
    format: 'parquet',
    headers,
    lines,
    rowsRead: arrow.numRows,
    readerRejects: [],
    rawText: (line) => {
      const i = line - 2;
      if (i < 0 || i >= arrow.numRows) return null;
      return toCsvLine(fields.map((_, j) => valueText(arrow.getChildAt(j)!.get(i))));
    },
    warnings: [...headerRenameWarnings(fileName, fields.map((f) => f.name)), loadWarning('parquetLines', { file: fileName })],
  };
}

function valueText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}
