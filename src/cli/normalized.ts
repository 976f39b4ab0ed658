/**
 * `validate --normalized DIR` (DESIGN.md › Real exports): the cleaned tables as CSV —
 * `customers.csv`, `sites.csv`, `indicators.csv`, `candidates.csv`, whichever were given — with
 * contract column names, coordinates in WGS84, kept rows only, numbers as plain numbers
 * (`"311,033.07"` → 311033.07, `3.56%` → 3.56), other columns under their original header.
 * Columns the loader derives (customers' area_id, indicators' period_index) are not written: they
 * are not inputs. Written in chunks, so a million rows never sit in memory as one string.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Connector } from '../db/connector.ts';
import { csvCell } from '../data/csv-write.ts';
import { tableColumns } from '../data/table-columns.ts';
import type { InputKind, LoadReport } from '../data/types.ts';
import { quoteIdent } from '../sql/ident.ts';

const DERIVED: Partial<Record<InputKind, string[]>> = { customers: ['area_id'], indicators: ['period_index'] };
const CHUNK = 50_000;

/** Write each loaded tabular kind to DIR/<kind>.csv; returns the paths written. */
export async function writeNormalized(conn: Connector, report: LoadReport, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const f of report.files) {
    if (f.kind === 'areas') continue;
    const skip = new Set(DERIVED[f.kind] ?? []);
    const columns = (await tableColumns(conn, f.kind)).map((c) => c.name).filter((c) => !skip.has(c));
    const path = join(dir, `${f.kind}.csv`);
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, columns.map(csvCell).join(',') + '\n');
      const select = columns.map(quoteIdent).join(', ');
      for (let from = 0; ; from += CHUNK) {
        const rows = await conn.query<Record<string, unknown>>(
          `SELECT ${select} FROM ${quoteIdent(f.kind)} WHERE rowid >= $1 AND rowid < $2 ORDER BY rowid`,
          [from, from + CHUNK],
        );
        if (rows.length === 0) break;
        writeSync(fd, rows.map((r) => columns.map((c) => csvCell(r[c])).join(',')).join('\n') + '\n');
      }
    } finally {
      closeSync(fd);
    }
    written.push(path);
  }
  return written;
}
