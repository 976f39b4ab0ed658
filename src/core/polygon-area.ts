/**
 * Geodesic area of GeoJSON rings and polygons on a sphere of radius 6,378,137 m (WGS84's
 * semi-major axis, as turf's `area` and d3-geo do), by the trapezoid form of the spherical
 * excess (Chamberlain & Duquette, "Some Algorithms for Polygons on a Sphere", JPL 2007):
 * A = −R²/2 · Σ (λ₂ − λ₁)(2 + sin φ₁ + sin φ₂), summed over consecutive positions.
 * Positive for counter-clockwise rings (RFC 7946's outer rings). Used to estimate study cells
 * before H3 enumerates them and to state areas in repair notes.
 */
const R_M = 6378137;
const RAD = Math.PI / 180;

/** Signed area of a ring [[lon, lat], …] in m²: > 0 counter-clockwise, < 0 clockwise. */
export function ringAreaM2(ring: readonly (readonly number[])[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % n];
    sum += (b[0] - a[0]) * RAD * (2 + Math.sin(a[1] * RAD) + Math.sin(b[1] * RAD));
  }
  return (-sum * R_M * R_M) / 2;
}

/** Area of a polygon (outer ring minus holes, whatever their winding) in m². */
export function polygonAreaM2(rings: readonly (readonly (readonly number[])[])[]): number {
  if (rings.length === 0) return 0;
  let area = Math.abs(ringAreaM2(rings[0]));
  for (let r = 1; r < rings.length; r++) area -= Math.abs(ringAreaM2(rings[r]));
  return Math.max(0, area);
}
