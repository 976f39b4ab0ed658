/**
 * Types of the loading layer shared by the browser DB worker and the CLI (DESIGN.md, data
 * contract). Plain data only: everything here crosses the worker boundary with structured clone.
 */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { LoadWarning } from './load-warnings.ts';
import type { ReasonCode, ReasonParams } from './reject-reasons.ts';

export type { LoadWarning, WarningCode } from './load-warnings.ts';

export type InputKind = 'areas' | 'indicators' | 'customers' | 'sites' | 'candidates' | 'demand_points' | 'costs' | 'demand_cells';
export const INPUT_KINDS: readonly InputKind[] = ['areas', 'indicators', 'customers', 'sites', 'candidates', 'demand_points', 'costs', 'demand_cells'];
/** Kinds whose rows are points (they take a CRS and get coordinate checks). */
export const POINT_KINDS: readonly InputKind[] = ['customers', 'sites', 'candidates', 'demand_points'];

/** Coordinate reference system of a file: converted to WGS84 on load. */
export type Crs = 'wgs84' | 'gcj02' | 'bd09';

export interface LoadInput {
  kind: InputKind;
  /** Shown in messages and stored in `rejects.file`; not used to find the file. */
  fileName: string;
  /** The file's bytes (CSV, .xlsx, Parquet, or GeoJSON for areas). Not modified. */
  bytes: Uint8Array;
  /**
   * Instead of `bytes` (then empty): the file as a Blob (the browser's disk-backed File). A plain
   * UTF-8 CSV is then scanned in chunks and read by DuckDB in place, never held whole in memory;
   * other formats and encodings are read into memory as from `bytes`.
   */
  blob?: Blob;
  /**
   * Native DuckDB only (the CLI): a Parquet file, or a glob of Parquet files, that DuckDB reads
   * from disk itself, so a file of any size never passes through the JS heap; `bytes` is then
   * empty. Rows are numbered across the matched files in file-name order.
   */
  path?: string;
  /** Default 'wgs84'. */
  crs?: Crs;
  /**
   * Contract column → source column (CSV/Excel header, Parquet field, GeoJSON property).
   * Columns not given are guessed with `guessMapping`; `''` means "not mapped" (tabular files:
   * the guess is not used for that column). See what was used in `FileReport.mapping`.
   */
  mapping?: Partial<Record<string, string>>;
  /** Excel only: sheet name; default the first sheet. */
  sheet?: string;
  /** Sites: the user's value mapping, before the built-in dictionary (src/data/value-map.ts). */
  values?: ValueMapping;
}

/**
 * Source value → contract value. `type`: → `branch` or `atm`; `owner`: → `own` or the
 * competitor's name to use. Values not listed go through the built-in dictionary.
 */
export interface ValueMapping {
  type?: Record<string, 'branch' | 'atm'>;
  owner?: Record<string, string>;
}

/** One line of a value mapping as applied: "支行 → branch: 30 rows". */
export interface ValueMapLine {
  column: 'type' | 'owner';
  from: string;
  to: string;
  rows: number;
}

/** Area boundaries as validated and converted to WGS84; `properties.area_id` is a string. */
export type AreaFeatureCollection = FeatureCollection<Polygon | MultiPolygon, AreaProperties>;
export interface AreaProperties {
  area_id: string;
  name?: string | null;
  name_en?: string | null;
  [key: string]: unknown;
}

export interface LoadOptions {
  /**
   * Areas already loaded earlier (the `areas` of a previous LoadReport), used to assign
   * customers to areas when this load has no areas input. Without them customers loaded alone
   * get `area_id` NULL and `outsideStudyArea` is not computed.
   */
  areas?: AreaFeatureCollection | null;
  /**
   * Assign each customer to the area containing it (default true). The CLI's `hotspots` and
   * `aggregate` turn it off: they place customers by H3 cell (DESIGN.md § Grid), and the
   * point-in-polygon pass would hold every coordinate in the JS heap (100M rows ≈ 3 GB).
   * Customers then get `area_id` NULL and no `outsideStudyArea` count.
   */
  assignCustomerAreas?: boolean;
  /**
   * Kinds whose rows are added to the rows already loaded instead of replacing them. Keys stay
   * unique: a row whose key (customer_id, site_id, area_id + period) is already loaded is a
   * reject (`duplicate_id`, "… already loaded"). A kind not loaded yet is simply loaded.
   */
  append?: readonly InputKind[];
  /**
   * Keep the tables this load replaces (and the rejects) as `prev_<kind>` / `prev_rejects`
   * until the next load, so the previous dataset can be restored (DbApi.restorePrevious).
   * Any load drops the earlier `prev_` tables.
   */
  keepPrevious?: boolean;
}

export type LoadStep = 'read' | 'validate' | 'coordinates' | 'assign-areas' | 'commit' | 'done';

export interface LoadProgress {
  step: LoadStep;
  kind?: InputKind;
  file?: string;
  /** Overall progress of the whole load, 0..1 (monotonic). */
  fraction: number;
}

export interface LoadHooks {
  onProgress?: (p: LoadProgress) => void;
  /** Aborting interrupts the running statement; the previous tables stay as they were. */
  signal?: AbortSignal;
}

/** Stable reason codes (for counts, filters and translated messages). */
export type RejectCode =
  | 'ragged_row'
  | 'bad_quoting'
  | 'line_too_long'
  | 'unreadable_row'
  | 'empty_required'
  | 'coord_empty'
  | 'not_a_number'
  | 'out_of_range'
  | 'zero_zero'
  | 'bad_value'
  | 'duplicate_id'
  | 'bad_period'
  | 'unknown_area'
  | 'bad_geometry'
  | 'extra_values'
  | 'totals_row';

export interface RejectRow {
  kind: InputKind;
  file: string;
  /**
   * Physical line in the file, header = line 1 (CSV); the Excel row number (.xlsx); row index + 2
   * (Parquet, as if it were a CSV with a header); null for GeoJSON features (see `column`).
   */
  line: number | null;
  /** Contract column (or source column for extra columns); `features[i]…` for GeoJSON. */
  column: string | null;
  /** Why, as a code said from the dictionaries (reject-reasons.ts); `code` is the coarser kind counted in reports. */
  reason: ReasonCode;
  /** The reason's parameters (column, line, key …); values from data are plain text. */
  params: ReasonParams;
  code: RejectCode;
  /** CSV: the row's text unaltered. Excel/Parquet: the row's values as CSV. GeoJSON: properties JSON. */
  raw: string | null;
}

export interface FileReport {
  kind: InputKind;
  file: string;
  format: 'csv' | 'xlsx' | 'parquet' | 'geojson';
  /** Source encoding of text files when it was not UTF-8 ('gbk'). */
  encoding?: 'utf-8' | 'gbk' | 'utf-16le' | 'utf-16be';
  /** Data rows (CSV/Excel/Parquet) or features (GeoJSON) read; = kept + rejected. */
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  rejectsByCode: Partial<Record<RejectCode, number>>;
  /** Customers only, when areas are known: kept rows inside no area (kept, area_id NULL). */
  outsideStudyArea?: number;
  /** Contract column → source column actually used. */
  mapping: Record<string, string>;
  /** Columns kept beyond the contract, with their SQL type. */
  extraColumns: { name: string; type: 'DOUBLE' | 'VARCHAR' }[];
  crs: Crs;
  /** Sites: the values read as another value (支行 → branch), over the kept rows. */
  valueMap?: ValueMapLine[];
  warnings: LoadWarning[];
}

export interface LoadReport {
  files: FileReport[];
  /** Validated areas in WGS84 (for the map); null when no areas are known. */
  areas: AreaFeatureCollection | null;
  /** Tables replaced by this load, plus `rejects`. */
  tables: string[];
  rowsRejected: number;
  warnings: LoadWarning[];
  durationMs: number;
}

/** A problem with a whole file: nothing from the load was committed. */
export interface FileProblem {
  kind: InputKind;
  file: string;
  /** Line the problem was found on, when there is one. */
  line?: number;
  message: string;
  /** For an engine failure: its dictionary key (`import.engine.<code>`) and the engine's text. */
  code?: string;
  detail?: string;
}
