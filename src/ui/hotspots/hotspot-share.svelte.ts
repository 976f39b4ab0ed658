/**
 * The Hotspots tab in the share workflow: its parameters in permalinks and snapshots (a
 * state slice). Registered at app start (src/ui/app/start-features.svelte.ts), so a link
 * restores the controls before the tab was ever opened; the view's effects, started there
 * too, then compute the result for them. Parameters only: statistic, measure, filters,
 * grid, inference, display (with the Demand × risk split rule).
 */
import { app } from '../app/app-state.svelte.ts';
import { hotspots } from './hotspots.svelte.ts';
import { parseHotspotsShared, SHARED_FIELDS, type HotspotsShared } from '../../pipeline/hotspots/hotspot-params.ts';
import { registerStateSlice } from '../share/state-slices.ts';
import { t, type MessageKey } from '../../i18n/i18n.svelte.ts';
import { columnLabel } from '../app/labels.svelte.ts';

/** The parameters in words, for the provenance footer of exports. */
export function describeHotspots(): string[] {
  const h = sharedState();
  const filters = [
    h.segment,
    h.ageBand && `${t('hotspots.filter.age')} ${h.ageBand}`,
    h.digital && t(h.digital === '1' ? 'hotspots.filter.digital.yes' : 'hotspots.filter.digital.no'),
  ].filter(Boolean);
  return [
    t(`hotspots.statistic.${h.statistic}` as MessageKey),
    h.measure === 'sum' ? t('hotspots.measure.sumOf', { column: columnLabel(h.sumColumn) }) : t(`hotspots.measure.${h.measure}` as MessageKey),
    `${t('hotspots.filters')}: ${filters.length ? filters.join(', ') : t('hotspots.filter.all')}`,
    `${t('hotspots.resolution')} ${h.resolution}`,
    `${t('hotspots.rings')} ${h.rings}`,
    ...(h.fdr ? [t('hotspots.fdr')] : []),
    ...(h.permutations > 0 ? [`${t('hotspots.permutations')} ${h.permutations}`] : []),
    ...(h.display === 'quadrants' ? [`${t('hotspots.quad.rule')}: ${t(`hotspots.quad.rule.${h.quadrantRule}` as MessageKey)}`] : []),
  ];
}

export function sharedState(): HotspotsShared {
  const out = {} as Record<string, unknown>;
  for (const key of SHARED_FIELDS) out[key] = $state.snapshot(hotspots[key]);
  return out as unknown as HotspotsShared;
}

/**
 * Apply an untrusted value from a link: every valid field is applied; if any field was not,
 * the error names them (the share notice lists it) after the valid ones took effect.
 */
export function applyShared(v: unknown): void {
  const { value, rejected } = parseHotspotsShared(v);
  Object.assign(hotspots, value);
  if (rejected.length) throw new Error(`hotspots: ignored ${rejected.join(', ')}`);
}

export function registerHotspotsShare(): void {
  registerStateSlice('hotspots', {
    get: () => (app.dataset ? sharedState() : undefined),
    set: applyShared,
    describe: describeHotspots,
  });
}
