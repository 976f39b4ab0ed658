/**
 * The Sites tab's work in the analysis worker: one context per loaded dataset (the worker
 * reads the network and candidates from DuckDB itself; population comes from here),
 * customers per cell through the hotspot pipeline there (assignment to H3 cells, DuckDB
 * per-cell counts, never through this thread), the recommendation as a visible task with
 * progress and cancel, the scenario edits (drag, drop, remove, reset), and closure mode.
 *
 * Live drag: at most one worker request in flight; the newest pointer position waits and
 * replaces older ones, so the numbers never lag behind a queue of stale positions.
 */
import { app } from '../app/app-state.svelte.ts';
import type { Dataset } from '../../pipeline/dataset/dataset.ts';
import { Comlink, analysisDataset, analysisWorker } from '../app/workers.ts';
import { isAbort, runTask } from '../app/tasks.svelte.ts';
import { silentTaskId } from '../../pipeline/hotspots/hotspot-pipeline.ts';
import { getMap } from '../map/map-instance.ts';
import { sites, type DragRef, type SavedScenario } from './sites.svelte.ts';
import { SitesInputError } from '../../pipeline/sites/sites-model.ts';
import { huffIssues } from '../../pipeline/sites/sites-params.ts';
import type { Progress } from '../../pipeline/tasks.ts';
import type { RunRequest, ScenarioView } from '../../pipeline/sites/sites-engine.ts';
import { t, type MessageKey } from '../../i18n/i18n.svelte.ts';

interface Context {
  ds: Dataset;
  /** The dataset's name in the analysis worker (shared with the Hotspots tab). */
  key: string;
  /** Network, candidates and population are in the analysis worker. */
  ready: Promise<void>;
}

let ctx: Context | null = null;

/** The latest period with any population value, per area (NaN where missing). */
export function latestPopulation(ds: Dataset): Float64Array | null {
  const col = ds.indicators.population;
  if (!col) return null;
  const n = ds.areaIds.length;
  for (let p = ds.periods.length - 1; p >= 0; p--) {
    const slice = col.subarray(p * n, (p + 1) * n);
    if (slice.some((v) => Number.isFinite(v))) return slice.slice();
  }
  return null;
}

function context(ds: Dataset): Context {
  // every call: the Hotspots tab may have opened another dataset in the worker meanwhile
  const key = analysisDataset(ds);
  if (ctx?.ds === ds) return ctx;
  const analysis = analysisWorker();
  const c: Context = { ds, key, ready: Promise.resolve() };
  c.ready = (async () => {
    const areaPopulation = latestPopulation(ds);
    const props = ds.areas.features.map((f) => f.properties ?? {});
    const nameIn = (first: string, second: string) => props.map((p) => String(p[first] ?? p[second] ?? p.area_id ?? ''));
    const opened = await analysis.sitesOpen(key, areaPopulation, { en: nameIn('name_en', 'name'), 'zh-CN': nameIn('name', 'name_en') });
    if (app.dataset !== ds) return;
    sites.hasCandidatesFile = opened.candidatesFile;
    sites.hasDemandPoints = opened.demandPoints;
    sites.hasCosts = opened.costs;
    if (!opened.demandPoints && sites.pointSource === 'demand_points') sites.pointSource = 'customers';
    // A dataset that brings demand points and travel costs is meant to be planned with them.
    if (opened.demandPoints && !(ds.summary.counts.customers > 0)) sites.pointSource = 'demand_points';
    if (!opened.costs || !opened.candidatesFile) sites.useCosts = false;
    sites.hasPopulation = areaPopulation !== null;
    // Customer rows, or a demand-cell table (siting at its cell centres: approximate, said on screen).
    const source = ds.summary.counts.customers > 0 || ds.summary.counts.demand_cells > 0 ? await analysis.hotspotsDemandSource(key) : null;
    sites.hasCustomers = source !== null;
    sites.demandCells = source?.kind === 'cells' ? source.resolutions : null;
    if (!sites.hasCustomers && !sites.hasDemandPoints && sites.measure !== 'population') sites.measure = 'population';
  })();
  ctx = c;
  return c;
}

/** Prepare the workers for a new dataset (called when it loads). */
export function openDataset(ds: Dataset): Promise<void> {
  return context(ds).ready.catch((e: unknown) => fail(e));
}

/** Customers per cell at `resolution` in the analysis worker (assignment the first time). */
async function ensureCustomers(c: Context, resolution: number, taskId: number, onProgress?: (p: Progress) => void): Promise<void> {
  if (!sites.hasCustomers) return;
  await analysisWorker().sitesEnsureCustomers(c.key, resolution, taskId, onProgress);
}

function errorText(e: unknown): string {
  if (e instanceof SitesInputError || (e instanceof Error && e.name === 'SitesInputError')) {
    const code = (e as SitesInputError).code;
    const key = `sites.error.${code}` as MessageKey;
    const text = t(key, (e as SitesInputError).params);
    return text === key ? e.message : text;
  }
  // Comlink rethrows worker errors as plain Errors carrying the message.
  const msg = e instanceof Error ? e.message : String(e);
  if (/demand from customers needs/.test(msg)) return t('sites.error.no_customers');
  if (/demand from population needs/.test(msg)) return t('sites.error.no_population');
  return msg;
}

function fail(e: unknown): void {
  if (!isAbort(e)) sites.error = errorText(e);
}

export function runRequest(): RunRequest {
  return {
    resolution: sites.resolution,
    siteType: sites.siteType,
    radiusM: sites.radiusM,
    demand: { measure: sites.measure, blendCustomerShare: sites.blendPct / 100 },
    pointSource: sites.pointSource,
    useCosts: sites.useCosts && sites.hasCosts && sites.hasCandidatesFile && sites.measure === 'customers',
    objective: sites.objective,
    solver: sites.solver,
    k: sites.k,
    targetPct: sites.targetPct,
    timeLimitS: sites.timeLimitS,
    replicates: sites.replicates,
    minSpacingM: sites.minSpacingM,
    huff: { ...sites.huff },
    zones: $state.snapshot(sites.zones),
    pinnedIds: [...sites.pinned],
    excludedIds: [...sites.excluded],
    extraCandidates: sites.extraCandidates.length
      ? { id: sites.extraCandidates.map((x) => x.id), lon: Float64Array.from(sites.extraCandidates, (x) => x.lon), lat: Float64Array.from(sites.extraCandidates, (x) => x.lat) }
      : undefined,
  };
}

let runSeq = 0;

/** Run a recommendation with the current controls (visible task: progress, cancel). */
export async function recommend(ds: Dataset): Promise<void> {
  // The controls keep Run disabled meanwhile; this guards every other caller.
  if (huffIssues(sites.huff).length) return void (sites.error = t('sites.huff.invalid'));
  const c = context(ds);
  const seq = ++runSeq;
  sites.error = null;
  sites.busy = true;
  sites.stage = null;
  const analysis = analysisWorker();
  try {
    await c.ready;
    const req = runRequest();
    const view = await runTask('sites.task.run', async (taskId, onProgress) => {
      const progress = Comlink.proxy((p: Progress) => {
        onProgress(p);
        if (seq === runSeq) sites.stage = p.step;
      });
      // Demand is read at exact locations in the worker (customers or demand points).
      return analysis.sitesRun(req, taskId, progress);
    }, (id) => analysis.cancel(id));
    if (!view || seq !== runSeq || app.dataset !== ds) return;
    sites.run = view;
    sites.restored = null;
    sites.scenario = view.scenario;
    sites.live = null;
    fitToNewSites(view.scenario, view.radiusM);
  } catch (e) {
    if (seq === runSeq) fail(e);
  } finally {
    if (seq === runSeq) {
      sites.busy = false;
      sites.stage = null;
    }
  }
}

/** Show the new sites with their rings (no animation: the view is where the user works next). */
function fitToNewSites(sc: ScenarioView, radiusM: number): void {
  const m = getMap();
  if (!m || sc.added.length === 0) return;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const a of sc.added) {
    w = Math.min(w, a.lon); e = Math.max(e, a.lon); s = Math.min(s, a.lat); n = Math.max(n, a.lat);
  }
  const dLat = radiusM / 111_000;
  const dLon = dLat / Math.cos((((s + n) / 2) * Math.PI) / 180);
  m.fitBounds([[w - dLon, s - dLat], [e + dLon, n + dLat]], { padding: 40, maxZoom: 13, animate: false });
}

/** Place customers on the grid ahead of the first run (silently, when the tab opens). */
export async function prefetchCustomers(ds: Dataset): Promise<void> {
  const c = context(ds);
  try {
    await c.ready;
    await ensureCustomers(c, sites.resolution, silentTaskId());
  } catch {
    // the run reports problems; a prefetch stays quiet
  }
}

async function edit(work: () => Promise<ScenarioView>): Promise<void> {
  try {
    sites.scenario = await work();
  } catch (e) {
    fail(e);
  }
}

// ----- live drag ---------------------------------------------------------------------

let pending: { lon: number; lat: number; at: number } | null = null;
let inflight: Promise<void> | null = null;
let dragToken = 0;
/** When the current drag's set-up (Huff model, coverage counts) finished. */
let readyAt = 0;

let roundTrip = 0;
/** The latest latencies (pointer → numbers), for the median. */
let recent: number[] = [];

function recordLatency(ms: number, computeMs: number): void {
  const s = sites.dragStats;
  const n = s.n + 1;
  recent = [...recent.slice(-199), ms];
  const sorted = [...recent].sort((a, b) => a - b);
  sites.dragStats = {
    n,
    meanRoundTripMs: s.meanRoundTripMs + (roundTrip - s.meanRoundTripMs) / n,
    maxRoundTripMs: Math.max(s.maxRoundTripMs, roundTrip),
    meanMs: s.meanMs + (ms - s.meanMs) / n,
    maxMs: Math.max(s.maxMs, ms),
    lastMs: ms,
    medianMs: sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2,
    meanComputeMs: s.meanComputeMs + (computeMs - s.meanComputeMs) / n,
  };
}

async function drain(token: number): Promise<void> {
  const analysis = analysisWorker();
  while (pending && token === dragToken) {
    const p = pending;
    pending = null;
    try {
      const sent = performance.now();
      const u = await analysis.sitesDragMove(p.lon, p.lat);
      if (token !== dragToken) break;
      roundTrip = performance.now() - sent;
      sites.live = u;
      if (!pending) scheduleFrame();
      // From the pointer event, or from the end of the drag set-up for moves made during it.
      recordLatency(performance.now() - Math.max(p.at, readyAt), u.computeMs);
    } catch (e) {
      fail(e);
      break;
    }
  }
}

function pump(token: number): Promise<void> {
  // `finally` runs after the assignment even when drain has nothing to do.
  inflight ??= drain(token).finally(() => {
    inflight = null;
  });
  return inflight;
}

let dragStarted: Promise<unknown> | null = null;

export function startDrag(ref: DragRef, lon: number, lat: number): void {
  const token = ++dragToken;
  sites.dragging = { ref, lon, lat };
  sites.live = null;
  pending = null;
  readyAt = Infinity;
  dragStarted = analysisWorker().sitesDragStart(ref).then((r) => {
    if (token !== dragToken) return;
    readyAt = performance.now();
    sites.dragSetupMs = r.setupMs;
    sites.live = r.update;
    sites.otherCover = r.otherCoverCount;
    void pump(token);
  }).catch(fail);
}

let frame = 0;
let frameTimer: ReturnType<typeof setTimeout> | undefined;
let framePos: { lon: number; lat: number } | null = null;
/** Longest the map waits for the worker's numbers before it follows the pointer anyway. */
const FRAME_WAIT_MS = 100;

/** Draw the latest pointer position at the next animation frame (once, however many moves came meanwhile). */
function scheduleFrame(): void {
  clearTimeout(frameTimer);
  frameTimer = undefined;
  if (!framePos || frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    if (sites.dragging && framePos) sites.dragging = { ...sites.dragging, ...framePos };
    framePos = null;
  });
}

function cancelFrame(): void {
  cancelAnimationFrame(frame);
  clearTimeout(frameTimer);
  frame = 0;
  frameTimer = undefined;
  framePos = null;
}

/**
 * The pointer moved: the worker gets the position at once, the map follows after its answer.
 * Under software WebGL a frame of the map takes 100–800 ms of this thread (measured on the
 * demo city, 2 shared cores), during which the answer waits: drawing at every pointer event
 * kept a frame in progress when the numbers came back. Now the numbers come first and the
 * map draws the latest position once per frame after them (or after FRAME_WAIT_MS when the
 * worker is slow, e.g. during the drag's set-up); moves between two frames are coalesced.
 */
export function moveDrag(lon: number, lat: number): void {
  if (!sites.dragging) return;
  pending = { lon, lat, at: performance.now() };
  framePos = { lon, lat };
  if (sites.otherCover) void pump(dragToken);
  // Not pushed back by later moves: the map lags the pointer by at most this while it moves.
  frameTimer ??= setTimeout(scheduleFrame, FRAME_WAIT_MS);
}

export async function endDrag(lon: number, lat: number): Promise<void> {
  const d = sites.dragging;
  if (!d) return;
  cancelFrame();
  sites.dragging = { ...d, lon, lat };
  const token = dragToken;
  await dragStarted;
  pending = null;
  await inflight;
  if (token !== dragToken) return;
  dragToken++;
  await edit(() => analysisWorker().sitesDragEnd(lon, lat));
  sites.dragging = null;
  sites.otherCover = null;
}

export function dropSite(lon: number, lat: number): Promise<void> {
  return edit(() => analysisWorker().sitesDropSite(lon, lat));
}

/** With travel costs: new site `index` onto another candidate of the cost file. */
export function swapCandidate(index: number, candidateId: string): Promise<void> {
  return edit(() => analysisWorker().sitesSwapCandidate(index, candidateId));
}

export function removeAdded(index: number): Promise<void> {
  return edit(() => analysisWorker().sitesRemoveAdded(index));
}

export function resetScenario(): Promise<void> {
  sites.live = null;
  return edit(() => analysisWorker().sitesResetScenario());
}

/** Pin a new site for the next run; a moved or dropped one becomes a candidate at its position. */
export function pinSite(index: number): void {
  const a = sites.scenario?.added[index];
  if (!a) return;
  if (a.candidate < 0 && !sites.extraCandidates.some((x) => x.id === a.id)) sites.extraCandidates.push({ id: a.id, lon: a.lon, lat: a.lat });
  if (!sites.pinned.includes(a.id)) sites.pinned.push(a.id);
  sites.excluded = sites.excluded.filter((x) => x !== a.id);
}

export function excludeSite(index: number): void {
  const a = sites.scenario?.added[index];
  if (!a || a.candidate < 0) return;
  if (!sites.excluded.includes(a.id)) sites.excluded.push(a.id);
  sites.pinned = sites.pinned.filter((x) => x !== a.id);
}

export function unpin(id: string): void {
  sites.pinned = sites.pinned.filter((x) => x !== id);
  sites.extraCandidates = sites.extraCandidates.filter((x) => x.id !== id);
}

export function unexclude(id: string): void {
  sites.excluded = sites.excluded.filter((x) => x !== id);
}

/** The current scenario's totals under a label, for the side-by-side comparison. */
export function saveScenario(slot: 'A' | 'B'): void {
  const r = sites.run;
  const s = sites.scenario;
  if (!r || !s) return;
  const tot = s.eval.totals;
  const saved: SavedScenario = {
    label: slot,
    objective: r.request.objective,
    siteType: r.siteType,
    k: r.request.k,
    radiusM: r.radiusM,
    newSites: s.added.length,
    coveragePct: tot.coveragePct,
    coveredDemand: tot.coveredDemand,
    ownSharePct: tot.ownSharePct,
    ownCaptured: tot.ownCaptured,
    cannibalised: s.eval.rows.reduce((a, x) => a + x.cannibalised, 0),
    totalDemand: tot.totalDemand,
    sites: s.added.map((a) => a.id),
  };
  sites.saved = { ...sites.saved, [slot]: saved };
}

// ----- closure mode ------------------------------------------------------------------

let closureSeq = 0;

function closureBase() {
  return {
    resolution: sites.resolution,
    siteType: sites.siteType,
    measure: sites.measure,
    blendCustomerShare: sites.blendPct / 100,
    radiusM: sites.radiusM,
    accessDistanceM: sites.accessDistanceM,
    maxSharePct: sites.maxSharePct,
    huff: { ...sites.huff },
  };
}

/** Re-run the closure simulator and the rationalisation table for the current choices. */
export async function refreshClosure(ds: Dataset): Promise<void> {
  if (huffIssues(sites.huff).length) return void (sites.error = t('sites.huff.invalid'));
  const c = context(ds);
  const seq = ++closureSeq;
  sites.error = null;
  try {
    await c.ready;
    await ensureCustomersQuietly(c);
    const analysis = analysisWorker();
    const base = closureBase();
    const [rat, cl] = await Promise.all([
      analysis.sitesRationalise(base),
      sites.closeIds.length ? analysis.sitesClosure({ ...base, close: [...sites.closeIds] }) : Promise.resolve(null),
    ]);
    if (seq !== closureSeq) return;
    sites.rationalisation = rat;
    sites.closure = cl;
  } catch (e) {
    if (seq === closureSeq) fail(e);
  }
}

async function ensureCustomersQuietly(c: Context): Promise<void> {
  if (!sites.hasCustomers || (await analysisWorker().sitesHasCustomerCells(c.key, sites.resolution))) return;
  const r = await runTask('sites.task.customers', (id, onProgress) => ensureCustomers(c, sites.resolution, id, onProgress), (id) => analysisWorker().cancel(id));
  if (r === null) throw new DOMException('Cancelled', 'AbortError');
}

export function toggleClose(id: string): void {
  sites.closeIds = sites.closeIds.includes(id) ? sites.closeIds.filter((x) => x !== id) : [...sites.closeIds, id];
}

/** Own sites of the current type (ids), from the dataset. */
export function ownSiteIds(ds: Dataset): string[] {
  const s = ds.sites;
  const out: string[] = [];
  for (let i = 0; i < s.id.length; i++) if (s.owner[i] === 'own' && s.type[i].toLowerCase() === sites.siteType) out.push(s.id[i]);
  return out;
}

