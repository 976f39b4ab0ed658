/**
 * `aggregate`: the demand-cell table of the customers (issue 13; README § Demand cells): one row
 * per (resolution, H3 cell, group values) with count and, per numeric customers column, sum_<col>
 * and n_<col>. Customers are validated by the same checks as every command and assigned to
 * cells on all cores as they stream (one pass over a Parquet file read in place: in-place.ts),
 * so memory grows with the number of cells, not of customers. `hotspots --cells` and `sites --demand cells` take the result, as
 * they take the same table computed by a warehouse.
 */
import type { Geometry } from 'geojson';
import { isNumericType } from '../sql/columns.ts';
import { UsageError, type CliArgs } from './args.ts';
import { INPUT_OPTIONS } from './common.ts';
import { loadCellsForCli } from './in-place.ts';
import { cellAreaIds, demandCellColumns, writeDemandCells } from './demand-cells-io.ts';
import { DataError, type CliContext, type CommandSpec } from './types.ts';

const { areas, customers, crs, map, rejects, lang, report } = INPUT_OPTIONS;

export const spec: CommandSpec = {
  name: 'aggregate',
  summary: 'Demand cells: customers per H3 cell (and per group) with count and sums of the numeric columns, as Parquet or CSV.',
  options: {
    areas, customers, crs, map, rejects, lang, report,
    resolution: { type: 'string', placeholder: 'R[,R…]', description: 'H3 resolution(s), 0–15, comma-separated (default 8)' },
    by: { type: 'string', placeholder: 'COL[,COL…]', description: 'group columns of the customers file, e.g. segment (default: none)' },
    out: { type: 'string', placeholder: 'FILE', description: 'the demand-cell table, .parquet or .csv (required)' },
  },
};

/** `8,9` → [8, 9]: distinct integers 0–15, in the order given. */
export function parseResolutions(text: string | undefined, command: string): number[] {
  const parts = (text ?? '8').split(',').map((s) => s.trim());
  const out: number[] = [];
  for (const p of parts) {
    const r = Number(p);
    if (p === '' || !Number.isInteger(r) || r < 0 || r > 15) throw new UsageError(`${command}: --resolution ${text}: each resolution must be an integer from 0 to 15`);
    if (!out.includes(r)) out.push(r);
  }
  return out;
}

export async function run(args: CliArgs, ctx: CliContext): Promise<number> {
  const out = args.string('out');
  if (out === undefined) throw new UsageError('aggregate: --out FILE.parquet (or .csv) is required');
  if (!/\.(parquet|csv)$/i.test(out)) throw new UsageError(`aggregate: --out ${out}: the file name must end in .parquet or .csv`);
  const resolutions = parseResolutions(args.string('resolution'), 'aggregate');
  const by = (args.string('by') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (new Set(by.map((b) => b.toLowerCase())).size !== by.length) throw new UsageError(`aggregate: --by ${args.string('by')}: a column is named twice`);

  const t0 = performance.now();
  const file = args.string('customers') ?? 'customers';
  const { data, table } = await loadCellsForCli(args, ctx, (columns) => {
    const names = new Set(columns.map((c) => c.name));
    for (const b of by) {
      if (!names.has(b) || b === 'lon' || b === 'lat' || b === 'area_id') {
        throw new DataError(`${file}: no column "${b}" to group by (columns: ${columns.map((c) => c.name).filter((c) => !['lon', 'lat', 'area_id'].includes(c)).join(', ')})`);
      }
    }
    const sums = columns.filter((c) => isNumericType(c.type) && !['lon', 'lat'].includes(c.name) && !by.includes(c.name)).map((c) => c.name);
    return { resolutions, groups: by, sums };
  });
  try {
    const t1 = performance.now();
    const features = data.areas?.features ?? [];
    const ids = cellAreaIds(table.dc, features.map((f) => f.geometry as Geometry), features.map((f) => String(f.properties.area_id)));
    await writeDemandCells(data.conn, table, ids, out, ctx);
    const t2 = performance.now();
    const customersTotal = table.dc.count.reduce((s, c, i) => s + (table.dc.resolution[i] === resolutions[0] ? c : 0), 0);
    const outside = ids.reduce((s, id, i) => s + (id === null && table.dc.resolution[i] === resolutions[0] ? table.dc.count[i] : 0), 0);
    ctx.stderr(
      `aggregate: ${customersTotal} customers → ${table.dc.cells.length} rows (${demandCellColumns(table).join(', ')}) ` +
        `at resolution ${resolutions.join(', ')}; ${outside} customers in cells outside the study area (area_id empty); ` +
        `read and counted in ${((t1 - t0) / 1000).toFixed(1)} s, written in ${((t2 - t1) / 1000).toFixed(1)} s\n`,
    );
    return 0;
  } finally {
    await data.close();
  }
}
