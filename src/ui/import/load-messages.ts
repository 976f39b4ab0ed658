/**
 * The loader writes each reject reason and warning in English: the CLI prints them and the
 * rejects CSV keeps them. On screen they are shown in the UI language, so the known sentence
 * shapes are read back into a message key and its parameters (column names, counts, lines).
 * A sentence of an unknown shape yields null: the caller shows the reject code's name instead
 * of English prose under zh-CN.
 */
import type { MessageKey } from '../../i18n/i18n.svelte.ts';

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
  [/^(type) "(.*)" is not a known site type: /s, 'import.reason.unknownType', 'column', 'value'],
];

const WARNINGS: Pattern[] = [
  [/^(.+) is not UTF-8: it was read as GBK \(GB18030\) and converted to UTF-8/, 'import.warning.gbk', 'file'],
  [/^(.+) is (UTF-16LE|UTF-16BE) text, not UTF-8: it was converted to UTF-8$/, 'import.warning.utf16', 'file', 'encoding'],
  [/^(.+) uses (semicolon|tab|pipe)\b.* as delimiter, not comma/, 'import.warning.delimiter', 'file', 'delimiter'],
  [/^(.+): Parquet has no line numbers/, 'import.warning.parquetLines', 'file'],
  [/^(.+): no area_id property; the features' "id" is used as area_id$/, 'import.warning.featureId', 'file'],
  [/^(.+): features\[(\d+)\] \(area_id (.*)\): (?:polygon \d+, )?ring \d+ was not closed/s, 'import.warning.areaClosed', 'file', 'feature', 'id'],
  [/^(.+): features\[(\d+)\] \(area_id (.*)\): (?:polygon \d+, )?hole \d+ has fewer than 3 distinct positions/s, 'import.warning.areaHoleDropped', 'file', 'feature', 'id'],
  [/^(.+): features\[(\d+)\] \(area_id (.*)\): ([\d,]+) positions simplified to ([\d,]+) \(Douglas–Peucker, tolerance ([\d,]+) m\)/s, 'import.warning.areaSimplified', 'file', 'feature', 'id', 'before', 'after', 'tolerance'],
  [/^(.+): features\[(\d+)\] \(area_id (.*)\): .*: made valid by a polygon union \(\d+ polygons?, (.+) → (.+) km²\)$/s, 'import.warning.areaMadeValid', 'file', 'feature', 'id', 'before', 'after'],
  [/^(.+): (\d+) features? had rings wound against RFC 7946/, 'import.warning.areaRewound', 'file', 'n'],
  [/^(.+): (\d+) features? had repeated consecutive positions/, 'import.warning.areaDeduplicated', 'file', 'n'],
  [/^(.+): (\d+) more feature\(s\) were repaired the same ways/, 'import.warning.areaMoreRepaired', 'file', 'n'],
  [/^(.+): no areas loaded, so customers were not assigned to areas/, 'import.warning.noAreas', 'file'],
  [/^(.+): no valid periods$/, 'import.warning.noPeriods', 'file'],
  [/^(.+): column "(.+)" has no numbers; kept as text/, 'import.warning.textColumn', 'file', 'column'],
  [/^(.+): (.+): (\d+) values? could not be read as a number and (?:was|were) left empty/, 'import.warning.unreadNumbers', 'file', 'column', 'n'],
  [/^(.+): the header is on (?:line|row) (\d+); the (?:line|row)\(s\) above it were skipped as a title$/, 'import.warning.headerLine', 'file', 'line'],
  [/^(.+): no own sites: no owner reads as ours \((.+?)\), so every site/, 'import.warning.noOwnSites', 'file', 'words'],
  [/^(.+): (\d+) rows? matched to areas by name$/, 'import.warning.areasByName', 'file', 'n'],
  [/^(.+): (.+): (\d+) values? outside 0–100 % \(kept/, 'import.warning.rateRange', 'file', 'column', 'n'],
  [/^(.+): column (\d+) was loaded as "(.*)" \(control or invisible characters removed\)$/s, 'import.warning.columnCleaned', 'file', 'index', 'name'],
  [/^(.+): column (\d+) was loaded as "(.*)" \(longer than (\d+) characters, cut\)$/s, 'import.warning.columnCut', 'file', 'index', 'name', 'max'],
  [/^(.+): column (\d+) was loaded as "(.*)" \(the name is reserved by the database\)$/s, 'import.warning.columnReserved', 'file', 'index', 'name'],
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

/** A load warning as a message, or null when its shape is unknown. */
export function loadWarningMessage(warning: string): LoadMessage | null {
  const m = match(warning, WARNINGS);
  // The delimiter's English name becomes the character itself, which needs no translation.
  if (m && typeof m.params.delimiter === 'string') m.params.delimiter = DELIMITERS[m.params.delimiter] ?? m.params.delimiter;
  return m;
}

const DELIMITERS: Record<string, string> = { semicolon: '“;”', tab: 'Tab', pipe: '“|”' };
