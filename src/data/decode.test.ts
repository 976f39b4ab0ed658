/** Encodings per file: UTF-8, GBK, UTF-16 (named and converted), and a UTF-8 file with a GBK line (refused, naming it). */
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { EncodingError, Utf8Check, toUtf8 } from './decode.ts';
import { mulberry32 } from '../core/rng.ts';

const text = 'customer_id,lon,lat,segment\nC1,121.4,31.2,年轻客户\nC2,121.5,31.3,家庭\n';
const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);

describe('toUtf8', () => {
  it('reads GBK as GBK and UTF-8 as UTF-8', () => {
    expect(toUtf8(new Uint8Array(iconv.encode(text, 'gbk')))).toMatchObject({ encoding: 'gbk' });
    expect(utf8(toUtf8(new Uint8Array(iconv.encode(text, 'gbk'))).bytes)).toBe(text);
    expect(toUtf8(new TextEncoder().encode(text)).encoding).toBe('utf-8');
  });

  it('names UTF-16 LE (with BOM) and BE (without) and converts them', () => {
    const le = new Uint8Array([0xff, 0xfe, ...iconv.encode(text, 'utf16le')]);
    const be = new Uint8Array(iconv.encode(text, 'utf16-be'));
    expect(toUtf8(le).encoding).toBe('utf-16le');
    expect(utf8(toUtf8(le).bytes)).toBe(text);
    expect(toUtf8(be).encoding).toBe('utf-16be');
    expect(utf8(toUtf8(be).bytes)).toBe(text);
  });

  it('refuses a UTF-8 file with one GBK line, naming the line', () => {
    const lines = ['customer_id,lon,lat,segment', 'C1,121.4,31.2,年轻客户', 'C2,121.5,31.3,家庭', 'C3,121.6,31.4,老年客户', 'C4,121.7,31.5,家庭'];
    const parts = lines.map((l, i) => (i === 3 ? iconv.encode(l + '\n', 'gbk') : Buffer.from(l + '\n', 'utf8')));
    const mixed = new Uint8Array(Buffer.concat(parts));
    let err: unknown;
    try {
      toUtf8(mixed);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EncodingError);
    expect((err as EncodingError).line).toBe(4);
    expect((err as EncodingError).message).toContain('line 4 is not');
  });
});

describe('Utf8Check: UTF-8 or not, fed in chunks cut anywhere', () => {
  const fatal = (b: Uint8Array) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b);
      return true;
    } catch {
      return false;
    }
  };
  const fed = (b: Uint8Array, cuts: number[], validator?: null) => {
    const c = validator === null ? new Utf8Check(null) : new Utf8Check();
    let at = 0;
    for (const cut of [...cuts, b.length]) {
      c.push(b.subarray(at, cut));
      at = cut;
    }
    return c.end();
  };

  it('agrees with a fatal TextDecoder on hand cases, at every cut', () => {
    const cases: [number[], boolean][] = [
      [[...new TextEncoder().encode('a,小区,€,😀\n')], true],
      [[0x61, 0xe5, 0xb0], false], // a character cut off at the end
      [[0xe5, 0x41, 0xb0], false], // a lead byte without its continuation
      [[0x80, 0x41], false], // a stray continuation byte
      [[0xc0, 0xaf], false], // overlong
      [[0xed, 0xa0, 0x80], false], // a surrogate
      [[0xf4, 0x90, 0x80, 0x80], false], // past U+10FFFF
      [[0xd6, 0xd0, 0xce, 0xc4], false], // GBK 中文
      [[], true],
    ];
    for (const [bytes, valid] of cases) {
      const b = Uint8Array.from(bytes);
      expect(fatal(b)).toBe(valid);
      for (let i = 0; i <= b.length; i++) {
        for (let j = i; j <= b.length; j++) {
          expect(fed(b, [i, j]), `${bytes} cut at ${i}, ${j}`).toBe(valid);
          expect(fed(b, [i, j], null)).toBe(valid);
        }
      }
    }
  });

  it('agrees with a fatal TextDecoder on seeded random texts and chunkings', () => {
    const rng = mulberry32(7);
    const pieces = ['a', ',', '\n', '小', '区', '€', '😀', 'é'].map((t) => [...new TextEncoder().encode(t)]);
    let invalid = 0;
    for (let n = 0; n < 400; n++) {
      const bytes: number[] = [];
      const len = Math.floor(rng() * 40);
      for (let i = 0; i < len; i++) {
        if (rng() < 0.03) bytes.push(Math.floor(rng() * 256)); // a random byte: often invalid
        else bytes.push(...pieces[Math.floor(rng() * pieces.length)]);
      }
      const b = Uint8Array.from(bytes);
      const cuts = Array.from({ length: Math.floor(rng() * 6) }, () => Math.floor(rng() * (b.length + 1))).sort((x, y) => x - y);
      const want = fatal(b);
      if (!want) invalid++;
      expect(fed(b, cuts), `${bytes} cut at ${cuts}`).toBe(want);
      expect(fed(b, cuts, null)).toBe(want);
    }
    expect(invalid).toBeGreaterThan(20);
  });
});

