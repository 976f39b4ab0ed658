/**
 * The Sites tab's state: the controls, the last recommendation and the scenario
 * edited from it, the live drag, saved scenarios A/B, and closure mode. Plain rune state;
 * the work is in sites-run.svelte.ts, the map in sites-view.svelte.ts.
 */
import { DEFAULT_RADIUS_M, type DemandMeasure, type ExclusionZone, type SiteObjective, type SiteSolver, type SiteType } from '../../pipeline/sites/sites-model.ts';
import type { DragUpdate } from '../../pipeline/sites/sites-whatif.ts';
import { defaultHuff, type HuffInputs } from '../../pipeline/sites/sites-params.ts';
import type { ClosureView, PointSource, RationaliseRow, RunView, ScenarioView } from '../../pipeline/sites/sites-engine.ts';
import type { RestoredResult } from '../../pipeline/sites/sites-params.ts';

export type SitesMode = 'recommend' | 'closure';
export type MapColouring = 'coverage' | 'huff' | 'demand';
export type MapTool = 'zone' | 'drop' | null;

/** What the user dragged: a new site (scenario order) or one of our existing sites (engine order). */
export type DragRef = { kind: 'added'; index: number } | { kind: 'own'; index: number };

export interface SavedScenario {
  label: string;
  objective: SiteObjective;
  siteType: SiteType;
  k: number;
  radiusM: number;
  newSites: number;
  coveragePct: number;
  coveredDemand: number;
  ownSharePct: number;
  ownCaptured: number;
  cannibalised: number;
  totalDemand: number;
  sites: string[];
  /** What the demand numbers count (their unit in the comparison). */
  measure?: DemandMeasure;
}

export interface DragStats {
  /** Updates applied. */
  n: number;
  /** Pointer event → numbers in state, ms. */
  meanMs: number;
  maxMs: number;
  lastMs: number;
  /** Median of the drag's latest 200 updates, ms (a frame that stalls moves the mean, not this). */
  medianMs: number;
  /** Worker compute per update, ms. */
  meanComputeMs: number;
  /** Request sent → answer received (worker compute + messaging + waiting for the UI thread), ms. */
  meanRoundTripMs: number;
  maxRoundTripMs: number;
}

class SitesState {
  mode = $state<SitesMode>('recommend');

  siteType = $state<SiteType>('branch');
  k = $state(5);
  radiusM = $state(DEFAULT_RADIUS_M.branch);
  objective = $state<SiteObjective>('coverage');
  solver = $state<SiteSolver>('greedy');
  timeLimitS = $state(30);
  /** LSCP target, percent of total demand. */
  targetPct = $state(50);
  measure = $state<DemandMeasure>('customers');
  /** Where customer demand stands: every customer, or the demand-points table (when loaded). */
  pointSource = $state<PointSource>('customers');
  /** Use the loaded travel-cost table instead of straight-line distances. */
  useCosts = $state(false);
  /** Blend: customers' share, percent. */
  blendPct = $state(50);
  resolution = $state(8);
  minSpacingM = $state(0);
  replicates = $state(20);
  zones = $state<ExclusionZone[]>([]);
  zoneRadiusM = $state(1000);
  pinned = $state<string[]>([]);
  excluded = $state<string[]>([]);
  /** Pinned positions that are not candidates (moved or dropped sites). */
  extraCandidates = $state<{ id: string; lon: number; lat: number }[]>([]);
  /** Huff model parameters (advanced controls); checked by huffIssues before a run. */
  huff = $state<HuffInputs>(defaultHuff());

  hasCustomers = $state(false);
  /** The customers are a demand-cell table holding these resolutions (no rows), else null. */
  demandCells = $state.raw<number[] | null>(null);
  hasPopulation = $state(false);
  hasCandidatesFile = $state(false);
  hasDemandPoints = $state(false);
  hasCosts = $state(false);

  run = $state.raw<RunView | null>(null);
  /** A result restored from a link or snapshot (shown without re-running); cleared by a run. */
  restored = $state.raw<RestoredResult | null>(null);
  /** The link opened carried a result that could not be read: the run on screen was made again from its parameters. */
  linkUnread = $state(false);
  scenario = $state.raw<ScenarioView | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  /** Last progress stage of a run (i18n key). */
  stage = $state<string | null>(null);

  colouring = $state<MapColouring>('coverage');
  tool = $state<MapTool>(null);
  /** The site being dragged and where the pointer has it now. */
  dragging = $state.raw<{ ref: DragRef; lon: number; lat: number } | null>(null);
  /** Numbers for the dragged position (from the worker). */
  live = $state.raw<DragUpdate | null>(null);
  /** Per demand point, our other sites covering it (colours cells while dragging). */
  otherCover = $state.raw<Uint16Array | null>(null);
  /** Worker time to set up the last drag (Huff model, coverage counts), ms. */
  dragSetupMs = $state(0);
  dragStats = $state.raw<DragStats>({ n: 0, meanMs: 0, maxMs: 0, lastMs: 0, medianMs: 0, meanComputeMs: 0, meanRoundTripMs: 0, maxRoundTripMs: 0 });

  saved = $state.raw<{ A: SavedScenario | null; B: SavedScenario | null }>({ A: null, B: null });

  // closure mode
  closeIds = $state<string[]>([]);
  accessDistanceM = $state(1600);
  maxSharePct = $state(5);
  closure = $state.raw<ClosureView | null>(null);
  rationalisation = $state.raw<RationaliseRow[] | null>(null);

  setSiteType(t: SiteType): void {
    if (t === this.siteType) return;
    this.siteType = t;
    this.radiusM = DEFAULT_RADIUS_M[t];
    this.closeIds = [];
    this.pinned = [];
    this.excluded = [];
    this.extraCandidates = [];
  }

  /** Forget results (a new dataset). */
  reset(): void {
    this.run = null;
    this.restored = null;
    this.linkUnread = false;
    this.scenario = null;
    this.live = null;
    this.dragging = null;
    this.otherCover = null;
    this.closure = null;
    this.rationalisation = null;
    this.closeIds = [];
    this.pinned = [];
    this.excluded = [];
    this.extraCandidates = [];
    this.zones = [];
    this.saved = { A: null, B: null };
    this.error = null;
  }
}

export const sites = new SitesState();
