/**
 * SQL of the Sites workflow: the network with attractiveness, the candidates file,
 * population per area at a period. Pure text building; identifiers quoted, values bound as
 * parameters; the same text runs on duckdb-wasm (the app) and native DuckDB (the CLI).
 * Customers per H3 cell come from the hotspot SQL (cellTotalsSql over the assignment).
 */
import { quoteIdent as q, type SqlParam } from './ident.ts';

/**
 * Every site: site_id, lon, lat, type (lower case), owner, attractiveness (DOUBLE; 1 where
 * missing or not > 0, as DESIGN.md defaults it), ordered by site_id. The loader always
 * creates the attractiveness column (src/data/column-plan.ts).
 */
export function networkSql(table = 'sites', withName = false): string {
  const name = withName ? `CAST(${q('name')} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
  return `SELECT CAST(${q('site_id')} AS VARCHAR) AS site_id, ${name} AS name, CAST(${q('lon')} AS DOUBLE) AS lon, CAST(${q('lat')} AS DOUBLE) AS lat,
  lower(CAST(${q('type')} AS VARCHAR)) AS type, CAST(${q('owner')} AS VARCHAR) AS owner,
  CASE WHEN TRY_CAST(${q('attractiveness')} AS DOUBLE) > 0 THEN TRY_CAST(${q('attractiveness')} AS DOUBLE) ELSE 1.0 END AS attractiveness
FROM ${q(table)} ORDER BY site_id`;
}

/** Candidate sites: site_id, lon, lat (and name, VARCHAR, when the table has one), in file order (rowid). */
export function candidatesSql(table = 'candidates', withName = false): string {
  const name = withName ? `, CAST(${q('name')} AS VARCHAR) AS name` : '';
  return `SELECT CAST(${q('site_id')} AS VARCHAR) AS site_id, CAST(${q('lon')} AS DOUBLE) AS lon, CAST(${q('lat')} AS DOUBLE) AS lat${name} FROM ${q(table)} ORDER BY rowid`;
}

/**
 * Customers as demand points at their exact locations, in table order: lon, lat (DOUBLE)
 * and weight (DOUBLE): 1 each, or the numeric value of `weightColumn` (NULL where missing
 * or not a number; the caller counts and zeroes those).
 */
export function customerPointsSql(weightColumn?: string, table = 'customers'): string {
  const w = weightColumn === undefined ? 'CAST(1 AS DOUBLE)' : `TRY_CAST(${q(weightColumn)} AS DOUBLE)`;
  return `SELECT CAST(${q('lon')} AS DOUBLE) AS lon, CAST(${q('lat')} AS DOUBLE) AS lat, ${w} AS weight FROM ${q(table)} ORDER BY rowid`;
}

/** How many customers there are and their mean latitude (the scale of `mergeGridCountsSql`'s grid). */
export function customerExtentSql(table = 'customers'): string {
  return `SELECT CAST(count(*) AS DOUBLE) AS customers, avg(CAST(${q('lat')} AS DOUBLE)) AS lat0 FROM ${q(table)}`;
}

/**
 * A grid square's scales: how many squares to a degree of longitude and to a degree of latitude
 * (the caller's local equirectangular grid), as `mergeGridCountsSql` and `mergedCustomerPointsSql` take them.
 */
export type GridScale = readonly [perDegLon: number, perDegLat: number];

/** The grid square of a customer for `mergedCustomerPointsSql`, with the parameter numbers of its two scales. */
const square = (x: number, y: number) => [`floor(CAST(${q('lon')} AS DOUBLE) * $${x})`, `floor(CAST(${q('lat')} AS DOUBLE) * $${y})`];

/**
 * For each grid in `grids`, about how many grid squares hold customers (approx_count_distinct,
 * a few % off): columns `c0`, `c1`… in the order of `grids`.
 */
export function mergeGridCountsSql(grids: readonly GridScale[], table = 'customers'): { sql: string; params: SqlParam[] } {
  const cols = grids.map((_, i) => {
    const [x, y] = square(2 * i + 1, 2 * i + 2);
    return `CAST(approx_count_distinct(hash(${x}, ${y})) AS DOUBLE) AS c${i}`;
  });
  return { sql: `SELECT ${cols.join(', ')} FROM ${q(table)}`, params: grids.flatMap((g) => [...g]) };
}

/**
 * Customers merged into demand points on the grid `grid`: per square that holds customers,
 * their mean lon and lat and their number as the weight (DOUBLE), in the order of each square's
 * first customer in the table.
 */
export function mergedCustomerPointsSql(grid: GridScale, table = 'customers'): { sql: string; params: SqlParam[] } {
  const [x, y] = square(1, 2);
  return {
    sql: `SELECT avg(CAST(${q('lon')} AS DOUBLE)) AS lon, avg(CAST(${q('lat')} AS DOUBLE)) AS lat, CAST(count(*) AS DOUBLE) AS weight
FROM ${q(table)} GROUP BY ${x}, ${y} ORDER BY min(rowid)`,
    params: [...grid],
  };
}

/** The demand-points file: point_id (VARCHAR), lon, lat, weight (DOUBLE, the loader defaults it to 1), in file order. */
export function demandPointsSql(table = 'demand_points'): string {
  return `SELECT CAST(${q('point_id')} AS VARCHAR) AS point_id, CAST(${q('lon')} AS DOUBLE) AS lon, CAST(${q('lat')} AS DOUBLE) AS lat, CAST(${q('weight')} AS DOUBLE) AS weight FROM ${q(table)} ORDER BY rowid`;
}

/**
 * Population per area at one period: area_id, population (DOUBLE). The caller scatters the
 * rows onto the areas file's order (areas without a row have no population).
 */
export function populationSql(period: string, column = 'population', table = 'indicators'): { sql: string; params: SqlParam[] } {
  return {
    sql: `SELECT CAST(${q('area_id')} AS VARCHAR) AS area_id, TRY_CAST(${q(column)} AS DOUBLE) AS population FROM ${q(table)} WHERE CAST(${q('period')} AS VARCHAR) = $1`,
    params: [period],
  };
}

/** The latest period (by period_index) where `column` has a value; no row when none. */
export function latestPeriodSql(column = 'population', table = 'indicators'): string {
  return `SELECT CAST(${q('period')} AS VARCHAR) AS period FROM ${q(table)} WHERE ${q(column)} IS NOT NULL ORDER BY ${q('period_index')} DESC LIMIT 1`;
}

/** Demand ids with their index in the order the demand is read (customers / demand points, by rowid). */
function demandIndexSql(demand: 'customers' | 'demand_points'): string {
  const id = demand === 'customers' ? 'customer_id' : 'point_id';
  return `SELECT CAST(${q(id)} AS VARCHAR) AS id, row_number() OVER (ORDER BY rowid) - 1 AS i FROM ${q(demand)}`;
}

/**
 * The cost file's pairs to candidates as indices: i (demand index in read order), j
 * (candidate index in file order), cost — all DOUBLE so they decode as plain columns.
 * Pairs naming no demand point or no candidate drop out (they may name existing sites).
 */
export function candidateCostsSql(demand: 'customers' | 'demand_points'): string {
  return `SELECT CAST(d.i AS DOUBLE) AS i, CAST(c.j AS DOUBLE) AS j, CAST(k.${q('cost')} AS DOUBLE) AS cost
FROM ${q('costs')} AS k
JOIN (${demandIndexSql(demand)}) AS d ON CAST(k.${q('demand_id')} AS VARCHAR) = d.id
JOIN (SELECT CAST(${q('site_id')} AS VARCHAR) AS id, row_number() OVER (ORDER BY rowid) - 1 AS j FROM ${q('candidates')}) AS c ON CAST(k.${q('site_id')} AS VARCHAR) = c.id`;
}

/** Each demand point's lowest cost to one of our existing sites of `siteType`: i, cost (DOUBLE). */
export function existingCostsSql(demand: 'customers' | 'demand_points', siteType: string): { sql: string; params: SqlParam[] } {
  return {
    sql: `SELECT CAST(d.i AS DOUBLE) AS i, CAST(min(k.${q('cost')}) AS DOUBLE) AS cost
FROM ${q('costs')} AS k
JOIN (${demandIndexSql(demand)}) AS d ON CAST(k.${q('demand_id')} AS VARCHAR) = d.id
JOIN (SELECT CAST(${q('site_id')} AS VARCHAR) AS id FROM ${q('sites')} WHERE lower(CAST(${q('type')} AS VARCHAR)) = $1 AND CAST(${q('owner')} AS VARCHAR) = 'own') AS e ON CAST(k.${q('site_id')} AS VARCHAR) = e.id
GROUP BY d.i`,
    params: [siteType],
  };
}

/**
 * The cost file's pairs to the network's sites of `siteType` (ours and competitors'), for
 * Huff: i (demand index in read order), j (the site's index in networkSql's order, by
 * site_id), cost (the lowest when a pair repeats) — all DOUBLE.
 */
export function networkCostsSql(demand: 'customers' | 'demand_points', siteType: string): { sql: string; params: SqlParam[] } {
  return {
    sql: `SELECT CAST(d.i AS DOUBLE) AS i, CAST(s.j AS DOUBLE) AS j, CAST(min(k.${q('cost')}) AS DOUBLE) AS cost
FROM ${q('costs')} AS k
JOIN (${demandIndexSql(demand)}) AS d ON CAST(k.${q('demand_id')} AS VARCHAR) = d.id
JOIN (SELECT * FROM (SELECT CAST(${q('site_id')} AS VARCHAR) AS id, lower(CAST(${q('type')} AS VARCHAR)) AS type, row_number() OVER (ORDER BY CAST(${q('site_id')} AS VARCHAR)) - 1 AS j FROM ${q('sites')}) WHERE type = $1) AS s ON CAST(k.${q('site_id')} AS VARCHAR) = s.id
GROUP BY d.i, s.j`,
    params: [siteType],
  };
}

