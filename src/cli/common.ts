/**
 * What every CLI command shares: the input options, and `loadForCli`, which reads the files,
 * runs the same loader as the browser (src/data) on native DuckDB, writes `--rejects` and
 * `--report`, and summarises rejects on stderr.
 */
import { closeSync, openSync, readFileSync, readSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileBlob, NativeConnector } from '../db/native-connector.ts';
import { loadInputs, readRejects } from '../data/load-inputs.ts';
import { LoadError, formatProblem } from '../data/errors.ts';
import { rejectsCsv } from '../data/import-rejects.ts';
import { CONTRACT } from '../data/column-guess.ts';
import {
  POINT_KINDS, type AreaFeatureCollection, type Crs, type FileProblem, type FileReport, type InputKind, type LoadInput,
  type LoadOptions, type LoadReport, type RejectRow, type ValueMapping,
} from '../data/types.ts';
import { valueMapText } from '../data/value-map.ts';
import { UsageError, type CliArgs, type OptionSpec } from './args.ts';
import { DataError, type CliContext } from './types.ts';
import { warningText, type LoadWarning } from '../data/load-warnings.ts';
import { cliLang, rejectSayer } from './reject-text.ts';

export const INPUT_OPTIONS: Record<string, OptionSpec> = {
  areas: { type: 'string', placeholder: 'FILE', description: 'area boundaries, GeoJSON FeatureCollection with area_id' },
  indicators: { type: 'string', placeholder: 'FILE', description: 'area indicators by period (CSV, .xlsx, Parquet)' },
  customers: { type: 'string', placeholder: 'FILE', description: 'customers with lon/lat (CSV, .xlsx, Parquet)' },
  sites: { type: 'string', placeholder: 'FILE', description: 'our and competitors\' sites (CSV, .xlsx, Parquet)' },
  candidates: { type: 'string', placeholder: 'FILE', description: 'candidate sites (CSV, .xlsx, Parquet)' },
  'demand-points': { type: 'string', placeholder: 'FILE', description: 'demand points point_id, lon, lat, optional weight ≥ 0 (default 1), e.g. compounds with households' },
  costs: { type: 'string', placeholder: 'FILE', description: 'travel costs demand_id, site_id, cost (same unit as --radius); a missing pair is unreachable' },
  crs: { type: 'string', placeholder: 'wgs84|gcj02|bd09', description: 'CRS of the point files; converted to WGS84 (default wgs84)' },
  sheet: { type: 'string', placeholder: 'NAME', description: 'Excel sheet to read from .xlsx inputs (default: the first)' },
  map: {
    type: 'list', placeholder: 'KIND:COLUMN=HEADER',
    description: 'read contract COLUMN of the KIND file from its column HEADER, instead of the guess (repeatable; empty HEADER: do not use one)',
  },
  value: {
    type: 'list', placeholder: 'COLUMN:WORD=VALUE',
    description: 'sites: read WORD in type as branch or atm, or in owner as own or a competitor name, before the built-in words (repeatable; e.g. type:柜台=branch, owner:总行=own)',
  },
  rejects: { type: 'string', placeholder: 'FILE', description: 'write rejected rows as CSV file,line,column,reason,raw' },
  lang: { type: 'string', placeholder: 'en|zh-CN', description: 'language of the reject reasons (--rejects, validate\'s list); default en' },
  report: { type: 'string', placeholder: 'FILE.json', description: 'write counts (rows read, rejected, outside the study area) and warnings' },
};

/** `--out` as every command declares it. */
export const OUT_OPTION: Record<string, OptionSpec> = {
  out: { type: 'string', placeholder: 'FILE', description: 'result file, .csv or .json (default: CSV to stdout)' },
};

const FILE_KINDS: readonly InputKind[] = ['areas', 'indicators', 'customers', 'sites', 'candidates', 'demand_points', 'costs'];
/** The option naming a kind's file: --demand-points for demand_points. */
const optionOf = (kind: InputKind) => kind.replace('_', '-');
const CRS: readonly Crs[] = ['wgs84', 'gcj02', 'bd09'];

export interface CliDataset {
  conn: NativeConnector;
  report: LoadReport;
  areas: AreaFeatureCollection | null;
  close(): Promise<void>;
}

export type CliLoadOutcome =
  | { ok: true; dataset: CliDataset }
  | { ok: false; conn: NativeConnector; problems: FileProblem[]; files: FileReport[]; rejects: RejectRow[] };

/** Read the input files named by the options (usage error when one is missing or unreadable). */
export async function readCliInputs(args: CliArgs, ctx: CliContext, required: readonly InputKind[] = []): Promise<LoadInput[]> {
  const crs = args.choice('crs', CRS, 'wgs84');
  const sheet = args.string('sheet');
  const maps = parseMaps(args);
  const values = parseValues(args);
  const inputs: LoadInput[] = [];
  for (const kind of FILE_KINDS) {
    const path = args.string(optionOf(kind));
    if (path === undefined) {
      if (required.includes(kind)) throw new UsageError(`${args.command}: --${optionOf(kind)} FILE is required`);
      continue;
    }
    const full = resolve(ctx.cwd, path);
    const glob = kind !== 'areas' && /[*?[]/.test(basename(path)) && /\.parquet$/i.test(path);
    if (!glob && (!existsSync(full) || !statSync(full).isFile())) throw new UsageError(`${args.command}: --${optionOf(kind)} ${path}: no such file`);
    // Parquet is read by DuckDB from disk (any size, never through the JS heap); so is a plain
    // UTF-8 CSV, given as a disk-backed Blob (scanned in chunks, read by DuckDB in place); the
    // rest (Excel, GeoJSON, CSV to convert) as bytes.
    const parquet = glob || (kind !== 'areas' && isParquetFile(full));
    const inPlace = !parquet && kind !== 'areas' && !isZipFile(full);
    if (!parquet && !inPlace && statSync(full).size > MAX_BYTES_IN_MEMORY) {
      throw new UsageError(
        `${args.command}: --${optionOf(kind)} ${path} is ${(statSync(full).size / 2 ** 30).toFixed(1)} GB; Excel and GeoJSON files are read into memory, ` +
          `at most ${MAX_BYTES_IN_MEMORY / 2 ** 30} GB. Convert it to Parquet, which is read from disk at any size ` +
          `(e.g. duckdb -c "COPY (FROM read_csv('${basename(path)}')) TO '${basename(path).replace(/\.[^.]*$/, '')}.parquet'"), or split it.`,
      );
    }
    inputs.push({
      kind,
      fileName: basename(path),
      bytes: parquet || inPlace ? new Uint8Array(0) : new Uint8Array(readFileSync(full)),
      ...(parquet ? { path: full } : {}),
      ...(inPlace ? { blob: await fileBlob(full) } : {}),
      ...(POINT_KINDS.includes(kind) ? { crs } : {}),
      ...(sheet !== undefined ? { sheet } : {}),
      ...(maps.has(kind) ? { mapping: maps.get(kind) } : {}),
      ...(kind === 'sites' && values ? { values } : {}),
    });
  }
  if (values && !inputs.some((i) => i.kind === 'sites')) throw new UsageError(`${args.command}: --value is given but there is no --sites file`);
  for (const kind of maps.keys()) {
    if (!inputs.some((i) => i.kind === kind)) throw new UsageError(`${args.command}: --map ${kind}:… is given but there is no --${optionOf(kind)} file`);
  }
  if (inputs.length === 0) throw new UsageError(`${args.command}: give at least one input (--areas, --indicators, --customers, --sites, --candidates, --demand-points, --costs)`);
  return inputs;
}

/**
 * DuckDB's memory limit in the CLI: BP_MEMORY_LIMIT (e.g. `8GB`), else 3 GB, so a 100M-row load
 * stays near 6 GB of RSS with the JS side; DuckDB spills to disk beyond it.
 */
export function cliMemoryLimit(): string {
  const v = process.env.BP_MEMORY_LIMIT?.trim();
  return v && /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(v) ? v : '3GB';
}

/** Node reads a file into one buffer only below 2 GiB. */
const MAX_BYTES_IN_MEMORY = 1.5 * 2 ** 30;

/** An .xlsx file (a zip) starts with PK\x03\x04. */
function isZipFile(path: string): boolean {
  return headOf(path, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
}

function headOf(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(n);
    return head.subarray(0, readSync(fd, head, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** A Parquet file starts with the magic bytes PAR1. */
function isParquetFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === 'PAR1';
  } finally {
    closeSync(fd);
  }
}

/**
 * `--map KIND:COLUMN=HEADER` options as a mapping per kind. COLUMN must be a contract column of
 * KIND; HEADER is taken as written (it may hold `:` or `=`), empty meaning "not mapped".
 */
function parseMaps(args: CliArgs): Map<InputKind, Record<string, string>> {
  const maps = new Map<InputKind, Record<string, string>>();
  for (const m of args.list('map')) {
    const match = /^([a-z]+):([A-Za-z_]+)=(.*)$/s.exec(m);
    const bad = (why: string) => new UsageError(`${args.command}: --map ${m}: ${why} (expected KIND:COLUMN=HEADER, e.g. customers:balance=存款余额)`);
    if (!match) throw bad('not of the form KIND:COLUMN=HEADER');
    const [, kind, column, header] = match;
    if (!FILE_KINDS.includes(kind as InputKind)) throw bad(`unknown kind "${kind}" (kinds: ${FILE_KINDS.join(', ')})`);
    const contract = [...CONTRACT[kind as InputKind].required, ...CONTRACT[kind as InputKind].optional];
    if (!contract.includes(column)) throw bad(`${kind} has no column "${column}" (columns: ${contract.join(', ')})`);
    const mapping = maps.get(kind as InputKind) ?? {};
    if (column in mapping) throw bad(`${kind}:${column} is mapped twice`);
    mapping[column] = header.trim();
    maps.set(kind as InputKind, mapping);
  }
  return maps;
}

/** `--value COLUMN:WORD=VALUE` options as the sites' value mapping (undefined when none). */
function parseValues(args: CliArgs): ValueMapping | undefined {
  const list = args.list('value');
  if (list.length === 0) return undefined;
  const values: { type: Record<string, 'branch' | 'atm'>; owner: Record<string, string> } = { type: {}, owner: {} };
  for (const v of list) {
    const match = /^(type|owner):(.+)=(.*)$/s.exec(v);
    const bad = (why: string) => new UsageError(`${args.command}: --value ${v}: ${why} (expected COLUMN:WORD=VALUE, e.g. type:柜台=branch or owner:总行=own)`);
    if (!match) throw bad('not of the form type:WORD=branch|atm or owner:WORD=VALUE');
    const [, column, word, to] = match;
    const value = to.trim();
    if (column === 'type') {
      if (value !== 'branch' && value !== 'atm') throw bad('a type is read as branch or atm');
      values.type[word.trim()] = value;
    } else {
      if (value === '') throw bad('give own or the competitor name to use');
      values.owner[word.trim()] = value;
    }
  }
  return values;
}

/**
 * Load the inputs on native DuckDB and write --rejects / --report. Never throws for data
 * problems: the outcome says what happened (the `validate` command reports both cases).
 */
export async function loadFilesForCli(
  args: CliArgs,
  ctx: CliContext,
  required: readonly InputKind[] = [],
  options: LoadOptions = {},
): Promise<CliLoadOutcome> {
  const inputs = await readCliInputs(args, ctx, required);
  const conn = await NativeConnector.create({ memoryLimit: cliMemoryLimit() });
  try {
    const report = await loadInputs(conn, inputs, options);
    await reportLoad(args, ctx, conn, report);
    const dataset: CliDataset = { conn, report, areas: report.areas, close: () => conn.close() };
    return { ok: true, dataset };
  } catch (e) {
    if (!(e instanceof LoadError)) {
      await conn.close();
      throw e;
    }
    const warnings = e.files.flatMap((f) => f.warnings);
    writeSideFiles(args, ctx, e.rejects, { ok: false, files: e.files, problems: e.problems, warnings: warnings.map(warningText) });
    summarise(ctx, e.files, e.problems, warnings);
    return { ok: false, conn, problems: e.problems, files: e.files, rejects: e.rejects };
  }
}

/** After a successful load: --rejects and --report written, one summary line per file on stderr. */
export async function reportLoad(args: CliArgs, ctx: CliContext, conn: NativeConnector, report: LoadReport): Promise<void> {
  const rejects = await readRejects(conn);
  writeSideFiles(args, ctx, rejects, { ok: true, files: report.files, problems: [], warnings: report.warnings.map(warningText) });
  summarise(ctx, report.files, [], report.warnings);
}

/**
 * For analysis commands: load, or fail with DataError (exit 1) naming every file problem.
 * The caller must `close()` the dataset.
 */
export async function loadForCli(
  args: CliArgs,
  ctx: CliContext,
  required: readonly InputKind[] = [],
  options: LoadOptions = {},
): Promise<CliDataset> {
  const outcome = await loadFilesForCli(args, ctx, required, options);
  if (outcome.ok) return outcome.dataset;
  await outcome.conn.close();
  throw new DataError(outcome.problems.map(formatProblem).join('\n'));
}

interface ReportJson {
  ok: boolean;
  /** Each file's warnings as codes and parameters. */
  files: FileReport[];
  problems: FileProblem[];
  /** Every warning as its English sentence. */
  warnings: string[];
}

function writeSideFiles(args: CliArgs, ctx: CliContext, rejects: readonly RejectRow[], report: ReportJson): void {
  const rejectsPath = args.string('rejects');
  if (rejectsPath !== undefined) {
    writeFileSync(resolve(ctx.cwd, rejectsPath), rejectsCsv(rejects, rejectSayer(cliLang(args)), { bom: false }));
  }
  const reportPath = args.string('report');
  if (reportPath !== undefined) {
    const totals = {
      rowsRead: report.files.reduce((s, f) => s + f.rowsRead, 0),
      rowsKept: report.files.reduce((s, f) => s + f.rowsKept, 0),
      rowsRejected: report.files.reduce((s, f) => s + f.rowsRejected, 0),
      outsideStudyArea: report.files.reduce((s, f) => s + (f.outsideStudyArea ?? 0), 0),
    };
    writeFileSync(resolve(ctx.cwd, reportPath), JSON.stringify({ ...report, totals }, null, 2) + '\n');
  }
}

/** One line per file on stderr, then warnings and problems. */
function summarise(ctx: CliContext, files: readonly FileReport[], problems: readonly FileProblem[], warnings: readonly LoadWarning[]): void {
  for (const f of files) {
    const codes = Object.entries(f.rejectsByCode).map(([c, n]) => `${n} ${c}`).join(', ');
    const outside = f.outsideStudyArea !== undefined ? `; ${f.outsideStudyArea} outside the study area` : '';
    ctx.stderr(`${f.file}: ${f.rowsRead} ${f.kind === 'areas' ? 'features' : 'rows'} read, ${f.rowsKept} kept, ${f.rowsRejected} rejected${codes ? ` (${codes})` : ''}${outside}\n`);
    for (const l of f.valueMap ?? []) ctx.stderr(`${f.file}: ${l.column} ${valueMapText(l)}\n`);
  }
  for (const w of warnings) ctx.stderr(`warning: ${warningText(w)}\n`);
  for (const p of problems) ctx.stderr(`error: ${formatProblem(p)}\n`);
}
