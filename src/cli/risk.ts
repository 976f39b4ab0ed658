/**
 * `risk`: the area risk index of DESIGN.md ("Area risk index") for one period, from the same
 * config file the Risk tab saves. Output columns: area_id, risk_index, tier, rank, flags,
 * s_<indicator>… in the areas file's order; empty cells where a value is missing.
 *
 * With `--customers` the portfolio indicators (pf_npl_rate, pf_avg_balance, …; see
 * src/core/portfolio.ts) are computed with the app's SQL and can be used in the config.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Connector } from '../db/connector.ts';
import { indicatorTableFromRows, type IndicatorTable } from '../core/indicator-table.ts';
import { addPortfolioColumns } from '../core/portfolio.ts';
import { parseRiskConfig, type RiskConfig } from '../core/risk-config.ts';
import { computeRiskIndex, riskRows } from '../core/risk-index.ts';
import { tableColumns } from '../data/table-columns.ts';
import { isNumericType } from '../sql/columns.ts';
import { fetchPortfolio } from '../pipeline/risk/portfolio.ts';
import { UsageError, type CliArgs } from './args.ts';
import { INPUT_OPTIONS, OUT_OPTION, loadForCli } from './common.ts';
import { outputFormat, writeTable } from './output.ts';
import { DataError, type CliContext, type CommandSpec } from './types.ts';

export const spec: CommandSpec = {
  name: 'risk',
  summary: 'Composite area risk index (0–100), tier and rank per area, with normalised scores s_<indicator>.',
  options: {
    ...INPUT_OPTIONS,
    config: {
      type: 'string',
      placeholder: 'FILE.json',
      description: 'risk config: {"period", "normalization", "indicators": [{"column", "weight", "direction"}], "tiers"} (the Risk tab saves this file)',
    },
    ...OUT_OPTION,
  },
};

const KEY_COLUMNS = ['area_id', 'risk_index', 'tier', 'rank', 'flags'];

/** Read and parse the config file's JSON; a missing file is a usage error, bad JSON a data error. */
function readConfigJson(args: CliArgs, ctx: CliContext): { file: string; json: unknown } {
  const path = args.requireString('config');
  const full = resolve(ctx.cwd, path);
  if (!existsSync(full) || !statSync(full).isFile()) throw new UsageError(`risk: --config ${path}: no such file`);
  const file = basename(path);
  let text = readFileSync(full, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { file, json: JSON.parse(text) };
  } catch (e) {
    throw new DataError(`${file}: not valid JSON (${(e as Error).message}); the config looks like {"normalization": "minmax", "indicators": [{"column": "unemployment_rate", "weight": 1, "direction": "up"}], "tiers": [25, 50, 75]}`);
  }
}

/** The loaded indicators as the core's table, areas in the areas file's order. */
async function loadIndicatorTable(conn: Connector, areaIds: string[]): Promise<IndicatorTable> {
  const cols = await tableColumns(conn, 'indicators');
  const numeric = cols.filter((c) => isNumericType(c.type) && !['area_id', 'period', 'period_index'].includes(c.name)).map((c) => c.name);
  const periods = (await conn.query<{ period: string }>('SELECT DISTINCT period, period_index FROM indicators ORDER BY period_index')).map((r) => String(r.period));
  const rows = await conn.query('SELECT * FROM indicators ORDER BY period_index, area_id');
  return indicatorTableFromRows(rows, { areaIds, periods, columns: numeric });
}

/** Portfolio columns from the customers table, when customers were loaded with areas. */
async function withPortfolio(conn: Connector, table: IndicatorTable): Promise<IndicatorTable> {
  const pf = await fetchPortfolio(conn);
  if (pf.status === 'error') throw new DataError(`portfolio indicators could not be computed from the customers: ${pf.message}`);
  return pf.status === 'ok' ? addPortfolioColumns(table, pf.rows) : table;
}

export async function run(args: CliArgs, ctx: CliContext): Promise<number> {
  const out = args.string('out');
  outputFormat(out); // a bad --out is a usage error before any work
  const { file: configFile, json } = readConfigJson(args, ctx);

  const data = await loadForCli(args, ctx, ['areas', 'indicators']);
  try {
    const areaIds = (data.areas?.features ?? []).map((f) => String(f.properties.area_id));
    let table = await loadIndicatorTable(data.conn, areaIds);
    if (args.has('customers')) table = await withPortfolio(data.conn, table);

    const parsed = parseRiskConfig(json, Object.keys(table.values), table.periods);
    if (parsed.errors) {
      const lines = parsed.errors.map((e) => `${configFile}: ${e}`);
      if (!args.has('customers') && /'pf_/.test(parsed.errors.join(' '))) lines.push('(pf_… portfolio indicators are computed from customers: add --customers FILE)');
      throw new DataError(lines.join('\n'));
    }
    const config: RiskConfig = parsed.config;

    const result = computeRiskIndex(table, config);
    const rows = riskRows(result);
    writeTable(ctx, out, [...KEY_COLUMNS, ...result.scoreColumns], rows);

    const scored = rows.filter((r) => Number.isFinite(r.risk_index)).length;
    const insufficient = rows.length - scored;
    ctx.stderr(
      `risk: ${rows.length} areas at ${result.period} (${config.normalization}, ${config.indicators.length} indicators); ${scored} scored` +
        (insufficient ? `, ${insufficient} with insufficient_data` : '') +
        '\n',
    );
    return 0;
  } finally {
    await data.close();
  }
}
