/** The Connector contract, on both engines: binding, Arrow both ways, files, errors, interrupt. */
import { expect, it } from 'vitest';
import { Float64, Int32, Table, Utf8, makeVector, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { describeOnEachEngine } from '../db/connector-factories.ts';
import { quoteIdent } from '../sql/ident.ts';

const HOSTILE = ["'); DROP TABLE t; --", '<img src=x onerror=alert(1)>', 'a"b', '$1', '\\N', '中文', ''];

describeOnEachEngine('Connector on $name', (conn, name) => {
  it('names its engine', () => {
    expect(conn().engine).toBe(name);
  });

  it('binds parameters as values, never as SQL', async () => {
    for (const s of HOSTILE) {
      const [row] = await conn().query<{ v: string; n: number }>('SELECT $1::VARCHAR AS v, length($1::VARCHAR)::INTEGER AS n', [s]);
      expect(row).toEqual({ v: s, n: [...s].length });
    }
    const [r] = await conn().query('SELECT $1::DOUBLE AS d, $2::BOOLEAN AS b, $3::VARCHAR AS z, $4::BIGINT AS big', [1.5, true, null, 2n ** 40n]);
    expect(r).toEqual({ d: 1.5, b: true, z: null, big: 2n ** 40n });
  });

  it('returns BIGINT as bigint and INTEGER/DOUBLE as number', async () => {
    const [r] = await conn().query('SELECT 7::BIGINT AS b, 7::INTEGER AS i, 0.25::DOUBLE AS d, NULL::INTEGER AS n');
    expect(r).toEqual({ b: 7n, i: 7, d: 0.25, n: null });
  });

  it('queryArrow returns an IPC stream, also for empty results', async () => {
    const t = tableFromIPC(await conn().queryArrow('SELECT range::INTEGER AS i, (range * 0.5)::DOUBLE AS f, range::VARCHAR AS s FROM range(4) WHERE range >= $1', [1]));
    expect(t.numRows).toBe(3);
    expect(Array.from(t.getChild('i')!.toArray())).toEqual([1, 2, 3]);
    expect(Array.from(t.getChild('f')!.toArray())).toEqual([0.5, 1, 1.5]);
    expect(t.getChild('s')!.toArray()).toEqual(['1', '2', '3']);
    const empty = tableFromIPC(await conn().queryArrow('SELECT 1::INTEGER AS x WHERE false'));
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields.map((f) => f.name)).toEqual(['x']);
  });

  it('insertArrowIPC creates a table with the rows, types and hostile names as given', async () => {
    const col = 'x"); DROP TABLE y; --';
    const t = new Table({
      id: makeVector({ type: new Int32(), data: Int32Array.from([1, 2, 3]) }),
      v: makeVector({ type: new Float64(), data: Float64Array.from([0.5, NaN, -2]) }),
      [col]: vectorFromArray(HOSTILE.slice(0, 3), new Utf8()),
    });
    await conn().insertArrowIPC('arrow_in', tableToIPC(t, 'stream'));
    const rows = await conn().query<Record<string, unknown>>(`SELECT id, ${quoteIdent(col)} AS s FROM arrow_in ORDER BY id`);
    expect(rows).toEqual([{ id: 1, s: HOSTILE[0] }, { id: 2, s: HOSTILE[1] }, { id: 3, s: HOSTILE[2] }]);
    const [types] = await conn().query<{ t: string }>("SELECT string_agg(data_type, ',' ORDER BY column_index) AS t FROM duckdb_columns() WHERE table_name = 'arrow_in'");
    expect(types.t).toBe('INTEGER,DOUBLE,VARCHAR');
  });

  it('registered files are readable by name and gone after dropFile; the caller keeps its bytes', async () => {
    const bytes = new TextEncoder().encode('a,b\n1,2\n');
    await conn().registerFile('upload/t-conn.csv', bytes);
    expect(bytes.byteLength).toBe(8);
    const rows = await conn().query("SELECT a::INTEGER AS a, b::INTEGER AS b FROM read_csv('upload/t-conn.csv', header = true)");
    expect(rows).toEqual([{ a: 1, b: 2 }]);
    await conn().dropFile('upload/t-conn.csv');
    await expect(conn().query("SELECT * FROM read_csv('upload/t-conn.csv')")).rejects.toThrow();
    await expect(conn().registerFile('../escape.csv', bytes)).rejects.toThrow(/internal/);
  });

  it('a registered Blob is readable by name (larger than one stream chunk) and gone after dropFile', async () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `${i},${i * 2}`).join('\n');
    const blob = new Blob([`a,b\n${body}\n`]);
    await conn().registerBlob('upload/t-blob.csv', blob);
    const [row] = await conn().query<{ n: number; s: number }>(
      "SELECT count(*)::INTEGER AS n, sum(b)::DOUBLE AS s FROM read_csv('upload/t-blob.csv', header = true)",
    );
    expect(row).toEqual({ n: 20_000, s: 2 * ((19_999 * 20_000) / 2) });
    await conn().dropFile('upload/t-blob.csv');
    await expect(conn().query("SELECT * FROM read_csv('upload/t-blob.csv')")).rejects.toThrow();
    await expect(conn().registerBlob('../escape.csv', blob)).rejects.toThrow(/internal/);
  });

  it('reports SQL errors with DuckDB\'s message', async () => {
    await expect(conn().query('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
    await expect(conn().exec('SELEC 1')).rejects.toThrow(/syntax/i);
  });

  it('interrupt() stops a long statement and the connection stays usable', async () => {
    const running = conn().exec('CREATE TABLE slow AS SELECT count(*) AS n FROM range(4000000000) a, range(2) b');
    await new Promise((r) => setTimeout(r, 200));
    await conn().interrupt();
    await expect(running).rejects.toThrow(/interrupt|cancel/i);
    expect(await conn().query('SELECT 41 + 1 AS x')).toEqual([{ x: 42 }]);
  });

  it('runs multi-statement transactions and rolls back on error', async () => {
    await conn().exec('CREATE TABLE keep AS SELECT 1 AS v');
    await expect(conn().exec('BEGIN TRANSACTION; DROP TABLE keep; SELECT * FROM missing_table; COMMIT')).rejects.toThrow();
    await conn().exec('ROLLBACK');
    expect(await conn().query('SELECT v FROM keep')).toEqual([{ v: 1 }]);
  });
});
