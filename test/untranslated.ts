/**
 * Finds English left on a Chinese screen. A piece of visible text is untranslated when, after
 * taking out what is legitimately ASCII in a zh-CN UI — numbers, units, codes and ids (H3
 * cells, BR001, 2025Q4, column names like avg_income), file names, URLs, acronyms (PDF, ATM,
 * LTV) and the few proper names and technical terms that stay in Latin script (Huff, Jenks,
 * Tianditu, HiGHS) — an English word is left: "（persons）", "Language", "3 areas".
 *
 * The e2e walk (test/e2e/i18n-walk.e2e.ts) collects the text; this module only judges it, so
 * the rule itself is unit-tested (test/untranslated.test.ts).
 */

/** Units and unit-like abbreviations that read the same in both languages. */
const UNITS = new Set(['m', 'km', 'km²', 'bp', 's', 'ms', 'px', 'h', 'x', 'kb', 'mb', 'gb', 'kB', 'MB', 'GB', 'dpi', 'pt', 'mm', 'yr']);

/**
 * Proper names and technical terms a Chinese analyst reads in Latin script. Each is a name of
 * a person, model, product or standard, not an English word with a Chinese translation.
 */
const TERMS = new Set([
  'Huff', 'Gi', 'Bootstrap', 'Esc', 'Getis', 'Ord', 'Jenks', 'Moran', 'Benjamini', 'Hochberg', 'Monte', 'Carlo',
  'HiGHS', 'Tianditu', 'AMap', 'MapLibre', 'OpenStreetMap', 'PMTiles', 'DuckDB', 'Excel', 'Parquet', 'GeoJSON',
  'Arrow', 'WebGL', 'Chromium', 'Noto', 'Sans', 'SC', 'echarts', 'gcoord', 'Protomaps', 'OpenMapTiles',
  'tk', 'lon', 'lat',
]);

/** Names of more than one word (data sources, products), taken out before words are judged. */
const NAMES = /\b(?:Natural Earth|Google Earth|Google Maps|Getis-Ord)\b/g;

/** Data values of the demo city that reach the screen as they are (e.g. the segment column). */
export type DataWords = ReadonlySet<string>;

const FILE = /[^\s:：,，;；、"“”'‘’]+\.(?:csv|tsv|txt|json|geojson|parquet|xlsx|xls|gz|zip|pdf|png|pmtiles|svg)\b/gi;
const URL = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)+\.(?:cn|com|org|net|gov)\b\S*/gi;
/** Words with a digit or an underscore in them are codes or ids (BR001, 2025Q4, avg_income, s_d_hpi_4, 8831aa5b). */
const CODE = /\b(?=[\w-]*[\d_])[\w-]+\b/g;
/** Two or more capitals (optionally with digits/hyphens): PDF, ATM, LTV, GCJ-02, WGS84, CNY. */
const ACRONYM = /^[A-Z][A-Z0-9]+(?:[-/][A-Z0-9]+)*s?$/;

/**
 * The English words left in `text` once data, ids, units and terms are taken out (empty = fine).
 * Single letters are symbols here (z, p, k, scenario A and B), not words.
 */
export function englishWords(text: string, data: DataWords = new Set()): string[] {
  const rest = text.replace(NAMES, ' ').replace(URL, ' ').replace(FILE, ' ').replace(CODE, ' ');
  const words = rest.match(/[A-Za-z][A-Za-z'’²]*/g) ?? [];
  return words.filter((w) => w.length > 1 && !UNITS.has(w) && !TERMS.has(w) && !ACRONYM.test(w) && !data.has(w) && !data.has(w.toLowerCase()));
}

export interface Finding {
  /** Where on the page: the nearest data-testid ancestors, outermost first. */
  where: string;
  /** The text as shown (or the attribute's value, as `title="..."`). */
  text: string;
  words: string[];
}

export interface Piece {
  where: string;
  text: string;
}

/** The pieces of text with English words left in them, one finding per distinct text and place. */
export function untranslated(pieces: readonly Piece[], data: DataWords = new Set()): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const p of pieces) {
    const key = `${p.where}\u0000${p.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const words = englishWords(p.text, data);
    if (words.length) out.push({ where: p.where, text: p.text, words });
  }
  return out;
}
