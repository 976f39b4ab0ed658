/**
 * Initial great-circle bearing (forward azimuth) from one point to another, degrees clockwise
 * from north in [0, 360), and its 8-point compass sector (0 = N, 1 = NE, … 7 = NW; each
 * sector 45° wide, centred on its direction).
 */
const RAD = Math.PI / 180;

export function bearingDeg(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const φ1 = lat1 * RAD, φ2 = lat2 * RAD, Δλ = (lon2 - lon1) * RAD;
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  return ((Math.atan2(y, x) / RAD) % 360 + 360) % 360;
}

export function compass8(bearing: number): number {
  return Math.floor((((bearing % 360) + 360) % 360 + 22.5) / 45) % 8;
}
