import { describe, expect, it } from 'vitest';
import { loadWarningMessage, rejectReasonText, type LoadMessage } from './load-messages.ts';
import { FLAW_CODES, REASON_CODES, type ReasonCode, type ReasonParams, type RejectReason } from '../../data/reject-reasons.ts';
import { rejectSayer } from '../../cli/reject-text.ts';
import { hasEnglishPhrase } from '../../../test/fixtures/reason-text.ts';
import { WARNING_CODES, warningText, type LoadWarning, type WarningCode } from '../../data/load-warnings.ts';
import { importMessages } from '../../i18n/import.ts';
import { format } from '../../i18n/format.ts';

const zh = (m: LoadMessage | null) => (m ? format(importMessages['zh-CN'][m.key as keyof typeof importMessages.en], m.params) : null);
const en = (m: LoadMessage | null) => (m ? format(importMessages.en[m.key as keyof typeof importMessages.en], m.params) : null);

describe('reject reasons in the UI language', () => {
  const p = (reason: ReasonCode, params: ReasonParams = {}): RejectReason => ({ reason, params });
  /**
   * Each code with parameters as the loader gives them, and the English the loader wrote before
   * reasons were codes (the CLI, the rejects CSV and the fixtures' expectations keep it).
   */
  const SAMPLE: Record<ReasonCode, [ReasonParams, string]> = {
    ragged: [{ fields: 1, header: 5 }, 'row has 1 field, the header has 5'],
    extraValues: [{ fields: 6, header: 4 }, 'row has values in 6 columns, the header has 4'],
    badQuoting: [{}, 'a quoted field is not closed properly (a closing quote must be followed by the delimiter or the line end)'],
    tooLong: [{ size: '2 MB' }, 'row is longer than the maximum line size (2 MB)'],
    unreadable: [{ error: 'cast' }, 'row could not be read (cast)'],
    totals: [{}, 'totals row (合计, 总计, 小计 or Total in the first cells), not data'],
    empty: [{ column: 'customer_id' }, 'customer_id is empty'],
    onlySpaces: [{ column: 'age' }, 'age holds only spaces; leave it empty or give a number'],
    notNumber: [{ column: 'lon' }, 'lon is not a number'],
    outside: [{ column: 'lat', min: -90, max: 90 }, 'lat is outside [-90, 90]'],
    between: [{ column: 'age', min: 0, max: 120 }, 'age must be between 0 and 120'],
    nonNegative: [{ column: 'balance' }, 'balance must not be negative'],
    positive: [{ column: 'attractiveness' }, 'attractiveness must be greater than 0'],
    zeroOne: [{ column: 'default_flag' }, 'default_flag must be 0 or 1'],
    zeroZero: [{}, 'coordinates are exactly (0, 0)'],
    duplicateLine: [{ line: 12, column: 'site_id' }, 'duplicate site_id (first on line 12)'],
    alreadyLoaded: [{ column: 'area_id + period' }, 'area_id + period already loaded'],
    badPeriod: [{}, 'period is not a period like 2024Q3, 2024-09 or 2024'],
    unknownArea: [{ column: 'area_id' }, 'area_id is not an area_id of the areas file'],
    unknownAreaKey: [{ key: 'X9' }, 'area_id "X9" is no area of the areas file (by area_id, name or name_en)'],
    unknownAreaClosest: [{ key: '静安区', closest: '黄浦区, 徐汇区' }, 'area_id "静安区" is no area of the areas file (by area_id, name or name_en); closest: 黄浦区, 徐汇区'],
    ambiguousArea: [{ key: '新区', ids: 'A1, A2' }, 'area_id "新区" names more than one area (A1, A2)'],
    unknownType: [{ column: 'type', value: '柜台' }, 'type "柜台" is not a known site type: must be branch or atm (or a word for one, e.g. 支行, 营业部, 自助银行, ATM)'],
    notH3: [{ column: 'h3' }, 'h3 is not an H3 cell index'],
    h3Resolution: [{ column: 'h3' }, "h3 is not a cell at the row's resolution"],
    h3ResRange: [{ column: 'resolution' }, 'resolution must be a whole number from 0 to 15'],
    wholeCount: [{ column: 'count' }, 'count must be a whole number, not negative'],
    notFeature: [{ feature: 3 }, 'features[3] is not a GeoJSON Feature'],
    noAreaId: [{ feature: 3 }, 'features[3] has no area_id'],
    duplicateFeature: [{ feature: 4, first: 1 }, 'duplicate area_id (first at features[1])'],
    geomMissing: [{ feature: 0 }, 'features[0]: has no geometry'],
    geomNoPolygons: [{ feature: 0 }, 'features[0]: MultiPolygon has no polygons'],
    geomType: [{ feature: 0, type: 'Point' }, 'features[0]: geometry must be Polygon or MultiPolygon, not Point'],
    noRings: [{ feature: 0, polygon: 1 }, 'features[0]: polygon 1, polygon has no rings'],
    ringNotArray: [{ feature: 0, ring: 1 }, 'features[0]: ring 1 is not an array of positions'],
    ringTooShort: [{ feature: 0, ring: 0, n: 2 }, 'features[0]: ring 0 has 2 positions; a ring needs at least 3 distinct ones'],
    positionNotNumbers: [{ feature: 0, ring: 0, position: 4 }, 'features[0]: ring 0, position 4 is not a pair of finite numbers'],
    positionOutside: [{ feature: 0, polygon: 2, ring: 0, position: 4 }, 'features[0]: polygon 2, ring 0, position 4 is outside lon [-180, 180] / lat [-90, 90]'],
    outerTooShort: [{ feature: 0, n: 2 }, 'features[0]: ring 0 has 2 distinct positions; an outer ring needs at least 3'],
    antimeridian: [{ feature: 1, ring: 0, from: 0, to: 1 }, 'features[1]: ring 0 runs across the ±180° meridian between positions 0 and 1 (a whole-world polygon, or one crossing the antimeridian); split it at ±180° into a MultiPolygon'],
    tooWide: [{ feature: 1, ring: 0, degrees: '200' }, 'features[1]: ring 0 spans 200° of longitude; an area must span less than 180° (H3 reads a wider one as crossing the antimeridian)'],
    noArea: [{ feature: 1 }, 'features[1]: ring 0 encloses no area (its positions lie on one line)'],
    tooManyPositions: [{ feature: 1, n: '60,000', max: '50,000' }, 'features[1]: has 60,000 positions, more than the 50,000 an area may have, and could not be simplified to fit; simplify it in a GIS and load it again'],
    tooTangled: [{ feature: 1, n: '40,000' }, 'features[1]: has 40,000 positions in too tangled a shape to check for self-intersections; simplify it in a GIS and load it again'],
    flawTooBig: [
      { feature: 1, flaw: 'selfCrossing', ring: 0, at: '121.00000, 31.00000', n: '20,012', max: '20,000' },
      'features[1]: ring 0 crosses itself near 121.00000, 31.00000 and has 20,012 positions, more than the 20,000 repaired here; repair it in a GIS (e.g. QGIS "Fix geometries") and load it again',
    ],
    flawUnrepaired: [
      { feature: 1, polygon: 0, flaw: 'ringsCross', ring: 0, other: 1, at: '1.00000, 2.00000' },
      'features[1]: polygon 0, ring 0 and ring 1 touch or cross near 1.00000, 2.00000 and could not be repaired; repair it in a GIS (e.g. QGIS "Fix geometries") and load it again',
    ],
    holesLeaveNothing: [{ feature: 1, polygon: 1, flaw: 'holeBigger', hole: 1 }, 'features[1]: polygon 1, hole 1 is bigger than its outer ring: nothing of the area is left once its holes are taken out'],
    ringsCancel: [{ feature: 2, flaw: 'holeInHole', hole: 2, other: 1 }, 'features[2]: hole 2 lies inside hole 1: no area is left once it is made valid (its rings cancel out)'],
  };
  const dict = (lang: 'en' | 'zh-CN') => importMessages[lang] as Record<string, string>;
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)(?:\|[^}]*)?\}/g)].map((m) => m[1]).sort();

  it('has an en and a zh-CN text for every reason and flaw code, with the same placeholders', () => {
    const keys = [...REASON_CODES.map((c) => `import.reason.${c}`), ...FLAW_CODES.map((c) => `import.flaw.${c}`), 'import.reason.where'];
    for (const key of keys) {
      expect(dict('en')[key], key).toBeTruthy();
      expect(dict('zh-CN')[key], key).toBeTruthy();
      expect([...new Set(placeholders(dict('zh-CN')[key]))], key).toEqual([...new Set(placeholders(dict('en')[key]))]);
    }
    // No dictionary entry is left over from the regex era.
    const known = new Set(keys);
    for (const key of Object.keys(dict('en')).filter((k) => /^import\.(reason|flaw)\./.test(k))) expect(known.has(key), key).toBe(true);
  });

  it('says every code in English word for word as the loader did, and the CLI says the same', () => {
    for (const code of REASON_CODES) {
      const [params, english] = SAMPLE[code];
      expect(rejectReasonText(p(code, params), (key, ps) => format(dict('en')[key], ps)), code).toBe(english);
      expect(rejectSayer('en')(p(code, params)), code).toBe(english);
      // Placeholders all filled: no "{name}" left in either language.
      expect(rejectSayer('zh-CN')(p(code, params)), code).not.toMatch(/\{\w+/);
    }
  });

  it('says every code in Chinese with its parameters and no English phrase', () => {
    for (const code of REASON_CODES) {
      const [params] = SAMPLE[code];
      const text = rejectSayer('zh-CN')(p(code, params));
      expect(hasEnglishPhrase(text, params), `${code}: ${text}`).toBe(false);
      for (const v of Object.values(params)) if (typeof v === 'string' && !FLAW_CODES.includes(v as never)) expect(text, code).toContain(v);
    }
    expect(rejectSayer('zh-CN')(p('duplicateLine', { line: 12, column: 'site_id' }))).toBe('site_id 重复（首次出现在第 12 行）');
    expect(rejectSayer('zh-CN')(p('holesLeaveNothing', SAMPLE.holesLeaveNothing[0]))).toBe('要素 1：第 1 个多边形，内环 1 比外环还大：扣除内环（洞）后区域不剩任何部分');
  });

  it('keeps data as plain text: markup and braces in a parameter are not interpreted', () => {
    const text = rejectSayer('zh-CN')(p('unknownType', { column: 'type', value: '<img src=x onerror=alert(1)>{column}' }));
    expect(text).toContain('“<img src=x onerror=alert(1)>{column}”');
  });

  it('says a code it does not know (a newer table) as the code, never as a blank', () => {
    expect(rejectSayer('zh-CN')({ reason: 'somethingNew' as ReasonCode, params: {} })).toBe('somethingNew');
  });
});

describe('load warnings in the UI language', () => {
  const w = (code: WarningCode, params: LoadWarning['params']): LoadWarning => ({ code, params });
  /** Parameters for each code as the loader gives them. */
  const SAMPLE: Record<WarningCode, LoadWarning['params']> = {
    gbk: { file: 'c.csv' }, utf16: { file: 'c.csv', encoding: 'UTF-16LE' }, delimiter: { file: 'c.csv', delimiter: ';' },
    headerLine: { file: 'c.csv', line: 3 }, headerRow: { file: 's.xlsx', line: 3 },
    columnCleaned: { file: 'c.csv', index: 2, name: 'ab' }, columnCut: { file: 'c.csv', index: 9, name: 'xx', max: 128 },
    columnReserved: { file: 'c.csv', index: 4, name: 'rowid_2' }, columnShadowed: { file: 'c.csv', column: 'LON', mapping: 'lon ← 经度' },
    parquetLines: { file: 'c.parquet' }, parquetLinesFiles: { file: 'd/*.parquet', files: 3 }, featureId: { file: 'a.geojson' },
    noAreas: { file: 'c.csv' }, noPeriods: { file: 'i.csv' }, textColumn: { file: 'i.csv', column: 'note' },
    unreadNumbers: { file: 'c.csv', column: 'balance', n: 3 }, rateRange: { file: 'i.csv', column: '失业率', n: 1 },
    areaClosed: { file: 'a.geojson', feature: 2, id: 'O' }, areaHoleDropped: { file: 'a.geojson', feature: 3, id: 'H' },
    areaSimplified: { file: 'a.geojson', feature: 4, id: 'X', before: '200,001', after: '49,880', tolerance: '3' },
    areaMadeValid: { file: 'a.geojson', feature: 1, id: 'B', before: '0.0', after: '53.20' },
    areaRewound: { file: 'a.geojson', n: 2, list: '1, 3' }, areaDeduplicated: { file: 'a.geojson', n: 1, list: '5' },
    areaMoreRepaired: { file: 'a.geojson', n: 4 },
    areasByName: { file: 'i.csv', n: 9 }, noOwnSites: { file: 's.csv', words: 'own, 本行, 我行, 本机构' },
  };

  it('has an en and a zh-CN sentence for every code the loader emits', () => {
    for (const code of WARNING_CODES) {
      const key = `import.warning.${code}` as keyof typeof importMessages.en;
      expect(importMessages.en[key], code).toBeTruthy();
      expect(importMessages['zh-CN'][key], code).toBeTruthy();
    }
  });

  it('says in English on screen what the CLI prints, from the same code and parameters (one and many)', () => {
    for (const code of WARNING_CODES) {
      expect(en(loadWarningMessage(w(code, SAMPLE[code]))), code).toBe(warningText(w(code, SAMPLE[code])).replace('semicolon (;)', '“;”'));
      if ('n' in SAMPLE[code]) {
        for (const n of [1, 2]) expect(en(loadWarningMessage(w(code, { ...SAMPLE[code], n }))), `${code} n=${n}`).toBe(warningText(w(code, { ...SAMPLE[code], n })));
      }
    }
  });

  it('says every code in Chinese with its parameters and no English sentence', () => {
    for (const code of WARNING_CODES) {
      const text = zh(loadWarningMessage(w(code, SAMPLE[code])))!;
      expect(text, code).toContain(String(SAMPLE[code].file));
      expect(text.replace(String(SAMPLE[code].file), ''), code).not.toMatch(/\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}\b/);
    }
  });

  it('translates the GBK warning and names the delimiter by its character', () => {
    expect(zh(loadWarningMessage(w('gbk', { file: 'customers.csv' })))).toBe('customers.csv 不是 UTF-8 编码：已按 GBK（GB18030）读取并转换为 UTF-8，请检查中文是否显示正确');
    expect(zh(loadWarningMessage(w('delimiter', { file: 'sites.csv', delimiter: ';' })))).toBe('sites.csv 使用 “;” 作为分隔符而非逗号，已按此读取');
    expect(warningText(w('delimiter', { file: 'sites.csv', delimiter: ';' }))).toBe('sites.csv uses semicolon (;) as delimiter, not comma; read it that way');
  });

  it('translates the renamed-column warnings (reserved, cleaned, cut)', () => {
    expect(zh(loadWarningMessage(w('columnReserved', { file: 'c.csv', index: 4, name: 'rowid_2' })))).toBe('c.csv：第 4 列按 "rowid_2" 加载（该列名为数据库保留名）');
    expect(zh(loadWarningMessage(w('columnCleaned', { file: 'c.csv', index: 2, name: 'ab' })))).toBe('c.csv：第 2 列按 "ab" 加载（已去除控制字符或不可见字符）');
    expect(zh(loadWarningMessage(w('columnCut', { file: 'c.csv', index: 9, name: 'xx', max: 128 })))).toBe('c.csv：第 9 列按 "xx" 加载（列名超过 128 个字符，已截断）');
  });

  it('translates the real-export warnings: numbers left empty, a header under a title', () => {
    expect(zh(loadWarningMessage(w('unreadNumbers', { file: 'customers.csv', column: 'balance', n: 1 })))).toBe('customers.csv：balance 有 1 个值无法读作数字，已置空（行已保留）');
    expect(warningText(w('unreadNumbers', { file: 'customers.csv', column: 'balance', n: 1 }))).toBe('customers.csv: balance: 1 value could not be read as a number and was left empty (rows kept)');
    expect(zh(loadWarningMessage(w('headerLine', { file: 'sites.xlsx', line: 3 })))).toBe('sites.xlsx：表头在第 3 行，其上各行作为标题跳过');
    expect(zh(loadWarningMessage(w('noOwnSites', { file: 's.csv', words: 'own, 本行, 我行, 本机构' })))).toBe(
      's.csv：没有本行网点：所属机构中没有表示本行的值（own, 本行, 我行, 本机构），所有网点都被视为竞争对手；请在值映射中把本行名称映射为 own',
    );
    expect(zh(loadWarningMessage(w('areasByName', { file: 'i.csv', n: 9 })))).toBe('i.csv：9 行按区域名称匹配到区域');
    expect(zh(loadWarningMessage(w('rateRange', { file: 'i.csv', column: '失业率', n: 1 })))).toBe('i.csv：失业率 有 1 个值超出 0–100 %（已保留；比率按百分数读取，3.5 即 3.5 %）');
  });
});
