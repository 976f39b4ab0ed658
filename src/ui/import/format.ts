/** Small display helpers of the import UI. */
import { formatNumber } from '../../i18n/i18n.svelte.ts';

/** Bytes as B / KB / MB / GB (powers of 1024), one decimal above KB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${formatNumber(v, u === 0 ? 0 : 1)} ${units[u]}`;
}
