import { describe, expect, it } from 'vitest';
import { loadWarningMessage, rejectReasonMessage, type LoadMessage } from './load-messages.ts';
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
  it('translates the GBK warning and names the delimiter by its character', () => {
    const gbk = 'customers.csv is not UTF-8: it was read as GBK (GB18030) and converted to UTF-8; check that Chinese text looks right';
    expect(zh(loadWarningMessage(gbk))).toBe('customers.csv 不是 UTF-8 编码：已按 GBK（GB18030）读取并转换为 UTF-8，请检查中文是否显示正确');
    expect(en(loadWarningMessage(gbk))).toBe(gbk);
    expect(zh(loadWarningMessage('sites.csv uses semicolon (;) as delimiter, not comma; read it that way'))).toBe('sites.csv 使用 “;” 作为分隔符而非逗号，已按此读取');
  });

  it('translates the renamed-column warnings (reserved, cleaned, cut)', () => {
    expect(zh(loadWarningMessage('c.csv: column 4 was loaded as "rowid_2" (the name is reserved by the database)'))).toBe('c.csv：第 4 列按 "rowid_2" 加载（该列名为数据库保留名）');
    expect(zh(loadWarningMessage('c.csv: column 2 was loaded as "ab" (control or invisible characters removed)'))).toBe('c.csv：第 2 列按 "ab" 加载（已去除控制字符或不可见字符）');
    expect(zh(loadWarningMessage('c.csv: column 9 was loaded as "xx" (longer than 128 characters, cut)'))).toBe('c.csv：第 9 列按 "xx" 加载（列名超过 128 个字符，已截断）');
  });

  it('translates the real-export warnings: numbers left empty, a header under a title', () => {
    const unread = 'customers.csv: balance: 1 value could not be read as a number and was left empty (rows kept)';
    expect(zh(loadWarningMessage(unread))).toBe('customers.csv：balance 有 1 个值无法读作数字，已置空（行已保留）');
    expect(zh(loadWarningMessage('c.csv: age: 3 values could not be read as a number and were left empty (rows kept)'))).toBe('c.csv：age 有 3 个值无法读作数字，已置空（行已保留）');
    expect(zh(loadWarningMessage('sites.xlsx: the header is on line 3; the line(s) above it were skipped as a title'))).toBe('sites.xlsx：表头在第 3 行，其上各行作为标题跳过');
    expect(zh(loadWarningMessage("s.csv: no own sites: no owner reads as ours (own, 本行, 我行, 本机构), so every site is taken as a competitor's; map your bank's name to own in the value mapping"))).toBe(
      's.csv：没有本行网点：所属机构中没有表示本行的值（own, 本行, 我行, 本机构），所有网点都被视为竞争对手；请在值映射中把本行名称映射为 own',
    );
    expect(zh(loadWarningMessage('i.csv: 9 rows matched to areas by name'))).toBe('i.csv：9 行按区域名称匹配到区域');
    expect(zh(loadWarningMessage('i.csv: 失业率: 1 value outside 0–100 % (kept; a rate is read as a percentage, 3.5 = 3.5 %)'))).toBe('i.csv：失业率 有 1 个值超出 0–100 %（已保留；比率按百分数读取，3.5 即 3.5 %）');
  });
});
