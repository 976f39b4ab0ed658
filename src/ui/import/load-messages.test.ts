import { describe, expect, it } from 'vitest';
import { loadWarningMessage, rejectReasonMessage, type LoadMessage } from './load-messages.ts';
import { WARNING_CODES, warningText, type LoadWarning, type WarningCode } from '../../data/load-warnings.ts';
import { importMessages } from '../../i18n/import.ts';
import { format } from '../../i18n/format.ts';

const zh = (m: LoadMessage | null) => (m ? format(importMessages['zh-CN'][m.key as keyof typeof importMessages.en], m.params) : null);
const en = (m: LoadMessage | null) => (m ? format(importMessages.en[m.key as keyof typeof importMessages.en], m.params) : null);

describe('reject reasons in the UI language', () => {
  it('reads the loader’s English sentences back into messages with their parameters', () => {
    expect(zh(rejectReasonMessage('lat is outside [-90, 90]'))).toBe('lat 超出 [-90, 90]');
    expect(zh(rejectReasonMessage('customer_id is empty'))).toBe('customer_id 为空');
    expect(zh(rejectReasonMessage('duplicate site_id (first on line 12)'))).toBe('site_id 已在第 12 行出现');
    expect(zh(rejectReasonMessage('duplicate area_id + period'))).toBe('area_id + period 重复');
    expect(zh(rejectReasonMessage('duplicate area_id (first at features[3])'))).toBe('area_id 已被要素 3 使用');
    expect(zh(rejectReasonMessage('row has 1 field, the header has 5'))).toBe('该行有 1 个字段，表头有 5 个');
    expect(zh(rejectReasonMessage('features[7]: ring is not closed'))).toBe('要素 7 的几何无效');
    expect(zh(rejectReasonMessage('type must be branch or atm'))).toBe('type 必须为 branch（网点）或 atm');
    expect(zh(rejectReasonMessage('period is not a period like 2024Q3, 2024-09 or 2024'))).toBe('期间格式应为 2024Q3、2024-09 或 2024');
    expect(zh(rejectReasonMessage('type "柜台" is not a known site type: must be branch or atm (or a word for one, e.g. 支行, 营业部, 自助银行, ATM)'))).toBe(
      'type“柜台”不是已知的网点类型：应为 branch 或 atm（或其同义词，如 支行、营业部、自助银行、ATM），可在值映射中指定',
    );
    expect(zh(rejectReasonMessage('area_id "静安区" is no area of the areas file (by area_id, name or name_en); closest: 黄浦区, 徐汇区'))).toBe(
      'area_id“静安区”与区域文件中的任何区域都不匹配（按 area_id、name 或 name_en）；最接近：黄浦区, 徐汇区',
    );
  });
  it('keeps the English sentence under en (singular counts too)', () => {
    expect(en(rejectReasonMessage('row has 1 field, the header has 5'))).toBe('row has 1 field, the header has 5');
    expect(en(rejectReasonMessage('lon is not a number'))).toBe('lon is not a number');
  });
  it('returns null for a sentence it does not know, so no English reaches a zh-CN screen', () => {
    expect(rejectReasonMessage('something new happened')).toBeNull();
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
