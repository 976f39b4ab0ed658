/**
 * The network and the candidates file as the sites engine takes them, read from the loaded
 * tables: the same decode for the app (DB worker) and the CLI (native DuckDB).
 */
import type { QueryPort } from '../../data/table-columns.ts';
import { tableExistsSql } from '../../sql/columns.ts';
import { candidatesSql, networkSql } from '../../sql/sites.ts';
import type { NetworkSites, PointSet } from './sites-model.ts';

/** Every site of the sites table (ours and competitors'), attractiveness defaulted to 1. */
export async function readNetwork(db: QueryPort): Promise<NetworkSites> {
  const rows = (await db.query(networkSql())) as { site_id: string; lon: number; lat: number; type: string; owner: string; attractiveness: number }[];
  return {
    id: rows.map((r) => String(r.site_id)),
    lon: Float64Array.from(rows, (r) => Number(r.lon)),
    lat: Float64Array.from(rows, (r) => Number(r.lat)),
    type: rows.map((r) => String(r.type)),
    owner: rows.map((r) => String(r.owner)),
    attractiveness: Float64Array.from(rows, (r) => Number(r.attractiveness)),
  };
}

/** The candidates file's points in file order; null when none was loaded or it is empty. */
export async function readCandidates(db: QueryPort): Promise<PointSet | null> {
  const exists = tableExistsSql('candidates');
  if ((await db.query(exists.sql, exists.params)).length === 0) return null;
  const rows = (await db.query(candidatesSql())) as { site_id: string; lon: number; lat: number }[];
  if (rows.length === 0) return null;
  return { id: rows.map((r) => String(r.site_id)), lon: Float64Array.from(rows, (r) => Number(r.lon)), lat: Float64Array.from(rows, (r) => Number(r.lat)) };
}
