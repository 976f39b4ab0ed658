/**
 * Every bad fixture through the loader on both engines, against bad/expected.json; and the good
 * dataset end to end (counts, area assignment, schemas).
 */
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { quoteIdent } from '../sql/ident.ts';
import { loadInputs, readRejects } from './load-inputs.ts';
import { LoadError } from './errors.ts';
import type { InputKind, LoadInput, LoadReport } from './types.ts';
import { BAD_FIXTURES_DIR, GOOD_COUNTS, GOOD_FIXTURES, badCases } from '../../test/fixtures/index.ts';
import { warningText } from './load-warnings.ts';
import { chineseReason, englishReason, hasEnglishPhrase } from '../../test/fixtures/reason-text.ts';

const EXPECTED = badCases();

const input = (kind: InputKind, path: string): LoadInput => ({
  kind,
  fileName: path.split('/').pop()!,
  bytes: new Uint8Array(readFileSync(path)),
});

describeOnEachEngine('bad fixtures on $name', (conn) => {
  it.each(EXPECTED.map((c) => [c.file, c] as const))('%s', async (_name, c) => {
    const inp = input(c.kind, join(BAD_FIXTURES_DIR, c.file));
    if (c.error) {
      const err = await loadInputs(conn(), [inp]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LoadError);
      const problems = (err as LoadError).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0].file).toBe(c.file);
      expect(problems[0].message).toContain(c.error);
      if (c.errorLine !== undefined) expect(problems[0].line).toBe(c.errorLine);
      expect((err as LoadError).message).toContain(c.file);
      return;
    }
    const report: LoadReport = await loadInputs(conn(), [inp]);
    const file = report.files[0];
    expect(file.rowsRead).toBe(c.read);
    expect(file.rowsKept).toBe(c.kept);
    expect(file.rowsRejected).toBe(c.rejects!.length);
    expect(file.rowsKept + file.rowsRejected).toBe(file.rowsRead);
    const rejects = (await readRejects(conn())).filter((r) => r.kind === c.kind);
    expect(rejects.map((r) => ({ line: r.line, column: r.column, code: r.code }))).toEqual(
      c.rejects!.map((r) => ({ line: r.line, column: r.column, code: r.code })),
    );
    c.rejects!.forEach((r, i) => {
      if (r.reason) expect(englishReason(rejects[i])).toContain(r.reason);
        expect(hasEnglishPhrase(chineseReason(rejects[i]), rejects[i].params), `zh-CN: ${chineseReason(rejects[i])}`).toBe(false);
      expect(rejects[i].file).toBe(c.file);
      expect(rejects[i].raw, 'every reject carries its row').not.toBeNull();
    });
    for (const { line, raw } of c.raw ?? []) expect(rejects.find((r) => r.line === line)?.raw).toBe(raw);
    for (const w of c.warnings ?? []) expect(report.warnings.map(warningText).join('\n')).toContain(w);
    for (const [k, v] of Object.entries(c.mapping ?? {})) expect(file.mapping[k]).toBe(v);
    const table = c.kind;
    for (const [column, values] of Object.entries(c.values ?? {})) {
      const rows = await conn().query<Record<string, unknown>>(`SELECT ${quoteIdent(column)} AS v FROM ${quoteIdent(table)}`);
      expect(rows.map((r) => r.v), column).toEqual(values);
    }
  });

  it('loads the good dataset: counts, areas, schemas', async () => {
    const report = await loadInputs(conn(), [
      input('areas', GOOD_FIXTURES.areas),
      input('indicators', GOOD_FIXTURES.indicators),
      input('customers', GOOD_FIXTURES.customers),
      input('sites', GOOD_FIXTURES.sites),
      input('candidates', GOOD_FIXTURES.candidates),
    ]);
    expect(report.rowsRejected).toBe(0);
    expect(report.areas?.features).toHaveLength(GOOD_COUNTS.areas);
    const byKind = Object.fromEntries(report.files.map((f) => [f.kind, f]));
    expect(byKind.customers.rowsKept).toBe(GOOD_COUNTS.customers);
    expect(byKind.customers.outsideStudyArea).toBe(GOOD_COUNTS.customersOutside);
    const perArea = await conn().query<{ area_id: string | null; n: number }>(
      'SELECT area_id, count(*)::INTEGER AS n FROM customers GROUP BY 1 ORDER BY 1 NULLS LAST',
    );
    expect(perArea).toEqual([
      ...Object.entries(GOOD_COUNTS.customersPerArea).map(([area_id, n]) => ({ area_id, n })),
      { area_id: null, n: GOOD_COUNTS.customersOutside },
    ]);
    const periods = await conn().query<{ period: string; period_index: number }>('SELECT DISTINCT period, period_index FROM indicators ORDER BY 2');
    expect(periods.map((p) => p.period)).toEqual(GOOD_COUNTS.periods);
    expect(periods.map((p) => p.period_index)).toEqual([0, 1, 2, 3]);
    const schema = async (t: string) =>
      (await conn().query<{ c: string; t: string }>(`SELECT column_name AS c, data_type AS t FROM duckdb_columns() WHERE table_name = $1 ORDER BY column_index`, [t]))
        .map((r) => `${r.c} ${r.t}`);
    expect(await schema('customers')).toEqual([
      'customer_id VARCHAR', 'lon DOUBLE', 'lat DOUBLE', 'area_id VARCHAR', 'segment VARCHAR', 'age DOUBLE', 'balance DOUBLE',
      'loan_balance DOUBLE', 'default_flag INTEGER', 'digital_active INTEGER',
    ]);
    expect(await schema('sites')).toEqual([
      'site_id VARCHAR', 'lon DOUBLE', 'lat DOUBLE', 'type VARCHAR', 'owner VARCHAR', 'name VARCHAR', 'attractiveness DOUBLE',
    ]);
    expect(await schema('candidates')).toEqual(['site_id VARCHAR', 'lon DOUBLE', 'lat DOUBLE', 'cost DOUBLE', 'name VARCHAR']);
    expect(await schema('indicators')).toEqual([
      'area_id VARCHAR', 'period VARCHAR', 'period_index INTEGER', 'population DOUBLE', 'avg_income DOUBLE',
      'unemployment_rate DOUBLE', 'house_price_index DOUBLE', 'npl_rate DOUBLE',
    ]);
    expect(await schema('areas')).toEqual(['area_id VARCHAR', 'name VARCHAR', 'name_en VARCHAR', 'area_km2 DOUBLE']);
    expect(await schema('rejects')).toEqual([
      'file VARCHAR', 'line INTEGER', 'column VARCHAR', 'reason VARCHAR', 'params VARCHAR', 'raw VARCHAR', 'kind VARCHAR', 'code VARCHAR',
    ]);
    const [own] = await conn().query<{ b: number; a: number }>(
      "SELECT count(*) FILTER (WHERE type = 'branch')::INTEGER AS b, count(*) FILTER (WHERE type = 'atm')::INTEGER AS a FROM sites WHERE owner = 'own'",
    );
    expect(own).toEqual({ b: GOOD_COUNTS.ownBranches, a: GOOD_COUNTS.ownAtms });
    const staging = await conn().query(`SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, '__bp_')`);
    expect(staging, 'no staging tables left behind').toEqual([]);
  });
});
