/**
 * Network rationalisation (DESIGN.md): for each of our sites, the demand only it covers
 * (within radius R, no other own site within R of that demand) and the Huff-captured
 * demand we lose if it closed — its captured demand minus what our other sites win back
 * when Huff is re-run without it; the rest leaks to competitors or is reached by nobody.
 * Sites with little unique demand and a small loss are the merger/closure candidates.
 */
import { buildCoverage, DEFAULT_RADIUS_M, type Demand, type SiteType } from './coverage.ts';
import { HuffModel, OWN, type HuffParams, type HuffSites } from './huff.ts';

export interface RationalisationInput {
  demand: Demand;
  /** Our sites and competitors' (of the type under study). */
  sites: HuffSites;
  /** Coverage radius in metres; defaults to DEFAULT_RADIUS_M[siteType ?? 'branch']. */
  radiusM?: number;
  siteType?: SiteType;
  huff?: HuffParams;
  /** A model already built on the same demand and sites. */
  model?: HuffModel;
}

export interface SiteRationalisation {
  /** Index into the sites arrays. */
  site: number;
  /** Demand within R of the site. */
  coveredDemand: number;
  /** Demand within R of this site and of no other own site. */
  uniqueDemand: number;
  /** 100 · (covered − unique) / covered: how much of its catchment others also cover; NaN if it covers nothing. */
  overlapPct: number;
  huffCapturedDemand: number;
  /** Our captured demand lost if it closed = captured − recapturedByOwn. */
  lossIfClosed: number;
  recapturedByOwn: number;
  leakedToCompetitors: number;
  /** Demand no other site reaches within the Huff cut-off. */
  becomesUnreached: number;
}

/** One row per own site, in site order. */
export function rationalise(input: RationalisationInput): SiteRationalisation[] {
  const radiusM = input.radiusM ?? DEFAULT_RADIUS_M[input.siteType ?? 'branch'];
  const own: number[] = [];
  for (let j = 0; j < input.sites.owner.length; j++) if (input.sites.owner[j] === OWN) own.push(j);
  const cov = buildCoverage(
    { lon: own.map((j) => input.sites.lon[j]), lat: own.map((j) => input.sites.lat[j]) },
    input.demand,
    radiusM,
  );
  const count = new Int32Array(input.demand.lon.length);
  for (const i of cov.demand) count[i]++;
  const model = input.model ?? new HuffModel(input.demand, input.sites, input.huff);
  const before = model.evaluate();
  return own.map((j, q) => {
    let covered = 0, unique = 0;
    for (let p = cov.offsets[q]; p < cov.offsets[q + 1]; p++) {
      const i = cov.demand[p];
      covered += input.demand.weight[i];
      if (count[i] === 1) unique += input.demand.weight[i];
    }
    const impact = model.siteImpact(j);
    const recaptured = impact.takenFromOwner[0];
    let leaked = 0;
    for (let o = 1; o < impact.takenFromOwner.length; o++) leaked += impact.takenFromOwner[o];
    return {
      site: j,
      coveredDemand: covered,
      uniqueDemand: unique,
      overlapPct: covered > 0 ? (100 * (covered - unique)) / covered : NaN,
      huffCapturedDemand: before.siteCaptured[j],
      lossIfClosed: before.siteCaptured[j] - recaptured,
      recapturedByOwn: recaptured,
      leakedToCompetitors: leaked,
      becomesUnreached: impact.newlyReachedDemand,
    };
  });
}
