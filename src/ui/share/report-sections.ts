/**
 * PDF reports are built from plain section objects, so any workflow can contribute one
 * without touching jsPDF:
 *
 *     registerReport({
 *       id: 'site',
 *       label: () => t('sites.report'),           // shown in the Share panel's report list
 *       available: () => sites.selected !== null,  // greyed out otherwise
 *       build: async (ctx) => [
 *         { kind: 'heading', text: site.name },
 *         { kind: 'table', rows: [['Catchment population', fmt(pop)], ['Huff share', pct]] },
 *         { kind: 'map', caption: 'Catchment' },    // the current view, drawn safely
 *         { kind: 'paragraph', text: '…' },
 *       ],
 *     });
 *
 * The report module adds the title page header, the map images (through the same safe
 * renderer as PNG export), page breaks and the provenance footer on every page.
 */

import type { ReportSection } from '../../pipeline/share/report-section.ts';

export type { ReportSection };

export interface ReportContext {
  /** Safe sharing on: sections must carry aggregates only. */
  safe: boolean;
  k: number;
}

export interface ReportDefinition {
  id: string;
  label: () => string;
  /** Whether the report can be built now (e.g. a site or an area is selected). */
  available: () => boolean;
  /** Title shown at the top of the report. */
  title: () => string;
  build: (ctx: ReportContext) => Promise<ReportSection[]> | ReportSection[];
}

const reports = new Map<string, ReportDefinition>();

/** Register (or replace) a report; returns a function that unregisters it. */
export function registerReport(def: ReportDefinition): () => void {
  reports.set(def.id, def);
  return () => {
    if (reports.get(def.id) === def) reports.delete(def.id);
  };
}

export function registeredReports(): ReportDefinition[] {
  return [...reports.values()];
}

/**
 * An area's history in the measure a tab's map shows (the Risk tab: its index and tier per
 * period), for the area report's trend table. A tab without one falls back to the
 * indicator of the base map.
 */
export interface AreaTrend {
  /** What the rows are, e.g. "Risk index (0–100)". */
  title: string;
  columns: string[];
  rows: string[][];
}

const trends = new Map<string, (areaId: string) => AreaTrend | null>();

/** Register (or replace) the trend of the map a tab shows; returns a function that unregisters it. */
export function registerAreaTrend(tab: string, trend: (areaId: string) => AreaTrend | null): () => void {
  trends.set(tab, trend);
  return () => {
    if (trends.get(tab) === trend) trends.delete(tab);
  };
}

export function areaTrendFor(tab: string): ((areaId: string) => AreaTrend | null) | undefined {
  return trends.get(tab);
}
