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
})();
