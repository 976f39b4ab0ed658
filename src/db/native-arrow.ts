/**
 * Arrow ↔ native DuckDB (@duckdb/node-api) without the `arrow` extension (not available
 * offline). Fixed-width numeric columns move as typed arrays, chunk by chunk (1M doubles in
 * milliseconds); other values go through node-api's JS converter. Only the types our tables use
 * are mapped precisely; anything else travels as text, which the loader casts explicitly anyway.
 */
import {
  Bool, Float64, Int32, Int64, Uint64, Utf8, Table, Type, tableFromIPC, makeVector, vectorFromArray,
  type DataType, type Vector, type Field,
} from 'apache-arrow';
import {
  DuckDBDataChunk, DuckDBTypeId, JSDuckDBValueConverter, BOOLEAN, DOUBLE, INTEGER, BIGINT, UBIGINT, VARCHAR,
  type DuckDBConnection, type DuckDBType, type DuckDBMaterializedResult, type DuckDBValue,
} from '@duckdb/node-api';
import { quoteIdent } from '../sql/ident.ts';

/** node-api keeps a fixed-width vector's data in `items`, a typed array view we can copy. */
interface ItemsVector {
  items?: { length: number; subarray(a: number, b: number): ArrayLike<number | bigint> };
  getItem(i: number): unknown;
  flush(): void;
}

type TypedCtor = Float64ArrayConstructor | Int32ArrayConstructor | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

const TYPED: Partial<Record<DuckDBTypeId, [TypedCtor, () => DataType]>> = {
  [DuckDBTypeId.DOUBLE]: [Float64Array, () => new Float64()],
  [DuckDBTypeId.INTEGER]: [Int32Array, () => new Int32()],
  [DuckDBTypeId.BIGINT]: [BigInt64Array, () => new Int64()],
  [DuckDBTypeId.UBIGINT]: [BigUint64Array, () => new Uint64()],
};

/** A materialized DuckDB result → Arrow table. */
export function resultToArrow(result: DuckDBMaterializedResult): Table {
  const names = result.columnNames();
  const chunks = Array.from({ length: result.chunkCount }, (_, i) => result.getChunk(i));
  const rows = chunks.reduce((s, c) => s + c.rowCount, 0);
  const vectors: Record<string, Vector> = {};
  names.forEach((name, j) => {
    vectors[name] = columnVector(result.columnTypeId(j), chunks, j, rows);
  });
  return names.length === 0 ? new Table() : new Table(vectors);
}

function columnVector(typeId: DuckDBTypeId, chunks: DuckDBDataChunk[], j: number, rows: number): Vector {
  const typed = TYPED[typeId];
  if (typed) {
    const [Ctor, makeType] = typed;
    const out = new Ctor(rows);
    let at = 0;
    let copied = true;
    for (const chunk of chunks) {
      const v = chunk.getColumnVector(j) as unknown as ItemsVector;
      const n = chunk.rowCount;
      if (!v.items || v.items.length < n) copied = false;
      else (out as Float64Array).set(v.items.subarray(0, n) as Float64Array, at);
      for (let i = 0; i < n && copied; i++) if (v.getItem(i) === null) copied = false;
      if (!copied) break;
      at += n;
    }
    if (copied) return makeVector({ type: makeType() as Float64, data: out as Float64Array });
  }
  const values: unknown[] = [];
  for (const chunk of chunks) for (const v of chunk.convertColumnValues(j, JSDuckDBValueConverter)) values.push(v);
  return toVector(typeId, values);
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
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
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

/** Arrow column types whose `toArray()` is exactly the DuckDB vector's data layout. */
function sameLayout(field: Field, sqlType: DuckDBType): boolean {
  const t = field.type as DataType & { bitWidth?: number; isSigned?: boolean; precision?: number };
  if (sqlType === DOUBLE) return t.typeId === Type.Float && t.precision === 2; // Float64
  if (sqlType === INTEGER) return t.typeId === Type.Int && t.bitWidth === 32 && t.isSigned === true;
  if (sqlType === BIGINT) return t.typeId === Type.Int && t.bitWidth === 64 && t.isSigned === true;
  if (sqlType === UBIGINT) return t.typeId === Type.Int && t.bitWidth === 64 && t.isSigned === false;
  return false;
}

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
  // Numeric columns without nulls are copied as typed arrays; the rest value by value.
  const fast = fields.map((f, j) => (vectors[j].nullCount === 0 && sameLayout(f, cols[j].sqlType) ? vectors[j].toArray() : null));
  for (let start = 0; start < arrow.numRows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, arrow.numRows - start);
    const chunk = DuckDBDataChunk.create(types, n);
    for (let j = 0; j < fields.length; j++) {
      const typed = fast[j];
      const target = chunk.getColumnVector(j) as unknown as ItemsVector;
      if (typed && target.items && target.items.length >= n) {
        (target.items as unknown as Float64Array).set((typed as Float64Array).subarray(start, start + n));
        target.flush();
        continue;
      }
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
