/**
 * The share actions: PNG of the current view, PDF reports, CSV of the aggregates behind a
 * safe export. Each applies the privacy rules (layersForExport, safeCells) when safe
 * sharing is on, and stamps the provenance footer. Files are saved through Blob URLs: no
 * byte leaves the browser except into the user's download folder.
 */
import type { StyleSpecification } from 'maplibre-gl';
import { getResolution } from 'h3-js';
import type { Layer } from '@deck.gl/core';
import { app } from '../app/app-state.svelte.ts';
import { getMap } from '../map/map-instance.ts';
import { i18n, localized, t, type MessageKey } from '../../i18n/i18n.svelte.ts';
import { layersForExport, type ExportLayers } from './layer-privacy.ts';
import { formatDate, formatDateTime, provenanceLines } from '../../pipeline/share/provenance.ts';
import { describeSlice } from './state-slices.ts';
import { areaName, columnLabel } from '../app/labels.svelte.ts';
import { registeredReports, type ReportContext } from './report-sections.ts';
import { registeredAggregateTables, cellRows, CELL_COLUMNS } from './aggregates.ts';
import { MERGED_CELL_RGB, safeCells } from '../../pipeline/share/safe-cells.ts';
import type { LegendSpec } from '../map/workflow-map.svelte.ts';
import { toCsv } from '../../data/csv-write.ts';
import type { ShareState } from '../../pipeline/share/permalink.ts';
import { captureState, shareLive, shareSettings, viewTab } from './share-state.svelte.ts';
import { canvasToBlob, composePicture, type Picture } from './picture.ts';
import * as Comlink from 'comlink';
import type { ReportSection } from '../../pipeline/share/report-section.ts';
import type { PdfJob, PdfWorkerApi } from '../../../workers/contracts.ts';
import { runTask } from '../app/tasks.svelte.ts';
import { lastRenderPhases, renderMapCanvas } from './map-render.ts';
import { layerTitleKey } from './layer-titles.ts';

/** Save a Blob under `filename` through a temporary object URL. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started by now; keep the URL a little for slow file pickers.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Plain text of an HTML attribution string (style sources may hold links). */
function plainText(html: string): string {
  return new DOMParser().parseFromString(html, 'text/html').body.textContent?.trim() ?? '';
}

export function sourceLine(style: StyleSpecification): string {
  const map = new Set<string>();
  for (const s of Object.values(style.sources)) {
    const a = (s as { attribution?: string }).attribution;
    if (a) map.add(plainText(a));
  }
  const data = app.dataset ? localized(app.dataset.summary.credits) : '';
  const parts = [];
  // The basemap's credit is short and required: first, so a cut never drops it.
  if (map.size) parts.push(t('share.source.map', { source: [...map].join(', ') }));
  if (data) parts.push(t('share.source.data', { source: data }));
  return parts.join(' · ');
}

function stamp(d: Date): string {
  return formatDateTime(d).replace(/[-: ]/g, '').replace(/^(\d{8})(\d{4})$/, '$1-$2');
}

export function datasetName(): string {
  return app.dataset ? localized(app.dataset.summary.name) : t('dataset.none');
}

/** What the exported view shows, in words: the view, its indicator and classes, period, area, and the tab's own parameters. */
export function parameterWords(state: ShareState): string[] {
  const out = [t('share.prov.view', { tab: t(`tab.${state.tab}` as MessageKey) })];
  if (state.tab === 'data' && state.indicator) {
    out.push(t('share.prov.indicator', { indicator: columnLabel(state.indicator) }));
    out.push(t('share.prov.classes', { n: state.classCount, method: t(state.classMethod === 'jenks' ? 'map.classes.jenks' : 'map.classes.quantile') }));
  }
  if (state.period) out.push(t('share.prov.period', { period: state.period }));
  const ds = app.dataset;
  const i = state.selectedAreaId && ds ? ds.areaIndex.get(state.selectedAreaId) : undefined;
  if (ds && i !== undefined) out.push(t('share.prov.area', { area: areaName(ds.areas.features[i].properties) }));
  return [...out, ...describeSlice(state.tab)];
}

export function provenanceFor(state: ShareState, date: Date): string[] {
  return provenanceLines({
    datasetName: datasetName(),
    fingerprint: state.fingerprint,
    parameters: parameterWords(state),
    safeText: shareSettings.safe ? t('share.prov.safeOn', { k: shareSettings.k }) : t('share.prov.safeOff'),
    date,
    labels: {
      dataset: t('share.prov.dataset'),
      fingerprint: t('share.prov.fingerprint'),
      parameters: t('share.prov.parameters'),
      created: t('share.prov.created'),
      separator: t('share.prov.separator'),
      colon: t('share.prov.colon'),
    },
  });
}

export function defaultTitle(): string {
  return shareLive.legend?.title || datasetName();
}

export function defaultSubtitle(): string {
  const tab = viewTab();
  return [datasetName(), t(`tab.${tab}`), app.period].filter(Boolean).join(' · ');
}

/** The live layers an export may draw now. */
export function exportLayers(): ExportLayers<Layer> {
  return layersForExport(shareLive.layers, { safe: shareSettings.safe, k: shareSettings.k });
}

/** One sentence per layer whose cells under k were merged or hidden in this export. */
export function suppressedText(s: ExportLayers<unknown>['suppressed']): string[] {
  return s.map((x) => t('share.suppressed', { layer: t(layerTitleKey(x.id)), merged: x.merged, hidden: x.hiddenCount, k: shareSettings.k }));
}

/**
 * The legend an export draws: the view's, plus the grey of merged cells when a safe variant
 * merged some (the picture itself must say its map is not every cell).
 */
function exportLegend(suppressed: ExportLayers<unknown>['suppressed']): LegendSpec | null {
  const legend = shareLive.legend;
  if (!legend || !suppressed.some((x) => x.merged > 0 || x.hiddenCount > 0)) return legend;
  return { ...legend, items: [...legend.items, { color: MERGED_CELL_RGB, label: t('share.legend.merged', { k: shareSettings.k }) }] };
}

export interface PictureOptions {
  width: number;
  height: number;
  pixelRatio: number;
  frame: 'full' | 'bare';
  fontPx?: number;
  /** Polled while the map is drawn: true ends it with an AbortError (Cancel). */
  stop?: () => boolean;
}

export interface PictureOutcome {
  picture: Picture;
  state: ShareState;
  left: ExportLayers<Layer>['left'];
  suppressed: ExportLayers<Layer>['suppressed'];
  date: Date;
}

export async function pictureOfView(opts: PictureOptions): Promise<PictureOutcome> {
  const map = getMap();
  if (!map) throw new Error(t('share.error.noMap'));
  const date = new Date();
  const state = captureState({ safe: shareSettings.safe });
  const { layers, left, suppressed } = exportLayers();
  const style = map.getStyle();
  const picture = await composePicture({
    ...opts,
    title: shareSettings.title.trim() || defaultTitle(),
    subtitle: shareSettings.subtitle.trim() || defaultSubtitle(),
    dateText: formatDate(date),
    watermark: shareSettings.watermark,
    legend: exportLegend(suppressed),
    sourceLine: sourceLine(style),
    provenance: provenanceFor(state, date),
    camera: state.camera,
    style,
    layers,
  });
  return { picture, state, left, suppressed, date };
}

export interface PngResult {
  filename: string;
  bytes: number;
  width: number;
  height: number;
  ms: number;
  mapMs: number;
  left: ExportLayers<Layer>['left'];
  suppressed: ExportLayers<Layer>['suppressed'];
}

/** Footer lines of the last PNG export (source, provenance), for tests through `window.__bpShare`. */
export const lastFooter: { value: string[] | null } = { value: null };

/** Timings of the last PNG export in ms (shown to tests through `window.__bpShare`). */
export const lastPngTimings: { value: Record<string, number> | null } = { value: null };

export async function exportPng(): Promise<PngResult> {
  const t0 = performance.now();
  const { picture, left, suppressed, date } = await pictureOfView({
    width: shareSettings.width, height: shareSettings.height, pixelRatio: shareSettings.pixelRatio, frame: 'full',
  });
  lastFooter.value = picture.footer;
  const t1 = performance.now();
  const blob = await canvasToBlob(picture.canvas);
  const filename = `branch-planner-${viewTab()}-${stamp(date)}.png`;
  saveBlob(blob, filename);
  lastPngTimings.value = {
    totalMs: performance.now() - t0, mapMs: picture.timings.mapMs, ...lastRenderPhases.value,
    composeMs: picture.timings.composeMs, encodeMs: performance.now() - t1,
  };
  return {
    filename, bytes: blob.size, width: picture.canvas.width, height: picture.canvas.height,
    ms: performance.now() - t0, mapMs: picture.timings.mapMs, left, suppressed,
  };
}

export interface PdfResult {
  filename: string;
  pages: number;
  ms: number;
  left: ExportLayers<Layer>['left'];
  suppressed: ExportLayers<Layer>['suppressed'];
}

/** Timings of the last PDF export in ms: maps drawn on the main thread, the file written in the worker. */
export const lastPdfTimings: { value: { mapsMs: number; buildMs: number; totalMs: number } | null } = { value: null };

let pdfWorker: { worker: Worker; api: Comlink.Remote<PdfWorkerApi> } | null = null;

function pdfRemote(): Comlink.Remote<PdfWorkerApi> {
  if (!pdfWorker) {
    const worker = new Worker(new URL('../../../workers/pdf.worker.ts', import.meta.url), { type: 'module', name: 'pdf' });
    pdfWorker = { worker, api: Comlink.wrap<PdfWorkerApi>(worker) };
  }
  return pdfWorker.api;
}

/**
 * A PDF report: its maps drawn here (they need the live map), then written by pdf-lib in the
 * PDF worker, with progress and cancel in the status bar. Cancel terminates the worker (a
 * fresh one serves the next report). Resolves to null when the user cancelled.
 */
export async function exportReport(reportId: string): Promise<PdfResult | null> {
  const def = registeredReports().find((r) => r.id === reportId);
  if (!def) throw new Error(t('share.error.noReport', { id: reportId }));
  if (!def.available()) throw new Error(t('share.error.reportUnavailable', { report: def.label() }));
  let stopped = false;
  let cancelled: (e: unknown) => void = () => {};
  const cancel = new Promise<never>((_, reject) => (cancelled = reject));
  cancel.catch(() => {}); // raced below; unobserved when the cancel comes between steps
  return runTask('share.pdf.task', async (_id, onProgress) => {
    const t0 = performance.now();
    const date = new Date();
    const ctx: ReportContext = { safe: shareSettings.safe, k: shareSettings.k };
    const sections = await def.build(ctx);
    const state = captureState({ safe: shareSettings.safe });
    const { left, suppressed } = exportLayers();
    const footer = provenanceFor(state, date);
    // Maps first, here: the worker gets pictures. Drawing them is the first 40 % of the bar.
    const maps = sections.filter((x) => x.kind === 'map').length;
    let drawn = 0;
    const ready: PdfJob['sections'] = [];
    for (const x of sections) {
      ready.push(x.kind === 'map' ? await mapSection(x, () => stopped) : x);
      if (x.kind === 'map') onProgress({ step: 'share.pdf.task', fraction: (0.4 * ++drawn) / maps });
      if (stopped) throw new DOMException('Cancelled', 'AbortError');
    }
    const t1 = performance.now();
    const job: PdfJob = {
      title: def.title(),
      subtitle: defaultSubtitle(),
      dateText: formatDate(date),
      sections: ready,
      footer,
      pageLabel: t('share.pdf.page', { n: '{n}', total: '{total}' }),
      metadata: {
        subject: def.label(),
        keywords: [t('app.title'), def.label(), datasetName(), shareSettings.safe ? t('share.prov.safeOn', { k: shareSettings.k }) : t('share.prov.safeOff')].join('; '),
        language: i18n.locale,
      },
    };
    const toBar = Comlink.proxy(({ fraction }: { fraction: number | null }) => onProgress({ step: 'share.pdf.task', fraction: 0.4 + 0.6 * (fraction ?? 0) }));
    const { bytes, pages } = await Promise.race([pdfRemote().build(job, toBar), cancel]);
    const blob = new Blob([bytes as BlobPart], { type: 'application/pdf' });
    const filename = `branch-planner-${def.id}-report-${stamp(date)}.pdf`;
    saveBlob(blob, filename);
    const t2 = performance.now();
    lastPdfTimings.value = { mapsMs: t1 - t0, buildMs: t2 - t1, totalMs: t2 - t0 };
    return { filename, pages, ms: t2 - t0, left, suppressed };
  }, () => {
    stopped = true;
    pdfWorker?.worker.terminate();
    pdfWorker = null;
    cancelled(new DOMException('Cancelled', 'AbortError'));
  });
}

/** A `map` section as the picture of the current view (safe layers, report resolution). */
async function mapSection(s: Extract<ReportSection, { kind: 'map' }>, stop: () => boolean): Promise<Extract<ReportSection, { kind: 'image' }>> {
  const aspect = s.aspect ?? 16 / 10;
  // 1000 CSS px across the 180 mm text width: type at 15 px prints at ~7.5 pt; 1.8× ≈ 250
  // dpi, and JPEG at 0.85 keeps a report with two maps near 1 MB.
  const width = 1000;
  const { picture } = await pictureOfView({ width, height: Math.round(width / aspect), pixelRatio: 1.8, frame: 'bare', fontPx: 15, stop });
  return { kind: 'image', dataUrl: picture.canvas.toDataURL('image/jpeg', 0.85), aspect, caption: s.caption };
}

export interface CsvResult {
  filename: string;
  rows: number;
  /** Cells merged into parents / customers in hidden cells (H3 tables, safe mode). */
  merged?: number;
  hiddenCount?: number;
}

export async function exportAggregateCsv(tableId: string): Promise<CsvResult> {
  const table = registeredAggregateTables().find((x) => x.id === tableId);
  if (!table) throw new Error(t('share.error.noTable', { id: tableId }));
  const date = new Date();
  const filename = `branch-planner-${table.id}-${stamp(date)}.csv`;
  if (table.kind === 'area-rows') {
    const rows = await table.rows();
    const cols = table.columns();
    saveBlob(new Blob([toCsv(cols, rows)], { type: 'text/csv;charset=utf-8' }), filename);
    return { filename, rows: rows.length };
  }
  const cells = await table.rows();
  const extra = table.columns ?? [];
  if (!shareSettings.safe) {
    const rows = cellRows(cells.map((c) => ({ ...c, resolution: getResolution(c.h3), merged: 1 })), extra);
    saveBlob(new Blob([toCsv([...CELL_COLUMNS, ...extra], rows)], { type: 'text/csv;charset=utf-8' }), filename);
    return { filename, rows: rows.length };
  }
  const safe = safeCells(cells, shareSettings.k, { sum: table.sum });
  const rows = cellRows(safe.cells, extra);
  saveBlob(new Blob([toCsv([...CELL_COLUMNS, ...extra], rows)], { type: 'text/csv;charset=utf-8' }), filename);
  return { filename, rows: rows.length, merged: safe.mergedInputs, hiddenCount: safe.hiddenCount };
}

/** Width in CSS px of the Share panel's preview of the PNG export. */
export const PREVIEW_WIDTH = 480;

/**
 * The PNG export drawn small, for the Share panel: the same composition (title, legend,
 * footer, safe layers) scaled down from the export's size, type scaled with it, so the
 * preview is what the file will show.
 */
export async function previewOfExport(): Promise<string | null> {
  if (!getMap()) return null;
  const W = shareSettings.width;
  const H = shareSettings.height;
  const scale = PREVIEW_WIDTH / W;
  const fontFull = Math.max(10, Math.min(W, H * 1.6) / 110);
  const { picture } = await pictureOfView({ width: PREVIEW_WIDTH, height: Math.round(H * scale), pixelRatio: 1, frame: 'full', fontPx: fontFull * scale });
  return picture.canvas.toDataURL('image/jpeg', 0.85);
}

/** A small picture of the view for the snapshot list (map only, export privacy rules). */
export async function thumbnailOfView(width = 320, height = 180): Promise<string | null> {
  const map = getMap();
  if (!map) return null;
  const state = captureState({ safe: shareSettings.safe });
  const canvas = await renderMapCanvas({ width, height, pixelRatio: 1, camera: state.camera, style: map.getStyle(), layers: exportLayers().layers });
  return canvas.toDataURL('image/jpeg', 0.8);
}
