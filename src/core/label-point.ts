/**
 * A point to hang an area's label on: inside the area, near its visual centre. Planar
 * geometry on lon/lat is fine at district scale for *placing* a label (never for measuring).
 */
type Ring = number[][];

function ringArea(r: Ring): number {
  let s = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return s / 2;
}

function insideRing(x: number, y: number, r: Ring): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i];
    const [xj, yj] = r[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function insidePolygon(x: number, y: number, rings: Ring[]): boolean {
  return insideRing(x, y, rings[0]) && !rings.slice(1).some((h) => insideRing(x, y, h));
}

/** Area centroid of the outer ring; if it falls outside (a crescent), the middle of the widest inside span at that latitude. */
function polygonLabel(rings: Ring[]): [number, number] {
  const outer = rings[0];
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
    const f = outer[j][0] * outer[i][1] - outer[i][0] * outer[j][1];
    a += f;
    cx += (outer[j][0] + outer[i][0]) * f;
    cy += (outer[j][1] + outer[i][1]) * f;
  }
  if (a !== 0) {
    cx /= 3 * a;
    cy /= 3 * a;
  } else [cx, cy] = outer[0];
  if (insidePolygon(cx, cy, rings)) return [cx, cy];
  const xs: number[] = [];
  for (const r of rings)
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i];
      const [xj, yj] = r[j];
      if (yi > cy !== yj > cy) xs.push(xi + ((cy - yi) * (xj - xi)) / (yj - yi));
    }
  xs.sort((p, q) => p - q);
  let best: [number, number] = [outer[0][0], outer[0][1]];
  let width = -1;
  for (let k = 0; k + 1 < xs.length; k += 2)
    if (xs[k + 1] - xs[k] > width) {
      width = xs[k + 1] - xs[k];
      best = [(xs[k] + xs[k + 1]) / 2, cy];
    }
  return best;
}

/** Label point of a Polygon or MultiPolygon (the largest part). */
export function labelPoint(geometry: GeoJSON.Geometry): [number, number] | null {
  const parts =
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  let best: Ring[] | null = null;
  let bestArea = -1;
  for (const p of parts) {
    const area = Math.abs(ringArea(p[0]));
    if (area > bestArea) {
      bestArea = area;
      best = p;
    }
  }
  return best ? polygonLabel(best) : null;
}
