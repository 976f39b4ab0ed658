/**
 * Colours of the hotspot maps. Classes follow the convention of hot spot analysis tools
 * (ArcGIS "Hot Spot Analysis", PySAL/esda plots): a diverging red–blue scheme — ColorBrewer
 * RdBu (Cynthia Brewer, Apache-2.0) — dark red for 99 % hot, dark blue for 99 % cold, and
 * "not significant" light grey and nearly transparent so the basemap shows through.
 */
import type { Rgb } from '../map/palette.ts';

export type Rgba = [number, number, number, number];

/** GI_CLASSES order: hot99 hot95 hot90 ns cold90 cold95 cold99. */
export const GI_CLASS_COLORS: readonly Rgb[] = [
  [178, 24, 43], [239, 138, 98], [253, 219, 199], [220, 220, 220], [209, 229, 240], [103, 169, 207], [33, 102, 172],
];

/** MORAN_QUADRANTS order: ns HH LH LL HL (LISA cluster map colours). */
export const MORAN_COLORS: readonly Rgb[] = [[220, 220, 220], [215, 25, 28], [171, 217, 233], [44, 123, 182], [253, 174, 97]];

/** STABILITY_CLASSES order: stable_hot partial_hot stable_cold partial_cold mixed none. */
export const STABILITY_COLORS: readonly Rgb[] = [[178, 24, 43], [244, 165, 130], [33, 102, 172], [146, 197, 222], [153, 112, 171], [220, 220, 220]];

/** QUADRANTS order: opportunity caution watch other. */
export const QUADRANT_COLORS: readonly Rgb[] = [[26, 152, 80], [215, 48, 39], [253, 174, 97], [220, 220, 220]];

/** Area types (Tableau 10, colour-blind friendlier than Set1). */
export const TYPE_COLORS: readonly Rgb[] = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79], [237, 201, 72], [176, 122, 161], [255, 157, 167],
];

/** Opacity of a significant cell and of a not-significant one (0–255). */
export const FILL_ALPHA = 200;
export const NS_ALPHA = 40;

export function withAlpha([r, g, b]: Rgb, a: number): Rgba {
  return [r, g, b, a];
}
