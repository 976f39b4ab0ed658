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
import type { Geometry } from 'geojson';
import { spawnNodeAssignWorker } from './hotspot-assign-node.ts';
import { HotspotWorkflow } from '../pipeline/hotspots/hotspot-workflow.ts';
import { connectorDbPort } from '../pipeline/hotspots/hotspot-db-port.ts';
import type { HotspotFilter, HotspotValue } from '../sql/hotspots.ts';
import { isNumericType } from '../sql/columns.ts';
import { tableColumns } from '../data/table-columns.ts';
import { GI_CLASSES } from '../core/getis-ord.ts';
import { UsageError, type CliArgs } from './args.ts';
import { INPUT_OPTIONS, OUT_OPTION, loadForCli } from './common.ts';
import { outputFormat, writeTable, type Row } from './output.ts';
import { DataError, type CliContext, type CommandSpec } from './types.ts';

export const spec: CommandSpec = {
  name: 'hotspots',
  summary: 'Getis-Ord Gi* demand hotspots on H3 cells: h3, area_id, value, gi_z, p_value, class (+ p_fdr, p_sim) for every study cell.',
  options: {
    ...INPUT_OPTIONS,
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

  const data = await loadForCli(args, ctx, ['areas', 'customers']);
  const workflow = new HotspotWorkflow(connectorDbPort(data.conn), { spawnAssignWorker: spawnNodeAssignWorker, assignHelpers: 1 });
  try {
    const features = data.areas?.features ?? [];
    const columns = await tableColumns(data.conn, 'customers');
    const known = new Map(columns.map((c) => [c.name, c.type]));
    const file = args.string('customers') ?? 'customers';
    for (const e of equals) {
      if (!known.has(e.column)) throw new DataError(`${file}: no column "${e.column}" to filter on (columns: ${[...known.keys()].filter((c) => !c.startsWith('__bp')).join(', ')})`);
    }
    let value: HotspotValue = { kind: 'count' };
    if (valueArg !== 'count') {
      const type = known.get(valueArg);
      if (type === undefined) throw new DataError(`${file}: no column "${valueArg}" for --value (use count or a numeric column)`);
      if (!isNumericType(type)) throw new DataError(`${file}: column "${valueArg}" is ${type}, not numeric: --value needs numbers to sum`);
      value = { kind: 'sum', column: valueArg };
    }
    const filter: HotspotFilter = { equals };

    const dataset = workflow.open('cli', features.map((f) => f.geometry as Geometry));
    await dataset.ensureAssigned(resolution);
    const r = await dataset.compute(
      { resolution, rings, statistic: 'gi', measure: value.kind === 'sum' ? 'sum' : 'count', fdr, permutations, seed },
      { value, filter },
    );

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
