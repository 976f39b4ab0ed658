/** A new site's name in the UI language (the worker names each site in both, sites-names.ts); its id when it has none. */
import { i18n } from '../../i18n/i18n.svelte.ts';
import type { SiteNames } from '../../pipeline/sites/sites-names.ts';

export function siteLabel(site: { id: string; names?: SiteNames }): string {
  const n = site.names;
  if (!n) return site.id;
  return (i18n.locale === 'en' ? n.en : n['zh-CN']) || n.en || site.id;
}
