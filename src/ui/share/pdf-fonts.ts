/**
 * The CJK font of PDF reports: Noto Sans SC (SIL Open Font License 1.1, npm
 * @fontsource/noto-sans-sc, its "chinese-simplified" cut: ~7,900 characters, the GB 2312
 * set plus ASCII and common punctuation), regular and bold. Shipped with the app as static
 * assets and fetched only when a report needs a character the PDF standard fonts lack;
 * each report embeds only the glyphs it uses (pdf-lib subsetting).
 */
import regularUrl from '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff?url';
import boldUrl from '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-700-normal.woff?url';
import { woffToSfnt } from './woff.ts';
import type { CjkFonts } from './pdf-report.ts';

let loading: Promise<CjkFonts> | null = null;

async function fetchFont(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`font ${url}: HTTP ${r.status}`);
  return woffToSfnt(new Uint8Array(await r.arrayBuffer()));
}

/** Regular and bold TrueType bytes, fetched once per page load. */
export function loadCjkFonts(): Promise<CjkFonts> {
  loading ??= Promise.all([fetchFont(regularUrl), fetchFont(boldUrl)]).then(([regular, bold]) => ({ regular, bold }));
  // A failed fetch (offline file:// use, a server without the asset) may succeed later.
  loading.catch(() => (loading = null));
  return loading;
}
