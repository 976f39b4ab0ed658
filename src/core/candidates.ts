/**
 * Candidate sites (DESIGN.md "Coverage and site selection"): the candidates file when
 * given, otherwise every study-cell centre farther than R/2 from our existing sites of the
 * chosen type — closer ones would mostly re-cover what an existing site already covers.
 * Cell centres come in as arrays (the H3 grid is built elsewhere).
 */
import { GridIndex, Hits, type Points } from './spatial-index.ts';

export interface GeneratedCandidates {
  lon: Float64Array;
  lat: Float64Array;
  /** Index of the study cell each candidate is the centre of. */
  cellIndex: Int32Array;
}

/** Study-cell centres with haversine distance > radiusM / 2 to every existing site (all of them when there are none). */
export function generateCandidates(cellCentres: Points, existing: Points, radiusM: number): GeneratedCandidates {
  if (!(radiusM >= 0)) throw new RangeError(`radiusM must be ≥ 0 metres, got ${radiusM}`);
  const near = maskWithin(cellCentres, existing, radiusM / 2);
  const keep: number[] = [];
  for (let i = 0; i < near.length; i++) if (!near[i]) keep.push(i);
  return {
    lon: Float64Array.from(keep, (i) => cellCentres.lon[i]),
    lat: Float64Array.from(keep, (i) => cellCentres.lat[i]),
    cellIndex: Int32Array.from(keep),
  };
}

/**
 * 1 for each point within distanceM (haversine, ≤; one distance or one per site) of any of
 * `sites`, else 0. E.g. keep new sites away from existing ones with
 * allowed = 1 − maskWithin(candidates, existing, d).
 */
export function maskWithin(points: Points, sites: Points, distanceM: number | ArrayLike<number>): Uint8Array {
  const mask = new Uint8Array(points.lon.length);
  if (sites.lon.length === 0 || points.lon.length === 0) return mask;
  const perSite = typeof distanceM === 'number' ? null : distanceM;
  let typical = perSite ? 0 : (distanceM as number);
  if (perSite) for (let s = 0; s < perSite.length; s++) typical = Math.max(typical, perSite[s]);
  const index = new GridIndex(points, Math.max(typical, 50));
  const hits = new Hits();
  for (let s = 0; s < sites.lon.length; s++) {
    const n = index.within(sites.lon[s], sites.lat[s], perSite ? perSite[s] : (distanceM as number), hits);
    for (let h = 0; h < n; h++) mask[hits.index[h]] = 1;
  }
  return mask;
}

/**
 * Candidate mask from circular exclusion zones (centre + radius in metres): 1 = allowed.
 * Polygon zones drawn on the map are tested by the caller (point-in-polygon) and combined
 * with this mask by AND.
 */
export function allowedOutsideCircles(candidates: Points, zones: { lon: ArrayLike<number>; lat: ArrayLike<number>; radiusM: ArrayLike<number> }): Uint8Array {
  const inside = maskWithin(candidates, zones, zones.radiusM);
  return inside.map((x) => 1 - x);
}
