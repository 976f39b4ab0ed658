/** The totals-row test of the validation SQL (totalsSql): the same answers as its regular expression alone, on both engines. */
import { expect, it } from 'vitest';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { TOTALS_PATTERN, totalsSql } from './load-validate.ts';

const CASES: [string | null, boolean | null][] = [
  ['合计', true], ['总计：', true], ['小计 一部', true], ['总合计', true], ['Total', true], ['TOTAL: all', true],
  ['subtotal', true], ['Grand Total', true], ['ſubtotal', true], ['ｔotal', false], ['totals', false],
  ['B0000000001', false], ['合', false], ['Ｔotal', false], [null, null],
];

describeOnEachEngine('totals rows on $name', (conn) => {
  it.each(CASES)('%s → %s', async (text, marks) => {
    const [row] = await conn().query<{ v: boolean | null }>(`SELECT ${totalsSql('$1::VARCHAR')} AS v`, [text]);
    expect(row.v).toBe(marks);
  });

  it('agrees with the regular expression alone whatever the first character (every BMP code point)', async () => {
    // each code point followed by the rest of every alternative of the pattern
    const [row] = await conn().query<{ n: number; matches: number; differ: number }>(`
      WITH s AS (SELECT chr(cp::INTEGER) || tail AS t
        FROM range(1, 65536) r(cp), (VALUES ('otal'), ('ubtotal'), ('rand total'), ('计'), ('合计'), ('otal: x')) v(tail)
        WHERE cp NOT BETWEEN 55296 AND 57343)
      SELECT count(*)::INTEGER AS n,
        count(*) FILTER (regexp_matches(t, '${TOTALS_PATTERN}', 'i'))::INTEGER AS matches,
        count(*) FILTER (${totalsSql('t')} IS DISTINCT FROM regexp_matches(t, '${TOTALS_PATTERN}', 'i'))::INTEGER AS differ
      FROM s`);
    expect(row.n).toBeGreaterThan(6 * 60000);
    expect(row.matches).toBeGreaterThanOrEqual(10);
    expect(row.differ).toBe(0);
  });
});
