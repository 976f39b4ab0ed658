/**
 * Why a row or feature was rejected, as a code and its parameters (column, line, the key that
 * matched no area …), never as a sentence: the browser says each code from its dictionaries
 * (`import.reason.<code>` in src/i18n/import.ts, en and zh-CN), the CLI from the same
 * dictionaries in its `--lang`. The rejects table keeps the code (`reason`) and the parameters as
 * JSON text (`params`), inserted as data — nothing from a file is spliced into SQL. Parameters
 * that come from data (a column name, a key, a type word) stay plain text when rendered.
 *
 * Geometry reasons compose two parts, each said from the dictionaries: `{where}` is
 * `import.reason.where` ("polygon 2, ") when the parameters have `polygon` (a MultiPolygon's
 * part), else empty; `{flaw}` is `import.flaw.<flaw>` (what is invalid about the shape).
 */

export const REASON_CODES = [
  // Reading the file (CSV, Excel)
  'ragged', 'extraValues', 'badQuoting', 'tooLong', 'unreadable', 'totals',
  // Values
  'empty', 'onlySpaces', 'notNumber', 'outside', 'between', 'nonNegative', 'positive', 'zeroOne', 'zeroZero',
  'duplicateLine', 'alreadyLoaded', 'badPeriod', 'unknownArea', 'unknownAreaKey', 'unknownAreaClosest', 'ambiguousArea', 'unknownType',
  // Demand cells (an aggregate's or a warehouse's table)
  'notH3', 'h3Resolution', 'h3ResRange', 'wholeCount',
  // GeoJSON features
  'notFeature', 'noAreaId', 'duplicateFeature',
  'geomMissing', 'geomNoPolygons', 'geomType', 'noRings', 'ringNotArray', 'ringTooShort', 'positionNotNumbers', 'positionOutside',
  'outerTooShort', 'antimeridian', 'tooWide', 'noArea', 'tooManyPositions', 'tooTangled',
  'flawTooBig', 'flawUnrepaired', 'holesLeaveNothing', 'ringsCancel',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

/** What makes a polygon invalid (area-repair.ts), said inside a geometry reason as `{flaw}`. */
export const FLAW_CODES = ['selfCrossing', 'ringsCross', 'holeBigger', 'holeOutside', 'holeInHole'] as const;

export type FlawCode = (typeof FLAW_CODES)[number];

export type ReasonParams = Record<string, string | number>;

export interface RejectReason {
  reason: ReasonCode;
  params: ReasonParams;
}

export function rejectReason(reason: ReasonCode, params: ReasonParams = {}): RejectReason {
  return { reason, params };
}

/** A dictionary lookup with parameters filled in (the UI's `t`, or the CLI's for its `--lang`). */
export type MessageLookup = (key: string, params: ReasonParams) => string;

/** The reason in the language of `message`. An unknown code (a newer table) is said as its code. */
export function reasonText(r: RejectReason, message: MessageLookup): string {
  if (!(REASON_CODES as readonly string[]).includes(r.reason)) return r.reason;
  const p: ReasonParams = { ...r.params };
  p.where = r.params.polygon !== undefined ? message('import.reason.where', { polygon: r.params.polygon }) : '';
  if (typeof r.params.flaw === 'string' && (FLAW_CODES as readonly string[]).includes(r.params.flaw)) {
    p.flaw = message(`import.flaw.${r.params.flaw}`, r.params);
  }
  return message(`import.reason.${r.reason}`, p);
}

/** Parameters as stored in the rejects table's `params` column (JSON text). */
export function paramsJson(params: ReasonParams): string {
  return JSON.stringify(params);
}

/** The `params` column read back; a value that is not a JSON object of texts and numbers is dropped. */
export function parseParams(text: string | null | undefined): ReasonParams {
  if (!text) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return {};
  }
  const out: ReasonParams = {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number') out[k] = x;
  return out;
}
