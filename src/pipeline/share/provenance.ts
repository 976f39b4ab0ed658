/**
 * The provenance footer every exported picture and report carries: which data (dataset
 * fingerprint), which parameters, when, and whether safe sharing was on. Plain text, so it
 * reads the same on a PNG, in a PDF and in a file's metadata.
 */
import type { ShareState } from './permalink.ts';

export interface ProvenanceInput {
  state: ShareState;
  /** Dataset name as shown to the user. */
  datasetName: string;
  safe: boolean;
  date: Date;
  /** Labels, already in the user's language (`safeOn` names k). */
  labels: { dataset: string; fingerprint: string; parameters: string; safeOn: string; safeOff: string; created: string };
}

/** Local date and time as YYYY-MM-DD HH:MM (a board paper's date, not an ISO timestamp). */
export function formatDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function formatDate(d: Date): string {
  return formatDateTime(d).slice(0, 10);
}

/** Parameters as short `key=value` pairs; slices as compact JSON cut at `maxSliceChars`. */
export function parameterText(state: ShareState, maxSliceChars = 120): string {
  const parts = [
    `view=${state.tab}`,
    state.indicator && `indicator=${state.indicator}`,
    state.period && `period=${state.period}`,
    `classes=${state.classMethod}/${state.classCount}`,
    state.selectedAreaId && `area=${state.selectedAreaId}`,
  ].filter(Boolean) as string[];
  for (const [name, v] of Object.entries(state.slices).sort(([a], [b]) => (a < b ? -1 : 1))) {
    let json = JSON.stringify(v);
    if (json.length > maxSliceChars) json = json.slice(0, maxSliceChars - 1) + '…';
    parts.push(`${name}=${json}`);
  }
  return parts.join(' · ');
}

/** Lines of the footer: dataset and fingerprint; parameters; safe-sharing note and date. */
export function provenanceLines(p: ProvenanceInput): string[] {
  const L = p.labels;
  return [
    `${L.dataset}: ${p.datasetName} · ${L.fingerprint}: ${p.state.fingerprint || '—'}`,
    `${L.parameters}: ${parameterText(p.state)}`,
    `${p.safe ? L.safeOn : L.safeOff} · ${L.created}: ${formatDateTime(p.date)}`,
  ];
}
