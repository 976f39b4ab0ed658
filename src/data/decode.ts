/**
 * Text files arrive as UTF-8 (with or without BOM) or, when exported from Chinese Excel, as GBK.
 * Everything downstream (DuckDB's read_csv, the record scan, raw reject text) works on UTF-8
 * without BOM, so normalise once here.
 */

export interface DecodedText {
  /** UTF-8 bytes without BOM (a view of the input when nothing had to change). */
  bytes: Uint8Array;
  /** Source encoding: 'utf-8' or 'gbk'. */
  encoding: 'utf-8' | 'gbk';
  hadBom: boolean;
}

/** Thrown when a file is neither UTF-8 nor GBK. */
export class EncodingError extends Error {}

export function toUtf8(bytes: Uint8Array): DecodedText {
  const hadBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hadBom ? bytes.subarray(3) : bytes;
  if (isUtf8(body)) return { bytes: body, encoding: 'utf-8', hadBom };
  let text: string;
  try {
    text = decodeGbk(body);
  } catch {
    throw new EncodingError('is neither UTF-8 nor GBK text; save it as UTF-8 CSV and try again');
  }
  return { bytes: new TextEncoder().encode(text), encoding: 'gbk', hadBom };
}

/** ASCII fast path first: a 50 MB all-ASCII file needs no decoder at all. */
function isUtf8(bytes: Uint8Array): boolean {
  let i = 0;
  const n = bytes.length;
  while (i < n && bytes[i] < 0x80) i++;
  if (i === n) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i));
    return true;
  } catch {
    return false;
  }
}

/**
 * GBK through the platform decoder (WHATWG maps the 'gbk' label to its GB18030 decoder, a
 * superset); `fatal` so bytes that are not GBK either are an error, not replacement characters.
 * Browsers and Node ≥ 20 (full ICU) ship it, so iconv-lite's tables need not be bundled.
 */
function decodeGbk(bytes: Uint8Array): string {
  return new TextDecoder('gbk', { fatal: true }).decode(bytes);
}
