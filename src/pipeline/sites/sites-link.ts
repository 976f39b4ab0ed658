/**
 * A shared Sites result in a few characters per site, so a link holds 50–100 recommended sites
 * within the 4,000-character slice limit (permalink.ts MAX_SLICE_CHARS). The JSON form
 * (sites-params.ts parseResult) spends ~300 characters a site — names in two languages and
 * 15-digit numbers — and filled a link at ~15 sites.
 *
 * Packed form, the `rp` field of the Sites slice: `{ b, w }`.
 *
 *   w  the words of the names and the ids that are not H3 cells, each once, as JSON text (a
 *      Chinese character costs one character there, four in base64). Names are split at
 *      spaces; the English and Chinese names of a site differ only in the area and the
 *      compass word, so a word is either one text for both or an [en, zh] pair.
 *   b  base64url of: format byte (1) · header · sites · FNV-1a 32-bit checksum of the bytes
 *      before it and of `w`
 *      header  flags (objective, solver, type, points/cells, costs, masked) · radius · masked
 *              k · demand points · total, existing covered, covered demand · coverage %, our share %
 *      site    flags (origin, moved, id kind, name kind, cumulative figures implied) · lon, lat
 *              as delta-coded 1e-6° integers (~0.1 m) · id: the H3 resolution of the cell
 *              holding the stored position, or a word index · the names as word counts and
 *              indexes (one list of word pairs when both names have as many words) · marginal
 *              demand · [covered demand, coverage % unless implied by the previous row plus
 *              the marginal] · Huff captured · total and mean cost
 *
 * Integers are LEB128 varints; signed ones zigzag-coded. Numbers are fixed-point: demand and
 * costs to 0.01, percentages to 0.0001 (the list shows 0 and 2 decimals), unknown (NaN) as 0.
 * Decoding checks every length, index and range and the checksum, then the result goes
 * through parseResult like a JSON one: a damaged or edited link restores no result at all.
 *
 * Format 2 (written since issue #12; format 1 is still read): `{ b }` alone, ~14 characters a
 * site, so a link of 500 sites stays near 8,000 characters. The words travel inside `b` as
 * UTF-8 (a Chinese character costs 4 base64 characters there, 9 percent-escaped in JSON), and
 * the sites are written column by column at the bit (bit-columns.ts: each column its minimum
 * and bit width, then the values in that many bits): flags · lon · lat (1e-6°, absolute) · id
 * · words per name · the name's k-th word through a dictionary of the words used k-th (an
 * area, a compass point, a distance: a few bits each) · marginal demand · [covered, %] where
 * not implied · Huff captured · total and mean cost. Per-site demand is kept to whole units
 * and costs to 0.1 (what the list and the report show: 0 and 1 decimals); totals as format 1.
 */
import { cellAt, h3ResolutionOf } from '../../core/candidates.ts';
import {
  BitReader, BitWriter, ByteReader, ByteWriter, fixedCode, fixedValue, fromBase64Url, readColumn, toBase64Url, unzigzag, writeColumn, zigzag,
} from '../share/bit-columns.ts';
import { OBJECTIVES, type SiteObjective } from './sites-model.ts';
import { parseResult, parseShared, type RestoredResult, type RestoredSite, type SitesShared } from './sites-params.ts';

/**
 * The Sites slice of a link or snapshot (untrusted), its result read from the packed form
 * (`rp`) or, in links made before it, from the JSON form (`result`).
 */
export function parseSitesSlice(v: unknown): Partial<SitesShared> {
  const p = parseShared(v);
  const packed = v && typeof v === 'object' && 'rp' in v ? unpackResult((v as { rp: unknown }).rp) : undefined;
  if (packed) p.result = packed;
  return p;
}

/** The first byte of the packed form written now; a newer app may write another. Format 1 is still read. */
export const PACKED_RESULT_FORMAT = 2;
const FORMAT_1 = 1;
const MAX_SITES = 1000;
const MAX_WORDS = 20_000;
const DEG = 1e6;
const DEMAND = 100;
const PCT = 1e4;

/** FNV-1a, 32 bits: catches a changed, dropped or added character (not a defence against forgery; parseResult is). */
function fnv1a(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const x of b) h = Math.imul(h ^ x, 0x01000193) >>> 0;
  return h;
}

const SITE_TYPES = ['branch', 'atm'] as const;
const ID_H3 = 0, ID_STRING = 1;

/** A shared result as links made before issue #12 carry it (the `rp` field, format 1): see the file comment. */
export interface PackedResult {
  b: string;
  w: (string | [string, string])[];
}

/** A shared result as a link carries it now (format 2). */
export interface PackedResultV2 {
  b: string;
}

const wordKey = (w: string | [string, string]) => (typeof w === 'string' ? w : `${w[0]}\u0000${w[1]}`);
const utf8 = new TextEncoder();
/** The checksum covers the bytes and the word table. */
const checksum = (body: Uint8Array, words: PackedResult['w']) => fnv1a(Uint8Array.from([...body, ...utf8.encode(JSON.stringify(words))]));

/** Each distinct word once, in first-use order; `ref` gives a word's index. */
function wordTable<W>(key: (w: W) => string): { words: W[]; ref: (w: W) => number } {
  const words: W[] = [];
  const index = new Map<string, number>();
  const ref = (w: W) => {
    const k = key(w);
    let i = index.get(k);
    if (i === undefined) index.set(k, (i = words.push(w) - 1));
    return i;
  };
  return { words, ref };
}

/**
 * A site's position in 1e-6° integers, whether its id is the H3 cell (at `res`) holding that
 * position, and its names' words (paired when both names have as many).
 */
function siteParts(s: RestoredSite) {
  const lon = Math.round(s.lon * DEG), lat = Math.round(s.lat * DEG);
  const res = h3ResolutionOf(s.id);
  const derived = res >= 0 && cellAt(lon / DEG, lat / DEG, res) === s.id;
  const en = s.names.en.split(' '), zh = s.names['zh-CN'].split(' ');
  return { lon, lat, res, derived, en, zh, paired: en.length === zh.length };
}

/** The result packed in format 1 (kept to test that old links open; links are written in format 2). */
export function packResultV1(r: RestoredResult): PackedResult {
  const { words, ref } = wordTable<string | [string, string]>(wordKey);
  const sites = r.sites.map((s) => {
    const { lon, lat, res, derived, en, zh, paired } = siteParts(s);
    return {
      s, lon, lat, idKind: derived ? ID_H3 : ID_STRING, id: derived ? res : ref(s.id), paired,
      names: paired ? [en.map((w, i) => ref(w === zh[i] ? w : [w, zh[i]]))] : [en.map(ref), zh.map(ref)],
    };
  });
  const w = new ByteWriter();
  w.byte(FORMAT_1);
  w.byte(OBJECTIVES.indexOf(r.objective));
  w.byte((r.solver === 'exact' ? 1 : 0) | (r.siteType === 'atm' ? 2 : 0) | (r.at === 'cells' ? 4 : 0) | (r.costs ? 8 : 0) | (r.maskedBelow !== undefined ? 16 : 0));
  w.fixed(r.radiusM, DEMAND);
  if (r.maskedBelow !== undefined) w.uint(r.maskedBelow);
  for (const x of [r.demandPoints, r.totalDemand, r.existingCoveredDemand, r.coveredDemand]) w.fixed(x, DEMAND);
  w.fixed(r.coveragePct, PCT);
  w.fixed(r.ownSharePct, PCT);
  w.uint(sites.length);
  let lon0 = 0, lat0 = 0, covered = quantized(r.existingCoveredDemand, DEMAND);
  for (const x of sites) {
    // Row r's covered demand is row r − 1's plus its marginal gain, its percentage that over the total: left implied when so.
    const marginal = quantized(x.s.marginalDemand, DEMAND);
    const implied = quantized(covered + marginal, DEMAND) === quantized(x.s.coveredDemand, DEMAND)
      && quantized((100 * quantized(x.s.coveredDemand, DEMAND)) / quantized(r.totalDemand, DEMAND), PCT) === quantized(x.s.coveragePct, PCT);
    w.byte((x.s.origin === 'dropped' ? 1 : 0) | (x.s.moved ? 2 : 0) | (x.idKind << 2) | (x.paired ? 8 : 0) | (implied ? 16 : 0));
    w.int(x.lon - lon0);
    w.int(x.lat - lat0);
    lon0 = x.lon;
    lat0 = x.lat;
    w.uint(x.id);
    for (const list of x.names) {
      w.uint(list.length);
      for (const i of list) w.uint(i);
    }
    w.fixed(x.s.marginalDemand, DEMAND);
    if (!implied) {
      w.fixed(x.s.coveredDemand, DEMAND);
      w.fixed(x.s.coveragePct, PCT);
    }
    for (const v of [x.s.huffCaptured, x.s.totalCost, x.s.meanCost]) w.fixed(v, DEMAND);
    covered = quantized(x.s.coveredDemand, DEMAND);
  }
  const body = w.done();
  const h = checksum(body, words);
  return { b: toBase64Url(Uint8Array.from([...body, h & 255, (h >>> 8) & 255, (h >>> 16) & 255, h >>> 24])), w: words };
}

/** `x` as the packed form keeps it (NaN stays NaN). */
function quantized(x: number, scale: number): number {
  return Number.isFinite(x) ? Math.round(x * scale) / scale : NaN;
}

/**
 * A packed result (untrusted: from a link), or undefined when it is not one this app can
 * read whole — bad characters, a wrong checksum, a truncated or over-long stream, an index out
 * of range, a value parseResult refuses.
 */
export function unpackResult(v: unknown): RestoredResult | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const { b, w } = v as Record<string, unknown>;
  if (w === undefined) return unpackV2(b);
  if (typeof b !== 'string' || b.length > 100_000 || !Array.isArray(w) || w.length > MAX_WORDS) return undefined;
  const isText = (x: unknown): x is string => typeof x === 'string' && x.length <= 200;
  if (!w.every((x) => isText(x) || (Array.isArray(x) && x.length === 2 && isText(x[0]) && isText(x[1])))) return undefined;
  const words = w as PackedResult['w'];
  const all = fromBase64Url(b);
  if (!all || all.length < 5) return undefined;
  const body = all.subarray(0, all.length - 4);
  const sum = all[all.length - 4] | (all[all.length - 3] << 8) | (all[all.length - 2] << 16) | (all[all.length - 1] << 24);
  if (sum >>> 0 !== checksum(body, words)) return undefined;
  try {
    return readResult(new ByteReader(body), words);
  } catch {
    return undefined;
  }
}

function readResult(rd: ByteReader, words: PackedResult['w']): RestoredResult | undefined {
  if (rd.byte() !== FORMAT_1) return undefined;
  const objective = OBJECTIVES[rd.byte()] as SiteObjective | undefined;
  const flags = rd.byte();
  if (objective === undefined || flags >= 32) return undefined;
  const radiusM = rd.fixed(DEMAND);
  const maskedBelow = flags & 16 ? rd.uint() : undefined;
  const [demandPoints, totalDemand, existingCoveredDemand, coveredDemand] = [0, 1, 2, 3].map(() => rd.fixed(DEMAND));
  const coveragePct = rd.fixed(PCT), ownSharePct = rd.fixed(PCT);
  const word = (i: number, side: 0 | 1): string => {
    if (i >= words.length) throw new RangeError('word index out of range');
    const x = words[i];
    return typeof x === 'string' ? x : x[side];
  };
  const list = () => {
    const n = rd.uint();
    if (n > 200) throw new RangeError('name too long');
    return Array.from({ length: n }, () => rd.uint());
  };
  const nSites = rd.uint();
  if (nSites > MAX_SITES) return undefined;
  const sites: RestoredSite[] = [];
  let lon = 0, lat = 0, covered = existingCoveredDemand;
  for (let i = 0; i < nSites; i++) {
    const f = rd.byte();
    if (f >= 32) return undefined;
    lon += rd.int();
    lat += rd.int();
    const x = lon / DEG, y = lat / DEG;
    if (!(Math.abs(x) <= 180 && Math.abs(y) <= 90)) return undefined;
    const idRef = rd.uint();
    let id: string;
    if (((f >> 2) & 1) === ID_H3) {
      if (idRef > 15) return undefined;
      id = cellAt(x, y, idRef);
    } else id = word(idRef, 0);
    let en: string, zh: string;
    if (f & 8) {
      const l = list();
      en = l.map((k) => word(k, 0)).join(' ');
      zh = l.map((k) => word(k, 1)).join(' ');
    } else {
      en = list().map((k) => word(k, 0)).join(' ');
      zh = list().map((k) => word(k, 1)).join(' ');
    }
    const marginalDemand = rd.fixed(DEMAND);
    let siteCovered: number, sitePct: number;
    if (f & 16) {
      siteCovered = quantized(covered + marginalDemand, DEMAND);
      sitePct = quantized((100 * siteCovered) / totalDemand, PCT);
    } else {
      siteCovered = rd.fixed(DEMAND);
      sitePct = rd.fixed(PCT);
    }
    covered = siteCovered;
    const huffCaptured = rd.fixed(DEMAND), totalCost = rd.fixed(DEMAND), meanCost = rd.fixed(DEMAND);
    sites.push({
      id, lon: x, lat: y, names: { en, 'zh-CN': zh }, origin: f & 1 ? 'dropped' : 'recommended', moved: (f & 2) !== 0,
      marginalDemand, coveredDemand: siteCovered, coveragePct: sitePct, huffCaptured, totalCost, meanCost,
    });
  }
  if (rd.left !== 0) return undefined;
  // The same checks as a JSON result (ranges, lengths), on the JSON the decoded one would be.
  return parseResult(JSON.parse(JSON.stringify({
    objective, solver: flags & 1 ? 'exact' : 'greedy', siteType: SITE_TYPES[(flags >> 1) & 1], radiusM, at: flags & 4 ? 'cells' : 'points', costs: (flags & 8) !== 0,
    demandPoints, totalDemand, existingCoveredDemand, coveredDemand, coveragePct, ownSharePct, sites, ...(maskedBelow !== undefined ? { maskedBelow } : {}),
  })));
}

/** Per-site demand and costs in format 2: whole units, and costs to 0.1. */
const SITE_DEMAND = 1;
const COST = 10;
const MAX_BYTES = 60_000;

/** The result packed in format 2 (see the file comment). */
export function packResult(r: RestoredResult): PackedResultV2 {
  const { words, ref } = wordTable<string[]>((w) => w.join('\u0000'));
  // Per site: tokens of its names (a word index, or SPLIT between the English and the Chinese name when they are not paired).
  const rows = r.sites.map((s) => {
    const { lon, lat, res, derived, en, zh, paired } = siteParts(s);
    const tokens: (number | 'split')[] = paired ? en.map((w, i) => ref(w === zh[i] ? [w] : [w, zh[i]])) : [...en.map((w) => ref([w])), 'split', ...zh.map((w) => ref([w]))];
    return { s, lon, lat, derived, id: derived ? res : ref([s.id]), paired, tokens };
  });
  const SPLIT = words.length;
  const head = new ByteWriter();
  head.byte(PACKED_RESULT_FORMAT);
  head.byte(OBJECTIVES.indexOf(r.objective));
  head.byte((r.solver === 'exact' ? 1 : 0) | (r.siteType === 'atm' ? 2 : 0) | (r.at === 'cells' ? 4 : 0) | (r.costs ? 8 : 0) | (r.maskedBelow !== undefined ? 16 : 0));
  head.uint(fixedCode(r.radiusM, DEMAND));
  if (r.maskedBelow !== undefined) head.uint(r.maskedBelow);
  for (const x of [r.demandPoints, r.totalDemand, r.existingCoveredDemand, r.coveredDemand]) head.uint(fixedCode(x, DEMAND));
  head.uint(fixedCode(r.coveragePct, PCT));
  head.uint(fixedCode(r.ownSharePct, PCT));
  head.uint(rows.length);
  head.uint(words.length);
  const utf8 = new TextEncoder();
  for (const w of words) {
    head.byte(w.length);
    for (const x of w) {
      const b = utf8.encode(x);
      head.uint(b.length);
      head.raw(b);
    }
  }
  const body = new BitWriter();
  const col = (values: readonly number[]) => writeColumn(head, body, values);
  // Covered demand and its percentage are left out where the previous row plus the marginal gives them.
  let covered = quantized(r.existingCoveredDemand, SITE_DEMAND);
  const implied = rows.map(({ s }) => {
    const marginal = quantized(s.marginalDemand, SITE_DEMAND);
    const same = quantized(covered + marginal, SITE_DEMAND) === quantized(s.coveredDemand, SITE_DEMAND)
      && quantized((100 * quantized(s.coveredDemand, SITE_DEMAND)) / quantized(r.totalDemand, DEMAND), PCT) === quantized(s.coveragePct, PCT);
    covered = quantized(s.coveredDemand, SITE_DEMAND);
    return same;
  });
  col(rows.map((x, i) => (x.s.origin === 'dropped' ? 1 : 0) | (x.s.moved ? 2 : 0) | (x.derived ? 0 : 4) | (x.paired ? 8 : 0) | (implied[i] ? 16 : 0)));
  col(rows.map((x) => zigzag(x.lon)));
  col(rows.map((x) => zigzag(x.lat)));
  col(rows.map((x) => x.id));
  col(rows.map((x) => x.tokens.length));
  const slots = Math.max(0, ...rows.map((x) => x.tokens.length));
  for (let k = 0; k < slots; k++) {
    const used = rows.filter((x) => x.tokens.length > k).map((x) => x.tokens[k]).map((t) => (t === 'split' ? SPLIT : t));
    const dict = [...new Set(used)].sort((a, b) => a - b);
    const local = new Map(dict.map((t, i) => [t, i]));
    head.uint(dict.length);
    dict.forEach((t, i) => head.uint(i === 0 ? t : t - dict[i - 1]));
    col(used.map((t) => local.get(t)!));
  }
  col(rows.map((x) => fixedCode(x.s.marginalDemand, SITE_DEMAND)));
  col(rows.filter((_, i) => !implied[i]).map((x) => fixedCode(x.s.coveredDemand, SITE_DEMAND)));
  col(rows.filter((_, i) => !implied[i]).map((x) => fixedCode(x.s.coveragePct, PCT)));
  col(rows.map((x) => fixedCode(x.s.huffCaptured, SITE_DEMAND)));
  col(rows.map((x) => fixedCode(x.s.totalCost, COST)));
  col(rows.map((x) => fixedCode(x.s.meanCost, COST)));
  const h = head.done(), bits = body.done();
  const all = new ByteWriter();
  all.uint(h.length);
  all.raw(h);
  all.raw(bits);
  const bytes = all.done();
  const sum = fnv1a(bytes);
  return { b: toBase64Url(Uint8Array.from([...bytes, sum & 255, (sum >>> 8) & 255, (sum >>> 16) & 255, sum >>> 24])) };
}

function unpackV2(b: unknown): RestoredResult | undefined {
  if (typeof b !== 'string' || b.length > (MAX_BYTES * 4) / 3 + 4) return undefined;
  const all = fromBase64Url(b);
  if (!all || all.length < 6) return undefined;
  const bytes = all.subarray(0, all.length - 4);
  const sum = all[all.length - 4] | (all[all.length - 3] << 8) | (all[all.length - 2] << 16) | (all[all.length - 1] << 24);
  if (sum >>> 0 !== fnv1a(bytes)) return undefined;
  try {
    const outer = new ByteReader(bytes);
    const headBytes = outer.raw(outer.uint());
    return readV2(new ByteReader(headBytes), new BitReader(outer.raw(outer.left)));
  } catch {
    return undefined;
  }
}

function readV2(head: ByteReader, body: BitReader): RestoredResult | undefined {
  if (head.byte() !== PACKED_RESULT_FORMAT) return undefined;
  const objective = OBJECTIVES[head.byte()] as SiteObjective | undefined;
  const flags = head.byte();
  if (objective === undefined || flags >= 32) return undefined;
  const radiusM = fixedValue(head.uint(), DEMAND);
  const maskedBelow = flags & 16 ? head.uint() : undefined;
  const [demandPoints, totalDemand, existingCoveredDemand, coveredDemand] = [0, 1, 2, 3].map(() => fixedValue(head.uint(), DEMAND));
  const coveragePct = fixedValue(head.uint(), PCT), ownSharePct = fixedValue(head.uint(), PCT);
  const n = head.uint();
  if (n > MAX_SITES) return undefined;
  const nWords = head.uint();
  if (nWords > MAX_WORDS) return undefined;
  const text = new TextDecoder('utf-8', { fatal: true });
  const words: [string, string][] = [];
  for (let i = 0; i < nWords; i++) {
    const parts = head.byte();
    if (parts !== 1 && parts !== 2) return undefined;
    const w = Array.from({ length: parts }, () => {
      const len = head.uint();
      if (len > 800) throw new RangeError('word too long');
      return text.decode(head.raw(len));
    });
    words.push([w[0], w[parts - 1]]);
  }
  const SPLIT = nWords;
  const col = (m: number) => readColumn(head, body, m);
  const f = col(n);
  if (f.some((x) => x >= 32)) return undefined;
  const lons = col(n).map((z) => unzigzag(z) / DEG), lats = col(n).map((z) => unzigzag(z) / DEG);
  const ids = col(n);
  const lengths = col(n);
  if (lengths.some((l) => l > 400)) return undefined;
  const tokens: number[][] = lengths.map(() => []);
  const slots = Math.max(0, ...lengths);
  for (let k = 0; k < slots; k++) {
    const m = head.uint();
    if (m > nWords + 1) return undefined;
    const dict: number[] = [];
    for (let i = 0; i < m; i++) dict.push(i === 0 ? head.uint() : dict[i - 1] + head.uint());
    const users = lengths.flatMap((l, i) => (l > k ? [i] : []));
    col(users.length).forEach((x, j) => {
      if (x >= dict.length || dict[x] > SPLIT) throw new RangeError('word index out of range');
      tokens[users[j]].push(dict[x]);
    });
  }
  const notImplied = f.filter((x) => !(x & 16)).length;
  const marginal = col(n).map((z) => fixedValue(z, SITE_DEMAND));
  const covers = col(notImplied).map((z) => fixedValue(z, SITE_DEMAND));
  const pcts = col(notImplied).map((z) => fixedValue(z, PCT));
  const huff = col(n).map((z) => fixedValue(z, SITE_DEMAND));
  const total = col(n).map((z) => fixedValue(z, COST));
  const mean = col(n).map((z) => fixedValue(z, COST));
  if (head.left !== 0 || !body.atEnd()) return undefined;
  const word = (t: number, side: 0 | 1) => {
    if (t >= nWords) throw new RangeError('word index out of range');
    return words[t][side];
  };
  const sites: RestoredSite[] = [];
  let covered = quantized(existingCoveredDemand, SITE_DEMAND), explicit = 0;
  for (let i = 0; i < n; i++) {
    const x = lons[i], y = lats[i];
    if (!(Math.abs(x) <= 180 && Math.abs(y) <= 90)) return undefined;
    let id: string;
    if (f[i] & 4) id = word(ids[i], 0);
    else {
      if (ids[i] > 15) return undefined;
      id = cellAt(x, y, ids[i]);
    }
    const tk = tokens[i];
    let en: string, zh: string;
    if (f[i] & 8) {
      en = tk.map((t) => word(t, 0)).join(' ');
      zh = tk.map((t) => word(t, 1)).join(' ');
    } else {
      const at = tk.indexOf(SPLIT);
      if (at < 0 || tk.lastIndexOf(SPLIT) !== at) return undefined;
      en = tk.slice(0, at).map((t) => word(t, 0)).join(' ');
      zh = tk.slice(at + 1).map((t) => word(t, 0)).join(' ');
    }
    let siteCovered: number, sitePct: number;
    if (f[i] & 16) {
      siteCovered = quantized(covered + marginal[i], SITE_DEMAND);
      sitePct = quantized((100 * siteCovered) / totalDemand, PCT);
    } else {
      siteCovered = covers[explicit];
      sitePct = pcts[explicit++];
    }
    covered = siteCovered;
    sites.push({
      id, lon: x, lat: y, names: { en, 'zh-CN': zh }, origin: f[i] & 1 ? 'dropped' : 'recommended', moved: (f[i] & 2) !== 0,
      marginalDemand: marginal[i], coveredDemand: siteCovered, coveragePct: sitePct, huffCaptured: huff[i], totalCost: total[i], meanCost: mean[i],
    });
  }
  return parseResult(JSON.parse(JSON.stringify({
    objective, solver: flags & 1 ? 'exact' : 'greedy', siteType: SITE_TYPES[(flags >> 1) & 1], radiusM, at: flags & 4 ? 'cells' : 'points', costs: (flags & 8) !== 0,
    demandPoints, totalDemand, existingCoveredDemand, coveredDemand, coveragePct, ownSharePct, sites, ...(maskedBelow !== undefined ? { maskedBelow } : {}),
  })));
}
