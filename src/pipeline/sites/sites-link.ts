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
 */
import { cellAt, h3ResolutionOf } from '../../core/candidates.ts';
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

/** The first byte of the packed form; a newer app may write another. */
export const PACKED_RESULT_FORMAT = 1;
const MAX_SITES = 1000;
const MAX_WORDS = 20_000;
const DEG = 1e6;
const DEMAND = 100;
const PCT = 1e4;

class Writer {
  private bytes: number[] = [];
  byte(b: number): void {
    this.bytes.push(b & 0xff);
  }
  /** A non-negative integer below 2^53 (arithmetic, not 32-bit shifts). */
  uint(x: number): void {
    if (!(Number.isInteger(x) && x >= 0 && x <= Number.MAX_SAFE_INTEGER)) throw new RangeError(`not a varint: ${x}`);
    while (x >= 0x80) {
      this.bytes.push((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    this.bytes.push(x);
  }
  int(x: number): void {
    this.uint(x >= 0 ? 2 * x : -2 * x - 1);
  }
  /** NaN as 0, else 1 + zigzag(round(x · scale)). */
  fixed(x: number, scale: number): void {
    if (!Number.isFinite(x)) return this.uint(0);
    const v = Math.round(x * scale);
    this.uint(1 + (v >= 0 ? 2 * v : -2 * v - 1));
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  get left(): number {
    return this.b.length - this.pos;
  }
  byte(): number {
    if (this.pos >= this.b.length) throw new RangeError('truncated');
    return this.b[this.pos++];
  }
  uint(): number {
    let x = 0, mul = 1;
    for (;;) {
      const b = this.byte();
      x += (b & 0x7f) * mul;
      if (x > Number.MAX_SAFE_INTEGER) throw new RangeError('varint too long');
      if (b < 0x80) return x;
      mul *= 0x80;
    }
  }
  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  fixed(scale: number): number {
    const z = this.uint();
    if (z === 0) return NaN;
    const v = (z - 1) % 2 === 0 ? (z - 1) / 2 : -z / 2;
    return v / scale;
  }
}

/** FNV-1a, 32 bits: catches a changed, dropped or added character (not a defence against forgery; parseResult is). */
function fnv1a(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const x of b) h = Math.imul(h ^ x, 0x01000193) >>> 0;
  return h;
}

function toBase64Url(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return undefined;
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const SITE_TYPES = ['branch', 'atm'] as const;
const ID_H3 = 0, ID_STRING = 1;

/** A shared result as a link carries it (the `rp` field): see the file comment. */
export interface PackedResult {
  b: string;
  w: (string | [string, string])[];
}

const wordKey = (w: string | [string, string]) => (typeof w === 'string' ? w : `${w[0]}\u0000${w[1]}`);
const utf8 = new TextEncoder();
/** The checksum covers the bytes and the word table. */
const checksum = (body: Uint8Array, words: PackedResult['w']) => fnv1a(Uint8Array.from([...body, ...utf8.encode(JSON.stringify(words))]));

/** The result packed (see the file comment). Positions are kept to 1e-6° and numbers to the fixed points above. */
export function packResult(r: RestoredResult): PackedResult {
  const words: PackedResult['w'] = [];
  const index = new Map<string, number>();
  const ref = (w: string | [string, string]) => {
    const k = wordKey(w);
    let i = index.get(k);
    if (i === undefined) index.set(k, (i = words.push(w) - 1));
    return i;
  };
  const q = (x: number) => Math.round(x * DEG);
  const sites = r.sites.map((s) => {
    const lon = q(s.lon), lat = q(s.lat);
    const res = h3ResolutionOf(s.id);
    const derived = res >= 0 && cellAt(lon / DEG, lat / DEG, res) === s.id;
    const en = s.names.en.split(' '), zh = s.names['zh-CN'].split(' ');
    const paired = en.length === zh.length;
    return {
      s, lon, lat, idKind: derived ? ID_H3 : ID_STRING, id: derived ? res : ref(s.id), paired,
      names: paired ? [en.map((w, i) => ref(w === zh[i] ? w : [w, zh[i]]))] : [en.map(ref), zh.map(ref)],
    };
  });
  const w = new Writer();
  w.byte(PACKED_RESULT_FORMAT);
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
    return readResult(new Reader(body), words);
  } catch {
    return undefined;
  }
}

function readResult(rd: Reader, words: PackedResult['w']): RestoredResult | undefined {
  if (rd.byte() !== PACKED_RESULT_FORMAT) return undefined;
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
