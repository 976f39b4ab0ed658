/**
 * The provenance footer every exported picture and report carries: which data (name and
 * fingerprint), which parameters — in words, in the user's language, as the workflows
 * describe them — when, and whether safe sharing was on. Plain text, so it reads the same
 * on a PNG, in a PDF and in a file's metadata; never JSON, never cut.
 */

export interface ProvenanceInput {
  /** Dataset name as shown to the user. */
  datasetName: string;
  fingerprint: string;
  /** Parameter phrases in the user's language, e.g. "Risk view", "period 2025Q4". */
  parameters: string[];
  /** The safe-sharing sentence (on with k, or off). */
  safeText: string;
  date: Date;
  /** Labels in the user's language; `separator` joins the parameter phrases ("; " or "；"), `colon` follows a label (": " or "："). */
  labels: { dataset: string; fingerprint: string; parameters: string; created: string; separator: string; colon: string };
}

/** Local date and time as YYYY-MM-DD HH:MM (a board paper's date, not an ISO timestamp). */
export function formatDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function formatDate(d: Date): string {
  return formatDateTime(d).slice(0, 10);
}

/**
 * Text safe for a footer: braces (a sign of leaked JSON or an unfilled template) become
 * parentheses, runs of white space one space.
 */
export function plainPhrase(s: string): string {
  return s.replace(/\{/g, '(').replace(/\}/g, ')').replace(/\s+/g, ' ').trim();
}

/** Lines of the footer: dataset and fingerprint; parameters; safe-sharing note and date. */
export function provenanceLines(p: ProvenanceInput): string[] {
  const L = p.labels;
  const params = p.parameters.map(plainPhrase).filter(Boolean);
  return [
    plainPhrase(`${L.dataset}${L.colon}${p.datasetName} · ${L.fingerprint} ${p.fingerprint || '—'}`),
    ...(params.length ? [`${L.parameters}${L.colon}${params.join(L.separator)}`] : []),
    plainPhrase(`${p.safeText} · ${L.created}${L.colon}${formatDateTime(p.date)}`),
  ];
}
