/** Text on 2D canvases for exports: the app's font stack, line breaking and cutting. */

export const FONT_STACK = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

import { wrapBy } from '../../pipeline/share/text-wrap.ts';

export { wrapBy };

/** Fit text into maxWidth by cutting it with an ellipsis. */
export function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(text.slice(0, mid) + '…').width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + '…';
}

/**
 * Greedy line breaking with the context's current font (see wrapBy). With `maxLines`, the
 * last line is cut with "…".
 */
export function wrapText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number, maxLines = Infinity): string[] {
  const lines = wrapBy((s) => ctx.measureText(s).width, text, maxWidth);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = fitText(ctx, lines.slice(maxLines - 1).join(' ') + ' …', maxWidth);
  return kept;
}
