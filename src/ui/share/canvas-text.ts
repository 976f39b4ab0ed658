/** Text on 2D canvases for exports: the app's font stack, line breaking and cutting. */

export const FONT_STACK = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

const CJK = '\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
const TOKEN_RE = new RegExp(`[${CJK}]|[^\\s${CJK}]+\\s*|\\s+`, 'g');

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
 * Greedy line breaking with any width measure: at spaces, and between any two CJK
 * characters (Chinese has no spaces). Never cuts: every character is on some line.
 */
export function wrapBy(measure: (s: string) => number, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const tok of para.match(TOKEN_RE) ?? ['']) {
      if (line && measure(line + tok) > maxWidth) {
        lines.push(line.trimEnd());
        line = tok.trimStart();
      } else line += tok;
    }
    lines.push(line.trimEnd());
  }
  return lines;
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
