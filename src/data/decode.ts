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

type Utf8Validator = (bytes: Uint8Array) => boolean;

/**
 * The runtime's own UTF-8 validator where it has one (Node's `isUtf8` from node:buffer, SIMD:
 * ~50× faster than decoding with a fatal TextDecoder, which also builds the string); null in
 * the browser. Looked up at run time, so the browser bundle never imports a Node module.
 */
const NATIVE_IS_UTF8: Utf8Validator | null = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const buffer = proc?.getBuiltinModule?.('node:buffer') as { isUtf8?: Utf8Validator } | undefined;
  return typeof buffer?.isUtf8 === 'function' ? buffer.isUtf8 : null;
})();

/** Where a trailing, incomplete UTF-8 sequence of `b` starts (`b.length` when none is cut off). */
function completeEnd(b: Uint8Array): number {
  for (let i = b.length - 1; i >= Math.max(0, b.length - 4); i--) {
    const x = b[i];
    if ((x & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : x >= 0xc0 ? 2 : 1;
    return i + need > b.length ? i : b.length;
  }
  return b.length;
}

/**
 * Whether a text fed in chunks (cut anywhere, even inside a character) is UTF-8. With a native
 * validator, each chunk is checked up to its last whole character and the cut-off bytes are
 * carried into the next; without one, a streaming fatal TextDecoder does the same.
 */
export class Utf8Check {
  private carry = new Uint8Array(0);
  private valid = true;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  /** `validator`: the native one by default; null forces the TextDecoder (tests). */
  constructor(private readonly validator: Utf8Validator | null = NATIVE_IS_UTF8) {}

  /** Feeds the next bytes; false once the text is known not to be UTF-8. */
  push(chunk: Uint8Array): boolean {
    if (!this.valid) return false;
    const check = this.validator;
    if (!check) {
      try {
        this.decoder.decode(chunk, { stream: true });
      } catch {
        this.valid = false;
      }
      return this.valid;
    }
    let b = chunk;
    if (this.carry.length > 0) {
      // The carried character goes on with this chunk's leading continuation bytes.
      let k = 0;
      while (k < b.length && k < 3 && (b[k] & 0xc0) === 0x80) k++;
      const head = new Uint8Array(this.carry.length + k);
      head.set(this.carry);
      head.set(b.subarray(0, k), this.carry.length);
      b = b.subarray(k);
      if (b.length === 0 && completeEnd(head) === 0) {
        this.carry = head; // still cut off: wait for more
        return true;
      }
      this.carry = new Uint8Array(0);
      if (!check(head)) return (this.valid = false);
    }
    const end = completeEnd(b);
    if (!check(b.subarray(0, end))) return (this.valid = false);
    this.carry = b.slice(end);
    return true;
  }

  /** Whether the whole text was UTF-8 (a character cut off at the very end is not). */
  end(): boolean {
    if (!this.valid) return false;
    if (!this.validator) {
      try {
        this.decoder.decode();
      } catch {
        this.valid = false;
      }
      return this.valid;
    }
    return (this.valid = this.carry.length === 0);
  }
}

/** ASCII fast path first: a 50 MB all-ASCII file needs no decoder at all. */
function isUtf8(bytes: Uint8Array): boolean {
  if (NATIVE_IS_UTF8) return NATIVE_IS_UTF8(bytes);
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
