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

export async function woffToSfnt(woff: Uint8Array, inflate: Inflate = streamInflate): Promise<Uint8Array> {
  const v = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (woff.byteLength < 44 || v.getUint32(0) !== WOFF_SIGNATURE) throw new Error('not a WOFF 1.0 font');
  const flavor = v.getUint32(4);
  const numTables = v.getUint16(12);
  const tables: Array<{ tag: number; checksum: number; data: Uint8Array }> = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + 20 * i;
    const tag = v.getUint32(e);
    const offset = v.getUint32(e + 4);
    const compLength = v.getUint32(e + 8);
    const origLength = v.getUint32(e + 12);
    const checksum = v.getUint32(e + 16);
    if (offset + compLength > woff.byteLength) throw new Error('WOFF table runs past the end of the file');
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? await inflate(raw) : raw;
    if (data.byteLength !== origLength) throw new Error('WOFF table has the wrong length after decompression');
    tables.push({ tag, checksum, data });
  }
  // sfnt header and table directory, tables 4-byte aligned, in the WOFF's (sorted) order.
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
