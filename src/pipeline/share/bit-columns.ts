/**
 * Columns of small integers packed at the bit, for links: each column is written as
 * "frame of reference" — its minimum and a bit width in a byte header (LEB128 varints), then
 * every value minus the minimum in exactly that many bits. A column whose values are all equal
 * costs no bits per row; one of ranks below 500 costs 9. Values are arithmetic integers up to
 * 2^53 (no 32-bit shifts), written most significant bit first.
 */

/** Bits needed for 0…x. */
export function bitWidth(x: number): number {
  let w = 0;
  while (x >= 2 ** w) w++;
  return w;
}

export class ByteWriter {
  private bytes: number[] = [];
  byte(b: number): void {
    this.bytes.push(b & 0xff);
  }
  /** A non-negative integer below 2^53 as a LEB128 varint. */
  uint(x: number): void {
    if (!(Number.isInteger(x) && x >= 0 && x <= Number.MAX_SAFE_INTEGER)) throw new RangeError(`not a varint: ${x}`);
    while (x >= 0x80) {
      this.bytes.push((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    this.bytes.push(x);
  }
  /** A signed integer, zigzag-coded. */
  int(x: number): void {
    this.uint(zigzag(x));
  }
  /** A number to 1/scale, NaN kept (fixedCode). */
  fixed(x: number, scale: number): void {
    this.uint(fixedCode(x, scale));
  }
  raw(b: Uint8Array): void {
    for (const x of b) this.bytes.push(x);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export class ByteReader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
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
    return unzigzag(this.uint());
  }
  fixed(scale: number): number {
    return fixedValue(this.uint(), scale);
  }
  raw(n: number): Uint8Array {
    if (n > this.left) throw new RangeError('truncated');
    return this.b.subarray(this.pos, (this.pos += n));
  }
}

export class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(v: number, width: number): void {
    for (let i = width - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | (Math.floor(v / 2 ** i) % 2);
      if (++this.n === 8) {
        this.bytes.push(this.acc);
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  done(): Uint8Array {
    return Uint8Array.from(this.n ? [...this.bytes, this.acc << (8 - this.n)] : this.bytes);
  }
}

export class BitReader {
  private bit = 0;
  constructor(private readonly b: Uint8Array) {}
  read(width: number): number {
    let v = 0;
    for (let i = 0; i < width; i++) {
      const byte = this.bit >> 3;
      if (byte >= this.b.length) throw new RangeError('truncated');
      v = v * 2 + ((this.b[byte] >> (7 - (this.bit & 7))) & 1);
      this.bit++;
    }
    return v;
  }
  /** Whether only the zero padding of the last byte is left (reads it). */
  atEnd(): boolean {
    const left = this.b.length * 8 - this.bit;
    return left < 8 && this.read(left) === 0;
  }
}

/** Write a column: its minimum and width to `head`, the values to `body`. */
export function writeColumn(head: ByteWriter, body: BitWriter, values: readonly number[]): void {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!values.length) min = max = 0;
  const w = bitWidth(max - min);
  head.uint(min);
  head.byte(w);
  for (const v of values) body.write(v - min, w);
}

/** Read a column of `n` values (see writeColumn). */
export function readColumn(head: ByteReader, body: BitReader, n: number): number[] {
  const min = head.uint();
  const w = head.byte();
  if (w > 53) throw new RangeError('column too wide');
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = min + body.read(w);
    if (v > Number.MAX_SAFE_INTEGER) throw new RangeError('value too large');
    out[i] = v;
  }
  return out;
}

export const zigzag = (x: number): number => (x >= 0 ? 2 * x : -2 * x - 1);
export const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

/** Fixed point with NaN: 0 for NaN, else 1 + zigzag(round(x · scale)). */
export const fixedCode = (x: number, scale: number): number => (Number.isFinite(x) ? 1 + zigzag(Math.round(x * scale)) : 0);
export const fixedValue = (z: number, scale: number): number => (z === 0 ? NaN : unzigzag(z - 1) / scale);

export function toBase64Url(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return undefined;
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
