/**
 * The Sites tab in the share workflow: its parameters in permalinks and snapshots (a state
 * slice; a link that had a recommendation on screen runs it again when opened) and a PDF
 * report section (parameters, map, ranked sites, totals, the closure being simulated).
 * Registered at app start (src/ui/app/start-features.svelte.ts), with the view's effects, so
 * a link can be restored before the tab was ever opened.
 *
 * The slice carries parameters only: site ids of ours and candidates (or H3 cells), circles
 * of the exclusion zones — no customer rows. In safe mode the report shows demand counts
 * below k as "< k", like every other aggregate that leaves the app, and a link or snapshot
 * carrying the result leaves them out (safeResult).
 */
import { app } from '../app/app-state.svelte.ts';
import { sites } from './sites.svelte.ts';
import { safeResult, usableHuff, type HuffInputs, type RestoredResult, type SitesShared } from '../../pipeline/sites/sites-params.ts';
import { DEFAULT_K } from '../../pipeline/share/safe-cells.ts';
import { MAX_LINK_CHARS, MAX_SLICE_CHARS } from '../../pipeline/share/permalink.ts';
import { packResult, parseSitesSlice } from '../../pipeline/sites/sites-link.ts';
import { HUFF_DEFAULTS, type HuffParams } from '../../core/huff.ts';
import { openDataset, recommend } from './sites-run.svelte.ts';
import { registerStateSlice, type CaptureContext } from '../share/state-slices.ts';
import { siteLabel } from './site-names.ts';
import { registerReport, type ReportContext, type ReportSection } from '../share/report-sections.ts';
import { formatNumber, t, type MessageKey } from '../../i18n/i18n.svelte.ts';

/** Sites of the last result too many for a link (0 when it fitted): said under the link (linkNote). */
let omittedSites = 0;

/**
 * `ctx.safe`: per-site demand below k is left out of the result (sites-params.ts safeResult).
 * The result travels packed (sites-link.ts, ~14 characters a site); a plan too long for a
 * link even so (well over 500 sites) is left out, the link runs it again when opened, and the
 * Share panel says so (linkNote) — never a link cut short.
 */
export function sharedState(ctx: CaptureContext = { safe: false, k: DEFAULT_K }): SitesShared {
  const result = currentResult();
  // Demand counts are customers (or households of demand points) unless population alone: masked.
  const shared = result && ctx.safe && sites.measure !== 'population' ? safeResult(result, ctx.k) : result;
  const params: SitesShared = {
    mode: sites.mode, siteType: sites.siteType, k: sites.k, radiusM: sites.radiusM, objective: sites.objective, solver: sites.solver,
    timeLimitS: sites.timeLimitS, targetPct: sites.targetPct, measure: sites.measure, blendPct: sites.blendPct, resolution: sites.resolution,
    minSpacingM: sites.minSpacingM, replicates: sites.replicates,
    zones: sites.zones.map((z) => ({ lon: z.lon, lat: z.lat, radiusM: z.radiusM })),
    pinned: [...sites.pinned], excluded: [...sites.excluded],
    extraCandidates: sites.extraCandidates.map((x) => ({ id: x.id, lon: x.lon, lat: x.lat })),
    closeIds: [...sites.closeIds], accessDistanceM: sites.accessDistanceM, maxSharePct: sites.maxSharePct,
    colouring: sites.colouring, huff: { ...sites.huff }, ran: sites.run !== null || sites.restored !== null,
    pointSource: sites.pointSource, useCosts: sites.useCosts,
  };
  omittedSites = 0;
  if (!shared) return params;
  const withResult = { ...params, rp: packResult(shared) };
  // As the link spells it: percent-escaped JSON.
  if (encodeURIComponent(JSON.stringify(withResult)).length <= MAX_SLICE_CHARS) return withResult;
  omittedSites = shared.sites.length;
  return params;
}

/** Why the link lacks the plan on screen, in the UI language (undefined when it holds it). */
export function linkNote(): string | undefined {
  return omittedSites ? t('sites.link.tooLong', { n: formatNumber(omittedSites), max: formatNumber(MAX_LINK_CHARS) }) : undefined;
}

/** The result on screen (the edited scenario, or one restored from a link), as a link carries it. */
export function currentResult(): RestoredResult | null {
  const run = sites.run, sc = sites.scenario;
  if (!run || !sc) return sites.restored;
  const tot = sc.eval.totals;
  return {
    objective: run.outcome.objective, solver: run.outcome.solver, siteType: run.siteType, radiusM: run.radiusM,
    at: run.demand.at, costs: run.costs !== null, demandPoints: run.demand.count,
    totalDemand: tot.totalDemand, existingCoveredDemand: tot.existingCoveredDemand, coveredDemand: tot.coveredDemand,
    coveragePct: tot.coveragePct, ownSharePct: tot.ownSharePct,
    sites: sc.eval.rows.map((r) => ({
      id: r.id, lon: r.lon, lat: r.lat, names: r.names ?? { en: r.id, 'zh-CN': r.id }, origin: r.origin, moved: r.moved,
      marginalDemand: r.marginalDemand, coveredDemand: r.coveredDemand, coveragePct: r.coveragePct, huffCaptured: r.huffCaptured,
      totalCost: r.totalCost, meanCost: r.meanCost,
    })),
  };
}

/** Apply an untrusted value from a link (see parseShared). Returns whether to run the recommendation again. */
export function applyShared(v: unknown): boolean {
  const p = parseSitesSlice(v);
  if (p.siteType) sites.setSiteType(p.siteType);
  const { siteType: _t, ran, huff, result, ...rest } = p;
  Object.assign(sites, rest);
  // Each field was checked alone; together the floor must also stay below the cut-off.
  if (huff) sites.huff = usableHuff({ ...sites.huff, ...huff });
  // A link with its result shows that result as it was (issue #14: no re-run); older links run again.
  sites.run = null;
  sites.scenario = null;
  sites.restored = result ?? null;
  // A result that was there but could not be read (damaged, or a newer format): said on screen.
  sites.linkUnread = !result && !!v && typeof v === 'object' && ('rp' in v || 'result' in v);
  return ran === true && !result;
}

/** The Huff parameters a run used, as one line of the report. */
export function huffLine(h: HuffParams | undefined): string {
  const p: HuffInputs = { ...HUFF_DEFAULTS, ...h };
  return t('sites.report.huff', { alpha: formatNumber(p.alpha, 2), beta: formatNumber(p.beta, 2), cutoff: formatNumber(p.cutoffM, 0), floor: formatNumber(p.minDistanceM, 0) });
}

/** The parameters in words, for the provenance footer of exports: the run's method line and Huff model. */
function describeSites(): string[] {
  const run = sites.run;
  if (!run) return [];
  const r = run.request;
  return [methodLine().replace(/[.。]$/, ''), `Huff ${huffLine(r.huff)}`];
}

/** The run's method in one sentence: objective, k, radius (or cost), where demand was decided, candidates, solver. */
function methodLine(): string {
  const run = sites.run!;
  const r = run.request;
  const demand = t(run.demand.source === 'demand_points' ? 'sites.measure.demand_points' : (`sites.measure.${r.demand.measure}` as MessageKey));
  const params = {
    type: t(run.siteType === 'atm' ? 'site.atm' : 'site.branch'), objective: t(`sites.objective.${r.objective}` as MessageKey),
    k: r.k, radius: formatNumber(run.radiusM, 0), demand, res: r.resolution, points: formatNumber(run.demand.count),
    candidates: formatNumber(run.candidates.count), solver: t(run.outcome.solver === 'exact' ? 'sites.solver.exact' : 'sites.solver.greedy'),
  };
  // The points sentence carries the unit: metres, or the cost file's own.
  const line = run.demand.at === 'points'
    ? t('sites.report.methodPoints', { ...params, radius: run.costs ? params.radius : `${params.radius} m` })
    : t('sites.report.method', params);
  return run.costs ? `${line} ${t('sites.costs.on', { pairs: formatNumber(run.costs.pairs) })}` : line;
}

function reportSections(ctx: ReportContext): ReportSection[] {
  const run = sites.run;
  const sc = sites.scenario;
  const out: ReportSection[] = [];
  // Demand counts are sums of customers: in safe mode, small ones are not shown.
  const count = (x: number) => (ctx.safe && sites.measure !== 'population' && x > 0 && x < ctx.k ? `< ${ctx.k}` : formatNumber(x, 0));
  const pct = (x: number, d = 2) => (Number.isFinite(x) ? `${formatNumber(x, d)} %` : '—');
  if (run && sc) {
    const r = run.request;
    const pmedian = run.outcome.objective === 'pmedian';
    out.push(
      { kind: 'heading', text: t('sites.report.title') },
      { kind: 'paragraph', text: methodLine() },
      { kind: 'table', rows: [[t('sites.report.huffModel'), huffLine(r.huff)]] },
      { kind: 'map', caption: t('sites.legend.coverage') },
      {
        kind: 'table',
        columns: [
          '#', t('sites.col.site'), t('sites.col.marginal'), t('sites.col.cumulative'), ...(pmedian ? [t('sites.col.cost')] : []),
          t('sites.col.huff'), t('sites.col.cannibal'), t('sites.col.competitor'), t('sites.col.robust'),
        ],
        rows: sc.eval.rows.map((x, i) => [
          String(i + 1), `${siteLabel(x)} — ${x.id}` + (x.moved ? ` (${t('sites.moved')})` : x.origin === 'dropped' ? ` (${t('sites.dropped')})` : ''),
          count(x.marginalDemand), pct(x.coveragePct), ...(pmedian ? [run.costs ? formatNumber(x.meanCost, 1) : `${formatNumber(x.meanCost, 0)} m`] : []),
          count(x.huffCaptured), count(x.cannibalised),
          Number.isFinite(x.nearestCompetitorM) ? `${formatNumber(x.nearestCompetitorM / 1000, 1)} km` : '—', pct(x.robustnessPct, 0),
        ]),
      },
      {
        kind: 'table',
        rows: [
          [t('sites.total.coverage'), `${pct((100 * sc.eval.totals.existingCoveredDemand) / sc.eval.totals.totalDemand)} → ${pct(sc.eval.totals.coveragePct)}`],
          [t('sites.total.share'), `${pct(run.ownShareBeforePct)} → ${pct(sc.eval.totals.ownSharePct)}`],
        ],
      },
    );
  }
  const cl = sites.closure;
  if (cl) {
    out.push(
      { kind: 'heading', level: 2, text: t('sites.closure.closing', { n: cl.closedIds.length }) + `: ${cl.closedIds.join(', ')}` },
      {
        kind: 'table',
        rows: [
          [t('sites.report.huffModel'), huffLine(cl.huff)],
          [t('sites.closure.leakage'), count(cl.leakedToCompetitors)],
          [t('sites.closure.recaptured'), count(cl.recapturedByOwn)],
          [t('sites.closure.distance'), `${formatNumber(cl.distance.meanBeforeM, 0)} m → ${formatNumber(cl.distance.meanAfterM, 0)} m`],
          ...(['population', 'customers'] as const).flatMap((w) => {
            const a = cl.access[w];
            return a ? [[`${t(`sites.access.${w}`)} > ${formatNumber(cl.access.distanceM, 0)} m`, `${pct(a.beforePct)} → ${pct(a.afterPct)}${a.breached ? ` — ${t('sites.access.breached')}` : ''}`]] : [];
          }),
        ],
      },
    );
  }
  return out;
}

export function registerSitesShare(): void {
  registerStateSlice('sites', {
    get: (ctx) => (app.dataset ? sharedState(ctx) : undefined),
    describe: describeSites,
    note: linkNote,
    set: (v) => {
      const rerun = applyShared(v);
      const ds = app.dataset;
      if (ds && rerun) void openDataset(ds).then(() => (app.dataset === ds ? recommend(ds) : undefined));
    },
  });
  registerReport({
    id: 'sites',
    label: () => t('sites.report.label'),
    title: () => t('sites.report.title'),
    available: () => sites.run !== null || sites.closure !== null,
    build: (ctx) => reportSections(ctx),
  });
}

