/**
 * Loader messages in the UI language. Warnings come as a code and parameters
 * (src/data/load-warnings.ts) and are said from the dictionaries. Reject reasons are still
 * English sentences (the CLI prints them and the rejects CSV keeps them): their known shapes are
 * read back into a message key and its parameters (column names, counts, lines); a sentence of
 * an unknown shape yields null, and the caller shows the reject code's name instead of English
 * prose under zh-CN.
 */
import type { MessageKey } from '../../i18n/i18n.svelte.ts';
import type { LoadWarning } from '../../data/types.ts';

export interface LoadMessage {
  key: MessageKey;
  params: Record<string, string | number>;
}

type Pattern = [RegExp, MessageKey, ...string[]];

const REASONS: Pattern[] = [
  [/^features\[(\d+)\] is not a GeoJSON Feature$/, 'import.reason.notFeature', 'feature'],
  [/^features\[(\d+)\] has no area_id$/, 'import.reason.noAreaId', 'feature'],
  [/^features\[(\d+)\]: (?:polygon \d+, )?ring \d+ runs across the ±180° meridian/, 'import.reason.antimeridian', 'feature'],
  [/^features\[(\d+)\]: (?:polygon \d+, )?ring \d+ spans ([\d,]+)° of longitude/, 'import.reason.tooWide', 'feature', 'degrees'],
  [/^features\[(\d+)\]: (?:polygon \d+, )?hole \d+ is bigger than its outer ring/, 'import.reason.holeCoversShell', 'feature'],
  [/^features\[(\d+)\]: /, 'import.reason.badGeometry', 'feature'],
  [/^duplicate area_id \(first at features\[(\d+)\]\)$/, 'import.reason.duplicateFeature', 'first'],
  [/^duplicate (.+) \(first on line (\d+)\)$/, 'import.reason.duplicateLine', 'column', 'line'],
  [/^duplicate (.+)$/, 'import.reason.duplicate', 'column'],
  [/^period is not a period like /, 'import.reason.badPeriod'],
  [/^row has (\d+) fields?, the header has (\d+)$/, 'import.reason.ragged', 'fields', 'header'],
  [/^row has values in (\d+) columns, the header has (\d+)$/, 'import.reason.extraValues', 'fields', 'header'],
  [/^a quoted field is not closed properly/, 'import.reason.badQuoting'],
  [/^row is longer than the maximum line size \((.+)\)$/, 'import.reason.tooLong', 'size'],
  [/^row could not be read \((.+)\)$/, 'import.reason.unreadable', 'error'],
  [/^coordinates are exactly \(0, 0\)$/, 'import.reason.zeroZero'],
  [/^(.+) is empty$/, 'import.reason.empty', 'column'],
  [/^(.+) is not an area_id of the areas file$/, 'import.reason.unknownArea', 'column'],
  [/^area_id "(.*)" is no area of the areas file \(by area_id, name or name_en\); closest: (.+)$/s, 'import.reason.unknownAreaClosest', 'key', 'closest'],
  [/^area_id "(.*)" is no area of the areas file \(by area_id, name or name_en\)$/s, 'import.reason.unknownAreaKey', 'key'],
  [/^area_id "(.*)" names more than one area \((.+)\)$/s, 'import.reason.ambiguousArea', 'key', 'ids'],
  [/^(.+) is not a number$/, 'import.reason.notNumber', 'column'],
  [/^(.+) is outside \[(-?[\d.]+), (-?[\d.]+)\]$/, 'import.reason.outside', 'column', 'min', 'max'],
  [/^(.+) must be 0 or 1$/, 'import.reason.zeroOne', 'column'],
  [/^(.+) must be greater than 0$/, 'import.reason.positive', 'column'],
  [/^(.+) must not be negative$/, 'import.reason.nonNegative', 'column'],
  [/^(.+) must be branch or atm$/, 'import.reason.branchAtm', 'column'],
  [/^(.+) is not an H3 cell index$/, 'import.reason.notH3', 'column'],
  [/^(.+) is not a cell at the row's resolution$/, 'import.reason.h3Resolution', 'column'],
  [/^(.+) must be a whole number from 0 to 15$/, 'import.reason.h3ResRange', 'column'],
  [/^(.+) must be a whole number, not negative$/, 'import.reason.wholeCount', 'column'],
  [/^(type) "(.*)" is not a known site type: /s, 'import.reason.unknownType', 'column', 'value'],
];

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

/** A reject's English reason as a message, or null when its shape is unknown. */
export function rejectReasonMessage(reason: string): LoadMessage | null {
  return match(reason, REASONS);
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
