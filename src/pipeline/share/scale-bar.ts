/**
 * A scale bar for an exported map: the longest "nice" distance (1, 2 or 5 × 10ⁿ metres)
 * that fits in `maxWidthPx` CSS pixels at the map centre. Web Mercator ground resolution:
 * metres per pixel = 2πR·cos(lat) / (512 · 2^zoom) with MapLibre's 512-px tiles and
 * R = 6,378,137 m (the Mercator sphere, not the haversine mean radius). Exact at the centre
 * and at pitch 0; with pitch the bar holds for the centre line only.
 */
const EARTH_CIRCUMFERENCE_M = 2 * Math.PI * 6_378_137;

export interface ScaleBar {
  /** Length the bar stands for, in metres. */
  distanceM: number;
  /** Its length on screen, in CSS pixels. */
  widthPx: number;
  /** "500 m", "2 km". */
  label: string;
}

export function metresPerPixel(latDeg: number, zoom: number): number {
  return (EARTH_CIRCUMFERENCE_M * Math.cos((latDeg * Math.PI) / 180)) / (512 * 2 ** zoom);
}

export function scaleBar(latDeg: number, zoom: number, maxWidthPx = 120): ScaleBar {
  const mpp = metresPerPixel(latDeg, zoom);
  const maxM = mpp * maxWidthPx;
  if (!(maxM > 0) || !Number.isFinite(maxM)) return { distanceM: 0, widthPx: 0, label: '' };
  const pow = 10 ** Math.floor(Math.log10(maxM));
  const step = [5, 2, 1].find((s) => s * pow <= maxM) ?? 1;
  const distanceM = step * pow;
  const label = distanceM >= 1000 ? `${distanceM / 1000} km` : `${distanceM} m`;
  return { distanceM, widthPx: distanceM / mpp, label };
}
