/** The live map, for snapshots and end-to-end tests that read the view state. */
import type maplibregl from 'maplibre-gl';

let current: maplibregl.Map | null = null;

export function setMap(m: maplibregl.Map | null): void {
  current = m;
  if (typeof window !== 'undefined') (window as unknown as { __bpMap?: maplibregl.Map | null }).__bpMap = m;
}

export function getMap(): maplibregl.Map | null {
  return current;
}
