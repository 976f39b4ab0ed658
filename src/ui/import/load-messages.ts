/**
 * Loader messages in the UI language. Warnings and reject reasons come as a code and parameters
 * (src/data/load-warnings.ts, src/data/reject-reasons.ts) and are said from the dictionaries.
 * File problems are English sentences still: their known shapes are read back into a message key
 * and its parameters; one of an unknown shape yields null and the English is shown.
 */
import type { MessageKey } from '../../i18n/i18n.svelte.ts';
import type { LoadWarning } from '../../data/types.ts';
import { reasonText, type RejectReason } from '../../data/reject-reasons.ts';

export interface LoadMessage {
  key: MessageKey;
  params: Record<string, string | number>;
}

type Pattern = [RegExp, MessageKey, ...string[]];

function match(text: string, patterns: Pattern[]): LoadMessage | null {
  for (const [re, key, ...names] of patterns) {
    const m = re.exec(text);
    if (!m) continue;
    const params: Record<string, string | number> = {};
    names.forEach((n, i) => (params[n] = m[i + 1]));
    return { key, params };
  }
  return null;
}

/**
 * A reject's reason in the UI language: its code and parameters said from the dictionaries
 * (`import.reason.<code>`, reject-reasons.ts composes a geometry reason's parts). `say` is the
 * UI's `t`; parameters from data (a column name, a key) are filled in as plain text.
 */
export function rejectReasonText(r: RejectReason, say: (key: MessageKey, params: Record<string, string | number>) => string): string {
  return reasonText(r, (key, params) => say(key as MessageKey, params));
}

const PROBLEMS: Pattern[] = [
  [/^has ([\d,]+) columns, more than the ([\d,]+) a file may have/, 'import.problem.tooManyColumns', 'n', 'max'],
  [/^has ([\d,]+) positions in its kept areas .* more than the ([\d,]+) an areas file may have/, 'import.problem.tooManyVertices', 'n', 'max'],
  [/^is ([\d,.]+) MB of UTF-16 text, which must be converted before loading; files over ([\d,.]+) MB/, 'import.problem.convertUtf16', 'n', 'max'],
  [/^is ([\d,.]+) MB of text that is not UTF-8, which must be converted before loading; files over ([\d,.]+) MB/, 'import.problem.convertEncoding', 'n', 'max'],
  [/^is ([\d,.]+) MB of text with mixed line endings, which must be converted before loading; files over ([\d,.]+) MB/, 'import.problem.convertLineEndings', 'n', 'max'],
];

/** A file problem's English sentence as a message, or null when its shape is unknown. */
export function loadProblemMessage(message: string): LoadMessage | null {
  return match(message, PROBLEMS);
}

/**
 * A load warning as a message: the loader gives its code and parameters, the dictionaries
 * (`import.warning.<code>`) say it in each language.
 */
export function loadWarningMessage(w: LoadWarning): LoadMessage {
  const params = { ...w.params };
  // The delimiter is shown as the character itself, which needs no translation.
  if (typeof params.delimiter === 'string') params.delimiter = DELIMITERS[params.delimiter] ?? params.delimiter;
  return { key: `import.warning.${w.code}` as MessageKey, params };
}

const DELIMITERS: Record<string, string> = { ';': '“;”', '\t': 'Tab', '|': '“|”' };
