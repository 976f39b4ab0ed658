/** Table and column questions on both engines, and the one rule for numeric types. */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { isNumericType, tableColumnsSql, tableExistsSql } from './columns.ts';

describe('isNumericType', () => {
  it('takes signed and unsigned integers, floats and decimals, nothing else', () => {
    for (const t of ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'FLOAT', 'DOUBLE', 'DECIMAL(18,3)']) {
      expect(isNumericType(t), t).toBe(true);
    }
    for (const t of ['VARCHAR', 'DATE', 'BOOLEAN', 'TIMESTAMP', 'INTERVAL', 'DOUBLE[]', 'INTEGERS']) expect(isNumericType(t), t).toBe(false);
  });
});

describeOnEachEngine('table questions on $name', (conn) => {
  beforeAll(async () => {
    await conn().exec(`CREATE TABLE customers (customer_id VARCHAR, lon DOUBLE, balance DECIMAL(18,2), "odd ""col""" UBIGINT)`);
  });

  it('lists a table’s columns and types in order, quoted names intact', async () => {
    const t = tableColumnsSql('customers');
    const cols = await conn().query<{ name: string; type: string }>(t.sql, t.params);
    expect(cols).toEqual([
      { name: 'customer_id', type: 'VARCHAR' }, { name: 'lon', type: 'DOUBLE' },
      { name: 'balance', type: 'DECIMAL(18,2)' }, { name: 'odd "col"', type: 'UBIGINT' },
    ]);
    const none = tableColumnsSql('nope');
    expect(await conn().query(none.sql, none.params)).toEqual([]);
  });

  it('tells whether a table exists', async () => {
    const t = tableExistsSql('customers');
    expect(await conn().query(t.sql, t.params)).toHaveLength(1);
    const none = tableExistsSql("customers'; DROP TABLE customers; --");
    expect(await conn().query(none.sql, none.params)).toHaveLength(0);
  });
});
