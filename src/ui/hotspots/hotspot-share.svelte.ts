/**
 * The Hotspots tab in the share workflow: its parameters in permalinks and snapshots (a
 * state slice). Registered at app start (src/ui/app/start-features.svelte.ts), so a link
 * restores the controls before the tab was ever opened; the view's effects, started there
 * too, then compute the result for them. Parameters only: statistic, measure, filters,
 * grid, inference, display.
 */
import { app } from '../app/app-state.svelte.ts';
import { hotspots } from './hotspots.svelte.ts';
import { parseHotspotsShared, SHARED_FIELDS, type HotspotsShared } from '../../pipeline/hotspots/hotspot-params.ts';
import { registerStateSlice } from '../share/state-slices.ts';

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
  });
}
