/**
 * When to ask for a file's CRS (DESIGN.md › Real exports): Chinese headers, or sample points
 * inside China, where GCJ-02 (AMap, Tencent) and BD-09 (Baidu) are more common than WGS84 and
 * a wrong guess shifts every point by 300–600 m. Pure: no IO.
 */
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Rough bounding box of mainland China (lon 73–135.1, lat 18–53.6). */
export function inChina(lon: number, lat: number): boolean {
  return lon >= 73 && lon <= 135.1 && lat >= 18 && lat <= 53.6;
}

/**
 * Whether the file looks Chinese: a header with Chinese characters, or its first row's mapped
 * lon/lat inside China.
 */
export function shouldAskCrs(headers: readonly string[], sample: readonly string[], mapping: Partial<Record<string, string>>): boolean {
  if (headers.some((h) => CJK.test(h))) return true;
  const at = (col: string) => {
    const i = mapping[col] ? headers.indexOf(mapping[col]!) : -1;
    const v = i >= 0 ? Number((sample[i] ?? '').trim()) : NaN;
    return Number.isFinite(v) ? v : NaN;
  };
  const lon = at('lon');
  const lat = at('lat');
  return Number.isFinite(lon) && Number.isFinite(lat) && inChina(lon, lat);
}
