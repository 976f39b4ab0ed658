/**
 * WOFF 1.0 → OpenType (sfnt) bytes, per the W3C WOFF File Format 1.0 recommendation: each
 * table is zlib-compressed unless its compressed length equals its original length. The
 * report's CJK font ships as WOFF (npm @fontsource/noto-sans-sc), and pdf-lib's fontkit
 * subsets a TrueType font in ~1 s, the same font read through its WOFF reader in ~26 s
 * (it inflates tables again on every glyph access) and a WOFF2 one not at all (the whole
 * font lands in the PDF). So the report inflates the tables once, here.
 *
 * `inflate` is zlib decompression (DecompressionStream('deflate') in browsers, node:zlib in
 * tests): no inflater of our own.
 */

export type Inflate = (data: Uint8Array) => Promise<Uint8Array>;

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'

/** The browser's zlib inflater (DecompressionStream 'deflate' is the zlib format). */
export const streamInflate: Inflate = async (data) => {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
};

interface Table {
  tag: number;
  checksum: number;
  data: Uint8Array;
}

const tagOf = (s: string) => (s.charCodeAt(0) << 24) | (s.charCodeAt(1) << 16) | (s.charCodeAt(2) << 8) | s.charCodeAt(3);

function checksum(data: Uint8Array): number {
  let sum = 0;
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let p = 0; p < data.byteLength; p += 4) {
    const word = data.byteLength - p >= 4 ? v.getUint32(p) : (data[p] << 24) | ((data[p + 1] ?? 0) << 16) | ((data[p + 2] ?? 0) << 8);
    sum = (sum + word) >>> 0;
  }
  return sum;
}

/**
 * Pad every glyph record to a multiple of 4 bytes (long `loca`). Google's Noto Sans SC packs
 * glyphs at odd lengths, which the long `loca` format allows; fontkit's subsetter copies
 * glyph records as they are and then writes a short `loca` (offsets / 2), so every glyph
 * after an odd-length one is misplaced and draws as nothing (seen: most characters blank
 * in the PDF while their text still extracted). Padded records keep every offset even.
 */
function padGlyphs(tables: Table[]): void {
  const find = (tag: string) => tables.find((t) => t.tag === tagOf(tag));
  const head = find('head');
  const maxp = find('maxp');
  const loca = find('loca');
  const glyf = find('glyf');
  if (!head || !maxp || !loca || !glyf) return; // CFF outlines: nothing to pad
  const hv = new DataView(head.data.buffer, head.data.byteOffset, head.data.byteLength);
  const long = hv.getInt16(50) === 1;
  const n = new DataView(maxp.data.buffer, maxp.data.byteOffset).getUint16(4);
  const lv = new DataView(loca.data.buffer, loca.data.byteOffset, loca.data.byteLength);
  const offset = (i: number) => (long ? lv.getUint32(4 * i) : 2 * lv.getUint16(2 * i));
  let size = 0;
  for (let i = 0; i < n; i++) size += (offset(i + 1) - offset(i) + 3) & ~3;
  const newGlyf = new Uint8Array(size);
  const newLoca = new Uint8Array(4 * (n + 1));
  const nl = new DataView(newLoca.buffer);
  let at = 0;
  for (let i = 0; i < n; i++) {
    nl.setUint32(4 * i, at);
    const a = offset(i);
    const b = offset(i + 1);
    newGlyf.set(glyf.data.subarray(a, b), at);
    at += (b - a + 3) & ~3;
  }
  nl.setUint32(4 * n, at);
  const newHead = head.data.slice();
  new DataView(newHead.buffer).setInt16(50, 1);
  for (const [t, data] of [[glyf, newGlyf], [loca, newLoca], [head, newHead]] as const) {
    t.data = data;
    t.checksum = checksum(data);
  }
}

function writeSfnt(flavor: number, tables: Table[]): Uint8Array {
  const numTables = tables.length;
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 16 * 2 ** entrySelector;
  let size = 12 + 16 * numTables;
  for (const t of tables) size += (t.data.byteLength + 3) & ~3;
  const out = new Uint8Array(size);
  const o = new DataView(out.buffer);
  o.setUint32(0, flavor);
  o.setUint16(4, numTables);
  o.setUint16(6, searchRange);
  o.setUint16(8, entrySelector);
  o.setUint16(10, numTables * 16 - searchRange);
  let at = 12 + 16 * numTables;
  tables.forEach((t, i) => {
    const e = 12 + 16 * i;
    o.setUint32(e, t.tag);
    o.setUint32(e + 4, t.checksum);
    o.setUint32(e + 8, at);
    o.setUint32(e + 12, t.data.byteLength);
    out.set(t.data, at);
    at += (t.data.byteLength + 3) & ~3;
  });
  return out;
}

/** WOFF → sfnt, with glyph records padded for subsetting (see padGlyphs). */
export async function woffToSfnt(woff: Uint8Array, inflate: Inflate = streamInflate): Promise<Uint8Array> {
  const v = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (woff.byteLength < 44 || v.getUint32(0) !== WOFF_SIGNATURE) throw new Error('not a WOFF 1.0 font');
  const flavor = v.getUint32(4);
  const numTables = v.getUint16(12);
  const tables: Table[] = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + 20 * i;
    const tag = v.getUint32(e);
    const offset = v.getUint32(e + 4);
    const compLength = v.getUint32(e + 8);
    const origLength = v.getUint32(e + 12);
    const sum = v.getUint32(e + 16);
    if (offset + compLength > woff.byteLength) throw new Error('WOFF table runs past the end of the file');
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? await inflate(raw) : raw;
    if (data.byteLength !== origLength) throw new Error('WOFF table has the wrong length after decompression');
    tables.push({ tag, checksum: sum, data });
  }
  padGlyphs(tables);
  return writeSfnt(flavor, tables);
}
