/**
 * What the loader warns about, as a code and its parameters (file, column, counts...), never as
 * a sentence: the browser renders each code from its dictionaries (en and zh-CN,
 * `import.warning.<code>` in src/i18n/import.ts), the CLI and the JSON report print the English
 * sentence below, made from the same code and parameters. A unit test checks that every code has
 * both dictionary entries and that the English ones say what `warningText` says.
 */

export const WARNING_CODES = [
  'gbk', 'utf16', 'delimiter', 'headerLine', 'headerRow', 'columnCleaned', 'columnCut', 'columnReserved', 'columnShadowed',
  'parquetLines', 'parquetLinesFiles', 'featureId',
  'areaClosed', 'areaHoleDropped', 'areaSimplified', 'areaMadeValid', 'areaRewound', 'areaDeduplicated', 'areaMoreRepaired', 'noAreas', 'noPeriods', 'textColumn', 'unreadNumbers', 'rateRange', 'areasByName', 'noOwnSites',
] as const;

export type WarningCode = (typeof WARNING_CODES)[number];

export interface LoadWarning {
  code: WarningCode;
  /** Always `file`; the others as each code's sentence names them. Data text stays text. */
  params: Record<string, string | number>;
}

export function loadWarning(code: WarningCode, params: LoadWarning['params']): LoadWarning {
  return { code, params };
}

/** The delimiter's English name (the browser shows the character itself). */
const DELIMITER_NAME: Record<string, string> = { ';': 'semicolon (;)', '\t': 'tab', '|': 'pipe (|)' };

const plural = (n: string | number, one: string, many: string) => (Number(n) === 1 ? one : many);

type Params = LoadWarning['params'];

const ENGLISH: { [C in WarningCode]: (p: Params) => string } = {
  gbk: (p) => `${p.file} is not UTF-8: it was read as GBK (GB18030) and converted to UTF-8; check that Chinese text looks right`,
  utf16: (p) => `${p.file} is ${p.encoding} text, not UTF-8: it was converted to UTF-8`,
  delimiter: (p) => `${p.file} uses ${DELIMITER_NAME[String(p.delimiter)] ?? p.delimiter} as delimiter, not comma; read it that way`,
  headerLine: (p) => `${p.file}: the header is on line ${p.line}; what is above it was skipped as a title`,
  headerRow: (p) => `${p.file}: the header is on row ${p.line}; what is above it was skipped as a title`,
  columnCleaned: (p) => `${p.file}: column ${p.index} was loaded as "${p.name}" (control or invisible characters removed)`,
  columnCut: (p) => `${p.file}: column ${p.index} was loaded as "${p.name}" (longer than ${p.max} characters, cut)`,
  columnReserved: (p) => `${p.file}: column ${p.index} was loaded as "${p.name}" (the name is reserved by the database)`,
  columnShadowed: (p) => `${p.file}: column "${p.column}" was not loaded: its name is taken by the contract column it resembles (${p.mapping})`,
  parquetLines: (p) => `${p.file}: Parquet has no line numbers; "line" in rejects is row index + 2 (as in a CSV export with a header)`,
  parquetLinesFiles: (p) =>
    `${p.file}: Parquet has no line numbers; "line" in rejects is row index + 2 (as in a CSV export with a header), counted across the matched files (${p.files}), in file-name order`,
  featureId: (p) => `${p.file}: no area_id property; the features' "id" is used as area_id`,
  areaClosed: (p) => `${p.file}: features[${p.feature}] (area_id ${p.id}): a ring was not closed; it was closed by repeating its first position`,
  areaHoleDropped: (p) => `${p.file}: features[${p.feature}] (area_id ${p.id}): a hole with fewer than 3 distinct positions was dropped`,
  areaSimplified: (p) =>
    `${p.file}: features[${p.feature}] (area_id ${p.id}): ${p.before} positions simplified to ${p.after} (Douglas–Peucker, tolerance ${p.tolerance} m)`,
  areaMadeValid: (p) =>
    `${p.file}: features[${p.feature}] (area_id ${p.id}): rings crossing each other or misplaced holes were made valid by a polygon union (${p.before} → ${p.after} km²)`,
  areaRewound: (p) => `${p.file}: ${p.n} ${plural(p.n, 'feature', 'features')} had rings wound against RFC 7946 and were rewound (features ${p.list})`,
  areaDeduplicated: (p) => `${p.file}: ${p.n} ${plural(p.n, 'feature', 'features')} had repeated consecutive positions, removed (features ${p.list})`,
  areaMoreRepaired: (p) => `${p.file}: ${p.n} more ${plural(p.n, 'feature was', 'features were')} repaired the same ways`,
  noAreas: (p) => `${p.file}: no areas loaded, so customers were not assigned to areas (area_id is empty)`,
  noPeriods: (p) => `${p.file}: no valid periods`,
  textColumn: (p) => `${p.file}: column "${p.column}" has no numbers; kept as text, not usable as an indicator`,
  unreadNumbers: (p) =>
    `${p.file}: ${p.column}: ${p.n} ${plural(p.n, 'value', 'values')} could not be read as a number and ${plural(p.n, 'was', 'were')} left empty (rows kept)`,
  rateRange: (p) => `${p.file}: ${p.column}: ${p.n} ${plural(p.n, 'value', 'values')} outside 0–100 % (kept; a rate is read as a percentage, 3.5 = 3.5 %)`,
  areasByName: (p) => `${p.file}: ${p.n} ${plural(p.n, 'row', 'rows')} matched to areas by name`,
  noOwnSites: (p) =>
    `${p.file}: no own sites: no owner reads as ours (${p.words}), so every site is taken as a competitor's; map your bank's name to own in the value mapping`,
};

/** The warning as the CLI prints it (and the JSON report and the English UI say it). */
export function warningText(w: LoadWarning): string {
  const f = ENGLISH[w.code] as ((p: Params) => string) | undefined;
  return f ? f(w.params) : `${w.params.file ?? ''}: ${w.code}`;
}
