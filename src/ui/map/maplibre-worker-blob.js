/*
 * Loaded into each of MapLibre's workers (maplibregl.importScriptInWorkers, see
 * blob-sources.ts). MapLibre's worker hands every URL whose scheme is not http(s) back to the
 * page ("getResource"): for the areas' blob: URLs that meant the page's thread fetched,
 * decoded and JSON-parsed the whole file and then cloned it to the worker — a 300-ms task for
 * 1.2 MB (issue 15). MapLibre looks a custom protocol up by the text before "://", which
 * for a blob: URL is "blob:http" or "blob:https": registered here, the worker reads the
 * blob itself and the page's thread never sees it. Plain JS: MapLibre's workers are classic
 * workers and import this file as it is.
 */
/* global self */
(function () {
  async function load(params, abort) {
    const res = await fetch(params.url, { signal: abort.signal });
    if (!res.ok) throw new Error('blob fetch failed: ' + res.status);
    const data = params.type === 'json' ? await res.json() : params.type === 'arrayBuffer' ? await res.arrayBuffer() : await res.text();
    return { data: data };
  }
  self.addProtocol('blob:http', load);
  self.addProtocol('blob:https', load);

  // MapLibre 5.2x answers a GeoJSON source loaded from a URL with the whole parsed GeoJSON,
  // for the page to keep a copy (geojson_worker_source.ts › loadData): for 20,000 areas the
  // page's thread then spent ~100 ms in one task deserialising it (issue 15). The areas'
  // sources are blob: URLs the page wrote itself and never reads back (no getData/updateData;
  // with no copy a source serialises as its URL, which is what map-render.ts expects), so the
  // copy is dropped for blob: URLs. The loadData handler ("LD") is internal to MapLibre: if it
  // is not where this looks, nothing changes and only the page's task is longer.
  var actor = self.worker && self.worker.actor;
  var handlers = actor && actor.messageHandlers;
  var loadData = handlers && handlers.LD;
  if (typeof loadData !== 'function') return;
  handlers.LD = async function (mapId, params, abort) {
    var result = await loadData.call(this, mapId, params, abort);
    var url = params && params.request && params.request.url;
    if (result && typeof url === 'string' && url.indexOf('blob:') === 0) delete result.data;
    return result;
  };
})();
