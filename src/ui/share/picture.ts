/**
 * A finished picture of the map: title band, the map (rendered off screen at the target
 * size), legend, scale bar, north arrow when rotated, optional watermark, and a footer with
 * source/attribution and provenance. `frame: 'bare'` keeps only the map, legend, scale bar
 * and attribution (for PDF reports, which print title and provenance themselves).
 *
 * Sizes are in CSS pixels; the canvas is (width·pixelRatio) × (height·pixelRatio).
 */
import type { Layer } from '@deck.gl/core';
import type { StyleSpecification } from 'maplibre-gl';
import type { LegendSpec } from '../map/workflow-map.svelte.ts';
import type { Camera } from '../../pipeline/share/permalink.ts';
import { scaleBar } from '../../pipeline/share/scale-bar.ts';
import { drawLegend, measureLegend, type Rect } from './legend-canvas.ts';
import { fitText, FONT_STACK, wrapText } from './canvas-text.ts';
import { MAX_CANVAS_PX, renderMapCanvas } from './map-render.ts';

export interface PictureRequest {
  width: number;
  height: number;
  pixelRatio: number;
  frame: 'full' | 'bare';
  title: string;
  subtitle: string;
  /** Right side of the title band, e.g. the date. */
  dateText: string;
  watermark: string;
  legend: LegendSpec | null;
  /** "Source: … · Map: …" (plain text). */
  sourceLine: string;
  provenance: string[];
  /** Base type size in CSS px; default scales with the picture (≈ 1/110 of its width). */
  fontPx?: number;
  camera: Camera;
  style: StyleSpecification;
  layers: Layer[];
  /** Polled while the map is drawn: true ends it with an AbortError. */
  stop?: () => boolean;
}

export interface Picture {
  canvas: HTMLCanvasElement;
  /** Where things were drawn, in CSS px (tests and report layout use it). */
  layout: { map: Rect; legend: Rect | null; scaleBar: Rect | null };
  /** The footer's lines as drawn (wrapped source and provenance; empty for 'bare'). */
  footer: string[];
  /** Device pixels per CSS pixel actually used (lowered when the canvas would be too big). */
  pixelRatio: number;
  timings: { mapMs: number; composeMs: number };
}

const INK = '#1d2a33';
const MUTED = '#5b6770';

function drawScaleBar(ctx: CanvasRenderingContext2D, camera: Camera, right: number, bottom: number, f: number): Rect | null {
  const bar = scaleBar(camera.center[1], camera.zoom, f * 10);
  if (!bar.widthPx) return null;
  const h = f * 2.2;
  const x = right - bar.widthPx - f;
  const y = bottom - h;
  ctx.save();
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.fillRect(x - f * 0.5, y - f * 0.2, bar.widthPx + f, h + f * 0.2);
  ctx.strokeStyle = INK;
  ctx.lineWidth = Math.max(1, f / 8);
  ctx.beginPath();
  ctx.moveTo(x, y + h * 0.45);
  ctx.lineTo(x, y + h * 0.75);
  ctx.lineTo(x + bar.widthPx, y + h * 0.75);
  ctx.lineTo(x + bar.widthPx, y + h * 0.45);
  ctx.stroke();
  ctx.fillStyle = INK;
  ctx.font = `${f * 0.9}px ${FONT_STACK}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(bar.label, x + bar.widthPx / 2, y + h * 0.4);
  ctx.restore();
  return { x: x - f * 0.5, y: y - f * 0.2, w: bar.widthPx + f, h: h + f * 0.2 };
}

/** A small arrow pointing to geographic north, drawn only when the map is rotated. */
function drawNorthArrow(ctx: CanvasRenderingContext2D, bearing: number, cx: number, cy: number, r: number): void {
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate((-bearing * Math.PI) / 180);
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.beginPath();
  ctx.arc(0, 0, r * 1.3, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = INK;
  ctx.beginPath();
  ctx.moveTo(0, -r);
  ctx.lineTo(r * 0.45, r * 0.6);
  ctx.lineTo(0, r * 0.3);
  ctx.lineTo(-r * 0.45, r * 0.6);
  ctx.closePath();
  ctx.fill();
  ctx.font = `600 ${r * 0.7}px ${FONT_STACK}`;
  ctx.textAlign = 'center';
  ctx.fillText('N', 0, -r * 1.0 - 2);
  ctx.restore();
}

function drawWatermark(ctx: CanvasRenderingContext2D, text: string, area: Rect): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.x, area.y, area.w, area.h);
  ctx.clip();
  ctx.translate(area.x + area.w / 2, area.y + area.h / 2);
  ctx.rotate(-Math.atan2(area.h, area.w));
  const size = Math.min(area.w, area.h) / Math.max(4, text.length * 0.55);
  ctx.font = `700 ${size}px ${FONT_STACK}`;
  ctx.fillStyle = 'rgba(29, 42, 51, 0.12)';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, 0, 0);
  ctx.restore();
}

/** The pixel ratio that keeps both canvas sides within MAX_CANVAS_PX. */
export function usablePixelRatio(width: number, height: number, pixelRatio: number): number {
  return Math.min(pixelRatio, MAX_CANVAS_PX / width, MAX_CANVAS_PX / height);
}

export async function composePicture(req: PictureRequest): Promise<Picture> {
  const pr = usablePixelRatio(req.width, req.height, req.pixelRatio);
  const W = req.width;
  const H = req.height;
  const full = req.frame === 'full';
  // Type scale follows the picture's size so 1280×720 and 3840×2160 look alike.
  const f = req.fontPx ?? Math.max(10, Math.min(W, H * 1.6) / 110);
  const header = full ? Math.round(f * (req.subtitle ? 4.6 : 3.4)) : 0;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(W * pr);
  canvas.height = Math.round(H * pr);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(pr, pr);
  const footFont = `${f * 0.85}px ${FONT_STACK}`;
  const lineH = f * 0.85 * 1.45;
  ctx.font = footFont;
  // Source and provenance wrap as needed: a footer is never cut (no "…" in a board paper).
  const sourceWrapped = full && req.sourceLine ? wrapText(ctx, req.sourceLine, W - 2 * f) : [];
  const footerLines = full ? [...sourceWrapped, ...req.provenance.flatMap((l) => wrapText(ctx, l, W - 2 * f))].filter(Boolean) : [];
  const sourceRows = sourceWrapped.length;
  const footer = full ? Math.round(footerLines.length * lineH + f * 1.2) : 0;
  const map: Rect = { x: 0, y: header, w: W, h: H - header - footer };
  if (map.h < 50) throw new Error(`The picture is too small for its title and footer (${W}×${H}).`);

  const t0 = performance.now();
  const mapCanvas = await renderMapCanvas({
    width: map.w, height: map.h, pixelRatio: pr, camera: req.camera, style: req.style, layers: req.layers, stop: req.stop,
  });
  const t1 = performance.now();

  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  ctx.drawImage(mapCanvas, map.x, map.y, map.w, map.h);

  if (req.watermark.trim()) drawWatermark(ctx, req.watermark.trim(), map);

  let legendRect: Rect | null = null;
  if (req.legend && req.legend.items.length) {
    const size = measureLegend(ctx, req.legend, { fontPx: f, maxWidth: map.w * 0.45 });
    legendRect = drawLegend(ctx, req.legend, map.x + f, map.y + map.h - size.h - f, { fontPx: f, maxWidth: map.w * 0.45 });
  }
  const scaleRect = drawScaleBar(ctx, req.camera, map.x + map.w - f * 0.5, map.y + map.h - f * (full ? 0.8 : 2.2), f);
  if (Math.abs(req.camera.bearing) > 0.5) drawNorthArrow(ctx, req.camera.bearing, map.x + map.w - f * 2.5, map.y + f * 2.8, f * 1.2);

  if (!full) {
    // Attribution must travel with the map even without a footer.
    ctx.font = `${f * 0.8}px ${FONT_STACK}`;
    const text = fitText(ctx, req.sourceLine, map.w * 0.6);
    const tw = ctx.measureText(text).width;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.8)';
    ctx.fillRect(map.x + map.w - tw - f * 0.8, map.y + map.h - f * 1.3, tw + f * 0.8, f * 1.3);
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, map.x + map.w - f * 0.4, map.y + map.h - f * 0.65);
    ctx.textAlign = 'left';
  } else {
    // Title band.
    ctx.textBaseline = 'alphabetic';
    ctx.fillStyle = INK;
    ctx.font = `700 ${f * 1.7}px ${FONT_STACK}`;
    ctx.fillText(fitText(ctx, req.title, W * 0.7), f, f * 2.3);
    if (req.subtitle) {
      ctx.fillStyle = MUTED;
      ctx.font = `${f * 1.05}px ${FONT_STACK}`;
      ctx.fillText(fitText(ctx, req.subtitle, W * 0.7), f, f * 3.9);
    }
    ctx.fillStyle = MUTED;
    ctx.font = `${f}px ${FONT_STACK}`;
    ctx.textAlign = 'right';
    ctx.fillText(req.dateText, W - f, f * 2.3);
    ctx.textAlign = 'left';
    ctx.strokeStyle = '#d9e0e5';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, header - 0.5);
    ctx.lineTo(W, header - 0.5);
    ctx.moveTo(0, H - footer + 0.5);
    ctx.lineTo(W, H - footer + 0.5);
    ctx.stroke();
    // Footer: source (and map credit), then provenance.
    ctx.font = footFont;
    ctx.textBaseline = 'alphabetic';
    footerLines.forEach((line, i) => {
      ctx.fillStyle = i < sourceRows ? INK : MUTED;
      ctx.fillText(line, f, H - footer + f * 0.4 + (i + 1) * lineH);
    });
  }
  const t2 = performance.now();
  return {
    canvas,
    layout: { map, legend: legendRect, scaleBar: scaleRect },
    footer: footerLines,
    pixelRatio: pr,
    timings: { mapMs: t1 - t0, composeMs: t2 - t1 },
  };
}

export function canvasToBlob(canvas: HTMLCanvasElement, type = 'image/png', quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The browser could not encode the picture.'))), type, quality));
}
