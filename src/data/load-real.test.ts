/**
 * Real-shaped exports (test/fixtures/real: Excel with a title and a totals row, GBK by district
 * name, BOM/CRLF with thousands separators) through the loader on both engines, each with the
 * fixture areas, against real/expected.json.
 */
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { quoteIdent } from '../sql/ident.ts';
import { loadInputs, readRejects } from './load-inputs.ts';
import type { InputKind, LoadInput } from './types.ts';
import { valueMapText } from './value-map.ts';
import { REAL_FIXTURES_DIR, realCases } from '../../test/fixtures/index.ts';
import { warningText } from './load-warnings.ts';
import { chineseReason, englishReason, hasEnglishPhrase } from '../../test/fixtures/reason-text.ts';

const CASES = realCases();

const input = (kind: InputKind, file: string): LoadInput => ({
  kind,
  fileName: file,
  bytes: new Uint8Array(readFileSync(join(REAL_FIXTURES_DIR, file))),
});

describeOnEachEngine('real exports on $name', (conn) => {
  for (const c of CASES) {
    // A case the loader cannot read yet is a named todo (what it must learn), never a pass.
    if (c.todo) {
      it.todo(`${c.file}: ${c.todo}`);
      continue;
    }
    it(c.file, async () => {
      const report = await loadInputs(conn(), [input('areas', 'areas.geojson'), input(c.kind, c.file)]);
      const file = report.files.find((f) => f.kind === c.kind)!;
      expect(file.rowsRead).toBe(c.read);
      expect(file.rowsKept).toBe(c.kept);
      expect(file.rowsRejected).toBe(c.rejects!.length);
      const rejects = (await readRejects(conn())).filter((r) => r.kind === c.kind);
      expect(rejects.map((r) => ({ line: r.line, column: r.column, code: r.code }))).toEqual(
        c.rejects!.map((r) => ({ line: r.line, column: r.column, code: r.code })),
      );
      c.rejects!.forEach((r, i) => {
        if (r.reason) expect(englishReason(rejects[i])).toContain(r.reason);
        expect(hasEnglishPhrase(chineseReason(rejects[i]), rejects[i].params), `zh-CN: ${chineseReason(rejects[i])}`).toBe(false);
        expect(rejects[i].raw, 'every reject carries its row').not.toBeNull();
      });
      for (const w of c.warnings ?? []) expect(report.warnings.map(warningText).join('\n')).toContain(w);
      for (const [k, v] of Object.entries(c.mapping ?? {})) expect(file.mapping[k], k).toBe(v);
      const mapped = (file.valueMap ?? []).map(valueMapText);
      for (const line of c.valueMap ?? []) expect(mapped, 'value mapping lines').toContain(line);
      for (const [column, values] of Object.entries(c.values ?? {})) {
        const rows = await conn().query<Record<string, unknown>>(`SELECT ${quoteIdent(column)} AS v FROM ${quoteIdent(c.kind)}`);
        expect(rows.map((r) => r.v), column).toEqual(values);
      }
    });
  }

  it('a CSV with title and blank lines above the header and totals at the end keeps physical lines', async () => {
    const text = [
      '2025年三季度 客户清单,,', '', '制表：零售部,,', 'customer_id,lon,lat', 'c1,121.4,31.2', 'c2,x,31.2',
      '小计,,', 'c3,121.5,31.3', '合计,"1,000",', 'Total,121.4,31.2', '',
    ].join('\n');
    const report = await loadInputs(conn(), [{ kind: 'customers', fileName: 't.csv', bytes: new TextEncoder().encode(text) }]);
    expect(report.files[0]).toMatchObject({ rowsRead: 6, rowsKept: 2 });
    expect(report.warnings.map(warningText).join('\n')).toContain('header is on line 4');
    // Other kinds' rejects from earlier loads stay in the live table: this file's only.
    const rejects = (await readRejects(conn())).filter((r) => r.file === 't.csv');
    expect(rejects.map((r) => [r.line, r.code])).toEqual([[6, 'not_a_number'], [7, 'totals_row'], [9, 'totals_row'], [10, 'totals_row']]);
    expect(rejects[2].raw).toBe('合计,"1,000",');
  });

  it('sites with no own owner load with a warning; the user value mapping makes a word own and a type a branch', async () => {
    const text = ['网点编号,网点类型,所属机构,经度,纬度', 'A1,支行,工商银行,121.47,31.23', 'A2,柜台,总行,121.48,31.23', 'A3,ATM,建设银行,121.49,31.23'].join('\n');
    const bytes = new TextEncoder().encode(text);
    const plain = await loadInputs(conn(), [{ kind: 'sites', fileName: 's.csv', bytes }]);
    expect(plain.files[0]).toMatchObject({ rowsKept: 2, rowsRejected: 1 });
    expect(plain.warnings.map(warningText).join('\n')).toContain('s.csv: no own sites');
    const rej = (await readRejects(conn())).filter((r) => r.file === 's.csv');
    expect(rej.map((r) => [r.line, r.column, r.code])).toEqual([[3, 'type', 'bad_value']]);
    expect(rej[0]).toMatchObject({ reason: 'unknownType', params: { column: 'type', value: '柜台' } });
    expect(englishReason(rej[0])).toContain('"柜台"');
    const edited = await loadInputs(conn(), [{ kind: 'sites', fileName: 's.csv', bytes, values: { type: { 柜台: 'branch' }, owner: { 总行: 'own' } } }]);
    expect(edited.files[0]).toMatchObject({ rowsKept: 3, rowsRejected: 0 });
    expect(edited.warnings.map(warningText).join('\n')).not.toContain('no own sites');
    expect((edited.files[0].valueMap ?? []).map(valueMapText)).toEqual(['支行 → branch: 1 row', '柜台 → branch: 1 row', 'ATM → atm: 1 row', '总行 → own: 1 row']);
    const rows = await conn().query<{ type: string; owner: string }>('SELECT type, owner FROM sites ORDER BY site_id');
    expect(rows.map((r) => [r.type, r.owner])).toEqual([['branch', '工商银行'], ['branch', 'own'], ['atm', '建设银行']]);
  });

  it('a rate outside 0–100 % is kept with a warning naming the column and the count', async () => {
    const areas = input('areas', 'areas.geojson');
    const text = ['区县,期间,失业率,人口增长率,population', '黄浦,2024年9月,3.5%,-1.2,10', '徐汇,2024年9月,135,2,-5'].join('\n');
    const report = await loadInputs(conn(), [areas, { kind: 'indicators', fileName: 'r.csv', bytes: new TextEncoder().encode(text) }]);
    expect(report.files.find((f) => f.kind === 'indicators')).toMatchObject({ rowsKept: 2, rowsRejected: 0 });
    const w = report.warnings.map(warningText).join('\n');
    expect(w).toContain('r.csv: 失业率: 1 value outside 0–100 %');
    expect(w).toContain('r.csv: 人口增长率: 1 value outside 0–100 %');
    expect(w).not.toContain('population: ');
    expect(w).toContain('r.csv: 2 rows matched to areas by name');
    const rows = await conn().query<{ area_id: string; period: string }>('SELECT area_id, period FROM indicators');
    expect(rows.map((r) => [r.area_id, r.period])).toEqual([['310101', '2024-09'], ['310104', '2024-09']]);
  });
});
