/** Encodings per file: UTF-8, GBK, UTF-16 (named and converted), and a UTF-8 file with a GBK line (refused, naming it). */
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { EncodingError, toUtf8 } from './decode.ts';

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
