/**
 * Text files arrive as UTF-8 (with or without BOM) or, when exported from Chinese Excel, as GBK.
 * Everything downstream (DuckDB's read_csv, the record scan, raw reject text) works on UTF-8
 * without BOM, so normalise once here.
 */

export interface DecodedText {
  /** UTF-8 bytes without BOM (a view of the input when nothing had to change). */
  bytes: Uint8Array;
  /** Source encoding. */
  encoding: 'utf-8' | 'gbk' | 'utf-16le' | 'utf-16be';
  hadBom: boolean;
}

/** Thrown when a file is neither UTF-8, UTF-16 nor GBK, or mixes UTF-8 with another encoding. */
export class EncodingError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/**
 * UTF-16 by its BOM, or without one by its zero bytes: ASCII text in UTF-16 has a NUL in every
 * other byte (odd positions for LE, even for BE). Checked on the first 4 KB.
 */
function utf16Of(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * For a file that is not valid UTF-8 as a whole: the first line (1-based) that is not, when
 * more lines hold valid non-ASCII UTF-8 than invalid ones (a UTF-8 file with a GBK line pasted
 * in); null otherwise (a GBK file: nearly every non-ASCII line is invalid UTF-8).
 */
function firstNonUtf8LineOfUtf8File(bytes: Uint8Array): number | null {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let utf8Lines = 0;
  let badLines = 0;
  let first: number | null = null;
  for (let pos = 0, line = 1; pos < bytes.length; line++) {
    const nl = bytes.indexOf(0x0a, pos);
    const end = nl === -1 ? bytes.length : nl;
    let ascii = true;
    for (let i = pos; i < end && ascii; i++) ascii = bytes[i] < 0x80;
    if (!ascii) {
      try {
        strict.decode(bytes.subarray(pos, end));
        utf8Lines++;
      } catch {
        badLines++;
        first ??= line;
      }
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  return utf8Lines > badLines ? first : null;
}

export function toUtf8(bytes: Uint8Array): DecodedText {
  const utf16 = utf16Of(bytes);
  if (utf16) {
    // Excel's "Unicode text" and some exports: named in the report and converted.
    const bom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    let text: string;
    try {
      text = new TextDecoder(utf16, { fatal: true }).decode(bom ? bytes.subarray(2) : bytes);
    } catch {
      throw new EncodingError(`looks like ${utf16.toUpperCase()} text but is not valid ${utf16.toUpperCase()}; save it as UTF-8 CSV and try again`);
    }
    return { bytes: new TextEncoder().encode(text), encoding: utf16, hadBom: bom };
  }
  const hadBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hadBom ? bytes.subarray(3) : bytes;
  if (isUtf8(body)) return { bytes: body, encoding: 'utf-8', hadBom };
  const mixed = firstNonUtf8LineOfUtf8File(body);
  if (mixed !== null) {
    throw new EncodingError(
      `is UTF-8 but line ${mixed} is not (it looks like GBK, e.g. pasted from another file); save the whole file as UTF-8 and load it again`,
      mixed,
    );
  }
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
