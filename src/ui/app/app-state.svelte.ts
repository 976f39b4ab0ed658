/**
 * App-wide UI state (Svelte 5 runes). The dataset is `$state.raw`: it is replaced whole,
 * never mutated, and deep proxies over GeoJSON and typed arrays would only cost time.
 */
import type { ClassMethod } from '../../core/classify.ts';
import type { Dataset } from '../../pipeline/dataset/dataset.ts';

export type Tab = 'data' | 'risk' | 'hotspots' | 'sites' | 'share';
export const TABS: Tab[] = ['data', 'risk', 'hotspots', 'sites', 'share'];

export interface Hover {
  x: number;
  y: number;
  lines: string[];
}

class AppState {
  dataset = $state.raw<Dataset | null>(null);
  tab = $state<Tab>('data');
  panelOpen = $state(true);
  settingsOpen = $state(false);
  /** Presentation mode (Share): chrome hidden, the map fills the window. */
  presenting = $state(false);
  indicator = $state('');
  period = $state('');
  classMethod = $state<ClassMethod>('quantile');
  classCount = $state(5);
  selectedAreaId = $state<string | null>(null);
  hover = $state.raw<Hover | null>(null);
  layers = $state({ choropleth: true, ownBranch: true, ownAtm: true, competitor: true });

  setDataset(ds: Dataset): void {
    this.dataset = ds;
    const cols = ds.summary.indicatorColumns;
    if (!cols.includes(this.indicator)) this.indicator = cols.includes('population') ? 'population' : (cols[0] ?? '');
    if (!ds.periods.includes(this.period)) this.period = ds.periods.at(-1) ?? '';
    if (this.selectedAreaId && !ds.areaIndex.has(this.selectedAreaId)) this.selectedAreaId = null;
  }
}

export const app = new AppState();
