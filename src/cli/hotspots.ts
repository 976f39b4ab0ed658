/**
 * `hotspots`: Getis-Ord Gi* demand hotspots on H3 cells, exactly as DESIGN.md § Demand
 * hotspots and the app's Hotspots tab compute them (same SQL, same HotspotEngine): every
 * study cell of the areas at `--resolution`, zeros included, in ascending cell order.
 * Output columns: h3, area_id, value, gi_z, p_value, class, then p_fdr with `--fdr` and
 * p_sim with `--permutations N`. gi_z and p_value are empty when Gi* is undefined (S = 0).
 *
 * With both `--fdr` and permutations, p_fdr adjusts p_sim (the p that classifies); classes
 * come from p_fdr, else p_sim, else z (hotspot-stats.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Geometry } from 'geojson';
import { HotspotWorkflow } from '../pipeline/hotspots/hotspot-workflow.ts';
import { connectorDbPort } from '../pipeline/hotspots/hotspot-db-port.ts';
import type { HotspotValue } from '../sql/hotspots.ts';
import { isNumericType } from '../sql/columns.ts';
import type { TableColumn } from '../data/table-columns.ts';
import { GI_CLASSES } from '../core/getis-ord.ts';
import { UsageError, type CliArgs } from './args.ts';
import { INPUT_OPTIONS, OUT_OPTION, loadForCli, type CliDataset } from './common.ts';
import { readDemandCells } from './demand-cells-io.ts';
import { loadCellsForCli, type CellSpec } from './in-place.ts';
import { cellTotalsFromDemandCells } from '../pipeline/cells/demand-cells.ts';
import type { CellTotals } from '../pipeline/hotspots/hotspot-stats.ts';
import { outputFormat, writeTable, type Row } from './output.ts';
import { DataError, type CliContext, type CommandSpec } from './types.ts';

export const spec: CommandSpec = {
  name: 'hotspots',
  summary: 'Getis-Ord Gi* demand hotspots on H3 cells: h3, area_id, value, gi_z, p_value, class (+ p_fdr, p_sim) for every study cell.',
  options: {
    ...INPUT_OPTIONS,
    cells: {
      type: 'string', placeholder: 'FILE',
      description: 'demand cells (.parquet or .csv: h3, resolution, count, sum_<col>, n_<col>, group columns) instead of --customers; `aggregate` or a warehouse writes them',
    },
    resolution: { type: 'number', placeholder: 'R', description: 'H3 resolution of the study grid, 0–15 (default 8; 7, 8, 9 suit a city)' },
    value: { type: 'string', placeholder: 'count|COLUMN', description: 'cell value: the number of customers (default), or the sum of a numeric customers column' },
    filter: { type: 'list', placeholder: 'COL=VALUE', description: 'keep customers whose COL, read as text, equals VALUE (repeatable; all must hold)' },
    rings: { type: 'number', placeholder: 'D', description: 'neighbours: cells within grid distance D, the cell itself included (default 1)' },
    fdr: { type: 'boolean', description: 'Benjamini–Hochberg false discovery rate correction over all cells (adds p_fdr)' },
    permutations: { type: 'number', placeholder: 'P', description: 'conditional permutations for pseudo p-values (adds p_sim; default 0 = none)' },
    seed: { type: 'number', placeholder: 'N', description: 'seed of the permutations (default 1)' },
    ...OUT_OPTION,
  },
};

/** `COL=VALUE` pairs, split at the first `=`. */
export function parseFilters(items: readonly string[]): { column: string; value: string }[] {
  return items.map((item) => {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`hotspots: --filter ${JSON.stringify(item)} must look like COLUMN=VALUE (e.g. --filter segment=young)`);
    return { column: item.slice(0, at), value: item.slice(at + 1) };
  });
}

export async function run(args: CliArgs, ctx: CliContext): Promise<number> {
  const out = args.string('out');
  outputFormat(out);
  const resolution = args.integer('resolution', 8, 0, 15);
  const rings = args.integer('rings', 1, 0, 10);
  const permutations = args.integer('permutations', 0, 0, 99_999);
  const seed = args.integer('seed', 1, 0, 2 ** 32 - 1);
  const fdr = args.flag('fdr');
  const valueArg = args.string('value', 'count');
  if (valueArg === '') throw new UsageError('hotspots: --value must be count or a column name');
  const equals = parseFilters(args.list('filter'));
  const cellsPath = args.string('cells');
  if (cellsPath !== undefined && args.string('customers') !== undefined) {
    throw new UsageError('hotspots: give --customers or --cells, not both');
  }
  if (cellsPath !== undefined && args.string('areas') === undefined) throw new UsageError('hotspots: --areas FILE is required');

  // Customers are placed by their H3 cell (DESIGN.md § Grid), never by point-in-polygon here;
  // they are counted per cell as they are read (in-place.ts), never kept row by row.
  const value: HotspotValue = valueArg === 'count' ? { kind: 'count' } : { kind: 'sum', column: valueArg };
  let data: CliDataset;
  let fromCustomers: CellTotals | null = null;
  if (cellsPath === undefined) {
    const file = args.string('customers') ?? 'customers';
    const got = await loadCellsForCli(args, ctx, (columns) => customersSpec(columns, file, resolution, value, equals));
    data = got.data;
    fromCustomers = cellTotalsFromDemandCells(got.table.dc, { resolution, sum: value.kind === 'sum' ? 0 : null });
  } else {
    data = await loadForCli(args, ctx, ['areas'], { assignCustomerAreas: false });
  }
  const workflow = new HotspotWorkflow(connectorDbPort(data.conn));
  try {
    const features = data.areas?.features ?? [];
    const totals = fromCustomers ?? (await totalsFromCells(data, ctx, cellsPath!, resolution, value, equals));

    const dataset = workflow.open('cli', features.map((f) => f.geometry as Geometry));
    const r = await workflow.engine.compute({ resolution, rings, statistic: 'gi', measure: value.kind === 'sum' ? 'sum' : 'count', fdr, permutations, seed, totals });

    const grid = dataset.grid(resolution);
    const areaIds = features.map((f) => String(f.properties.area_id));
    const rows: Row[] = grid.h3.map((h3, i) => ({
      h3,
      area_id: areaIds[grid.areaIndex[i]],
      value: r.values[i],
      gi_z: r.z[i],
      p_value: r.p[i],
      class: GI_CLASSES[r.classCode[i]],
      p_fdr: r.pFdr?.[i],
      p_sim: r.pSim?.[i],
    }));
    const cols = ['h3', 'area_id', 'value', 'gi_z', 'p_value', 'class', ...(fdr ? ['p_fdr'] : []), ...(permutations > 0 ? ['p_sim'] : [])];
    writeTable(ctx, out, cols, rows);

    const count = (prefix: string) => r.classCode.reduce((n, c) => n + (GI_CLASSES[c].startsWith(prefix) ? 1 : 0), 0);
    ctx.stderr(
      `hotspots: ${rows.length} study cells at resolution ${resolution}, ${rings} ring(s); ${r.customersUsed} customers counted` +
        `${equals.length ? ` (after ${equals.length} filter(s))` : ''}; ${count('hot')} hot, ${count('cold')} cold\n`,
    );
    for (const n of r.notes) ctx.stderr(`warning: ${n.message}\n`);
    if (rows.length === 0) ctx.stderr('warning: no study cells: no area contains an H3 cell centre at this resolution (try a finer --resolution)\n');
    return 0;
  } finally {
    workflow.dispose();
    await data.close();
  }
}

/**
 * What to count per cell, checked against the customers' columns (a filter or --value column
 * that is missing or not numeric is a DataError).
 */
function customersSpec(
  columns: readonly TableColumn[], file: string, resolution: number, value: HotspotValue, equals: readonly { column: string; value: string }[],
): CellSpec {
  const known = new Map(columns.map((c) => [c.name, c.type]));
  for (const e of equals) {
    if (!known.has(e.column)) throw new DataError(`${file}: no column "${e.column}" to filter on (columns: ${[...known.keys()].filter((c) => !c.startsWith('__bp')).join(', ')})`);
  }
  if (value.kind === 'sum') {
    const type = known.get(value.column);
    if (type === undefined) throw new DataError(`${file}: no column "${value.column}" for --value (use count or a numeric column)`);
    if (!isNumericType(type)) throw new DataError(`${file}: column "${value.column}" is ${type}, not numeric: --value needs numbers to sum`);
  }
  return { resolutions: [resolution], groups: [], sums: value.kind === 'sum' ? [value.column] : [], filter: { equals } };
}

/** Per-cell totals from a demand-cell table (`aggregate`'s, or a warehouse's). */
async function totalsFromCells(
  data: CliDataset,
  ctx: CliContext,
  path: string,
  resolution: number,
  value: HotspotValue,
  equals: readonly { column: string; value: string }[],
): Promise<CellTotals> {
  const full = resolve(ctx.cwd, path);
  if (!existsSync(full) || !statSync(full).isFile()) throw new UsageError(`hotspots: --cells ${path}: no such file`);
  const groups = [...new Set(equals.map((e) => e.column))];
  const sum = value.kind === 'sum' ? value.column : null;
  const { table, problems, rows } = await readDemandCells(data.conn, full, basename(path), { resolution, groups, sum });
  for (const p of problems.slice(0, 20)) ctx.stderr(`warning: ${p}\n`);
  if (problems.length > 20) ctx.stderr(`warning: … and ${problems.length - 20} more row(s) left out\n`);
  ctx.stderr(`${basename(path)}: ${rows} demand-cell rows read, ${table.dc.cells.length} used at resolution ${resolution}, ${problems.length} left out\n`);
  const where = equals.map((e) => {
    const g = groups.indexOf(e.column);
    const code = table.dictionaries[g].indexOf(e.value) + 1;
    return { group: g, codes: new Set(code > 0 ? [code] : []) };
  });
  return cellTotalsFromDemandCells(table.dc, { resolution, sum: sum === null ? null : 0, where });
}
