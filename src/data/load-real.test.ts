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
import { REAL_FIXTURES_DIR, realCases } from '../../test/fixtures/index.ts';

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
        if (r.reason) expect(rejects[i].reason).toContain(r.reason);
        expect(rejects[i].raw, 'every reject carries its row').not.toBeNull();
      });
      for (const w of c.warnings ?? []) expect(report.warnings.join('\n')).toContain(w);
      for (const [k, v] of Object.entries(c.mapping ?? {})) expect(file.mapping[k], k).toBe(v);
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
    expect(report.warnings.join('\n')).toContain('header is on line 4');
    const rejects = await readRejects(conn());
    expect(rejects.map((r) => [r.line, r.code])).toEqual([[6, 'not_a_number'], [7, 'totals_row'], [9, 'totals_row'], [10, 'totals_row']]);
    expect(rejects[2].raw).toBe('合计,"1,000",');
  });
});
