/**
 * The PDF writer's worker API: pdf-lib lays out the report, subsets the CJK font with fontkit
 * and compresses the file here, off the UI thread (in headless Chromium it held the UI for tens
 * of seconds). The maps are drawn on the main thread first (they need the live map's WebGL
 * context), so every `map` section arrives as an `image`. A plain class: Node tests call it
 * directly, pdf.worker.ts exposes it with comlink; the UI cancels by terminating the worker.
 */
import { buildReportPdf, type CjkFonts, type ReportRequest, type ReportResult } from '../src/pipeline/share/pdf-report.ts';
import type { ReportSection } from '../src/pipeline/share/report-section.ts';
import type { ProgressFn } from '../src/pipeline/tasks.ts';

/** A report ready to write: no callbacks, maps already pictures. */
export interface PdfJob extends Omit<ReportRequest, 'sections' | 'pageLabel' | 'renderMap' | 'loadCjkFonts' | 'onProgress'> {
  sections: Exclude<ReportSection, { kind: 'map' }>[];
  /** The page label in the user's language with `{n}` and `{total}` left in ("Page {n} of {total}"). */
  pageLabel: string;
}

export class PdfApi {
  constructor(private readonly loadCjkFonts: () => Promise<CjkFonts>) {}

  async build(job: PdfJob, onProgress?: ProgressFn): Promise<ReportResult> {
    return buildReportPdf({
      ...job,
      pageLabel: (n, total) => job.pageLabel.replaceAll('{n}', String(n)).replaceAll('{total}', String(total)),
      renderMap: () => Promise.reject(new Error('a map section reached the PDF worker: draw maps on the main thread first')),
      loadCjkFonts: this.loadCjkFonts,
      onProgress: onProgress && ((done, total) => onProgress({ step: 'share.pdf.step', fraction: done / total })),
    });
  }
}
