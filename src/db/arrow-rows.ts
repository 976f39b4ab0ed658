/**
 * Arrow table → plain row objects for `Connector.query` (small results only). Values are
 * normalised to what the native connector returns, so callers see one shape on both engines:
 * integers up to 32 bits and floats → number, 64/128-bit integers → bigint, decimals → number,
 * text → string, booleans → boolean, dates/timestamps → Date, SQL NULL → null.
 */
import { DataType, type Table, type Field } from 'apache-arrow';

export function arrowRowsToObjects(table: Table): Record<string, unknown>[] {
  const fields = table.schema.fields;
  const cols = fields.map((_, j) => table.getChildAt(j));
  const convert = fields.map(converterFor);
  const rows: Record<string, unknown>[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (let j = 0; j < fields.length; j++) {
      const v = cols[j]!.get(i);
      row[fields[j].name] = v === null || v === undefined ? null : convert[j](v);
    }
    rows[i] = row;
  }
  return rows;
}

function converterFor(field: Field): (v: unknown) => unknown {
  const t = field.type;
  if (DataType.isDecimal(t)) {
    const scale = 10 ** t.scale;
    // Arrow JS returns decimals as a 128-bit word array; its toString gives the unscaled integer.
    return (v) => Number(String(v)) / scale;
  }
  if (DataType.isDate(t) || DataType.isTimestamp(t)) {
    return (v) => (v instanceof Date ? v : new Date(Number(v)));
  }
  if (DataType.isInt(t) && t.bitWidth === 64) return (v) => (typeof v === 'bigint' ? v : BigInt(v as number));
  return (v) => v;
}
