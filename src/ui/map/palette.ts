/** Colour schemes (ColorBrewer, Cynthia Brewer, Apache-2.0), as RGB for deck.gl. */
export type Rgb = [number, number, number];

function hex(h: string): Rgb {
  return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
}

/** Sequential YlGnBu, 3..7 classes: indicators without a good/bad direction. */
const YLGNBU: Record<number, string[]> = {
  3: ['#edf8b1', '#7fcdbb', '#2c7fb8'],
  4: ['#ffffcc', '#a1dab4', '#41b6c4', '#225ea8'],
  5: ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'],
  6: ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#2c7fb8', '#253494'],
  7: ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84'],
};

/** Sequential YlOrRd, 3..7 classes: risk. */
const YLORRD: Record<number, string[]> = {
  3: ['#ffeda0', '#feb24c', '#f03b20'],
  4: ['#ffffb2', '#fecc5c', '#fd8d3c', '#e31a1c'],
  5: ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'],
  6: ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'],
  7: ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#fc4e2a', '#e31a1c', '#b10026'],
};

export type SchemeName = 'ylgnbu' | 'ylorrd';

export function sequential(n: number, scheme: SchemeName = 'ylgnbu'): Rgb[] {
  const table = scheme === 'ylorrd' ? YLORRD : YLGNBU;
  const k = Math.max(3, Math.min(7, n));
  return table[k].slice(0, Math.max(1, n)).map(hex);
}

export const NO_DATA: Rgb = [200, 200, 200];

export function rgbCss([r, g, b]: Rgb, alpha = 1): string {
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
