/**
 * `loadInputs`: the one loading entry point for the browser DB worker and the CLI.
 *
 * Every input is validated into `__bp_` staging tables; only when all of them are usable are the
 * live tables (`areas`, `indicators`, `customers`, `sites`, `candidates`, `rejects`) replaced, in
 * one transaction. A failed or cancelled load therefore leaves the previous data as it was. All
 * inputs are checked before giving up so one run reports every file-level problem.
 */
import type { Connector } from '../db/connector.ts';
import { tableColumns } from './table-columns.ts';
import { quoteIdent } from '../sql/ident.ts';
import {
  LIST_STAGING_SQL, REJECTS_COLUMNS_DDL, REJECTS_TABLE, STAGED_REJECTS, buildCommitSql, dropTableSql, dropViewSql, stagingName,
} from '../sql/load-tables.ts';
import { toUtf8 } from './decode.ts';
import { CELLS_TABLES_SQL, LOAD_CELLS_RESOLUTION, cellsTableName } from '../sql/hotspots.ts';
import { FileProblemError, LoadCancelled, LoadError } from './errors.ts';
import { areaLookup, loadAreas } from './load-areas.ts';
import { isParquet, isZip, loadTabular, looksLikeJson, type TabularContext } from './load-tabular.ts';
import { finishPoints, type AreaLookup } from './points.ts';
import { parseParams } from './reject-reasons.ts';
import {
  INPUT_KINDS, type AreaFeatureCollection, type FileProblem, type FileReport, type InputKind, type LoadHooks,
  type LoadInput, type LoadOptions, type LoadReport, type LoadStep, type RejectRow,
} from './types.ts';

/** Order of work: areas first (indicators and customers are checked against them). */
const ORDER: readonly InputKind[] = ['areas', 'indicators', 'customers', 'sites', 'candidates', 'demand_points', 'costs', 'demand_cells'];

export async function loadInputs(
  conn: Connector,
  inputs: readonly LoadInput[],
  options: LoadOptions = {},
  hooks: LoadHooks = {},
): Promise<LoadReport> {
  const started = Date.now();
  const { signal, onProgress } = hooks;
  checkInputs(inputs);
  const checkAbort = () => {
    if (signal?.aborted) throw new LoadCancelled();
  };
  checkAbort();
  const onAbort = () => void conn.interrupt().catch(() => undefined);
  signal?.addEventListener('abort', onAbort);
  const sorted = [...inputs].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  let lastFraction = 0;
  const progress = (i: number, step: LoadStep, within: number, input?: LoadInput) => {
    // Inputs share the bar equally; the commit is the last slice.
    lastFraction = Math.max(lastFraction, Math.min(1, (i + within) / (sorted.length + 1)));
    onProgress?.({ step, kind: input?.kind, file: input?.fileName, fraction: lastFraction });
  };
  const token = Math.random().toString(36).slice(2, 10);
  const append = new Set(options.append ?? []);
  try {
    await dropStaging(conn);
    await conn.exec(`CREATE TABLE ${quoteIdent(STAGED_REJECTS)} (${REJECTS_COLUMNS_DDL})`);
    const problems: FileProblem[] = [];
    const files: FileReport[] = [];
    const finals: { kind: InputKind; staged: string }[] = [];
    let areas: AreaFeatureCollection | null = options.areas ?? null;
    let lookup: AreaLookup | null = areas ? areaLookup(areas) : null;
    let areaRef: string | null = (await tableExists(conn, 'areas')) ? 'areas' : null;

    for (let i = 0; i < sorted.length; i++) {
      const input = sorted[i];
      checkAbort();
      try {
        const bytes = input.path !== undefined ? input.bytes : input.blob ? await blobData(input, input.blob) : await gunzipIfNeeded(input.bytes);
        if (input.kind === 'areas' && bytes instanceof Uint8Array) {
          progress(i, 'read', 0, input);
          const text = new TextDecoder().decode(toUtf8(bytes).bytes);
          const res = await loadAreas(conn, input, text);
          files.push(res.report);
          finals.push({ kind: 'areas', staged: res.table });
          areas = res.collection;
          lookup = areaLookup(areas);
          areaRef = res.table;
        } else {
          const ctx: TabularContext = {
            conn, areaRef, areas: lookup, checkAbort, token, assignCustomerAreas: options.assignCustomerAreas ?? true,
            appendTo: append.has(input.kind) && (await tableExists(conn, input.kind)) ? input.kind : null,
            progress: (step, within) => progress(i, step, within, input),
          };
          const report = await loadTabular(ctx, input as LoadInput & { kind: Exclude<InputKind, 'areas'> }, bytes);
          files.push(report);
          finals.push({ kind: input.kind, staged: stagingName(input.kind, 'fin') });
        }
      } catch (e) {
        if (signal?.aborted) throw new LoadCancelled();
        // Any other failure (DuckDB, parquet-wasm, exceljs, out of memory) is this file's problem,
        // told as a sentence; the staging tables are dropped below, the live ones untouched.
        const p = e instanceof FileProblemError ? e : FileProblemError.fromEngine(e);
        problems.push({
          kind: input.kind, file: input.fileName, message: p.message,
          ...(p.line !== undefined ? { line: p.line } : {}),
          ...(p.engine ? { code: p.engine.code, detail: p.engine.detail } : {}),
        });
      }
    }

    // New boundaries re-assign the customers already loaded (kept in step with the map).
    const areasLoaded = sorted.some((x) => x.kind === 'areas');
    const customersLoaded = sorted.some((x) => x.kind === 'customers');
    if (areasLoaded && !customersLoaded && lookup && problems.length === 0 && (await tableExists(conn, 'customers'))) {
      progress(sorted.length - 1, 'assign-areas', 0.9);
      await reassignCustomers(conn, lookup, checkAbort);
      finals.push({ kind: 'customers', staged: stagingName('customers', 'fin') });
    }

    if (problems.length > 0) {
      const rejects = await readRejects(conn, STAGED_REJECTS);
      throw new LoadError(problems, rejects, files);
    }
    checkAbort();
    progress(sorted.length, 'commit', 0);
    const existing = new Set<string>();
    for (const k of [...INPUT_KINDS, REJECTS_TABLE]) if (await tableExists(conn, k)) existing.add(k);
    const appended = sorted.filter((x) => append.has(x.kind) && existing.has(x.kind)).map((x) => x.kind);
    // Rejects of an appended kind stay: they belong to the rows that stay.
    const kinds = sorted.map((x) => x.kind).filter((k) => !appended.includes(k));
    // Customers' cells belong to the customers they were computed for: every derived cell table
    // goes when the customers change, and the load's own (staged with them) takes its place.
    const derived = finals.some((f) => f.kind === 'customers')
      ? {
          drop: (await conn.query<{ name: string }>(CELLS_TABLES_SQL)).map((r) => r.name),
          ...((await tableExists(conn, stagingName('customers', 'cells'))) ? { install: { staged: stagingName('customers', 'cells'), table: cellsTableName(LOAD_CELLS_RESOLUTION) } } : {}),
        }
      : undefined;
    try {
      await conn.exec(buildCommitSql(finals, kinds, { append: appended, existing: [...existing], keepPrevious: options.keepPrevious ?? false, derived }));
    } catch (e) {
      await conn.exec('ROLLBACK').catch(() => undefined);
      throw e;
    }
    const warnings = files.flatMap((f) => f.warnings);
    progress(sorted.length, 'done', 1);
    return {
      files,
      areas,
      tables: [...new Set([...finals.map((f) => f.kind), REJECTS_TABLE])],
      rowsRejected: files.reduce((s, f) => s + f.rowsRejected, 0),
      warnings,
      durationMs: Date.now() - started,
    };
  } catch (e) {
    if (signal?.aborted && !(e instanceof LoadCancelled)) throw new LoadCancelled();
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await dropStaging(conn).catch(() => undefined);
  }
}

function checkInputs(inputs: readonly LoadInput[]): void {
  const problems: FileProblem[] = [];
  const seen = new Set<InputKind>();
  for (const input of inputs) {
    if (!INPUT_KINDS.includes(input.kind)) {
      problems.push({ kind: input.kind, file: input.fileName, message: `unknown input kind "${String(input.kind)}"` });
    } else if (seen.has(input.kind)) {
      problems.push({ kind: input.kind, file: input.fileName, message: `a second ${input.kind} file; load one file per kind` });
    }
    seen.add(input.kind);
  }
  if (inputs.length === 0) problems.push({ kind: 'customers', file: '(none)', message: 'no input files given' });
  if (problems.length) throw new LoadError(problems);
}

async function gunzipIfNeeded(bytes: Uint8Array): Promise<Uint8Array> {
  if (!(bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new FileProblemError(`is a damaged gzip file (${(e as Error).message})`);
  }
}

/**
 * A Blob input: kept as the Blob when it may be a plain CSV (read in place, see source-csv.ts);
 * read into memory when it is areas (GeoJSON), compressed, Excel, Parquet or JSON.
 */
async function blobData(input: LoadInput, blob: Blob): Promise<Uint8Array | Blob> {
  const head = new Uint8Array(await blob.slice(0, 4096).arrayBuffer());
  const inMemory = input.kind === 'areas' || (head[0] === 0x1f && head[1] === 0x8b) || isZip(head) || isParquet(head) || looksLikeJson(head);
  return inMemory ? gunzipIfNeeded(new Uint8Array(await blob.arrayBuffer())) : blob;
}

async function tableExists(conn: Connector, name: string): Promise<boolean> {
  const rows = await conn.query(`SELECT 1 FROM duckdb_tables() WHERE table_name = $1 AND database_name = current_database() AND schema_name = 'main'`, [name]);
  return rows.length > 0;
}

async function dropStaging(conn: Connector): Promise<void> {
  const rows = await conn.query<{ name: string; type: 'VIEW' | 'TABLE' }>(LIST_STAGING_SQL);
  if (rows.length) await conn.exec(rows.map((r) => (r.type === 'VIEW' ? dropViewSql(r.name) : dropTableSql(r.name))).join('; '));
}

async function reassignCustomers(conn: Connector, lookup: AreaLookup, checkAbort: () => void): Promise<void> {
  const names = (await tableColumns(conn, 'customers')).map((c) => c.name).filter((c) => c !== 'area_id');
  const ok = stagingName('customers', 'ok');
  await conn.exec(`CREATE TABLE ${quoteIdent(ok)} AS SELECT (rowid + 1)::INTEGER AS __bp_line, ${names.map(quoteIdent).join(', ')} FROM customers`);
  await finishPoints(
    conn,
    {
      ok, fin: stagingName('customers', 'fin'), pts: stagingName('customers', 'pts'), areaIds: stagingName('customers', 'areaids'),
      cells: stagingName('customers', 'cells'), cellResolution: LOAD_CELLS_RESOLUTION,
    },
    names,
    'lat',
    'wgs84',
    lookup,
    checkAbort,
  );
  await conn.exec(dropTableSql(ok));
}

/** All rows of a rejects table (staging or live), for reports and the CLI: reason codes and their parameters. */
export async function readRejects(conn: Connector, table: string = REJECTS_TABLE, limit?: number): Promise<RejectRow[]> {
  const rows = await conn.query<Omit<RejectRow, 'params'> & { params: string | null }>(
    `SELECT kind, file, line, "column" AS column, reason, params, code, raw FROM ${quoteIdent(table)}
     ORDER BY file, line NULLS FIRST, "column"${limit !== undefined ? ' LIMIT ' + Math.max(0, Math.floor(limit)) : ''}`,
  );
  return rows.map((r) => ({ ...r, line: r.line === null ? null : Number(r.line), params: parseParams(r.params) }));
}
