/**
 * The cheap no-duplicates test (buildKeysRiseSql) on both engines: only a key that rises
 * strictly among the usable rows passes; a repeat, a step back or equal neighbours do not.
 */
import { expect, it } from 'vitest';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { buildKeysRiseSql } from './load-validate.ts';

/** Rows as [customer_id, __bp_k] (k non-null: a rejected row, not looked at). */
const CASES: [string, [string, number | null][], number][] = [
  ['rising', [['C1', null], ['C2', null], ['C3', null]], 0],
  ['equal neighbours', [['C1', null], ['C2', null], ['C2', null]], 1],
  ['a repeat further on', [['C1', null], ['C2', null], ['C1', null]], 1],
  ['unsorted but unique', [['C2', null], ['C1', null], ['C3', null]], 1],
  ['a rejected row repeating a key is skipped', [['C1', null], ['C1', 3], ['C2', null]], 0],
  ['a rejected row between a repeat does not hide it', [['C1', null], ['C9', 3], ['C1', null]], 1],
  ['byte order: lower case after upper case', [['C1', null], ['c1', null]], 0],
];

describeOnEachEngine('keys rise on $name', (conn) => {
  it.each(CASES)('%s', async (_, rows, expected) => {
    const values = rows.map(([id, k]) => `('${id}', ${k ?? 'NULL'}::INTEGER)`).join(', ');
    await conn().exec(`CREATE OR REPLACE TABLE chk AS SELECT * FROM (VALUES ${values}) v(customer_id, __bp_k)`);
    const [{ n }] = await conn().query<{ n: number }>(buildKeysRiseSql('chk', 'customer_id'));
    expect(n).toBe(expected);
    // The first rows alone: the same verdict when they are all the rows.
    const [{ n: head }] = await conn().query<{ n: number }>(buildKeysRiseSql('chk', 'customer_id', rows.length));
    expect(head).toBe(expected);
  });
});
