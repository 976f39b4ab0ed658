/** Line breaking by any width measure (canvas text for PNG exports, font metrics for PDFs). */

const CJK = '\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
const TOKEN_RE = new RegExp(`[${CJK}]|[^\\s${CJK}]+\\s*|\\s+`, 'g');

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
