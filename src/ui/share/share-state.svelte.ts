/**
 * The share workflow's live state: settings (safe sharing and k, picture options), what is
 * on the map right now (layers and legend, handed over by App through ShareHost), the
 * notice shown after opening a link, and capture/apply of the shareable state.
 */
import type { Layer } from '@deck.gl/core';
import { app, TABS, type Tab } from '../app/app-state.svelte.ts';
import type { LegendSpec } from '../map/workflow-map.svelte.ts';
import { getMap } from '../map/map-instance.ts';
import type { Camera, ShareState } from '../../pipeline/share/permalink.ts';
import { applySlices, captureSlices } from './state-slices.ts';
import { DEFAULT_K } from '../../pipeline/share/safe-cells.ts';
import { t } from '../../i18n/i18n.svelte.ts';

const K_KEY = 'bp.share.k';

function savedK(): number {
  const v = typeof localStorage !== 'undefined' ? Number(localStorage.getItem(K_KEY)) : NaN;
  return Number.isInteger(v) && v >= 2 && v <= 1000 ? v : DEFAULT_K;
}

class ShareSettings {
  /** Safe sharing: on at every start, whatever it was last time. */
  safe = $state(true);
  #k = $state(savedK());
  title = $state('');
  subtitle = $state('');
  watermark = $state('');
  width = $state(1920);
  height = $state(1080);
  pixelRatio = $state(2);

  get k(): number {
    return this.#k;
  }
  set k(v: number) {
    if (!Number.isInteger(v) || v < 2 || v > 1000) return;
    this.#k = v;
    localStorage.setItem(K_KEY, String(v));
  }
}

export const shareSettings = new ShareSettings();

export interface Notice {
  kind: 'info' | 'warning' | 'error';
  text: string;
  details?: string[];
}

class ShareLive {
  /** Layers and legend as App draws them now. */
  layers = $state.raw<Layer[]>([]);
  legend = $state.raw<LegendSpec | null>(null);
  /** The last workflow tab before Share: what the Share tab keeps on the map. */
  sourceTab = $state<Tab>('data');
  notice = $state.raw<Notice | null>(null);
  /** The permalink of what is on screen (also in the address bar). */
  link = $state('');
  /** What the link leaves out (e.g. a plan too long for one), in the UI language. */
  linkNotes = $state.raw<string[]>([]);
}

export const shareLive = new ShareLive();

/** The tab a link should reopen: the Share tab stands for the view it shows. */
export function viewTab(): Tab {
  return app.tab === 'share' ? shareLive.sourceTab : app.tab;
}

export function currentCamera(): Camera | null {
  const m = getMap();
  if (!m) return null;
  const c = m.getCenter();
  return { center: [c.lng, c.lat], zoom: m.getZoom(), bearing: m.getBearing(), pitch: m.getPitch() };
}

/** The shareable state now. With `safe`, individual-level slices are left out. */
export function captureState(opts: { safe: boolean }): ShareState {
  const camera = currentCamera() ?? { center: [0, 0], zoom: 0, bearing: 0, pitch: 0 };
  return {
    camera,
    tab: viewTab(),
    indicator: app.indicator,
    period: app.period,
    classMethod: app.classMethod,
    classCount: app.classCount,
    layers: { ...app.layers },
    selectedAreaId: app.selectedAreaId,
    fingerprint: app.dataset?.summary.fingerprint ?? '',
    slices: captureSlices({ safe: opts.safe, k: shareSettings.k }).values,
  };
}

export interface ApplyResult {
  /** The state was taken on another dataset. */
  mismatch: boolean;
  /** What could not be restored, for people. */
  problems: string[];
}

/**
 * Restore what a state holds onto the app. Each part is checked against the loaded
 * dataset: an indicator, period or area it lacks is skipped and named in `problems`.
 * With `stayOnShare`, the Share tab stays open and shows the restored tab's view.
 */
export function applyState(s: Partial<ShareState>, opts: { stayOnShare?: boolean } = {}): ApplyResult {
  const problems: string[] = [];
  const ds = app.dataset;
  const mismatch = !!(ds && s.fingerprint && s.fingerprint !== ds.summary.fingerprint);
  const m = getMap();
  if (s.camera && m) {
    m.jumpTo({ center: s.camera.center, zoom: s.camera.zoom, bearing: s.camera.bearing, pitch: s.camera.pitch });
  }
  if (s.tab !== undefined) {
    if ((TABS as string[]).includes(s.tab) && s.tab !== 'share') {
      // From the Share panel, stay there: it shows the restored tab's view.
      if (opts.stayOnShare && app.tab === 'share') shareLive.sourceTab = s.tab as Tab;
      else app.tab = s.tab as Tab;
    } else problems.push(t('share.problem.tab', { value: s.tab }));
  }
  if (s.indicator !== undefined) {
    if (ds?.summary.indicatorColumns.includes(s.indicator)) app.indicator = s.indicator;
    else problems.push(t('share.problem.indicator', { value: s.indicator }));
  }
  if (s.period !== undefined) {
    if (ds?.periods.includes(s.period)) app.period = s.period;
    else problems.push(t('share.problem.period', { value: s.period }));
  }
  if (s.classMethod === 'quantile' || s.classMethod === 'jenks') app.classMethod = s.classMethod;
  else if (s.classMethod !== undefined) problems.push(t('share.problem.classes', { value: s.classMethod }));
  if (s.classCount !== undefined) {
    if (s.classCount >= 3 && s.classCount <= 7) app.classCount = s.classCount;
    else problems.push(t('share.problem.classes', { value: String(s.classCount) }));
  }
  if (s.layers) {
    for (const [name, on] of Object.entries(s.layers)) {
      if (name in app.layers) app.layers[name as keyof typeof app.layers] = on;
    }
  }
  if (s.selectedAreaId !== undefined) {
    if (s.selectedAreaId === null) app.selectedAreaId = null;
    else if (ds?.areaIndex.has(s.selectedAreaId)) app.selectedAreaId = s.selectedAreaId;
    else {
      app.selectedAreaId = null;
      problems.push(t('share.problem.area', { value: s.selectedAreaId }));
    }
  }
  if (s.slices) {
    const r = applySlices(s.slices);
    problems.push(...r.problems);
  }
  return { mismatch, problems };
}
