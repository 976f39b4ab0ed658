/**
 * The Sites workflow's state in the analysis worker: the dataset's network,
 * candidates and population, customers per study cell, the last recommendation and the
 * scenario the user edits from it (drags, dropped sites), and the closure simulator.
 * AnalysisApi delegates its `sites*` methods here; Node tests use the class directly.
 *
 * The study grid is the hotspot engine's (same areas, same cells): `gridOf` reads it. The
 * customers' cells come from the hotspot pipeline's assignment (DuckDB per-cell counts):
 * `customerCounts` fetches them where the pipeline runs (the analysis worker, the CLI), so
 * the totals never cross another thread.
 *
 * Why the live what-if stays here rather than on the UI thread: the Huff model and the
 * coverage index are built from the run's demand (11k cells on the demo city, 90k at
 * resolution 9), which lives here; a move costs ~0.1–1 ms (sites-whatif.ts), a round trip
 * ~1 ms, far under the 50 ms budget, and the UI thread only draws.
 */
import type { SiteProgress, SiteWarning } from '../../core/coverage.ts';
import { simulateClosure, type ClosureResult } from '../../core/closure.ts';
import { closureFlows } from '../../core/closure-flows.ts';
import { nearestSiteDistanceM, totalsByStudyCell } from '../../core/demand.ts';
import { studyGridFromCells } from '../../core/grid.ts';
import { HUFF_DEFAULTS, HuffModel, type HuffParams } from '../../core/huff.ts';
import { rationalise } from '../../core/rationalisation.ts';
import {
  buildDemand, DEFAULT_RADIUS_M, huffSitesOf, SitesInputError, sitesOfType, type DemandMeasure, type DemandPoints, type NetworkSites, type PointSet, type SiteType, type StudyCells,
} from './sites-model.ts';
import type { SitesRunOutput, SitesRunRequest } from './sites-pipeline.ts';
import { evaluateScenario, initialScenario, scenarioHuffModel, type NewSite, type Scenario, type ScenarioEval } from './sites-scenario.ts';
import { GridIndex } from '../../core/spatial-index.ts';
import type { SiteRow, SolveOutcome } from './sites-solve.ts';
import { WhatIfDrag, type DragTarget, type DragUpdate } from './sites-whatif.ts';
import { yieldNow, type PipelineRunner } from './sites-runner.ts';
import type { GridView } from '../hotspots/hotspot-engine.ts';
import type { CostTable } from '../../core/cost-matrix.ts';
import { NAME_WORDS, siteName, type SiteNames } from './sites-names.ts';
export type { SiteNames };
import type { ExactPoints } from './sites-model.ts';

/** The study grid as the hotspot engine gives it. */
export type GridLike = GridView;

/** Customers per H3 cell of dataset `key` (HotspotWorkflow.customerCounts). */
export type CustomerCountsFn = (
  key: string,
  resolution: number,
  hooks: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
) => Promise<{ cells: BigUint64Array; counts: Float64Array }>;

/** Where exact demand sits: every customer (weight 1) or the demand-points table. */
export type PointSource = 'customers' | 'demand_points';

/** Exact demand points of dataset `key` from the database (sites-inputs.ts readers); null when there are none. */
export type DemandPointsFn = (key: string, source: PointSource) => Promise<ExactPoints | null>;

/** The travel-cost table over `source`'s points (read order) and the candidates file. */
/** `withNetwork`: also the costs to the network's sites of the type (Huff weighs every site by its cost). */
export type CostsFn = (key: string, source: PointSource, numDemand: number, numCandidates: number, siteType: SiteType, hasSites: boolean, withNetwork: boolean) => Promise<CostTable & { pairs: number }>;

export interface SitesEngineOptions {
  gridOf: (resolution: number) => GridLike;
  runner: PipelineRunner;
  /** Where customers per cell come from; without it they are given with `setCustomerTotals`. */
  customerCounts?: CustomerCountsFn;
  /**
   * Demand at exact locations (DESIGN.md: coverage is never decided at a cell centre when
   * exact locations exist). Without it, customer demand stands at study-cell centres.
   */
  demandPoints?: DemandPointsFn;
  /** The loaded travel-cost table; without it costs are never used. */
  costs?: CostsFn;
}

export interface SitesInputs {
  network: NetworkSites;
  candidatesFile: PointSet | null;
  /** Population per area (areas file order), NaN where missing; null without a population column. */
  areaPopulation: Float64Array | null;
  /** Area names (areas file order) in each UI language, for the new sites' names. */
  areaNames?: { en: string[]; 'zh-CN': string[] };
}

export interface RunRequest extends SitesRunRequest {
  resolution: number;
  /** Customer demand at exact points: the customers (default) or the demand-points table. */
  pointSource?: PointSource;
  /** Replace straight-line distances with the loaded travel-cost table (needs a candidates file). */
  useCosts?: boolean;
}


export interface ScenarioView {
  /** Increments with every change of the scenario. */
  version: number;
  added: NewSite[];
  ownLon: Float64Array;
  ownLat: Float64Array;
  ownOpen: Uint8Array;
  eval: ScenarioEval;
}

export interface RunView {
  runId: number;
  request: RunRequest;
  siteType: SiteType;
  radiusM: number;
  /**
   * The demand the run decided at: exact points (`at: 'points'`, `h3` empty — the map draws
   * the points) or study-cell centres (`h3` per demand point).
   */
  demand: {
    at: 'points' | 'cells'; source: PointSource | 'cells'; count: number; h3: string[]; lon: Float64Array; lat: Float64Array; weight: Float64Array;
    totalWeight: number; totalCustomers: number; totalPopulation: number; outsidePoints: number;
  };
  /** Travel costs replaced straight-line distances: the number of cost pairs used, else null. */
  costs: { pairs: number } | null;
  /** Names of the outcome rows (same order), in both UI languages. */
  names: SiteNames[];
  candidates: {
    count: number; generated: boolean; zoneExcluded: number; unknownIds: string[];
    /** With a travel-cost table: the candidates file's sites, the alternatives a new site can be swapped for. */
    swap: { id: string[]; name: string[]; lon: Float64Array; lat: Float64Array } | null;
  };
  /** Our existing sites of the type (ids as in the sites file). */
  own: { id: string[] };
  /** The objective's own numbers (the CLI's), the bounds and gaps. */
  outcome: Omit<SolveOutcome, 'constraints' | 'rows'> & { rows: SiteRow[] };
  robustnessPct: Float64Array;
  ownShareBeforePct: number;
  warnings: SiteWarning[];
  timings: SitesRunOutput['timings'] & { evaluateMs: number };
  scenario: ScenarioView;
}

export interface ClosureRequest {
  resolution: number;
  siteType: SiteType;
  measure: DemandMeasure;
  blendCustomerShare?: number;
  radiusM?: number;
  /** Ids of our sites to close. */
  close: string[];
  /** Access standard: metres (default 1600) and the largest acceptable share beyond it, percent (default 5). */
  accessDistanceM?: number;
  maxSharePct?: number;
  huff?: HuffParams;
}

/** The core's closure numbers as the panel shows them, with distance, access and the map. */
export interface ClosureView extends Omit<ClosureResult, 'closed' | 'siteCapturedBefore' | 'siteCapturedAfter' | 'huff'> {
  closedIds: string[];
  /** The Huff parameters the leakage was computed with (defaults filled in). */
  huff: Required<HuffParams>;
  totalDemand: number;
  distance: { affectedPoints: number; affectedDemand: number; meanIncreaseM: number; maxIncreaseM: number; meanBeforeM: number; meanAfterM: number };
  access: {
    distanceM: number;
    limitPct: number;
    population: { beforePct: number; afterPct: number; breached: boolean; overLimit: boolean } | null;
    customers: { beforePct: number; afterPct: number; breached: boolean; overLimit: boolean } | null;
  };
  /**
   * Demand points for the map: at exact points (customers where they are, `customer` 1; population
   * cell centres 0) or study cells (`h3`); status 0 within the access distance, 1 beyond before
   * and after, 2 newly beyond; catchment = the closed sites' captured demand per point.
   */
  map: { at: 'points' | 'cells'; h3: string[]; lon: Float64Array; lat: Float64Array; customer: Uint8Array; status: Uint8Array; catchment: Float64Array };
  /** Where the closed sites' customers go (core/closure-flows.ts). */
  flows: ClosureFlowsView;
  warnings: SiteWarning[];
}

export interface ClosureFlowsView {
  /** Demand the closed sites captured (their catchment), = Σ recipients + unreached. */
  released: number;
  /** Remaining sites picking some of it up, most first: ours and competitors'. */
  recipients: { id: string; owner: string; demand: number }[];
  /** Left with no site within the Huff cut-off. */
  unreached: number;
  /** Demand whose nearest own site moves beyond the access distance (map status 2). */
  newlyBeyondDemand: number;
}

export interface RationaliseRow {
  id: string;
  coveredDemand: number;
  uniqueDemand: number;
  overlapPct: number;
  huffCaptured: number;
  lossIfClosed: number;
  leakedToCompetitors: number;
}

interface Cells {
  cells: StudyCells;
  grid: ReturnType<typeof studyGridFromCells>;
}

interface RunState {
  view: RunView;
  out: SitesRunOutput;
  initial: Scenario;
  scenario: Scenario;
  version: number;
  nextDropped: number;
  /** The demand's spatial index for Huff (cell size from the cut-off), built once per run. */
  huffIndex: GridIndex;
  /** The current scenario's Huff model at every demand point; a drag starts from it. */
  model: HuffModel;
}

export class SitesEngine {
  private key = '';
  private inputs: SitesInputs | null = null;
  private readonly cells = new Map<number, Cells>();
  private readonly customers = new Map<number, Float64Array>();
  private readonly customersOutside = new Map<number, number>();
  private readonly points = new Map<PointSource, Promise<ExactPoints | null>>();
  private readonly costTables = new Map<string, Promise<CostTable & { pairs: number }>>();
  private state: RunState | null = null;
  private closureCache: { dKey: string; demand: DemandPoints; mKey: string; model: HuffModel | null } | null = null;
  private drag: WhatIfDrag | null = null;
  private runSeq = 0;

  constructor(private readonly opts: SitesEngineOptions) {}

  /** The dataset's network, candidates file and population; everything cached is dropped when `key` changes. */
  setInputs(key: string, inputs: SitesInputs): void {
    if (key !== this.key) {
      this.cells.clear();
      this.customers.clear();
      this.customersOutside.clear();
      this.points.clear();
      this.costTables.clear();
      this.closureCache = null;
      this.state = null;
      this.drag = null;
    }
    this.key = key;
    this.inputs = inputs;
  }

  hasCustomerCells(key: string, resolution: number): boolean {
    return key === this.key && this.customers.has(resolution);
  }

  private studyCells(resolution: number): Cells {
    let c = this.cells.get(resolution);
    if (!c) {
      const g = this.opts.gridOf(resolution);
      c = {
        cells: { h3: g.h3, lon: g.lon, lat: g.lat, areaIndex: g.areaIndex, areaCount: g.areaCellCount.length },
        grid: studyGridFromCells(g.h3, resolution, g.areaIndex),
      };
      this.cells.set(resolution, c);
    }
    return c;
  }

  /** Customers per cell (DuckDB GROUP BY over the hotspot pipeline's assignment) → per study cell. */
  setCustomerTotals(key: string, resolution: number, cells: BigUint64Array, counts: Float64Array): { customers: number; outsideCustomers: number } {
    if (key !== this.key) throw new Error('internal: customer totals for another dataset');
    const t = totalsByStudyCell(this.studyCells(resolution).grid, cells, counts);
    this.customers.set(resolution, t.values);
    this.customersOutside.set(resolution, t.outsideTotal);
    return { customers: sum(t.values), outsideCustomers: t.outsideTotal };
  }

  /** Customers per study cell at `resolution` from `customerCounts`, fetched the first time. */
  async ensureCustomers(
    key: string,
    resolution: number,
    hooks: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<{ customers: number; outsideCustomers: number }> {
    const have = key === this.key ? this.customers.get(resolution) : undefined;
    if (have) return { customers: sum(have), outsideCustomers: this.customersOutside.get(resolution) ?? 0 };
    if (!this.opts.customerCounts) throw new Error('internal: no source of customer counts (pass customerCounts)');
    const t = await this.opts.customerCounts(key, resolution, hooks);
    hooks.signal?.throwIfAborted();
    return this.setCustomerTotals(key, resolution, t.cells, t.counts);
  }

  private requireInputs(): SitesInputs {
    if (!this.inputs) throw new Error('internal: sites inputs not set (call sitesSetInputs first)');
    return this.inputs;
  }

  /** The exact demand points of `source`, read once per dataset. */
  private exactPoints(source: PointSource): Promise<ExactPoints | null> {
    let p = this.points.get(source);
    if (!p) {
      const read = this.opts.demandPoints;
      if (!read) return Promise.resolve(null);
      p = read(this.key, source);
      this.points.set(source, p);
      p.catch(() => this.points.delete(source));
    }
    return p;
  }

  private costTable(source: PointSource, numDemand: number, numCandidates: number, siteType: SiteType, hasSites: boolean, withNetwork: boolean): Promise<CostTable & { pairs: number }> {
    const read = this.opts.costs;
    if (!read) throw new SitesInputError('no_costs', 'no travel-cost table is loaded');
    const key = `${source}|${siteType}|${withNetwork}`;
    let p = this.costTables.get(key);
    if (!p) {
      p = read(this.key, source, numDemand, numCandidates, siteType, hasSites, withNetwork);
      this.costTables.set(key, p);
      p.catch(() => this.costTables.delete(key));
    }
    return p;
  }

  async run(req: RunRequest, signal: AbortSignal, onProgress: (p: SiteProgress) => void): Promise<RunView> {
    const inputs = this.requireInputs();
    const { cells } = this.studyCells(req.resolution);
    const runId = ++this.runSeq;
    const pointSource: PointSource = req.pointSource ?? 'customers';
    // Demand at exact locations whenever they exist (population alone has none).
    const points = req.demand.measure !== 'population' ? await this.exactPoints(pointSource) : null;
    signal.throwIfAborted();
    if (pointSource === 'demand_points' && req.demand.measure !== 'population' && !points) {
      throw new SitesInputError('no_demand_points', 'no demand-points table is loaded');
    }
    const customers = points ? null : this.customers.get(req.resolution) ?? null;
    if (req.demand.measure !== 'population' && !customers && !points) throw new SitesInputError('no_customers', 'demand from customers needs the customers file');
    let costs: (CostTable & { pairs: number }) | null = null;
    if (req.useCosts) {
      if (!points || req.demand.measure !== 'customers') throw new SitesInputError('costs_need_points', 'a cost file needs demand at exact points (customers or a demand-points file, not population)');
      if (!inputs.candidatesFile) throw new SitesInputError('costs_need_candidates', 'a cost file names candidates by their site_id: load a candidates file');
      costs = await this.costTable(pointSource, points.lon.length, inputs.candidatesFile.id.length, req.siteType, inputs.network.id.length > 0, req.objective === 'huff');
      signal.throwIfAborted();
    }
    const out = await this.opts.runner(
      { cells, customers, points, areaPopulation: inputs.areaPopulation, network: inputs.network, candidatesFile: inputs.candidatesFile },
      { ...req, costs }, signal, onProgress,
    );
    signal.throwIfAborted();
    if (runId !== this.runSeq) throw new DOMException('Cancelled', 'AbortError'); // a newer run started
    const t0 = performance.now();
    const names = out.outcome.rows.map((r) => this.nameOf(out.data, cells, r));
    const added: NewSite[] = out.outcome.rows.map((r, q) => ({
      id: r.id, lon: r.lon, lat: r.lat, origin: 'recommended', candidate: r.candidate, pinned: r.pinned, robustnessPct: out.robustnessPct[q], names: names[q],
    }));
    const initial = initialScenario(out.data, added);
    const scenario = cloneScenario(initial);
    // Huff at every demand point (200k on the demo): the model build is the long step here,
    // so it reports progress and a cancel gets in before and after it.
    await yieldNow();
    signal.throwIfAborted();
    const huffIndex = new GridIndex(out.data.demand, Math.min(req.huff?.cutoffM ?? HUFF_DEFAULTS.cutoffM, 2000));
    const model = scenarioHuffModel(out.data, scenario, req.huff, {
      signal, demandIndex: huffIndex, onProgress: (done, total) => onProgress({ stage: 'huff', done, total }),
    });
    await yieldNow();
    signal.throwIfAborted();
    if (runId !== this.runSeq) throw new DOMException('Cancelled', 'AbortError');
    const ev = evaluateScenario(out.data, scenario, req.huff, model, { withCosts: req.objective === 'pmedian' });
    const d = out.data;
    const { constraints: _c, ...outcome } = out.outcome;
    const view: RunView = {
      runId,
      request: req,
      siteType: d.siteType,
      radiusM: d.radiusM,
      demand: {
        at: d.demand.at,
        source: d.demand.at === 'points' ? pointSource : 'cells',
        count: d.demand.lon.length,
        // Exact points are drawn as points; 200k H3 strings would only cross to the UI thread.
        h3: d.demand.at === 'points' ? [] : Array.from(d.demand.cell, (i) => cells.h3[i]),
        lon: d.demand.lon, lat: d.demand.lat, weight: d.demand.weight,
        totalWeight: d.demand.totalWeight, totalCustomers: d.demand.totalCustomers, totalPopulation: d.demand.totalPopulation,
        outsidePoints: d.demand.outsidePoints,
      },
      costs: costs ? { pairs: costs.pairs } : null,
      names,
      candidates: {
        count: d.candidates.id.length,
        generated: d.candidates.source.some((s) => s === 'generated'),
        zoneExcluded: out.outcome.zoneExcluded,
        unknownIds: out.outcome.unknownIds,
        swap: costs ? { id: d.candidates.id, name: d.candidates.name, lon: d.candidates.lon, lat: d.candidates.lat } : null,
      },
      own: { id: d.ownSites.map((j) => d.network.id[j]) },
      outcome,
      robustnessPct: out.robustnessPct,
      ownShareBeforePct: out.ownShareBeforePct,
      warnings: [...d.demand.warnings, ...out.outcome.warnings],
      timings: { ...out.timings, evaluateMs: 0 },
      scenario: null as unknown as ScenarioView,
    };
    this.state = { view, out, initial, scenario, version: 0, nextDropped: 1, huffIndex, model };
    this.drag = null;
    view.scenario = this.scenarioView(ev);
    view.timings.evaluateMs = performance.now() - t0;
    return view;
  }

  /** A site's name in both UI languages: the candidates file's `name`, else area · bearing and distance from our nearest site. */
  private nameOf(data: SitesRunOutput['data'], cells: StudyCells, site: { lon: number; lat: number; name?: string }): SiteNames {
    const areas = this.inputs?.areaNames;
    return {
      en: siteName(data, cells, areas?.en ?? null, site, NAME_WORDS.en),
      'zh-CN': siteName(data, cells, areas?.['zh-CN'] ?? null, site, NAME_WORDS['zh-CN']),
    };
  }

  /** A travel-cost table names candidates: a site moved off them, or dropped, has no costs to judge it by. */
  private refuseWithCosts(s: RunState): void {
    if (s.out.data.costs) throw new SitesInputError('costs_no_whatif', 'with a travel-cost table sites stay on candidates: moving or dropping one has no costs');
  }

  private requireRun(): RunState {
    if (!this.state) throw new Error('internal: no recommendation to edit (run one first)');
    return this.state;
  }

  /** The numbers of the scenario as it now is (`ev` when already evaluated); its Huff model is kept for the next drag. */
  private scenarioView(ev?: ScenarioEval): ScenarioView {
    const s = this.requireRun();
    if (!ev) s.model = scenarioHuffModel(s.out.data, s.scenario, s.view.request.huff, { demandIndex: s.huffIndex });
    const e = ev ?? evaluateScenario(s.out.data, s.scenario, s.view.request.huff, s.model, { withCosts: s.view.request.objective === 'pmedian' });
    return {
      version: ++s.version,
      added: s.scenario.added.map((a) => ({ ...a })),
      ownLon: s.scenario.ownLon.slice(),
      ownLat: s.scenario.ownLat.slice(),
      ownOpen: s.scenario.ownOpen.slice(),
      eval: e,
    };
  }

  /** Start dragging a site of the current scenario; returns the numbers at its current position. */
  dragStart(target: DragTarget): { update: DragUpdate; otherCoverCount: Uint16Array; setupMs: number } {
    const s = this.requireRun();
    this.refuseWithCosts(s);
    const t0 = performance.now();
    this.drag = new WhatIfDrag(s.out.data, s.scenario, target, s.view.request.huff, s.model);
    const [lon, lat] = target.kind === 'added'
      ? [s.scenario.added[target.index].lon, s.scenario.added[target.index].lat]
      : [s.scenario.ownLon[target.index], s.scenario.ownLat[target.index]];
    const setupMs = performance.now() - t0;
    return { update: this.drag.move(lon, lat), otherCoverCount: this.drag.otherCoverCount(), setupMs };
  }

  dragMove(lon: number, lat: number): DragUpdate {
    if (!this.drag) throw new Error('internal: no drag in progress');
    return this.drag.move(lon, lat);
  }

  /** Drop the dragged site at (lon, lat) and re-evaluate the scenario. */
  dragEnd(lon: number, lat: number): ScenarioView {
    const s = this.requireRun();
    const d = this.drag;
    this.drag = null;
    if (!d) throw new Error('internal: no drag in progress');
    if (d.target.kind === 'added') {
      const a = s.scenario.added[d.target.index];
      const moved = a.lon !== lon || a.lat !== lat;
      if (moved) {
        s.scenario.added[d.target.index] = {
          ...a, lon, lat,
          id: a.origin === 'recommended' && a.candidate >= 0 ? `${a.id}-moved` : a.id,
          candidate: -1, robustnessPct: NaN,
          names: this.nameOf(s.out.data, this.studyCells(s.view.request.resolution).cells, { lon, lat }),
        };
      }
    } else {
      s.scenario.ownLon[d.target.index] = lon;
      s.scenario.ownLat[d.target.index] = lat;
    }
    return this.scenarioView();
  }

  dragCancel(): void {
    this.drag = null;
  }

  /** A new site of ours at (lon, lat), appended after the ranked ones. */
  dropSite(lon: number, lat: number): ScenarioView {
    const s = this.requireRun();
    this.refuseWithCosts(s);
    s.scenario.added.push({
      id: `new-${s.nextDropped++}`, lon, lat, origin: 'dropped', candidate: -1, pinned: false, robustnessPct: NaN,
      names: this.nameOf(s.out.data, this.studyCells(s.view.request.resolution).cells, { lon, lat }),
    });
    return this.scenarioView();
  }

  /**
   * Puts new site `index` on another candidate (with a travel-cost table the what-if: a site
   * can only stand where the table has costs). Every number is recomputed from the table.
   */
  swapCandidate(index: number, candidateId: string): ScenarioView {
    const s = this.requireRun();
    if (!(index >= 0 && index < s.scenario.added.length)) throw new RangeError(`no new site ${index}`);
    const c = s.out.data.candidates.id.indexOf(candidateId);
    if (c < 0) throw new SitesInputError('unknown_candidate', `${candidateId} is not a candidate of this run`, { id: candidateId });
    if (s.scenario.added.some((a, r) => r !== index && a.candidate === c)) throw new SitesInputError('candidate_taken', `${candidateId} already holds a new site`, { id: candidateId });
    const cand = s.out.data.candidates;
    const a = s.scenario.added[index];
    s.scenario.added[index] = {
      ...a, id: cand.id[c], lon: cand.lon[c], lat: cand.lat[c], candidate: c, robustnessPct: NaN,
      names: this.nameOf(s.out.data, this.studyCells(s.view.request.resolution).cells, { lon: cand.lon[c], lat: cand.lat[c], name: cand.name[c] || undefined }),
    };
    return this.scenarioView();
  }

  removeAdded(index: number): ScenarioView {
    const s = this.requireRun();
    if (!(index >= 0 && index < s.scenario.added.length)) throw new RangeError(`no new site ${index}`);
    s.scenario.added.splice(index, 1);
    return this.scenarioView();
  }

  /** Back to the recommendation as solved. */
  resetScenario(): ScenarioView {
    const s = this.requireRun();
    s.scenario = cloneScenario(s.initial);
    return this.scenarioView();
  }

  /**
   * Closure and rationalisation judge our customers where they are (exact points, as the
   * recommendation does), population at cell centres (it has no points): every customer is a
   * demand point, weighted by the measure (0 under population alone, still counted by the
   * access check). Without points: customers per study cell. Demand and the Huff model are
   * kept for the next ticked box (200k points: the model is the costly part).
   */
  private async closureModel(req: Omit<ClosureRequest, 'close'>): Promise<{ inputs: SitesInputs; demand: DemandPoints; all: number[]; own: number[]; sites: ReturnType<typeof huffSitesOf>; model: HuffModel }> {
    const inputs = this.requireInputs();
    const { cells } = this.studyCells(req.resolution);
    const points = req.measure !== 'population' || inputs.areaPopulation ? await this.exactPoints('customers') : null;
    const dKey = `${req.resolution}|${req.measure}|${req.blendCustomerShare ?? ''}|${points ? 'points' : 'cells'}`;
    if (this.closureCache?.dKey !== dKey) {
      const customers = points ? null : this.customers.get(req.resolution) ?? null;
      const demand = buildDemand(
        { cells, points, customers, areaPopulation: inputs.areaPopulation },
        { measure: req.measure, blendCustomerShare: req.blendCustomerShare, keepAllPeople: true, fineResolution: req.resolution },
      );
      this.closureCache = { dKey, demand, mKey: '', model: null };
    }
    const c = this.closureCache;
    const { all, own } = sitesOfType(inputs.network, req.siteType);
    const sites = huffSitesOf(inputs.network, all);
    const mKey = `${req.siteType}|${JSON.stringify({ ...HUFF_DEFAULTS, ...req.huff })}`;
    if (c.mKey !== mKey || !c.model) {
      c.model = new HuffModel(c.demand, sites, req.huff);
      c.mKey = mKey;
    }
    return { inputs, demand: c.demand, all, own, sites, model: c.model };
  }

  /** Close some of our sites: Huff leakage, distance change and the access check, at every demand point. */
  async closure(req: ClosureRequest): Promise<ClosureView> {
    const { inputs, demand, all, own, sites, model } = await this.closureModel(req);
    const net = inputs.network;
    const { cells } = this.studyCells(req.resolution);
    const pos = new Map(all.map((j, p) => [net.id[j], p]));
    const close: number[] = [];
    for (const id of req.close) {
      const p = pos.get(id);
      if (p === undefined || net.owner[all[p]] !== 'own') throw new SitesInputError('not_own_site', `${id} is not one of our ${req.siteType} sites`, { id });
      close.push(p);
    }
    const accessDistanceM = req.accessDistanceM ?? 1600;
    const r = simulateClosure({
      demand, sites, close, huff: req.huff, model,
      access: {
        population: demand.totalPopulation > 0 ? demand.population : undefined,
        customers: demand.totalCustomers > 0 ? demand.customers : undefined,
        distanceM: accessDistanceM,
        maxShareBeyond: (req.maxSharePct ?? 5) / 100,
      },
    });
    // Per point status for the map: nearest open own site before and after.
    const closed = new Set(close.map((p) => all[p]));
    const ownLon = own.map((j) => net.lon[j]), ownLat = own.map((j) => net.lat[j]);
    const openOwn = own.filter((j) => !closed.has(j));
    const before = nearestSiteDistanceM(demand.lon, demand.lat, ownLon, ownLat);
    const after = nearestSiteDistanceM(demand.lon, demand.lat, openOwn.map((j) => net.lon[j]), openOwn.map((j) => net.lat[j]));
    const status = new Uint8Array(demand.lon.length);
    let newlyBeyondDemand = 0;
    for (let i = 0; i < status.length; i++) {
      status[i] = after[i] > accessDistanceM ? (before[i] > accessDistanceM ? 1 : 2) : 0;
      if (status[i] === 2) newlyBeyondDemand += demand.weight[i];
    }
    const mask = new Uint8Array(all.length);
    for (const p of close) mask[p] = 1;
    const f = closureFlows(model, mask);
    const recipients: ClosureFlowsView['recipients'] = [];
    for (let p = 0; p < all.length; p++) if (f.gained[p] > 0) recipients.push({ id: net.id[all[p]], owner: net.owner[all[p]], demand: f.gained[p] });
    recipients.sort((a, b) => b.demand - a.demand);
    return {
      closedIds: req.close.slice(),
      huff: { ...HUFF_DEFAULTS, ...req.huff },
      totalDemand: demand.totalWeight,
      ownCapturedBefore: r.ownCapturedBefore,
      ownCapturedAfter: r.ownCapturedAfter,
      closedSitesCaptured: r.closedSitesCaptured,
      recapturedByOwn: r.recapturedByOwn,
      leakedToCompetitors: r.leakedToCompetitors,
      leakageByCompetitor: r.leakageByCompetitor,
      becomesUnreached: r.becomesUnreached,
      distance: r.distance,
      access: { distanceM: accessDistanceM, limitPct: r.access.limitPct, population: r.access.population, customers: r.access.customers },
      map: demand.at === 'points'
        ? { at: 'points', h3: [], lon: demand.lon, lat: demand.lat, customer: Uint8Array.from(demand.source!, (i) => (i >= 0 ? 1 : 0)), status, catchment: f.catchment }
        : { at: 'cells', h3: Array.from(demand.cell, (i) => cells.h3[i]), lon: demand.lon, lat: demand.lat, customer: new Uint8Array(0), status, catchment: f.catchment },
      flows: { released: f.released, recipients, unreached: f.unreached, newlyBeyondDemand },
      warnings: r.warnings,
    };
  }

  /** Per own site of the type: demand only it covers, and the Huff demand lost if it closed (at every demand point). */
  async rationalise(req: Omit<ClosureRequest, 'close'>): Promise<RationaliseRow[]> {
    const { inputs, demand, all, sites, model } = await this.closureModel(req);
    const net = inputs.network;
    const rows = rationalise({ demand, sites, model, radiusM: req.radiusM ?? DEFAULT_RADIUS_M[req.siteType], huff: req.huff });
    return rows.map((r) => ({
      id: net.id[all[r.site]],
      coveredDemand: r.coveredDemand,
      uniqueDemand: r.uniqueDemand,
      overlapPct: r.overlapPct,
      huffCaptured: r.huffCapturedDemand,
      lossIfClosed: r.lossIfClosed,
      leakedToCompetitors: r.leakedToCompetitors,
    }));
  }
}

function sum(xs: Float64Array): number {
  let n = 0;
  for (const v of xs) n += v;
  return n;
}

function cloneScenario(s: Scenario): Scenario {
  return { ownLon: s.ownLon.slice(), ownLat: s.ownLat.slice(), ownOpen: s.ownOpen.slice(), added: s.added.map((a) => ({ ...a })) };
}
