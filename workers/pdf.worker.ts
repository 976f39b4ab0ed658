/**
 * The PDF writer (PdfApi) in its own worker, with the CJK font fetched here from the app's own
 * assets: Noto Sans SC (SIL OFL 1.1, @fontsource/noto-sans-sc's "chinese-simplified" cut,
 * regular and bold), fetched only when a report has a character the PDF standard fonts lack.
 */
import * as Comlink from 'comlink';
import regularUrl from '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff?url';
import boldUrl from '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-700-normal.woff?url';
import { woffToSfnt } from '../src/pipeline/share/woff.ts';
import type { CjkFonts } from '../src/pipeline/share/pdf-report.ts';
import type { ProgressFn } from '../src/pipeline/tasks.ts';
import { PdfApi, type PdfJob } from './pdf-api.ts';

async function fetchFont(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`font ${url}: HTTP ${r.status}`);
  return woffToSfnt(new Uint8Array(await r.arrayBuffer()));
}

let loading: Promise<CjkFonts> | null = null;
function loadCjkFonts(): Promise<CjkFonts> {
  loading ??= Promise.all([fetchFont(regularUrl), fetchFont(boldUrl)]).then(([regular, bold]) => ({ regular, bold }));
  loading.catch(() => (loading = null)); // a failed fetch may succeed next time
  return loading;
}

const api = new PdfApi(loadCjkFonts);
const exposed = {
  async build(job: PdfJob, onProgress?: ProgressFn) {
    const r = await api.build(job, onProgress);
    return Comlink.transfer(r, [r.bytes.buffer as ArrayBuffer]);
  },
};
export type PdfWorkerApi = typeof exposed;
Comlink.expose(exposed);
