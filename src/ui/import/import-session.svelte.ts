/**
 * The import workflow's state (Svelte 5 runes): files waiting to be loaded with their choices
 * (kind, sheet, CRS, column mapping), the report of the last load, and the dataset kept in the
 * browser. Loads go through load-dataset.svelte.ts (status-bar task with progress and cancel);
 * a failed or cancelled load leaves the dataset on screen as it was.
 */
import * as Comlink from 'comlink';
import type { LoadOutcome, LocalizedText } from '../../pipeline/dataset/db-api.ts';
import type { Crs, InputKind, LoadInput } from '../../data/types.ts';
import { crsFromName, explicitMapping, initialChoice, pendingProblems, setMappingColumn, takesCrs, type PendingProblem } from '../../data/import-detect.ts';
import type { Inspection } from '../../data/import-inspect.ts';
import { shouldAskCrs } from '../../data/crs-prompt.ts';
import type { ImportInspectorApi } from '../../../workers/contracts.ts';
import { app } from '../app/app-state.svelte.ts';
import { DbWorkerDied } from '../app/workers.ts';
import { whileBusy } from '../app/tasks.svelte.ts';
import { CapacityRefused, loadDemo, loadFiles, refuseIfTooBig, reopenKept, restorePrevious, tagKept } from './load-dataset.svelte.ts';
import {
  clearStoredDataset, isQuotaError, mergeStored, readStoredDataset, requestPersistentStorage, restoreBatches, writeStoredDataset, type StoredDataset, type StoredInput,
} from './persist-dataset.ts';

export interface PendingFile {
  id: number;
  /** The dropped or picked file; read again at each Load (its bytes are transferred to the DB worker). */
  file: File;
  info: Inspection | null;
  inspecting: boolean;
  kind: InputKind;
  /** The kind was recognised from the columns (otherwise it is a guess the user should check). */
  recognised: boolean;
  sheet?: string;
  crs: Crs;
  mapping: Record<string, string>;
  mappingOpen: boolean;
  /** The file looks Chinese and its CRS was not chosen yet (nor remembered for its name): ask. */
  crsAsk: boolean;
  /** Sites: the user's value mapping, before the built-in words (src/data/value-map.ts). */
  values: { type: Record<string, 'branch' | 'atm'>; owner: Record<string, string> };
}

export interface ImportReport {
  outcome: LoadOutcome;
  source: 'import' | 'restore';
  /** Names of the files this load brought. */
  loaded: string[];
}

/** The default name of a dataset the user loaded, in both languages. */
const DEFAULT_NAME: LocalizedText = { en: 'Your data', 'zh-CN': '您的数据' };

let inspector: { remote: Comlink.Remote<ImportInspectorApi>; failed: Promise<never> } | null = null;

/**
 * Inspect a file in the inspector worker. A worker that cannot start (or dies) rejects the call
 * instead of leaving it pending forever (comlink alone would never settle it).
 */
function inspectInWorker(file: File): Promise<Inspection> {
  if (!inspector) {
    const worker = new Worker(new URL('../../../workers/import-inspect.worker.ts', import.meta.url), { type: 'module', name: 'import-inspect' });
    const failed = new Promise<never>((_, reject) =>
      worker.addEventListener('error', (e) => {
        inspector = null;
        reject(new Error(e.message || 'the import inspector worker failed'));
      }),
    );
    failed.catch(() => undefined);
    inspector = { remote: Comlink.wrap<ImportInspectorApi>(worker), failed };
  }
  return Promise.race([inspector.remote.inspect(file, file.name), inspector.failed]);
}

let nextId = 1;

/** Why a load ended without an outcome: the panel says it in the user's language. */
export interface LoadFailure {
  reason: 'died' | 'unreadable' | 'failed';
  files: string[];
}

/**
 * The DB worker died during the load (killed, out of memory), a file could no longer be read
 * (moved, changed or deleted since it was added: the browser's NotReadableError/NotFoundError),
 * or anything else.
 */
export function loadFailureReason(e: unknown): LoadFailure['reason'] {
  if (e instanceof DbWorkerDied) return 'died';
  if (e instanceof DOMException && (e.name === 'NotReadableError' || e.name === 'NotFoundError')) return 'unreadable';
  return 'failed';
}

/** Why "Restore the previous data" failed: said in the user's language, never the error's text. */
export type UndoFailure = 'died' | 'nothing' | 'failed';

/** Nothing to restore (the engine no longer holds the previous data). */
class NothingToRestore extends Error {
  override readonly name = 'NothingToRestore';
}

/** The DB worker died during the restore (killed, out of memory), there was nothing to restore, or anything else. */
export function undoFailureReason(e: unknown): UndoFailure {
  if (e instanceof DbWorkerDied) return 'died';
  if (e instanceof NothingToRestore) return 'nothing';
  return 'failed';
}

class ImportSession {
  files = $state<PendingFile[]>([]);
  /** Dataset name typed by the user ('' = default). */
  name = $state('');
  /** Start a new dataset with only these files (offered when they include areas). */
  replaceAll = $state(true);
  report = $state.raw<ImportReport | null>(null);
  /** A load is being prepared or runs (files being read, the worker busy). */
  loading = $state(false);
  cancelled = $state(false);
  /** A load that failed for another reason than the data (unreadable file, dead or failing worker). */
  loadError = $state.raw<LoadFailure | null>(null);
  /** What the browser keeps (mirror of the IndexedDB record without the bytes), null = nothing. */
  stored = $state.raw<{ savedAt: number; files: string[]; base: 'demo' | 'none' } | null>(null);
  storeError = $state<string | null>(null);
  /** With `storeError`: the browser had no room for the copy (bytes of the files it was to keep). */
  storeFull = $state<{ bytes: number } | null>(null);
  /** The dataset just loaded is being written to this browser's storage (a reload now would lose it). */
  saving = $state(false);
  /** A saved dataset that could not be restored at startup (kept until the user decides). */
  restoreFailed = $state(false);
  restoring = $state(false);

  /** Per kind already loaded: what a file of that kind does (unset = not chosen yet: ask). */
  modes = $state<Partial<Record<InputKind, 'replace' | 'append'>>>({});
  /** The last load of files can be undone (the DB worker keeps the tables it replaced). */
  canUndo = $state(false);
  undone = $state(false);
  undoError = $state<UndoFailure | null>(null);

  /** The record describing the dataset on screen (kept in memory even if writing it failed). */
  private current: StoredDataset | null = null;
  /** The record before the last load of files, written back by `undo`. */
  private before: StoredDataset | null = null;

  /**
   * Kinds among the pending files that the dataset on screen has rows of, with those counts:
   * for each the user chooses replace or append before loading (nothing is replaced silently).
   * A new dataset (areas with "start a new dataset") replaces everything and asks nothing.
   */
  readonly conflicts: Array<{ kind: InputKind; rows: number }> = $derived.by(() => {
    const counts = app.dataset?.summary.counts;
    if (!counts || (this.hasAreas && this.replaceAll)) return [];
    const rows: Record<InputKind, number> = {
      areas: counts.areas, indicators: counts.indicators, customers: counts.customers, sites: counts.sites,
      candidates: counts.candidates, demand_points: counts.demand_points, costs: counts.costs, demand_cells: counts.demand_cells,
    };
    const kinds = [...new Set(this.files.map((f) => f.kind))];
    return kinds.filter((k) => (rows[k] ?? 0) > 0).map((kind) => ({ kind, rows: rows[kind] ?? 0 }));
  });

  /** Conflicting kinds without a choice yet (Load waits for them). */
  readonly unchosen: InputKind[] = $derived(this.conflicts.filter((c) => this.modes[c.kind] === undefined).map((c) => c.kind));

  setMode(kind: InputKind, mode: 'replace' | 'append'): void {
    if (kind === 'areas' && mode === 'append') return; // areas are replaced only
    this.modes = { ...this.modes, [kind]: mode };
  }

  readonly hasAreas = $derived(this.files.some((f) => f.kind === 'areas'));

  readonly problems: PendingProblem[] = $derived(
    pendingProblems(
      this.files.map((f) => ({
        id: f.id,
        name: f.file.name,
        kind: f.kind,
        mapping: f.mapping,
        headersKnown: (this.headersOf(f)?.length ?? 0) > 0,
        hasFeatureIds: f.info?.hasFeatureIds,
        inspecting: f.inspecting,
        unsupported: f.info?.problem === 'xls',
        crsUnanswered: takesCrs(f.kind) && f.crsAsk,
      })),
    ),
  );

  /** Columns of the file as the loader will see them (of the chosen sheet for a workbook). */
  headersOf(f: PendingFile): string[] | null {
    if (!f.info) return null;
    if (f.info.sheets && f.sheet !== undefined) return f.info.sheets.find((s) => s.name === f.sheet)?.headers ?? [];
    return f.info.headers;
  }

  sampleOf(f: PendingFile): string[] {
    if (!f.info) return [];
    if (f.info.sheets && f.sheet !== undefined) return f.info.sheets.find((s) => s.name === f.sheet)?.sample ?? [];
    return f.info.sample;
  }

  /** Add dropped or picked files; each is inspected in the background. */
  addFiles(list: Iterable<File>): void {
    this.report = null;
    this.undone = false;
    this.cancelled = false;
    for (const file of list) {
      const id = nextId++;
      this.files.push({
        id, file, info: null, inspecting: true, kind: 'customers', recognised: false,
        crs: rememberedCrs(file.name) ?? crsFromName(file.name), crsAsk: false, mapping: {}, mappingOpen: false, values: { type: {}, owner: {} },
      });
      void this.inspect(id, file);
    }
  }

  private async inspect(id: number, file: File): Promise<void> {
    let info: Inspection;
    try {
      info = await inspectInWorker(file);
    } catch (e) {
      // Not fatal: the loader reads the file itself and reports any problem with file and line.
      info = { format: null, name: file.name, gzip: false, headers: [], sample: [], rows: null, rowsEstimated: false, problem: 'failed', detail: String(e) };
    }
    const f = this.files.find((x) => x.id === id);
    if (!f) return; // removed meanwhile
    f.info = info;
    f.inspecting = false;
    f.sheet = info.sheets?.[0]?.name;
    this.choose(f);
  }

  /** (Re)guess kind and mapping from the current headers; `kind` keeps a user's choice. */
  private choose(f: PendingFile, kind?: InputKind): void {
    const c = initialChoice(f.info?.format ?? null, this.headersOf(f) ?? [], f.file.name, { kind, hasFeatureIds: f.info?.hasFeatureIds });
    f.kind = c.kind;
    f.recognised = c.recognised;
    f.mapping = c.mapping;
    f.mappingOpen = c.mappingOpen;
    // A remembered or name-given CRS is a choice already; otherwise a Chinese-looking file asks.
    const named = rememberedCrs(f.file.name) !== null || crsFromName(f.file.name) !== 'wgs84';
    f.crsAsk = takesCrs(f.kind) && !named && shouldAskCrs(this.headersOf(f) ?? [], this.sampleOf(f), f.mapping);
  }

  /** The user's CRS for a file: used now and remembered for files of this name. */
  setCrs(id: number, crs: Crs): void {
    const f = this.files.find((x) => x.id === id);
    if (!f) return;
    f.crs = crs;
    f.crsAsk = false;
    rememberCrs(f.file.name, crs);
  }

  setKind(id: number, kind: InputKind): void {
    const f = this.files.find((x) => x.id === id);
    if (f) this.choose(f, kind);
  }

  setSheet(id: number, sheet: string): void {
    const f = this.files.find((x) => x.id === id);
    if (!f) return;
    f.sheet = sheet;
    this.choose(f);
  }

  setMapping(id: number, column: string, source: string): void {
    const f = this.files.find((x) => x.id === id);
    if (f) f.mapping = setMappingColumn(f.mapping, column, source);
  }

  /** Read `word` in the sites' `column` as `to` (branch/atm for type, own or a name for owner); null removes it. */
  setValue(id: number, column: 'type' | 'owner', word: string, to: string | null): void {
    const f = this.files.find((x) => x.id === id);
    const w = word.trim();
    if (!f || !w) return;
    const next = { type: { ...f.values.type }, owner: { ...f.values.owner } };
    if (to === null) delete next[column][w];
    else if (column === 'type') {
      if (to !== 'branch' && to !== 'atm') return;
      next.type[w] = to;
    } else if (to.trim()) next.owner[w] = to.trim();
    f.values = next;
  }

  remove(id: number): void {
    this.files = this.files.filter((f) => f.id !== id);
  }

  clearPending(): void {
    this.files = [];
  }

  /** Load the pending files. On success they become (part of) the dataset and are saved. */
  async load(): Promise<LoadOutcome | null> {
    if (this.loading || this.problems.length || this.unchosen.length) return null;
    this.loading = true;
    this.cancelled = false;
    this.loadError = null;
    this.report = null;
    const replaceAll = this.hasAreas && this.replaceAll;
    // Files added to the dataset on screen keep its name unless the user typed one.
    const name: LocalizedText | undefined = this.name.trim() || (replaceAll || !app.dataset ? DEFAULT_NAME : undefined);
    const ids = new Set(this.files.map((f) => f.id));
    const append = this.conflicts.filter((c) => this.modes[c.kind] === 'append').map((c) => c.kind);
    const pending = this.files.map((f) => ({
      kind: f.kind, fileName: f.file.name, crs: takesCrs(f.kind) ? f.crs : 'wgs84',
      mapping: explicitMapping(f.kind, f.mapping, (this.headersOf(f)?.length ?? 0) > 0), sheet: f.info?.sheets ? f.sheet : undefined, blob: f.file as Blob,
      ...(f.kind === 'sites' ? { values: $state.snapshot(f.values) } : {}),
      ...(append.includes(f.kind) ? { append: true as const } : {}),
    }) satisfies StoredInput);
    try {
      // Too big for this browser: refused before a byte is read (the notice says what to do).
      if (await refuseIfTooBig(this.files.map((f) => ({ fileName: f.file.name, kind: f.kind, bytes: f.file.size, rows: f.info?.rows })))) return null;
      const inputs = await toLoadInputs(pending);
      const outcome = await loadFiles(Comlink.transfer(inputs, inputs.map((i) => i.bytes.buffer as ArrayBuffer)), { name, replaceAll, append });
      if (!outcome) {
        this.cancelled = true;
        return null;
      }
      this.report = { outcome, source: 'import', loaded: pending.map((p) => p.fileName) };
      if (outcome.ok) {
        // Files added while this load ran stay listed for the next one.
        this.files = this.files.filter((f) => !ids.has(f.id));
        this.name = '';
        this.modes = {};
        this.before = this.current;
        this.canUndo = true;
        this.undone = false;
        this.undoError = null;
        await this.save(mergeStored(this.current, pending, { replaceAll, name, now: Date.now() }));
      }
      return outcome;
    } catch (e) {
      if (e instanceof CapacityRefused) return null; // the capacity notice says it in words
      // Said in words naming the files (never the engine's or the browser's text); nothing was
      // committed, the files stay listed. After a dead worker dataset-sync reloads the kept
      // dataset into the restarted engine; this load is lost.
      this.loadError = { reason: loadFailureReason(e), files: pending.map((p) => p.fileName) };
      if (this.loadError.reason === 'failed') console.warn('load failed:', e);
      return null;
    } finally {
      this.loading = false;
    }
  }

  /**
   * "Restore the previous data": the dataset as it was before the last load of files, on screen
   * and in what this browser keeps. Available until the next load.
   */
  async undo(): Promise<void> {
    if (!this.canUndo || this.loading) return;
    // The status bar stays busy until the data is on screen and the kept record says so too.
    await whileBusy('import.undo.busy', () => this.undoNow());
  }

  private async undoNow(): Promise<void> {
    this.loading = true;
    this.undoError = null;
    try {
      const outcome = await restorePrevious();
      if (!outcome?.ok) throw new NothingToRestore('nothing to restore');
      this.canUndo = false;
      this.report = null;
      const before = this.before;
      this.before = null;
      if (before) await this.save(before);
      else await this.forget();
      this.undone = true;
    } catch (e) {
      this.undoError = undoFailureReason(e);
      if (this.undoError === 'failed') console.warn('restore failed:', e);
    } finally {
      this.loading = false;
    }
  }

  private async save(rec: StoredDataset): Promise<void> {
    this.current = rec;
    this.storeError = null;
    this.storeFull = null;
    this.saving = true;
    // A reload or close before the record is written would restore the data as it was before
    // this load: the browser asks first (its own words; the panel says "Saving…" meanwhile).
    window.addEventListener('beforeunload', holdWhileSaving);
    try {
      requestPersistentStorage();
      await writeStoredDataset(rec);
      tagKept(keptToken(rec));
      this.stored = { savedAt: rec.savedAt, files: rec.inputs.map((i) => i.fileName), base: rec.base };
      this.restoreFailed = false;
    } catch (e) {
      this.stored = null;
      this.storeError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      if (isQuotaError(e)) this.storeFull = { bytes: rec.inputs.reduce((a, i) => a + i.blob.size, 0) };
    } finally {
      window.removeEventListener('beforeunload', holdWhileSaving);
      this.saving = false;
    }
  }

  /**
   * Startup: the dataset saved in this browser if there is one, else the demo city. A saved
   * dataset that cannot be restored is kept (the user may clear it) and the demo is shown.
   */
  async start(): Promise<void> {
    let rec: StoredDataset | null = null;
    try {
      rec = await readStoredDataset();
    } catch (e) {
      this.storeError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    if (!rec) {
      await loadDemo().catch(() => null);
      return;
    }
    await this.restore(rec);
  }

  /**
   * Rebuild a saved dataset: the demo first when the files were loaded on top of it, then each
   * batch of files (an appended file after the ones it was appended to). The status bar is busy
   * from the first step to the last, never Ready in between.
   */
  async restore(rec?: StoredDataset): Promise<void> {
    await whileBusy('import.restoring', () => this.restoreNow(rec));
  }

  private async restoreNow(rec?: StoredDataset): Promise<void> {
    rec ??= (await readStoredDataset().catch(() => null)) ?? undefined;
    if (!rec) return;
    this.restoring = true;
    this.restoreFailed = false;
    this.stored = { savedAt: rec.savedAt, files: rec.inputs.map((i) => i.fileName), base: rec.base };
    try {
      // The database file of the tab that saved it may still hold it: then nothing is read again.
      const reopened = await reopenKept(keptToken(rec));
      if (reopened?.ok) {
        this.report = { outcome: reopened, source: 'restore', loaded: rec.inputs.map((i) => i.fileName) };
        this.current = rec;
        this.canUndo = false;
        return;
      }
      if (rec.base === 'demo') {
        const demo = await loadDemo().catch(() => null);
        if (!demo?.ok) return void (this.restoreFailed = true);
      }
      let outcome: LoadOutcome | null = null;
      for (const [i, batch] of restoreBatches(rec.inputs).entries()) {
        const inputs = await toLoadInputs(batch).catch(() => null);
        const append = batch.filter((x) => x.append).map((x) => x.kind);
        outcome = inputs ? await loadFiles(inputs, { name: rec.name, replaceAll: i === 0 && rec.base === 'none' && append.length === 0, append }).catch(() => null) : null;
        if (!outcome?.ok) break;
      }
      if (outcome) this.report = { outcome, source: 'restore', loaded: rec.inputs.map((i) => i.fileName) };
      if (outcome?.ok) {
        this.current = rec;
        this.canUndo = false; // a restore is not the user's load
        tagKept(keptToken(rec));
        return;
      }
      this.restoreFailed = true;
      // Nothing on screen (a dataset of the user's own, not on top of the demo): show the demo.
      if (!app.dataset) await loadDemo().catch(() => null);
    } finally {
      this.restoring = false;
    }
  }

  /** Back to the demo city; the saved dataset is forgotten once the demo is on screen. */
  async loadDemo(): Promise<void> {
    const outcome = await loadDemo().catch(() => null);
    if (outcome?.ok) await this.forget();
  }

  /** "Clear data": remove the saved dataset from the browser and go back to the demo city. */
  async clearData(): Promise<void> {
    await this.forget();
    this.files = [];
    await loadDemo().catch(() => null);
  }

  private async forget(): Promise<void> {
    let error: string | null = null;
    try {
      await clearStoredDataset();
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    // One update after the store settled, so the panel never shows the failed restore gone
    // while the kept dataset is still listed.
    this.current = null;
    this.before = null;
    this.canUndo = false;
    this.report = null;
    this.restoreFailed = false;
    this.storeError = error;
    if (!error) this.stored = null;
  }
}

function holdWhileSaving(e: BeforeUnloadEvent): void {
  e.preventDefault();
}

/** What ties the database's tag to the kept record: its save time and its files. */
function keptToken(rec: StoredDataset): string {
  return `${rec.savedAt}:${rec.inputs.map((i) => `${i.kind}/${i.fileName}/${i.blob.size}`).join('|')}`;
}

const CRS_KEY = 'bp-crs:';

function rememberedCrs(fileName: string): Crs | null {
  try {
    const v = localStorage.getItem(CRS_KEY + fileName);
    return v === 'wgs84' || v === 'gcj02' || v === 'bd09' ? v : null;
  } catch {
    return null; // storage disabled: ask again next time
  }
}

function rememberCrs(fileName: string, crs: Crs): void {
  try {
    localStorage.setItem(CRS_KEY + fileName, crs);
  } catch {
    // storage disabled or full: the choice holds for this file only
  }
}

async function toLoadInputs(inputs: readonly StoredInput[]): Promise<LoadInput[]> {
  return Promise.all(
    inputs.map(async (i) => ({
      kind: i.kind,
      fileName: i.fileName,
      // The File itself, not its bytes: the loader reads a plain CSV in place (no copy in memory).
      bytes: new Uint8Array(0),
      blob: i.blob,
      crs: i.crs,
      mapping: i.mapping,
      ...(i.sheet !== undefined ? { sheet: i.sheet } : {}),
      ...(i.values ? { values: i.values } : {}),
    })),
  );
}

export const importSession = new ImportSession();

