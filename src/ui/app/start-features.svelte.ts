/**
 * What the features do from app start, in one place, called once by the entry (src/main.ts)
 * before the app mounts:
 *
 * - each feature registers what it shares (permalink state slices, report sections,
 *   aggregate tables), so a link restores a tab's parameters before the tab was ever opened,
 *   and the Share panel lists the reports in this order;
 * - the Risk, Hotspots and Sites views start their long-lived effects under one effect
 *   root. It is created here, outside any component: a root created while a component
 *   initialises is owned by that component and would die when its panel unmounts on a tab
 *   switch, taking the map listeners, the published layers and the test handles with it.
 *
 * Starting at load does not mean computing at load: each view publishes its layers only
 * while its tab (or Share) is shown, and Hotspots computes only then.
 */
import { registerRiskShare } from '../risk/risk-share.ts';
import { riskView } from '../risk/risk-view.svelte.ts';
import { registerHotspotsShare } from '../hotspots/hotspot-share.svelte.ts';
import { hotspotsView } from '../hotspots/hotspot-view.svelte.ts';
import { registerSitesShare } from '../sites/sites-share.ts';
import { sitesView } from '../sites/sites-view.svelte.ts';
import { registerShareBuiltins } from '../share/builtins.ts';

let started = false;

export function startFeatures(): void {
  if (started) return;
  started = true;
  registerRiskShare();
  registerHotspotsShare();
  registerSitesShare();
  registerShareBuiltins();
  $effect.root(() => {
    riskView();
    hotspotsView();
    sitesView();
  });
}
