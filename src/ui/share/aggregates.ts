/**
 * Tables of aggregates a safe export writes as CSV next to a picture, so what leaves the
 * app can be checked as data. Workflows register theirs (e.g. hotspot cells with counts);
 * H3 tables with customer counts go through `safeCells` before they are written.
 *
 *     registerAggregateTable({
 *       id: 'hotspot-cells', label: () => t('hotspots.cells'),
 *       kind: 'h3-counts',
 *       rows: async () => cells,      // [{ h3, count, gi_z, ... }]
 *       sum: ['balance'],             // additive fields summed when cells merge
 *     });
 */
import type { CountCell } from '../../pipeline/share/safe-cells.ts';
import type { CsvValue } from '../../data/csv-write.ts';

export type AggregateTable =
  | {
      id: string;
      label: () => string;
      /** Customer counts per H3 cell: merged/hidden below k before export. */
      kind: 'h3-counts';
      rows: () => Promise<CountCell[]> | CountCell[];
      sum?: string[];
      /** Extra columns to write for cells that were not merged (e.g. gi_z). */
      columns?: string[];
    }
  | {
      id: string;
      label: () => string;
      /** Rows that are already aggregates over areas (indicators, risk index per district). */
      kind: 'area-rows';
      columns: () => string[];
      rows: () => Promise<Array<Record<string, CsvValue>>> | Array<Record<string, CsvValue>>;
    };

const tables = new Map<string, AggregateTable>();

export function registerAggregateTable(table: AggregateTable): () => void {
  tables.set(table.id, table);
  return () => {
    if (tables.get(table.id) === table) tables.delete(table.id);
  };
}

export function registeredAggregateTables(): AggregateTable[] {
  return [...tables.values()];
}

/** CSV columns of a safe H3 table: the cell, its resolution, count, how many cells it merges. */
export const CELL_COLUMNS = ['h3', 'resolution', 'count', 'merged'] as const;

/** Rows of a safe H3 export as CSV-ready records (extra columns copied when present). */
export function cellRows(cells: ReadonlyArray<CountCell & { resolution: number; merged: number }>, extra: readonly string[] = []): Array<Record<string, CsvValue>> {
  return cells.map((c) => {
    const r: Record<string, CsvValue> = { h3: c.h3, resolution: c.resolution, count: c.count, merged: c.merged };
    for (const f of extra) {
      const v = c[f];
      r[f] = typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : null;
    }
    return r;
  });
}
