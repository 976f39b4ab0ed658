/**
 * PDF reports with pdf-lib (A4 portrait; layout in mm), built from plain sections (see
 * src/ui/share/report-sections.ts). Every word is real PDF text, selectable and searchable,
 * in English and Chinese.
 *
 * Fonts, first that has the character wins: Noto Sans SC (subset-embedded, only when the
 * report has a character the standard fonts lack: see pdf-fonts.ts), then the standard
 * Helvetica (WinAnsi) and Symbol (Greek, arrows, ≤ ≥ ≈) fonts, which cost nothing to embed.
 * Why pdf-lib and not jsPDF (the app's former PDF writer): both embed a TrueType font as
 * CID text; for the same three lines of mixed Chinese and English jsPDF wrote 117 KB, pdf-lib
 * with @pdf-lib/fontkit subsetting 11 KB, and pdf-lib draws with the standard fonts in the
 * same line. Measure DOM-free (font metrics, not a canvas), so the builder also runs in Node.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { ReportSection } from './report-section.ts';
import { wrapBy } from './text-wrap.ts';

/** TrueType (sfnt) bytes of the CJK font, regular and bold. */
export interface CjkFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

export interface ReportRequest {
  title: string;
  subtitle: string;
  dateText: string;
  sections: ReportSection[];
  /** Provenance lines printed at the foot of every page (wrapped, never cut). */
  footer: string[];
  /** "Page {n} of {total}" in the user's language. */
  pageLabel: (n: number, total: number) => string;
  metadata: { subject: string; keywords: string; language: string };
  /** Draws the current map for a `map` section: JPEG or PNG data URL of the given aspect (w/h). */
  renderMap: (aspect: number) => Promise<string>;
  /** Loads the CJK font; called only when some text needs it. */
  loadCjkFonts: () => Promise<CjkFonts>;
  /** Told after the fonts, each section and the final save: `done` of `total` steps. */
  onProgress?: (done: number, total: number) => void;
}

export interface ReportResult {
  bytes: Uint8Array;
  pages: number;
  /** Characters no font had, drawn as "?" (should stay empty; tests check it). */
  missing: string[];
}

const PT_PER_MM = 72 / 25.4;
const PAGE_W = 210;
const PAGE_H = 297;
const MARGIN = 15;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const PT_MM = 25.4 / 72;
type Rgb = [number, number, number];
const INK: Rgb = [29, 42, 51];
const MUTED: Rgb = [91, 103, 112];
const RULE: Rgb = [217, 224, 229];
const ACCENT: Rgb = [31, 95, 191];

interface TextStyle {
  pt: number;
  bold?: boolean;
  color?: Rgb;
  align?: 'left' | 'right';
}

interface Face {
  font: PDFFont;
  has: Set<number>;
}

/** The font chain for one weight: each character goes to the first face that has it. */
class Faces {
  constructor(private readonly faces: Face[]) {}

  /** Runs of consecutive characters drawn with the same face; `missing` collects the rest. */
  runs(text: string, missing?: Set<string>): Array<{ text: string; font: PDFFont }> {
    const out: Array<{ text: string; font: PDFFont }> = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let face = this.faces.find((f) => f.has.has(cp));
      let c = ch;
      if (!face) {
        // A no-break or thin space is a space for layout.
        if (/\s/.test(ch)) c = ' ';
        else {
          missing?.add(ch);
          c = '?';
        }
        face = this.faces.find((f) => f.has.has(c.codePointAt(0)!))!;
      }
      const last = out[out.length - 1];
      if (last && last.font === face.font) last.text += c;
      else out.push({ text: c, font: face.font });
    }
    return out;
  }

  /** Advance widths per character at 1 pt: laying out the text again for every measure (fontkit) took ~30 s per report. */
  private readonly advance = new Map<string, number>();

  /** Width in mm: the sum of advances, which is how the PDF places the glyphs (no kerning in Tj). */
  width(text: string, pt: number): number {
    let w = 0;
    for (const ch of text) {
      let a = this.advance.get(ch);
      if (a === undefined) {
        const [run] = this.runs(ch);
        a = run ? run.font.widthOfTextAtSize(run.text, 1) : 0;
        this.advance.set(ch, a);
      }
      w += a;
    }
    return w * pt * PT_MM;
  }
}

const WINANSI_AND_SYMBOL = async (doc: PDFDocument) => {
  const [helv, helvB, sym] = await Promise.all([
    doc.embedFont(StandardFonts.Helvetica), doc.embedFont(StandardFonts.HelveticaBold), doc.embedFont(StandardFonts.Symbol),
  ]);
  const face = (font: PDFFont): Face => ({ font, has: new Set(font.getCharacterSet()) });
  return { regular: [face(helv), face(sym)], bold: [face(helvB), face(sym)] };
};

class Writer {
  y = MARGIN;
  page: PDFPage;
  readonly missing = new Set<string>();

  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: Faces,
    private readonly bold: Faces,
    private readonly footerH: number,
  ) {
    this.page = doc.addPage([PAGE_W * PT_PER_MM, PAGE_H * PT_PER_MM]);
  }

  faces(style: TextStyle): Faces {
    return style.bold ? this.bold : this.regular;
  }

  lineHeight(pt: number): number {
    return pt * PT_MM * 1.4;
  }

  lines(text: string, style: TextStyle, width: number): string[] {
    const f = this.faces(style);
    return wrapBy((s) => f.width(s, style.pt), text, width);
  }

  height(text: string, style: TextStyle, width: number): number {
    return text ? this.lines(text, style, width).length * this.lineHeight(style.pt) : 0;
  }

  /** Write `text` with its top at (x, y) mm; returns the height used (mm). */
  textAt(text: string, x: number, y: number, style: TextStyle, width: number, page = this.page): number {
    if (!text) return 0;
    const faces = this.faces(style);
    const lines = this.lines(text, style, width);
    const lh = this.lineHeight(style.pt);
    const [r, g, b] = style.color ?? INK;
    const color = rgb(r / 255, g / 255, b / 255);
    lines.forEach((line, i) => {
      let lx = style.align === 'right' ? x + width - faces.width(line, style.pt) : x;
      const baseline = y + i * lh + lh * 0.76;
      for (const run of faces.runs(line, this.missing)) {
        page.drawText(run.text, { x: lx * PT_PER_MM, y: (PAGE_H - baseline) * PT_PER_MM, size: style.pt, font: run.font, color });
        lx += faces.width(run.text, style.pt);
      }
    });
    return lines.length * lh;
  }

  line(x1: number, y1: number, x2: number, y2: number, color: Rgb, widthMm: number, page = this.page): void {
    page.drawLine({
      start: { x: x1 * PT_PER_MM, y: (PAGE_H - y1) * PT_PER_MM },
      end: { x: x2 * PT_PER_MM, y: (PAGE_H - y2) * PT_PER_MM },
      thickness: widthMm * PT_PER_MM,
      color: rgb(color[0] / 255, color[1] / 255, color[2] / 255),
    });
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE_W * PT_PER_MM, PAGE_H * PT_PER_MM]);
    this.y = MARGIN;
  }

  /** Start a new page when `h` mm do not fit above the footer. */
  ensure(h: number): void {
    if (this.y + h > PAGE_H - MARGIN - this.footerH) this.newPage();
  }

  block(text: string, style: TextStyle, gapAfter: number): void {
    // Long paragraphs flow over pages line by line.
    const lh = this.lineHeight(style.pt);
    const lines = this.lines(text, style, CONTENT_W);
    this.ensure(Math.min(lines.length, 3) * lh);
    for (const l of lines) {
      this.ensure(lh);
      this.y += this.textAt(l, MARGIN, this.y, style, CONTENT_W);
    }
    this.y += gapAfter;
  }

  table(rows: string[][], columns: string[] | undefined): void {
    const n = Math.max(columns?.length ?? 0, ...rows.map((r) => r.length));
    if (n === 0) return;
    const style: TextStyle = { pt: 9 };
    const pad = 1.5;
    // Each column gets room in proportion to its widest single word (capped), so no word
    // is broken; the first column (names) gets a little more.
    const want = Array.from({ length: n }, (_, i) => {
      let w = 8;
      for (const r of [...(columns ? [columns] : []), ...rows]) {
        const c = r[i] ?? '';
        w = Math.max(w, Math.min(70, this.regular.width(c, style.pt) + 2 * pad + 1));
      }
      return i === 0 ? w * 1.15 : w;
    });
    const sum = want.reduce((a, b) => a + b, 0);
    const widths = want.map((w) => (w / sum) * CONTENT_W);
    const drawRow = (cells: string[], header: boolean) => {
      const st: TextStyle = header ? { ...style, bold: true, color: MUTED } : style;
      const h = Math.max(...widths.map((w, i) => this.height(cells[i] ?? '', st, w - 2 * pad))) + 2 * pad;
      this.ensure(h);
      let x = MARGIN;
      widths.forEach((w, i) => {
        this.textAt(cells[i] ?? '', x + pad, this.y + pad, { ...st, align: i === 0 ? 'left' : 'right' }, w - 2 * pad);
        x += w;
      });
      this.y += h;
      this.line(MARGIN, this.y, MARGIN + CONTENT_W, this.y, RULE, 0.2);
    };
    if (columns) drawRow(columns, true);
    for (const r of rows) drawRow(r, false);
    this.y += 4;
  }

  async image(dataUrl: string, aspect: number, caption?: string): Promise<void> {
    const w = CONTENT_W;
    let h = w / aspect;
    const maxH = PAGE_H - 2 * MARGIN - this.footerH - 14;
    const scale = h > maxH ? maxH / h : 1;
    h *= scale;
    const capH = caption ? this.height(caption, { pt: 8.5 }, CONTENT_W) + 1.5 : 0;
    this.ensure(h + capH);
    // The caption says what the map shows: above it, where a reader looks first.
    if (caption) this.y += this.textAt(caption, MARGIN, this.y, { pt: 8.5, bold: true, color: MUTED }, CONTENT_W) + 1.5;
    const img = dataUrl.startsWith('data:image/jpeg') ? await this.doc.embedJpg(dataUrl) : await this.doc.embedPng(dataUrl);
    const x = MARGIN + (w - w * scale) / 2;
    this.page.drawImage(img, { x: x * PT_PER_MM, y: (PAGE_H - this.y - h) * PT_PER_MM, width: w * scale * PT_PER_MM, height: h * PT_PER_MM });
    this.y += h + 5;
  }
}

/** Every string the report will print, to decide whether the CJK font is needed. */
function allText(req: ReportRequest): string {
  const parts = [req.title, req.subtitle, req.dateText, ...req.footer, req.pageLabel(1, 1)];
  for (const s of req.sections) {
    if (s.kind === 'heading' || s.kind === 'paragraph') parts.push(s.text);
    else if (s.kind === 'table') parts.push(...(s.columns ?? []), ...s.rows.flat());
    else if ((s.kind === 'image' || s.kind === 'map') && s.caption) parts.push(s.caption);
  }
  return parts.join('\n');
}

export async function buildReportPdf(req: ReportRequest): Promise<ReportResult> {
  const doc = await PDFDocument.create();
  const std = await WINANSI_AND_SYMBOL(doc);
  const covered = (cp: number) => std.regular.some((f) => f.has.has(cp)) || cp === 10;
  const needsCjk = [...allText(req)].some((ch) => !covered(ch.codePointAt(0)!));
  let regular = std.regular;
  let bold = std.bold;
  if (needsCjk) {
    const [{ default: fontkit }, fonts] = await Promise.all([import('@pdf-lib/fontkit'), req.loadCjkFonts()]);
    doc.registerFontkit(fontkit);
    const [r, b] = await Promise.all([doc.embedFont(fonts.regular, { subset: true }), doc.embedFont(fonts.bold, { subset: true })]);
    regular = [{ font: r, has: new Set(r.getCharacterSet()) }, ...std.regular];
    bold = [{ font: b, has: new Set(b.getCharacterSet()) }, ...std.bold];
  }
  const steps = req.sections.length + 2;
  let done = 0;
  req.onProgress?.(++done, steps);
  const regFaces = new Faces(regular);
  const boldFaces = new Faces(bold);

  // The footer's height follows its wrapped lines (provenance is never cut).
  const footPt = 6.5;
  const footLh = footPt * PT_MM * 1.4;
  const footerLines = req.footer.reduce((n, l) => n + wrapBy((s) => regFaces.width(s, footPt), l, CONTENT_W - 24).length, 0);
  const footerH = footerLines * footLh + 5;
  const w = new Writer(doc, regFaces, boldFaces, footerH);

  w.textAt(req.dateText, MARGIN, w.y + 1, { pt: 9, color: MUTED, align: 'right' }, CONTENT_W);
  w.y += w.textAt(req.title, MARGIN, w.y, { pt: 18, bold: true }, CONTENT_W - 40) + 1;
  if (req.subtitle) w.y += w.textAt(req.subtitle, MARGIN, w.y, { pt: 11, color: MUTED }, CONTENT_W);
  w.y += 3;
  w.line(MARGIN, w.y, MARGIN + CONTENT_W, w.y, ACCENT, 0.6);
  w.y += 6;

  for (const s of req.sections) {
    switch (s.kind) {
      case 'heading':
        w.ensure(20);
        w.block(s.text, { pt: s.level === 2 ? 11 : 13, bold: true }, 2);
        break;
      case 'paragraph':
        w.block(s.text, { pt: 10 }, 3);
        break;
      case 'table':
        w.table(s.rows, s.columns);
        break;
      case 'image':
        await w.image(s.dataUrl, s.aspect, s.caption);
        break;
      case 'map': {
        const aspect = s.aspect ?? 16 / 10;
        await w.image(await req.renderMap(aspect), aspect, s.caption);
        break;
      }
      case 'pageBreak':
        w.newPage();
        break;
    }
    req.onProgress?.(++done, steps);
  }

  const pages = doc.getPages();
  pages.forEach((page, i) => {
    const top = PAGE_H - MARGIN - footerH + 3;
    w.line(MARGIN, top - 1.5, MARGIN + CONTENT_W, top - 1.5, RULE, 0.2, page);
    let y = top;
    for (const line of req.footer) y += w.textAt(line, MARGIN, y, { pt: footPt, color: MUTED }, CONTENT_W - 24, page);
    w.textAt(req.pageLabel(i + 1, pages.length), MARGIN, top, { pt: 7, color: MUTED, align: 'right' }, CONTENT_W, page);
  });

  doc.setTitle(req.title, { showInWindowTitleBar: true });
  doc.setSubject(req.metadata.subject);
  doc.setKeywords([req.metadata.keywords]);
  doc.setLanguage(req.metadata.language);
  doc.setCreator('Branch Planner');
  doc.setProducer('Branch Planner (pdf-lib)');
  const bytes = await doc.save();
  req.onProgress?.(++done, steps);
  return { bytes, pages: pages.length, missing: [...w.missing] };
}
