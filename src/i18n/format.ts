/**
 * Message templates: `{name}` is replaced by the parameter, and `{name|one|other}` by the
 * word form that agrees with it ("1 area", "2 areas"). Chinese has no plural forms, so only
 * the en templates use the second form; the choice follows CLDR's English rule (exactly 1,
 * written without decimals, is singular) via Intl.PluralRules.
 */
const english = new Intl.PluralRules('en');

/** The number a parameter stands for; formatted numbers ("1,234") keep their value. */
function countOf(v: string | number): number {
  return typeof v === 'number' ? v : Number(v.replace(/[,\s\u00a0\u202f]/g, ''));
}

/** Fill `{name}` and `{name|one|other}` placeholders; values are plain text, rendered as text. */
export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template
    .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (m, k: string, one: string, other: string) => {
      if (!(k in params)) return m;
      const n = countOf(params[k]);
      return Number.isFinite(n) && english.select(n) === 'one' ? one : other;
    })
    .replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}
