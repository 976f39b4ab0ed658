/**
 * The on-screen legend (src/ui/Legend.svelte) drawn on a 2D canvas for exports: same
 * content (title, note, one swatch per class), same swatch alpha (0.8 on white), sizes in
 * CSS pixels under the context's current transform.
 */
import { rgbCss } from '../map/palette.ts';
import type { LegendSpec } from '../map/workflow-map.svelte.ts';

import { FONT_STACK } from './canvas-text.ts';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LegendStyle {
  /** Body font size in CSS px (title is 1.1×). Default 12. */
  fontPx?: number;
  maxWidth?: number;
}

/** Size the legend needs, in CSS px. */
export function measureLegend(ctx: CanvasRenderingContext2D, spec: LegendSpec, style: LegendStyle = {}): { w: number; h: number } {
  const f = style.fontPx ?? 12;
  const pad = f * 0.7;
  const row = f * 1.5;
  const swatchW = f * 1.5;
  ctx.save();
  ctx.font = `600 ${f * 1.1}px ${FONT_STACK}`;
  let w = ctx.measureText(spec.title).width;
  ctx.font = `${f}px ${FONT_STACK}`;
  if (spec.note) w = Math.max(w, ctx.measureText(spec.note).width);
  for (const it of spec.items) w = Math.max(w, swatchW + f * 0.5 + ctx.measureText(it.label).width);
  ctx.restore();
  const h = pad * 2 + f * 1.1 * 1.35 + (spec.note ? f * 1.4 : 0) + spec.items.length * row;
  return { w: Math.min(style.maxWidth ?? Infinity, Math.ceil(w + pad * 2)), h: Math.ceil(h) };
}

/** Draw the legend with its top-left corner at (x, y); returns its box. */
export function drawLegend(ctx: CanvasRenderingContext2D, spec: LegendSpec, x: number, y: number, style: LegendStyle = {}): Rect {
  const f = style.fontPx ?? 12;
  const pad = f * 0.7;
  const row = f * 1.5;
  const swatchW = f * 1.5;
  const swatchH = f;
  const { w, h } = measureLegend(ctx, spec, style);
  ctx.save();
  ctx.fillStyle = 'rgba(255, 255, 255, 0.95)';
  ctx.strokeStyle = '#d9e0e5';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 4);
  ctx.fill();
  ctx.stroke();
  ctx.textBaseline = 'middle';
  let cy = y + pad + (f * 1.1 * 1.35) / 2;
  ctx.fillStyle = '#1d2a33';
  ctx.font = `600 ${f * 1.1}px ${FONT_STACK}`;
  ctx.fillText(spec.title, x + pad, cy, w - pad * 2);
  cy += (f * 1.1 * 1.35) / 2;
  if (spec.note) {
    ctx.font = `${f}px ${FONT_STACK}`;
    ctx.fillStyle = '#5b6770';
    ctx.fillText(spec.note, x + pad, cy + f * 0.7, w - pad * 2);
    cy += f * 1.4;
  }
  ctx.font = `${f}px ${FONT_STACK}`;
  for (const it of spec.items) {
    const my = cy + row / 2;
    // Swatches sit on opaque white so their colour is exactly the on-screen one.
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(x + pad, my - swatchH / 2, swatchW, swatchH);
    ctx.fillStyle = rgbCss(it.color, 0.8);
    ctx.fillRect(x + pad, my - swatchH / 2, swatchW, swatchH);
    ctx.strokeStyle = 'rgba(0, 0, 0, 0.15)';
    ctx.strokeRect(x + pad + 0.5, my - swatchH / 2 + 0.5, swatchW - 1, swatchH - 1);
    ctx.fillStyle = '#1d2a33';
    ctx.fillText(it.label, x + pad + swatchW + f * 0.5, my, w - pad * 2 - swatchW - f * 0.5);
    cy += row;
  }
  ctx.restore();
  return { x, y, w, h };
}
