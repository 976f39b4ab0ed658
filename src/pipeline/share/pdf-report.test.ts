/**
 * The PDF writer in Node with the font the app ships: text comes back out of the file
 * through poppler's pdftotext (an independent PDF reader), in Chinese, English, Greek and
 * arrows, with the footer on every page, and the font subset keeps the file small.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { buildReportPdf, type CjkFonts, type ReportRequest } from './pdf-report.ts';
import { woffToSfnt } from './woff.ts';
import fontkit from '@pdf-lib/fontkit';

const require = createRequire(import.meta.url);
const fontFile = (w: number) => require.resolve(`@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-${w}-normal.woff`);
const inflate = async (d: Uint8Array) => new Uint8Array(inflateSync(d));

let fonts: Promise<CjkFonts> | null = null;
const loadFonts = () =>
  (fonts ??= Promise.all([woffToSfnt(readFileSync(fontFile(400)), inflate), woffToSfnt(readFileSync(fontFile(700)), inflate)]).then(([regular, bold]) => ({ regular, bold })));

// A 2×2 red PNG (the map stand-in).
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';

function request(over: Partial<ReportRequest> = {}): ReportRequest {
  return {
    title: '区域报告：浦东新区',
    subtitle: '上海示例城市 · 数据 · 2025Q4',
    dateText: '2026-12-07',
    sections: [
      { kind: 'heading', text: '浦东新区' },
      { kind: 'paragraph', text: '浦东新区 在 2025Q4 的各项指标，与上一期比较；Huff α = 1, β = 2; Δ 指数 ≥ 5 → 预警。' },
      { kind: 'table', columns: ['指标', '2025Q4', '变化'], rows: Array.from({ length: 60 }, (_, i) => [`常住人口 ${i}`, '5,681', '+1.2 %']) },
      { kind: 'map', caption: '地图：风险等级（第 1–4 级），2025Q4' },
    ],
    footer: ['数据：上海示例城市（演示数据）· 指纹 1a2b:3c4d', '参数：视图 风险；指标 常住人口；期间 2025Q4；5 个分位数分级', '隐私安全：仅汇总数据 · 生成时间：2026-12-07 10:00'],
    pageLabel: (n, total) => `第 ${n} 页，共 ${total} 页`,
    metadata: { subject: '区域报告', keywords: '网点规划; 区域报告', language: 'zh-CN' },
    renderMap: async () => PNG,
    loadCjkFonts: loadFonts,
    ...over,
  };
}

/** Run a poppler-utils tool (Debian poppler-utils, installed by .ci/run) on the PDF. */
function poppler(tool: 'pdftotext' | 'pdffonts', bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'bp-pdf-'));
  const file = join(dir, 'r.pdf');
  writeFileSync(file, bytes);
  return execFileSync(tool, tool === 'pdftotext' ? ['-enc', 'UTF-8', file, '-'] : [file], { encoding: 'utf8' });
}

const pdfText = (bytes: Uint8Array) => poppler('pdftotext', bytes);

describe('PDF report', () => {
  it('writes Chinese, English and symbols as real text with a subset CJK font', async () => {
    const r = await buildReportPdf(request());
    const text = pdfText(r.bytes);
    expect(text).toContain('区域报告：浦东新区');
    expect(text).toContain('地图：风险等级（第 1–4 级），2025Q4');
    // Symbol's "Delta" glyph reads back as U+2206 (the Adobe Glyph List maps it to both).
    expect(text).toMatch(/α = 1, β = 2; [Δ∆] 指数 ≥ 5 → 预警/);
    expect(text).toContain('常住人口 59');
    expect(r.missing).toEqual([]);
    // The table overflows page 1: every page carries the footer and its number.
    expect(r.pages).toBeGreaterThan(1);
    for (let p = 1; p <= r.pages; p++) expect(text).toContain(`第 ${p} 页，共 ${r.pages} 页`);
    expect(text.split('参数：视图 风险').length - 1).toBe(r.pages);
    // Subset: the full regular font is ~2.5 MB as TrueType.
    expect(r.bytes.byteLength).toBeLessThan(150_000);
    // pdffonts: the CJK fonts are embedded TrueType with a Unicode map (the size above shows the subset).
    const fontsTable = poppler('pdffonts', r.bytes);
    const cjk = fontsTable.split('\n').filter((l) => /CID TrueType/.test(l));
    expect(cjk).toHaveLength(2);
    // (pdf-lib names subsets "Name-1234", not with the "ABCDEF+" tag pdffonts looks for.)
    for (const l of cjk) expect(l).toMatch(/^NotoSansSC\S*\s+CID TrueType\s+Identity-H\s+yes \w+\s+yes/);
  }, 60_000);

  it('needs no CJK font for an English report (standard fonts only)', async () => {
    let asked = false;
    const r = await buildReportPdf(request({
      title: 'Area report: Pudong', subtitle: 'Demo city · Data · 2025Q4',
      sections: [{ kind: 'paragraph', text: 'Resident population, Huff α = 1 → share ≥ 5 % (×2 ±1).' }],
      footer: ['Data: Demo city · Parameters: view Risk'], pageLabel: (n, t) => `Page ${n} of ${t}`,
      loadCjkFonts: async () => ((asked = true), loadFonts()),
    }));
    const text = pdfText(r.bytes);
    expect(asked).toBe(false);
    expect(text).toContain('Area report: Pudong');
    expect(text).toContain('Resident population, Huff α = 1 → share ≥ 5 % (×2 ±1).');
    expect(text).toContain('Page 1 of 1');
    expect(r.bytes.byteLength).toBeLessThan(20_000);
  });

  it('names characters no font has instead of dropping them silently', async () => {
    const r = await buildReportPdf(request({ sections: [{ kind: 'paragraph', text: '𠀀 rare' }] }));
    expect(r.missing).toEqual(['𠀀']);
    expect(pdfText(r.bytes)).toContain('? rare');
  });
});

describe('woffToSfnt', () => {
  it('rebuilds the TrueType the WOFF was made from', async () => {
    const ttf = await woffToSfnt(readFileSync(fontFile(400)), inflate);
    const v = new DataView(ttf.buffer);
    expect(v.getUint32(0)).toBe(0x00010000); // TrueType outlines
    const n = v.getUint16(4);
    const tags = Array.from({ length: n }, (_, i) => String.fromCharCode(...ttf.subarray(12 + 16 * i, 16 + 16 * i)));
    expect(tags).toEqual(expect.arrayContaining(['cmap', 'glyf', 'head', 'hmtx', 'loca']));
    // Table checksums as stored (the WOFF keeps the originals): recompute 'hhea''s.
    const i = tags.indexOf('hhea');
    const off = v.getUint32(12 + 16 * i + 8);
    const len = v.getUint32(12 + 16 * i + 12);
    let sum = 0;
    for (let p = 0; p < len; p += 4) sum = (sum + (len - p >= 4 ? v.getUint32(off + p) : ttf[off + p] << 24)) >>> 0;
    expect(sum).toBe(v.getUint32(12 + 16 * i + 4));
  });
  it('gives a font whose subsets keep every glyph (fontkit writes a short loca)', async () => {
    const font = fontkit.create(Buffer.from(await woffToSfnt(readFileSync(fontFile(400)), inflate)));
    const chars = [...'浦东新区口失Area report 风险等级 0123'];
    const sub = font.createSubset();
    const ids = chars.map((c) => sub.includeGlyph(font.glyphForCodePoint(c.codePointAt(0)!)));
    const parts: Uint8Array[] = [];
    const stream = sub.encodeStream();
    stream.on('data', (d: Uint8Array) => parts.push(d));
    await new Promise((r) => stream.on('end', r));
    const small = fontkit.create(Buffer.concat(parts));
    // fontkit's typings lack Path.commands (the drawing operations of the outline).
    const ops = (g: { path: unknown }) => (g.path as { commands: unknown[] }).commands.length;
    chars.forEach((c, i) => {
      expect(ops(small.getGlyph(ids[i])), `glyph of ${c}`).toBe(ops(font.glyphForCodePoint(c.codePointAt(0)!)));
    });
  });
  it('refuses what is not WOFF 1.0', async () => {
    await expect(woffToSfnt(new Uint8Array(64))).rejects.toThrow(/not a WOFF/);
  });
});
