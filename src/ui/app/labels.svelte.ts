/** Human names and units of data columns, from the dataset's manifest when it has them. */
import { i18n, t } from '../../i18n/i18n.svelte.ts';
import { unitMessage } from './unit-labels.ts';
import { app } from './app-state.svelte.ts';

export function columnLabel(column: string): string {
  const labels = app.dataset?.summary.labels;
  return labels?.[i18n.locale]?.[column] ?? labels?.en?.[column] ?? column;
}

export function columnUnit(column: string): string {
  const unit = app.dataset?.summary.units[column] ?? '';
  const m = unit ? unitMessage(unit) : null;
  return m ? t(m.key, m.params) : unit;
}

/** The area's display name in the current language. */
export function areaName(props: GeoJSON.GeoJsonProperties): string {
  if (!props) return '';
  const zh = props.name as string | undefined;
  const en = props.name_en as string | undefined;
  return String((i18n.locale === 'en' ? en ?? zh : zh ?? en) ?? props.area_id ?? '');
}
