/**
 * Distinct symbols for the network layers, drawn once on a canvas as deck.gl's icon atlas
 * (a data: URL, so no request leaves the app): our branch = blue disc, our ATM = teal
 * rounded square, competitor branch = orange diamond. Shape and colour both differ, so the
 * layers read apart in greyscale prints too.
 */
export type SiteSymbol = 'ownBranch' | 'ownAtm' | 'competitor';

export const SYMBOL_COLORS: Record<SiteSymbol, string> = {
  ownBranch: '#1f5fbf',
  ownAtm: '#0f9d8a',
  competitor: '#e0701b',
};

const CELL = 64;

export interface IconAtlas {
  url: string;
  mapping: Record<SiteSymbol, { x: number; y: number; width: number; height: number; anchorY: number; mask: false }>;
}

export function drawIconAtlas(): IconAtlas {
  const canvas = document.createElement('canvas');
  canvas.width = CELL * 3;
  canvas.height = CELL;
  const g = canvas.getContext('2d')!;
  g.lineWidth = 6;
  g.strokeStyle = '#ffffff';
  const c = CELL / 2;
  // Disc
  g.fillStyle = SYMBOL_COLORS.ownBranch;
  g.beginPath();
  g.arc(c, c, c - 6, 0, Math.PI * 2);
  g.fill();
  g.stroke();
  // Rounded square
  g.fillStyle = SYMBOL_COLORS.ownAtm;
  g.beginPath();
  g.roundRect(CELL + 10, 10, CELL - 20, CELL - 20, 8);
  g.fill();
  g.stroke();
  // Diamond
  g.fillStyle = SYMBOL_COLORS.competitor;
  g.beginPath();
  g.moveTo(2 * CELL + c, 5);
  g.lineTo(3 * CELL - 5, c);
  g.lineTo(2 * CELL + c, CELL - 5);
  g.lineTo(2 * CELL + 5, c);
  g.closePath();
  g.fill();
  g.stroke();
  const cell = (i: number) => ({ x: i * CELL, y: 0, width: CELL, height: CELL, anchorY: CELL / 2, mask: false as const });
  return { url: canvas.toDataURL('image/png'), mapping: { ownBranch: cell(0), ownAtm: cell(1), competitor: cell(2) } };
}

export function siteSymbol(type: string, owner: string): SiteSymbol {
  if (owner !== 'own') return 'competitor';
  return type === 'atm' ? 'ownAtm' : 'ownBranch';
}
