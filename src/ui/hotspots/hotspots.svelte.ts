/**
 * State of the Hotspots tab (Svelte 5 runes): the controls the user sets, what the workers
 * returned for them, and the selection. Results are `$state.raw`: typed arrays replaced
 * whole, never deep-proxied. The effects that keep results in step with the controls live
 * in hotspot-view.svelte.ts.
 */
import { DEFAULT_AGE_BANDS } from '../../core/demand.ts';
import type { HotspotFilter, HotspotValue } from '../../pipeline/hotspots/hotspot-pipeline.ts';
import type { ComputeResult, GridView, StabilityResult, TypologyResult } from '../../pipeline/hotspots/hotspot-engine.ts';
import type { HotspotMeasure, HotspotStatistic } from '../../pipeline/hotspots/hotspot-stats.ts';
import type { QuadrantResult, QuadrantRule } from '../../pipeline/hotspots/hotspot-quadrants.ts';

import type { HotspotDisplay } from '../../pipeline/hotspots/hotspot-params.ts';
export { DISPLAYS, MEASURES, RESOLUTIONS, type HotspotDisplay } from '../../pipeline/hotspots/hotspot-params.ts';
/** Service radius defaults by site type (DESIGN.md § Coverage), metres. */
export const DEFAULT_RADIUS_M = { branch: 1500, atm: 500 } as const;
export const AGE_BANDS = DEFAULT_AGE_BANDS;

/** What the customers table offers to the controls. */
export interface CustomerOptions {
  available: boolean;
  rows: number;
  numericColumns: string[];
  segments: { value: string; n: number }[];
  hasAge: boolean;
  hasDigital: boolean;
  /**
   * The demand is a demand-cell table (no customer rows): the resolutions it holds. Only those
   * can be computed; filters are its group columns. Null for customer rows.
   */
  cells?: number[] | null;
}

export interface TypologyState {
  key: string;
  /** Variable ids in matrix order. */
  variables: string[];
  result: TypologyResult;
}

export interface RiskSource {
  /** 'risk-tab' = the Risk tab's current index; 'default' = the default config. */
  source: 'risk-tab' | 'default';
  period: string;
  riskIndex: Float64Array;
  tier: Float64Array;
  tierCount: number;
}

class HotspotsState {
  // ---- controls ----
  measure = $state<HotspotMeasure>('count');
  sumColumn = $state('balance');
  /** '' = all segments. */
  segment = $state('');
  /** '' = all ages, else an AGE_BANDS label. */
  ageBand = $state('');
  /** '' = everyone, '1' active on digital channels, '0' not. */
  digital = $state<'' | '0' | '1'>('');
  resolution = $state(8);
  rings = $state(1);
  fdr = $state(false);
  permutations = $state(0);
  seed = $state(1);
  statistic = $state<HotspotStatistic>('gi');
  display = $state<HotspotDisplay>('classes');
  extrude = $state(false);
  siteType = $state<'branch' | 'atm'>('branch');
  radiusM = $state<number>(DEFAULT_RADIUS_M.branch);
  typologyK = $state(4);
  /** Typology variables the user switched off. */
  typologyOff = $state<string[]>([]);
  /** How demand × risk splits cells: Gi* significance × risk tier, or medians (hotspot-quadrants.ts). */
  quadrantRule = $state<QuadrantRule>('significance');

  // ---- data from the workers ----
  options = $state.raw<CustomerOptions>({ available: false, rows: 0, numericColumns: [], segments: [], hasAge: false, hasDigital: false, cells: null });
  grid = $state.raw<GridView | null>(null);
  result = $state.raw<ComputeResult | null>(null);
  /** `customers` per parent cell (filtered; null for measures not built from customers): the k rule of safe exports. */
  stability = $state.raw<{ key: string; result: StabilityResult; customers: Float64Array | null } | null>(null);
  typology = $state.raw<TypologyState | null>(null);
  quadrants = $state.raw<{ risk: RiskSource; result: QuadrantResult } | null>(null);
  /** Index of the clicked study cell in `grid`, −1 = none. */
  selected = $state(-1);
  busy = $state(false);
  error = $state('');

  /** The SQL filter of the controls. */
  readonly filter = $derived.by((): HotspotFilter => {
    const band = AGE_BANDS.find((b) => b.label === this.ageBand);
    return {
      segments: this.segment ? [this.segment] : undefined,
      age: band ? { minYears: band.minYears, maxYears: band.maxYears } : undefined,
      digitalActive: this.digital === '' ? undefined : (Number(this.digital) as 0 | 1),
    };
  });

  readonly value = $derived<HotspotValue>(this.measure === 'sum' ? { kind: 'sum', column: this.sumColumn } : { kind: 'count' });

  /** Everything a result depends on; equal keys mean the shown result is current. */
  readonly specKey = $derived(
    JSON.stringify([
      this.resolution, this.rings, this.statistic, this.measure, this.measure === 'sum' ? this.sumColumn : '',
      this.filter, this.fdr, this.permutations, this.permutations > 0 ? this.seed : 0,
      this.measure === 'underserved' ? [this.siteType, this.radiusM] : null,
    ]),
  );

  /** True when any customer filter is set. */
  readonly filtered = $derived(this.segment !== '' || this.ageBand !== '' || this.digital !== '');

  resetResults(): void {
    this.grid = null;
    this.result = null;
    this.stability = null;
    this.typology = null;
    this.quadrants = null;
    this.selected = -1;
    this.error = '';
  }
}

export const hotspots = new HotspotsState();
