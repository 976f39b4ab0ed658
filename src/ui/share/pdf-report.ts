/**
 * PDF reports with jsPDF (A4 portrait, mm), built from plain sections (see
 * src/ui/share/report-sections.ts).
 *
 * Chinese text: jsPDF's standard fonts only cover WinAnsi, and it embeds TrueType (glyf)
 * fonts only — the Noto CJK fonts on our machines are CFF/OTF collections, and the app may
 * not read system fonts anyway. Shipping a CJK TTF would add 5–15 MB. So each text run is
 * written as real PDF text when it is WinAnsi (searchable, copyable: English reports are
 * entirely text), and otherwise drawn by the browser, with its own fonts, onto a canvas at
 * ~300 dpi and placed as an image. The full text of the report also goes into the PDF's
 * Subject metadata, so a search tool still finds the Chinese words.
 */
import type { jsPDF as JsPdf } from 'jspdf';
import { isWinAnsiText, type ReportSection } from './report-sections.ts';
import { FONT_STACK, wrapText } from './canvas-text.ts';

export interface ReportRequest {
  title: string;
  subtitle: string;
  dateText: string;
  sections: ReportSection[];
  /** Provenance lines printed at the foot of every page. */
  footer: string[];
  /** "Page {n} of {total}" in the user's language. */
  pageLabel: (n: number, total: number) => string;
  metadata: { subject: string; keywords: string };
  /** Draws the current map for a `map` section: PNG/JPEG data URL of the given aspect (w/h). */
  renderMap: (aspect: number) => Promise<string>;
}

export interface ReportResult {
  blob: Blob;
  pages: number;
}

const PAGE_W = 210;
const PAGE_H = 297;
const MARGIN = 15;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const FOOTER_H = 16;
const PX_PER_MM = 12; // ≈ 305 dpi for text drawn as images
const PT_MM = 0.3528;
const INK: [number, number, number] = [29, 42, 51];
const MUTED: [number, number, number] = [91, 103, 112];

interface TextStyle {
  pt: number;
  bold?: boolean;
  color?: [number, number, number];
  align?: 'left' | 'right';
}

class Writer {
  y = MARGIN;
  /** Every string written, for the metadata search text. */
  readonly texts: string[] = [];
  private readonly measure = document.createElement('canvas').getContext('2d')!;

  constructor(private readonly doc: JsPdf) {}

  lineHeight(pt: number): number {
    return pt * PT_MM * 1.35;
  }

  /** Lines `text` takes at this width (real text or canvas-drawn). */
  private lines(text: string, style: TextStyle, width: number): { lines: string[]; image: boolean } {
    if (isWinAnsiText(text)) {
      this.doc.setFont('helvetica', style.bold ? 'bold' : 'normal');
      this.doc.setFontSize(style.pt);
      return { lines: this.doc.splitTextToSize(text, width) as string[], image: false };
    }
    const px = style.pt * PT_MM * PX_PER_MM;
    this.measure.font = `${style.bold ? 600 : 400} ${px}px ${FONT_STACK}`;
    return { lines: wrapText(this.measure, text, width * PX_PER_MM), image: true };
  }

  /** Height in mm that `text` needs at `width`. */
  height(text: string, style: TextStyle, width: number): number {
    return this.lines(text, style, width).lines.length * this.lineHeight(style.pt);
  }

  /** Write `text` with its top at (x, y); returns the height used (mm). */
  textAt(text: string, x: number, y: number, style: TextStyle, width: number): number {
    if (!text) return 0;
    this.texts.push(text);
    const { lines, image } = this.lines(text, style, width);
    const lh = this.lineHeight(style.pt);
    const color = style.color ?? INK;
    if (!image) {
      this.doc.setTextColor(color[0], color[1], color[2]);
      lines.forEach((line, i) => {
        const lx = style.align === 'right' ? x + width : x;
        this.doc.text(line, lx, y + i * lh + lh * 0.78, { align: style.align ?? 'left' });
      });
      return lines.length * lh;
    }
    const px = style.pt * PT_MM * PX_PER_MM;
    const canvas = document.createElement('canvas');
    const widths = lines.map((l) => {
      this.measure.font = `${style.bold ? 600 : 400} ${px}px ${FONT_STACK}`;
      return this.measure.measureText(l).width;
    });
    canvas.width = Math.max(1, Math.ceil(Math.max(...widths)));
    canvas.height = Math.max(1, Math.ceil(lines.length * lh * PX_PER_MM));
    const g = canvas.getContext('2d')!;
    g.font = `${style.bold ? 600 : 400} ${px}px ${FONT_STACK}`;
    g.fillStyle = `rgb(${color.join(',')})`;
    g.textBaseline = 'alphabetic';
    g.textAlign = style.align === 'right' ? 'right' : 'left';
    lines.forEach((line, i) => g.fillText(line, style.align === 'right' ? canvas.width : 0, (i * lh + lh * 0.78) * PX_PER_MM));
    const wMm = canvas.width / PX_PER_MM;
    const hMm = canvas.height / PX_PER_MM;
    this.doc.addImage(canvas.toDataURL('image/png'), 'PNG', style.align === 'right' ? x + width - wMm : x, y, wMm, hMm);
    return lines.length * lh;
  }

  /** Start a new page when `h` mm do not fit above the footer. */
  ensure(h: number): void {
    if (this.y + h > PAGE_H - MARGIN - FOOTER_H) {
      this.doc.addPage();
      this.y = MARGIN;
    }
  }

  block(text: string, style: TextStyle, gapAfter: number): void {
    const h = this.height(text, style, CONTENT_W);
    this.ensure(Math.min(h, 40));
    this.y += this.textAt(text, MARGIN, this.y, style, CONTENT_W) + gapAfter;
  }

  table(rows: string[][], columns: string[] | undefined): void {
    const n = Math.max(columns?.length ?? 0, ...rows.map((r) => r.length));
    if (n === 0) return;
    // First column (names) gets more room; the others share the rest.
    const first = n === 1 ? CONTENT_W : n === 2 ? CONTENT_W * 0.55 : Math.min(CONTENT_W * 0.4, CONTENT_W / n + 25);
    const rest = n > 1 ? (CONTENT_W - first) / (n - 1) : 0;
    const widths = Array.from({ length: n }, (_, i) => (i === 0 ? first : rest));
    const pad = 1.5;
    const style: TextStyle = { pt: 9 };
    const drawRow = (cells: string[], header: boolean) => {
      const st = header ? { ...style, bold: true, color: MUTED } : style;
      const h = Math.max(...widths.map((w, i) => this.height(cells[i] ?? '', st, w - 2 * pad))) + 2 * pad;
      this.ensure(h);
      let x = MARGIN;
      cells.forEach((c, i) => {
        if (i >= n) return;
        this.textAt(c ?? '', x + pad, this.y + pad, { ...st, align: i === 0 ? 'left' : 'right' }, widths[i] - 2 * pad);
        x += widths[i];
      });
      this.y += h;
      this.doc.setDrawColor(217, 224, 229);
      this.doc.setLineWidth(0.2);
      this.doc.line(MARGIN, this.y, MARGIN + CONTENT_W, this.y);
    };
    if (columns) drawRow(columns, true);
    for (const r of rows) drawRow(r, false);
    this.y += 4;
  }

  image(dataUrl: string, aspect: number, caption?: string): void {
    const w = CONTENT_W;
    let h = w / aspect;
    const maxH = PAGE_H - 2 * MARGIN - FOOTER_H - 12;
    const scale = h > maxH ? maxH / h : 1;
    h *= scale;
    this.ensure(h + (caption ? 6 : 0));
    const format = dataUrl.startsWith('data:image/jpeg') ? 'JPEG' : 'PNG';
    this.doc.addImage(dataUrl, format, MARGIN + (w - w * scale) / 2, this.y, w * scale, h);
    this.y += h + 1.5;
    if (caption) this.y += this.textAt(caption, MARGIN, this.y, { pt: 8, color: MUTED }, CONTENT_W);
    this.y += 4;
  }
}

export async function buildReportPdf(req: ReportRequest): Promise<ReportResult> {
  const { jsPDF } = await import('jspdf');
  // Uncompressed content streams: text stays greppable (tests, search tools); images are
  // compressed by their own formats anyway.
  const doc = new jsPDF({ unit: 'mm', format: 'a4', orientation: 'portrait', compress: false });
  const w = new Writer(doc);

  w.textAt(req.dateText, MARGIN, w.y + 1, { pt: 9, color: MUTED, align: 'right' }, CONTENT_W);
  w.y += w.textAt(req.title, MARGIN, w.y, { pt: 18, bold: true }, CONTENT_W - 40) + 1;
  if (req.subtitle) w.y += w.textAt(req.subtitle, MARGIN, w.y, { pt: 11, color: MUTED }, CONTENT_W);
  w.y += 3;
  doc.setDrawColor(31, 95, 191);
  doc.setLineWidth(0.6);
  doc.line(MARGIN, w.y, MARGIN + CONTENT_W, w.y);
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
        w.image(s.dataUrl, s.aspect, s.caption);
        break;
      case 'map': {
        const aspect = s.aspect ?? 16 / 10;
        w.image(await req.renderMap(aspect), aspect, s.caption);
        break;
      }
      case 'pageBreak':
        doc.addPage();
        w.y = MARGIN;
        break;
    }
  }

  const total = doc.getNumberOfPages();
  for (let p = 1; p <= total; p++) {
    doc.setPage(p);
    let y = PAGE_H - MARGIN - FOOTER_H + 3;
    doc.setDrawColor(217, 224, 229);
    doc.setLineWidth(0.2);
    doc.line(MARGIN, y - 1.5, MARGIN + CONTENT_W, y - 1.5);
    for (const line of req.footer) y += w.textAt(line, MARGIN, y, { pt: 6.5, color: MUTED }, CONTENT_W - 22);
    w.textAt(req.pageLabel(p, total), MARGIN, PAGE_H - MARGIN - FOOTER_H + 3, { pt: 7, color: MUTED, align: 'right' }, CONTENT_W);
  }

  const searchText = w.texts.join(' ').replace(/\s+/g, ' ').slice(0, 20_000);
  doc.setProperties({
    title: req.title,
    subject: isWinAnsiText(searchText) ? req.metadata.subject : `${req.metadata.subject} — ${searchText}`,
    keywords: req.metadata.keywords,
    creator: 'Branch Planner',
  });
  return { blob: doc.output('blob'), pages: total };
}
