/**
 * The Sites tab's pointer on the map, attached while the tab is shown (sites-view.svelte.ts):
 *
 * - drag: a mousedown on a new site or one of our sites of the type starts a what-if drag.
 *   Picking is done in screen space (map.project, 12 px) rather than by deck.gl, because
 *   the network symbol layer draws on top and would take the pick, and because MapboxOverlay
 *   only forwards drag events while MapLibre is panning. `preventDefault()` on MapLibre's
 *   mousedown stops its drag-pan for that gesture; mousemove/mouseup then drive the drag.
 * - click: place an exclusion zone or drop a new site (the panel's tools), or in closure
 *   mode toggle one of our sites.
 */
import type maplibregl from 'maplibre-gl';
import { app } from '../app/app-state.svelte.ts';
import { getMap } from '../map/map-instance.ts';
import { eventLonLat, projectData, unprojectData } from '../map/display-shift.svelte.ts';
import { sites, type DragRef } from './sites.svelte.ts';
import { dropSite, endDrag, moveDrag, startDrag, toggleClose } from './sites-run.svelte.ts';

/** Our sites of the chosen type, where the dataset has them. */
export function ownSitesOfType(): { id: string; lon: number; lat: number }[] {
  const s = app.dataset?.sites;
  if (!s) return [];
  const out: { id: string; lon: number; lat: number }[] = [];
  for (let i = 0; i < s.id.length; i++) if (s.owner[i] === 'own' && s.type[i].toLowerCase() === sites.siteType) out.push({ id: s.id[i], lon: s.lon[i], lat: s.lat[i] });
  return out;
}

const PICK_PX = 12;

function pickDraggable(m: maplibregl.Map, x: number, y: number): DragRef | null {
  const sc = sites.scenario;
  if (!sc || sites.mode !== 'recommend') return null;
  let best: DragRef | null = null;
  let bestD = PICK_PX;
  // New sites first: their markers draw above our own sites' rings.
  sc.added.forEach((a, r) => {
    const p = projectData(m, a.lon, a.lat);
    const d = Math.hypot(p.x - x, p.y - y);
    if (d < bestD) { bestD = d; best = { kind: 'added', index: r }; }
  });
  if (best) return best;
  for (let q = 0; q < sc.ownLon.length; q++) {
    if (!sc.ownOpen[q]) continue;
    const p = projectData(m, sc.ownLon[q], sc.ownLat[q]);
    const d = Math.hypot(p.x - x, p.y - y);
    if (d < bestD) { bestD = d; best = { kind: 'own', index: q }; }
  }
  return best;
}

function pickOwnSite(m: maplibregl.Map, x: number, y: number): string | null {
  let best: string | null = null;
  let bestD = PICK_PX;
  for (const s of ownSitesOfType()) {
    const p = projectData(m, s.lon, s.lat);
    const d = Math.hypot(p.x - x, p.y - y);
    if (d < bestD) { bestD = d; best = s.id; }
  }
  return best;
}

/** Listens on the map (once it exists) until the returned cleanup is called. */
export function attachSitesPointer(): () => void {
  let m: maplibregl.Map | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let dragging = false;
  let last: { lng: number; lat: number } | null = null;

  const onDown = (e: maplibregl.MapMouseEvent) => {
    // With travel costs sites stay on their candidates (the summary says so): nothing to drag.
    if (sites.tool || e.originalEvent.button !== 0 || sites.run?.costs) return;
    const ref = pickDraggable(e.target, e.point.x, e.point.y);
    if (!ref) return;
    e.preventDefault();
    dragging = true;
    const sc = sites.scenario!;
    const [lon, lat] = ref.kind === 'added' ? [sc.added[ref.index].lon, sc.added[ref.index].lat] : [sc.ownLon[ref.index], sc.ownLat[ref.index]];
    last = { lng: lon, lat };
    app.hover = null;
    startDrag(ref, lon, lat);
    e.target.getCanvas().style.cursor = 'grabbing';
    window.addEventListener('mousemove', onWindowMove);
    window.addEventListener('mouseup', onUp, { once: true });
  };
  const onMove = (e: maplibregl.MapMouseEvent) => {
    if (dragging) return;
    const canvas = e.target.getCanvas();
    if (sites.tool) canvas.style.cursor = 'crosshair';
    else if (sites.mode === 'recommend') canvas.style.cursor = pickDraggable(e.target, e.point.x, e.point.y) ? 'grab' : '';
    else canvas.style.cursor = pickOwnSite(e.target, e.point.x, e.point.y) ? 'pointer' : '';
  };
  // While we drag, MapLibre treats our mousedown as an active gesture and fires no map
  // mousemove events: follow the pointer on the window and unproject it ourselves.
  const onWindowMove = (e: MouseEvent) => {
    if (!dragging || !m) return;
    const r = m.getCanvas().getBoundingClientRect();
    // Positions are data (WGS84) even over a GCJ-02 basemap.
    const [lng, lat] = unprojectData(m, e.clientX - r.left, e.clientY - r.top);
    last = { lng, lat };
    moveDrag(lng, lat);
  };
  const onUp = () => {
    window.removeEventListener('mousemove', onWindowMove);
    if (!dragging) return;
    dragging = false;
    if (m) m.getCanvas().style.cursor = '';
    if (last) void endDrag(last.lng, last.lat);
  };
  const onClick = (e: maplibregl.MapMouseEvent) => {
    const [lon, lat] = eventLonLat(e);
    if (sites.tool === 'zone') {
      sites.zones.push({ lon, lat, radiusM: sites.zoneRadiusM });
      sites.tool = null;
    } else if (sites.tool === 'drop') {
      sites.tool = null;
      void dropSite(lon, lat);
    } else if (sites.mode === 'closure') {
      const id = pickOwnSite(e.target, e.point.x, e.point.y);
      if (id) toggleClose(id);
    }
  };

  const attach = (map: maplibregl.Map) => {
    m = map;
    map.on('mousedown', onDown);
    map.on('mousemove', onMove);
    map.on('click', onClick);
  };
  const now = getMap();
  if (now) attach(now);
  else {
    timer = setInterval(() => {
      const g = getMap();
      if (g) {
        clearInterval(timer!);
        timer = null;
        attach(g);
      }
    }, 200);
  }
  return () => {
    if (timer) clearInterval(timer);
    window.removeEventListener('mouseup', onUp);
    window.removeEventListener('mousemove', onWindowMove);
    if (m) {
      m.off('mousedown', onDown);
      m.off('mousemove', onMove);
      m.off('click', onClick);
      m.getCanvas().style.cursor = '';
    }
  };
}
