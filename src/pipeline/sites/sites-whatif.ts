/**
 * Live what-if: one site of the scenario follows the pointer and coverage, Huff shares and
 * totals follow it. Set-up is one pass over the network (HuffModel + HuffDrag baseline, a
 * per-demand count of the other own sites covering it); each `move` then touches only the
 * demand within R (coverage) and within the Huff cut-off (shares) of the new position, so
 * its cost does not grow with the size of the city. Both at every demand point: Huff's
 * move costs O(1) per point within the cut-off (HuffDrag.moveShares). The scenario's Huff
 * model (the costly part of the set-up) can be passed in when the caller keeps it.
 */
import type { HuffDrag, HuffModel, HuffParams } from '../../core/huff.ts';
import { GridIndex, Hits } from '../../core/spatial-index.ts';
import type { SitesData } from './sites-model.ts';
import { scenarioHuffModel, scenarioNetwork, type Scenario, type ScenarioNetwork } from './sites-scenario.ts';

/** Which site is dragged: a new site (rank order index) or one of our existing sites (SitesData.ownSites index). */
export type DragTarget = { kind: 'added'; index: number } | { kind: 'own'; index: number };

export interface DragUpdate {
  lon: number;
  lat: number;
  /** Demand covered by all our sites with the dragged one here. */
  coveredDemand: number;
  coveragePct: number;
  /** Demand only the dragged site covers, here. */
  uniqueDemand: number;
  ownCaptured: number;
  ownSharePct: number;
  /** Huff demand the dragged site captures here. */
  siteCaptured: number;
  /** What it takes from our other sites (versus the network without it). */
  cannibalised: number;
  fromCompetitors: number;
  /** Demand points within the cut-off of the position (the cost of this update). */
  affectedDemandPoints: number;
  /** Time spent in this update, ms. */
  computeMs: number;
}

export class WhatIfDrag {
  readonly target: DragTarget;
  readonly net: ScenarioNetwork;
  /** Position of the dragged site in `net`. */
  readonly site: number;
  private readonly drag: HuffDrag;
  private readonly coverCount: Uint16Array;
  private readonly baseCovered: number;
  private readonly total: number;
  private readonly weight: Float64Array;
  private readonly radiusM: number;
  private readonly index: GridIndex;
  private readonly hits = new Hits(512);
  private readonly isOwn: Uint8Array;

  /** `model`: the scenario's Huff model (sites-scenario.ts scenarioHuffModel), built here when absent. */
  constructor(data: SitesData, s: Scenario, target: DragTarget, huff?: HuffParams, model?: HuffModel) {
    this.target = target;
    this.net = scenarioNetwork(data, s);
    const key = target.kind === 'added' ? this.net.addedIndex : this.net.ownIndex;
    this.site = key.indexOf(target.index);
    if (this.site < 0) throw new RangeError(`no open ${target.kind === 'added' ? 'new' : 'own'} site ${target.index} in this scenario`);
    const demand = data.demand;
    this.weight = demand.weight;
    this.radiusM = data.radiusM;
    this.drag = (model ?? scenarioHuffModel(data, s, huff)).drag(this.site);
    this.isOwn = Uint8Array.from(this.net.owner, (o) => (o === 'own' ? 1 : 0));
    this.index = new GridIndex(demand, Math.max(data.radiusM, 50));
    this.coverCount = new Uint16Array(demand.lon.length);
    let t = 0;
    for (let i = 0; i < this.weight.length; i++) t += this.weight[i];
    this.total = t;
    for (let p = 0; p < this.net.owner.length; p++) {
      if (p === this.site || !this.isOwn[p]) continue;
      const n = this.index.within(this.net.lon[p], this.net.lat[p], data.radiusM, this.hits);
      for (let h = 0; h < n; h++) this.coverCount[this.hits.index[h]]++;
    }
    let covered = 0;
    for (let i = 0; i < this.coverCount.length; i++) if (this.coverCount[i] > 0) covered += this.weight[i];
    this.baseCovered = covered;
  }

  /** Per demand point, how many of our other sites cover it (the map colours cells from it while dragging). */
  otherCoverCount(): Uint16Array {
    return this.coverCount.slice();
  }

  move(lon: number, lat: number): DragUpdate {
    const t0 = performance.now();
    const n = this.index.within(lon, lat, this.radiusM, this.hits);
    let unique = 0;
    for (let h = 0; h < n; h++) {
      const i = this.hits.index[h];
      if (this.coverCount[i] === 0) unique += this.weight[i];
    }
    const r = this.drag.moveShares(lon, lat);
    const covered = this.baseCovered + unique;
    return {
      lon, lat,
      coveredDemand: covered,
      coveragePct: this.total > 0 ? (100 * covered) / this.total : NaN,
      uniqueDemand: unique,
      ownCaptured: r.ownCaptured,
      ownSharePct: this.total > 0 ? (100 * r.ownCaptured) / this.total : NaN,
      siteCaptured: r.siteCaptured,
      cannibalised: r.takenFromOwn,
      fromCompetitors: r.takenFromOthers,
      affectedDemandPoints: r.affectedDemandPoints,
      computeMs: performance.now() - t0,
    };
  }
}
