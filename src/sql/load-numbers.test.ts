/** Numbers as exports write them, read by the validation SQL on both engines. */
import { expect, it } from 'vitest';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { parseNumberSql, withoutMissingSql } from './load-validate.ts';

const CASES: [string, number | null][] = [
  ['311,033.07', 311033.07], ['645,440', 645440], ['3.56%', 3.56], ['-1,000', -1000], ['１，２３４．５', 1234.5], ['３３', 33],
  ['12.5', 12.5], ['1e3', 1000], ['.5', 0.5],
  ['1_21.5', null], ['12,34', null], ['1,2345.6', null], ['NaN', null], ['abc', null], ['n/a', null],
  ['--', null], ['—', null], ['-', null], ['N/A', null], ['无', null],
];

describeOnEachEngine('export numbers on $name', (conn) => {
  it.each(CASES)('%s → %s', async (text, value) => {
    const t = withoutMissingSql('$1::VARCHAR');
    const [row] = await conn().query<{ v: number | null }>(`SELECT ${parseNumberSql(`(${t})`)} AS v`, [text]);
    expect(row.v).toBe(value);
  });
});
