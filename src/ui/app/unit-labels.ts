/**
 * Units come with the data (a dataset manifest says `"population": "persons"`) and are
 * written in English there. The common ones are shown in the UI language; anything else
 * (`%`, `km²`, `2023Q1 = 100`) is a symbol or the data's own words and is shown as given.
 */
import type { MessageKey } from '../../i18n/i18n.svelte.ts';

const UNITS: Record<string, MessageKey> = {
  persons: 'unit.persons',
  people: 'unit.persons',
  'CNY/yr': 'unit.cnyPerYear',
  CNY: 'unit.cny',
  firms: 'unit.firms',
  years: 'unit.years',
};

/** The message for a data unit, with its parameters, or null to show the unit as given. */
export function unitMessage(unit: string): { key: MessageKey; params?: Record<string, string> } | null {
  const key = UNITS[unit.trim()];
  if (key) return { key };
  const share = /^fraction \(age (.+)\)$/.exec(unit.trim());
  if (share) return { key: 'unit.fractionOfAge', params: { ages: share[1] } };
  return null;
}
