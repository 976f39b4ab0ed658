/**
 * Arrow ↔ native DuckDB (@duckdb/node-api) without the `arrow` extension (not available
 * offline): results are converted column by column into Arrow vectors, and Arrow IPC is
 * appended through data chunks. Only the types our tables use are mapped precisely; anything
 * else travels as text, which the loader casts explicitly anyway.
 */
import {
  Bool, Float64, Int32, Int64, Uint64, Utf8, Table, DataType, Type, tableFromIPC,
  vectorFromArray, type Vector, type Field,
} from 'apache-arrow';
import {
  DuckDBDataChunk, DuckDBTypeId, BOOLEAN, DOUBLE, INTEGER, BIGINT, UBIGINT, VARCHAR,
  type DuckDBConnection, type DuckDBType, type DuckDBResultReader, type DuckDBValue,
} from '@duckdb/node-api';
import { quoteIdent } from './connector.ts';

/** DuckDB result (fully read) → Arrow table. */
export function readerToArrow(reader: DuckDBResultReader): Table {
  const names = reader.columnNames();
  const columns = reader.getColumnsJS();
  const vectors: Record<string, Vector> = {};
  names.forEach((name, j) => {
    vectors[name] = toVector(reader.columnTypeId(j), (columns[j] ?? []) as unknown[]);
  });
  return makeTableFromVectors(names, vectors);
}

function toVector(typeId: DuckDBTypeId, values: unknown[]): Vector {
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN:
      return vectorFromArray(values as (boolean | null)[], new Bool());
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return vectorFromArray(values as (number | null)[], new Int32());
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return vectorFromArray(values as (number | null)[], new Float64());
    case DuckDBTypeId.BIGINT:
      return vectorFromArray(values as (bigint | null)[], new Int64());
    case DuckDBTypeId.UBIGINT:
      return vectorFromArray(values as (bigint | null)[], new Uint64());
    case DuckDBTypeId.HUGEINT:
      // Arrow JS has no 128-bit integer; DESIGN.md says cast sums before they reach JS.
      return vectorFromArray(values.map((v) => (v === null ? null : Number(v))), new Float64());
    case DuckDBTypeId.VARCHAR:
      return vectorFromArray(values as (string | null)[], new Utf8());
    default:
      return vectorFromArray(values.map((v) => (v === null ? null : textOf(v))), new Utf8());
  }
}

function textOf(v: unknown): string {
  return v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v, jsonBigint) : String(v);
}

function jsonBigint(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

function makeTableFromVectors(names: string[], vectors: Record<string, Vector>): Table {
  return names.length === 0 ? new Table() : new Table(vectors);
}

/** Arrow field → DuckDB column type for appending, with the JS value converter it needs. */
function columnFor(field: Field): { sqlType: DuckDBType; convert: (v: unknown) => DuckDBValue } {
  const t = field.type as DataType;
  switch (t.typeId) {
    case Type.Bool:
      return { sqlType: BOOLEAN, convert: (v) => v as boolean };
    case Type.Int: {
      const it = t as unknown as { bitWidth: number; isSigned: boolean };
      if (it.bitWidth < 32 || (it.bitWidth === 32 && it.isSigned)) return { sqlType: INTEGER, convert: (v) => v as number };
      if (it.bitWidth === 32) return { sqlType: BIGINT, convert: (v) => BigInt(v as number) };
      return it.isSigned
        ? { sqlType: BIGINT, convert: (v) => BigInt(v as bigint) }
        : { sqlType: UBIGINT, convert: (v) => BigInt(v as bigint) };
    }
    case Type.Float:
      return { sqlType: DOUBLE, convert: (v) => Number(v) };
    case Type.Decimal: {
      const scale = 10 ** (t as unknown as { scale: number }).scale;
      return { sqlType: DOUBLE, convert: (v) => Number(String(v)) / scale };
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      return { sqlType: VARCHAR, convert: (v) => v as string };
    case Type.Dictionary:
      return { sqlType: VARCHAR, convert: (v) => String(v) };
    default:
      return { sqlType: VARCHAR, convert: textOf };
  }
}

const CHUNK_ROWS = 2048;

/** Create `table` from an Arrow IPC stream and append its rows through data chunks. */
export async function appendArrowIPC(conn: DuckDBConnection, table: string, ipc: Uint8Array): Promise<void> {
  const arrow = tableFromIPC(ipc);
  const fields = arrow.schema.fields;
  const cols = fields.map(columnFor);
  const ddl = fields.map((f, j) => `${quoteIdent(f.name)} ${cols[j].sqlType.toString()}`).join(', ');
  await conn.run(`CREATE TABLE ${quoteIdent(table)} (${ddl})`);
  if (arrow.numRows === 0) return;
  const appender = await conn.createAppender(table);
  const types = cols.map((c) => c.sqlType);
  const vectors = fields.map((_, j) => arrow.getChildAt(j)!);
  for (let start = 0; start < arrow.numRows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, arrow.numRows - start);
    const chunk = DuckDBDataChunk.create(types, n);
    for (let j = 0; j < fields.length; j++) {
      const values: DuckDBValue[] = new Array(n);
      const vec = vectors[j];
      const convert = cols[j].convert;
      for (let i = 0; i < n; i++) {
        const v = vec.get(start + i);
        values[i] = v === null || v === undefined ? null : convert(v);
      }
      chunk.setColumnValues(j, values);
    }
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}
